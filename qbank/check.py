"""The lint engine: choose the rules, run them over the bank, return sorted Problems."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from qbank.config import Config
from qbank.errors import QbankError
from qbank.load.bank import Bank, QuestionFile
from qbank.models import Question
from qbank.problem import Problem, Severity
from qbank.rules import RULES, expand, get_rule, matches
from qbank.rules.base import Context, Rule, Scope
from qbank.suggest import did_you_mean


@dataclass(frozen=True)
class Selection:
    """Which rules run, with which options and severities."""

    codes: frozenset[str]
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    severities: dict[str, Severity] = field(default_factory=dict)

    def fingerprint(self) -> str:
        """A stable text naming every choice (set order would vary between runs)."""
        choices = {
            "codes": sorted(self.codes),
            "options": self.options,
            "severities": {code: s.value for code, s in self.severities.items()},
        }
        return json.dumps(choices, sort_keys=True, default=str)

    def rules(self) -> list[Rule]:
        return [rule for code, rule in RULES.items() if code in self.codes]

    @functools.cached_property
    def question_rules(self) -> list[Rule]:
        return [r for r in self.rules() if r.scope is Scope.QUESTION and r.check is not None]

    @functools.cached_property
    def summarizing_rules(self) -> list[Rule]:
        return [r for r in self.rules() if r.scope is Scope.BANK and r.summarize is not None]


def select_rules(
    config: Config, select: Iterable[str] | None = None, ignore: Iterable[str] | None = None
) -> Selection:
    """Rules from config, with the CLI's --select/--ignore replacing the configured lists."""
    chosen = expand(list(select) if select is not None else list(config.select))
    chosen -= expand(list(ignore) if ignore is not None else list(config.ignore))
    options: dict[str, dict[str, Any]] = {code: dict(RULES[code].default) for code in RULES}
    severities = {code: rule.severity for code, rule in RULES.items()}
    for selector, table in config.rules.items():
        rule = get_rule(selector)
        for key, value in table.items():
            if key == "severity":
                severities[rule.code] = _severity(rule, value)
            elif key not in rule.default:
                hint = did_you_mean(key, rule.default)
                raise QbankError(f"rule {rule.code} ({rule.name}) has no option '{key}'{hint}")
            elif not _same_type(value, rule.default[key]):
                raise QbankError(
                    f"rule {rule.code} option '{key}' must be like {rule.default[key]!r}"
                )
            else:
                options[rule.code][key] = value
    return Selection(frozenset(chosen), options, severities)


def _severity(rule: Rule, value: Any) -> Severity:
    try:
        return Severity(value)
    except ValueError:
        raise QbankError(f"rule {rule.code}: severity must be 'error' or 'warning'") from None


def _same_type(value: Any, default: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, int | float):
        return isinstance(value, int | float)
    if isinstance(default, list):
        return isinstance(value, list)
    return isinstance(value, type(default))


def run_checks(
    bank: Bank, targets: set[str], selection: Selection, context: Context
) -> list[Problem]:
    """Every problem in the target files, and the bank-wide ones that concern them."""
    silenced = {file.record_id: _silenced(_ignored(file)) for file in bank.files if file.record_id}
    found: list[Problem] = []
    if bank.guide_file is not None:
        found.extend(bank.guide_file.problems)
    for file in bank.files:
        if file.path in targets:
            found.extend(file.problems)
    for file in bank.files:
        if file.path in targets and file.valid:
            if file.checked is None and (question := bank.record(file)) is not None:
                file.checked = check_question(question, file, selection, context)
            found.extend(file.checked or ())
    bank_paths = {file.path for file in bank.files}
    for rule in selection.rules():
        if rule.scope is Scope.BANK and rule.check is not None:
            for problem in rule.check(bank, selection.options[rule.code], context):
                if problem.path in targets or problem.path not in bank_paths:
                    found.append(replace(problem, code=problem.code or rule.code))
    return sorted(_finish(found, selection, silenced))


def check_question(
    question: Question, file: QuestionFile, selection: Selection, context: Context
) -> list[Problem]:
    """The question-scope rules on one question (also run in loader worker processes)."""
    silenced = _silenced(question.lint.ignore)
    found: list[Problem] = []
    for rule in selection.question_rules:
        if rule.code not in silenced and rule.check is not None:
            checked = rule.check(question, file, selection.options[rule.code], context)
            found.extend(replace(p, code=p.code or rule.code) for p in checked)
    return found


def summarize_question(question: Question, selection: Selection) -> dict[str, Any]:
    """The bank rules' summaries of one question (also computed in loader worker processes)."""
    return {rule.code: rule.summarize(question) for rule in selection.summarizing_rules
            if rule.summarize is not None}  # fmt: skip


def _ignored(file: QuestionFile) -> list[str]:
    """The selectors a file's `lint: {ignore: [...]}` lists; for a file that fails the schema,
    those of its data that are text (its other problems are reported all the same)."""
    if file.record is not None:
        return file.record.lint.ignore
    if file.outline is not None:
        return file.outline.ignore
    lint = (file.data or {}).get("lint")
    ignore = lint.get("ignore") if isinstance(lint, dict) else None
    return [s for s in ignore if isinstance(s, str)] if isinstance(ignore, list) else []


def _silenced(selectors: list[str]) -> set[str]:
    return {rule.code for rule in RULES.values() for s in selectors if matches(rule, s)}


def _finish(
    found: list[Problem], selection: Selection, silenced: dict[str, set[str]]
) -> Iterator[Problem]:
    seen: set[tuple[str, int, int, str, str]] = set()
    for problem in found:
        if problem.code not in selection.codes:
            continue
        if problem.question_id and problem.code in silenced.get(problem.question_id, ()):
            continue
        identity = (problem.path, problem.line, problem.col, problem.code, problem.message)
        if identity in seen:
            continue  # the same finding at the same place is reported once
        seen.add(identity)
        rule = RULES[problem.code]
        yield replace(problem, name=rule.name, severity=selection.severities[rule.code])
