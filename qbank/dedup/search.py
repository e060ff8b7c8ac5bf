"""Pairs of rows whose cosine similarity reaches a threshold: exact, chunked, top-k per row.

The vectors are unit length, so a dot product is the cosine. Rows are compared a block at a
time against the rows after them (each pair once), so memory stays near `budget_bytes`
however many rows there are, and no row keeps more than `top_k` partners.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

DEFAULT_BUDGET = 256 * 1024 * 1024  # bytes of similarity scores held at once
# From this many rows on, an approximate faiss index (qbank.dedup.index) replaces the exact
# scan, which grows with the square of the rows (crossover: benchmarks/bench_dedup.py).
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
    chooses the exact scan or the index; by default the index from INDEX_MIN_ROWS rows on.
    """
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    count = len(vectors)
    if count < 2:
        return []
    rows_per_block = max(1, budget_bytes // (4 * count))
    found: dict[tuple[int, int], float] = {}
    if exact is False or (exact is None and count >= INDEX_MIN_ROWS):
        from qbank.dedup.index import indexed_neighbours

        found = indexed_neighbours(vectors, threshold, top_k, queries)
    elif queries is None:
        for start in range(0, count - 1, rows_per_block):
            stop = min(start + rows_per_block, count)
            scores = vectors[start:stop] @ vectors[start:].T
            # Column c is row start + c; local row r is row start + r: each pair once, with
            # the row before the column (the diagonal and below are dropped per hit row).
            _collect(scores, np.arange(start, stop), start, threshold, top_k, found, True)
    else:
        rows = np.unique(np.asarray(queries, dtype=np.int64))
        for start in range(0, len(rows), rows_per_block):
            block = rows[start : start + rows_per_block]
            scores = vectors[block] @ vectors.T
            scores[np.arange(len(block)), block] = -np.inf
            _collect(scores, block, 0, threshold, top_k, found, False)
    pairs = [Pair(first, second, similarity) for (first, second), similarity in found.items()]
    return sorted(pairs, key=lambda pair: (-pair.similarity, pair.first, pair.second))


def _collect(
    scores: np.ndarray,
    rows: np.ndarray,
    column_offset: int,
    threshold: float,
    top_k: int,
    found: dict[tuple[int, int], float],
    after_diagonal: bool,
) -> None:
    """Add each row's best columns at or above the threshold to `found`."""
    # One cheap reduction finds the rows worth looking at; most rows have no partner.
    for local in np.flatnonzero(scores.max(axis=1) >= threshold).tolist():
        columns = np.flatnonzero(scores[local] >= threshold)
        if after_diagonal:
            columns = columns[columns > local]
        values = scores[local, columns]
        if len(columns) > top_k:
            best = np.argpartition(-values, top_k - 1)[:top_k]
            columns, values = columns[best], values[best]
        row = int(rows[local])
        for column, value in zip(columns.tolist(), values.tolist(), strict=True):
            other = column + column_offset
            found[(min(row, other), max(row, other))] = min(float(value), 1.0)
