"""A multiple-answer stem does not say how many options to choose.

## What it does
For `type: multiple`, looks in the stem for "Choose two", "Select 3", "Pick two" or "Mark
two" and reports a stem that says no number, or a number other than `select`.

## Why it matters
Without the number, learners guess how many to mark and the item measures test-taking
strategy. Certification exams state it ("Choose two."), and LMS scoring expects it.

## Example
```yaml
type: multiple
select: 2
stem: Which two steps reduce serving latency? Choose three.   # QB203: says 3, select is 2
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from qbank.load.bank import QuestionFile
from qbank.markdown import to_text
from qbank.models import Question
from qbank.problem import Problem, Severity
from qbank.rules.base import Context, Options, Scope

CODE = "QB203"
NAME = "select-count-not-stated"
SEVERITY = Severity.WARNING
SCOPE = Scope.QUESTION

NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
_STATED = re.compile(
    r"\b(?:choose|select|pick|mark)\s+(?:the\s+)?(\d|" + "|".join(NUMBERS) + r")\b",
    re.IGNORECASE,
)


def stated_count(stem: str) -> int | None:
    match = _STATED.search(to_text(stem))
    if match is None:
        return None
    word = match.group(1).lower()
    return int(word) if word.isdigit() else NUMBERS[word]


def check(
    question: Question, file: QuestionFile, options: Options, context: Context
) -> Iterator[Problem]:
    if question.type != "multiple":
        return
    stated = stated_count(question.stem)
    if stated is None:
        yield file.problem(
            f"the stem does not say how many to choose; add 'Choose {question.select}'",
            ("stem",),
        )
    elif stated != question.select:
        yield file.problem(
            f"the stem says choose {stated} but select is {question.select}", ("stem",)
        )
