"""GIFT, Aiken and CSV exports: round trips through `qbank import`, what each format loses
(reported per question), GIFT's escapes read by qbank and by pygiftparser, CSV by csv."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from pygiftparser import parser as giftparser
from pygiftparser.utils import transformSpecials

from qbank.markdown import to_text
from qbank.models import Question
from tests.conftest import Runner
from tests.lms_support import assert_export_is_reproducible, export
from tests.test_import_roundtrip import questions_in

NOTE = re.compile(r"^(\S+\.yaml): note: (\w+) has no place for ([\w-]+)'s (.+)$", re.M)
LEFT_OUT = re.compile(r"^(\S+\.yaml): warning: ([\w-]+) left out of (\w+): (.+)$", re.M)


def lost(question: Question, *parts: str) -> str:
    """Which of `parts` the question has a value for, as the export's note lists them."""
    present = {
        "difficulty": question.difficulty is not None,
        "status": True,
        "tags": bool(question.tags),
        "references": bool(question.references),
        "option order": not question.shuffle,
        "lint settings": bool(question.lint.ignore or question.lint.distinct_from),
    }
    return ", ".join(part for part in parts if present[part])


def guide_order(question: Question) -> tuple[tuple[int, ...], str]:
    """The order exports follow: by subsection (in the guide, numeric order), then by id."""
    return tuple(int(part) for part in question.domain.split(".")), question.id


def round_trip(qbank: Runner, project: Path, format_name: str) -> tuple[dict[str, Question], str]:
    """Export the bank, import the file into an empty folder; the questions and the output."""
    exported = project / f"bank.{format_name}"
    written = export(qbank, format_name, exported)
    notes = written.err + written.out
    result = qbank("import", "--from", format_name, str(exported), "--out", str(project / "back"))
    assert result.code == 0, result.err
    assert "skipped 0" in result.err
    return questions_in(project / "back"), notes


def without(question: Question, *fields: str) -> Question:
    """The question as a format that cannot hold `fields` gives it back."""
    defaults = {name: Question.model_fields[name].get_default(call_default_factory=True)
                for name in fields}  # fmt: skip
    return question.model_copy(update={"status": "review", **defaults})


def test_csv_round_trip_keeps_everything_but_status_order_and_lint(
    bundled: Path, qbank: Runner
) -> None:
    original = questions_in(bundled / "questions")
    back, notes = round_trip(qbank, bundled, "csv")
    assert len(original) >= 100 and sorted(back) == sorted(original)
    for qid, question in original.items():
        assert back[qid] == without(question, "shuffle", "lint"), qid
    reported = {match[2]: match[3] for match in NOTE.findall(notes)}
    # Every question has a status, which CSV has no column for; some have lint settings.
    assert reported == {qid: lost(q, "status", "option order", "lint settings")
                        for qid, q in original.items()}  # fmt: skip
    assert any("lint settings" in parts for parts in reported.values())


def test_gift_round_trip_keeps_ids_domains_keys_and_feedback(bundled: Path, qbank: Runner) -> None:
    original = questions_in(bundled / "questions")
    back, notes = round_trip(qbank, bundled, "gift")
    assert sorted(back) == sorted(original)  # ids from titles, domains from $CATEGORY
    not_held = ("difficulty", "tags", "references", "shuffle", "lint")
    for qid, question in original.items():
        assert back[qid] == without(question, *not_held), qid
    reported = {match[2]: match[3] for match in NOTE.findall(notes)}
    gift_loses = ("difficulty", "status", "tags", "references", "option order", "lint settings")
    assert reported == {qid: lost(q, *gift_loses) for qid, q in original.items()}
    assert not LEFT_OUT.search(notes)


def test_aiken_round_trip_keeps_the_words_and_the_key(bundled: Path, qbank: Runner) -> None:
    original = questions_in(bundled / "questions")
    back, notes = round_trip(qbank, bundled, "aiken")
    single = sorted((q for q in original.values() if q.type == "single"), key=guide_order)
    multiple = sorted(q.id for q in original.values() if q.type == "multiple")
    assert multiple and len(back) == len(single)
    assert sorted(m[1] for m in LEFT_OUT.findall(notes)) == multiple  # each one said, with why
    assert "Aiken holds one correct answer; this question has 2" in notes
    assert f"({len(single)} questions, aiken)" in notes
    # Ids and domains are not in the format: questions come back in order, unmapped.
    for question, again in zip(single, sorted(back.values(), key=lambda q: q.id), strict=True):
        assert again.stem.strip() == to_text(question.stem)
        assert [o.text for o in again.options] == [to_text(o.text) for o in question.options]
        assert again.correct_indexes == question.correct_indexes
        assert again.domain == "0.0" and again.explanation is None
    reported = {match[2]: match[3] for match in NOTE.findall(notes)}
    assert reported[single[0].id].startswith("id, domain, difficulty, status, tags, references, ")


