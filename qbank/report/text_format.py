"""`path:line:col: CODE [severity] message`, one a line, then a summary."""

from __future__ import annotations

import click

from qbank.problem import Problem
from qbank.report import Run, counts


def render(problems: list[Problem], run: Run) -> str:
    lines = [_line(problem, run.color) for problem in problems]
    lines.append(summary(problems, run))
    return "\n".join(lines) + "\n"


def _line(problem: Problem, color: bool) -> str:
    where = f"{problem.path}:{problem.line}:{problem.col}:"
    severity = f"[{problem.severity.value}]"
    if color:
        where = click.style(where, bold=True)
        code = click.style(problem.code, fg="red" if problem.is_error else "yellow", bold=True)
        severity = click.style(severity, fg="red" if problem.is_error else "yellow")
        return f"{where} {code} {severity} {problem.message}"
    return f"{where} {problem.code} {severity} {problem.message}"


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(problems: list[Problem], run: Run) -> str:
    checked = plural(len(run.files), "file")
    hidden = f" {run.hidden[:1].upper()}{run.hidden[1:]}." if run.hidden else ""
    if not problems:
        text = f"All checks passed ({checked}).{hidden}"
        return click.style(text, fg="green") if run.color else text
    errors, warnings = counts(problems)
    files = len({p.path for p in problems})
    return (
        f"Found {plural(len(problems), 'problem')} ({plural(errors, 'error')}, "
        f"{plural(warnings, 'warning')}) in {plural(files, 'file')}; checked {checked}.{hidden}"
    )
