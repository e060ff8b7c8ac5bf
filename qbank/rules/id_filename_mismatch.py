"""The question's id differs from its file name.

## What it does
Reports a question whose `id` is not the file name without `.yaml`.

## Why it matters
Authors, reviewers and tools find a question by its id; when the file name says something
else, `qbank new` can hand out an id that is already taken and links in reviews go astray.

## Example
`questions/1-low-code-ml/pmle-1-1-002.yaml` containing `id: pmle-1-1-003` is reported. Rename
the file or fix the id.
"""

from __future__ import annotations

from collections.abc import Iterator

from qbank.load.bank import QuestionFile
from qbank.models import Question
from qbank.problem import Problem, Severity
from qbank.rules.base import Context, Options, Scope

CODE = "QB005"
NAME = "id-filename-mismatch"
SEVERITY = Severity.ERROR
SCOPE = Scope.QUESTION


def check(
    question: Question, file: QuestionFile, options: Options, context: Context
) -> Iterator[Problem]:
    qid = question.id
    if qid != file.stem_name:
        yield file.problem(f"id '{qid}' does not match the file name '{file.stem_name}'", ("id",))
