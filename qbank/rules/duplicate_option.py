"""Two options of one question say the same thing.

## What it does
Compares the options of a question after removing Markdown, folding case and whitespace and
dropping final punctuation, and reports each option equal to an earlier one.

## Why it matters
A repeated option is a wasted distractor, and if one copy is marked correct and the other is
not, the key contradicts itself.

## Example
```yaml
options:
  - text: Use **Dataflow**.
  - text: use dataflow     # QB104: option 2 repeats option 1
```
"""

from __future__ import annotations

from collections.abc import Iterator

from qbank.load.bank import QuestionFile
from qbank.markdown import normalize
from qbank.models import Question
from qbank.problem import Problem, Severity
from qbank.rules.base import Context, Options, Scope

CODE = "QB104"
NAME = "duplicate-option"
SEVERITY = Severity.ERROR
SCOPE = Scope.QUESTION


def check(
    question: Question, file: QuestionFile, options: Options, context: Context
) -> Iterator[Problem]:
    seen: dict[str, int] = {}
    for index, option in enumerate(question.options):
        text = normalize(option.text)
        if text in seen:
            yield file.problem(
                f"option {index + 1} repeats option {seen[text] + 1}",
                ("options", index, "text"),
            )
        else:
            seen[text] = index
