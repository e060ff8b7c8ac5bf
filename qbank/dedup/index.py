"""Approximate self-join for large banks: rows grouped by k-means, groups compared in blocks.

Past `INDEX_MIN_ROWS` rows (qbank.dedup.search) the exact scan, which grows with the square
of the rows, no longer fits the time budget on two cores. Here the rows are grouped around
about 4 x sqrt(N) spherical k-means centroids; each group is compared, as one matrix
product, with the rows that have the group among their `PROBE` nearest centroids. A pair is
found when one row's group is among the other's nearest. Scores of the pairs found are exact;
pairs that straddle groups neither probes are missed, which benchmarks/bench_dedup.py
measures on planted near-duplicates. NumPy only.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

PROBE = 32  # each row is a candidate in its PROBE nearest groups
SAMPLE_PER_GROUP = 16  # k-means runs on a sample: on every row it would cost minutes
KMEANS_ITERATIONS = 8
ASSIGN_BLOCK = 4096

Collect = Callable[[np.ndarray, np.ndarray, np.ndarray], None]


def grouped_join(vectors: np.ndarray, collect: Collect) -> None:
    """Call collect(scores, rows, columns) group by group: the rows whose nearest centroid is
    the group's against the rows that have the group among their PROBE nearest; scores[i, j]
    is the similarity of rows[i] and columns[j] (a row's own score is -inf)."""
    count = len(vectors)
    groups = max(1, min(count, int(4 * math.sqrt(count))))
    rng = np.random.default_rng(0)
    sample = vectors[np.sort(rng.choice(count, min(count, groups * SAMPLE_PER_GROUP),
                                        replace=False))]  # fmt: skip
    centroids = _spherical_kmeans(sample, groups, rng)
    probe = min(PROBE, len(centroids))
    home, near = _nearest(vectors, centroids, probe)
    home_rows, home_bounds = _by_group(home, np.arange(count), len(centroids))
    near_rows, near_bounds = _by_group(near.ravel(), np.repeat(np.arange(count), probe),
                                       len(centroids))  # fmt: skip
    for group in range(len(centroids)):
        rows = home_rows[home_bounds[group] : home_bounds[group + 1]]
        columns = near_rows[near_bounds[group] : near_bounds[group + 1]]
        if len(rows) and len(columns):
            scores = vectors[rows] @ vectors[columns].T
            scores[rows[:, None] == columns[None, :]] = -np.inf
            collect(scores, rows, columns)


def _by_group(groups: np.ndarray, rows: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """The rows sorted by group, and where each group's rows start and end."""
    order = np.argsort(groups, kind="stable")
    return rows[order], np.searchsorted(groups[order], np.arange(count + 1))


def _spherical_kmeans(sample: np.ndarray, groups: int, rng: np.random.Generator) -> np.ndarray:
    centroids = sample[rng.choice(len(sample), groups, replace=False)].copy()
    for _ in range(KMEANS_ITERATIONS):
        assignment, _ = _nearest(sample, centroids, 1)
        sorted_rows, bounds = _by_group(assignment, np.arange(len(sample)), groups)
        filled = np.flatnonzero(bounds[1:] > bounds[:-1])  # an empty group keeps its centroid
        sums = np.add.reduceat(sample[sorted_rows], bounds[filled], axis=0)
        centroids[filled] = sums / np.linalg.norm(sums, axis=1, keepdims=True)
    return centroids


def _nearest(
    vectors: np.ndarray, centroids: np.ndarray, probe: int
) -> tuple[np.ndarray, np.ndarray]:
    """Each row's nearest centroid, and its `probe` nearest (in no particular order)."""
    homes, nears = [], []
    for start in range(0, len(vectors), ASSIGN_BLOCK):
        scores = vectors[start : start + ASSIGN_BLOCK] @ centroids.T
        homes.append(np.argmax(scores, axis=1))
        if probe > 1:
            nears.append(np.argpartition(-scores, probe - 1, axis=1)[:, :probe])
    home = np.concatenate(homes)
    return home, (np.concatenate(nears) if nears else home[:, None])
