"""README's "Use it in your bank": every snippet marked `<!-- snippet: user-repo -->` is run or
compared here, and the commit they pin is a commit of this repository with the current hook.

The shell snippets run in order in an empty folder, with the public URL swapped for this
checkout; the YAML snippets are exactly what `qbank init` writes (the pre-commit one is also
what test_pre_commit_hook.py commits with, and the workflow's Action is tested in
test_action.py).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from qbank.init_project import PUBLISHED_REV, hook_config, workflow
from tests.conftest import REPO
from tests.user_repo_support import (
    MARKER,
    borrowing_venv,
    committed_file,
    git,
    locally,
    on_path,
    pip_environment,
    published_rev_at,
    readme_rev,
    rev_under_test,
    user_repo_snippets,
)


def test_every_user_repo_snippet_is_run_or_compared() -> None:
    snippets = user_repo_snippets()
    readme = (REPO / "README.md").read_text("utf-8")
    marker_lines = sum(line.strip() == MARKER for line in readme.splitlines())
    assert len(snippets) == marker_lines == 4
    for language, text in snippets:
        if language == "sh":
            continue  # test_readme_install_and_start_commands runs every one of them
        assert language == "yaml"
        assert text in (hook_config(), workflow()), text
    assert {text for _, text in snippets} >= {hook_config(), workflow()}


def test_the_pinned_commit_has_the_current_hook_and_action() -> None:
    rev = readme_rev()
    assert re.fullmatch(r"[0-9a-f]{40}", rev), "pin a full commit SHA"
    assert rev == PUBLISHED_REV, "README and `qbank init` pin the same commit"
    exists = subprocess.run(["git", "cat-file", "-e", f"{rev}^{{commit}}"], cwd=REPO)
    assert exists.returncode == 0, f"{rev} is not a commit of this repository"
    manifest = (REPO / ".pre-commit-hooks.yaml").read_text()
    assert committed_file(rev, ".pre-commit-hooks.yaml") == manifest
    inputs = YAML(typ="safe").load((REPO / "action.yml").read_text())["inputs"]
    pinned = YAML(typ="safe").load(committed_file(rev, "action.yml"))["inputs"]
    assert set(pinned) == set(inputs)
    # `qbank init` of the pinned qbank writes a commit that has the same hook.
    assert committed_file(published_rev_at(rev), ".pre-commit-hooks.yaml") == manifest


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_readme_install_and_start_commands(tmp_path: Path) -> None:
    env = on_path(borrowing_venv(tmp_path / "venv"), pip_environment())
    bank = tmp_path / "bank"
    bank.mkdir()
    script = "\n".join(locally(text) for language, text in user_repo_snippets() if language == "sh")
    assert "pip install" in script and "qbank init" in script
    run = subprocess.run(
        ["bash", "-eo", "pipefail", "-c", f"{script}\ncommand -v qbank"],
        cwd=bank, env=env, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.strip().splitlines()[-1] == str(tmp_path / "venv" / "bin" / "qbank")
    assert "created questions/exam-guide.yaml" in run.stdout
    # qbank at the pinned commit writes the commit it was told to pin, itself or an earlier one.
    written = hook_config().replace(PUBLISHED_REV, published_rev_at(rev_under_test()))
    assert (bank / ".pre-commit-config.yaml").read_text() == written


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_autoupdate_moves_the_pinned_commit_to_the_newest(tmp_path: Path) -> None:
    """No tags: `pre-commit autoupdate` pins the default branch's newest commit."""
    (hook,) = [text for _, text in user_repo_snippets() if "id: qbank-lint" in text]
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text(locally(hook))
    git("init", "-q", cwd=tmp_path)
    env = pip_environment() | {"PRE_COMMIT_HOME": str(tmp_path / "home")}
    run = subprocess.run(
        [sys.executable, "-m", "pre_commit", "autoupdate"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    newest = git("rev-parse", "HEAD", cwd=REPO).strip()
    updated = YAML(typ="safe").load(config.read_text())["repos"][0]["rev"]
    assert updated == newest
    assert "# a commit of qbank" in config.read_text()
