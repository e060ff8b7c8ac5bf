"""Find question files, load them (in parallel when there are many), and assemble the bank."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from multiprocessing import get_context
from pathlib import Path
from typing import Any, NamedTuple

from qbank.cache import EntryStore, RawJson, compact_json
from qbank.load.files import Source, display_path, read_checked
from qbank.load.source import Loaded, load_one, parse_file, parse_raw, validate_all
from qbank.load.yamlparse import YamlProblem
from qbank.models import ExamGuide, Question
from qbank.models.outline import Outline, QuestionShape
from qbank.problem import Problem

# Below this many files to parse, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 400

QuestionFile = Loaded[Question]


@dataclass
class Bank:
    """Every question file of the bank (valid or not) and the exam guide."""

    files: list[QuestionFile]
    guide_file: Loaded[ExamGuide] | None = None
    notes: list[str] = field(default_factory=list)
    # What bank-scope rules compute once per run and share (QB402 and QB406: the embeddings).
    shared: dict[str, Any] = field(default_factory=dict)
    # Loads the records of files restored with their outline only (load_questions gives it).
    load_records: Callable[[list[QuestionFile]], None] | None = field(default=None, repr=False)

    @property
    def guide(self) -> ExamGuide | None:
        return self.guide_file.record if self.guide_file is not None else None

    def questions(self) -> list[tuple[QuestionFile, Question]]:
        """Each file that passed validation, with its question (loaded now if the file was
        restored with its outline only)."""
        self._load_missing_records(self.files)
        return [(f, f.record) for f in self.files if f.record is not None]

    def outlines(self) -> list[tuple[QuestionFile, QuestionShape]]:
        """Each file that passed validation, with what the bank-wide rules count of it."""
        return [(f, f.record or f.outline) for f in self.files  # type: ignore[misc]
                if f.record is not None or f.outline is not None]  # fmt: skip

    def record(self, file: QuestionFile) -> Question | None:
        """The file's question, loaded now if the file was restored with its outline only."""
        self._load_missing_records([file])
        return file.record

    def _load_missing_records(self, files: list[QuestionFile]) -> None:
        missing = [f for f in files if f.record is None and f.outline is not None]
        if missing and self.load_records is not None:
            self.load_records(missing)


def load_guide(path: Path, cwd: Path) -> Loaded[ExamGuide] | None:
    return load_one(path, display_path(path, cwd), ExamGuide) if path.is_file() else None


@dataclass(frozen=True)
class QuestionChecker:
    """Question-scope checks for the loader to run while it parses (in its worker processes).

    `key` names everything the results depend on besides the file (rules, options, guide),
    so cached results are reused only under the same key.
    """

    key: str
    run: Callable[[Question, QuestionFile], list[Problem]]
    summarize: Callable[[Question], dict[str, Any]]


def load_questions(
    sources: Sequence[Source],
    cache: EntryStore | None = None,
    checker: QuestionChecker | None = None,
    outlines: EntryStore | None = None,
) -> list[QuestionFile]:
    """Load every file; unchanged files come from the cache, the rest are parsed (in parallel).

    With `outlines` (and a checker), a valid question whose checks and summaries are stored
    under the checker's key is restored from there with its outline only: no data, no record
    (see Bank.record). The rest is loaded in full, and stored there for the next run."""
    files: list[QuestionFile] = []
    to_parse: list[tuple[int, Source]] = []
    full: list[QuestionFile] = []
    for source in sources:
        if outlines is not None and checker is not None and source.digest:
            outlined = _restore_outlined(outlines.get(_outline_key(source.display, source.digest)),
                                         source, checker)  # fmt: skip
            if outlined is not None:
                files.append(outlined)
                continue
        entry = cache.get(source.digest) if cache is not None and source.digest else None
        restored = _restore(entry, source, checker)
        if restored is not None:
            files.append(restored)
            full.append(restored)
            continue
        if not source.unread:  # an unread source is read where it is parsed
            source = source.with_content()
        if source.error is not None:
            problem = Problem(source.display, source.error.line, source.error.col,
                              source.error.code, source.error.message)  # fmt: skip
            files.append(Loaded(source.display, "", source.path, problems=[problem]))
            continue
        to_parse.append((len(files), source))
        files.append(Loaded(source.display, source.digest, source.path))
        full.append(files[-1])
    results = _parse_all([source for _, source in to_parse], checker)
    for (index, _source), result in zip(to_parse, results, strict=True):
        target = files[index]
        target.content_hash = result.digest
        target.checked, target.summaries = result.checked, result.summaries
        if outlines is not None and result.outline is not None and result.checked is not None:
            target.outline = Outline.from_json(result.outline)  # its record: Bank.record
        if target.outline is None and result.data is not None:
            target.data = json.loads(result.data)
        target.problems = [
            Problem(target.path, *p, question_id=target.record_id) for p in result.problems
        ]
        if cache is not None and result.parse_entry is not None:
            cache.put(target.content_hash, RawJson(result.parse_entry))
        if outlines is not None and result.outline_entry is not None:
            key = _outline_key(target.path, target.content_hash)
            outlines.put(key, RawJson(result.outline_entry))
    if cache is not None:
        cache.keep_only({f.content_hash for f in files if f.content_hash})
    in_main = [f for f in full if f.outline is None and f.record is None]
    validate_all(in_main, Question)  # restored from the parse cache, or needed in full
    for file in full:
        if not file.valid:
            file.checked = file.summaries = None
    if outlines is not None and checker is not None:
        for file in in_main:
            if file.record is not None and file.checked is not None:
                key = _outline_key(file.path, file.content_hash)
                outlines.put(key, _outlined_entry(Outline.of(file.record), file, checker))
    if outlines is not None:
        outlines.keep_only({_outline_key(f.path, f.content_hash) for f in files})
    return files


