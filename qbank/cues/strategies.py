"""The guessing strategies of a test-wise reader, and what each scores on a bank."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from qbank.cues.grammar import read
from qbank.cues.guessing import Tally, guess
from qbank.cues.positions import key_positions
from qbank.cues.signals import content_words, formatting, visible_length
from qbank.models import Question

Preference = list[float] | None  # per option, higher is picked first; None: no opinion
Ranking = Callable[[Sequence[Question]], list[Preference]]


@dataclass(frozen=True)
class Strategy:
    name: str
    title: str
    rank: Ranking


def picks(question: Question) -> int:
    """How many options the guesser chooses: 1, or `select`."""
    if question.type == "multiple" and question.select:
        return question.select
    return 1


def well_keyed(question: Question) -> bool:
    """Whether the key count is what the question asks for (other rules report the rest)."""
    return 0 < len(question.correct_indexes) == picks(question) < len(question.options)


def formatting_pick(question: Question) -> tuple[set[int], list[str]] | None:
    """The options a kind of formatting singles out, exactly as many as are to be chosen
    (the only option with code, the two bold ones of a choose-two), and those kinds."""
    shown = [formatting(option.text) for option in question.options]
    singled: dict[frozenset[int], list[str]] = {}
    for kind in sorted(set().union(*shown)):
        holders = frozenset(i for i, kinds in enumerate(shown) if kind in kinds)
        if len(holders) == picks(question):
            singled.setdefault(holders, []).append(kind)
    if len(singled) != 1:
        return None  # nothing singled out, or two kinds pointing at different options
    ((holders, kinds),) = singled.items()
    return set(holders), kinds


def _each(rank: Callable[[Question], Preference]) -> Ranking:
    return lambda questions: [rank(question) for question in questions]


def _length(question: Question) -> list[float]:
    # Logarithms, so that a question's margin is the ratio of the lengths.
    return [math.log1p(visible_length(option.text)) for option in question.options]


def _formatting(question: Question) -> Preference:
    found = formatting_pick(question)
    if found is None:
        return None
    return [1.0 if i in found[0] else 0.0 for i in range(len(question.options))]


def _grammar(question: Question) -> Preference:
    odd = read(question.stem, [option.text for option in question.options]).misfits
    return [0.0 if i in odd else 1.0 for i in range(len(question.options))] if odd else None


def _stem_words(question: Question) -> Preference:
    stem = content_words(question.stem)
    return [float(len(content_words(option.text) & stem)) for option in question.options]


def _position(questions: Sequence[Question]) -> list[Preference]:
    """Among `shuffle: false` questions, positions ranked by how much more often than chance
    the other questions are keyed there (each question left out of its own ranking)."""
    fixed = [question for question in questions if not question.shuffle]
    observed, expected = key_positions(fixed)
    ranked: list[Preference] = []
    for question in questions:
        if question.shuffle:
            ranked.append(None)
            continue
        own_observed, own_expected = key_positions([question])
        ranked.append([
            (observed[p] - own_observed[p]) - (expected[p] - own_expected[p])
            for p in range(len(question.options))
        ])  # fmt: skip
    return ranked


STRATEGIES = (
    Strategy("longest", "longest option (characters)", _each(_length)),
    Strategy("shortest", "shortest option (characters)",
             _each(lambda q: [-n for n in _length(q)])),
    Strategy("formatting", "option that formatting singles out", _each(_formatting)),
    Strategy("grammar", "option that fits the stem's grammar", _each(_grammar)),
    Strategy("stem-words", "option repeating the most stem words", _each(_stem_words)),
    Strategy("position", "most frequent key position (shuffle: false)", _position),
)  # fmt: skip
BY_NAME = {strategy.name: strategy for strategy in STRATEGIES}


def measure(questions: Sequence[Question], strategies: Sequence[Strategy]) -> dict[str, Tally]:
    """Each strategy's tally over the well-keyed questions it has an opinion on."""
    keyed = [question for question in questions if well_keyed(question)]
    tallies = {}
    for strategy in strategies:
        guesses = []
        for question, preference in zip(keyed, strategy.rank(keyed), strict=True):
            if preference is None:
                continue
            outcome = guess(question.id, preference, question.correct_indexes)
            if outcome is not None:
                guesses.append(outcome)
        tallies[strategy.name] = Tally(guesses)
    return tallies
