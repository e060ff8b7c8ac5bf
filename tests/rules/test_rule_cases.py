"""One YAML case file per rule (cases/QBnnn.yaml), run by this one parametrized test.

A case lists questions as changes to base_question.yaml (`{}` is the base itself), each
written to `<id>.yaml` unless `_file` names the file, or `_raw` gives the file's text. It
expects `problems`: a count, or a list of {line, col, message (substring), file}. `config`
sets the rule's options; `guide` replaces the exam guide's text.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from qbank.config import Config
from qbank.lint import lint
from qbank.rules import RULES
from qbank.rules.base import Scope
from tests.conftest import DATA

CASES = Path(__file__).parent / "cases"
BASE = YAML(typ="safe", pure=True).load((Path(__file__).parent / "base_question.yaml").read_text())


def _load_cases() -> list[Any]:
    params = []
    for path in sorted(CASES.glob("QB*.yaml")):
        document = YAML(typ="safe", pure=True).load(path.read_text("utf-8"))
        for case in document["cases"]:
            params.append(pytest.param(document["rule"], case, id=f"{path.stem}-{case['name']}"))
    return params


def _dump(data: dict[str, Any]) -> str:
    yaml = YAML()  # round-trip dumper: keeps the key order of the base question
    yaml.default_flow_style = False
    yaml.width = 4096
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()


def _write_questions(folder: Path, questions: list[dict[str, Any]]) -> None:
    for index, change in enumerate(questions, start=1):
        change = dict(change)
        raw = change.pop("_raw", None)
        data = {**BASE, "id": f"t-1-1-{index:03d}", **change}
        name = change.pop("_file", None) or f"{data['id']}.yaml"
        data.pop("_file", None)
        text = raw if raw is not None else _dump(data)
        (folder / name).write_text(text, "utf-8")


@pytest.mark.parametrize(("code", "case"), _load_cases())
def test_rule_case(tmp_path: Path, code: str, case: dict[str, Any]) -> None:
    bank = tmp_path / "questions"
    bank.mkdir()
    guide = case.get("guide") or (DATA / "bank" / "exam-guide.yaml").read_text()
    (bank / "exam-guide.yaml").write_text(guide)
    _write_questions(bank, case.get("questions", [{}]))
    rules = {code: case["config"]} if "config" in case else {}
    config = Config(root=tmp_path, bank=bank, exam_guide=bank / "exam-guide.yaml", rules=rules)
    result = lint([], config, select=[code], use_cache=False, cwd=tmp_path)
    found = [p for p in result.problems if p.code == code]
    expected = case["problems"]
    if isinstance(expected, int):
        assert len(found) == expected, found
        return
    assert len(found) == len(expected), found
    for problem, want in zip(found, expected, strict=True):
        if "line" in want:
            assert (problem.line, problem.col) == (want["line"], want["col"]), problem
        if "message" in want:
            assert want["message"] in problem.message, problem
        if "file" in want:
            assert problem.path.endswith(want["file"]), problem


def test_every_rule_has_a_case_file_that_fires_and_one_that_does_not() -> None:
    checked = {c for c, r in RULES.items() if r.check is not None}
    documents = {
        p.stem: YAML(typ="safe", pure=True).load(p.read_text()) for p in CASES.glob("*.yaml")
    }
    assert checked <= set(documents), sorted(checked - set(documents))
    for code, document in documents.items():
        assert document["rule"] == code and re.fullmatch(r"QB\d{3}", code)
        outcomes = {bool(c["problems"]) for c in document["cases"]}
        assert outcomes == {True, False}, f"{code} needs a passing and a failing case"


def test_the_base_question_is_clean_under_every_question_rule(tmp_path: Path) -> None:
    """Bank rules are left out: one question cannot fill the guide's subsections (QB404)."""
    bank = tmp_path / "questions"
    bank.mkdir()
    (bank / "exam-guide.yaml").write_text((DATA / "bank" / "exam-guide.yaml").read_text())
    _write_questions(bank, [{}])
    config = Config(root=tmp_path, bank=bank, exam_guide=bank / "exam-guide.yaml")
    question_rules = [code for code, rule in RULES.items() if rule.scope is not Scope.BANK]
    result = lint([], config, select=question_rules, use_cache=False, cwd=tmp_path)
    assert result.problems == []
