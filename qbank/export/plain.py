"""What the plain-text exports (GIFT, Aiken, CSV) share: the text a format can hold, and a
per-question account of what it cannot.

A question file holds more than these formats: each format names the parts it keeps, and
every other part a question actually has is reported for that question (never dropped
silently). A question a format cannot write at all is left out, with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from qbank.errors import QbankError
from qbank.export.base import ExportBank, Loss, RenderedQuestion
from qbank.export.output import write_file
from qbank.markdown import safe_source, to_text

# Every part of a question a format may or may not hold, in the order reports name them.
PARTS = (
    "id", "domain", "difficulty", "status", "tags", "references", "explanation", "rationales",
    "option order", "images", "Markdown formatting", "lint settings",
)  # fmt: skip


def parts_of(rendered: RenderedQuestion) -> list[str]:
    """The parts this question has a value for (`option order` only when `shuffle: false`)."""
    question = rendered.question
    present = {
        "id": True,
        "domain": True,
        "difficulty": question.difficulty is not None,
        "status": True,
        "tags": bool(question.tags),
        "references": bool(question.references),
        "explanation": bool(question.explanation),
        "rationales": any(option.rationale for option in question.options),
        "option order": not question.shuffle,
        "images": bool(rendered.images),
        "Markdown formatting": any(formatted(text) for _, text in question.markdown_fields()),
        "lint settings": bool(question.lint.ignore or question.lint.distinct_from),
    }
    return [part for part in PARTS if present[part]]


def formatted(markdown: str) -> bool:
    """Whether plain text would lose something a reader sees: Markdown syntax or paragraphs."""
    return to_text(markdown) != " ".join(markdown.split()) or "\n\n" in markdown.strip()


def markdown_source(markdown: str) -> str:
    """The author's Markdown as a text format carries it (unsafe raw HTML taken out)."""
    return safe_source(markdown).strip()


def plain_text(markdown: str) -> str:
    """The words a reader sees, on one line: for formats that show text as it is."""
    return to_text(safe_source(markdown))


def never_refuse(_: RenderedQuestion) -> str | None:
    return None


@dataclass(frozen=True)
class PlainFormat:
    """One plain-text format: its name, the parts it holds, and which questions it cannot write."""

    title: str
    holds: frozenset[str]
    refuse: Callable[[RenderedQuestion], str | None] = never_refuse

    def loss(self, rendered: RenderedQuestion) -> Loss | None:
        reason = self.refuse(rendered)
        if reason is not None:
            return Loss(rendered.path, rendered.id, left_out=reason)
        lost = tuple(part for part in parts_of(rendered) if part not in self.holds)
        return Loss(rendered.path, rendered.id, lost) if lost else None

    def losses(self, bank: ExportBank) -> list[Loss]:
        return [loss for q in bank.questions if (loss := self.loss(q)) is not None]

    def writable(self, bank: ExportBank) -> list[RenderedQuestion]:
        """The questions this format can write; an error when there is none."""
        if not bank.questions:
            raise QbankError("no question matches the filters: nothing to export")
        kept = [q for q in bank.questions if self.refuse(q) is None]
        if not kept:
            raise QbankError(f"{self.title} can hold none of the {len(bank.questions)} questions")
        return kept


class PlainTextExporter:
    """An exporter of one UTF-8 text file in a plain-text format; subclasses give the text."""

    name: str
    suffix: str
    format: PlainFormat
    uses_html = False  # these formats carry the Markdown source: no need to render it

    def text(self, bank: ExportBank) -> str:
        raise NotImplementedError

    def export(self, bank: ExportBank, out: Path) -> None:
        write_file(out, self.text(bank).encode("utf-8"))

    def losses(self, bank: ExportBank) -> list[Loss]:
        return self.format.losses(bank)
