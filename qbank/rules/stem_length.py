"""The stem is shorter or longer than the configured bounds.

## What it does
Counts the words of the stem (Markdown removed) and reports fewer than `min_words` (default
8) or more than `max_words` (default 150).

## Why it matters
A very short stem rarely poses a clear problem, so the options have to carry the question;
a very long one tests reading stamina and hides the actual question. Put the central idea in
the stem and keep it focused (Haladyna, Downing & Rodriguez 2002, guidelines 12-16).

## Example
```yaml
stem: Dataflow?   # QB207: 1 word; at least 8 expected
```
"""

from __future__ import annotations

from collections.abc import Iterator

from qbank.load.bank import QuestionFile
from qbank.markdown import word_count
from qbank.models import Question
from qbank.problem import Problem, Severity
from qbank.rules.base import Context, Options, Scope

CODE = "QB207"
NAME = "stem-length"
SEVERITY = Severity.WARNING
SCOPE = Scope.QUESTION
DEFAULT = {"min_words": 8, "max_words": 150}


def check(
    question: Question, file: QuestionFile, options: Options, context: Context
) -> Iterator[Problem]:
    count = word_count(question.stem)
    if count < options["min_words"]:
        yield file.problem(
            f"stem has {count} words; at least {options['min_words']} expected", ("stem",)
        )
    elif count > options["max_words"]:
        yield file.problem(
            f"stem has {count} words; at most {options['max_words']} expected", ("stem",)
        )
