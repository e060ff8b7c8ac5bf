from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from qbank.cli.main import main
from tests.fakes import FakeEncoder

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
# The bundled bank's own rule settings (Google Cloud hosts for QB303, retired product names for
# QB304): the rules' defaults are neutral.
PMLE_RULES = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["qbank"]["rules"]


@dataclass
class Result:
    code: int
    out: str
    err: str


Runner = Callable[..., Result]


@pytest.fixture(autouse=True)
def fake_encoder(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> FakeEncoder:
    """Tests not marked `embeddings` never load the model: QB402 and `qbank dedup` run in
    process with this stand-in (subprocess tests give the CLI a warm embedding cache)."""
    encoder = FakeEncoder()
    if request.node.get_closest_marker("embeddings") is None:
        monkeypatch.setattr("qbank.dedup.embed.load_encoder", lambda model: encoder)
    return encoder


@pytest.fixture
def bank(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the small fixture bank in a project folder, configured like the bundled bank;
    the working directory is set there."""
    import tomli_w

    shutil.copytree(DATA / "bank", tmp_path / "questions")
    settings = {"tool": {"qbank": {"bank": "questions", "rules": PMLE_RULES}}}
    (tmp_path / "qbank.toml").write_text(tomli_w.dumps(settings))
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the repository's bank (questions/ and its guide) as a project folder."""
    shutil.copytree(REPO / "questions", tmp_path / "questions")
    (tmp_path / "qbank.toml").write_text('bank = "questions"\n')
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def qbank(capsys: pytest.CaptureFixture[str]) -> Runner:
    """Run the real CLI in-process (click parses the arguments exactly as from a shell)."""

    def run(*args: str) -> Result:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def run_subprocess(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Result:
    completed = subprocess.run(
        [sys.executable, "-m", "qbank", *args], cwd=cwd, capture_output=True, text=True,
        env=env, timeout=300,
    )  # fmt: skip
    return Result(completed.returncode, completed.stdout, completed.stderr)


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    """One headless Chromium for the session's browser tests (see tests/browser.py)."""
    from tests.browser import start_browser

    driver = start_browser(tmp_path_factory.mktemp("chromium-profile"))
    yield driver
    driver.quit()
