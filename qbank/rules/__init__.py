"""The rule registry: every rule module, listed once, in code order."""

from __future__ import annotations

from types import ModuleType

from qbank.errors import QbankError
from qbank.rules import (
    duplicate_id,
    id_filename_mismatch,
    near_duplicate,
    schema,
    unknown_domain,
    unsafe_yaml,
    yaml_syntax,
)
from qbank.rules.base import Rule
from qbank.suggest import did_you_mean

_MODULES: tuple[ModuleType, ...] = (
    yaml_syntax,
    unsafe_yaml,
    schema,
    duplicate_id,
    id_filename_mismatch,
    unknown_domain,
    near_duplicate,
)

RULES: dict[str, Rule] = {
    rule.code: rule for rule in sorted(map(Rule.from_module, _MODULES), key=lambda r: r.code)
}
_BY_NAME = {rule.name: rule for rule in RULES.values()}


def get_rule(selector: str) -> Rule:
    """A rule by code (QB101) or name (no-correct-option)."""
    rule = RULES.get(selector.upper()) or _BY_NAME.get(selector)
    if rule is None:
        hint = did_you_mean(selector, [*RULES, *_BY_NAME])
        raise QbankError(f"unknown rule '{selector}'{hint}")
    return rule


def matches(rule: Rule, selector: str) -> bool:
    """A selector is a code, a code prefix (QB2, QB) or a rule name."""
    return rule.name == selector or rule.code.startswith(selector.upper())


def expand(selectors: tuple[str, ...] | list[str]) -> set[str]:
    """The codes a list of selectors names; an unknown selector is a usage error."""
    codes: set[str] = set()
    for selector in selectors:
        found = {rule.code for rule in RULES.values() if matches(rule, selector)}
        if not found:
            hint = did_you_mean(selector, [*RULES, *_BY_NAME])
            raise QbankError(f"unknown rule selector '{selector}'{hint}")
        codes |= found
    return codes
