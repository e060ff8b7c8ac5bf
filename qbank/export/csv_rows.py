"""CSV: one question per row, in the columns `qbank import --from csv` reads (README, "Importing").

`id, domain, type, difficulty, stem, option_1…option_n, correct, rationale_1…rationale_n,
explanation, references, tags`, with n the most options any question has. Cells hold the
Markdown source (line breaks included, quoted as RFC 4180 says); `correct` lists option
numbers (`1,3`); references and tags are separated by spaces. UTF-8, CRLF line ends.
"""

from __future__ import annotations

import csv
import io

from qbank.export import lms
from qbank.export.base import ExportBank, RenderedQuestion
from qbank.export.plain import PlainFormat, PlainTextExporter, markdown_source

FORMAT = PlainFormat(
    "CSV",
    frozenset({
        "id", "domain", "difficulty", "tags", "references", "explanation", "rationales",
        "Markdown formatting",
    }),
)  # fmt: skip


class CsvExporter(PlainTextExporter):
    name = "csv"
    suffix = ".csv"
    format = FORMAT

    def text(self, bank: ExportBank) -> str:
        return csv_text(bank)


def header(width: int) -> list[str]:
    numbers = range(1, width + 1)
    return [
        "id", "domain", "type", "difficulty", "stem", *(f"option_{n}" for n in numbers),
        "correct", *(f"rationale_{n}" for n in numbers), "explanation", "references", "tags",
    ]  # fmt: skip


def row(rendered: RenderedQuestion, width: int) -> list[str]:
    question = rendered.question
    key = lms.answer_key(rendered)
    padding = [""] * (width - len(question.options))
    texts = [markdown_source(option.text) for option in question.options]
    rationales = [markdown_source(option.rationale or "") for option in question.options]
    return [
        question.id, question.domain, question.type, question.difficulty or "",
        markdown_source(question.stem), *texts, *padding,
        ",".join(str(index + 1) for index in key), *rationales, *padding,
        markdown_source(question.explanation or ""), " ".join(question.references),
        " ".join(question.tags),
    ]  # fmt: skip


def csv_text(bank: ExportBank) -> str:
    questions = FORMAT.writable(bank)
    width = max(len(q.question.options) for q in questions)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header(width))
    writer.writerows(row(question, width) for question in questions)
    return buffer.getvalue()
