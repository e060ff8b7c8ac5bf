"""Jinja2 templates from exporters/<format>/, which a user folder can override file by file."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    select_autoescape,
)

from qbank.errors import QbankError
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


@contextlib.contextmanager
def template_errors() -> Iterator[None]:
    """A broken template (often a user's --templates override) becomes one clean error that
    names the template file and line, instead of a traceback."""
    try:
        yield
    except TemplateSyntaxError as exc:
        where = f"{exc.filename or exc.name}:{exc.lineno}"
        raise QbankError(f"{where}: template syntax error: {exc.message}") from None
    except TemplateNotFound as exc:
        raise QbankError(f"template not found: {exc.name}") from None
    except TemplateError as exc:
        where = _template_line(exc.__traceback__) or "a template"
        raise QbankError(f"{where}: template error: {exc.message or exc}") from None


def _template_line(traceback: TracebackType | None) -> str | None:
    """Where in a template rendering failed: Jinja rewrites the traceback so that template
    code shows up as frames of the template file."""
    found = None
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if not filename.endswith(".py") and not filename.startswith("<"):
            found = f"{filename}:{traceback.tb_lineno}"
        traceback = traceback.tb_next
    return found
