"""How QB007 (unknown-topic) does: quiet on free-form tags, loud on typos of topic ids.

    python benchmarks/eval_unknown_topic.py /work/ext/pmle-summer-quizzes.jsonl

False alarms: the tags of a bank written by others (free-form labels, see foreign_bank.py)
that are not topic ids of the bundled exam guide but that QB007 would report. Recall: typos
made from every topic id of the guide (one or two random insertions, deletions,
substitutions or swaps, 20 of each per id, seeded), and plurals.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

from qbank.load.bank import load_guide
from qbank.rules.unknown_topic import nearest_topic

sys.path.insert(0, str(Path(__file__).resolve().parent))
from foreign_bank import REPO, question_fields  # noqa: E402

LETTERS = "abcdefghijklmnopqrstuvwxyz-"


def typo(rng: random.Random, text: str, edits: int) -> str:
    for _ in range(edits):
        kind, at = rng.randrange(4), rng.randrange(len(text))
        if kind == 0 and len(text) > 3:
            text = text[:at] + text[at + 1 :]
        elif kind == 1:
            text = text[:at] + rng.choice(LETTERS) + text[at:]
        elif kind == 2:
            text = text[:at] + rng.choice(LETTERS) + text[at + 1 :]
        elif at < len(text) - 1:
            text = text[:at] + text[at + 1] + text[at] + text[at + 2 :]
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("jsonl", type=Path)
    args = parser.parse_args(argv)
    guide_file = load_guide(REPO / "questions" / "exam-guide.yaml", REPO)
    assert guide_file is not None and guide_file.record is not None
    topics = tuple(t.id for sub in guide_file.record.subsections for t in sub.topics)
    rows = [json.loads(line) for line in args.jsonl.read_text("utf-8").splitlines() if line]
    tags = [tag for i, row in enumerate(rows, 1) for tag in question_fields(i, row).get("tags", [])]
    free = [tag for tag in tags if tag not in topics]
    alarms = Counter(tag for tag in free if nearest_topic(tag, topics))
    print(f"{len(tags)} tags in {len(rows)} questions, {len(free)} not topic ids")
    print(f"reported: {sum(alarms.values())} ({dict(alarms)})")
    rng = random.Random(7)
    for edits in (1, 2):
        typos = [typo(rng, t, edits) for t in topics for _ in range(20)]
        typos = [t for t in typos if t not in topics]
        found = sum(nearest_topic(t, topics) is not None for t in typos)
        print(f"typos with {edits} edit(s): {found}/{len(typos)} = {found / len(typos):.3f}")
    plurals = sum(nearest_topic(t + "s", topics) is not None for t in topics)
    print(f"plurals: {plurals}/{len(topics)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
