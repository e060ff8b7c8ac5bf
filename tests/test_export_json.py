"""`qbank export --format json|jsonl`: valid against the schema, lossless, safe, reproducible."""

from __future__ import annotations

import base64
import errno
import json
import time
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from qbank.load.yamlparse import parse
from qbank.models import ExamGuide, Question
from qbank.models.export import ExportDocument, ExportQuestion
from tests.conftest import REPO, Runner
from tests.export_support import (
    HOSTILE_ID,
    HOSTILE_YAML,
    UNUSUAL_ID,
    UNUSUAL_YAML,
    add_question,
    bank_questions,
    unsafe_html,
)

SCHEMA = json.loads((REPO / "schema" / "export.schema.json").read_text("utf-8"))
DOCUMENT = jsonschema.Draft202012Validator(SCHEMA)
QUESTION_LINE = jsonschema.Draft202012Validator(
    {"$defs": SCHEMA["$defs"], "$ref": "#/$defs/ExportQuestion"}
)


def export(qbank: Runner, format_name: str, *extra: str) -> bytes:
    out = Path("build") / f"bank.{format_name}"
    result = qbank("export", "--format", format_name, "--out", str(out), *extra)
    assert result.code == 0, result.err
    return out.read_bytes()


def html_fields(question: dict[str, Any]) -> list[str]:
    texts = [question["stem"], question["explanation"]]
    for option in question["options"]:
        texts += [option["text"], option["rationale"]]
    return [text["html"] for text in texts if text is not None]


def test_json_validates_and_loads_back_to_the_yaml_questions(bank: Path, qbank: Runner) -> None:
    add_question(bank, "2-more", UNUSUAL_ID, UNUSUAL_YAML)
    raw = export(qbank, "json")
    document = json.loads(raw)
    DOCUMENT.validate(document)
    assert document["format"] == "qbank-export" and document["format_version"] == 1
    assert document["bank"] == {
        "exam": "Test Exam", "short_name": "TEST", "guide_version": "1",
        "generator": document["bank"]["generator"], "question_count": 4,
    }  # fmt: skip
    assert document["bank"]["generator"].startswith("qbank ")
    guide_yaml = parse((bank / "questions" / "exam-guide.yaml").read_bytes()).data
    assert ExamGuide.model_validate(document["guide"]) == ExamGuide.model_validate(guide_yaml)
    assert [q["id"] for q in document["questions"]] == [
        "t-1-1-001", "t-1-2-001", "t-2-1-001", UNUSUAL_ID
    ]  # fmt: skip
    loaded = ExportDocument.model_validate_json(raw)
    assert {q.id: q.to_question() for q in loaded.questions} == bank_questions(bank)


def test_html_is_rendered_beside_the_markdown(bank: Path, qbank: Runner) -> None:
    add_question(bank, "2-more", UNUSUAL_ID, UNUSUAL_YAML)
    raw = export(qbank, "json")
    assert "Naïve" in raw.decode("utf-8")  # UTF-8, not \u escapes
    question = json.loads(raw)["questions"][-1]
    assert question["stem"] == {
        "markdown": "Naïve **Bayes** — pick two: `x < 1`",
        "html": "<p>Naïve <strong>Bayes</strong> — pick two: <code>x &lt; 1</code></p>",
    }
    first, second, third, _ = question["options"]
    assert "<table>" in first["text"]["html"] and first["rationale"] is None
    assert second["rationale"] == {"markdown": "", "html": ""}
    assert '<code class="language-python">' in third["text"]["html"]
    assert (question["domain_title"], question["section"], question["section_title"]) == (
        "Further things", "2", "More"
    )  # fmt: skip


def test_jsonl_is_one_valid_question_per_line(bank: Path, qbank: Runner) -> None:
    lines = export(qbank, "jsonl").decode("utf-8").splitlines()
    document = json.loads(export(qbank, "json"))
    assert len(lines) == 3
    for line in lines:
        QUESTION_LINE.validate(json.loads(line))
    assert [json.loads(line) for line in lines] == document["questions"]


def test_filters_apply(bank: Path, qbank: Runner) -> None:
    document = json.loads(export(qbank, "json", "--domain", "1"))
    assert [q["id"] for q in document["questions"]] == ["t-1-1-001", "t-1-2-001"]
    assert document["bank"]["question_count"] == 2


