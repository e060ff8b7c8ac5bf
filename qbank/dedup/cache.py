"""Embeddings on disk: one NumPy .npz file per model under the cache folder.

A file holds the model's identity, the 16-byte keys of the texts and their vectors. It is
read with allow_pickle=False (a cache file is never code) and checked before use; a file that
is corrupt, of another format, or written for another model is discarded with a note.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import numpy as np

from qbank.cache import write_cache_file

FORMAT = "qbank-embeddings-1"
KEY_BYTES = 16  # stored as uint8 rows: NumPy byte strings would drop trailing zero bytes


class EmbeddingCache:
    """Vectors by text key for one model; `directory=None` keeps them in memory only."""

    def __init__(self, directory: Path | None, model_identity: str) -> None:
        name = hashlib.blake2b(model_identity.encode(), digest_size=8).hexdigest()
        self.path = directory / f"embeddings-{name}.npz" if directory is not None else None
        self.model_identity = model_identity
        self.notes: list[str] = []
        self._index: dict[bytes, int] = {}
        self._vectors = np.zeros((0, 0), dtype=np.float32)
        self._added: list[np.ndarray] = []
        self._used: set[bytes] = set()
        self._dirty = False
        self._read()

    def __len__(self) -> int:
        return len(self._index)

    @property
    def dimension(self) -> int | None:
        if self._vectors.shape[0]:
            return int(self._vectors.shape[1])
        return int(self._added[0].shape[1]) if self._added else None

    def missing(self, keys: list[bytes]) -> list[bytes]:
        """The keys not cached, each once, in first-seen order."""
        return list(dict.fromkeys(key for key in keys if key not in self._index))

    def put(self, keys: list[bytes], vectors: np.ndarray) -> None:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if self.dimension not in (None, vectors.shape[1]):
            raise ValueError("vectors of another dimension than the cached ones")
        base = len(self._index)
        for offset, key in enumerate(keys):
            self._index[key] = base + offset
        self._added.append(vectors)
        self._dirty = True

    def get(self, keys: list[bytes]) -> np.ndarray:
        """The vectors of `keys` (all cached), one row each."""
        self._consolidate()
        self._used.update(keys)
        return self._vectors[[self._index[key] for key in keys]]

    def save(self) -> None:
        """Write if anything changed, keeping the entries this run used and, while they are
        not more than those, the others (a bank checked now and then keeps its vectors)."""
        if self.path is None:
            return
        stale = [key for key in self._index if key not in self._used]
        if len(stale) > max(len(self._used), 1000):
            self._keep(self._used)
        if not self._dirty:
            return
        self._consolidate()
        keys = np.frombuffer(b"".join(self._index), dtype=np.uint8).reshape(-1, KEY_BYTES)
        buffer = io.BytesIO()
        np.savez(buffer, format=np.array(FORMAT), model=np.array(self.model_identity),
                 keys=keys, vectors=self._vectors)  # fmt: skip
        try:
            write_cache_file(self.path, buffer.getvalue())
        except OSError as exc:
            self.notes.append(f"embedding cache not written ({self.path}): {exc.strerror}")
        self._dirty = False

    def _consolidate(self) -> None:
        if self._added:
            parts = [self._vectors, *self._added] if len(self._vectors) else self._added
            self._vectors = np.concatenate(parts)
            self._added = []

    def _keep(self, keys: set[bytes]) -> None:
        self._consolidate()
        kept = [key for key in self._index if key in keys]
        self._vectors = self._vectors[[self._index[key] for key in kept]]
        self._index = {key: row for row, key in enumerate(kept)}
        self._dirty = True

    def _read(self) -> None:
        if self.path is None or not self.path.exists():
            return
        try:
            with np.load(self.path, allow_pickle=False) as archive:
                arrays = {name: archive[name] for name in ("format", "model", "keys", "vectors")}
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
            self._discard(f"unreadable ({exc.__class__.__name__})")
            return
        problem = _invalid(arrays, self.model_identity)
        if problem:
            self._discard(problem)
            return
        raw, vectors = arrays["keys"].tobytes(), arrays["vectors"]
        keys = [raw[start : start + KEY_BYTES] for start in range(0, len(raw), KEY_BYTES)]
        self._index = {key: row for row, key in enumerate(keys)}
        if len(self._index) != len(keys):
            self._discard("malformed entries")
            self._index = {}
            return
        self._vectors = np.ascontiguousarray(vectors)

    def _discard(self, why: str) -> None:
        self.notes.append(f"embedding cache {self.path} discarded: {why}")
        self._dirty = True


def _invalid(arrays: dict[str, np.ndarray], identity: str) -> str:
    """Why the arrays are not a cache for this model, or '' when they are."""
    if arrays["format"].shape != () or str(arrays["format"]) != FORMAT:
        return "not a qbank embedding cache"
    if arrays["model"].shape != () or str(arrays["model"]) != identity:
        return "written for another model"
    keys, vectors = arrays["keys"], arrays["vectors"]
    if keys.dtype != np.uint8 or keys.ndim != 2 or keys.shape[1] != KEY_BYTES:
        return "malformed keys"
    if vectors.dtype != np.float32 or vectors.ndim != 2 or len(vectors) != len(keys):
        return "malformed vectors"
    if not np.isfinite(vectors).all():
        return "malformed entries"
    return ""
