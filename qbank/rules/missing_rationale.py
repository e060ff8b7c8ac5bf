"""An option has no rationale.

## What it does
Reports options without `rationale`: every option by default (`options = "all"`), or only
the distractors (`options = "distractors"`).

## Why it matters
A rationale per option tells the learner why their choice was wrong in this scenario, and it
forces the writer to check that each distractor is really wrong — the cheapest review of an
answer key there is.

## Example
```yaml
options:
  - text: Use Cloud SQL
    # QB302: option 2 has no rationale
```
"""

from __future__ import annotations

from collections.abc import Iterator

from qbank.errors import QbankError
from qbank.load.bank import QuestionFile
from qbank.models import Question
from qbank.problem import Problem, Severity
from qbank.rules.base import Context, Options, Scope

CODE = "QB302"
NAME = "missing-rationale"
SEVERITY = Severity.WARNING
SCOPE = Scope.QUESTION
DEFAULT = {"options": "all"}


def check(
    question: Question, file: QuestionFile, options: Options, context: Context
) -> Iterator[Problem]:
    which = options["options"]
    if which not in ("all", "distractors"):
        raise QbankError(f"{CODE} option 'options' must be 'all' or 'distractors', not {which!r}")
    for index, option in enumerate(question.options):
        if option.correct and which == "distractors":
            continue
        if not (option.rationale or "").strip():
            kind = "correct option" if option.correct else "distractor"
            yield file.problem(f"{kind} {index + 1} has no rationale", ("options", index, "text"))
