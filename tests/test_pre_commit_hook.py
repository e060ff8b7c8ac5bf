"""The published pre-commit hook, used from another repository exactly as README says.

A new git repository gets a bank (`qbank init`) and README's `.pre-commit-config.yaml` with
only the repository URL swapped for this checkout's path; `pre-commit install` and real
`git commit`s follow. pre-commit builds the hook's environment by installing qbank at the
pinned commit, once for the module (minutes), in a private PRE_COMMIT_HOME.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from qbank.cli.main import main
from tests.conftest import REPO
from tests.user_repo_support import (
    GIT_IDENTITY,
    committed_file,
    git,
    locally,
    pip_environment,
    rev_under_test,
    user_repo_snippets,
)

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")

LOCATED = re.compile(r"^(?P<path>[^\s:]+):\d+:\d+: (?P<code>QB\d{3}) \[(?P<severity>\w+)\] ", re.M)
EXAMPLE = "questions/1-example-section-one/pb-1-1-001.yaml"
GOOD_QUESTION = """\
id: pb-1-1-002
domain: "1.1"
type: single
difficulty: medium
status: published
stem: |
  A course team sees that learners answer one question correctly far more often than the
  others, even learners who fail the rest of the test. What should the team check first?
options:
  - text: Whether the correct option differs from the distractors in length or wording.
    correct: true
    rationale: A key that stands out lets learners who lack the knowledge find it.
  - text: Whether the question comes too late in the test for tired learners to read it.
    rationale: Fatigue would lower the rate of correct answers, not raise it.
  - text: Whether its scenario is longer than the scenarios of the other questions.
    rationale: A longer scenario makes a question harder to read, not easier to guess.
  - text: Whether another member of the course team wrote the question.
    rationale: Who wrote a question does not explain why weak learners get it right.
explanation: |
  When learners who know little still choose the key, the options usually give it away:
  a longer, more precise or grammatically matching key is a classic cue.
references:
  - https://doi.org/10.1207/S15324818AME1503_5
tags: [item-writing]
"""


@dataclass
class UserRepo:
    root: Path
    env: dict[str, str]
    home: Path

    def commit(self, message: str) -> subprocess.CompletedProcess[str]:
        git("add", "-A", cwd=self.root, env=self.env)
        return subprocess.run(
            ["git", "commit", "-m", message], cwd=self.root, env=self.env,
            capture_output=True, text=True, timeout=900,
        )  # fmt: skip

    def write_question(self, name: str, text: str) -> str:
        path = f"questions/1-example-section-one/{name}.yaml"
        (self.root / path).write_text(text.replace("pb-1-1-001", name))
        return path


def _readme_hook_config() -> str:
    (config,) = [text for lang, text in user_repo_snippets() if "id: qbank-lint" in text]
    return config


@pytest.fixture(scope="module")
def user_repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[UserRepo]:
    temp = tmp_path_factory.mktemp("user-repo")
    root, home = temp / "bank", temp / "pre-commit-home"
    env = pip_environment() | GIT_IDENTITY | {"PRE_COMMIT_HOME": str(home)}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    assert main(["init", str(root), "--exam", "Python basics", "--short-name", "PB"]) == 0
    (root / ".pre-commit-config.yaml").write_text(locally(_readme_hook_config()))
    git("init", "-q", cwd=root, env=env)
    for command in (["install"], ["install-hooks"]):
        subprocess.run(
            [sys.executable, "-m", "pre_commit", *command], cwd=root, env=env, check=True,
            capture_output=True, timeout=3600,
        )  # fmt: skip
    yield UserRepo(root, env, home)


def _problems(output: str) -> list[tuple[str, str, str]]:
    return [(m["path"], m["code"], m["severity"]) for m in LOCATED.finditer(output)]


def test_the_new_bank_commits_and_its_warning_is_shown(user_repo: UserRepo) -> None:
    """The first commit holds every file of `qbank init`, .pre-commit-config.yaml included."""
    result = user_repo.commit("A new bank")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "qbank lint" in output and "Passed" in output
    # Shown although the hook passed: the subsection without questions yet.
    assert _problems(output) == [("questions/exam-guide.yaml", "QB404", "warning")]
    assert ".pre-commit-config.yaml" in git("show", "--stat", "HEAD", cwd=user_repo.root)


def test_a_bad_question_is_blocked_and_a_good_one_passes(user_repo: UserRepo) -> None:
    example = (user_repo.root / EXAMPLE).read_text()
    config = user_repo.root / ".pre-commit-config.yaml"
    config.write_text(config.read_text() + "# touched, so that pre-commit passes it to the hook\n")
    bad = user_repo.write_question("pb-1-1-002", example.replace("    correct: true\n", ""))
    blocked = user_repo.commit("A question without a key")
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert "Failed" in output
    assert (bad, "QB101", "error") in _problems(output), output
    assert not any(path == ".pre-commit-config.yaml" for path, _, _ in _problems(output))
    assert git("status", "--porcelain", cwd=user_repo.root).count(bad) == 1  # not committed

    user_repo.write_question("pb-1-1-002", GOOD_QUESTION)
    passed = user_repo.commit("A question with its key")
    output = passed.stdout + passed.stderr
    assert passed.returncode == 0, output
    assert not [p for p in _problems(output) if p[2] == "error"], output
    assert "pb-1-1-002" in git("show", "--stat", "HEAD", cwd=user_repo.root)


def test_a_question_with_only_a_warning_commits_and_shows_it(user_repo: UserRepo) -> None:
    example = (user_repo.root / EXAMPLE).read_text()
    text = example.replace(
        "https://doi.org/10.1207/S15324818AME1503_5", "http://example.com/item-writing"
    ).replace("A teacher writes", "A lecturer drafts")
    path = user_repo.write_question("pb-1-1-003", text)
    result = user_repo.commit("A question with an http reference")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert (path, "QB303", "warning") in _problems(output), output
    assert "pb-1-1-003" in git("show", "--stat", "HEAD", cwd=user_repo.root)


def _hook_python(home: Path) -> Path:
    (python,) = home.glob("repo*/py_env-*/bin/python")
    return python


def test_the_hook_environment_has_no_torch(user_repo: UserRepo) -> None:
    probe = "import importlib.metadata as m, sys\ntry: m.version('torch')\nexcept m."
    probe += "PackageNotFoundError: sys.exit(0)\nsys.exit(1)\n"
    has_torch = subprocess.run([_hook_python(user_repo.home), "-c", probe]).returncode == 1
    pinned = committed_file(rev_under_test(), "pyproject.toml")
    dependencies = pinned.split("dependencies = [", 1)[1].split("]", 1)[0]
    if '"torch' in dependencies:
        # The pinned commit predates the ONNX runtime work (issue 12, item 1): its default
        # install still depends on torch. This turns into a plain assertion once README pins
        # a commit without it.
        pytest.xfail(f"qbank at {rev_under_test()[:12]} still depends on torch by default")
    assert not has_torch, "the hook's environment installed torch"


def test_the_hook_is_the_published_one(user_repo: UserRepo) -> None:
    (manifest,) = user_repo.home.glob("repo*/.pre-commit-hooks.yaml")
    assert manifest.read_text() == (REPO / ".pre-commit-hooks.yaml").read_text()
