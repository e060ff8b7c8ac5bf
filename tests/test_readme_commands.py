"""Every command README.md shows in an `sh` block runs as written.

Each block runs in a fresh copy of the project, its commands in order (a later command may
use what an earlier one wrote). Input files a command names and the copy lacks (`quiz.xml`,
`map.yaml`, `bank.csv`, `build/pmle.json`…) are made first, from the import fixtures or by an
export. Blocks are read when the tests are collected, so a command added to README.md is
tested without touching this file. Not run here, and visibly so:
- the two set-up commands at the top: tests/test_repository.py checks that `.ci/run` runs
  exactly those;
- a block marked as a snippet for the user's own repository: the line just above its
  opening fence is `<!-- snippet: user-repo -->` (the tests of `qbank init`, the action and
  the pre-commit hook exercise those);
- a block marked `<!-- snippet: converter -->`: converting a model needs a virtualenv of its
  own with Optimum and the model in the Hugging Face cache (minutes, and another model than
  this machine has); the test below checks instead that each option it passes exists.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import DATA, REPO, Runner
from tests.test_repository import README_SETUP, README_TESTS
from tests.user_repo_support import MARKER as USER_REPO_MARKER

CONVERTER_MARKER = "<!-- snippet: converter -->"
MARKERS = (USER_REPO_MARKER, CONVERTER_MARKER)

SHELL_FENCES = ("```sh", "```bash", "```shell")
# What README says a command may end with, where that is not always 0.
EXIT_CODES = {
    ("qbank", "dedup"): (0, 1),  # "exits 1 when it lists a pair, 0 when none"
}
# Options whose value is a file the command writes (or, for a baseline, a file an earlier
# command of the block writes): never made up front.
WRITTEN = {"--out", "-o", "--output-file", "--baseline"}
IMPORTS = DATA / "import"
INPUTS = {
    ".xml": IMPORTS / "moodle-course.xml",
    ".gift": IMPORTS / "questions.gift",
    ".csv": IMPORTS / "questions.csv",
    ".txt": IMPORTS / "questions.aiken.txt",
}
DOMAIN_MAP = 'categories:\n  "PMLE/Serving models": "4.2"\ntags:\n  vertex-pipelines: "5.1"\n'
_FILE_NAME = re.compile(r"[\w./-]*\.[A-Za-z]\w*")  # a name with a suffix (not 4.2, not -o)
COPY_IGNORED = shutil.ignore_patterns(
    ".git", ".venv", "build", ".qbank_cache", "__pycache__", "*.egg-info", ".*_cache"
)


@dataclass(frozen=True)
class Block:
    line: int  # of the opening fence in README.md
    commands: tuple[str, ...]
    marker: str | None  # the marker line just above the opening fence, if any


def readme_blocks(text: str) -> list[Block]:
    lines = text.splitlines()
    blocks = []
    for index, line in enumerate(lines):
        if line.strip() not in SHELL_FENCES:
            continue
        end = next(i for i in range(index + 1, len(lines)) if lines[i].strip() == "```")
        commands = tuple(
            command
            for command in (c.strip() for c in lines[index + 1 : end])
            if command and not command.startswith("#")
        )
        above = lines[index - 1].strip() if index else ""
        blocks.append(Block(index + 1, commands, above if above in MARKERS else None))
    return blocks


BLOCKS = readme_blocks((REPO / "README.md").read_text("utf-8"))
SETUP = [b for b in BLOCKS if b.commands in ((README_SETUP,), (README_TESTS,))]
RUN = [b for b in BLOCKS if b not in SETUP and b.marker is None]
CONVERTER = [b for b in BLOCKS if b.marker == CONVERTER_MARKER]


def test_only_the_set_up_commands_and_marked_snippets_are_left_out() -> None:
    assert [b.commands for b in SETUP] == [(README_SETUP,), (README_TESTS,)]
    assert BLOCKS[:2] == SETUP, "the set-up commands are the first blocks of README.md"
    assert len(RUN) >= 8 and all(b.commands for b in RUN)


def test_the_user_repo_marker_must_stand_just_above_the_fence() -> None:
    text = (
        f"{USER_REPO_MARKER}\n```sh\npip install qbank\n```\n\n"
        f"{USER_REPO_MARKER}\n\n```sh\nqbank init\n```\n"
        "```bash\nqbank lint   # a comment\n# a comment line\n```\n"
    )
    assert readme_blocks(text) == [
        Block(2, ("pip install qbank",), USER_REPO_MARKER),
        Block(8, ("qbank init",), None),  # a blank line between: not marked, so it is run
        Block(11, ("qbank lint   # a comment",), None),
    ]


def test_converter_snippets_pass_only_what_the_converter_and_its_extra_offer() -> None:
    import tomllib

    from qbank.dedup.convert import parser

    extras = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    options = set(parser()._option_string_actions)
    checked = 0
    for command in (c for block in CONVERTER for c in block.commands):
        words = shlex.split(command)
        if "qbank.dedup.convert" in words:
            passed = {w.split("=")[0] for w in words if w.startswith("--")}
            assert passed <= options, f"README: {command}"
            checked += 1
        for extra in re.findall(r'"\.\[(\w+)\]"', command):
            assert extra in extras["optional-dependencies"], f"README: {command}"
            checked += 1
    assert CONVERTER and checked >= 2


@pytest.mark.parametrize("block", RUN, ids=lambda b: f"README.md:{b.line} {b.commands[0]}")
def test_readme_block_runs_as_written(
    block: Block, tmp_path: Path, qbank: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    shutil.copytree(REPO, project, ignore=COPY_IGNORED)
    monkeypatch.chdir(project)
    for command in block.commands:
        _make_inputs(shlex.split(command, comments=True), project, qbank)
    for command in block.commands:
        words = shlex.split(command, comments=True)
        expected = EXIT_CODES.get(tuple(words[:2]), (0,))
        if words[0] == "qbank" and not set(words) & {"|", ">", "&&", ";"}:
            result = qbank(*words[1:])
            code, output = result.code, result.out + result.err
        else:
            code, output = _shell(command, project)
        assert code in expected, f"README.md:{block.line}: `{command}` exited {code}\n{output}"
        assert "Traceback" not in output, output


def _make_inputs(words: list[str], project: Path, qbank: Runner) -> None:
    """Create the files a command reads and the copy lacks."""
    for previous, word in zip(["", *words], words, strict=False):
        if previous in WRITTEN or not _FILE_NAME.fullmatch(word):
            continue
        path = project / word
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if previous == "--domain-map":
            path.write_text(DOMAIN_MAP, "utf-8")
        elif path.suffix in (".json", ".jsonl"):
            made = qbank("export", "--format", path.suffix[1:], "--out", str(path))
            assert made.code == 0, made.err
        elif path.suffix in INPUTS:
            shutil.copy(INPUTS[path.suffix], path)
        else:
            pytest.fail(f"README names {word}, which this test cannot make: add it to INPUTS")


def _shell(command: str, project: Path) -> tuple[int, str]:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    run = subprocess.run(
        ["bash", "-c", command], cwd=project, env=env, capture_output=True, text=True,
        timeout=600,
    )  # fmt: skip
    return run.returncode, run.stdout + run.stderr