def test_gift_is_read_by_pygiftparser_as_qbank_wrote_it(bundled: Path, qbank: Runner) -> None:
    """An independent parser (pygiftparser, from PyPI) reads the same questions and keys."""
    exported = bundled / "bank.gift"
    export(qbank, "gift", exported)
    parsed = giftparser.parseFile(io.StringIO(exported.read_text("utf-8")))
    original = questions_in(bundled / "questions")
    by_id = {q.title: q for q in parsed}
    assert len(parsed) == len(by_id)
    assert sorted(by_id) == sorted(original)
    for qid, question in original.items():
        read = by_id[qid]
        assert read.valid and read.markup == "markdown", qid
        assert unescape(read.text) == question.stem.strip()
        assert unescape(read.generalFeedback) == (question.explanation or "").strip()
        answers = read.answers.answers
        assert [unescape(a.answer) for a in answers] == [o.text for o in question.options]
        feedback = [unescape(a.feedback) for a in answers]
        assert feedback == [o.rationale or "" for o in question.options]
        if question.type == "single":
            assert type(read.answers).__name__ == "SelectSet"
            assert [a.select for a in answers] == [o.correct for o in question.options]
        else:
            assert type(read.answers).__name__ == "MultipleChoicesSet"
            assert [a.fraction > 0 for a in answers] == [o.correct for o in question.options]
            assert abs(sum(a.fraction for a in answers if a.fraction > 0) - 100) < 1e-3


def unescape(text: str) -> str:
    """pygiftparser leaves `\\n` in answers and its escapes in every text until it renders."""
    return transformSpecials(text.replace("\\n", "\n")).strip()


SPECIAL = "Weights {a: 1} ~ b = c # d, path C:\\new\\dir\n\nand a second paragraph: {}"


def test_gift_escapes_its_special_characters(bank: Path, qbank: Runner) -> None:
    path = bank / "questions" / "1-basics" / "t-1-1-001.yaml"
    text = path.read_text("utf-8")
    stem = text.split("stem: |\n", 1)[1].split("\n", 1)[0]  # the stem's first line
    special_block = "".join(f"  {line}\n" if line else "\n" for line in SPECIAL.split("\n"))
    path.write_text(text.replace(f"{stem}\n", special_block, 1), "utf-8")
    exported = bank / "bank.gift"
    export(qbank, "gift", exported)
    gift = exported.read_text("utf-8")
    assert "Weights \\{a\\: 1\\} \\~ b \\= c \\# d, path C\\:\\\\new\\\\dir\\n\\nand" in gift
    result = qbank("import", "--from", "gift", str(exported), "--out", str(bank / "back"))
    assert result.code == 0, result.err
    back = questions_in(bank / "back")["t-1-1-001"]
    assert back.stem.startswith(SPECIAL + "\n")
    (read,) = [q for q in giftparser.parseFile(io.StringIO(gift)) if q.title == "t-1-1-001"]
    # pygiftparser knows the escapes of ~ = # { } : but not the backslash's own (Moodle does).
    assert transformSpecials(read.text).startswith("Weights {a: 1} ~ b = c # d, path C:")


def test_csv_is_plain_rfc_4180_for_other_readers(bundled: Path, qbank: Runner) -> None:
    exported = bundled / "bank.csv"
    export(qbank, "csv", exported)
    raw = exported.read_bytes()
    assert raw.startswith(b"id,domain,type,difficulty,stem,option_1,") and b"\r\n" in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    original = questions_in(bundled / "questions")
    assert len(rows) == len(original)
    first = next(r for r in rows if r["id"] == "pmle-1-1-001")
    question = original["pmle-1-1-001"]
    assert first["stem"] == question.stem.strip() and "\n" in first["stem"]  # quoted line breaks
    assert first["correct"] == ",".join(str(i + 1) for i in question.correct_indexes)
    assert first["tags"].split() == question.tags
    multiple = next(r for r in rows if r["type"] == "multiple")
    assert len(multiple["correct"].split(",")) == 2


@pytest.mark.parametrize("format_name", ["gift", "aiken", "csv"])
def test_same_bank_gives_identical_bytes(bank: Path, qbank: Runner, format_name: str) -> None:
    assert_export_is_reproducible(qbank, bank, format_name)


@pytest.mark.parametrize("format_name", ["gift", "aiken", "csv"])
def test_unsafe_raw_html_is_taken_out_of_the_source(
    bank: Path, qbank: Runner, format_name: str
) -> None:
    from tests.export_support import HOSTILE_ID, HOSTILE_YAML, add_question

    add_question(bank, "1-basics", HOSTILE_ID, HOSTILE_YAML)
    out = bank / f"bank.{format_name}"
    export(qbank, format_name, out, "--force")
    text = out.read_text("utf-8")
    assert "Which is safe?" in text
    for marker in ("<script", "onerror", "javascript:alert", "<iframe"):
        assert marker not in text.lower(), marker


def test_aiken_with_only_multiple_answer_questions_is_an_error(bank: Path, qbank: Runner) -> None:
    out = bank / "bank.txt"
    result = qbank("export", "--format", "aiken", "--out", str(out), "--tag", "translation")
    assert result.code == 2, result.err
    assert "Aiken can hold none of the 1 questions" in result.err
    assert "t-1-2-001 left out of aiken: Aiken holds one correct answer" in result.err
    assert not out.exists()


def test_source_keeps_code_and_drops_unsafe_raw_html() -> None:
    """What GIFT, CSV and JSON carry: `<team>` in code is text; raw HTML outside is cleaned."""
    from qbank.markdown import safe_source

    assert safe_source("Use `docker.io/<team>/server`.") == "Use `docker.io/<team>/server`."
    fenced = '```html\n<div onclick="x">\n```\n'
    assert safe_source(fenced + 'and <b onclick="x">bold</b>') == fenced + "and <b>bold</b>"
    assert safe_source("<script>alert(1)</script> `<script>` [a](javascript:x)") == (
        " `<script>` [a](unsafe:x)"
    )
