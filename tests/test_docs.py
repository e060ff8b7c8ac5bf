"""Rule docs are generated from the registry and kept in sync."""

from __future__ import annotations

import json
import re

import pytest

from qbank.docs import readme_with_table, rules_reference
from qbank.rules import RULES
from qbank.rules.base import DOC_SECTIONS
from tests.conftest import REPO, Runner


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_docstring_has_the_sections(code: str) -> None:
    rule = RULES[code]
    assert re.fullmatch(r"QB\d{3}", rule.code)
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name)
    for section in DOC_SECTIONS:
        assert f"## {section}" in rule.doc, f"{code} lacks '## {section}'"


def test_names_and_codes_are_unique() -> None:
    assert len({rule.name for rule in RULES.values()}) == len(RULES)


def test_readme_rule_table_is_current() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    assert readme == readme_with_table(readme), "run `python -m qbank.docs`"


def test_docs_rules_page_is_current() -> None:
    assert (REPO / "docs" / "rules.md").read_text("utf-8") == rules_reference()


def test_rules_command(qbank: Runner) -> None:
    listing = qbank("rules")
    assert listing.code == 0
    assert len(listing.out.strip().splitlines()) == len(RULES)
    one = qbank("rules", "QB005")
    assert one.code == 0 and "## Why it matters" in one.out and "id-filename-mismatch" in one.out
    by_name = qbank("rules", "id-filename-mismatch")
    assert by_name.out == one.out
    records = json.loads(qbank("rules", "--format", "json").out)
    assert {r["code"] for r in records} == set(RULES)
    assert qbank("rules", "QB999").code == 2
