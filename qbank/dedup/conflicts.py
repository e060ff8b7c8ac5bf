"""Two questions that ask the same thing with different keys (QB406).

Same thing: the stems' cosine is at least STEM_COSINE, and the options line up one to one:
each option is matched, greedily and best first, with an option of the other question, as
many options on both sides, and the weakest match has a cosine of at least OPTION_COSINE.
Different keys: the options matched with one question's correct options are not the other
question's correct options. Both values were chosen on the labelled conflicts of
tests/data/near-duplicates (benchmarks/eval_dedup.py). A key matched with one of two
nearly identical options (closer to it than to the other's key by less than KEY_MARGIN)
is no evidence of another key: real banks have options that differ in a word or two.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from qbank.dedup.features import greedy_match
from qbank.dedup.vectors import QuestionVectors

STEM_COSINE = 0.9
OPTION_COSINE = 0.85
KEY_MARGIN = 0.02


class Alignment(NamedTuple):
    stem_cosine: float
    weakest_option: float  # the lowest cosine among the matched options
    keys_differ: bool


def align(vectors: QuestionVectors, first: int, second: int) -> Alignment | None:
    """How two questions' stems and options line up; None when their option counts differ."""
    mine, my_keys = vectors.options_of(first)
    theirs, their_keys = vectors.options_of(second)
    if len(mine) != len(theirs) or not len(mine):
        return None
    scores = mine @ theirs.T
    match = [-1] * len(mine)
    for row, column in greedy_match(scores):
        match[row] = column
    weakest = min(float(scores[row, column]) for row, column in enumerate(match))
    keys = set(np.flatnonzero(their_keys).tolist())
    differ = any(
        match[row] not in keys and _clearly_closer(scores[row], match[row], keys)
        for row in np.flatnonzero(my_keys).tolist()
    ) or len({match[row] for row in np.flatnonzero(my_keys).tolist()}) != len(keys)
    return Alignment(float(vectors.stems[first] @ vectors.stems[second]), weakest, differ)


def _clearly_closer(scores: np.ndarray, column: int, keys: set[int]) -> bool:
    """Whether a key is closer to its match `column` than to every key of the other
    question by at least KEY_MARGIN."""
    nearest_key = max((float(scores[k]) for k in keys), default=-1.0)
    return float(scores[column]) - nearest_key >= KEY_MARGIN


def is_conflict(
    alignment: Alignment | None,
    stem_cosine: float = STEM_COSINE,
    option_cosine: float = OPTION_COSINE,
) -> bool:
    return (
        alignment is not None
        and alignment.keys_differ
        and alignment.stem_cosine >= stem_cosine
        and alignment.weakest_option >= option_cosine
    )