def settled(sources: Sequence[Source], files: Sequence[QuestionFile]) -> list[Source]:
    """The sources with what the loader found of those it read itself (load_questions
    returns a file per source, in order): their hashes, or why they could not be read."""
    found = []
    for source, file in zip(sources, files, strict=True):
        if source.unread and file.content_hash:
            source = replace(source, digest=file.content_hash)
        elif source.unread:
            problem = file.problems[0]
            error = YamlProblem(problem.code, problem.message, problem.line, problem.col)
            source = replace(source, error=error)
        found.append(source)
    return found


def _outline_key(display: str, digest: str) -> str:
    """Outline entries hold problems located in their file: two files with the same content
    (a copy) have an entry each."""
    return f"{digest}:{display}"


def record_loader(cache: EntryStore | None) -> Callable[[list[QuestionFile]], None]:
    """Gives files restored with their outline only their data and record: the data from the
    parse cache, else from the file read again."""

    def load(files: list[QuestionFile]) -> None:
        for file in files:
            entry = cache.get(file.content_hash) if cache is not None else None
            data = entry.get("data") if isinstance(entry, dict) else None
            if not isinstance(data, dict) and file.source is not None:
                reread = parse_file(file.source, file.path)
                data = reread.data if reread.content_hash == file.content_hash else None
            file.data = data
        validate_all(files, Question)
        for file in files:
            if file.record is None:  # the file changed since this run read it: not judged
                file.outline = None

    return load


def _outlined_entry(
    outline: Outline, file: QuestionFile, checker: QuestionChecker
) -> dict[str, Any]:
    assert file.checked is not None
    return {
        "key": checker.key,
        "outline": outline.to_json(),
        "checked": [p.to_dict() for p in file.checked],
        "summaries": file.summaries,
    }


def _restore_outlined(entry: Any, source: Source, checker: QuestionChecker) -> QuestionFile | None:
    """A valid question from its outline cache entry, or None (load it in full)."""
    if not isinstance(entry, dict) or entry.get("key") != checker.key:
        return None
    outline = Outline.from_json(entry.get("outline"))
    summaries, checked = entry.get("summaries"), entry.get("checked")
    if outline is None or not isinstance(summaries, dict) or not isinstance(checked, list):
        return None
    try:
        problems = [Problem.from_dict(record) for record in checked]
    except (KeyError, TypeError, ValueError):
        return None
    loaded: QuestionFile = Loaded(source.display, source.digest, source.path, outline=outline)
    loaded.checked, loaded.summaries = problems, summaries
    return loaded


class ParseResult(NamedTuple):
    """What a worker sends back for one file: cheap to send, and encoded where it was made."""

    digest: str  # "" when the file could not be read
    data: str | None  # as JSON text
    problems: list[tuple[int, int, str, str]]  # load and schema problems
    outline: list[Any] | None  # Outline.to_json, for a valid question
    checked: list[Problem] | None
    summaries: dict[str, Any] | None
    parse_entry: str | None  # its entries in the parse and outline caches, as JSON text
    outline_entry: str | None


# The load in progress; worker processes inherit them when they are forked, so the files'
# bytes are never sent to them.
_CHECKER: QuestionChecker | None = None
_SOURCES: list[Source] = []


