"""An option refers to other options by letter or position.

## What it does
Reports options such as "Both A and B", "Options 1 and 3", "(a) or (c)", "The first option"
or "All the previous answers".

## Why it matters
Options are shuffled in most delivery platforms (and by default in qbank's exports), so
"A and B" points at the wrong options for most learners. Such options also cue the answer.

## Example
```yaml
options:
  - text: Both A and C   # QB204
```
Write the combined option out in words, or set `shuffle: false` and reconsider the item.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from qbank.load.bank import QuestionFile
from qbank.markdown import prose
from qbank.models import Question
from qbank.problem import Problem, Severity
from qbank.rules.base import Context, Options, Scope

CODE = "QB204"
NAME = "option-refers-to-position"
SEVERITY = Severity.WARNING
SCOPE = Scope.QUESTION

_LETTER = r"(?:[A-H]|[1-8])"
PATTERNS = [
    re.compile(r"\b(?:[Bb]oth|[Ee]ither|[Nn]either)\s+" + _LETTER + r"\s+(?:and|or|nor)\s+"
               + _LETTER + r"\b"),
    re.compile(r"\b(?:[Oo]ptions?|[Aa]nswers?|[Cc]hoices?)\s+" + _LETTER + r"\b"),
    re.compile(r"\(([a-hA-H1-8])\)\s*(?:,|and|or|&)\s*\(([a-hA-H1-8])\)"),
    re.compile(r"^" + _LETTER + r"\s*(?:and|or|&|,)\s*" + _LETTER + r"\.?$"),
    re.compile(r"\b(?:first|second|third|fourth|last|previous|preceding|above)\s+"
               r"(?:two\s+|three\s+)?(?:options?|answers?|choices?)\b", re.IGNORECASE),
]  # fmt: skip


# Every pattern needs one of these words, or is a whole short option like "A and C".
_HINTS = ("both", "either", "neither", "option", "answer", "choice", "(", "first", "second",
          "third", "fourth", "last", "previous", "preceding", "above")  # fmt: skip
_SHORT = 12


def _may_refer(text: str) -> bool:
    lower = text.lower()
    return len(text) <= _SHORT or any(hint in lower for hint in _HINTS)


def check(
    question: Question, file: QuestionFile, options: Options, context: Context
) -> Iterator[Problem]:
    for index, option in enumerate(question.options):
        if not _may_refer(option.text):
            continue
        text = prose(option.text)
        match = next((m for p in PATTERNS if (m := p.search(text))), None)
        if match:
            yield file.problem(
                f"option {index + 1} refers to other options by position ('{match.group()}'); "
                "this breaks when options are shuffled",
                ("options", index, "text"),
            )
