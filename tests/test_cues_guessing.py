"""The guesser's arithmetic: ties, all-or-nothing multiple answers, chance and significance."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qbank.cues.guessing import EXACT_GRID_LIMIT, Guess, Tally, guess, upper_tail


def test_a_unique_longest_key_scores_one_against_a_quarter() -> None:
    outcome = guess("q", [10, 40, 20, 30], [1])
    assert outcome is not None
    assert (outcome.score, outcome.chance, outcome.ways) == (1.0, 0.25, 1)
    assert outcome.margin == 10


def test_a_tie_at_the_top_splits_the_score() -> None:
    shared = guess("q", [40, 40, 20, 30], [1])
    assert shared is not None and (shared.score, shared.ways) == (0.5, 2)
    missed = guess("q", [40, 40, 20, 30], [3])
    assert missed is not None and missed.score == 0.0


def test_options_all_alike_give_no_guess() -> None:
    assert guess("q", [5, 5, 5, 5], [0]) is None


def test_multiple_answers_score_only_the_exact_set() -> None:
    exact = guess("q", [9, 8, 1, 2, 3], [0, 1])
    assert exact is not None and (exact.score, exact.chance) == (1.0, 0.1)
    half_right = guess("q", [9, 8, 1, 2, 3], [0, 4])
    assert half_right is not None and half_right.score == 0.0


def test_a_tie_at_the_boundary_of_a_multiple_answer_pick_is_broken_at_random() -> None:
    # The first key is surely picked; the second seat goes to one of three tied options.
    outcome = guess("q", [9, 5, 5, 5, 1], [0, 2])
    assert outcome is not None and (outcome.score, outcome.ways) == (pytest.approx(1 / 3), 3)
    assert guess("q", [9, 5, 5, 5, 1], [0, 4]).score == 0.0  # type: ignore[union-attr]


@given(
    st.lists(st.integers(0, 3), min_size=3, max_size=6),
    st.integers(1, 3),
)
def test_over_every_key_placement_the_guesser_averages_chance(
    preference: list[int], picks: int
) -> None:
    """If keys ignore the cue, the expected score is chance whatever the ties: the premise of
    every excess the report shows."""
    if picks >= len(preference):
        return
    placements = list(itertools.combinations(range(len(preference)), picks))
    outcomes = [guess("q", [float(p) for p in preference], list(keys)) for keys in placements]
    if any(o is None for o in outcomes):
        assert all(o is None for o in outcomes)
        return
    average = sum(o.score for o in outcomes if o) / len(placements)
    assert average == pytest.approx(1 / math.comb(len(preference), picks))


def _exact_by_enumeration(guesses: list[Guess]) -> float:
    observed = sum(Fraction(1, g.ways) if g.score else Fraction(0) for g in guesses)
    total = Fraction(0)
    for hits in itertools.product([False, True], repeat=len(guesses)):
        probability, score = Fraction(1), Fraction(0)
        for g, hit in zip(guesses, hits, strict=True):
            p_hit = Fraction(g.ways) / round(1 / g.chance)
            probability *= p_hit if hit else 1 - p_hit
            score += Fraction(1, g.ways) if hit else 0
        if score >= observed:
            total += probability
    return float(total)


def test_the_exact_tail_matches_enumeration_with_ties_and_mixed_chances() -> None:
    guesses = [
        Guess("a", 1.0, 0.25, 1, 1), Guess("b", 0.5, 0.25, 2, 0), Guess("c", 0.0, 0.25, 2, -1),
        Guess("d", 1.0, 0.1, 1, 1), Guess("e", 0.0, 0.1, 3, 0), Guess("f", 1 / 3, 0.25, 3, 0),
        Guess("g", 0.0, 1 / 3, 1, -1), Guess("h", 1.0, 0.25, 1, 2),
    ]  # fmt: skip
    assert upper_tail(guesses) == pytest.approx(_exact_by_enumeration(guesses), rel=1e-9)


def test_the_tail_of_a_plain_binomial() -> None:
    # 10 of 20 four-option questions: P(X >= 10) for X ~ Binomial(20, 0.25) = 0.013864.
    guesses = [Guess(str(i), 1.0 if i < 10 else 0.0, 0.25, 1, 0) for i in range(20)]
    assert upper_tail(guesses) == pytest.approx(0.013864, abs=1e-6)


def test_large_tallies_use_the_normal_approximation_and_stay_close() -> None:
    count = EXACT_GRID_LIMIT + 1
    hits = round(count * 0.26)
    guesses = [Guess(str(i), 1.0 if i < hits else 0.0, 0.25, 1, 0) for i in range(count)]
    z = (hits - 0.5 - count * 0.25) / math.sqrt(count * 0.25 * 0.75)
    assert upper_tail(guesses) == pytest.approx(0.5 * math.erfc(z / math.sqrt(2)), rel=1e-9)
    assert 0.0005 < upper_tail(guesses) < 0.01


def test_a_tally_reports_shares_excess_and_the_clearest_hits_first() -> None:
    tally = Tally([
        Guess("q1", 1.0, 0.25, 1, 0.2), Guess("q2", 1.0, 0.25, 1, 0.9),
        Guess("q3", 0.5, 0.25, 2, 0), Guess("q4", 0.0, 0.25, 1, -0.3),
    ])  # fmt: skip
    assert tally.applies == 4
    assert tally.score == pytest.approx(0.625) and tally.chance == pytest.approx(0.25)
    assert tally.excess == pytest.approx(37.5)
    assert tally.worst() == ["q2", "q1", "q3"] and tally.worst(1) == ["q2"]
    assert Tally([]).p_value == 1.0 and Tally([]).score == 0.0
