"""Settings from `[tool.qbank]` in pyproject.toml, or from qbank.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qbank.errors import QbankError
from qbank.suggest import did_you_mean

CONFIG_FILES = ("qbank.toml", "pyproject.toml")
TOP_LEVEL_KEYS = frozenset(
    {"bank", "exam_guide", "select", "ignore", "strict", "cache_dir", "rules", "dedup"}
)


@dataclass(frozen=True)
class Config:
    root: Path
    bank: Path
    exam_guide: Path
    select: tuple[str, ...] = ("QB",)
    ignore: tuple[str, ...] = ()
    strict: bool = False
    cache_dir: Path = Path(".qbank_cache")
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    dedup: dict[str, Any] = field(default_factory=dict)
    source: Path | None = None


def find_config_file(start: Path) -> Path | None:
    """The nearest qbank.toml, or pyproject.toml with a [tool.qbank] table, from start upward."""
    for folder in (start, *start.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file() and (name == "qbank.toml" or _has_qbank_table(candidate)):
                return candidate
    return None


def load_config(explicit: Path | None = None, cwd: Path | None = None) -> Config:
    cwd = cwd or Path.cwd()
    path = explicit if explicit is not None else find_config_file(cwd)
    if path is None:
        return _build(cwd, {}, None)
    if not path.is_file():
        raise QbankError(f"config file not found: {path}")
    table = _read_table(path)
    return _build(path.parent, table, path)


def _has_qbank_table(path: Path) -> bool:
    try:
        return "qbank" in _read_toml(path).get("tool", {})
    except QbankError:
        return False


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise QbankError(f"{path}: cannot read config: {exc}") from None


def _read_table(path: Path) -> dict[str, Any]:
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("qbank", {})
    else:
        table = data.get("tool", {}).get("qbank", data)
        if table is not data and TOP_LEVEL_KEYS & data.keys():
            raise QbankError(f"{path}: settings both at the top level and in [tool.qbank]; use one")
    if not isinstance(table, dict):
        raise QbankError(f"{path}: [tool.qbank] must be a table")
    return table


def _build(root: Path, table: dict[str, Any], source: Path | None) -> Config:
    where = source or root
    for key in table:
        if key not in TOP_LEVEL_KEYS:
            raise QbankError(f"{where}: unknown setting '{key}'{did_you_mean(key, TOP_LEVEL_KEYS)}")
    bank = root / _string(table, "bank", "questions", where)
    guide_default = str(bank / "exam-guide.yaml")
    return Config(
        root=root,
        bank=bank,
        exam_guide=root / _string(table, "exam_guide", guide_default, where),
        select=tuple(_string_list(table, "select", ["QB"], where)),
        ignore=tuple(_string_list(table, "ignore", [], where)),
        strict=_bool(table, "strict", False, where),
        cache_dir=root / _string(table, "cache_dir", ".qbank_cache", where),
        rules=_tables(table, "rules", where),
        dedup=_table(table, "dedup", where),
        source=source,
    )


def _string(table: dict[str, Any], key: str, default: str, where: Path) -> str:
    value = table.get(key, default)
    if not isinstance(value, str) or not value:
        raise QbankError(f"{where}: '{key}' must be a non-empty string")
    return value


def _bool(table: dict[str, Any], key: str, default: bool, where: Path) -> bool:
    value = table.get(key, default)
    if not isinstance(value, bool):
        raise QbankError(f"{where}: '{key}' must be true or false")
    return value


def _string_list(table: dict[str, Any], key: str, default: list[str], where: Path) -> list[str]:
    value = table.get(key, default)
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise QbankError(f"{where}: '{key}' must be a list of rule codes or names")
    return value


def _table(table: dict[str, Any], key: str, where: Path) -> dict[str, Any]:
    value = table.get(key, {})
    if not isinstance(value, dict):
        raise QbankError(f"{where}: [{key}] must be a table")
    return value


def _tables(table: dict[str, Any], key: str, where: Path) -> dict[str, dict[str, Any]]:
    value = _table(table, key, where)
    for name, options in value.items():
        if not isinstance(options, dict):
            raise QbankError(f"{where}: [{key}.{name}] must be a table")
    return value
