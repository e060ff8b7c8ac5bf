"""QB407 on whole banks and `qbank cues` through the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DATA, REPO, Runner

STEM = "Which of these should the team pick for the job?"
# The key is the longest option (L), or neither the longest nor the shortest (N).
LONGEST = [
    ("Export the rows and train on a VM", False), ("Train it in BigQuery ML with one SQL", True),
    ("Copy the rows into Cloud SQL", False), ("Stream rows into a notebook", False),
]  # fmt: skip
MIDDLE = [
    ("Export the rows and train on one large VM", False), ("Copy the rows into Cloud SQL", False),
    ("Train it in BigQuery ML", True), ("Stream rows to Vertex", False),
]  # fmt: skip


def write_bank(root: Path, longest: int, middle: int, **fields: Any) -> Path:
    """A project whose bank has `longest` L questions then `middle` N questions."""
    bank = root / "questions"
    (bank / "1-basics").mkdir(parents=True)
    (bank / "exam-guide.yaml").write_text((DATA / "bank" / "exam-guide.yaml").read_text())
    (root / "qbank.toml").write_text('bank = "questions"\n')
    for index in range(longest + middle):
        shape = LONGEST if index < longest else MIDDLE
        question = {
            "id": f"t-1-1-{index + 1:03d}", "domain": "1.1", "type": "single",
            "status": "published", "stem": STEM,
            "options": [{"text": text, "correct": key} for text, key in shape], **fields,
        }  # fmt: skip
        # JSON is YAML: one line per file is enough for a generated bank.
        (bank / "1-basics" / f"{question['id']}.yaml").write_text(json.dumps(question))
    return root


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _qb407(qbank: Runner) -> list[dict[str, Any]]:
    result = qbank("lint", "--select", "QB407", "--format", "json", "--no-cache")
    assert result.code == 0, result.err  # a warning by default
    return json.loads(result.out)


def test_a_bank_whose_keys_are_longest_in_80_percent_is_reported(
    project: Path, qbank: Runner
) -> None:
    write_bank(project, longest=40, middle=10)
    (problem,) = _qb407(qbank)
    assert problem["severity"] == "warning" and problem["filename"].endswith("exam-guide.yaml")
    assert problem["message"].startswith(
        "a guesser who picks the longest option (characters) is right in 80% of 50 questions "
        "where chance is 25% (+55 pp, p = "
    )
    assert (
        "clearest in t-1-1-001, t-1-1-002, t-1-1-003, t-1-1-004, t-1-1-005, …" in problem["message"]
    )


def test_a_balanced_bank_is_not_reported(project: Path, qbank: Runner) -> None:
    write_bank(project, longest=12, middle=38)
    assert _qb407(qbank) == []


def test_keys_longest_in_35_percent_of_a_large_bank_pass_with_the_defaults(
    project: Path, qbank: Runner
) -> None:
    """The bank rewrite's target: 10 points over chance is significant on 400 questions
    (p < 1e-5), and the margin lets it pass."""
    write_bank(project, longest=140, middle=260)
    assert _qb407(qbank) == []
    data = json.loads(qbank("cues", "--format", "json").out)
    longest = data["strategies"][0]
    assert (longest["score"], longest["excess"]) == (0.35, 10.0)
    assert longest["p_value"] < 1e-5 and not longest["reported"]


def test_keys_longest_in_40_percent_of_a_large_bank_are_reported(
    project: Path, qbank: Runner
) -> None:
    write_bank(project, longest=160, middle=240)
    (problem,) = _qb407(qbank)
    assert "right in 40% of 400 questions where chance is 25% (+15 pp" in problem["message"]


def test_an_unknown_strategy_is_a_configuration_error(project: Path, qbank: Runner) -> None:
    write_bank(project, longest=40, middle=10)
    (project / "qbank.toml").write_text(
        'bank = "questions"\n[rules.QB407]\nstrategies = ["longest", "loudest"]\n'
    )
    result = qbank("lint", "--no-cache")
    assert result.code == 2 and result.out == ""
    assert result.err == (
        "qbank: error: rule QB407 option 'strategies': unknown 'loudest'; choose from "
        "longest, shortest, formatting, grammar, stem-words, position\n"
    )


def test_cues_prints_every_strategy_against_chance(project: Path, qbank: Runner) -> None:
    write_bank(project, longest=40, middle=10)
    result = qbank("cues")
    assert result.code == 0 and result.err == ""
    lines = result.out.splitlines()
    assert lines[0] == (
        "50 questions (status: draft, review, published), 50 with as many keys as they ask for."
    )
    assert "chance by more than 10 pp with p < 0.01/5 (from 30 questions)." in lines
    header = lines.index(next(line for line in lines if line.startswith("Strategy")))
    rows = {line.split()[0]: line.split() for line in lines[header : header + 7]}
    assert list(rows) == [
        "Strategy", "longest", "shortest", "formatting", "grammar", "stem-words", "position"
    ]  # fmt: skip
    # p = P(X >= 40) for X ~ Binomial(50, 1/4)
    assert rows["longest"][-7:-1] == ["50", "80.0%", "25.0%", "+55.0", "pp", "5.2e-16"]
    assert rows["longest"][-1] == "reported"
    assert rows["shortest"][-7:] == ["50", "0.0%", "25.0%", "-25.0", "pp", "1", "passes"]
    assert rows["formatting"][-6:] == ["0", "–", "–", "–", "–", "passes"]
    assert rows["position"][-2:] == ["not", "judged"]
    assert "  longest: t-1-1-001, t-1-1-002, t-1-1-003, t-1-1-004, t-1-1-005 and 35 more" in lines


def test_cues_as_json(project: Path, qbank: Runner) -> None:
    write_bank(project, longest=40, middle=10)
    result = qbank("cues", "--format", "json")
    assert result.code == 0
    data = json.loads(result.out)
    assert (data["questions"], data["well_keyed"]) == (50, 50)
    assert data["qb407"] == {
        "judged": ["longest", "shortest", "formatting", "grammar", "stem-words"],
        "reported": ["longest"], "enough_questions": True, "margin": 10.0, "alpha": 0.01,
        "min_questions": 30,
    }  # fmt: skip
    longest = data["strategies"][0]
    assert longest["name"] == "longest" and longest["applies"] == 50
    assert (longest["score"], longest["chance"], longest["excess"]) == (0.8, 0.25, 55.0)
    assert longest["questions"] == [f"t-1-1-{i:03d}" for i in range(1, 41)]
    assert [s["name"] for s in data["strategies"] if not s["judged"]] == ["position"]


def test_cues_as_markdown_to_a_file(project: Path, qbank: Runner) -> None:
    write_bank(project, longest=40, middle=10)
    result = qbank("cues", "--format", "markdown", "-o", "CUES.md")
    assert result.code == 0 and result.out == "" and result.err == "wrote CUES.md\n"
    text = (project / "CUES.md").read_text()
    assert text.startswith("# Test-wiseness cues\n")
    lines = text.splitlines()
    header = "| Strategy | The guesser picks | Applies | Score | Chance | Excess | p | QB407 |"
    assert header in lines
    assert "| longest | longest option (characters) | 50 | 80.0% | 25.0% | +55.0 pp |" in text
    first = ", ".join(f"t-1-1-{i:03d}" for i in range(1, 6))
    assert f"- **longest**: {first} and 35 more" in lines


def test_cues_counts_the_chosen_statuses_and_paths(project: Path, qbank: Runner) -> None:
    write_bank(project, longest=40, middle=10, status="draft")
    data = json.loads(qbank("cues", "--format", "json", "--status", "published").out)
    assert data["questions"] == 0 and data["statuses"] == ["published"]
    assert data["strategies"][0]["applies"] == 0
    assert not data["qb407"]["enough_questions"]
    # A folder outside the configured bank is a bank of its own, as for `qbank coverage`.
    write_bank(project / "elsewhere", longest=3, middle=1)
    data = json.loads(qbank("cues", "--format", "json", "elsewhere/questions").out)
    assert data["questions"] == 4 and data["strategies"][0]["questions"][0] == "t-1-1-001"
    assert "too few questions" in qbank("cues", "elsewhere/questions").out
    # Inside the bank, paths name just those questions, as for `qbank coverage`.
    one = "questions/1-basics/t-1-1-001.yaml"
    data = json.loads(qbank("cues", "--format", "json", "--status", "draft", one).out)
    assert data["questions"] == 1


def test_cues_says_which_files_it_leaves_out(project: Path, qbank: Runner) -> None:
    write_bank(project, longest=40, middle=10)
    (project / "questions" / "1-basics" / "t-1-1-051.yaml").write_text("id: [unclosed\n")
    result = qbank("cues", "--format", "json")
    assert result.code == 0 and json.loads(result.out)["questions"] == 50
    assert result.err.startswith("questions/1-basics/t-1-1-051.yaml:1:5: left out: QB001 ")
    assert result.err.count("\n") == 1


def test_cues_on_the_bundled_bank() -> None:
    from tests.conftest import run_subprocess

    result = run_subprocess("cues", "--format", "json", cwd=REPO)
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["questions"] >= 100
    names = [s["name"] for s in data["strategies"]]
    assert names == ["longest", "shortest", "formatting", "grammar", "stem-words", "position"]
