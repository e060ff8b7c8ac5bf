"""The numbers behind QB403/QB404, `qbank coverage` and `qbank build-exam`, computed once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from qbank.coverage.balance import additions_to_fit, off_weight
from qbank.models import ExamGuide
from qbank.models.outline import QuestionShape

ALL_STATUSES = ("draft", "review", "published")


@dataclass(frozen=True)
class Row:
    """One section or subsection: its weight, the count it should have and the count it has."""

    code: str
    title: str
    weight: float  # percent of the exam
    count: int
    total: int
    tolerance: float

    @property
    def target(self) -> float:
        return self.weight * self.total / 100

    @property
    def share(self) -> float:
        return 100 * self.count / self.total if self.total else 0.0

    @property
    def delta(self) -> float:
        """Share minus weight, in percentage points."""
        return self.share - self.weight

    @property
    def status(self) -> str:
        if self.total == 0:
            return "under"  # nothing counted: no weight is met
        if not off_weight(self.count, self.total, self.weight, self.tolerance):
            return "ok"
        return "over" if self.delta > 0 else "under"


@dataclass(frozen=True)
class Coverage:
    guide: ExamGuide
    statuses: tuple[str, ...]
    tolerance: float
    sections: list[Row]
    subsections: dict[str, list[Row]]  # by section code
    topics: dict[str, list[str]]  # topic id -> question ids
    difficulty: Counter[str] = field(default_factory=Counter)
    types: Counter[str] = field(default_factory=Counter)
    status_counts: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(row.count for row in self.sections)


def measure(
    guide: ExamGuide,
    questions: Iterable[QuestionShape],
    statuses: Iterable[str] = ("published",),
    tolerance: float = 5.0,
) -> Coverage:
    """Counts per section and subsection of the questions whose status is in `statuses`
    (questions whose domain the guide lacks are not counted: QB006 reports them).

    The guide weighs sections only, so a subsection's weight is its section's weight shared
    equally among the section's subsections, and so is its tolerance: an empty subsection of a
    small section is not "within tolerance".
    """
    everything = list(questions)
    chosen_statuses = tuple(statuses)
    known = {sub.code for sub in guide.subsections}
    counted = [q for q in everything if q.status in chosen_statuses and q.domain in known]
    by_domain = Counter(q.domain for q in counted)
    total = len(counted)
    sections, subsections = [], {}
    for section in guide.sections:
        count = sum(by_domain[sub.code] for sub in section.subsections)
        sections.append(Row(section.code, section.title, section.weight, count, total, tolerance))
        share = section.weight / len(section.subsections)
        sub_tolerance = tolerance / len(section.subsections)
        subsections[section.code] = [
            Row(sub.code, sub.title, share, by_domain[sub.code], total, sub_tolerance)
            for sub in section.subsections
        ]
    by_tag: dict[str, list[str]] = {}
    for question in counted:
        for tag in set(question.tags):
            by_tag.setdefault(tag, []).append(question.id)
    topics = {
        topic.id: sorted(by_tag.get(topic.id, []))
        for sub in guide.subsections
        for topic in sub.topics
    }
    return Coverage(
        guide, chosen_statuses, tolerance, sections, subsections, topics,
        Counter(q.difficulty or "unset" for q in counted), Counter(q.type for q in counted),
        Counter(q.status for q in everything),
    )  # fmt: skip


def additions_to_balance(coverage: Coverage) -> dict[str, int]:
    """The fewest questions to add per section so that every section is within tolerance."""
    rows = coverage.sections
    added = additions_to_fit(
        [row.count for row in rows], [row.weight for row in rows], coverage.tolerance
    )
    return {row.code: n for row, n in zip(rows, added or [], strict=False) if n}
