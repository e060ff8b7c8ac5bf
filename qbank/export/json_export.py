"""JSON for other platforms: one document (`json`) or one question per line (`jsonl`).

The shape is `schema/export.schema.json`, generated from qbank/models/export.py. Fields come
in the models' order and text is written as UTF-8, so the same bank gives the same bytes.
"""

from __future__ import annotations

import base64
import mimetypes
from pathlib import Path
from typing import Any

import pydantic_core

from qbank.export.base import ExportBank, RenderedQuestion
from qbank.export.output import write_file
from qbank.markdown import is_web_url, safe_source
from qbank.models.export import BankInfo, ExportDocument, ExportQuestion


def rich_text(markdown: str, html: str) -> dict[str, str]:
    """Source and rendering; unsafe raw HTML is taken out of the source too (a linted bank
    has none, so for it the export stays lossless)."""
    return {"markdown": safe_source(markdown), "html": html}


def optional_rich_text(markdown: str | None, html: str) -> dict[str, str] | None:
    return rich_text(markdown, html) if markdown is not None else None


def question_fields(rendered: RenderedQuestion) -> dict[str, Any]:
    """An `ExportQuestion`'s fields in the model's order, as plain data: what the exports
    write (pydantic writes them as it writes the model; building and validating 15 models a
    question would cost more than writing them, and the data is validated already)."""
    question = rendered.question
    options = [
        {
            "text": rich_text(o.text, o.html),
            "correct": o.correct,
            "rationale": optional_rich_text(o.rationale, o.rationale_html),
        }
        for o in rendered.options
    ]
    images = [
        {
            "name": image.name,
            "media_type": mimetypes.guess_type(image.name)[0] or "application/octet-stream",
            "base64": base64.b64encode(image.data).decode("ascii"),
        }
        for image in rendered.images
    ]
    return {
        "id": question.id, "domain": question.domain, "domain_title": rendered.subsection.title,
        "section": rendered.section.code, "section_title": rendered.section.title,
        "type": question.type, "select": question.select, "difficulty": question.difficulty,
        "status": question.status, "stem": rich_text(question.stem, rendered.stem_html),
        "options": options,
        "explanation": optional_rich_text(question.explanation, rendered.explanation_html),
        "references": [url for url in question.references if is_web_url(url)],
        "tags": list(question.tags), "shuffle": question.shuffle, "lint": question.lint,
        "images": images,
    }  # fmt: skip


def export_question(rendered: RenderedQuestion) -> ExportQuestion:
    return ExportQuestion.model_validate(question_fields(rendered))


def export_document(bank: ExportBank, questions: list[ExportQuestion]) -> ExportDocument:
    info = BankInfo(
        exam=bank.guide.exam,
        short_name=bank.guide.short_name,
        guide_version=bank.guide.version,
        generator=bank.generator,
        question_count=len(bank.questions),
    )
    return ExportDocument(
        format="qbank-export", format_version=1, bank=info, guide=bank.guide, questions=questions
    )


class JsonExporter:
    name = "json"
    suffix = ".json"

    def export(self, bank: ExportBank, out: Path) -> None:
        # pydantic writes JSON in model field order, UTF-8 unescaped, many times faster than
        # json.dumps with indent (a pure-Python encoder) and with the same bytes. (Writing the
        # questions on several cores gains nothing: each takes less than handing it over.)
        questions = [_listed_question(question) for question in bank.questions]
        document = export_document(bank, []).model_dump_json(indent=2).encode()
        write_file(out, with_list_items(document + b"\n", questions))


class JsonLinesExporter:
    """One `ExportQuestion` per line, for streaming into other systems."""

    name = "jsonl"
    suffix = ".jsonl"

    def export(self, bank: ExportBank, out: Path) -> None:
        write_file(out, b"".join(_question_line(question) for question in bank.questions))


# A question in the document's list sits two levels (of two spaces) deep.
_LIST_ITEM_INDENT = b"    "


def _listed_question(rendered: RenderedQuestion) -> bytes:
    """The question as the indented document shows it in its list. JSON strings never hold a
    line break, so indenting every line nests the question exactly."""
    text = pydantic_core.to_json(question_fields(rendered), indent=2)
    return text.replace(b"\n", b"\n" + _LIST_ITEM_INDENT)


def with_list_items(document: bytes, items: list[bytes]) -> bytes:
    """`document` (indented JSON whose last field is an empty list) with `items` in that list,
    as the serializer writes a list: an item per line, the closing bracket on its own."""
    if not items:
        return document
    head, empty, tail = document.rpartition(b"[]")
    if not empty or tail.rstrip(b"\n") != b"\n}":
        raise AssertionError("the document's last field is not an empty list")
    # One join: the document is tens of megabytes, and each + would copy it all again.
    pieces = [head + b"[\n" + _LIST_ITEM_INDENT]
    for index, item in enumerate(items):
        pieces += [b",\n" + _LIST_ITEM_INDENT, item] if index else [item]
    pieces.append(b"\n  ]" + tail)
    return b"".join(pieces)


def _question_line(rendered: RenderedQuestion) -> bytes:
    return pydantic_core.to_json(question_fields(rendered)) + b"\n"
