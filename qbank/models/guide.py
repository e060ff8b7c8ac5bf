"""The exam guide: sections with weights, subsections with topics."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

WEIGHT_TOLERANCE = 1e-6


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Topic(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="Tag that marks the topic.")
    title: str = Field(min_length=1)


class Subsection(_Strict):
    code: str = Field(pattern=r"^[0-9]+\.[0-9]+$")
    title: str = Field(min_length=1)
    topics: list[Topic] = Field(default_factory=list)


class Section(_Strict):
    code: str = Field(pattern=r"^[0-9]+$")
    title: str = Field(min_length=1)
    weight: float = Field(gt=0, le=100, description="Share of the exam, in percent.")
    subsections: list[Subsection] = Field(min_length=1)

    @model_validator(mode="after")
    def _subsections_belong(self) -> Section:
        for sub in self.subsections:
            if sub.code.split(".", 1)[0] != self.code:
                raise ValueError(f"subsection {sub.code} does not belong to section {self.code}")
        return self


class ExamGuide(_Strict):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, title="qbank exam guide")

    exam: str = Field(min_length=1, description="The exam's full name.")
    short_name: str = Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9 _-]*$", description="Short name, used in deck names."
    )
    version: str = Field(min_length=1, description="Which version of the guide this is.")
    sections: list[Section] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> ExamGuide:
        total = sum(section.weight for section in self.sections)
        if abs(total - 100) > WEIGHT_TOLERANCE:
            raise ValueError(f"section weights sum to {total:g}, not 100")
        codes = [sub.code for sub in self.subsections]
        duplicates = sorted({code for code in codes if codes.count(code) > 1})
        if duplicates or len({s.code for s in self.sections}) != len(self.sections):
            raise ValueError(f"section or subsection codes repeat: {', '.join(duplicates)}")
        topic_ids = [topic.id for sub in self.subsections for topic in sub.topics]
        repeated = sorted({t for t in topic_ids if topic_ids.count(t) > 1})
        if repeated:
            raise ValueError(f"topic ids repeat: {', '.join(repeated)}")
        return self

    @property
    def subsections(self) -> list[Subsection]:
        return [sub for section in self.sections for sub in section.subsections]

    def subsection(self, code: str) -> Subsection | None:
        return next((sub for sub in self.subsections if sub.code == code), None)

    def section(self, code: str) -> Section | None:
        return next((s for s in self.sections if s.code == code), None)
