"""The one record every check returns."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """A located finding. Rules leave code, name and severity empty; the engine fills them."""

    path: str
    line: int
    col: int
    code: str = ""
    message: str = field(default="", compare=False)
    name: str = field(default="", compare=False)
    severity: Severity = field(default=Severity.ERROR, compare=False)
    question_id: str | None = field(default=None, compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "question_id": self.question_id,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Problem:
        return cls(
            path=str(data["path"]),
            line=int(data["line"]),  # type: ignore[call-overload]
            col=int(data["col"]),  # type: ignore[call-overload]
            code=str(data["code"]),
            name=str(data["name"]),
            severity=Severity(str(data["severity"])),
            message=str(data["message"]),
            question_id=None if data["question_id"] is None else str(data["question_id"]),
        )
