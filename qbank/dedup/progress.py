"""Where embedding reports its progress: a context variable the CLI sets, in a module of its
own so that setting it imports neither NumPy nor the model code (most lints embed nothing)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar

Advance = Callable[[int], None]
ProgressFactory = Callable[[int], AbstractContextManager[Advance]]

# The CLI sets this to draw a progress bar on a terminal; by default nothing is shown.
progress_factory: ContextVar[ProgressFactory | None] = ContextVar("progress", default=None)


@contextmanager
def progress(total: int) -> Iterator[Advance]:
    factory = progress_factory.get()
    if factory is None:
        yield lambda _count: None
        return
    with factory(total) as advance:
        yield advance
