"""One loaded file: its parsed data, its load problems, its validated record.

Positions are not kept from the bulk parse (shipping them between processes costs more than
parsing): a file is re-read with positions only when a problem in it needs a location.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from qbank.load.files import (  # noqa: F401  (re-exported: where callers look for them)
    content_hash,
    read_bytes,
    read_checked,
    unreadable,
)
from qbank.load.schema import located_errors
from qbank.load.yamlparse import KeyPath, Parsed, Position, YamlProblem, parse
from qbank.models.outline import Outline
from qbank.problem import Problem

M = TypeVar("M", bound=BaseModel)


@dataclass
class Loaded(Generic[M]):
    path: str
    content_hash: str
    source: Path | None = None
    data: dict[str, Any] | None = None
    record: M | None = None
    problems: list[Problem] = field(default_factory=list)
    parsed: Parsed | None = field(default=None, repr=False)
    # Problems of the question-scope rules when the loader already ran them (in parallel).
    checked: list[Problem] | None = field(default=None, repr=False)
    # Bank rules' summaries of the question by rule code (qbank.rules.base.summary_of).
    summaries: dict[str, Any] | None = field(default=None, repr=False)
    # A valid question restored from the lint cache has its outline, and no data or record
    # until a rule asks the bank for it (Bank.record).
    outline: Outline | None = field(default=None, repr=False)

    @property
    def valid(self) -> bool:
        """Whether the file holds a question that passed the schema."""
        return self.record is not None or self.outline is not None

    @property
    def stem_name(self) -> str:
        """Path(self.path).stem, without building a Path (QB005 asks it of every file)."""
        return os.path.splitext(os.path.basename(self.path))[0]

    @property
    def record_id(self) -> str | None:
        if self.outline is not None:
            return self.outline.id
        value = (self.data or {}).get("id")
        return value if isinstance(value, str) else None

    def locate(self, at: KeyPath = (), key: bool = False, offset: int | None = None) -> Position:
        """Where the node at `at` starts (its key, with key=True), else its nearest ancestor.
        With `offset`: where that character of the node's text stands."""
        parsed = self._positions()
        if parsed is None:
            return (1, 1)
        if offset is not None and (exact := parsed.within(at, offset)) is not None:
            return exact
        if key and at in parsed.key_positions:
            return parsed.key_positions[at]
        while at and at not in parsed.positions:
            at = at[:-1]
        return parsed.positions.get(at, (1, 1))

    def problem(
        self,
        message: str,
        at: KeyPath = (),
        key: bool = False,
        code: str = "",
        offset: int | None = None,
    ) -> Problem:
        """A problem at the node `at` (at character `offset` of its text, when given)."""
        line, col = self.locate(at, key, offset)
        return Problem(self.path, line, col, code, message, question_id=self.record_id)

    def _positions(self) -> Parsed | None:
        if self.parsed is None and self.source is not None:
            try:
                self.parsed = parse(read_bytes(self.source))
            except (OSError, YamlProblem):
                return None
        if self.parsed is not None and not self.parsed.located:
            self.parsed = self.parsed.located_again()
        return self.parsed


def parse_file(path: Path, display: str) -> Loaded[Any]:
    """Read and parse one file; the result has data or load problems, not yet a record."""
    try:
        raw = read_checked(path)
    except YamlProblem as exc:
        return _failed(display, path, "", exc)
    return parse_raw(raw, display, path)


def parse_raw(raw: bytes, display: str, source: Path | None, located: bool = True) -> Loaded[Any]:
    """A file's data or load problems; with located=False its nodes are located only when a
    problem needs them (Loaded.locate)."""
    digest = content_hash(raw)
    try:
        parsed = parse(raw, located)
    except YamlProblem as exc:
        return _failed(display, source, digest, exc)
    return Loaded(display, digest, source, parsed.data, parsed=parsed)


def validate_all(files: list[Loaded[M]], model: type[M]) -> None:
    """Give each parsed file its record, or QB003 problems located in the file."""
    pending = [f for f in files if f.data is not None and f.record is None and not f.problems]
    if len(pending) == 1:  # a worker's file: no list adapter to build
        try:
            pending[0].record = model.model_validate(pending[0].data)
        except ValidationError:
            _add_schema_problems(pending[0], model)
        return
    adapter: TypeAdapter[list[M]] = TypeAdapter(list[model])  # type: ignore[valid-type]
    try:
        records = adapter.validate_python([f.data for f in pending])
    except ValidationError as exc:
        failed = {int(error["loc"][0]) for error in exc.errors()}
        for index in sorted(failed):
            _add_schema_problems(pending[index], model)
        pending = [f for i, f in enumerate(pending) if i not in failed]
        records = adapter.validate_python([f.data for f in pending])
    for loaded, record in zip(pending, records, strict=True):
        loaded.record = record


def load_one(path: Path, display: str, model: type[M]) -> Loaded[M]:
    loaded: Loaded[M] = parse_file(path, display)
    validate_all([loaded], model)
    return loaded


def _add_schema_problems(loaded: Loaded[M], model: type[M]) -> None:
    parsed = loaded._positions()
    if parsed is None:
        return
    for (line, col), message in located_errors(model, parsed):
        loaded.problems.append(
            Problem(loaded.path, line, col, "QB003", message, question_id=loaded.record_id)
        )


def _failed(display: str, source: Path | None, digest: str, exc: YamlProblem) -> Loaded[Any]:
    problem = Problem(display, exc.line, exc.col, exc.code, exc.message)
    return Loaded(display, digest, source, problems=[problem])