def _parse_all(sources: list[Source], checker: QuestionChecker | None) -> Iterator[ParseResult]:
    """Each source's ParseResult, in order, as the workers finish them."""
    global _CHECKER, _SOURCES
    _CHECKER, _SOURCES = checker, sources
    try:
        cores = min(os.cpu_count() or 1, 4)
        if len(sources) < PARALLEL_MIN_FILES or cores < 2:
            yield from map(_parse, range(len(sources)))
            return
        # Many small chunks keep both workers busy to the end (measured: 40 chunks for 10,000
        # files beat 8 by 1.6x).
        chunk = max(1, len(sources) // (cores * 20))
        with ProcessPoolExecutor(cores, mp_context=get_context("fork")) as pool:
            yield from pool.map(_parse, range(len(sources)), chunksize=chunk)
    finally:
        _CHECKER, _SOURCES = None, []


def _parse(index: int) -> ParseResult:
    """Everything the loader keeps of one file, computed where the file is parsed."""
    source = _SOURCES[index]
    raw = source.raw
    if raw is None:  # an unread source: read and hashed here
        try:
            raw = read_checked(source.path)
        except YamlProblem as exc:
            return ParseResult("", None, [(exc.line, exc.col, exc.code, exc.message)],
                               None, None, None, None, None)  # fmt: skip
    loaded: QuestionFile = parse_raw(raw, source.display, source.path, located=False)
    validate_all([loaded], Question)  # a record, or schema problems located in the file
    outline = checked = summaries = outlined = None
    if loaded.record is not None:
        outline = Outline.of(loaded.record)
        if _CHECKER is not None:
            loaded.checked = checked = _CHECKER.run(loaded.record, loaded)
            loaded.summaries = summaries = _CHECKER.summarize(loaded.record)
            if not _shows_images(raw):
                outlined = compact_json(_outlined_entry(outline, loaded, _CHECKER))
    problems = [(p.line, p.col, p.code, p.message) for p in loaded.problems]
    data = None if loaded.data is None else compact_json(loaded.data)
    entry = compact_json(_entry(loaded, raw, _CHECKER))
    parsed = f'{{"data":{data or "null"},{entry[1:]}'
    return ParseResult(loaded.content_hash, data, problems, outline and outline.to_json(),
                       checked, summaries, parsed, outlined)  # fmt: skip


def _entry(file: QuestionFile, raw: bytes, checker: QuestionChecker | None) -> dict[str, Any]:
    """The parse cache's entry for a file, but its data (a worker adds it already encoded)."""
    entry: dict[str, Any] = {
        "problems": [[p.line, p.col, p.code, p.message] for p in file.problems]
    }
    if checker is not None and file.checked is not None and not _shows_images(raw):
        entry["checked"] = {
            "key": checker.key,
            "path": file.path,
            "problems": [p.to_dict() for p in file.checked],
        }
    if checker is not None:  # values None: the file has no valid question to summarize
        entry["summaries"] = {"key": checker.key, "values": file.summaries}
    return entry


def _shows_images(raw: bytes) -> bool:
    """A question that shows images is checked afresh each run: the image files may change."""
    return b"![" in raw


def _restore(entry: Any, source: Source, checker: QuestionChecker | None) -> QuestionFile | None:
    """A file from its cache entry, or None (parse it again) if the entry is malformed or was
    checked under another key (other rules, options or guide): parsing it again in the
    workers renews its checks and summaries once, instead of in this process on every run."""
    if not isinstance(entry, dict):
        return None
    summaries = entry.get("summaries")
    if checker is not None and not (isinstance(summaries, dict)
                                    and summaries.get("key") == checker.key):  # fmt: skip
        return None
    data, problems = entry.get("data"), entry.get("problems")
    if not isinstance(data, dict | None) or not isinstance(problems, list):
        return None
    loaded: QuestionFile = Loaded(source.display, source.digest, source.path, data)
    try:
        loaded.problems = [
            Problem(source.display, int(line), int(col), str(code), str(message),
                    question_id=loaded.record_id)
            for line, col, code, message in problems
        ]  # fmt: skip
        checked = entry.get("checked")
        if (
            checker is not None
            and isinstance(checked, dict)
            and checked.get("key") == checker.key
            and checked.get("path") == source.display
        ):
            loaded.checked = [Problem.from_dict(p) for p in checked["problems"]]
        if checker is not None and isinstance(summaries, dict):
            values = summaries.get("values")
            loaded.summaries = values if isinstance(values, dict) else None
    except (TypeError, ValueError, KeyError):
        return None
    return loaded
