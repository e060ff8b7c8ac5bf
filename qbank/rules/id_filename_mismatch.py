"""The question's id differs from its file name.

## What it does
Reports a question whose `id` is not the file name without `.yaml`, also in a file that
fails the schema (QB003) for another reason.

## Why it matters
Authors, reviewers and tools find a question by its id; when the file name says something
else, `qbank new` can hand out an id that is already taken and links in reviews go astray.

## Example
`questions/1-low-code-ml/pmle-1-1-002.yaml` containing `id: pmle-1-1-003` is reported. Rename
the file or fix the id.
"""

from __future__ import annotations

from collections.abc import Iterator

from qbank.load.bank import Bank
from qbank.problem import Problem, Severity
from qbank.rules.base import Context, Options, Scope

CODE = "QB005"
NAME = "id-filename-mismatch"
SEVERITY = Severity.ERROR
# Bank scope: it reads every parsed file's id, whether or not the file passed the schema.
SCOPE = Scope.BANK


def check(bank: Bank, options: Options, context: Context) -> Iterator[Problem]:
    for file in bank.files:
        qid = file.record_id
        if qid is not None and qid != file.stem_name:
            message = f"id '{qid}' does not match the file name '{file.stem_name}'"
            yield file.problem(message, ("id",))
