"""Two question files share an id.

## What it does
Reports every file whose `id` is also used by another file of the bank.

## Why it matters
The id is a question's identity in every export: Anki updates notes by it, Moodle matches
re-imports by its `idnumber`. Two questions with one id overwrite each other downstream.

## Example
`questions/4-serving/pmle-4-2-003.yaml` and `questions/5-pipelines/pmle-4-2-003.yaml` both
say `id: pmle-4-2-003`: each is reported, naming the other. Give one a new id with `qbank new`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from qbank.load.bank import Bank, QuestionFile
from qbank.problem import Problem, Severity
from qbank.rules.base import Context, Options, Scope

CODE = "QB004"
NAME = "duplicate-id"
SEVERITY = Severity.ERROR
SCOPE = Scope.BANK


def check(bank: Bank, options: Options, context: Context) -> Iterator[Problem]:
    by_id: dict[str, list[QuestionFile]] = defaultdict(list)
    for file, outline in bank.outlines():
        by_id[outline.id].append(file)
    for qid, files in by_id.items():
        for file in files if len(files) > 1 else ():
            others = ", ".join(other.path for other in files if other is not file)
            yield file.problem(f"id '{qid}' is also used by {others}", ("id",))
