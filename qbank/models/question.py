"""One exam question, as written in `questions/<section>/<id>.yaml`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

QUESTION_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{2,63}$"
TAG_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:+/-]*$"
URL_PATTERN = r"^[A-Za-z][A-Za-z0-9+.-]*://\S+$"
# The domain `qbank import` writes when it cannot tell the subsection; QB006 asks for a real one.
PLACEHOLDER_DOMAIN = "0.0"

QuestionId = Annotated[str, Field(pattern=QUESTION_ID_PATTERN)]
Markdown = Annotated[str, Field(min_length=1)]
Url = Annotated[str, Field(pattern=URL_PATTERN)]
Tag = Annotated[str, Field(pattern=TAG_PATTERN, max_length=64)]
RuleSelector = Annotated[str, Field(pattern=r"^(QB[0-9]{3}|[a-z][a-z0-9-]*)$")]


def _select_matches_type(schema: dict[str, Any]) -> None:
    schema["allOf"] = [
        {
            "if": {"properties": {"type": {"const": "multiple"}}, "required": ["type"]},
            "then": {"required": ["select"]},
        },
        {
            "if": {"properties": {"type": {"const": "single"}}, "required": ["type"]},
            "then": {"not": {"required": ["select"]}},
        },
    ]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Option(_Strict):
    text: Markdown = Field(description="The option, in Markdown.")
    correct: bool = Field(default=False, description="Whether this option is a right answer.")
    rationale: str | None = Field(
        default=None, description="Why this option is right, or why it is wrong."
    )


class LintSettings(_Strict):
    ignore: list[RuleSelector] = Field(
        default_factory=list, description="Rule codes or names silenced for this question."
    )
    distinct_from: list[QuestionId] = Field(
        default_factory=list,
        description="Ids of questions accepted as not near-duplicates of this one.",
    )


class Question(_Strict):
    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        frozen=True,
        title="qbank question",
        json_schema_extra=_select_matches_type,
    )

    id: QuestionId = Field(description="Unique id; equals the file name without .yaml.")
    domain: str = Field(
        pattern=r"^[0-9]+\.[0-9]+$", description='Exam-guide subsection code, e.g. "4.2".'
    )
    type: Literal["single", "multiple"] = Field(description="One answer, or several.")
    select: int | None = Field(
        default=None, ge=2, le=8, description="For multiple: how many options to choose."
    )
    difficulty: Literal["easy", "medium", "hard"] | None = None
    status: Literal["draft", "review", "published"] = "draft"
    stem: Markdown = Field(description="The question, in Markdown.")
    options: list[Option] = Field(min_length=2, max_length=8)
    explanation: str | None = Field(default=None, description="Why the key is right, in Markdown.")
    references: list[Url] = Field(default_factory=list)
    tags: list[Tag] = Field(default_factory=list)
    shuffle: bool = Field(default=True, description="False when option order matters.")
    lint: LintSettings = Field(default_factory=LintSettings)

    @model_validator(mode="after")
    def _select_only_for_multiple(self) -> Question:
        if self.type == "multiple" and self.select is None:
            raise ValueError("'select' is required when type is 'multiple'")
        if self.type == "single" and self.select is not None:
            raise ValueError("'select' is only allowed when type is 'multiple'")
        return self

    @property
    def section(self) -> str:
        return self.domain.split(".", 1)[0]

    def markdown_fields(self) -> Iterator[tuple[tuple[str | int, ...], str]]:
        """(key path, text) of every Markdown field: stem, options and rationales, explanation."""
        yield ("stem",), self.stem
        for index, option in enumerate(self.options):
            yield ("options", index, "text"), option.text
            if option.rationale:
                yield ("options", index, "rationale"), option.rationale
        if self.explanation:
            yield ("explanation",), self.explanation

    @property
    def option_count(self) -> int:
        return len(self.options)

    @property
    def correct_indexes(self) -> list[int]:
        return [i for i, option in enumerate(self.options) if option.correct]
