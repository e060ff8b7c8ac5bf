"""A JSON list of problems, one object each (fields as in ruff's JSON output)."""

from __future__ import annotations

import json

from qbank.problem import Problem
from qbank.report import Run


def render(problems: list[Problem], run: Run) -> str:
    records = [
        {
            "code": p.code,
            "name": p.name,
            "severity": p.severity.value,
            "message": p.message,
            "filename": p.path,
            "location": {"row": p.line, "column": p.col},
            "question_id": p.question_id,
        }
        for p in problems
    ]
    return json.dumps(records, indent=2, ensure_ascii=False) + "\n"
