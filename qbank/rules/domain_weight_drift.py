"""A section's share of the bank drifts from its exam-guide weight.

## What it does
Counts the questions with a status in `statuses` (default: published) per exam-guide
section and compares each section's share with its weight. A section more than `tolerance`
percentage points (default 5) away is reported, at that section in the exam guide, with the
numbers and the fewest questions to add per section to bring every section back within
tolerance. Banks with fewer than `min_questions` (default 30) counted questions are not
judged. It judges the whole bank even when only some files are linted.

## Why it matters
Practice should mirror the exam: a bank that is 40% pipelines trains people for the wrong
test, and practice exams drawn from it cannot follow the blueprint.

## Example
In a bank of 100 published questions with 8 in section 4 (weight 19%):
`QB403 section 4 (Serving and scaling models) has 8.0% of 100 counted questions, weight 19%
(tolerance 5 pp); to get every section within tolerance add: 7 to section 4, …`.
"""

from __future__ import annotations

from collections.abc import Iterator

from qbank.coverage.stats import additions_to_balance, measure
from qbank.load.bank import Bank
from qbank.problem import Problem, Severity
from qbank.rules.base import Context, Options, Scope

CODE = "QB403"
NAME = "domain-weight-drift"
SEVERITY = Severity.ERROR
SCOPE = Scope.BANK
DEFAULT = {"tolerance": 5.0, "min_questions": 30, "statuses": ["published"]}


def check(bank: Bank, options: Options, context: Context) -> Iterator[Problem]:
    guide, guide_file = bank.guide, bank.guide_file
    if guide is None or guide_file is None:
        return
    questions = [outline for _, outline in bank.outlines()]
    coverage = measure(guide, questions, options["statuses"], float(options["tolerance"]))
    if coverage.total < options["min_questions"]:
        return
    drifting = [row for row in coverage.sections if row.status != "ok"]
    if not drifting:
        return
    plan = ", ".join(f"{n} to section {code}" for code, n in additions_to_balance(coverage).items())
    for row in drifting:
        index = next(i for i, s in enumerate(guide.sections) if s.code == row.code)
        yield guide_file.problem(
            f"section {row.code} ({row.title}) has {row.share:.1f}% of {coverage.total} "
            f"counted questions, weight {row.weight:g}% (tolerance {coverage.tolerance:g} pp); "
            f"to get every section within tolerance add: {plan}",
            ("sections", index, "weight"),
        )
