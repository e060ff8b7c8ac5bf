"""Largest-remainder apportionment and the fewest additions that bring a bank within tolerance."""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qbank.coverage.apportion import apportion, quotas
from qbank.coverage.balance import additions_to_fit, off_weight

PMLE_WEIGHTS = [12, 16, 18, 19, 21, 14]
SKEWED_WEIGHTS = [40, 30, 12.5, 10, 5, 2.5]


def _within_one(counts: list[int], exact: list[Fraction]) -> bool:
    return all(abs(count - quota) < 1 for count, quota in zip(counts, exact, strict=True))


@pytest.mark.parametrize("weights", [PMLE_WEIGHTS, [50, 50], [100]])
def test_sizes_1_to_200_follow_the_weights(weights: list[float]) -> None:
    for size in range(1, 201):
        counts = apportion(size, weights)
        assert sum(counts) == size, size
        assert _within_one(counts, quotas(size, weights)), (size, counts)
        if size >= len(weights):
            assert min(counts) >= 1, (size, counts)


def test_skewed_weights_keep_one_per_section_first() -> None:
    # 2.4 questions for the 40% section at size 6: one each leaves it 1.4 below its quota
    for size in range(1, 201):
        counts = apportion(size, SKEWED_WEIGHTS)
        assert sum(counts) == size
        assert size < 6 or min(counts) >= 1
        assert size < 20 or _within_one(counts, quotas(size, SKEWED_WEIGHTS)), (size, counts)
    assert apportion(6, SKEWED_WEIGHTS) == [1] * 6


def test_largest_remainders_get_the_spare_seats() -> None:
    # quotas 6, 8, 9, 9.5, 10.5, 7: the two halves tie and both round up... there is one seat
    # for two equal remainders, so the earlier section gets it
    assert apportion(50, PMLE_WEIGHTS) == [6, 8, 9, 10, 10, 7]
    assert apportion(10, [45, 35, 20]) == [5, 3, 2]  # remainders .5, .5, 0 -> first wins
    assert apportion(10, [44, 36, 20]) == [4, 4, 2]  # remainders .4, .6 -> second wins


def test_small_sizes_give_each_section_one_when_they_can() -> None:
    assert apportion(6, [90, 2, 2, 2, 2, 2]) == [1, 1, 1, 1, 1, 1]
    assert apportion(7, [90, 2, 2, 2, 2, 2]) == [2, 1, 1, 1, 1, 1]
    assert apportion(2, [90, 5, 5]) == [2, 0, 0]  # fewer seats than sections: no minimum
    # the minimum cannot keep the big section within 1 of 2.94 here: it wins over the quota
    assert apportion(3, [98, 1, 1]) == [1, 1, 1]
    assert apportion(0, PMLE_WEIGHTS) == [0] * 6


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(1, 60), min_size=1, max_size=8),
    st.integers(0, 300),
)
def test_apportionment_properties(raw_weights: list[int], size: int) -> None:
    weights = [100 * w / sum(raw_weights) for w in raw_weights]
    counts = apportion(size, weights)
    exact = quotas(size, weights)
    assert sum(counts) == size and min(counts) >= 0
    if size >= len(weights):
        assert min(counts) >= 1
    floors_with_minimum = sum(max(int(q), 1 if size >= len(weights) else 0) for q in exact)
    if floors_with_minimum <= size:  # within 1 of every quota is possible: it is achieved
        assert _within_one(counts, exact)


def _fits(counts: list[int], weights: list[float], tolerance: float) -> bool:
    total = sum(counts)
    return not any(off_weight(c, total, w, tolerance) for c, w in zip(counts, weights, strict=True))


def test_off_weight_is_exact_at_the_boundary() -> None:
    assert not off_weight(11, 20, 50, 5)  # 55.0%: exactly 5 points, not more
    assert off_weight(12, 20, 50, 5)
    assert not off_weight(0, 0, 50, 5)  # an empty bank has no shares


def test_additions_for_an_off_balance_bank() -> None:
    # 40/5/5 against 50/30/20: 15 more in section 2 and 8 in section 3 make 40/20/13 of 73
    assert additions_to_fit([40, 5, 5], [50, 30, 20], 5) == [0, 15, 8]
    assert _fits([40, 20, 13], [50, 30, 20], 5)
    assert additions_to_fit([30, 0], [50, 50], 5) == [0, 25]
    assert additions_to_fit([14, 19, 22, 23, 25, 17], PMLE_WEIGHTS, 5) == [0] * 6
    assert additions_to_fit([3, 1], [50, 50], 0) is None


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(0, 12), min_size=2, max_size=3),
    st.lists(st.integers(1, 10), min_size=3, max_size=3),
    st.sampled_from([2.5, 5.0, 10.0]),
)
def test_additions_fit_and_are_the_fewest(
    counts: list[int], raw_weights: list[int], tolerance: float
) -> None:
    raw = raw_weights[: len(counts)]
    weights = [float(Fraction(100 * w, sum(raw))) for w in raw]
    weights[-1] = 100 - sum(weights[:-1])
    additions = additions_to_fit(counts, weights, tolerance)
    assert additions is not None and min(additions) >= 0
    fitted = [c + a for c, a in zip(counts, additions, strict=True)]
    assert _fits(fitted, weights, tolerance)
    # brute force (where it is quick): no smaller number of additions, spread in any way, fits
    for fewer in range(min(sum(additions), 40)):
        for split in itertools.product(range(fewer + 1), repeat=len(counts)):
            if sum(split) == fewer:
                more = [c + s for c, s in zip(counts, split, strict=True)]
                assert not _fits(more, weights, tolerance)
