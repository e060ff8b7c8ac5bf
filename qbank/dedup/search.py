"""Pairs of rows whose cosine similarity reaches a threshold: exact, chunked, top-k per row.

The vectors are unit length, so a dot product is the cosine. Rows are compared a block at a
time against the rows from theirs on, so memory stays near `budget_bytes` however many rows
there are. Each row adds at most its `top_k` best partners among the rows it is compared
with, so there are at most top_k x N pairs however low the threshold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

DEFAULT_BUDGET = 256 * 1024 * 1024  # bytes of similarity scores held at once
# From this many rows on, comparing the whole bank with itself uses the approximate grouped
# join of qbank.dedup.index: the exact scan grows with the square of the rows (crossover
# measured by benchmarks/bench_dedup.py).
INDEX_MIN_ROWS = 50_000


@dataclass(frozen=True, order=True)
class Pair:
    """Rows `first` < `second` of the compared vectors, and their cosine similarity."""

    first: int
    second: int
    similarity: float


def similar_pairs(
    vectors: np.ndarray,
    threshold: float,
    top_k: int,
    queries: Sequence[int] | None = None,
    budget_bytes: int = DEFAULT_BUDGET,
    exact: bool | None = None,
) -> list[Pair]:
    """Pairs at or above `threshold`, most similar first.

    Without `queries`, every row against every other; with them, only pairs that involve a
    query row (the pre-commit case: changed questions against the whole bank). `exact`
    chooses the exact scan or the grouped join for the whole bank; by default the grouped
    join from INDEX_MIN_ROWS rows on (queries are always compared exactly).
    """
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    count = len(vectors)
    if count < 2:
        return []
    rows_per_block = max(1, budget_bytes // (4 * count))
    found: dict[tuple[int, int], float] = {}

    def collect(scores: np.ndarray, rows: np.ndarray, columns: np.ndarray) -> None:
        _collect(scores, rows, columns, threshold, top_k, found)

    if queries is not None:  # few rows: exact at any size
        rows = np.unique(np.asarray(queries, dtype=np.int64))
        for start in range(0, len(rows), rows_per_block):
            block = rows[start : start + rows_per_block]
            scores = vectors[block] @ vectors.T
            scores[np.arange(len(block)), block] = -np.inf
            collect(scores, block, np.arange(count))
    elif exact is False or (exact is None and count >= INDEX_MIN_ROWS):
        from qbank.dedup.index import grouped_join

        grouped_join(vectors, collect)
    else:
        for start in range(0, count - 1, rows_per_block):
            stop = min(start + rows_per_block, count)
            # Rows start..stop against the rows from start on: each pair at least once.
            scores = vectors[start:stop] @ vectors[start:].T
            local = np.arange(stop - start)
            scores[local, local] = -np.inf
            collect(scores, np.arange(start, stop), np.arange(start, count))
    pairs = [Pair(first, second, similarity) for (first, second), similarity in found.items()]
    return sorted(pairs, key=lambda pair: (-pair.similarity, pair.first, pair.second))


def _collect(
    scores: np.ndarray,
    rows: np.ndarray,
    columns: np.ndarray,
    threshold: float,
    top_k: int,
    found: dict[tuple[int, int], float],
) -> None:
    """Add each row's best `top_k` columns at or above the threshold to `found`."""
    # One cheap reduction finds the rows worth looking at; most rows have no partner.
    for local in np.flatnonzero(scores.max(axis=1) >= threshold).tolist():
        hits = np.flatnonzero(scores[local] >= threshold)
        values = scores[local, hits]
        if len(hits) > top_k:
            best = np.argpartition(-values, top_k - 1)[:top_k]
            hits, values = hits[best], values[best]
        row = int(rows[local])
        for other, value in zip(columns[hits].tolist(), values.tolist(), strict=True):
            found[(min(row, other), max(row, other))] = min(float(value), 1.0)
