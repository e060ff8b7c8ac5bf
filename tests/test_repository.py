"""The repository's own promises: README commands, CI script, pre-commit, bundled bank."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA, REPO, run_subprocess

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


@pytest.mark.embeddings  # QB402 embeds the whole bank: --no-cache loads the model
def test_bundled_bank_lints_clean() -> None:
    result = run_subprocess("lint", "--no-cache", "questions/", cwd=REPO)
    assert result.code == 0, result.out + result.err


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


@pytest.mark.embeddings  # a fresh copy has no embedding cache
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


PROBE = (
    "import sys\n"
    "from qbank.cli.main import main\n"
    "code = main(sys.argv[1:])\n"
    "heavy = {'torch', 'sentence_transformers'} & set(sys.modules)\n"
    "print('HEAVY', sorted(heavy))\n"
    "raise SystemExit(code)\n"
)


def _probe(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", PROBE, *args], cwd=cwd, capture_output=True, text=True
    )


def test_help_and_rules_do_not_import_torch() -> None:
    for args in (["--help"], ["rules"], ["dedup", "--help"]):
        run = _probe(args, REPO)
        assert "HEAVY []" in run.stdout, (args, run.stdout, run.stderr)


def _warm_embedding_cache(project: Path) -> None:
    """Vectors for every text of the bank, under the default model's identity (made up by
    the stand-in encoder: what is checked is that nothing needs the model)."""
    from qbank.dedup.cache import EmbeddingCache
    from qbank.dedup.model import resolve_model
    from qbank.dedup.settings import DEFAULT_MODEL
    from qbank.dedup.text import question_texts, text_key
    from qbank.load.bank import load_questions
    from qbank.load.files import discover, read_sources
    from tests.fakes import FakeEncoder

    files = load_questions(read_sources(discover([project / "questions"]), project))
    texts = [text for f in files if f.record is not None for text in question_texts(f.record)]
    keys = [text_key(text) for text in texts]
    cache = EmbeddingCache(project / ".qbank_cache", resolve_model(DEFAULT_MODEL, project).identity)
    cache.put(keys, FakeEncoder().encode(texts, 32))
    cache.get(keys)
    cache.save()


def test_lint_and_dedup_with_every_text_cached_do_not_import_torch(tmp_path: Path) -> None:
    shutil.copytree(DATA / "bank", tmp_path / "questions")
    (tmp_path / "qbank.toml").write_text('bank = "questions"\n')
    _warm_embedding_cache(tmp_path)
    for args in (["lint", "--select", "QB402"], ["lint"], ["dedup"]):
        run = _probe(args, tmp_path)
        assert run.returncode == 0 and "HEAVY []" in run.stdout, (args, run.stdout, run.stderr)
    assert "QB402" not in _probe(["lint"], tmp_path).stdout
    one = tmp_path / "questions" / "2-more" / "t-2-1-001.yaml"
    one.write_text(one.read_text().replace("stem: |\n", "stem: |\n  Changed: "))
    run = _probe(["lint", "--no-cache", "--ignore", "QB402,QB406"], tmp_path)
    assert "HEAVY []" in run.stdout, run.stdout + run.stderr
