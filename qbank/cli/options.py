"""Options several commands share."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def config_option(function: F) -> F:
    return click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Settings file (default: the nearest qbank.toml or pyproject.toml with [tool.qbank]).",
    )(function)


def output_file_option(function: F) -> F:
    return click.option(
        "-o",
        "--output-file",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Write the report to this file instead of standard output.",
    )(function)


def format_option(choices: tuple[str, ...]) -> Callable[[F], F]:
    return click.option(
        "--format", "output_format", type=click.Choice(choices), default="text", show_default=True
    )


def status_option(rule: str) -> Callable[[F], F]:
    """--status, repeatable, for reports that count questions as `rule`'s `statuses` does."""
    return click.option(
        "--status",
        "statuses",
        multiple=True,
        type=click.Choice(["draft", "review", "published"]),
        help=f"Count questions with this status (repeatable; default: as {rule} is configured).",
    )


def emit(text: str, output_file: Path | None, color: bool = False) -> None:
    """A report to `output_file` (written atomically) or to standard output."""
    if output_file is None:
        click.echo(text, nl=False, color=color)
        return
    from qbank.cache import atomic_write_bytes

    atomic_write_bytes(output_file, text.encode("utf-8"))


def split_codes(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [part.strip() for part in value.split(",") if part.strip()]
