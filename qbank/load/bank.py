"""Find question files, load them (in parallel when there are many), and assemble the bank."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from qbank.cache import JsonCache
from qbank.load.source import Loaded, content_hash, load_one, parse_raw, read_bytes, validate_all
from qbank.load.yamlparse import YamlProblem
from qbank.models import ExamGuide, Question
from qbank.problem import Problem

GUIDE_NAME = "exam-guide.yaml"
SUFFIXES = (".yaml", ".yml")
# Below this many files to parse, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 400

QuestionFile = Loaded[Question]


@dataclass
class Bank:
    """Every question file of the bank (valid or not) and the exam guide."""

    files: list[QuestionFile]
    guide_file: Loaded[ExamGuide] | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def guide(self) -> ExamGuide | None:
        return self.guide_file.record if self.guide_file is not None else None

    def questions(self) -> list[tuple[QuestionFile, Question]]:
        """Each file that passed validation, with its question."""
        return [(f, f.record) for f in self.files if f.record is not None]


def display_path(path: Path, cwd: Path) -> str:
    """The path relative to `cwd` when it lies below it, else as given (no file-system calls)."""
    text, base = str(path.absolute()), str(cwd.absolute()).rstrip(os.sep) + os.sep
    return text[len(base) :] if text.startswith(base) else str(path)


def discover(paths: Iterable[Path]) -> list[Path]:
    """Question files under `paths` (files as given, folders searched), sorted, guide excluded."""
    found: set[Path] = set()
    for path in map(Path.absolute, paths):
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found.update(
                    Path(root) / name
                    for name in files
                    if name.endswith(SUFFIXES) and name != GUIDE_NAME
                )
        elif path.name != GUIDE_NAME:
            found.add(path)
    return sorted(found)


def load_guide(path: Path, cwd: Path) -> Loaded[ExamGuide] | None:
    return load_one(path, display_path(path, cwd), ExamGuide) if path.is_file() else None


@dataclass(frozen=True)
class Source:
    """A file's bytes and their hash, or why it could not be read."""

    path: Path
    display: str
    raw: bytes = b""
    digest: str = ""
    error: YamlProblem | None = None


def read_sources(paths: Iterable[Path], cwd: Path) -> list[Source]:
    sources = []
    for path in paths:
        display = display_path(path, cwd)
        try:
            raw = read_bytes(path)
        except YamlProblem as exc:
            sources.append(Source(path, display, error=exc))
        except OSError as exc:
            error = YamlProblem("QB001", f"cannot read: {exc.strerror}")
            sources.append(Source(path, display, error=error))
        else:
            sources.append(Source(path, display, raw, content_hash(raw)))
    return sources


def load_questions(sources: Sequence[Source], cache: JsonCache | None = None) -> list[QuestionFile]:
    """Load every file; unchanged files come from the cache, the rest are parsed (in parallel)."""
    files: list[QuestionFile] = []
    to_parse: list[tuple[int, bytes]] = []
    for source in sources:
        if source.error is not None:
            problem = Problem(source.display, source.error.line, source.error.col,
                              source.error.code, source.error.message)  # fmt: skip
            files.append(Loaded(source.display, "", source.path, problems=[problem]))
            continue
        entry = cache.get(source.digest) if cache is not None else None
        restored = _restore(entry, source.display, source.digest, source.path)
        if restored is None:
            to_parse.append((len(files), source.raw))
            restored = Loaded(source.display, source.digest, source.path)
        files.append(restored)
    parsed = _parse_all([raw for _, raw in to_parse])
    for (index, _), (data, problems) in zip(to_parse, parsed, strict=True):
        target = files[index]
        target.data = data
        target.problems = [Problem(target.path, *p, question_id=target.record_id) for p in problems]
        if cache is not None:
            cache.put(target.content_hash, {"data": data, "problems": problems})
    if cache is not None:
        cache.keep_only({f.content_hash for f in files if f.content_hash})
    validate_all(files, Question)
    return files


ParseResult = tuple[dict[str, Any] | None, list[tuple[int, int, str, str]]]


def _parse_all(raws: list[bytes]) -> list[ParseResult]:
    workers = min(os.cpu_count() or 1, 4)
    if len(raws) < PARALLEL_MIN_FILES or workers < 2:
        return [_parse(raw) for raw in raws]
    chunk = max(1, len(raws) // (workers * 4))
    with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
        return list(pool.map(_parse, raws, chunksize=chunk))


def _parse(raw: bytes) -> ParseResult:
    """Data and load problems only: cheap to send back from a worker process."""
    loaded = parse_raw(raw, "", None)
    return loaded.data, [(p.line, p.col, p.code, p.message) for p in loaded.problems]


def _restore(entry: Any, display: str, digest: str, source: Path) -> QuestionFile | None:
    """A file from its cache entry, or None (parse it again) if the entry is malformed."""
    if not isinstance(entry, dict):
        return None
    data, problems = entry.get("data"), entry.get("problems")
    if not isinstance(data, dict | None) or not isinstance(problems, list):
        return None
    loaded: QuestionFile = Loaded(display, digest, source, data)
    try:
        loaded.problems = [
            Problem(display, int(line), int(col), str(code), str(message),
                    question_id=loaded.record_id)
            for line, col, code, message in problems
        ]  # fmt: skip
    except (TypeError, ValueError):
        return None
    return loaded
