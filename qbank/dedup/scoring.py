"""How similar two questions are (QB402), and when their keys disagree.

similarity = w_stem x cos(stems) + w_key x cos(keys) + w_distractors x cos(distractors),
with the weights below, is one dot product of each question's parts scaled by the square
roots of the weights and concatenated (`combine`), so the whole bank is searched at once
(qbank.dedup.search). A pair found is then dropped when the keys disagree: a correct option
of one question is close to a distractor of the other (cosine DISAGREE_COSINE or more) and
closer to it than to any of the other's correct options (by more than DISAGREE_MARGIN:
options that differ in a word or two are no evidence either way). Such a pair is the same scenario
with another answer, or a question with the same option list asking another thing; when
the stems and options are the same, QB406 reports it as a conflict.

The weights, the disagreement test and the default threshold were chosen together by
cross-validation on tests/data/near-duplicates (benchmarks/eval_dedup.py; README,
Near-duplicates).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

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
