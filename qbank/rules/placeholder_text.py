"""Placeholder text is left in the question.

## What it does
Reports TODO, TBD, FIXME, XXX and "lorem ipsum" in any text of the question: stem, options,
rationales, explanation, references and tags.

## Why it matters
Placeholders mark unfinished work; published, they confuse learners and signal a bank nobody
reviewed. `qbank new` writes TODOs on purpose, so a fresh skeleton fails here until it is
written.

## Example
```yaml
explanation: TODO explain why   # QB208
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from qbank.load.bank import QuestionFile
from qbank.load.yamlparse import KeyPath
from qbank.models import Question
from qbank.problem import Problem, Severity
from qbank.rules.base import Context, Options, Scope

CODE = "QB208"
NAME = "placeholder-text"
SEVERITY = Severity.WARNING
SCOPE = Scope.QUESTION

PATTERN = re.compile(r"\b(?:TODO|TBD|FIXME)\b|\bXXX\b|lorem ipsum", re.IGNORECASE)
# Cheap substring test first: a case-insensitive alternation over every field is slow.
_HINTS = ("todo", "tbd", "fixme", "xxx", "lorem")


def text_fields(question: Question) -> Iterator[tuple[KeyPath, str]]:
    yield from question.markdown_fields()
    for index, reference in enumerate(question.references):
        yield ("references", index), reference
    for index, tag in enumerate(question.tags):
        yield ("tags", index), tag


def check(
    question: Question, file: QuestionFile, options: Options, context: Context
) -> Iterator[Problem]:
    fields = list(text_fields(question))
    everything = "\n".join(text for _, text in fields).lower()
    if not any(hint in everything for hint in _HINTS):
        return
    for where, text in fields:
        match = PATTERN.search(text)
        if match:
            message = f"placeholder '{match.group()}' left in the text"
            yield file.problem(message, where, offset=match.start())
