"""The JSON export: the bank, its exam guide and every question as Markdown and as safe HTML.

`schema/export.schema.json` is generated from these models. A `jsonl` export holds one
`ExportQuestion` per line.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from qbank.models.guide import ExamGuide
from qbank.models.question import LintSettings, Option, Question, QuestionId, Tag, Url


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class RichText(_Strict):
    """One Markdown field, as written and as rendered."""

    markdown: str = Field(
        description="The author's Markdown, verbatim. Untrusted: a consumer that renders it "
        "must sanitise the result itself; `html` is already safe."
    )
    html: str = Field(
        description="The Markdown rendered to HTML and sanitised with an allow-list: no "
        "scripts, event handlers or javascript: URLs. Images point at `images[].name`."
    )


class ExportOption(_Strict):
    text: RichText
    correct: bool = Field(description="Whether this option is a right answer.")
    rationale: RichText | None = Field(description="Why this option is right or wrong.")


class ExportImage(_Strict):
    name: str = Field(
        pattern=r"^[0-9a-f]{16}(\.[a-z0-9]+)?$",
        description="File name, derived from the content's hash; what the HTML's src names.",
    )
    media_type: str = Field(description='e.g. "image/png".')
    base64: str = Field(description="The file's bytes, base64-encoded.")


class ExportQuestion(_Strict):
    """One question: every field of the YAML file, plus its place in the guide and its HTML."""

    model_config = ConfigDict(
        extra="forbid", strict=True, frozen=True, title="qbank exported question"
    )

    id: QuestionId
    domain: str = Field(pattern=r"^[0-9]+\.[0-9]+$", description="Exam-guide subsection code.")
    domain_title: str = Field(description="The subsection's title in the exam guide.")
    section: str = Field(pattern=r"^[0-9]+$", description="Exam-guide section code.")
    section_title: str
    type: Literal["single", "multiple"]
    select: int | None = Field(description="For multiple: how many options to choose.")
    difficulty: Literal["easy", "medium", "hard"] | None
    status: Literal["draft", "review", "published"]
    stem: RichText
    options: list[ExportOption] = Field(min_length=2, max_length=8, description="Authored order.")
    explanation: RichText | None
    references: list[Url] = Field(
        description="URLs as written in the question; only http(s) ones are safe to link."
    )
    tags: list[Tag]
    shuffle: bool = Field(description="False when option order matters.")
    lint: LintSettings
    images: list[ExportImage] = Field(description="Every image the HTML fields show.")

    def to_question(self) -> Question:
        """The question as its YAML file states it (the export is lossless)."""

        def source(text: RichText | None) -> str | None:
            return text.markdown if text is not None else None

        return Question(
            id=self.id, domain=self.domain, type=self.type, select=self.select,
            difficulty=self.difficulty, status=self.status, stem=self.stem.markdown,
            options=[
                Option(text=o.text.markdown, correct=o.correct, rationale=source(o.rationale))
                for o in self.options
            ],
            explanation=source(self.explanation), references=list(self.references),
            tags=list(self.tags), shuffle=self.shuffle, lint=self.lint,
        )  # fmt: skip


class BankInfo(_Strict):
    exam: str = Field(description="The exam's full name.")
    short_name: str
    guide_version: str = Field(description="Which version of the exam guide the bank follows.")
    generator: str = Field(description='What wrote the export, e.g. "qbank 0.1.0".')
    question_count: int = Field(ge=0)


class ExportDocument(_Strict):
    """`qbank export --format json`: one document with the whole (filtered) bank."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, title="qbank export")

    format: Literal["qbank-export"]
    format_version: Literal[1]
    bank: BankInfo
    guide: ExamGuide
    questions: list[ExportQuestion] = Field(description="In exam-guide order, then by id.")
