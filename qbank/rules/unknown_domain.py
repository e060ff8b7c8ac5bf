"""The question's domain is not a subsection of the exam guide.

## What it does
Reports a `domain` that is not the code of a subsection in `questions/exam-guide.yaml`. It
is skipped when the exam guide is missing or invalid (that is reported on the guide itself).
`qbank import` writes the placeholder domain `"0.0"` when it cannot tell a question's
subsection; this rule then asks the author to fill it in.

## Why it matters
Coverage, weight checks, exports (categories, sub-decks) and practice exams all group
questions by domain; a question in an unknown domain falls out of all of them.

## Example
```yaml
domain: "4.3"   # QB006 domain 4.3 is not a subsection of the exam guide (did you mean "4.2"?)
```
"""

from __future__ import annotations

from collections.abc import Iterator

from qbank.load.bank import QuestionFile
from qbank.models import Question
from qbank.models.question import PLACEHOLDER_DOMAIN
from qbank.problem import Problem, Severity
from qbank.rules.base import Context, Options, Scope
from qbank.suggest import did_you_mean

CODE = "QB006"
NAME = "unknown-domain"
SEVERITY = Severity.ERROR
SCOPE = Scope.QUESTION


def check(
    question: Question, file: QuestionFile, options: Options, context: Context
) -> Iterator[Problem]:
    guide = context.guide
    domain = question.domain
    if guide is not None and guide.subsection(domain) is None:
        codes = [sub.code for sub in guide.subsections]
        if domain == PLACEHOLDER_DOMAIN:
            message = (
                f"domain {domain} is the placeholder `qbank import` writes: set the subsection "
                f"this question belongs to ({', '.join(codes)})"
            )
        else:
            message = (
                f"domain {domain} is not a subsection of the exam guide"
                f"{did_you_mean(domain, codes)}"
            )
        yield file.problem(message, ("domain",))
