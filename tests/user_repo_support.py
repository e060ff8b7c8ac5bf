"""Helpers for the tests of qbank in someone else's repository: README's `user-repo` snippets,
throwaway git repositories, and virtualenvs that install qbank the way a user does.

A fenced block of README.md whose opening fence follows the line `<!-- snippet: user-repo -->`
is meant for the user's own repository (agreed with the README-commands test, which does not
run such blocks). Every one of them is exercised here: test_readme_user_repo.py checks that
each block is one this suite runs or compares, byte for byte.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
from pathlib import Path

from tests.conftest import REPO

MARKER = "<!-- snippet: user-repo -->"
PUBLIC_URL = "https://github.com/qbank-dev/qbank"
# For developing the hook before README pins a commit that has it: the commit of this
# repository that the end-to-end tests install instead of README's rev. CI never sets it.
REV_OVERRIDE = "QBANK_TEST_HOOK_REV"
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.com",
    "GIT_COMMITTER_NAME": "Test Author",
    "GIT_COMMITTER_EMAIL": "author@example.com",
}


def user_repo_snippets(readme: str | None = None) -> list[tuple[str, str]]:
    """(language, text) of every fenced block marked as a snippet for the user's repository."""
    text = readme if readme is not None else (REPO / "README.md").read_text("utf-8")
    pattern = re.escape(MARKER) + r"\n```(\w*)\n(.*?)```\n"
    return [(m.group(1), m.group(2)) for m in re.finditer(pattern, text, re.DOTALL)]


def readme_rev() -> str:
    """The commit every snippet pins (they all pin the same one)."""
    revs = set(re.findall(r"qbank-dev/qbank@([0-9a-f]{7,40})\b", _snippets_text()))
    revs |= set(re.findall(r"^\s+rev: ([0-9a-f]{7,40})\b", _snippets_text(), re.MULTILINE))
    assert len(revs) == 1, f"README's snippets pin several commits: {sorted(revs)}"
    return revs.pop()


def rev_under_test() -> str:
    return os.environ.get(REV_OVERRIDE) or readme_rev()


def _snippets_text() -> str:
    return "\n".join(text for _, text in user_repo_snippets())


def locally(snippet: str) -> str:
    """A snippet with the public repository's URL replaced by this checkout's path, and its
    pinned commit by the one under test."""
    # file://localhost/…: pip 23's parser takes "file:///path@rev" for a file name.
    text = snippet.replace(f"git+{PUBLIC_URL}", f"git+file://localhost{REPO}")
    text = text.replace(PUBLIC_URL, str(REPO))
    return text.replace(readme_rev(), rev_under_test())


def git(*args: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    completed = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True,
        env={**os.environ, **GIT_IDENTITY, **(env or {})},
    )  # fmt: skip
    return completed.stdout


def committed_file(rev: str, path: str) -> str:
    """A file as it is at `rev` in this repository."""
    return git("show", f"{rev}:{path}", cwd=REPO)


def published_rev_at(rev: str) -> str:
    """The commit that `qbank init` of qbank at `rev` pins in the files it writes."""
    found = re.search(
        r'^PUBLISHED_REV = "(\w+)"', committed_file(rev, "qbank/init_project.py"), re.M
    )
    assert found is not None
    return found.group(1)


def pip_environment() -> dict[str, str]:
    """pip installs from the machine's local indexes; until the default install stops
    depending on torch, the constraints pin torch to the CPU build on local disk (an unpinned
    torch is a 6 GB CUDA download)."""
    env = dict(os.environ)
    if (REPO / "constraints.txt").is_file():
        env["PIP_CONSTRAINT"] = str(REPO / "constraints.txt")
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def borrowing_venv(folder: Path) -> Path:
    """A new virtualenv that sees this test run's installed packages (through a .pth line
    appended after its own site-packages) but has none of its own, qbank included.

    A user's `pip install` of qbank then builds and installs qbank itself, exactly as
    written, while its dependencies count as installed: the full dependency install is
    what the pre-commit test exercises, and it takes minutes. pip never removes anything
    outside the new environment."""
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    python = folder / "bin" / "python"
    own = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    (Path(own) / "qbank-test-borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return folder / "bin"


def on_path(bin_folder: Path, env: dict[str, str]) -> dict[str, str]:
    return {**env, "PATH": f"{bin_folder}{os.pathsep}{env.get('PATH', '')}"}
