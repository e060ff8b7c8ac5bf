"""Write exports atomically and byte-for-byte reproducibly."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterable, Mapping
from io import BytesIO
from pathlib import Path

from qbank.cache import atomic_write_bytes
from qbank.errors import QbankError

# Zip entries carry this fixed time so the same input always gives the same bytes.
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# Fastest deflate, for the packages (anki, qti, qti12): at 10,000 questions they hold 50 to
# 100 MB of SQLite or XML, which zlib's default level 6 deflates in 0.9 to 1.5 s and level 1
# in 0.3 to 0.5 s; the files are 10% (qti), 20% (anki) and 28-41% (qti12) larger.
PACKAGE_ZIP_LEVEL = 1
_PERMISSIONS = 0o644 << 16  # rw-r--r--


def write_file(out: Path, payload: bytes) -> None:
    """Replace `out` in one step, with the permissions a plain write would give it."""
    try:
        atomic_write_bytes(out, payload)
    except OSError as exc:
        raise QbankError(f"cannot write {out}: {exc.strerror or exc}") from exc


def zip_bytes(entries: Mapping[str, bytes | Iterable[bytes]]) -> bytes:
    """A zip of `entries` in name order, with fixed timestamps and permissions."""
    return zip_in_order(sorted(entries.items()))


def zip_in_order(entries: Iterable[tuple[str, bytes | Iterable[bytes]]]) -> bytes:
    """A zip of `entries` in the order they come, with fixed timestamps and permissions.
    Entries (and an entry's content, if it comes in pieces) are compressed as they come, so
    the later ones can still be in the making while the first are written."""
    buffer = BytesIO()
    with zipfile.ZipFile(
        buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=PACKAGE_ZIP_LEVEL
    ) as archive:
        for name, content in entries:
            if isinstance(content, bytes):
                info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = _PERMISSIONS
                archive.writestr(info, content, compresslevel=PACKAGE_ZIP_LEVEL)
            else:
                # Opened by name, the entry takes the archive's compression and level, and
                # ZipInfo's default time, 1980-01-01 (FIXED_ZIP_TIME); the permissions are
                # read from its ZipInfo when the archive closes.
                with archive.open(name, "w") as stream:
                    for piece in content:
                        stream.write(piece)
                archive.getinfo(name).external_attr = _PERMISSIONS
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
