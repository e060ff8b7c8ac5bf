"""Turn a bank written by other authors into question files, to measure rules on it.

    python benchmarks/foreign_bank.py /work/ext/pmle-summer-quizzes.jsonl [--keep DIR]

The input is JSONL with `question`, `options` (a list, "A. " prefixes allowed), `answer` (an
index or a list of indexes), `explanation`, and optionally `exam_section` ("§3.1"),
`gcp_products`, `ml_topics` and `gcp_topics` (free-form labels, written as tags). The bank
is written to a temporary folder (never into the repository) with the bundled exam guide,
linted without QB402 (near-duplicates are measured by eval_dedup.py), and the count of
problems per rule is printed, as `qbank lint --statistics` would.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from qbank.config import Config
from qbank.importers.writer import render_question
from qbank.lint import LintResult, lint
from qbank.problem import Problem

REPO = Path(__file__).resolve().parent.parent
_LETTER = re.compile(r"^[A-H][.)]\s+")
_SLUG = re.compile(r"[^a-z0-9]+")
LABEL_FIELDS = ("gcp_products", "ml_topics", "gcp_topics")


def slug(label: str) -> str:
    return _SLUG.sub("-", label.casefold()).strip("-")[:64]


def question_fields(index: int, row: dict[str, Any]) -> dict[str, Any]:
    keyed = row["answer"] if isinstance(row["answer"], list) else [row["answer"]]
    options = [
        {"text": _LETTER.sub("", str(text)).strip() or "(empty)", "correct": i in keyed}
        for i, text in enumerate(row["options"])
    ]
    for option in options:
        if not option["correct"]:
            del option["correct"]
    section = str(row.get("exam_section") or "").lstrip("§")
    fields: dict[str, Any] = {
        "id": f"ext-{index:04d}",
        "domain": section if re.fullmatch(r"\d+\.\d+", section) else "0.0",
        "type": "multiple" if len(keyed) > 1 else "single",
        "status": "published",
        "stem": str(row["question"]).strip() + "\n",
        "options": options,
    }
    if len(keyed) > 1:
        fields["select"] = len(keyed)
    if row.get("explanation"):
        fields["explanation"] = str(row["explanation"]).strip() + "\n"
    tags = [slug(str(label)) for key in LABEL_FIELDS for label in row.get(key) or []]
    tags = list(dict.fromkeys(t for t in tags if t))
    if tags:
        fields["tags"] = tags
    return fields


def write_bank(jsonl: Path, folder: Path) -> int:
    """Question files under `folder/questions`, the bundled guide, a qbank.toml; the count."""
    bank = folder / "questions"
    bank.mkdir(parents=True)
    shutil.copy(REPO / "questions" / "exam-guide.yaml", bank / "exam-guide.yaml")
    (folder / "qbank.toml").write_text('bank = "questions"\n')
    count = 0
    for index, line in enumerate(jsonl.read_text("utf-8").splitlines(), start=1):
        if line.strip():
            fields = question_fields(index, json.loads(line))
            text = render_question(fields, f"{jsonl.name}:{index}", [])
            (bank / f"{fields['id']}.yaml").write_text(text, "utf-8")
            count += 1
    return count


def lint_bank(folder: Path, select: list[str] | None = None) -> LintResult:
    bank = folder / "questions"
    config = Config(root=folder, bank=bank, exam_guide=bank / "exam-guide.yaml")
    return lint([], config, select=select, ignore=["QB402"], use_cache=False, cwd=folder)


def per_rule(problems: list[Problem]) -> Iterator[str]:
    counts = Counter((p.code, p.name) for p in problems)
    for (code, name), count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        yield f"{count:6d}  {code}  {name}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("jsonl", type=Path)
    parser.add_argument("--keep", type=Path, help="Write the bank here and keep it.")
    args = parser.parse_args(argv)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="qbank-foreign-"))
    try:
        count = write_bank(args.jsonl, folder)
        result = lint_bank(folder)
        print(f"{count} questions, {len(result.problems)} problems")
        for line in per_rule(result.problems):
            print(line)
    finally:
        if args.keep is None:
            shutil.rmtree(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
