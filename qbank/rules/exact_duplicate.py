"""Two questions have the same stem and the same set of options.

## What it does
Hashes each question's stem and options after removing Markdown and folding case and
whitespace (option order ignored) and reports every question whose hash another question
shares. This runs before, and without, any embedding model.

## Why it matters
Copies inflate a section's count (distorting weight checks), appear twice in practice exams,
and drift apart when only one copy gets fixed.

## Example
`pmle-4-1-002.yaml` and `pmle-4-1-009.yaml` hold the same stem and options in another order:
each is reported, naming the other.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator

from qbank.load.bank import Bank, QuestionFile
from qbank.markdown import normalize
from qbank.models import Question
from qbank.problem import Problem, Severity
from qbank.rules.base import Context, Options, Scope, summary_of

CODE = "QB401"
NAME = "exact-duplicate"
SEVERITY = Severity.ERROR
SCOPE = Scope.BANK


def fingerprint(question: Question) -> str:
    options = sorted(normalize(option.text) for option in question.options)
    return hashlib.blake2b(
        "\0".join([normalize(question.stem), *options]).encode(), digest_size=16
    ).hexdigest()


SUMMARY = fingerprint


def cached_fingerprint(bank: Bank, file: QuestionFile) -> str:
    """The question's fingerprint, from the loader's summary when it has one."""
    valid = lambda value: isinstance(value, str)  # noqa: E731
    return str(summary_of(bank, file, CODE, fingerprint, valid))


def check(bank: Bank, options: Options, context: Context) -> Iterator[Problem]:
    groups: dict[str, list[tuple[QuestionFile, str]]] = defaultdict(list)
    for file, outline in bank.outlines():
        groups[cached_fingerprint(bank, file)].append((file, outline.id))
    for group in groups.values():
        for file, _qid in group if len(group) > 1 else ():
            others = ", ".join(f"{qid} ({f.path})" for f, qid in group if f is not file)
            yield file.problem(f"same stem and options as {others}", ("stem",))
