"""A bank's cues as QB407 judges them and `qbank cues` shows them, computed once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from qbank.cues.guessing import Tally
from qbank.cues.strategies import BY_NAME, Outcomes, Strategy, measure, well_keyed
from qbank.errors import QbankError
from qbank.models.outline import QuestionShape


@dataclass(frozen=True)
class Assessment:
    counted: int  # questions with a chosen status
    keyed: int  # of which the number of keys is right
    strategies: list[Strategy]  # measured, in display order
    tallies: dict[str, Tally]
    judged: list[str]  # strategy names QB407 judges
    reported: list[str]  # strategy names QB407 reports
    enough: bool  # whether there are enough well-keyed questions for QB407 to judge


def assess(
    questions: Iterable[QuestionShape],
    options: Mapping[str, Any],
    shown: Sequence[Strategy] = (),
    known: Sequence[Outcomes] | None = None,
) -> Assessment:
    """Measure the strategies QB407's `options` judge (and those in `shown`) over the
    questions with a status in `options["statuses"]`, and say which QB407 reports.

    A strategy is reported when it beats chance by more than `margin` points and its p is
    below `alpha` shared among the judged strategies (Bonferroni), once `min_questions`
    questions are well keyed. `known`: each question's per-question outcomes, if computed.
    """
    unknown = [name for name in options["strategies"] if name not in BY_NAME]
    if unknown:
        raise QbankError(
            f"rule QB407 option 'strategies': unknown {', '.join(map(repr, unknown))}; "
            f"choose from {', '.join(BY_NAME)}"
        )
    given = list(questions)
    rows = [row for row, q in enumerate(given) if q.status in options["statuses"]]
    counted = [given[row] for row in rows]
    keyed = sum(1 for q in counted if well_keyed(q))
    judged = list(dict.fromkeys(options["strategies"]))
    measured = list(shown)
    measured += [BY_NAME[name] for name in judged if BY_NAME[name] not in measured]
    tallies = measure(counted, measured, None if known is None else [known[row] for row in rows])
    reported = []
    enough = keyed >= options["min_questions"]
    if judged and enough:
        alpha = options["alpha"] / len(judged)
        for name in judged:
            tally = tallies[name]
            # Rounded: a bank exactly `margin` points over chance passes despite float error.
            if round(tally.excess, 9) > options["margin"] and tally.p_value < alpha:
                reported.append(name)
    return Assessment(len(counted), keyed, measured, tallies, judged, reported, enough)
