"""The rule registry: every rule module, listed once, in code order."""

from __future__ import annotations

from types import ModuleType

from qbank.errors import QbankError
from qbank.rules import (
    absolute_terms_in_distractors,
    all_or_none_of_the_above,
    answer_cues,
    answer_position_bias,
    conflicting_key,
    deprecated_product_name,
    domain_weight_drift,
    duplicate_id,
    duplicate_option,
    empty_subsection,
    exact_duplicate,
    formatting_cue,
    grammatical_cue,
    id_filename_mismatch,
    longest_option_correct,
    markdown_problem,
    missing_explanation,
    missing_rationale,
    near_duplicate,
    no_correct_option,
    option_count,
    option_refers_to_position,
    placeholder_text,
    reference_problem,
    schema,
    select_count_mismatch,
    select_count_not_stated,
    several_correct_in_single,
    stem_length,
    unemphasized_negative,
    unknown_domain,
    unknown_topic,
    unsafe_yaml,
    yaml_syntax,
)
from qbank.rules.base import Rule
from qbank.suggest import did_you_mean

_MODULES: tuple[ModuleType, ...] = (
    # file and format
    yaml_syntax,
    unsafe_yaml,
    schema,
    duplicate_id,
    id_filename_mismatch,
    unknown_domain,
    unknown_topic,
    # answer key
    no_correct_option,
    several_correct_in_single,
    select_count_mismatch,
    duplicate_option,
    option_count,
    # stem and options
    all_or_none_of_the_above,
    unemphasized_negative,
    select_count_not_stated,
    option_refers_to_position,
    longest_option_correct,
    absolute_terms_in_distractors,
    formatting_cue,
    grammatical_cue,
    stem_length,
    placeholder_text,
    # explanation and sources
    missing_explanation,
    missing_rationale,
    reference_problem,
    deprecated_product_name,
    markdown_problem,
    # bank
    exact_duplicate,
    near_duplicate,
    conflicting_key,
    domain_weight_drift,
    empty_subsection,
    answer_position_bias,
    answer_cues,
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
