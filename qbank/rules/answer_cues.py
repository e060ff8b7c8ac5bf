"""A test-wise guesser beats chance on the bank by reading only the form of the options.

## What it does
Scores what a guesser who never reads for content gets right with each strategy in
`strategies`: pick the longest option (characters), the shortest, the option that formatting
singles out, the option that fits the stem's grammar, the option that repeats the most stem
words (`position`, the most frequent key position of `shuffle: false` questions, is QB405's
and is not judged by default). Ties are split; a multiple-answer question counts only when
the guesser's `select` picks are exactly its keys. Counted are the questions with a status in
`statuses` whose number of keys is right. Once there are `min_questions` of them, a strategy
is reported when it beats chance by more than `margin` percentage points (default 10) **and**
significantly: a one-sided exact test gives p below `alpha` (default 0.01) divided by the
number of strategies judged. The message gives the share against chance and the questions
where the cue is clearest; `qbank cues` shows every strategy's figures.

## Why it matters
QB205, QB209 and QB210 judge one question at a time; a bank whose keys are only a little
longer than the distractors, but in two items of three, slips past them and still hands
test-wise learners a third of the marks. Options should be homogeneous and about equal in
length, with no clue to the key: no clang associations, grammatical inconsistencies or
conspicuous correct choice (Haladyna, Downing & Rodriguez 2002, guidelines 23, 24 and 28).

A statistical finding about the whole bank is a warning by default: it names no broken file,
and pre-commit should not block an unrelated change on it; set `severity = "error"` once the
bank passes. The margin keeps a large, well-balanced bank
quiet: with the defaults, keys that are the longest option in 35% of four-option items
(10 points over chance) pass.

## Example
On a bank of 120 questions whose keys are the longest option in 56%:
`QB407 a guesser who picks the longest option (characters) is right in 56% of 120 questions
where chance is 21% (+35 pp, p = 3e-18); clearest in pmle-3-2-003, pmle-6-2-008, …`
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from qbank.cues.assess import assess
from qbank.cues.guessing import Guess
from qbank.cues.strategies import BY_NAME, STRATEGIES, question_guesses, well_keyed
from qbank.load.bank import Bank, QuestionFile
from qbank.models import Question
from qbank.models.outline import QuestionShape
from qbank.problem import Problem, Severity
from qbank.rules.base import Context, Options, Scope, summary_of

CODE = "QB407"
NAME = "answer-cues"
SEVERITY = Severity.WARNING
SCOPE = Scope.BANK
DEFAULT = {
    "min_questions": 30,
    "alpha": 0.01,
    "margin": 10.0,
    "strategies": ["longest", "shortest", "formatting", "grammar", "stem-words"],
    "statuses": ["draft", "review", "published"],
}
SHOWN = 5  # question ids named in a message


PER_QUESTION = {strategy.name for strategy in STRATEGIES if strategy.each is not None}


def SUMMARY(question: Question) -> dict[str, list[float] | None]:  # noqa: N802
    """Each per-question strategy's outcome on the question: [score, chance, ways, margin]."""
    return {name: None if outcome is None else
            [outcome.score, outcome.chance, outcome.ways, outcome.margin]
            for name, outcome in question_guesses(question).items()}  # fmt: skip


def _outcomes(bank: Bank, file: QuestionFile, question: QuestionShape) -> dict[str, Guess | None]:
    expected = PER_QUESTION if well_keyed(question) else set()

    def valid(value: Any) -> bool:
        return (isinstance(value, dict) and value.keys() == expected and all(
            outcome is None or (isinstance(outcome, list) and len(outcome) == 4
                                and all(isinstance(n, int | float) for n in outcome))
            for outcome in value.values()))  # fmt: skip

    summary = summary_of(bank, file, CODE, SUMMARY, valid)
    return {name: None if fields is None else
            Guess(question.id, float(fields[0]), float(fields[1]), int(fields[2]),
                  float(fields[3]))
            for name, fields in summary.items()}  # fmt: skip


def check(bank: Bank, options: Options, context: Context) -> Iterator[Problem]:
    files = bank.outlines()
    known = [_outcomes(bank, file, question) for file, question in files]
    found = assess((question for _, question in files), options, known=known)
    if not found.reported:
        return
    anchor = bank.guide_file or files[0][0]
    for name in found.reported:
        tally = found.tallies[name]
        worst = tally.worst()
        shown = ", ".join(worst[:SHOWN]) + (", …" if len(worst) > SHOWN else "")
        yield Problem(
            anchor.path, 1, 1,
            message=f"a guesser who picks the {BY_NAME[name].title} is right in "
            f"{tally.score:.0%} of {tally.applies} questions where chance is "
            f"{tally.chance:.0%} (+{tally.excess:.0f} pp, p = {tally.p_value:.1g}); "
            f"clearest in {shown}",
        )  # fmt: skip
