"""No option is marked correct.

## What it does
Reports a question in which no option has `correct: true`.

## Why it matters
A question without a key cannot be scored: every learner is marked wrong, and exporters have
nothing to put in the answer. Item-writing guidelines start from a single, defensible key
(Haladyna, Downing & Rodriguez 2002).

## Example
```yaml
options:
  - text: Vertex AI Pipelines
  - text: Cloud Composer        # QB101: none of the options is marked `correct: true`
```
"""

from __future__ import annotations

from collections.abc import Iterator

from qbank.load.bank import QuestionFile
from qbank.models import Question
from qbank.problem import Problem, Severity
from qbank.rules.base import Context, Options, Scope

CODE = "QB101"
NAME = "no-correct-option"
SEVERITY = Severity.ERROR
SCOPE = Scope.QUESTION


def check(
    question: Question, file: QuestionFile, options: Options, context: Context
) -> Iterator[Problem]:
    if not question.correct_indexes:
        yield file.problem("no option is marked `correct: true`", ("options",), key=True)
