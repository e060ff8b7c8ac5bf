"""Which files make up a bank, and their contents' hashes: what a run needs before it knows
whether its stored result is still current (so nothing here imports the parser or pydantic)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from qbank.cache import JsonCache
from qbank.load.yamlparse import MAX_BYTES, YamlProblem

GUIDE_NAME = "exam-guide.yaml"
SUFFIXES = (".yaml", ".yml")


def content_hash(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def read_bytes(path: Path) -> bytes:
    """The file's bytes; refuses without reading one larger than the parser accepts."""
    too_large = YamlProblem("QB002", f"file is larger than {MAX_BYTES // 1024} KiB; not parsed")
    if path.stat().st_size > MAX_BYTES:
        raise too_large
    with path.open("rb") as handle:
        raw = handle.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise too_large
    return raw


def unreadable(exc: OSError) -> YamlProblem:
    return YamlProblem("QB001", f"cannot read: {exc.strerror}")


def read_checked(path: Path) -> bytes:
    """The file's bytes; any reason it cannot be had is a YamlProblem (QB001 or QB002)."""
    try:
        return read_bytes(path)
    except OSError as exc:
        raise unreadable(exc) from None


def display_path(path: Path, cwd: Path) -> str:
    """The path relative to `cwd` when it lies below it, else as given (no file-system calls)."""
    text, base = str(path.absolute()), str(cwd.absolute()).rstrip(os.sep) + os.sep
    return text[len(base) :] if text.startswith(base) else str(path)


def is_question_name(name: str) -> bool:
    """Whether discovery takes a file of this name for a question: YAML, not the exam guide,
    not hidden."""
    return name.endswith(SUFFIXES) and name != GUIDE_NAME and not name.startswith(".")


def discover(paths: Iterable[Path]) -> list[Path]:
    """Question files under `paths` (files as given, folders searched, hidden ones skipped),
    sorted, guide excluded."""
    found: set[str] = set()
    for path in map(Path.absolute, paths):
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                found.update(os.path.join(root, name) for name in files if is_question_name(name))
        elif path.name != GUIDE_NAME:
            found.add(str(path))
    # Paths as strings, in Path order (part by part): building and comparing 10,000 Path
    # objects took a second.
    return [Path(text) for text in sorted(found, key=lambda text: text.split(os.sep))]


@dataclass(frozen=True)
class Source:
    """A file's content hash (and bytes, once read), or why it could not be read; a source
    left unread (read_sources with read=False) has neither, and its stat signature."""

    path: Path
    display: str
    raw: bytes | None = None
    digest: str = ""
    error: YamlProblem | None = None
    signature: tuple[int, int, int] | None = None

    @property
    def unread(self) -> bool:
        return not self.digest and self.raw is None and self.error is None

    def with_content(self) -> Source:
        """This source with its bytes read (an error source if reading fails now)."""
        if self.raw is not None or self.error is not None:
            return self
        return _read(self.path, self.display)


def read_sources(
    paths: Iterable[Path], cwd: Path, known: JsonCache | None = None, read: bool = True
) -> list[Source]:
    """Each file's hash. With `known` (a stat cache), a file whose size and modification time
    are unchanged keeps its recorded hash without being read, as git's index does. With
    read=False, the other files are left unread for the loader's workers to read and hash
    (record their hashes with `remember`)."""
    sources = []
    for path in paths:
        display = display_path(path, cwd)
        try:
            stat = path.stat()
        except OSError as exc:
            sources.append(Source(path, display, error=unreadable(exc)))
            continue
        signature = [stat.st_mtime_ns, stat.st_size, stat.st_ino]
        entry = known.get(display) if known is not None else None
        if isinstance(entry, list) and len(entry) == 4 and entry[:3] == signature:
            sources.append(Source(path, display, digest=str(entry[3])))
            continue
        if not read:
            sources.append(Source(path, display, signature=tuple(signature)))  # type: ignore[arg-type]
            continue
        source = _read(path, display)
        if known is not None and source.error is None:
            known.put(display, [*signature, source.digest])
        sources.append(source)
    if known is not None:
        known.keep_only({source.display for source in sources})
    return sources


def remember(known: JsonCache | None, sources: Iterable[Source]) -> None:
    """Record the hashes of files read_sources left unread, once they are known."""
    for source in sources:
        if known is not None and source.signature is not None and source.digest:
            known.put(source.display, [*source.signature, source.digest])


def _read(path: Path, display: str) -> Source:
    try:
        raw = read_checked(path)
    except YamlProblem as exc:
        return Source(path, display, error=exc)
    return Source(path, display, raw, content_hash(raw))
