"""Approximate search for large banks: a faiss inverted-file index (IVF, inner product).

Past `INDEX_MIN_ROWS` rows the exact scan costs more than the 60-second budget allows on
two cores (benchmarks/bench_dedup.py measures the crossover). Rows are grouped around
k-means centroids and each row is compared only with the rows of its `NPROBE` nearest
groups. Scores of the pairs found are exact (the index keeps the full vectors); a pair
whose two rows fall in groups the other does not probe can be missed, which the benchmark
measures on planted near-duplicates.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

NPROBE = 32
TRAIN_ROWS_PER_LIST = 16  # k-means on a sample: training on every row would cost minutes
KMEANS_ITERATIONS = 10
QUERY_BLOCK = 4096


def indexed_neighbours(
    vectors: np.ndarray, threshold: float, top_k: int, queries: Sequence[int] | None
) -> dict[tuple[int, int], float]:
    """(row, other) -> similarity for each query row's best `top_k` partners at or above
    the threshold, keys ordered row < other."""
    import faiss

    count, dimension = vectors.shape
    lists = max(1, int(4 * math.sqrt(count)))
    sample = np.random.default_rng(0).choice(count, min(count, lists * TRAIN_ROWS_PER_LIST),
                                             replace=False)  # fmt: skip
    kmeans = faiss.Kmeans(dimension, lists, niter=KMEANS_ITERATIONS, seed=1,
                          spherical=True, min_points_per_centroid=1)  # fmt: skip
    kmeans.train(np.ascontiguousarray(vectors[np.sort(sample)]))
    assert kmeans.centroids is not None  # set by train()
    quantizer = faiss.IndexFlatIP(dimension)
    quantizer.add(kmeans.centroids)
    index = faiss.IndexIVFFlat(quantizer, dimension, lists, faiss.METRIC_INNER_PRODUCT)
    index.is_trained = True
    index.add(vectors)
    index.nprobe = min(NPROBE, lists)
    rows = np.arange(count) if queries is None else np.unique(np.asarray(queries))
    found: dict[tuple[int, int], float] = {}
    for start in range(0, len(rows), QUERY_BLOCK):
        block = rows[start : start + QUERY_BLOCK]
        scores, neighbours = index.search(vectors[block], top_k + 1)  # +1: the row itself
        for row, row_scores, row_neighbours in zip(block.tolist(), scores, neighbours,
                                                   strict=True):  # fmt: skip
            kept = 0
            for score, other in zip(row_scores.tolist(), row_neighbours.tolist(), strict=True):
                if other < 0 or other == row or score < threshold or kept == top_k:
                    continue
                kept += 1
                found[(min(row, other), max(row, other))] = min(float(score), 1.0)
    return found
