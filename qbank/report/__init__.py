"""Report: turn Problems into text, json, github, sarif or junit. Nothing else prints them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

from qbank.problem import Problem


@dataclass(frozen=True)
class Run:
    """What a report may say besides the problems."""

    files: list[str] = field(default_factory=list)
    strict: bool = False
    color: bool = False
    notes: tuple[str, ...] = ()  # what the run noted besides problems (cache discarded…)
    hidden: str = ""  # what a baseline hid, for the summary ("20 problems hidden by …")

    def failed(self, problems: list[Problem]) -> bool:
        return any(p.is_error or self.strict for p in problems)

    def exit_code(self, problems: list[Problem]) -> int:
        return 1 if self.failed(problems) else 0


Formatter = Callable[[list[Problem], Run], str]
FORMATS = ("text", "json", "github", "sarif", "junit")


def formatter(name: str) -> Formatter:
    """The render function of one format (modules load only when used)."""
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r}")
    module = import_module(f"qbank.report.{name}_format")
    render: Formatter = module.render
    return render


def counts(problems: list[Problem]) -> tuple[int, int]:
    errors = sum(1 for p in problems if p.is_error)
    return errors, len(problems) - errors
