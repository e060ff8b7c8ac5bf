"""`qbank lint --statistics`: how many problems each rule found, as `ruff --statistics` shows."""

from __future__ import annotations

import json
from collections import Counter

from qbank.problem import Problem
from qbank.report import Run
from qbank.report.text_format import summary
from qbank.rules import RULES


def render(problems: list[Problem], run: Run, output_format: str) -> str:
    counts = Counter(p.code for p in problems)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if output_format == "json":
        records = [
            {"code": code, "name": RULES[code].name, "severity": _severity(problems, code),
             "count": count, "fixable": RULES[code].fixable}
            for code, count in rows
        ]  # fmt: skip
        return json.dumps(records, indent=2) + "\n"
    width = max((len(str(count)) for _, count in rows), default=1)
    any_fixable = any(RULES[code].fixable for code, _ in rows)
    lines = [
        f"{count:>{width}}\t{code}\t{_mark(code) if any_fixable else ''}{RULES[code].name}"
        for code, count in rows
    ]
    lines.append(summary(problems, run))
    if any_fixable:
        lines.append("[*] fixable with `qbank lint --fix`.")
    return "\n".join(lines) + "\n"


def _mark(code: str) -> str:
    return "[*] " if RULES[code].fixable else "[ ] "


def _severity(problems: list[Problem], code: str) -> str:
    """The severity the run gave the rule (configuration may change the default)."""
    return next(p.severity.value for p in problems if p.code == code)
