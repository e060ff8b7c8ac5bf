"""The one interface every exporter implements, and the rendered bank it receives."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from qbank.models import ExamGuide, Question, Section, Subsection


@dataclass(frozen=True)
class Image:
    """A picture a question shows, under a stable name derived from its content."""

    name: str
    data: bytes


@dataclass(frozen=True)
class RenderedOption:
    text: str  # Markdown source
    html: str  # rendered and sanitised
    correct: bool
    rationale: str | None
    rationale_html: str


@dataclass(frozen=True)
class RenderedQuestion:
    """A question with every Markdown field rendered once, images resolved, guide placed."""

    question: Question
    path: str
    section: Section
    subsection: Subsection
    stem_html: str
    explanation_html: str
    options: tuple[RenderedOption, ...]
    images: tuple[Image, ...]
    # Newest modification time (Unix seconds) of the files this question is built from: its
    # YAML, the exam guide and its images. Anki updates a note only when this grows.
    modified: int = 0

    @property
    def id(self) -> str:
        return self.question.id


@dataclass(frozen=True)
class ExportBank:
    guide: ExamGuide
    questions: tuple[RenderedQuestion, ...]
    generator: str

    @property
    def images(self) -> dict[str, bytes]:
        return {image.name: image.data for q in self.questions for image in q.images}


class Exporter(Protocol):
    name: str
    suffix: str

    def export(self, bank: ExportBank, out: Path) -> None:
        """Write the whole export to `out`, atomically and reproducibly."""
        ...


@dataclass(frozen=True)
class Loss:
    """What a format cannot hold of one question: reported per question, never dropped silently."""

    path: str
    question_id: str
    parts: tuple[str, ...] = ()  # fields or features the export leaves behind
    left_out: str | None = None  # why the whole question could not be written


@runtime_checkable
class ReportsLosses(Protocol):
    """An exporter whose format holds less than a question: it says what each one loses."""

    def losses(self, bank: ExportBank) -> list[Loss]: ...
