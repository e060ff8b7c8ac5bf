"""Two questions that ask the same thing with different keys (QB406).

Same thing: the stems' cosine is at least STEM_COSINE, and the options line up one to one:
each option is matched, greedily and best first, with an option of the other question, as
many options on both sides, and the weakest match has a cosine of at least OPTION_COSINE.
Different keys: the options matched with one question's correct options are not the other
question's correct options. Both values were chosen on the labelled conflicts of
tests/data/near-duplicates (benchmarks/eval_dedup.py).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from qbank.dedup.vectors import QuestionVectors

STEM_COSINE = 0.9
OPTION_COSINE = 0.85


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
    taken: set[int] = set()
    weakest = 1.0
    for flat in np.argsort(-scores, axis=None, kind="stable").tolist():
        row, column = divmod(flat, len(theirs))
        if match[row] < 0 and column not in taken:
            match[row] = column
            taken.add(column)
            weakest = min(weakest, float(scores[row, column]))
    keyed = {match[row] for row in np.flatnonzero(my_keys).tolist()}
    differ = keyed != set(np.flatnonzero(their_keys).tolist())
    return Alignment(float(vectors.stems[first] @ vectors.stems[second]), weakest, differ)


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
