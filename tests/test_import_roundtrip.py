"""Acceptance: the bundled bank, exported and imported into an empty folder, loads the same."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qbank.load.bank import discover, load_questions, read_sources
from qbank.models import Question
from tests.conftest import REPO, Runner


@pytest.fixture
def bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the repository's bank (questions/ and its guide) as a project folder."""
    shutil.copytree(REPO / "questions", tmp_path / "questions")
    (tmp_path / "qbank.toml").write_text('bank = "questions"\n')
    monkeypatch.chdir(tmp_path)
    return tmp_path


def questions_in(folder: Path) -> dict[str, Question]:
    files = load_questions(read_sources(discover([folder]), folder))
    assert not [(f.path, f.problems) for f in files if f.record is None]
    return {f.record.id: f.record for f in files if f.record is not None}


@pytest.mark.parametrize("format_name", ["json", "jsonl"])
def test_json_export_imports_back_to_the_same_questions(
    bundled: Path, qbank: Runner, format_name: str
) -> None:
    exported = bundled / f"bank.{format_name}"
    result = qbank("export", "--format", format_name, "--out", str(exported))
    assert result.code == 0, result.err
    empty = bundled / "imported"
    result = qbank("import", "--from", "json", str(exported), "--out", str(empty))
    assert result.code == 0, result.err
    assert "note:" not in result.err and "skipped 0" in result.err
    original, back = questions_in(bundled / "questions"), questions_in(empty)
    assert len(original) == 120
    assert back == original  # ids, domains, stems, options, keys, rationale, explanation, …
    texts = [path.read_text("utf-8") for path in empty.rglob("*.yaml")]
    assert not [t for t in texts if "Kept from the source" in t]  # nothing needed a comment
    assert qbank("fmt", "--check", str(empty)).code == 0  # already in the canonical layout
