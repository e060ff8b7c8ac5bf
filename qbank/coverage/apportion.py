"""Largest-remainder apportionment: whole numbers of questions in proportion to weights."""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction


def exact(value: float) -> Fraction:
    """The decimal a weight was written as (12.1 stays 121/10, not its binary neighbour)."""
    return Fraction(repr(value))


def quotas(size: int, weights: Sequence[float]) -> list[Fraction]:
    """Each part's exact share of `size` seats."""
    exact_weights = [exact(w) for w in weights]
    total = sum(exact_weights)
    return [size * w / total for w in exact_weights]


def apportion(size: int, weights: Sequence[float]) -> list[int]:
    """`size` seats over `weights` by largest remainder (ties go to the earlier part).

    Every part gets at least one seat when `size` allows it (size >= number of parts). Each
    count is then within 1 of its exact quota whenever that is possible at all; only when the
    minimum of one seat forces more seats than `size` does a large part give some back.
    """
    if size < 0:
        raise ValueError("size must not be negative")
    if not weights:
        return []
    exact_quotas = quotas(size, weights)
    minimum = 1 if size >= len(weights) else 0
    counts = [max(math.floor(q), minimum) for q in exact_quotas]
    for _ in range(sum(counts) - size):  # only when minimums overfill the seats
        donors = [i for i, c in enumerate(counts) if c > max(minimum, 1)]
        donor = max(donors, key=lambda i: (counts[i] - exact_quotas[i], -i))
        counts[donor] -= 1
    spare = size - sum(counts)  # fewer than the parts: each residual is below 1
    by_remainder = sorted(range(len(counts)), key=lambda i: (counts[i] - exact_quotas[i], i))
    for index in by_remainder[:spare]:
        counts[index] += 1
    return counts