def test_hostile_markup_is_removed_from_every_html_field(bank: Path, qbank: Runner) -> None:
    source = add_question(bank, "1-basics", HOSTILE_ID, HOSTILE_YAML)
    # --force: the export must be safe on its own, whatever lint thinks of the question
    for format_name in ("json", "jsonl"):
        text = export(qbank, format_name, "--force").decode("utf-8")
        questions = (
            json.loads(text)["questions"]
            if format_name == "json"
            else [json.loads(line) for line in text.splitlines()]
        )
        hostile = next(q for q in questions if q["id"] == HOSTILE_ID)
        rendered = "".join(html_fields(hostile))
        assert "Which is safe?" in rendered and "raw link" in rendered
        assert "<script" not in rendered and "pwned" not in rendered
        assert "onerror" not in rendered and 'href="javascript' not in rendered.lower()
        assert all(unsafe_html(html) == [] for q in questions for html in html_fields(q))
        # The Markdown source travels too: the unsafe parts are taken out of it as well.
        everything = json.dumps(hostile).lower()
        for part in ("<script", "pwned", "onerror", "onclick", "onload", "javascript",
                     "<iframe", "onmouseover"):  # fmt: skip
            assert part not in everything, part
    assert "Which is safe?" in hostile["stem"]["markdown"] and source.is_file()


def test_images_travel_inside_the_json(bank: Path, qbank: Runner) -> None:
    question = bank / "questions" / "1-basics" / "t-1-1-001.yaml"
    question.write_text(question.read_text().replace("use?", "use? ![chart](chart.png)"))
    (question.parent / "chart.png").write_bytes(b"\x89PNG not really")
    exported = json.loads(export(qbank, "json"))["questions"][0]
    (image,) = exported["images"]
    assert image["media_type"] == "image/png"
    assert base64.b64decode(image["base64"]) == b"\x89PNG not really"
    assert f'src="{image["name"]}"' in exported["stem"]["html"]


@pytest.mark.parametrize("format_name", ["json", "jsonl"])
def test_same_bank_gives_identical_bytes(
    bank: Path, qbank: Runner, monkeypatch: pytest.MonkeyPatch, format_name: str
) -> None:
    add_question(bank, "2-more", UNUSUAL_ID, UNUSUAL_YAML)
    first = export(qbank, format_name)
    later = time.time() + 86_400
    monkeypatch.setattr(time, "time", lambda: later)  # a day later, same files
    assert export(qbank, format_name) == first
    assert first.endswith(b"\n") and not first.endswith(b"\n\n")


def test_rendering_in_parallel_changes_nothing(
    bank: Path, qbank: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_question(bank, "2-more", UNUSUAL_ID, UNUSUAL_YAML)
    serial = export(qbank, "json")
    monkeypatch.setattr("qbank.export.parallel.PARALLEL_MIN_ITEMS", 2)
    assert export(qbank, "json") == serial


@pytest.mark.parametrize("format_name", ["json", "jsonl", "anki"])
def test_failed_export_leaves_no_partial_file(
    bank: Path, qbank: Runner, monkeypatch: pytest.MonkeyPatch, format_name: str
) -> None:
    out = bank / "build" / "export.out"
    out.parent.mkdir()
    out.write_bytes(b"previous export")

    def disk_full(*_args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("qbank.cache.os.replace", disk_full)
    result = qbank("export", "--format", format_name, "--out", str(out))
    assert result.code == 2
    assert "cannot write" in result.err and "No space left" in result.err
    assert "Traceback" not in result.err
    assert out.read_bytes() == b"previous export"
    assert sorted(p.name for p in out.parent.iterdir()) == ["export.out"]


def test_export_question_carries_every_question_field() -> None:
    assert set(Question.model_fields) <= set(ExportQuestion.model_fields)


def test_question_fields_are_the_model_written_as_pydantic_writes_it(bank: Path) -> None:
    import pydantic_core

    from qbank.config import load_config
    from qbank.export.json_export import export_question, question_fields
    from qbank.export.render import render_bank
    from qbank.lint import lint
    from tests.lms_support import add_questions

    add_questions(bank)  # images
    add_question(bank, "1-basics", HOSTILE_ID, HOSTILE_YAML)
    add_question(bank, "2-more", UNUSUAL_ID, UNUSUAL_YAML)
    result = lint([], load_config(cwd=bank), need_bank=True, cwd=bank)
    assert result.bank is not None
    for rendered in render_bank(result.bank).questions:
        fields = question_fields(rendered)
        model = export_question(rendered)  # validates the fields
        assert list(fields) == list(ExportQuestion.model_fields)
        assert pydantic_core.to_json(fields) == model.model_dump_json().encode()
        assert pydantic_core.to_json(fields, indent=2) == model.model_dump_json(indent=2).encode()
