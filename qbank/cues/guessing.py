"""A test-wise guesser's expected score, question by question and over a bank, against chance.

A strategy ranks the options of a question (`preference`, higher is picked first); the
guesser takes the `k` best (1, or `select`), choosing at random among tied options. A
multiple-answer question scores only when the picked set is exactly the keys. If keys were
placed without regard to the strategy, every question's expected score would be chance,
1 / C(n, k), whatever the ties; the excess over chance is what the cue gives away.
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

# Exact null distributions are computed on a grid of `unit` steps per point of score; past
# this many grid points, the normal approximation (then very accurate) is used instead.
EXACT_GRID_LIMIT = 20_000


@dataclass(frozen=True)
class Guess:
    """A strategy's outcome on one question."""

    question_id: str
    score: float  # expected score: 1 / ways when the keys are among the best picks, else 0
    chance: float  # expected score of a blind guess: 1 / C(n, k)
    ways: int  # equally good sets of picks the guesser chooses among
    margin: float  # how far the keys' preference stands above the best distractor's


def guess(question_id: str, preference: list[float], keys: Sequence[int]) -> Guess | None:
    """The guesser's outcome, or None when the preference cannot tell the options apart."""
    if min(preference) == max(preference):
        return None
    count, options = len(keys), len(preference)
    boundary = sorted(preference, reverse=True)[count - 1]
    above = [i for i, p in enumerate(preference) if p > boundary]
    tied = preference.count(boundary)
    ways = math.comb(tied, count - len(above))
    chosen = set(keys)
    hit = chosen.issuperset(above) and all(preference[i] >= boundary for i in keys)
    best_distractor = max(p for i, p in enumerate(preference) if i not in chosen)
    margin = min(preference[i] for i in keys) - best_distractor
    return Guess(question_id, 1 / ways if hit else 0.0, 1 / math.comb(options, count), ways,
                 margin)  # fmt: skip


@dataclass(frozen=True)
class Tally:
    """One strategy over many questions."""

    guesses: list[Guess]

    @property
    def applies(self) -> int:
        return len(self.guesses)

    @property
    def score(self) -> float:
        """The guesser's expected share of questions right (0 to 1)."""
        return sum(g.score for g in self.guesses) / self.applies if self.guesses else 0.0

    @property
    def chance(self) -> float:
        return sum(g.chance for g in self.guesses) / self.applies if self.guesses else 0.0

    @property
    def excess(self) -> float:
        """Score minus chance, in percentage points."""
        return 100 * (self.score - self.chance)

    @functools.cached_property
    def p_value(self) -> float:
        return upper_tail(self.guesses)

    def worst(self, limit: int | None = None) -> list[str]:
        """Ids of the questions the guesser gets right, the clearest cues first."""
        hits = sorted((g for g in self.guesses if g.score > 0),
                      key=lambda g: (-g.score, -g.margin, g.question_id))  # fmt: skip
        return [g.question_id for g in hits[:limit]]


def upper_tail(guesses: Sequence[Guess]) -> float:
    """One-sided p: the chance of a total score at least this high if keys ignored the cue.

    Under that null hypothesis a question scores 1/ways with probability ways × chance, else
    0. Questions alike in (ways, chance) add up to a binomial count; the total's distribution
    is the convolution of those, on a grid of 1/lcm(ways) points.
    """
    if not guesses:
        return 1.0
    unit = math.lcm(*{g.ways for g in guesses})
    observed = round(sum(g.score * unit for g in guesses))
    if unit * len(guesses) > EXACT_GRID_LIMIT:
        return _normal_tail(guesses, (observed - 0.5) / unit)
    import numpy as np

    distribution = np.ones(1)
    for (ways, chance), count in Counter((g.ways, g.chance) for g in guesses).items():
        spread = np.zeros(count * (unit // ways) + 1)
        spread[:: unit // ways] = _binomial_pmf(count, ways * chance)
        distribution = np.convolve(distribution, spread)
    return float(min(1.0, distribution[observed:].sum()))


def _binomial_pmf(count: int, p: float) -> list[float]:
    if p >= 1.0:
        return [0.0] * count + [1.0]
    log_p, log_q = math.log(p), math.log1p(-p)
    base = math.lgamma(count + 1)
    return [
        math.exp(base - math.lgamma(h + 1) - math.lgamma(count - h + 1)
                 + h * log_p + (count - h) * log_q)
        for h in range(count + 1)
    ]  # fmt: skip


def _normal_tail(guesses: Sequence[Guess], threshold: float) -> float:
    mean = sum(g.chance for g in guesses)
    variance = sum(g.chance / g.ways - g.chance**2 for g in guesses)
    if variance <= 0:
        return 1.0 if threshold <= mean else 0.0
    return 0.5 * math.erfc((threshold - mean) / math.sqrt(2 * variance))
