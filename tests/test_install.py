"""The light default install: benchmarks/bench_install.py builds a fresh virtualenv, installs
this repository without constraints, and checks there that torch cannot be imported while
`qbank lint` reports a planted near-duplicate. The timing targets are the script's report,
not asserted here."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.install


def test_default_install_has_no_torch_and_finds_near_duplicates() -> None:
    run = subprocess.run([sys.executable, str(REPO / "benchmarks" / "bench_install.py")],
                         capture_output=True, text=True, timeout=1500)  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "import torch: FAILS (good)" in run.stdout
    assert "import sentence_transformers: FAILS (good)" in run.stdout
    assert "QB402 on ['t-2-1-001', 't-2-1-009']" in run.stdout
    assert run.stdout.rstrip().endswith("install check: passed")
