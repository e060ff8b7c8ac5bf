"""Scoring a similarity measure on labelled pairs (tests/data/near-duplicates.yaml).

Used by benchmarks/eval_dedup.py, which chooses the default threshold and compares the
embeddings with TF-IDF and MinHash baselines, and by the test that guards the floor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from qbank.dedup.cache import EmbeddingCache
from qbank.dedup.embed import embed_parts
from qbank.dedup.model import resolve_model
from qbank.dedup.settings import DedupSettings
from qbank.dedup.text import Parts, parts, single_text


@dataclass(frozen=True)
class LabelledQuestion:
    stem: str
    key: tuple[str, ...]
    distractors: tuple[str, ...]

    @property
    def options(self) -> list[tuple[str, bool]]:
        return [(text, True) for text in self.key] + [(text, False) for text in self.distractors]

    def text(self, distractors: bool) -> str:
        return single_text(self.stem, self.options, distractors)

    def parts(self) -> Parts:
        return parts(self.stem, self.options)


@dataclass(frozen=True)
class LabelledPair:
    first: LabelledQuestion
    second: LabelledQuestion
    duplicate: bool
    kind: str
    group: int


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    threshold: float


def load_pairs(path: Path) -> list[LabelledPair]:
    """Each group gives base ~ duplicate (true) and base, duplicate ~ each negative (false)."""
    from ruamel.yaml import YAML

    document = YAML(typ="safe", pure=True).load(path.read_text("utf-8"))
    pairs: list[LabelledPair] = []
    for number, group in enumerate(document["groups"]):
        base, duplicate = _question(group["base"]), _question(group["duplicate"])
        pairs.append(LabelledPair(base, duplicate, True, group["duplicate"]["kind"], number))
        for negative in group["negatives"]:
            other = _question(negative)
            for question in (base, duplicate):
                pairs.append(LabelledPair(question, other, False, negative["kind"], number))
    return pairs


def _question(data: dict[str, Any]) -> LabelledQuestion:
    return LabelledQuestion(data["stem"], tuple(data["key"]), tuple(data["distractors"]))


def score_at(similarities: Sequence[float], labels: Sequence[bool], threshold: float) -> Scores:
    predicted = np.asarray(similarities) >= threshold
    actual = np.asarray(labels, dtype=bool)
    true_positives = int((predicted & actual).sum())
    precision = true_positives / max(int(predicted.sum()), 1)
    recall = true_positives / max(int(actual.sum()), 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, threshold)


THRESHOLD_GRID = tuple(round(0.05 + 0.01 * step, 2) for step in range(95))  # 0.05 … 0.99


def best_threshold(similarities: Sequence[float], labels: Sequence[bool]) -> Scores:
    """The grid threshold with the highest F1 (the higher threshold on a tie)."""
    candidates = [score_at(similarities, labels, t) for t in THRESHOLD_GRID]
    return max(candidates, key=lambda s: (round(s.f1, 9), s.threshold))


def cross_validated(
    similarities: Sequence[float], labels: Sequence[bool], groups: Sequence[int], folds: int = 5
) -> Scores:
    """Pooled scores when each fold's threshold is chosen on the other folds (by group, so a
    question never helps choose the threshold it is judged by)."""
    sims, actual, fold_of = np.asarray(similarities), np.asarray(labels), np.asarray(groups) % folds
    predicted = np.zeros(len(sims), dtype=bool)
    for fold in range(folds):
        held = fold_of == fold
        chosen = best_threshold(sims[~held].tolist(), actual[~held].tolist()).threshold
        predicted[held] = sims[held] >= chosen
    return score_at(predicted.astype(float).tolist(), actual.tolist(), 0.5)


def paired_cosines(vectors_a: np.ndarray, vectors_b: np.ndarray) -> list[float]:
    """Row-wise cosine of unit vectors."""
    return np.einsum("ij,ij->i", vectors_a, vectors_b).astype(float).tolist()


def model_similarities(
    pairs: Sequence[LabelledPair], settings: DedupSettings, root: Path
) -> list[float]:
    """Each pair's similarity as QB402 computes it: combined vectors, then their dot product."""
    model = resolve_model(settings.model, root)
    cache = EmbeddingCache(None, model.identity)
    first = embed_parts([p.first.parts() for p in pairs], model, cache, settings.batch_size)
    second = embed_parts([p.second.parts() for p in pairs], model, cache, settings.batch_size)
    return paired_cosines(first, second)
