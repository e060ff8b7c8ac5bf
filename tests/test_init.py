"""`qbank init`: a new bank that lints, takes `qbank new`, and is never written over."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from qbank.init_project import PUBLISHED_REV
from tests.conftest import Runner

CREATED = {
    "qbank.toml",
    "questions/exam-guide.yaml",
    "questions/1-example-section-one/pb-1-1-001.yaml",
    ".pre-commit-config.yaml",
    ".github/workflows/qbank.yml",
    "schema/question.schema.json",
    "schema/exam-guide.schema.json",
    ".gitignore",
}


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def _init(qbank: Runner, root: Path, *args: str) -> list[str]:
    result = qbank("init", str(root), *args)
    assert result.code == 0, result.err
    return result.out.splitlines()


def test_init_in_an_empty_folder_gives_a_bank_that_lints(
    tmp_path: Path, qbank: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "python-basics"
    lines = _init(qbank, root)
    assert _files(root) == CREATED
    assert {line.removeprefix("created ") for line in lines if line.startswith("created ")} == (
        CREATED
    )
    guide = YAML(typ="safe").load((root / "questions" / "exam-guide.yaml").read_text())
    assert guide["exam"] == "python basics" and guide["short_name"] == "PB"
    assert len(guide["sections"]) == 2
    assert sum(section["weight"] for section in guide["sections"]) == 100
    settings = tomllib.loads((root / "qbank.toml").read_text())["tool"]["qbank"]
    assert settings == {"bank": "questions", "exam_guide": "questions/exam-guide.yaml"}
    assert (root / ".gitignore").read_text() == ".qbank_cache/\n"
    assert PUBLISHED_REV in (root / ".pre-commit-config.yaml").read_text()
    assert PUBLISHED_REV in (root / ".github" / "workflows" / "qbank.yml").read_text()

    monkeypatch.chdir(root)
    result = qbank("lint", "--format", "json")
    assert result.code == 0, result.out
    # The one warning is the empty example subsection 2.1: the next question to write.
    assert [(p["code"], p["filename"]) for p in json.loads(result.out)] == [
        ("QB404", "questions/exam-guide.yaml")
    ]
    example = qbank("lint", "--strict", "questions/1-example-section-one/pb-1-1-001.yaml")
    assert "pb-1-1-001" not in example.out, example.out


def test_qbank_new_works_in_the_new_bank(
    tmp_path: Path, qbank: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    _init(qbank, tmp_path, "--exam", "AWS: Solutions Architect", "--short-name", "SAA")
    monkeypatch.chdir(tmp_path)
    for domain in ("1.1", "2.1"):
        assert qbank("new", "--domain", domain).code == 0
    assert (tmp_path / "questions/1-example-section-one/saa-1-1-002.yaml").is_file()
    assert (tmp_path / "questions/2-example-section-two/saa-2-1-001.yaml").is_file()
    result = json.loads(qbank("lint", "--format", "json").out)
    # The skeletons are schema-valid, in the guide's subsections and named by their ids.
    assert not {p["code"] for p in result} & {"QB001", "QB002", "QB003", "QB005", "QB006"}
    guide = YAML(typ="safe").load((tmp_path / "questions" / "exam-guide.yaml").read_text())
    assert guide["exam"] == "AWS: Solutions Architect"


def test_a_second_init_overwrites_nothing(tmp_path: Path, qbank: Runner) -> None:
    assert set(_init(qbank, tmp_path, "--short-name", "PB")) >= {f"created {n}" for n in CREATED}
    for name in CREATED:
        (tmp_path / name).write_text(f"mine: {name}\n")
    lines = _init(qbank, tmp_path, "--short-name", "PB")
    for name in CREATED - {".gitignore"}:
        assert (tmp_path / name).read_text() == f"mine: {name}\n", name
    skipped = {line.removeprefix("skipped (exists) ") for line in lines if "skipped" in line}
    # The example question is only written into a bank without questions.
    assert skipped == CREATED - {".gitignore", "questions/1-example-section-one/pb-1-1-001.yaml"}
    assert (tmp_path / ".gitignore").read_text() == "mine: .gitignore\n.qbank_cache/\n"
    assert "updated .gitignore" in lines
    assert _init(qbank, tmp_path).count("updated .gitignore") == 0


def test_settings_already_in_pyproject_are_kept(tmp_path: Path, qbank: Runner) -> None:
    pyproject = '[project]\nname = "bank"\n\n[tool.qbank]\nbank = "questions"\n'
    (tmp_path / "pyproject.toml").write_text(pyproject)
    lines = _init(qbank, tmp_path)
    assert not (tmp_path / "qbank.toml").exists()
    assert (tmp_path / "pyproject.toml").read_text() == pyproject
    assert "skipped (exists) pyproject.toml" in lines


def test_a_pyproject_without_qbank_settings_is_left_alone(tmp_path: Path, qbank: Runner) -> None:
    pyproject = '[project]\nname = "bank"\n'
    (tmp_path / "pyproject.toml").write_text(pyproject)
    _init(qbank, tmp_path)
    assert (tmp_path / "pyproject.toml").read_text() == pyproject
    assert (tmp_path / "qbank.toml").is_file()


def test_init_in_the_current_folder_inside_another_project(
    tmp_path: Path, qbank: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A parent folder's settings are not the new bank's: it gets its own qbank.toml."""
    (tmp_path / "qbank.toml").write_text('[tool.qbank]\nbank = "elsewhere"\n')
    inner = tmp_path / "course"
    inner.mkdir()
    monkeypatch.chdir(inner)
    result = qbank("init")
    assert result.code == 0 and "created qbank.toml" in result.out.splitlines()
    assert qbank("lint").code == 0
    assert (tmp_path / "qbank.toml").read_text() == '[tool.qbank]\nbank = "elsewhere"\n'
