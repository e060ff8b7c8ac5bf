"""Find question files, load them (in parallel when there are many), and assemble the bank."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from qbank.cache import EntryStore
from qbank.load.files import Source, display_path
from qbank.load.source import Loaded, load_one, parse_file, parse_raw, validate_all
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
    for (index, source), (data, problems, checked, summaries) in zip(to_parse, results,
                                                                     strict=True):  # fmt: skip
        target = files[index]
        target.data = data
        target.problems = [Problem(target.path, *p, question_id=target.record_id) for p in problems]
        target.checked, target.summaries = checked, summaries
        if cache is not None:
            cache.put(target.content_hash, _entry(target, source, checker))
    hashes = {f.content_hash for f in files if f.content_hash}
    if cache is not None:
        cache.keep_only(hashes)
    validate_all(full, Question)
    for file in full:
        if file.record is None:
            file.checked = file.summaries = None
        elif outlines is not None and checker is not None and file.checked is not None:
            outlines.put(_outline_key(file.path, file.content_hash), _outlined_entry(file, checker))
    if outlines is not None:
        outlines.keep_only({_outline_key(f.path, f.content_hash) for f in files})
    return files


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


def _outlined_entry(file: QuestionFile, checker: QuestionChecker) -> dict[str, Any]:
    assert file.record is not None and file.checked is not None
    return {
        "key": checker.key,
        "outline": Outline.of(file.record).to_json(),
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


ParseResult = tuple[
    dict[str, Any] | None, list[tuple[int, int, str, str]], list[Problem] | None,
    dict[str, Any] | None,
]  # fmt: skip
# The checker of the load in progress; worker processes inherit it when they are forked.
_CHECKER: QuestionChecker | None = None


def _parse_all(sources: list[Source], checker: QuestionChecker | None) -> list[ParseResult]:
    global _CHECKER
    _CHECKER = checker
    try:
        cores = min(os.cpu_count() or 1, 4)
        if len(sources) < PARALLEL_MIN_FILES or cores < 2:
            return [_parse(s.raw, s.display, s.path) for s in sources]
        # Many small chunks keep both workers busy to the end (measured: 40 chunks for 10,000
        # files beat 8 by 1.6x). Parsing a share in this process instead was slower: it starves
        # the pool's feeder thread of the GIL.
        chunk = max(1, len(sources) // (cores * 20))
        with ProcessPoolExecutor(cores, mp_context=get_context("fork")) as pool:
            return list(
                pool.map(
                    _parse,
                    [s.raw for s in sources],
                    [s.display for s in sources],
                    [s.path for s in sources],
                    chunksize=chunk,
                )
            )
    finally:
        _CHECKER = None


def _parse(raw: bytes | None, display: str, source: Path) -> ParseResult:
    """Data, load problems, question-check problems and bank-rule summaries: cheap to send
    back from a worker."""
    assert raw is not None  # load_questions reads every source it parses
    loaded: QuestionFile = parse_raw(raw, display, source)
    checked = summaries = None
    if _CHECKER is not None and loaded.data is not None:
        try:
            question = Question.model_validate(loaded.data)
        except ValidationError:
            question = None
        if question is not None:
            checked = _CHECKER.run(question, loaded)
            summaries = _CHECKER.summarize(question)
    problems = [(p.line, p.col, p.code, p.message) for p in loaded.problems]
    return loaded.data, problems, checked, summaries


def _entry(file: QuestionFile, source: Source, checker: QuestionChecker | None) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "data": file.data,
        "problems": [[p.line, p.col, p.code, p.message] for p in file.problems],
    }
    # A question that shows images is checked afresh each run: the image files may change.
    shows_images = source.raw is None or b"![" in source.raw
    if checker is not None and file.checked is not None and not shows_images:
        entry["checked"] = {
            "key": checker.key,
            "path": file.path,
            "problems": [p.to_dict() for p in file.checked],
        }
    if checker is not None:  # values None: the file has no valid question to summarize
        entry["summaries"] = {"key": checker.key, "values": file.summaries}
    return entry


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
