"""The GitHub Action (action.yml): what can be run offline is run. Its shell steps execute as
GitHub runs them (bash -eo pipefail, with the step's env and working directory) in a new bank
repository; the actions it uses (setup-python, cache) are checked as configuration."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from qbank import __version__
from qbank.cli.main import main
from tests.conftest import REPO
from tests.user_repo_support import borrowing_venv, on_path, pip_environment

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def _action() -> dict[str, Any]:
    document: dict[str, Any] = YAML(typ="safe").load((REPO / "action.yml").read_text())
    return document


def _evaluate(text: str, inputs: dict[str, str]) -> str:
    """The `${{ }}` expressions a shell step may use: inputs and the action's own path."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("inputs."):
            return inputs[name.removeprefix("inputs.")]
        assert name == "github.action_path", f"the test does not know {name}"
        return str(REPO)

    return EXPRESSION.sub(value, text)


def _steps(kind: str) -> list[dict[str, Any]]:
    return [step for step in _action()["runs"]["steps"] if kind in step]


def test_the_action_is_composite_with_documented_inputs() -> None:
    action = _action()
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) == {"package", "python-version", "args", "working-directory",
                                     "cache"}  # fmt: skip
    for name, spec in action["inputs"].items():
        assert spec["description"] and "default" in spec, name
    assert action["inputs"]["args"]["default"] == "--format github"
    for step in _steps("run"):
        assert step["shell"] == "bash"
        # Inputs reach scripts through env only, never pasted into the script's text.
        assert "${{" not in step["run"], step["name"]
    uses = {step["uses"].split("@")[0]: step for step in _steps("uses")}
    assert set(uses) == {"actions/setup-python", "actions/cache"}
    cache = uses["actions/cache"]
    assert cache["if"] == "inputs.cache == 'true'"
    assert _evaluate(cache["with"]["path"], {"working-directory": "."}) == "./.qbank_cache"
    for part in ("steps.install.outputs.version", "hashFiles(", "runner.os"):
        assert part in cache["with"]["key"], part
    assert cache["with"]["restore-keys"] in cache["with"]["key"]


def _bank_with_an_error(root: Path) -> str:
    assert main(["init", str(root), "--short-name", "PB"]) == 0
    broken = "questions/1-example-section-one/pb-1-1-002.yaml"
    example = (root / "questions/1-example-section-one/pb-1-1-001.yaml").read_text()
    (root / broken).write_text(example.replace("    correct: true\n", ""))
    return broken


def _run_step(
    step: dict[str, Any], inputs: dict[str, str], root: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    step_env = {key: _evaluate(str(value), inputs) for key, value in step.get("env", {}).items()}
    folder = root / _evaluate(step.get("working-directory", "."), inputs)
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=folder, env={**env, **step_env}, capture_output=True, text=True, timeout=900,
    )  # fmt: skip


def test_the_steps_install_qbank_from_the_action_and_annotate_problems(tmp_path: Path) -> None:
    root = tmp_path / "bank"
    broken = _bank_with_an_error(root)
    inputs = {name: str(spec["default"]) for name, spec in _action()["inputs"].items()}
    outputs = tmp_path / "github-output"
    env = on_path(borrowing_venv(tmp_path / "venv"), pip_environment())
    env |= {"GITHUB_OUTPUT": str(outputs), "GITHUB_ACTION_PATH": str(REPO)}

    install, lint = _steps("run")
    installed = _run_step(install, inputs, root, env)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert outputs.read_text() == f"version={__version__}\n"
    qbank_home = subprocess.run(
        ["python", "-c", "import qbank; print(qbank.__file__)"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert qbank_home.startswith(str(tmp_path / "venv")), "qbank was not installed by the step"

    linted = _run_step(lint, inputs, root, env)
    assert linted.returncode == 1, linted.stdout + linted.stderr
    assert f"::error file={broken},line=" in linted.stdout and "QB101" in linted.stdout
    assert "::warning file=questions/exam-guide.yaml" in linted.stdout  # the empty 2.1
    assert (root / ".qbank_cache").is_dir()  # what the cache step keeps
