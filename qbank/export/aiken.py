"""Aiken: the inverse of `qbank import --from aiken`, in the shape Moodle's Aiken import reads.

The question on one line, each option on one line as `A. text`, then `ANSWER: B`, and a blank
line. Aiken is plain text with one correct answer and nothing else: Markdown becomes the words
a reader sees, multiple-answer questions are left out, and everything else a question has
is reported as lost.
"""

from __future__ import annotations

import re

from qbank.export import lms
from qbank.export.base import ExportBank, RenderedQuestion
from qbank.export.plain import PlainFormat, PlainTextExporter, plain_text

# What Aiken readers take for an option or the answer line; a question may not start so.
_STRUCTURE = re.compile(r"^(?:[A-Z][.)]\s|ANSWER:)")


def refuse(rendered: RenderedQuestion) -> str | None:
    if lms.is_multiple(rendered):
        return f"Aiken holds one correct answer; this question has {rendered.question.select}"
    if _STRUCTURE.match(plain_text(rendered.question.stem)):
        return "its stem starts like an Aiken option or answer line"
    return None


FORMAT = PlainFormat("Aiken", frozenset(), refuse)


class AikenExporter(PlainTextExporter):
    name = "aiken"
    suffix = ".txt"
    format = FORMAT

    def text(self, bank: ExportBank) -> str:
        return aiken_text(bank)


def aiken_text(bank: ExportBank) -> str:
    return "".join(question_text(q) for q in FORMAT.writable(bank))


def question_text(rendered: RenderedQuestion) -> str:
    (key,) = lms.answer_key(rendered)
    lines = [plain_text(rendered.question.stem)]
    for index, option in enumerate(rendered.question.options):
        lines.append(f"{lms.choice_identifier(index)}. {plain_text(option.text)}")
    lines.append(f"ANSWER: {lms.choice_identifier(key)}")
    return "\n".join(lines) + "\n\n"
