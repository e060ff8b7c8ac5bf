"""Score QB402 near-duplicate and QB406 conflicting-key on the labelled pairs.

    python benchmarks/eval_dedup.py [--pairs tests/data/near-duplicates]

QB402: the whole choice (weights of stem, key and distractors; the key-disagreement test;
the threshold) is made by qbank.dedup.evaluate.choose (the highest recall at precision 0.95,
else the best F0.5) and judged by 5-fold cross-validation by group. Printed: the
cross-validated precision, recall and F1, the settings each fold chose, the precision per
similarity band and the negatives wrongly flagged per kind (both held out), the figures per
subject, the setting chosen on all pairs (what qbank ships), and baselines scored the same
way with only the threshold chosen: the previous scoring (three texts, 0.4/0.4/0.2; also at
its old default 0.65), TF-IDF and MinHash on the same three texts. QB406: the stem and
option cosines chosen by best F0.5, cross-validated likewise.

Also measured, not shipped (README, Near-duplicates): a logistic regression on the features
of qbank.dedup.features (part cosines, key margin, aligned options, word overlap, margin over
the neighbourhood), its L2 penalty and probability cut-off chosen by inner folds by group
inside each outer fold; with and without the key-disagreement veto; held-out precision per
probability band and per subject; and its fit on all pairs.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np

from qbank.dedup.cache import EmbeddingCache
from qbank.dedup.conflicts import OPTION_COSINE, STEM_COSINE
from qbank.dedup.embed import embed
from qbank.dedup.evaluate import (
    FOLDS,
    PREVIOUS,
    LabelledPair,
    LabelledQuestion,
    choose_conflict_test,
    choose_learned,
    conflicts_predicted,
    cross_validate,
    cross_validate_learned,
    disagreeing,
    folds_of,
    held_out,
    load_pairs,
    pair_features,
    predict_shipped,
    scores_of,
    with_margins,
)
from qbank.dedup.features import NAMES
from qbank.dedup.model import resolve_model
from qbank.dedup.settings import DEFAULT_MODEL, DEFAULT_THRESHOLD, DedupSettings

REPO = Path(__file__).resolve().parent.parent
BANDS = ((0.0, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.01))
OLD_WEIGHTS, OLD_THRESHOLD = (0.4, 0.4, 0.2), 0.65

Measure = Callable[[list[str], list[str]], np.ndarray]


def old_parts(question: LabelledQuestion) -> tuple[str, str, str]:
    """The previous representation: stem, key and distractors as three texts."""
    text = question.text()
    distractors = [o for o, correct in zip(text.options, text.correct, strict=True) if not correct]
    return text.stem, " ".join(text.key), " ".join(distractors)


def embedding_cosines(first: list[str], second: list[str]) -> np.ndarray:
    model = resolve_model(DEFAULT_MODEL, REPO)
    cache = EmbeddingCache(None, model.identity)
    batch = DedupSettings().batch_size
    a, b = embed(first, model, cache, batch), embed(second, model, cache, batch)
    return np.einsum("ij,ij->i", a, b)


def tfidf_cosines(first: list[str], second: list[str]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(sublinear_tf=True).fit(first + second)
    a, b = vectorizer.transform(first), vectorizer.transform(second)  # rows are unit length
    return np.asarray(a.multiply(b).sum(axis=1)).ravel()


def minhash_jaccards(first: list[str], second: list[str]) -> np.ndarray:
    from datasketch import MinHash

    signatures: dict[str, MinHash] = {}

    def signature(text: str) -> MinHash:
        if text not in signatures:
            minhash = MinHash(num_perm=256, seed=1)
            minhash.update_batch([w.encode() for w in set(re.findall(r"\w+", text.lower()))])
            signatures[text] = minhash
        return signatures[text]

    pairs = zip(first, second, strict=True)
    return np.array([signature(a).jaccard(signature(b)) for a, b in pairs])


BASELINES: dict[str, Measure] = {
    "previous scoring: embeddings of 3 texts, 0.4/0.4/0.2": embedding_cosines,
    "TF-IDF cosine, same 3 texts and weights": tfidf_cosines,
    "MinHash Jaccard, same 3 texts and weights": minhash_jaccards,
}


def old_similarities(measure: Measure, pairs: list[LabelledPair]) -> np.ndarray:
    first, second = [old_parts(p.first) for p in pairs], [old_parts(p.second) for p in pairs]
    total = np.zeros(len(pairs))
    for part, weight in enumerate(OLD_WEIGHTS):
        total += weight * measure([t[part] for t in first], [t[part] for t in second])
    return total


def threshold_cv(sims: np.ndarray, labels: np.ndarray, pairs: list[LabelledPair]) -> np.ndarray:
    """Held-out predictions with only the threshold chosen (as qbank's) on the other folds."""
    from qbank.dedup.evaluate import THRESHOLDS, selection_objective

    def best(mask: np.ndarray) -> float:
        values = []
        for t in THRESHOLDS:
            s = scores_of(sims[mask] >= t, labels[mask])
            values.append(float(selection_objective(np.array(s.precision), np.array(s.recall))))
        return THRESHOLDS[len(values) - 1 - int(np.argmax(values[::-1]))]

    predicted = np.zeros(len(labels), dtype=bool)
    for choosing, judged in folds_of(pairs):
        predicted[judged] = sims[judged] >= best(choosing)
    return predicted


def row(name: str, predicted: np.ndarray, labels: np.ndarray) -> str:
    s = scores_of(predicted, labels)
    return f"| {name} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.flagged} |"


def band_table(
    scores: np.ndarray, predicted: np.ndarray, labels: np.ndarray, name: str = "Similarity"
) -> list[str]:
    lines = [f"| {name} | Flagged | Near-duplicates among them | Precision |",
             "| --- | ---: | ---: | ---: |"]  # fmt: skip
    for low, high in BANDS:
        inside = predicted & (scores >= low) & (scores < high)
        if inside.any():
            right = int((inside & labels).sum())
            label = f"≥ {low:.2f}" if high > 1 else f"{low:.2f}–{high:.2f}"
            lines.append(
                f"| {label} | {int(inside.sum())} | {right} | {right / inside.sum():.3f} |"
            )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=Path, default=REPO / "tests/data/near-duplicates")
    args = parser.parse_args()
    every = load_pairs(args.pairs)
    pairs = [p for p in every if p.duplicate is not None]
    labels = np.array([bool(p.duplicate) for p in pairs])
    groups = {p.group for p in pairs}
    subjects = Counter(p.subject for p in pairs)
    print(f"{len(pairs)} labelled pairs in {len(groups)} groups: {int(labels.sum())} "
          f"near-duplicates, {int((~labels).sum())} not; by subject: "
          + ", ".join(f"{s} {n}" for s, n in sorted(subjects.items())) + "\n")  # fmt: skip

    features = pair_features(pairs, DedupSettings(), REPO)
    predicted, chosen = cross_validate_learned(features.learned, labels, pairs)
    print(f"## QB402, the whole choice cross-validated ({FOLDS} folds by group, nested)\n")
    print("| Scoring | Precision | Recall | F1 | Flagged |\n| --- | ---: | ---: | ---: | ---: |")
    print(row("qbank: logistic regression, penalty and cut-off chosen on the other folds",
              predicted, labels))  # fmt: skip
    previous, previous_chosen = cross_validate(features, labels, pairs)
    print(row("previous: weights, key test and threshold chosen on the other folds",
              previous, labels))  # fmt: skip
    for name, measure in BASELINES.items():
        sims = old_similarities(measure, pairs)
        print(row(f"{name}, threshold chosen on the other folds",
                  threshold_cv(sims, labels, pairs), labels))  # fmt: skip
        if measure is embedding_cosines:
            print(row(f"{name}, old default {OLD_THRESHOLD}", sims >= OLD_THRESHOLD, labels))
    print("\nChosen per fold: " + "; ".join(m.describe() for m in chosen)
          + "\nprevious scoring: " + "; ".join(s.describe() for s in previous_chosen))  # fmt: skip

    probabilities = np.zeros(len(pairs))
    for model, (_, in_fold) in zip(chosen, folds_of(pairs), strict=True):
        probabilities[in_fold] = model.probabilities(features.learned[in_fold])
    print("\n### Precision per band of probability and of weighted similarity (held out)\n")
    print("\n".join(band_table(probabilities, predicted, labels, "Probability")) + "\n")
    print("\n".join(band_table(np.nan_to_num(features.learned[:, 0]), predicted, labels)))
    print("\n### Negatives wrongly flagged, by kind (held out)\n")
    print("| Kind | Pairs | Flagged |\n| --- | ---: | ---: |")
    kinds = np.array([p.kind for p in pairs])
    for kind in sorted(set(kinds[~labels])):
        mask = (kinds == kind) & ~labels
        print(f"| {kind} | {int(mask.sum())} | {int((predicted & mask).sum())} |")
    print("\n### By subject (held out)\n")
    print("| Subject | Precision | Recall | F1 | Flagged |\n| --- | ---: | ---: | ---: | ---: |")
    names = np.array([p.subject for p in pairs])
    for subject in sorted(subjects):
        mask = names == subject
        print(row(subject, predicted[mask], labels[mask]))

    fitted = choose_learned(features.learned, labels, np.ones(len(pairs), dtype=bool), pairs)
    print(f"\nFitted on all pairs: {fitted.describe()} (qbank.dedup.scoring, DEFAULT_THRESHOLD)")
    print(f"COEFFICIENTS = {np.round(fitted.coefficients, 6).tolist()}")
    print(f"INTERCEPT = {fitted.intercept:.6f}  # features: {', '.join(NAMES)}")
    print("\nShipped coefficients at other thresholds, on all pairs (not held out):\n")
    print("| Threshold | Precision | Recall | F1 | Flagged |\n| ---: | ---: | ---: | ---: | ---: |")
    for threshold in sorted({DEFAULT_THRESHOLD, 0.5, 0.6, 0.7, 0.8, 0.9}):
        print(row(f"{threshold:.2f}", predict_shipped(features, threshold), labels))

    print("\n### Measured, not shipped (README: reports pairs with other keys in questions/)\n")
    print("| Decision | Precision | Recall | F1 | Flagged |\n| --- | ---: | ---: | ---: | ---: |")
    veto = disagreeing(features, PREVIOUS.disagreement)
    for name, matrix in (("qbank's features", features.learned),
                         ("+ margin over the 10 nearest", with_margins(features))):  # fmt: skip
        for vetoed in (None, veto):
            held, _ = cross_validate_learned(matrix, labels, pairs, vetoed)
            suffix = ", key-disagreement veto" if vetoed is not None else ""
            print(row(name + suffix, held, labels))

    # The set labels the same pairs for both rules.
    conflict_pairs, conflict_features = pairs, features
    conflict_labels = np.array([bool(p.conflict) for p in conflict_pairs])
    held, tests = held_out(
        conflict_pairs,
        lambda mask: choose_conflict_test(conflict_features, conflict_labels, mask),
        lambda test: conflicts_predicted(conflict_features, test),
    )
    c = scores_of(held, conflict_labels)
    print(f"\n## QB406, {int(conflict_labels.sum())} conflicts among {len(conflict_pairs)} pairs\n")
    print(f"Cross-validated: precision {c.precision:.3f}, recall {c.recall:.3f}, F1 {c.f1:.3f}; "
          "chosen per fold (stem, option cosine): "
          + ", ".join(f"{a:.2f}/{b:.2f}" for a, b in tests))  # fmt: skip
    best = choose_conflict_test(conflict_features, conflict_labels,
                                np.ones(len(conflict_pairs), dtype=bool))  # fmt: skip
    print(f"Chosen on all pairs: {best[0]:.2f}/{best[1]:.2f}; shipped: "
          f"{STEM_COSINE:.2f}/{OPTION_COSINE:.2f}")  # fmt: skip
    judged = zip(conflict_pairs, held, conflict_labels, strict=True)
    wrong = Counter(p.kind for p, flagged, right in judged if flagged and not right)
    print(
        "Wrongly flagged (held out): " + (", ".join(f"{k} {n}" for k, n in wrong.items()) or "none")
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
