"""How far one model's similarities are from another's: a converted model against the
sentence-transformers reference (tests/test_dedup_onnx.py, benchmarks/bench_model_asset.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from qbank.dedup.cache import EmbeddingCache
from qbank.dedup.embed import embed, embed_parts
from qbank.dedup.evaluate import LabelledPair, paired_cosines
from qbank.dedup.model import ModelRef
from qbank.dedup.text import Parts

BATCH = 32


@dataclass(frozen=True)
class PairSimilarities:
    parts: np.ndarray  # pairs x 3: the cosines of the stems, keys and distractors
    combined: np.ndarray  # the similarity QB402 compares with the threshold


def pair_similarities(pairs: Sequence[LabelledPair], model: ModelRef) -> PairSimilarities:
    """Each pair's part cosines and combined similarity, every text embedded once."""
    cache = EmbeddingCache(None, model.identity)
    firsts = [pair.first.parts() for pair in pairs]
    seconds = [pair.second.parts() for pair in pairs]
    parts = [
        paired_cosines(embed([q[part] for q in firsts], model, cache, BATCH),
                       embed([q[part] for q in seconds], model, cache, BATCH))
        for part in range(3)
    ]  # fmt: skip
    combined = paired_cosines(embed_parts(firsts, model, cache, BATCH),
                              embed_parts(seconds, model, cache, BATCH))  # fmt: skip
    return PairSimilarities(np.array(parts).T, np.asarray(combined))


def all_pair_similarities(questions: Sequence[Parts], model: ModelRef) -> np.ndarray:
    """The combined similarity of every pair of `questions` (upper triangle, row-major)."""
    vectors = embed_parts(list(questions), model, EmbeddingCache(None, model.identity), BATCH)
    return (vectors @ vectors.T)[np.triu_indices(len(questions), 1)]


@dataclass(frozen=True)
class Difference:
    max_abs: float
    p99_abs: float
    verdicts_changed: int  # pairs on the other side of the threshold
    near_threshold: int  # reference pairs closer to the threshold than max_abs

    @classmethod
    def between(cls, actual: np.ndarray, reference: np.ndarray, threshold: float) -> Difference:
        delta = np.abs(actual - reference)
        changed = (actual >= threshold) != (reference >= threshold)
        at_risk = np.abs(reference - threshold) <= delta.max()
        return cls(float(delta.max()), float(np.percentile(delta, 99)), int(changed.sum()),
                   int(at_risk.sum()))  # fmt: skip
