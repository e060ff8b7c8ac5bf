"""A project whose bank holds a planted near-duplicate: tests/data/bank plus t-2-1-009, a
second author's version of t-2-1-001 (tests/data/planted). Used by the tests and by
benchmarks/bench_install.py, which runs it against a fresh install."""

from __future__ import annotations

import shutil
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
PLANTED_PAIR = {"t-2-1-001", "t-2-1-009"}


def planted_project(root: Path) -> Path:
    """`root` made a project (qbank.toml and questions/); returns it."""
    shutil.copytree(DATA / "bank", root / "questions")
    shutil.copy(DATA / "planted" / "t-2-1-009.yaml", root / "questions" / "2-more")
    (root / "qbank.toml").write_text('bank = "questions"\n')
    return root
