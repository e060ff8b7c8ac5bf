"""Per-question work of an export on every core: one fork-based pool for the whole pipeline.

Rendering and the writers whose per-question part is heavy (a QTI 2.1 item and its manifest
entry, a QTI 1.2 item, a Moodle entry) hand a function and the questions to `ordered_map` or
`ordered_results`. Forked workers inherit both, so nothing is pickled on the way in; each
worker takes ranges of indexes and sends back its results, which are put back in the
questions' order. The output is therefore the serial loop's, byte for byte; for a small bank,
on one core or where fork is unavailable, it *is* that loop. Light work (a JSON line, an Anki
note's fields: 25-50 µs a question) stays in one process: handing a result over and the
pages the workers copy when they touch the shared bank cost as much as they would save.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_all_start_methods, get_context
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many items, starting worker processes costs more than it saves.
PARALLEL_MIN_ITEMS = 400
MAX_WORKERS = 4
CHUNKS_PER_WORKER = 4  # several ranges per worker, so that one slow range does not hold all up

# What the forked workers run: set just before the pool starts, inherited through fork.
_work: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def worker_count(items: int) -> int:
    """How many processes `ordered_map` uses for this many items (1: the serial loop)."""
    if items < PARALLEL_MIN_ITEMS or "fork" not in get_all_start_methods():
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


def ordered_map(func: Callable[[Item], Result], items: Sequence[Item]) -> list[Result]:
    """`[func(item) for item in items]`, on several cores for many items (see
    `ordered_results`)."""
    return list(ordered_results(func, items))


def ordered_results(func: Callable[[Item], Result], items: Sequence[Item]) -> Iterator[Result]:
    """`func(item)` for each item, in order, each as soon as it and those before it are
    ready: the caller can write them out while later ones are still being made. On several
    cores for many items; `func` runs in forked workers, so it must not rely on changing the
    parent's state, and what it returns must pickle (str, bytes, tuples of them). An error
    raised for an item is raised here, as the serial loop would raise the first one. One at a
    time: the workers of a second `ordered_results` would inherit the first one's work."""
    workers = worker_count(len(items))
    if workers < 2:
        yield from (func(item) for item in items)
        return
    global _work
    _work = (func, items)
    # gc.freeze in each worker: its collections then never walk (and so copy) the memory it
    # shares with the parent, the whole loaded bank.
    pool = ProcessPoolExecutor(workers, mp_context=get_context("fork"), initializer=gc.freeze)
    try:
        for part in pool.map(_run, _ranges(len(items), workers * CHUNKS_PER_WORKER)):
            yield from part
    finally:
        pool.shutdown(wait=True, cancel_futures=True)  # on an error, skip the ranges not begun
        _work = None


def _ranges(count: int, chunks: int) -> list[tuple[int, int]]:
    """`chunks` consecutive (start, stop) ranges that cover range(count), sizes within one."""
    size, extra = divmod(count, chunks)
    bounds, start = [], 0
    for index in range(chunks):
        stop = start + size + (index < extra)
        if stop > start:
            bounds.append((start, stop))
        start = stop
    return bounds


def _run(bounds: tuple[int, int]) -> list[Any]:
    assert _work is not None, "ordered_map's worker started without work"
    func, items = _work
    return [func(item) for item in items[bounds[0] : bounds[1]]]
