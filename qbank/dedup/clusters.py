"""Connected groups of questions: two questions are in one cluster when a chain of
near-duplicate pairs links them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from qbank.dedup.search import Pair


@dataclass(frozen=True)
class Cluster:
    members: tuple[int, ...]  # rows, ascending
    max_similarity: float


def clusters(pairs: Iterable[Pair]) -> list[Cluster]:
    """The clusters of the pairs' rows, largest first, then most similar."""
    parent: dict[int, int] = {}

    def root(row: int) -> int:
        parent.setdefault(row, row)
        while parent[row] != row:
            parent[row] = parent[parent[row]]
            row = parent[row]
        return row

    pair_list = list(pairs)
    for pair in pair_list:
        parent[root(pair.first)] = root(pair.second)
    members: dict[int, list[int]] = {}
    best: dict[int, float] = {}
    for row in list(parent):
        members.setdefault(root(row), []).append(row)
    for pair in pair_list:
        group = root(pair.first)
        best[group] = max(best.get(group, 0.0), pair.similarity)
    found = [Cluster(tuple(sorted(rows)), best[group]) for group, rows in members.items()]
    return sorted(found, key=lambda c: (-len(c.members), -c.max_similarity, c.members))
