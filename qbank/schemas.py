"""The JSON Schemas under schema/, generated from the pydantic models."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from qbank.load.schema import json_schema
from qbank.models import ExamGuide, Question
from qbank.models.export import ExportDocument

SCHEMA_BASE = "https://qbank.dev/schema/"


def _question() -> dict[str, Any]:
    return json_schema(Question, SCHEMA_BASE + "question.schema.json")


def _guide() -> dict[str, Any]:
    return json_schema(ExamGuide, SCHEMA_BASE + "exam-guide.schema.json")


def _export() -> dict[str, Any]:
    return json_schema(ExportDocument, SCHEMA_BASE + "export.schema.json")


GENERATORS: dict[str, Callable[[], dict[str, Any]]] = {
    "question.schema.json": _question,
    "exam-guide.schema.json": _guide,
    "export.schema.json": _export,
}


def render(name: str) -> str:
    return json.dumps(GENERATORS[name](), indent=2, ensure_ascii=False) + "\n"


def drifted(folder: Path) -> list[str]:
    """Names of committed schemas that differ from what the models generate."""
    return [
        name
        for name in GENERATORS
        if not (folder / name).is_file() or (folder / name).read_text("utf-8") != render(name)
    ]
