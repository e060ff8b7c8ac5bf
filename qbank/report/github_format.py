"""GitHub Actions workflow commands: each problem becomes an annotation on the PR."""

from __future__ import annotations

from qbank.problem import Problem
from qbank.report import Run


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(problems: list[Problem], run: Run) -> str:
    lines = []
    for p in problems:
        level = "error" if p.is_error else "warning"
        properties = ",".join(
            [
                f"file={_property(p.path)}",
                f"line={p.line}",
                f"col={p.col}",
                f"title={_property(f'{p.code} {p.name}')}",
            ]
        )
        lines.append(f"::{level} {properties}::{_data(f'{p.code} {p.message}')}")
    return "".join(line + "\n" for line in lines)
