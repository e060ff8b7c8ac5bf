"""qbank in a bank's own git repository: `qbank lint --only-bank-files` (what the pre-commit
hook runs on every changed YAML file of an arbitrary repository) judges only question files of
the configured bank, and the cache folder stays out of git."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import Runner

QUESTION = "questions/1-basics/t-1-1-001.yaml"
OTHER_QUESTION = "questions/2-more/t-2-1-001.yaml"
NOT_QUESTIONS = {
    ".pre-commit-config.yaml": "repos: []\n",
    ".github/workflows/qbank.yml": "on: push\n",
    "docs/mkdocs.yml": "site_name: x\n",
    "questions/README.md": "# About the bank\n",
    "questions/.hidden.yaml": "a: 1\n",
}


def _write_other_files(root: Path) -> list[str]:
    for name, text in NOT_QUESTIONS.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return list(NOT_QUESTIONS)


def _break(root: Path, name: str) -> None:
    path = root / name
    path.write_text(path.read_text().replace("id: t-", "id: x-"))  # QB005 on line 1


def _reported(result_out: str) -> set[str]:
    return {problem["filename"] for problem in json.loads(result_out)}


def test_files_that_are_not_questions_of_the_bank_are_never_judged(
    bank: Path, qbank: Runner
) -> None:
    others = _write_other_files(bank)
    result = qbank("lint", "--only-bank-files", *others)
    assert (result.code, result.out, result.err) == (0, "", "")
    # Without the flag, such paths form a bank of their own and fail as questions.
    assert qbank("lint", *others).code == 1


def test_questions_among_other_files_are_judged_alone(bank: Path, qbank: Runner) -> None:
    others = _write_other_files(bank)
    _break(bank, QUESTION)
    _break(bank, OTHER_QUESTION)
    result = qbank("lint", "--only-bank-files", "--format", "json", *others, QUESTION)
    assert result.code == 1
    assert _reported(result.out) == {QUESTION}
    text = qbank("lint", "--only-bank-files", *others, QUESTION).out
    assert f"{QUESTION}:1:5: QB005 [error]" in text


def test_a_changed_exam_guide_lints_the_whole_bank(bank: Path, qbank: Runner) -> None:
    others = _write_other_files(bank)
    _break(bank, QUESTION)
    _break(bank, OTHER_QUESTION)
    guide = "questions/exam-guide.yaml"
    result = qbank("lint", "--only-bank-files", "--format", "json", guide, *others)
    assert result.code == 1
    assert _reported(result.out) == {QUESTION, OTHER_QUESTION}


def test_a_bank_at_the_repository_root_skips_hidden_files(
    bank: Path, qbank: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With `bank = "."`, the repository's own dotfiles lie inside the bank folder."""
    project = bank / "questions"
    dotfiles = [".pre-commit-config.yaml", ".github/workflows/qbank.yml"]
    for name in dotfiles:
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text("repos: []\n")
    (project / "qbank.toml").write_text('[tool.qbank]\nbank = "."\n')
    monkeypatch.chdir(project)
    assert qbank("lint", "--only-bank-files", *dotfiles).out == ""
    whole = qbank("lint")
    assert whole.code == 0, whole.out
    assert whole.out.strip() == "All checks passed (3 files)."


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_the_cache_folder_ignores_itself_in_git(bank: Path, qbank: Runner) -> None:
    """Without it, `git add -A` stages the cache, and pre-commit fails a passing hook with
    "files were modified by this hook" because the hook rewrote it."""
    subprocess.run(["git", "init", "-q"], cwd=bank, check=True)
    assert qbank("lint").code == 0
    assert (bank / ".qbank_cache" / "files.json").is_file()
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=bank, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert ".qbank_cache" not in status and "questions/" in status
