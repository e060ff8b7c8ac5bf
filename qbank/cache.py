"""The on-disk cache under `.qbank_cache/`: JSON only, written atomically, never trusted blindly.

Concurrent runs (pre-commit starts several) each write a complete file and replace the old
one atomically; the last writer wins, and a lost entry only costs a re-parse.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
import zlib
from pathlib import Path
from typing import Any, Protocol

from qbank.code_identity import code_identity

CACHE_FORMAT = "qbank-cache-1"
# The parse and outline caches are spread over this many files, so that a run after one file
# changed rewrites one of them (about 3 MB of the parse cache at 10,000 questions), not all.
SHARDS = 16


def atomic_write_bytes(path: Path, payload: bytes) -> None:
    """Write to a temporary file beside `path`, then replace `path` in one step.

    The file ends up with the permissions a plain write would give it: those of the file it
    replaces, or for a new file 0o666 less the umask (mkstemp alone would make it 0o600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = _file_mode(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(handle, mode)
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _file_mode(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mask = os.umask(0o022)  # the only way to read the umask is to set it
        os.umask(mask)
        return 0o666 & ~mask


def write_cache_file(path: Path, payload: bytes) -> None:
    """Write a file of the cache folder atomically. The folder ignores itself in git, as
    pytest's and ruff's caches do: `git add -A` in a bank's repository never stages it, and
    pre-commit never takes the hook's own cache writes for changes to the repository."""
    marker = path.parent / ".gitignore"
    if not marker.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text("# Created by qbank.\n*\n", "utf-8")
    atomic_write_bytes(path, payload)


class RawJson:
    """A cache entry already encoded as JSON text (by a worker process): saved as it is,
    decoded when read."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def _encode(entries: dict[str, Any]) -> str:
    parts = [
        json.dumps(key) + ":" + (value.text if isinstance(value, RawJson) else compact_json(value))
        for key, value in entries.items()
    ]
    return "{" + ",".join(parts) + "}"


def compact_json(value: Any) -> str:
    """JSON text without spaces, as every cache file is written."""
    return json.dumps(value, separators=(",", ":"))


class JsonCache:
    """One JSON document of entries, tagged with the format and qbank's code (code_identity)."""

    def __init__(self, directory: Path | None, name: str) -> None:
        self.path = directory / f"{name}.json" if directory is not None else None
        self.notes: list[str] = []
        self._entries: dict[str, Any] | None = None
        self._dirty = False

    @property
    def entries(self) -> dict[str, Any]:
        if self._entries is None:
            self._entries = self._read()
        return self._entries

    @property
    def loaded(self) -> bool:
        return self._entries is not None

    def get(self, key: str) -> Any:
        value = self.entries.get(key)
        return json.loads(value.text) if isinstance(value, RawJson) else value

    def put(self, key: str, value: Any) -> None:
        self.entries[key] = value
        self._dirty = True

    def keep_only(self, keys: set[str]) -> None:
        stale = [key for key in self.entries if key not in keys]
        for key in stale:
            del self.entries[key]
        self._dirty = self._dirty or bool(stale)

    def save(self) -> None:
        if self.path is None or not self._dirty:
            return
        head = compact_json({"format": CACHE_FORMAT, "qbank": code_identity()})
        document = f'{head[:-1]},"entries":{_encode(self.entries)}}}'
        try:
            write_cache_file(self.path, document.encode())
        except OSError as exc:
            self.notes.append(f"cache not written ({self.path}): {exc.strerror}")
        self._dirty = False

    def _read(self) -> dict[str, Any]:
        if self.path is None or not self.path.exists():
            return {}
        try:
            document = json.loads(self.path.read_bytes())
        except (OSError, ValueError) as exc:
            return self._discard(f"unreadable ({exc.__class__.__name__})")
        if not isinstance(document, dict) or document.get("format") != CACHE_FORMAT:
            return self._discard("not a qbank cache file")
        if document.get("qbank") != code_identity() or not isinstance(
            document.get("entries"), dict
        ):
            return self._discard("written by another qbank version")
        return document["entries"]

    def _discard(self, why: str) -> dict[str, Any]:
        self.notes.append(f"cache {self.path} discarded: {why}")
        self._dirty = True
        return {}


class EntryStore(Protocol):
    """What the loader needs of a cache: entries by key."""

    def get(self, key: str) -> Any: ...

    def put(self, key: str, value: Any) -> None: ...

    def keep_only(self, keys: set[str]) -> None: ...


class ShardedJsonCache:
    """A JsonCache spread over SHARDS files `<name>-<n>.json` by a hash of the key; only the
    files whose entries changed are written."""

    def __init__(self, directory: Path | None, name: str) -> None:
        self.shards = [JsonCache(directory, f"{name}-{n:02d}") for n in range(SHARDS)]
        # The single file earlier versions wrote: dead weight once the shards exist.
        self.unsharded = directory / f"{name}.json" if directory is not None else None

    @property
    def notes(self) -> list[str]:
        return [note for shard in self.shards for note in shard.notes]

    def _shard(self, key: str) -> JsonCache:
        return self.shards[zlib.crc32(key.encode()) % SHARDS]

    def get(self, key: str) -> Any:
        return self._shard(key).get(key)

    def put(self, key: str, value: Any) -> None:
        self._shard(key).put(key, value)

    def keep_only(self, keys: set[str]) -> None:
        """Drop other keys from the shards this run has read; a shard not read is pruned
        when a later run reads it (reading every shard to prune it would cost more than the
        few stale entries it holds)."""
        for shard in self.shards:
            if shard.loaded:
                shard.keep_only(keys)

    def save(self) -> None:
        for shard in self.shards:
            shard.save()
        if self.unsharded is not None:
            with contextlib.suppress(OSError):
                self.unsharded.unlink(missing_ok=True)
