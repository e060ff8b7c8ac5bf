"""Near-duplicate pairs of a bank written by others, for a blind review of precision per band.

    python benchmarks/review_pairs.py count  BANK.jsonl
    python benchmarks/review_pairs.py sample BANK.jsonl SHEET.md [--per-band 10] [--seed 1]
    python benchmarks/review_pairs.py score  SHEET.md

BANK.jsonl holds one question per line: {"question", "options", "answer"} (an option index
or a list of them; "A. " prefixes are removed). Two scorings are compared: the previous one
(stem, key and distractors embedded as three texts, 0.4/0.4/0.2, threshold 0.65) and the
shipped one (QB402's probability, qbank.dedup.scoring.pair_probabilities, at the default
threshold; before the learned decision: the weighted similarity with key disagreements
dropped).
Exact copies (same stem and options: QB401's) are left out of both.

`count` prints the pairs per similarity band. `sample` draws up to N pairs per band and
scoring, shuffles the union and writes a review sheet without scores: write `D` (same
question, same answer), `C` (same question, another key) or `N` (not a duplicate) after
each `label:`. The scores go to SHEET.md.key.json beside it. `score` reads both and prints
each scoring's precision per band (a `C` is not a near-duplicate). The bank's text stays out
of the repository: keep the sheet elsewhere.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from qbank.dedup.cache import EmbeddingCache
from qbank.dedup.embed import embed
from qbank.dedup.model import resolve_model
from qbank.dedup.scoring import CANDIDATE_FLOOR, combine, pair_probabilities
from qbank.dedup.settings import DEFAULT_MODEL, DEFAULT_THRESHOLD, DedupSettings
from qbank.dedup.text import QuestionText, question_text
from qbank.dedup.vectors import embed_questions
from qbank.markdown import normalize

REPO = Path(__file__).resolve().parent.parent
OLD_WEIGHTS, OLD_THRESHOLD = (0.4, 0.4, 0.2), 0.65
BANDS = {
    "previous": ((0.65, 0.70), (0.70, 0.75), (0.75, 0.80), (0.80, 0.90), (0.90, 1.01)),
    "shipped": ((DEFAULT_THRESHOLD, 0.85), (0.85, 0.95), (0.95, 1.01)),  # probabilities
}
LABELS = {"D", "C", "N"}


def read_bank(path: Path) -> list[QuestionText]:
    questions = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            answer = record["answer"] if isinstance(record["answer"], list) else [record["answer"]]
            options = [re.sub(r"^[A-H]\.\s*", "", text) for text in record["options"]]
            marked = [(option, i in answer) for i, option in enumerate(options)]
            questions.append(question_text(record["question"], marked))
    return questions


def scores(questions: list[QuestionText]) -> dict[str, np.ndarray]:
    """Pair scores (upper triangle) of both scorings; -1 where a pair is left out."""
    settings = DedupSettings()
    model = resolve_model(DEFAULT_MODEL, REPO)
    cache = EmbeddingCache(Path(tempfile.gettempdir()) / "qbank-review-cache", model.identity)
    vectors = embed_questions(questions, model, cache, settings.batch_size)
    parts = [(q.stem, " ".join(q.key), " ".join(o for o, key in zip(q.options, q.correct,
                                                                       strict=True) if not key))
             for q in questions]  # fmt: skip
    old = embed([t for p in parts for t in p], model, cache, settings.batch_size)
    cache.save()
    old_combined = np.hstack([old[i::3] * np.sqrt(w) for i, w in enumerate(OLD_WEIGHTS)])
    result = {
        "previous": old_combined @ old_combined.T,
        "shipped": combine(vectors) @ combine(vectors).T,
    }
    fingerprints = [_fingerprint(q) for q in questions]
    below = np.tril(np.ones((len(questions),) * 2, dtype=bool))
    for matrix in result.values():
        matrix[below] = -1
    # The shipped score of a pair is QB402's probability (its search's candidates only).
    candidates = [(int(i), int(j)) for i, j in
                  zip(*np.nonzero(result["shipped"] >= CANDIDATE_FLOOR), strict=True)]  # fmt: skip
    result["shipped"][:] = -1
    for (i, j), probability in zip(candidates, pair_probabilities(vectors, questions, candidates),
                                   strict=True):  # fmt: skip
        result["shipped"][i, j] = probability
    for i, j in _pairs(result):
        if fingerprints[i] == fingerprints[j]:
            for matrix in result.values():
                matrix[i, j] = -1
    return result


def _fingerprint(question: QuestionText) -> str:
    return "\0".join([normalize(question.stem), *sorted(map(normalize, question.options))])


def _pairs(result: dict[str, np.ndarray]) -> Iterator[tuple[int, int]]:
    flagged = (result["previous"] >= OLD_THRESHOLD) | (result["shipped"] >= DEFAULT_THRESHOLD)
    for i, j in zip(*np.nonzero(flagged), strict=True):
        yield int(i), int(j)


def band_of(name: str, score: float) -> str | None:
    for low, high in BANDS[name]:
        if low <= score < high:
            return f"{low:.2f}–{high:.2f}" if high <= 1 else f"≥ {low:.2f}"
    return None


def count(bank: Path) -> None:
    result = scores(read_bank(bank))
    for name, matrix in result.items():
        print(f"{name}: {int((matrix >= BANDS[name][0][0]).sum())} pairs")
        for low, high in BANDS[name]:
            print(f"  {band_of(name, low)}: {int(((matrix >= low) & (matrix < high)).sum())}")


def sample(bank: Path, sheet: Path, per_band: int, seed: int) -> None:
    questions = read_bank(bank)
    result = scores(questions)
    rng = random.Random(seed)
    chosen: set[tuple[int, int]] = set()
    for name, matrix in result.items():
        cells: dict[str, list[tuple[int, int]]] = {}
        for i, j in _pairs(result):
            band = band_of(name, float(matrix[i, j]))
            if band is not None:
                cells.setdefault(band, []).append((i, j))
        for pairs in cells.values():
            chosen.update(rng.sample(pairs, min(per_band, len(pairs))))
    order = sorted(chosen)
    rng.shuffle(order)
    lines = []
    for number, (i, j) in enumerate(order, start=1):
        lines += [f"## Pair {number}", "", *_show(questions[i]), "", "versus", "",
                  *_show(questions[j]), "", "label: ", ""]  # fmt: skip
    sheet.write_text("\n".join(lines), "utf-8")
    key = [{name: float(result[name][i, j]) for name in result} for i, j in order]
    sheet.with_name(sheet.name + ".key.json").write_text(json.dumps(key))
    print(f"{len(order)} pairs written to {sheet}")


def _show(question: QuestionText) -> list[str]:
    marks = ["*" if correct else "-" for correct in question.correct]
    return [question.stem, *(f"  {m} {o}" for m, o in zip(marks, question.options, strict=True))]


def score(sheet: Path) -> None:
    labels = re.findall(r"^label: *(\S*)", sheet.read_text("utf-8"), flags=re.MULTILINE)
    key = json.loads(sheet.with_name(sheet.name + ".key.json").read_text())
    assert len(labels) == len(key) and set(labels) <= LABELS, "label every pair D, C or N"
    for name in BANDS:
        print(f"| {name} | pairs reviewed | duplicates | conflicts | precision |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for low, high in BANDS[name]:
            band = band_of(name, low)
            got = [label for label, s in zip(labels, key, strict=True) if low <= s[name] < high]
            if got:
                print(f"| {band} | {len(got)} | {got.count('D')} | {got.count('C')} | "
                      f"{got.count('D') / len(got):.2f} |")  # fmt: skip
        print()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("count").add_argument("bank", type=Path)
    drawing = commands.add_parser("sample")
    drawing.add_argument("bank", type=Path)
    drawing.add_argument("sheet", type=Path)
    drawing.add_argument("--per-band", type=int, default=10)
    drawing.add_argument("--seed", type=int, default=1)
    commands.add_parser("score").add_argument("sheet", type=Path)
    args = parser.parse_args()
    if args.command == "count":
        count(args.bank)
    elif args.command == "sample":
        sample(args.bank, args.sheet, args.per_band, args.seed)
    else:
        score(args.sheet)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
