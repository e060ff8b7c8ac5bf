"""A question's structure without its text: what the bank-wide rules count and compare.

A lint after one file changed restores every other question's outline from the cache
instead of validating its full record: the outline is a few fields, the record the whole
question. Rules that need the text (QB402, QB406) ask the bank for records instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from qbank.models.question import Question


class QuestionShape(Protocol):
    """What a Question and its Outline both answer."""

    @property
    def id(self) -> str: ...
    @property
    def domain(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def select(self) -> int | None: ...
    @property
    def difficulty(self) -> str | None: ...
    @property
    def status(self) -> str: ...
    @property
    def shuffle(self) -> bool: ...
    @property
    def tags(self) -> list[str]: ...
    @property
    def option_count(self) -> int: ...
    @property
    def correct_indexes(self) -> list[int]: ...


@dataclass(frozen=True, slots=True)
class Outline:
    id: str
    domain: str
    type: str
    select: int | None
    difficulty: str | None
    status: str
    shuffle: bool
    tags: list[str]
    option_count: int
    correct_indexes: list[int]
    ignore: list[str]  # lint.ignore: the rules the question silences for itself

    @classmethod
    def of(cls, question: Question) -> Outline:
        return cls(question.id, question.domain, question.type, question.select,
                   question.difficulty, question.status, question.shuffle, list(question.tags),
                   len(question.options), question.correct_indexes,
                   list(question.lint.ignore))  # fmt: skip

    def to_json(self) -> list[Any]:
        return [getattr(self, name) for name in self.__slots__]

    @classmethod
    def from_json(cls, value: Any) -> Outline | None:
        """The outline `to_json` wrote, or None when `value` is not one (a damaged cache)."""
        names = cls.__slots__
        if not isinstance(value, list) or len(value) != len(names):
            return None
        fields = dict(zip(names, value, strict=True))
        texts = ("id", "domain", "type", "status")
        lists = (fields["tags"], fields["ignore"], fields["correct_indexes"])
        if not (
            all(isinstance(fields[name], str) for name in texts)
            and isinstance(fields["select"], int | None)
            and isinstance(fields["difficulty"], str | None)
            and isinstance(fields["shuffle"], bool)
            and isinstance(fields["option_count"], int)
            and all(isinstance(items, list) for items in lists)
            and all(isinstance(tag, str) for tag in fields["tags"] + fields["ignore"])
            and all(isinstance(index, int) for index in fields["correct_indexes"])
        ):
            return None
        return cls(**fields)
