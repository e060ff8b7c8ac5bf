"""A progress bar for long embeddings, on a terminal only (never in CI logs or pipes)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

# Fewer texts than this embed in about a second: a bar would only flicker.
MIN_TEXTS_FOR_BAR = 100


def wants_progress() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"


@contextmanager
def show_embedding_progress() -> Iterator[None]:
    """While active, embeddings of many texts draw a rich progress bar on stderr."""
    from qbank.dedup.progress import progress_factory

    token = progress_factory.set(_rich_bar if wants_progress() else None)
    try:
        yield
    finally:
        progress_factory.reset(token)


@contextmanager
def _rich_bar(total: int) -> Iterator[Callable[[int], None]]:
    if total < MIN_TEXTS_FOR_BAR:
        yield lambda _count: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    columns = ("embedding questions", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("embed", total=total)
        yield lambda count: bar.advance(task, count)
