"""Rule docs are generated from the registry and kept in sync."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from qbank.check import select_rules
from qbank.config import load_config
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


def _toml_after_settings(text: str) -> dict[str, Any]:
    snippet = text.split("## Settings\n", 1)[1].split("\n\n", 1)[1]
    return tomllib.loads(snippet.split("```toml\n", 1)[-1].split("```", 1)[0])


@pytest.mark.parametrize("code", ["QB303", "QB304", "QB105", "QB101"])
def test_rules_command_prints_the_settings_as_toml_that_config_accepts(
    code: str, qbank: Runner, tmp_path: Path
) -> None:
    rule = RULES[code]
    settings = _toml_after_settings(qbank("rules", code).out)
    table = settings["tool"]["qbank"]["rules"][code]
    assert table == {"severity": rule.severity.value, **rule.default}
    page = _toml_after_settings(rules_reference().split(f"## {code} ", 1)[1])
    assert page == settings
    # Pasted into either settings file, the snippet is read back as the rule's settings.
    for name in ("pyproject.toml", "qbank.toml"):
        project = tmp_path / name.split(".")[0]
        project.mkdir()
        snippet = qbank("rules", code).out.split("and change:\n\n", 1)[1]
        (project / name).write_text('[tool.qbank]\nbank = "questions"\n\n' + snippet)
        selection = select_rules(load_config(cwd=project))
        assert selection.options[code] == dict(rule.default)
        assert selection.severities[code] is rule.severity


def test_qbank_toml_with_settings_in_two_places_is_a_usage_error(
    qbank: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "qbank.toml").write_text(
        'bank = "questions"\n\n[tool.qbank.rules.QB205]\nratio = 2.0\n'
    )
    monkeypatch.chdir(tmp_path)
    result = qbank("lint")
    assert result.code == 2
    assert "both at the top level and in [tool.qbank]" in result.err
