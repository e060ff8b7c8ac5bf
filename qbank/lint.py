"""Lint a bank: find the files, load them, run the rules. Used by `qbank lint` and exports."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from qbank.cache import JsonCache, ShardedJsonCache
from qbank.code_identity import code_identity
from qbank.config import Config
from qbank.errors import QbankError
from qbank.load.files import (
    GUIDE_NAME,
    Source,
    discover,
    is_question_name,
    read_sources,
    remember,
)
from qbank.problem import Problem

# The parser, pydantic and the rules are imported only when the stored result is not current:
# their imports were most of a warm run.
if TYPE_CHECKING:
    from qbank.check import Context, Selection
    from qbank.load.bank import Bank, QuestionChecker


@dataclass
class Scope:
    """Which files are judged (targets) and which files make up the bank they belong to."""

    targets: list[Path]
    bank: list[Path]
    guide: Path


@dataclass
class LintResult:
    problems: list[Problem]
    files: list[str]
    bank: Bank | None = None
    notes: list[str] = field(default_factory=list)


def resolve_scope(paths: list[Path], config: Config) -> Scope:
    """No paths: the configured bank. Paths inside the bank: those files, judged in the whole
    bank. Paths elsewhere: a bank of their own (with its exam-guide.yaml, if a folder has one)."""
    if not paths:
        files = discover([config.bank])
        return Scope(files, files, config.exam_guide)
    targets = discover(paths)
    bank_root = config.bank.resolve()
    if all(_inside(path.resolve(), bank_root) for path in paths):
        return Scope(targets, sorted(set(discover([config.bank])) | set(targets)),
                     config.exam_guide)  # fmt: skip
    guides = [p / GUIDE_NAME for p in paths if (p / GUIDE_NAME).is_file()]
    return Scope(targets, targets, guides[0] if guides else config.exam_guide)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def touches_guide(paths: list[Path], config: Config) -> bool:
    """Whether the configured exam guide is among `paths` (a change to it can break any
    question, so the whole bank needs linting)."""
    guide = config.exam_guide.resolve()
    return any(path.resolve() == guide for path in paths)


def bank_questions(paths: list[Path], config: Config) -> list[Path]:
    """The paths that are question files (or folders) of the configured bank, as `discover`
    finds them: pre-commit passes every changed YAML file of a repository, and the rest
    (.pre-commit-config.yaml, workflows, files outside the bank) are not questions."""
    bank_root = config.bank.resolve()
    kept = []
    for path in paths:
        resolved = path.resolve()
        if not _inside(resolved, bank_root):
            continue
        hidden = any(part.startswith(".") for part in resolved.relative_to(bank_root).parts)
        if not hidden and (resolved.is_dir() or is_question_name(resolved.name)):
            kept.append(path)
    return kept


def lint(
    paths: list[Path],
    config: Config,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    use_cache: bool = True,
    cwd: Path | None = None,
    need_bank: bool = False,
) -> LintResult:
    """Problems in the scope of `paths`; with need_bank, also the loaded bank (no shortcut)."""
    cwd = cwd or Path.cwd()
    scope = resolve_scope(paths, config)
    cache_dir = config.cache_dir if use_cache else None
    stats = JsonCache(cache_dir, "files")
    results = JsonCache(cache_dir, "lint-results")
    stored = results.get("last")
    # With no stored result to compare with, the files need not be hashed first: the loader's
    # workers read and hash them as they parse them.
    read_first = stored is not None or need_bank
    sources = read_sources(scope.bank, cwd, stats if use_cache else None, read_first)
    target_paths = set(scope.targets)
    target_names = {s.display for s in sources if s.path in target_paths}
    guide_raw = scope.guide.read_bytes() if scope.guide.is_file() else b""
    selectors: list[list[str] | None] = [select, ignore]
    if read_first:
        run_key = _run_key(config, selectors, sources, sorted(target_names), guide_raw)
        cached = _cached_problems(stored, run_key)
        if cached is not None and not need_bank:
            stats.save()
            notes = stats.notes + results.notes
            return LintResult(cached, _checked(target_names, cached), notes=notes)
    from qbank.check import Context, run_checks, select_rules
    from qbank.load.bank import Bank, load_guide, load_questions, record_loader, settled

    selection = select_rules(config, select, ignore)
    load_cache = ShardedJsonCache(cache_dir, "parsed")
    # Outlines serve the bank-wide rules; a caller that needs the bank needs every record.
    outlines = None if need_bank else ShardedJsonCache(cache_dir, "outlines")
    with _no_cyclic_gc():
        guide_file = load_guide(scope.guide, cwd)
        checker = _checker(selection, Context(Bank([], guide_file), config), guide_raw)
        files = load_questions(sources, load_cache, checker, outlines)
        if not read_first:
            sources = settled(sources, files)
            remember(stats if use_cache else None, sources)
            run_key = _run_key(config, selectors, sources, sorted(target_names), guide_raw)
        bank = Bank(files, guide_file, load_records=record_loader(load_cache))
        context = Context(bank, config, use_cache=use_cache)
        problems = run_checks(bank, target_names, selection, context)
    load_cache.save()
    if outlines is not None:
        outlines.save()
    stats.save()
    results.put("last", {"key": run_key, "problems": [p.to_dict() for p in problems]})
    results.save()
    notes = stats.notes + load_cache.notes + (outlines.notes if outlines else []) + bank.notes
    notes += results.notes
    return LintResult(problems, _checked(target_names, problems), bank, notes)


def _checked(targets: set[str], problems: list[Problem]) -> list[str]:
    """The files a report covers: the targets, and any other file a problem is in (the exam
    guide, judged by bank-wide rules), so that its counts add up."""
    return sorted(targets | {problem.path for problem in problems})


def load_bank(
    paths: list[Path], config: Config, cwd: Path | None = None, only_targets: bool = False
) -> Bank:
    """The bank of `paths` (see resolve_scope) with a valid exam guide, without linting it;
    with only_targets, just the files `paths` name (not the rest of the bank they are in)."""
    from qbank.load.bank import Bank, load_guide, load_questions

    cwd = cwd or Path.cwd()
    scope = resolve_scope(paths, config)
    guide_file = load_guide(scope.guide, cwd)
    if guide_file is None or guide_file.record is None:
        raise QbankError(f"no valid exam guide at {scope.guide}; run `qbank lint`")
    files = scope.targets if only_targets else scope.bank
    with _no_cyclic_gc():
        return Bank(load_questions(read_sources(files, cwd)), guide_file)


def _checker(selection: Selection, context: Context, guide: bytes) -> QuestionChecker:
    """Question-scope checks for the loader's workers; they see the guide, not the bank."""
    from qbank.check import check_question, summarize_question
    from qbank.load.bank import QuestionChecker

    key = hashlib.blake2b(selection.fingerprint().encode() + b"\0" + guide).hexdigest()
    return QuestionChecker(key, lambda q, file: check_question(q, file, selection, context),
                           lambda q: summarize_question(q, selection))  # fmt: skip


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Loading builds millions of small acyclic objects; the cyclic collector would rescan
    them again and again (a third of the run time) while freeing nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _run_key(
    config: Config,
    selectors: list[list[str] | None],
    sources: list[Source],
    targets: list[str],
    guide: bytes,
) -> str:
    """Everything a lint result depends on; equal keys mean the result can be reused. The
    rules, their options and severities follow from qbank's code, the configuration and
    the CLI's selectors (select_rules), so the key needs no rule module imported."""
    digest = hashlib.blake2b(digest_size=20)
    for part in (code_identity(), repr(config), json.dumps(selectors), json.dumps(targets),
                 _embedding_model(config)):  # fmt: skip
        digest.update(part.encode() + b"\0")
    digest.update(hashlib.blake2b(guide).digest())
    for source in sources:
        digest.update(f"{source.display}\0{source.digest}\0{source.error}\0".encode())
    return digest.hexdigest()


def _embedding_model(config: Config) -> str:
    """QB402's and QB406's results depend on the model's files and runtime, which its name
    alone does not tell (a folder converted in place, a new bundled model). Taken whether or
    not they run (a model that cannot be resolved is an error only when they do)."""
    from qbank.dedup.model import configured_identity

    try:
        return configured_identity(config)
    except QbankError as exc:
        return f"unresolved: {exc}"


def _cached_problems(entry: object, key: str) -> list[Problem] | None:
    if not isinstance(entry, dict) or entry.get("key") != key:
        return None
    try:
        return [Problem.from_dict(record) for record in entry["problems"]]
    except (KeyError, TypeError, ValueError):
        return None
