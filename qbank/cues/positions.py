"""Where the keys of unshuffled questions sit, against where chance would put them."""

from __future__ import annotations

from collections.abc import Iterable

from qbank.models.outline import QuestionShape


def key_positions(questions: Iterable[QuestionShape]) -> tuple[list[float], list[float]]:
    """Per position (A, B, …): keys observed there, and keys expected there by chance given
    each question's number of options. Multiple-answer questions count each key."""
    observed: list[float] = []
    expected: list[float] = []
    for question in questions:
        if question.option_count > len(observed):
            grow = question.option_count - len(observed)
            observed.extend([0.0] * grow)
            expected.extend([0.0] * grow)
        keys = question.correct_indexes
        for index in keys:
            observed[index] += 1
        for position in range(question.option_count):
            expected[position] += len(keys) / question.option_count
    return observed, expected
