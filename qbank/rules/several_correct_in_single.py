"""A single-answer question has more than one correct option.

## What it does
Reports each extra `correct: true` in a question of `type: single`.

## Why it matters
A learner can pick only one option, so a second key makes a right answer score as wrong on
every platform. Either the question is really `multiple`, or one key is a mistake.

## Example
```yaml
type: single
options:
  - {text: Dataflow, correct: true}
  - {text: Dataproc, correct: true}   # QB102: second correct option in a single-answer question
```
"""

from __future__ import annotations

from collections.abc import Iterator

from qbank.load.bank import QuestionFile
from qbank.models import Question
from qbank.problem import Problem, Severity
from qbank.rules.base import Context, Options, Scope

CODE = "QB102"
NAME = "several-correct-in-single"
SEVERITY = Severity.ERROR
SCOPE = Scope.QUESTION


def check(
    question: Question, file: QuestionFile, options: Options, context: Context
) -> Iterator[Problem]:
    correct = question.correct_indexes
    if question.type == "single" and len(correct) > 1:
        for index in correct[1:]:
            yield file.problem(
                f"option {index + 1} is also marked correct in a single-answer question "
                f"({len(correct)} correct options; use `type: multiple` or fix the key)",
                ("options", index, "correct"),
            )
