from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Runner


def test_new_writes_a_valid_skeleton_with_the_next_id(bank: Path, qbank: Runner) -> None:
    result = qbank("new", "--domain", "1.1")
    assert result.code == 0, result.err
    path = bank / "questions" / "1-basics" / "t-1-1-002.yaml"
    assert path.is_file()
    lint = json.loads(qbank("lint", "--format", "json", str(path)).out)
    assert not [p for p in lint if p["code"] in {"QB001", "QB002", "QB003", "QB005", "QB006"}]
    assert qbank("new", "--domain", "1.1").code == 0
    assert (bank / "questions" / "1-basics" / "t-1-1-003.yaml").is_file()


def test_new_in_a_section_without_questions_yet(bank: Path, qbank: Runner) -> None:
    for path in (bank / "questions" / "2-more").glob("*.yaml"):
        path.unlink()
    assert qbank("new", "--domain", "2.1").code == 0
    assert (bank / "questions" / "2-more" / "t-2-1-001.yaml").is_file()


def test_new_unknown_domain_is_usage_error(bank: Path, qbank: Runner) -> None:
    result = qbank("new", "--domain", "7.1")
    assert result.code == 2 and "not in the exam guide" in result.err
