"""The repository's own promises: README commands, CI script, pre-commit, bundled bank."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, run_subprocess

README_SETUP = (
    'python3 -m venv .venv && .venv/bin/pip install -c constraints.txt -e ".[dev]" '
    "&& .venv/bin/qbank lint questions/"
)
README_TESTS = ".venv/bin/python -m pytest"


def test_readme_has_exactly_the_two_commands_that_ci_runs() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    ci = (REPO / ".ci" / "run").read_text("utf-8")
    blocks = readme.split("## Set up and run", 1)[1].split("\n## ", 1)[0]
    commands = [b.split("\n", 1)[1].strip() for b in blocks.split("```sh")[1:]]
    assert [c.split("\n```")[0] for c in commands] == [README_SETUP, README_TESTS]
    assert README_SETUP in ci and README_TESTS in ci
    assert ci.rstrip().endswith(".venv/bin/qbank lint questions/")


def test_bundled_bank_lints_clean() -> None:
    result = run_subprocess("lint", "--no-cache", "questions/", cwd=REPO)
    assert result.code == 0, result.out + result.err


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


@pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")
def test_pre_commit_run_all_files_passes(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(REPO / "questions", project / "questions")
    for name in (".pre-commit-config.yaml", "pyproject.toml"):
        shutil.copy(REPO / name, project / name)
    env = _environment() | {"PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    for command in (["git", "init", "-q"], ["git", "add", "."]):
        subprocess.run(command, cwd=project, check=True, env=env)
    run = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files"],
        cwd=project, capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "qbank lint" in run.stdout and "Passed" in run.stdout


def test_published_hook_manifest_is_valid() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", ".pre-commit-hooks.yaml"],
        cwd=REPO, capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr


def test_help_and_lint_do_not_import_torch(tmp_path: Path) -> None:
    probe = (
        "import sys\n"
        "from qbank.cli.main import main\n"
        "code = main(sys.argv[1:])\n"
        "heavy = {'torch', 'sentence_transformers'} & set(sys.modules)\n"
        "print('HEAVY', sorted(heavy))\n"
        "raise SystemExit(code)\n"
    )
    for args in (["--help"], ["lint", "--no-cache", "questions/"], ["rules"]):
        run = subprocess.run(
            [sys.executable, "-c", probe, *args], cwd=REPO, capture_output=True, text=True
        )
        assert "HEAVY []" in run.stdout, (args, run.stdout, run.stderr)
