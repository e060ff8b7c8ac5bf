"""An exam-guide subsection has too few questions.

## What it does
Reports each subsection of the exam guide with fewer than `min_per_subsection` questions
(default 1) among those whose status is in `statuses` (default: every status), at that
subsection in the exam guide. It judges the whole bank even when only some files are linted.

## Why it matters
The exam samples every subsection; a learner who never practises one meets it first in the
exam. Section weights can look right while a whole subsection is missing.

## Example
`QB404 subsection 5.3 (Tracking and auditing metadata) has 0 questions; at least 1 expected`.
"""

from __future__ import annotations

from collections.abc import Iterator

from qbank.coverage.stats import measure
from qbank.load.bank import Bank
from qbank.problem import Problem, Severity
from qbank.rules.base import Context, Options, Scope

CODE = "QB404"
NAME = "empty-subsection"
SEVERITY = Severity.WARNING
SCOPE = Scope.BANK
DEFAULT = {"min_per_subsection": 1, "statuses": ["draft", "review", "published"]}


def check(bank: Bank, options: Options, context: Context) -> Iterator[Problem]:
    guide, guide_file = bank.guide, bank.guide_file
    if guide is None or guide_file is None:
        return
    coverage = measure(guide, (q for _, q in bank.outlines()), options["statuses"])
    minimum = options["min_per_subsection"]
    for s_index, section in enumerate(guide.sections):
        for sub_index, row in enumerate(coverage.subsections[section.code]):
            if row.count < minimum:
                yield guide_file.problem(
                    f"subsection {row.code} ({row.title}) has {row.count} questions; "
                    f"at least {minimum} expected",
                    ("sections", s_index, "subsections", sub_index, "code"),
                )
