"""How likely two questions are near-duplicates (QB402).

similarity = w_stem x cos(stems) + w_key x cos(keys) + w_distractors x cos(distractors),
with the weights below, is one dot product of each question's parts scaled by the square
roots of the weights and concatenated (`combine`), so the whole bank is searched at once
(qbank.dedup.search) for the pairs from CANDIDATE_FLOOR on. Each pair found is then scored
by a logistic regression on the features of qbank.dedup.features (the parts' cosines, how
the keys and options line up, the words the stems and keys share): `pair_probabilities`.
Its coefficients and the default threshold were chosen by nested cross-validation by group
on tests/data/near-duplicates (benchmarks/eval_dedup.py; README, Near-duplicates).

`keys_disagree` (a correct option of one question close to a distractor of the other, and
closer to it than to any of the other's keys) was the previous scoring's veto; the
evaluation and benchmarks/review_pairs.py still measure it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from qbank.dedup.features import candidate_features
from qbank.dedup.text import QuestionText
from qbank.dedup.vectors import QuestionVectors


class Weights(NamedTuple):
    stem: float
    key: float
    distractors: float


WEIGHTS = Weights(stem=0.4, key=0.4, distractors=0.2)
# A key option "is" the other question's distractor from this cosine on, when it is also
# closer to it than to the other's keys by more than the margin.
DISAGREE_COSINE = 0.7
DISAGREE_MARGIN = 0.02


def combine(vectors: QuestionVectors, weights: Weights = WEIGHTS) -> np.ndarray:
    """Rows whose dot products are the weighted sums of the parts' cosines."""
    parts = (vectors.stems, vectors.keys, vectors.distractors)
    scaled = [part * np.float32(np.sqrt(w)) for part, w in zip(parts, weights, strict=True)]
    return np.ascontiguousarray(np.hstack(scaled), dtype=np.float32)


def part_cosines(vectors: QuestionVectors, first: int, second: int) -> tuple[float, float, float]:
    """cos(stems), cos(keys), cos(distractors) of two questions."""
    return (float(vectors.stems[first] @ vectors.stems[second]),
            float(vectors.keys[first] @ vectors.keys[second]),
            float(vectors.distractors[first] @ vectors.distractors[second]))  # fmt: skip


def key_matches(vectors: QuestionVectors, first: int, second: int) -> list[tuple[float, float]]:
    """For each correct option of either question: its best cosine with a distractor of the
    other question, and its best cosine with a correct option of the other."""
    found = []
    for this, other in ((first, second), (second, first)):
        options, correct = vectors.options_of(this)
        other_options, other_correct = vectors.options_of(other)
        if not other_options.shape[0] or other_correct.all():
            continue
        for key in options[correct]:
            to_distractor = float((other_options[~other_correct] @ key).max())
            keyed = other_options[other_correct]
            to_key = float((keyed @ key).max()) if len(keyed) else -1.0
            found.append((to_distractor, to_key))
    return found


def keys_disagree(
    matches: list[tuple[float, float]],
    cosine: float = DISAGREE_COSINE,
    margin: float = DISAGREE_MARGIN,
) -> bool:
    return any(d >= cosine and d - k > margin for d, k in matches)


# QB402's decision. Pairs are found by the weighted similarity from CANDIDATE_FLOOR on, then
# scored by a logistic regression on the features of qbank.dedup.features: the probability
# that the pair is a near-duplicate, which `[tool.qbank.dedup] threshold` cuts. Fitted on
# tests/data/near-duplicates with its L2 penalty and cut-off by benchmarks/eval_dedup.py,
# which prints these values. 94% of the labelled near-duplicates reach the floor; offered
# pairs from 0.35 on, the model flagged none under 0.61, and each pair scored costs time.
CANDIDATE_FLOOR = 0.45
# fmt: off
COEFFICIENTS = np.array([3.043486, 7.975309, -4.468821, 1.593626, 5.115926, 1.049827,
                         4.678045, 1.20799, -2.049549, 2.983506])
# fmt: on
INTERCEPT = -9.898488


def duplicate_probability(features: np.ndarray) -> np.ndarray:
    """The probability of each row of features (qbank.dedup.features.NAMES)."""
    logits = np.atleast_2d(features) @ COEFFICIENTS + INTERCEPT
    return 1.0 / (1.0 + np.exp(-np.clip(logits, -50.0, 50.0)))


def pair_probabilities(
    vectors: QuestionVectors, texts: Sequence[QuestionText], pairs: Sequence[tuple[int, int]]
) -> np.ndarray:
    """QB402's probability for each pair of rows."""
    if not pairs:
        return np.zeros(0)
    weights = np.asarray(WEIGHTS)
    rows = []
    for first, second in pairs:
        cosines = part_cosines(vectors, first, second)
        similarity = float(np.dot(cosines, weights))
        rows.append(candidate_features(vectors, texts, cosines, similarity, first, second))
    return duplicate_probability(np.array(rows))
