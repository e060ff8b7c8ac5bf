"""How far one model's similarities are from another's: a converted model against the
sentence-transformers reference (tests/test_dedup_onnx.py, benchmarks/bench_model_asset.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from qbank.dedup.cache import EmbeddingCache
from qbank.dedup.conflicts import OPTION_COSINE, STEM_COSINE
from qbank.dedup.evaluate import (
    LabelledPair,
    conflicts_predicted,
    features_with,
    predict_shipped,
    shipped_probabilities,
)
from qbank.dedup.model import ModelRef
from qbank.dedup.scoring import combine
from qbank.dedup.text import QuestionText
from qbank.dedup.vectors import embed_questions

BATCH = 32


@dataclass(frozen=True)
class PairSimilarities:
    parts: np.ndarray  # pairs x 3: the cosines of the stems, keys and distractors
    combined: np.ndarray  # the probability QB402 compares with the threshold
    duplicate: np.ndarray  # QB402's verdict at the default threshold
    conflict: np.ndarray  # QB406's verdict


def pair_similarities(pairs: Sequence[LabelledPair], model: ModelRef) -> PairSimilarities:
    """Each pair's cosines, similarity and verdicts, every question embedded once."""
    features = features_with(pairs, model, BATCH)
    return PairSimilarities(
        parts=features.cosines,
        combined=shipped_probabilities(features),
        duplicate=predict_shipped(features),
        conflict=conflicts_predicted(features, (STEM_COSINE, OPTION_COSINE)),
    )


def all_pair_similarities(questions: Sequence[QuestionText], model: ModelRef) -> np.ndarray:
    """The weighted similarity (QB402's candidate search, not its probability) of every pair
    of `questions` (upper triangle, row-major)."""
    vectors = combine(
        embed_questions(questions, model, EmbeddingCache(None, model.identity), BATCH)
    )
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
