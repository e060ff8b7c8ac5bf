"""A question has fewer or more options than allowed.

## What it does
Reports a single-answer question without 3 to 6 options, or a multiple-answer question
without 4 to 8 options (configurable as `single = [min, max]` and `multiple = [min, max]`).

## Why it matters
Two-option items are guessed half the time; long option lists mostly add implausible
distractors that nobody picks. Three to five plausible options is the evidence-based range
(Haladyna, Downing & Rodriguez 2002; Rodriguez 2005).

## Example
```yaml
type: single
options:          # QB105: 2 options; a single-answer question needs 3 to 6
  - text: Yes
  - text: No
```
"""

from __future__ import annotations

from collections.abc import Iterator

from qbank.load.bank import QuestionFile
from qbank.models import Question
from qbank.problem import Problem, Severity
from qbank.rules.base import Context, Options, Scope

CODE = "QB105"
NAME = "option-count"
SEVERITY = Severity.ERROR
SCOPE = Scope.QUESTION
DEFAULT = {"single": [3, 6], "multiple": [4, 8]}


def check(
    question: Question, file: QuestionFile, options: Options, context: Context
) -> Iterator[Problem]:
    low, high = options[question.type]
    count = len(question.options)
    if not low <= count <= high:
        kind = "single-answer" if question.type == "single" else "multiple-answer"
        yield file.problem(
            f"{count} options; a {kind} question needs {low} to {high}", ("options",), key=True
        )
