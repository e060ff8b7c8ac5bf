"""Write exports atomically and byte-for-byte reproducibly."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterable
from io import BytesIO
from pathlib import Path

from qbank.cache import atomic_write_bytes
from qbank.errors import QbankError

# Zip entries carry this fixed time so the same input always gives the same bytes.
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def write_file(out: Path, payload: bytes) -> None:
    """Replace `out` in one step, with the permissions a plain write would give it."""
    try:
        atomic_write_bytes(out, payload)
    except OSError as exc:
        raise QbankError(f"cannot write {out}: {exc.strerror or exc}") from exc


def zip_bytes(entries: dict[str, bytes], compresslevel: int | None = None) -> bytes:
    """A zip of `entries` in name order, with fixed timestamps and permissions."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, entries[name], compresslevel=compresslevel)
    return buffer.getvalue()


def last_modified(paths: Iterable[Path]) -> int:
    """The newest modification time of `paths` in Unix seconds (0 for none), clamped to
    SOURCE_DATE_EPOCH when it is set, as reproducible builds from fresh checkouts need."""
    newest = max((int(path.stat().st_mtime) for path in paths), default=0)
    clamp = os.environ.get("SOURCE_DATE_EPOCH")
    if clamp is None:
        return newest
    try:
        return min(newest, int(clamp))
    except ValueError:
        raise QbankError(f"SOURCE_DATE_EPOCH must be whole seconds, not {clamp!r}") from None
