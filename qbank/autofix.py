"""Apply safe fixes (`qbank lint --fix`) and the canonical layout (`qbank fmt`) to files."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from qbank.cache import atomic_write_bytes
from qbank.check import Selection
from qbank.fix import CannotRewrite, Fixer, Rewrite, apply_fixes, format_text
from qbank.load.files import display_path
from qbank.load.source import read_checked
from qbank.load.yamlparse import YamlProblem, parse
from qbank.problem import Problem
from qbank.rules import RULES, matches


@dataclass
class Outcome:
    changed: list[tuple[str, Rewrite]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Files that cannot be read as safe YAML (QB001/QB002), as lint would report them.
    problems: list[Problem] = field(default_factory=list)

    def diff(self) -> str:
        return "".join(
            "".join(
                difflib.unified_diff(
                    rewrite.before.splitlines(keepends=True),
                    rewrite.after.splitlines(keepends=True),
                    fromfile=f"a/{name}",
                    tofile=f"b/{name}",
                )
            )
            for name, rewrite in self.changed
        )


def fixers(selection: Selection) -> Callable[[Any], list[Fixer]]:
    """For a file's data: the fixes of the selected rules the question does not silence."""
    fixable = [
        (rule, partial(rule.fix, options=selection.options[rule.code]))
        for rule in map(RULES.__getitem__, sorted(selection.codes))
        if rule.fix is not None
    ]

    def for_data(data: Any) -> list[Fixer]:
        lint = data.get("lint") if isinstance(data, dict) else None
        silenced = lint.get("ignore", []) if isinstance(lint, dict) else []
        return [
            fix
            for rule, fix in fixable
            if not any(isinstance(s, str) and matches(rule, s) for s in silenced)
        ]

    return for_data


def rewrite_files(
    paths: list[Path], rewrite: Callable[[str, Any], Rewrite], write: bool, cwd: Path
) -> Outcome:
    """Rewrite each file that our safe reader accepts; the others become problems."""
    outcome = Outcome()
    for path in paths:
        name = display_path(path, cwd)
        try:
            raw = read_checked(path)
            data = parse(raw).data
            result = rewrite(raw.decode("utf-8-sig"), data)
        except YamlProblem as exc:
            rule = RULES[exc.code]
            outcome.problems.append(
                Problem(name, exc.line, exc.col, rule.code, exc.message, rule.name, rule.severity)
            )
            continue
        except CannotRewrite as exc:
            outcome.notes.append(f"{name}: not rewritten ({exc})")
            continue
        except Exception as exc:  # ruamel.yaml raises many types for invalid YAML
            outcome.notes.append(f"{name}: not rewritten ({exc.__class__.__name__})")
            continue
        if result.changed:
            outcome.changed.append((name, result))
            if write:
                atomic_write_bytes(path, result.after.encode("utf-8"))
    return outcome


def fix_files(paths: list[Path], selection: Selection, write: bool, cwd: Path) -> Outcome:
    choose = fixers(selection)
    return rewrite_files(paths, lambda text, data: apply_fixes(text, choose(data)), write, cwd)


def format_files(paths: list[Path], write: bool, cwd: Path) -> Outcome:
    return rewrite_files(paths, lambda text, data: format_text(text), write, cwd)
