"""The guessing strategies of a test-wise reader, and what each scores on a bank."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import cast

from qbank.cues.grammar import read
from qbank.cues.guessing import Guess, Tally, guess
from qbank.cues.positions import key_positions
from qbank.cues.signals import content_words, formatting, visible_length
from qbank.models import Question
from qbank.models.outline import QuestionShape

Preference = list[float] | None  # per option, higher is picked first; None: no opinion
Ranking = Callable[[Sequence[Question]], list[Preference]]


@dataclass(frozen=True)
class Strategy:
    name: str
    title: str
    rank: Ranking
    # The ranking of one question on its own; None for a ranking that needs the whole bank.
    each: Callable[[Question], Preference] | None = None


def picks(question: QuestionShape) -> int:
    """How many options the guesser chooses: 1, or `select`."""
    if question.type == "multiple" and question.select:
        return question.select
    return 1


def well_keyed(question: QuestionShape) -> bool:
    """Whether the key count is what the question asks for (other rules report the rest)."""
    return 0 < len(question.correct_indexes) == picks(question) < question.option_count


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


def _per_question(name: str, title: str, rank: Callable[[Question], Preference]) -> Strategy:
    return Strategy(name, title, lambda questions: [rank(q) for q in questions], rank)


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


def _position(questions: Sequence[QuestionShape]) -> list[Preference]:
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
            for p in range(question.option_count)
        ])  # fmt: skip
    return ranked


STRATEGIES = (
    _per_question("longest", "longest option (characters)", _length),
    _per_question("shortest", "shortest option (characters)",
                  lambda q: [-n for n in _length(q)]),
    _per_question("formatting", "option that formatting singles out", _formatting),
    _per_question("grammar", "option that fits the stem's grammar", _grammar),
    _per_question("stem-words", "option repeating the most stem words", _stem_words),
    Strategy("position", "most frequent key position (shuffle: false)", _position),
)  # fmt: skip
BY_NAME = {strategy.name: strategy for strategy in STRATEGIES}


Outcomes = Mapping[str, Guess | None]  # per-question strategy name -> its outcome


def question_guesses(question: Question) -> dict[str, Guess | None]:
    """The outcome of each per-question strategy on a well-keyed question (else none)."""
    if not well_keyed(question):
        return {}
    return {strategy.name: _outcome(question, strategy.each(question))
            for strategy in STRATEGIES if strategy.each is not None}  # fmt: skip


def _outcome(question: QuestionShape, preference: Preference) -> Guess | None:
    return None if preference is None else guess(question.id, preference, question.correct_indexes)


def measure(
    questions: Sequence[QuestionShape],
    strategies: Sequence[Strategy],
    known: Sequence[Outcomes] | None = None,
) -> dict[str, Tally]:
    """Each strategy's tally over the well-keyed questions it has an opinion on; `known`
    (one per question, from question_guesses) spares computing the per-question ones, which
    read the text: without `known`, `questions` must be full Questions, not outlines."""
    rows = [row for row, question in enumerate(questions) if well_keyed(question)]
    keyed = [questions[row] for row in rows]
    tallies = {}
    for strategy in strategies:
        if known is not None and strategy.each is not None:
            outcomes = [known[row][strategy.name] for row in rows]
        else:
            ranked = zip(keyed, strategy.rank(cast(Sequence[Question], keyed)), strict=True)
            outcomes = [_outcome(question, preference) for question, preference in ranked]
        tallies[strategy.name] = Tally([outcome for outcome in outcomes if outcome is not None])
    return tallies
