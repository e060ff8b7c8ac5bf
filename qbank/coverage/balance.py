"""The fewest questions to add so that every section's share is within tolerance of its weight."""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

from qbank.coverage.apportion import exact


def off_weight(actual: int, total: int, weight: float, tolerance: float) -> bool:
    """Whether `actual` of `total` questions is more than `tolerance` points from `weight`%."""
    if total <= 0:
        return False
    return abs(Fraction(100 * actual, total) - exact(weight)) > exact(tolerance)


def additions_to_fit(
    counts: Sequence[int], weights: Sequence[float], tolerance: float
) -> list[int] | None:
    """Questions to add to each section (fewest in total) so that no section is off its weight.

    Questions are only added, never removed: a section above its weight is brought down by
    adding to the others. None when no addition can do it (a tolerance of zero, say).
    """
    tol = exact(tolerance)
    if tol <= 0 or not counts:
        return None
    percents = [exact(w) for w in weights]  # the guide's weights sum to 100
    existing = sum(counts)
    # Below this total a section already holds more than weight + tolerance allows.
    start = max(
        [existing] + [math.ceil(100 * c / (p + tol)) for c, p in zip(counts, percents, strict=True)]
    )
    # From 100 (existing + sections) / tolerance on, every section's interval holds a whole
    # number at or above its count and the intervals' bounds sum around the total: a fit exists.
    last = max(start, math.ceil(100 * (existing + len(counts)) / tol))
    for total in range(start, last + 1):
        fitted = _fit(counts, percents, tol, total)
        if fitted is not None:
            return [f - c for f, c in zip(fitted, counts, strict=True)]
    return None


def _fit(
    counts: Sequence[int], percents: list[Fraction], tol: Fraction, total: int
) -> list[int] | None:
    """Section counts that sum to `total`, are within tolerance and never below `counts`."""
    lows = [math.ceil(total * (p - tol) / 100) for p in percents]
    lows = [max(low, count) for low, count in zip(lows, counts, strict=True)]
    highs = [math.floor(total * (p + tol) / 100) for p in percents]
    if any(lo > hi for lo, hi in zip(lows, highs, strict=True)):
        return None
    if not sum(lows) <= total <= sum(highs):
        return None
    fitted = list(lows)
    for _ in range(total - sum(lows)):  # the rest where a section is furthest below its target
        room = [i for i in range(len(fitted)) if fitted[i] < highs[i]]
        chosen = max(room, key=lambda i: (total * percents[i] / 100 - fitted[i], -i))
        fitted[chosen] += 1
    return fitted
