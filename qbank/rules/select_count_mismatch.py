"""A multiple-answer question's `select` does not match its key.

## What it does
For `type: multiple`, reports fewer than two correct options, or a `select` that differs from
the number of options marked correct.

## Why it matters
Learners are told to choose `select` options; when the key holds a different number, a fully
right response can never score full marks (and LMS grading goes wrong).

## Example
```yaml
type: multiple
select: 2      # QB103: select is 2 but 3 options are marked correct
```
"""

from __future__ import annotations

from collections.abc import Iterator

from qbank.load.bank import QuestionFile
from qbank.models import Question
from qbank.problem import Problem, Severity
from qbank.rules.base import Context, Options, Scope

CODE = "QB103"
NAME = "select-count-mismatch"
SEVERITY = Severity.ERROR
SCOPE = Scope.QUESTION


def check(
    question: Question, file: QuestionFile, options: Options, context: Context
) -> Iterator[Problem]:
    if question.type != "multiple":
        return
    correct = len(question.correct_indexes)
    if correct < 2:
        yield file.problem(
            f"a multiple-answer question needs at least 2 correct options, found {correct}",
            ("options",),
            key=True,
        )
    elif question.select != correct:
        yield file.problem(
            f"select is {question.select} but {correct} options are marked correct", ("select",)
        )
