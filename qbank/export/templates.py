"""Jinja2 templates from exporters/<format>/, which a user folder can override file by file."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from qbank.resources import bundled


def environment(format_name: str, overrides: Path | None = None) -> Environment:
    """Templates for one format: `overrides/<format>/` first (or `overrides/` itself), then ours."""
    folders: list[Path] = []
    if overrides is not None:
        folders += [overrides / format_name, overrides]
    folders.append(bundled("exporters") / format_name)
    return Environment(
        loader=FileSystemLoader([str(f) for f in folders if f.is_dir()]),
        autoescape=select_autoescape(["xml", "html", "htm", "j2"], default=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
