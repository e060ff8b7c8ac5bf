"""Score near-duplicate detection on the labelled pairs and print it beside two baselines.

    python benchmarks/eval_dedup.py [--pairs tests/data/near-duplicates.yaml]

Three measures (embeddings of the default model, TF-IDF cosine, MinHash Jaccard), each on
three representations of a question: stem + correct options as one text, stem + all
options as one text, and stem, key and distractors compared separately and weighted
0.4/0.4/0.2 (what qbank ships). For each: precision, recall and F1 at the threshold with the
best F1 on all pairs, and F1 cross-validated by group (each fold judged with a threshold
chosen on the other folds). Then the shipped measure at the shipped default threshold.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np

from qbank.dedup.cache import EmbeddingCache
from qbank.dedup.embed import embed
from qbank.dedup.evaluate import (
    LabelledPair,
    best_threshold,
    cross_validated,
    load_pairs,
    model_similarities,
    paired_cosines,
    score_at,
)
from qbank.dedup.model import resolve_model
from qbank.dedup.settings import DEFAULT_MODEL, DEFAULT_THRESHOLD, DedupSettings
from qbank.dedup.text import WEIGHTS

REPO = Path(__file__).resolve().parent.parent
SHIPPED = "stem, key, distractors (0.4/0.4/0.2)"

Measure = Callable[[list[str], list[str]], list[float]]


def embedding_cosines(first: list[str], second: list[str]) -> list[float]:
    model = resolve_model(DEFAULT_MODEL, REPO)
    cache = EmbeddingCache(None, model.identity)
    batch = DedupSettings().batch_size
    return paired_cosines(embed(first, model, cache, batch), embed(second, model, cache, batch))


def tfidf_cosines(first: list[str], second: list[str]) -> list[float]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(sublinear_tf=True).fit(first + second)
    a, b = vectorizer.transform(first), vectorizer.transform(second)  # rows are unit length
    return np.asarray(a.multiply(b).sum(axis=1)).ravel().astype(float).tolist()


def minhash_jaccards(first: list[str], second: list[str]) -> list[float]:
    from datasketch import MinHash

    def signature(text: str) -> MinHash:
        minhash = MinHash(num_perm=256, seed=1)
        minhash.update_batch([word.encode() for word in set(re.findall(r"\w+", text.lower()))])
        return minhash

    return [signature(a).jaccard(signature(b)) for a, b in zip(first, second, strict=True)]


MEASURES: dict[str, Measure] = {
    "embeddings, all-MiniLM-L6-v2": embedding_cosines,
    "TF-IDF cosine (baseline)": tfidf_cosines,
    "MinHash Jaccard (baseline)": minhash_jaccards,
}


def similarities(measure: Measure, representation: str, pairs: list[LabelledPair]) -> list[float]:
    if representation != SHIPPED:
        distractors = representation == "stem + all options"
        return measure([p.first.text(distractors) for p in pairs],
                       [p.second.text(distractors) for p in pairs])  # fmt: skip
    total = np.zeros(len(pairs))
    for index, weight in enumerate(WEIGHTS):
        part = measure([p.first.parts()[index] for p in pairs],
                       [p.second.parts()[index] for p in pairs])  # fmt: skip
        total += weight * np.asarray(part)
    return total.tolist()  # type: ignore[no-any-return]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=Path, default=REPO / "tests/data/near-duplicates.yaml")
    args = parser.parse_args()
    pairs = load_pairs(args.pairs)
    labels, groups = [p.duplicate for p in pairs], [p.group for p in pairs]
    positives = sum(labels)
    print(f"{len(pairs)} labelled pairs: {positives} near-duplicates, "
          f"{len(pairs) - positives} hard negatives\n")  # fmt: skip
    print("| Measure | Representation | Best threshold | Precision | Recall | F1 | F1, 5-fold CV |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for name, measure in MEASURES.items():
        for representation in ("stem + correct options", "stem + all options", SHIPPED):
            sims = similarities(measure, representation, pairs)
            best, held_out = best_threshold(sims, labels), cross_validated(sims, labels, groups)
            print(f"| {name} | {representation} | {best.threshold:.2f} | {best.precision:.3f} | "
                  f"{best.recall:.3f} | {best.f1:.3f} | {held_out.f1:.3f} |")  # fmt: skip
    shipped_similarities = model_similarities(pairs, DedupSettings(), REPO)
    shipped = score_at(shipped_similarities, labels, DEFAULT_THRESHOLD)
    print(
        f"\nqbank as shipped ({SHIPPED}, threshold {DEFAULT_THRESHOLD:.2f}): "
        f"precision {shipped.precision:.3f}, recall {shipped.recall:.3f}, F1 {shipped.f1:.3f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
