"""The committed JSON Schemas are generated from the models and agree with them."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from pydantic import ValidationError

from qbank.load.yamlparse import parse
from qbank.models import ExamGuide, Question
from qbank.schemas import GENERATORS, render
from tests.conftest import DATA, REPO, Runner


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_committed_schema_matches_models(name: str) -> None:
    committed = (REPO / "schema" / name).read_text("utf-8")
    assert committed == render(name), "run `qbank schema --write`"


def test_schema_check_command(tmp_path: Path, qbank: Runner) -> None:
    assert qbank("schema", "--check", "--dir", str(REPO / "schema")).code == 0
    assert qbank("schema", "--check", "--dir", str(tmp_path)).code == 1
    assert qbank("schema", "--write", "--dir", str(tmp_path)).code == 0
    assert qbank("schema", "--check", "--dir", str(tmp_path)).code == 0


def _question() -> dict[str, object]:
    return parse((DATA / "bank" / "1-basics" / "t-1-2-001.yaml").read_bytes()).data


VARIANTS = {
    "valid": {},
    "single with select": {"type": "single"},
    "multiple without select": {"select": None},
    "select too small": {"select": 1},
    "unknown key": {"stm": "x"},
    "domain as number": {"domain": 4.2},
    "bad id": {"id": "Has Spaces"},
    "one option": {"options": [{"text": "a"}]},
    "option text empty": {"options": [{"text": ""}, {"text": "b"}]},
    "tag with space": {"tags": ["two words"]},
    "bool as int": {"select": True},
    "status unknown": {"status": "final"},
}


@pytest.mark.parametrize("change", VARIANTS.values(), ids=VARIANTS.keys())
def test_json_schema_and_model_agree(change: dict[str, object]) -> None:
    data = _question() | change
    data = {k: v for k, v in data.items() if v is not None}
    schema = json.loads(render("question.schema.json"))
    schema_ok = jsonschema.Draft202012Validator(schema).is_valid(data)
    try:
        Question.model_validate(data)
        model_ok = True
    except ValidationError:
        model_ok = False
    assert schema_ok == model_ok
    assert model_ok == (change == {})


def test_bundled_exam_guide_is_valid() -> None:
    guide = ExamGuide.model_validate(
        parse((REPO / "questions" / "exam-guide.yaml").read_bytes()).data
    )
    assert sum(section.weight for section in guide.sections) == 100
    assert len(guide.subsections) == 16
