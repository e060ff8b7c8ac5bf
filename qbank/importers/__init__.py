"""`qbank import`: other banks' files → drafts (one module per format) → planned files → disk.

Each format is one module with one reader function, listed here; modules load only when used.
Every input is read and planned in full before anything is written, so malformed input or a
file that would be overwritten stops the import with nothing changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path

from qbank.cache import atomic_write_bytes
from qbank.errors import QbankError
from qbank.importers.base import Reader, Skipped
from qbank.importers.plan import Planned, Target, plan_import

# format name -> "module:function"
IMPORTERS: dict[str, str] = {
    "moodle": "qbank.importers.moodle:read_moodle",
    "gift": "qbank.importers.gift:read_gift",
    "aiken": "qbank.importers.aiken:read_aiken",
    "csv": "qbank.importers.csv_rows:read_csv",
    "json": "qbank.importers.qbank_json:read_json",
}
MAX_INPUT_BYTES = 64 * 1024 * 1024


def get_importer(name: str) -> Reader:
    if name not in IMPORTERS:
        raise QbankError(f"unknown import format '{name}' (known: {', '.join(IMPORTERS)})")
    module_name, function_name = IMPORTERS[name].split(":")
    reader: Reader = getattr(import_module(module_name), function_name)
    return reader


def read_input(path: Path) -> bytes:
    """The input file's bytes; refused when it is not a file or larger than the bound."""
    try:
        if not path.is_file():
            raise QbankError(f"{path}: not a file")
        if path.stat().st_size > MAX_INPUT_BYTES:
            raise QbankError(f"{path}: larger than {MAX_INPUT_BYTES >> 20} MiB; not imported")
        return path.read_bytes()
    except OSError as exc:
        raise QbankError(f"{path}: cannot read: {exc.strerror}") from None


@dataclass
class ImportRun:
    planned: list[Planned] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def unmapped(self) -> list[Planned]:
        return [p for p in self.planned if p.domain is None]


def run_import(format_name: str, path: Path, source: str, target: Target) -> ImportRun:
    """Read and plan the whole import; nothing is written."""
    imported = get_importer(format_name)(read_input(path), source)
    return ImportRun(plan_import(imported, target, source), imported.skipped)


def existing_files(run: ImportRun) -> list[Path]:
    return [
        path
        for planned in run.planned
        for path in (planned.path, *(asset for asset, _ in planned.assets))
        if path.exists()
    ]


def write(run: ImportRun, overwrite: bool) -> None:
    """Write every planned file atomically; refuse up front if one exists and not `overwrite`."""
    clashes = existing_files(run)
    if clashes and not overwrite:
        shown = ", ".join(str(p) for p in clashes[:5]) + (" …" if len(clashes) > 5 else "")
        raise QbankError(
            f"{len(clashes)} file(s) already exist ({shown}); pass --overwrite to replace them"
        )
    for planned in run.planned:
        for asset_path, data in planned.assets:
            atomic_write_bytes(asset_path, data)
        atomic_write_bytes(planned.path, planned.text.encode("utf-8"))
