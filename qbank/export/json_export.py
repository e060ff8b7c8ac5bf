"""JSON for other platforms: one document (`json`) or one question per line (`jsonl`).

The shape is `schema/export.schema.json`, generated from qbank/models/export.py. Fields come
in the models' order and text is written as UTF-8, so the same bank gives the same bytes.
"""

from __future__ import annotations

import base64
import json
import mimetypes
from pathlib import Path
from typing import Any

from qbank.export.base import ExportBank, RenderedQuestion
from qbank.export.output import write_file
from qbank.models.export import (
    BankInfo,
    ExportDocument,
    ExportImage,
    ExportOption,
    ExportQuestion,
    RichText,
)


def rich_text(markdown: str | None, html: str) -> RichText | None:
    return RichText(markdown=markdown, html=html) if markdown is not None else None


def export_question(rendered: RenderedQuestion) -> ExportQuestion:
    question = rendered.question
    stem = RichText(markdown=question.stem, html=rendered.stem_html)
    options = [
        ExportOption(
            text=RichText(markdown=o.text, html=o.html),
            correct=o.correct,
            rationale=rich_text(o.rationale, o.rationale_html),
        )
        for o in rendered.options
    ]
    images = [
        ExportImage(
            name=image.name,
            media_type=mimetypes.guess_type(image.name)[0] or "application/octet-stream",
            base64=base64.b64encode(image.data).decode("ascii"),
        )
        for image in rendered.images
    ]
    return ExportQuestion(
        id=question.id, domain=question.domain, domain_title=rendered.subsection.title,
        section=rendered.section.code, section_title=rendered.section.title, type=question.type,
        select=question.select, difficulty=question.difficulty, status=question.status,
        stem=stem, options=options,
        explanation=rich_text(question.explanation, rendered.explanation_html),
        references=list(question.references), tags=list(question.tags),
        shuffle=question.shuffle, lint=question.lint, images=images,
    )  # fmt: skip


def export_document(bank: ExportBank) -> ExportDocument:
    info = BankInfo(
        exam=bank.guide.exam,
        short_name=bank.guide.short_name,
        guide_version=bank.guide.version,
        generator=bank.generator,
        question_count=len(bank.questions),
    )
    questions = [export_question(q) for q in bank.questions]
    return ExportDocument(
        format="qbank-export", format_version=1, bank=info, guide=bank.guide, questions=questions
    )


def _dumps(value: Any, indent: int | None) -> str:
    separators = None if indent else (",", ":")
    return json.dumps(value, ensure_ascii=False, indent=indent, separators=separators)


class JsonExporter:
    name = "json"
    suffix = ".json"

    def export(self, bank: ExportBank, out: Path) -> None:
        document = export_document(bank).model_dump(mode="json")
        write_file(out, (_dumps(document, indent=2) + "\n").encode("utf-8"))


class JsonLinesExporter:
    """One `ExportQuestion` per line, for streaming into other systems."""

    name = "jsonl"
    suffix = ".jsonl"

    def export(self, bank: ExportBank, out: Path) -> None:
        lines = [_dumps(export_question(q).model_dump(mode="json"), None) for q in bank.questions]
        write_file(out, "".join(line + "\n" for line in lines).encode("utf-8"))
