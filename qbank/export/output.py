"""Write exports atomically and byte-for-byte reproducibly."""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path

from qbank.cache import atomic_write_bytes

# Zip entries carry this fixed time so the same input always gives the same bytes.
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def write_file(out: Path, payload: bytes) -> None:
    atomic_write_bytes(out, payload)


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    """A zip of `entries` in name order, with fixed timestamps and permissions."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, entries[name])
    return buffer.getvalue()
