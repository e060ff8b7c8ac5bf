"""`qbank lint --baseline`: adopt a bank with its problems; CI fails only on new ones."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from tests.conftest import Runner

FIRST = "questions/1-basics/t-1-1-001.yaml"
SECOND = "questions/2-more/t-2-1-001.yaml"


def _edit(bank: Path, name: str, old: str, new: str) -> None:
    path = bank / name
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def _twenty_problems(bank: Path) -> None:
    for name in (FIRST, SECOND, "questions/1-basics/t-1-2-001.yaml"):
        path = bank / name
        # no rationales: QB302 for every option (4 + 4 + 4)
        path.write_text(re.sub(r"\n    rationale: .*", "", path.read_text()))
    _edit(bank, FIRST, "stem: |\n", "stem: |\n  Which one is not right?\n")  # QB202
    _edit(bank, FIRST, "explanation: |\n  ", "explanation: |\n  TODO: ")  # QB208
    _edit(bank, SECOND, "tags: [dataflow]", "tags: [dataflow, TODO]")  # QB208
    _edit(bank, SECOND, "id: t-2-1-001", "id: t-2-1-009")  # QB005
    _edit(bank, SECOND, "https://cloud.google.com", "http://cloud.google.com")  # QB303
    third = bank / "questions/1-basics/t-1-2-001.yaml"
    text = third.read_text()
    stem = text[text.index("stem: |") : text.index("options:")]
    third.write_text(text.replace(stem, "stem: |\n  Which services fit?\n"))  # QB207, QB203


def _codes(qbank: Runner, *args: str) -> list[str]:
    return [p["code"] for p in json.loads(qbank("lint", "--format", "json", *args).out)]


def test_only_new_problems_fail_the_run(bank: Path, qbank: Runner) -> None:
    _twenty_problems(bank)
    assert len(_codes(qbank)) == 20
    written = qbank("lint", "--baseline", "qbank-baseline.json", "--update-baseline")
    assert written.code == 0, written.out
    assert written.out.strip().splitlines()[-1] == (
        "All checks passed (3 files). 20 problems hidden by the baseline qbank-baseline.json."
    )
    assert "wrote qbank-baseline.json (20 problems)" in written.err
    assert qbank("lint", "--baseline", "qbank-baseline.json", "--strict").code == 0

    # Unrelated edits: lines move, the stem grows (its word count is in QB207's message),
    # and a question moves to another folder.
    _edit(bank, FIRST, "stem: |\n", "stem: |\n  A new first line of the scenario.\n")
    _edit(bank, FIRST, "type: single\n", "type: single\n# a comment that moves every line\n")
    (bank / "questions" / "3-moved").mkdir()
    shutil.move(bank / SECOND, bank / "questions" / "3-moved" / "t-2-1-001.yaml")
    still = qbank("lint", "--baseline", "qbank-baseline.json", "--strict")
    assert still.code == 0, still.out + still.err
    assert "no longer occur" not in still.err

    # One new problem: a second placeholder in a question that had one; only it is shown.
    _edit(bank, FIRST, "    correct: true\n", "    correct: true\n    rationale: TODO\n")
    new = qbank("lint", "--baseline", "qbank-baseline.json", "--format", "json", "--strict")
    assert new.code == 1
    (shown,) = json.loads(new.out)
    assert (shown["code"], shown["filename"]) == ("QB208", FIRST)
    row = shown["location"]["row"]
    assert (bank / FIRST).read_text().splitlines()[row - 1] == "    rationale: TODO"  # the new one
    # the new rationale also settled the option's missing-rationale problem of the baseline
    assert "19 problems hidden by the baseline qbank-baseline.json" in new.err
    assert "1 problem of the baseline qbank-baseline.json no longer occurs" in new.err


def test_update_drops_what_was_fixed_and_notes_it(bank: Path, qbank: Runner) -> None:
    _twenty_problems(bank)
    qbank("lint", "--baseline", "base.json", "--update-baseline")
    _edit(bank, FIRST, "Which one is not right?", "Which one is right?")
    result = qbank("lint", "--baseline", "base.json")
    assert result.code == 0
    assert (
        "1 problem of the baseline base.json no longer occurs; --update-baseline drops them"
        in result.err
    )
    qbank("lint", "--baseline", "base.json", "--update-baseline")
    document = json.loads((bank / "base.json").read_text())
    assert document["qbank_baseline"] == 1
    assert sum(entry["count"] for entry in document["problems"]) == 19
    assert "QB202" not in {entry["code"] for entry in document["problems"]}


def test_baseline_file_is_sorted_one_entry_a_line_and_stable(bank: Path, qbank: Runner) -> None:
    _twenty_problems(bank)
    qbank("lint", "--baseline", "base.json", "--update-baseline")
    text = (bank / "base.json").read_text()
    entries = [line for line in text.splitlines() if line.startswith("    {")]
    assert len(entries) == len(json.loads(text)["problems"])
    keys = [(e["file"], e["code"], e["message"]) for e in json.loads(text)["problems"]]
    assert keys == sorted(keys)
    assert any('"message": "stem has # words' in line for line in entries)  # numbers as #
    qbank("lint", "--baseline", "base.json", "--update-baseline")
    assert (bank / "base.json").read_text() == text


def test_updating_with_paths_keeps_the_other_files_entries(bank: Path, qbank: Runner) -> None:
    _twenty_problems(bank)
    qbank("lint", "--baseline", "base.json", "--update-baseline")
    before = json.loads((bank / "base.json").read_text())["problems"]
    qbank("lint", "--baseline", "base.json", "--update-baseline", FIRST)
    assert json.loads((bank / "base.json").read_text())["problems"] == before


def test_missing_or_broken_baseline_is_a_usage_error(bank: Path, qbank: Runner) -> None:
    missing = qbank("lint", "--baseline", "nowhere.json")
    assert missing.code == 2
    assert missing.err == (
        "qbank: error: baseline nowhere.json not found; create it with "
        "--baseline nowhere.json --update-baseline\n"
    )
    (bank / "broken.json").write_text('{"problems": []}')
    broken = qbank("lint", "--baseline", "broken.json")
    assert broken.code == 2 and "is not a qbank baseline" in broken.err
    alone = qbank("lint", "--update-baseline")
    assert alone.code == 2 and "--update-baseline needs --baseline FILE" in alone.err
    (bank / "a-file").write_text("not a folder")
    unwritable = qbank("lint", "--baseline", "a-file/base.json", "--update-baseline")
    assert unwritable.code == 2 and "cannot write the baseline" in unwritable.err
    assert "Traceback" not in unwritable.err
