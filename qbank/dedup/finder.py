"""The similar pairs of a list of questions: near-duplicates (QB402 and `qbank dedup`) and
conflicting keys (QB406), from one embedding of the questions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qbank.dedup.cache import EmbeddingCache
from qbank.dedup.conflicts import STEM_COSINE, align, is_conflict
from qbank.dedup.model import resolve_model
from qbank.dedup.scoring import CANDIDATE_FLOOR, combine, pair_probabilities
from qbank.dedup.search import Pair, similar_pairs
from qbank.dedup.settings import DedupSettings
from qbank.dedup.text import of_question
from qbank.dedup.vectors import QuestionVectors, embed_questions
from qbank.models import Question


@dataclass
class Finding:
    pairs: list[Pair]  # rows of the questions given, most similar first
    notes: list[str] = field(default_factory=list)


def find_near_duplicates(
    questions: Sequence[Question],
    settings: DedupSettings,
    root: Path,
    cache_dir: Path | None,
    queries: Sequence[int] | None = None,
    shared: dict[str, Any] | None = None,
) -> Finding:
    """Pairs whose near-duplicate probability (qbank.dedup.scoring.pair_probabilities)
    reaches the threshold, except those declared distinct by either question; a pair's
    similarity is that probability.

    `root` is where a model folder is looked up; `cache_dir=None` embeds without a cache;
    `shared` (a bank's) keeps the vectors for QB406 in the same run.
    """
    if len(questions) < 2:
        return Finding([])
    vectors, notes = _vectors(questions, settings, root, cache_dir, shared)
    candidates = [
        (pair.first, pair.second)
        for pair in similar_pairs(combine(vectors), CANDIDATE_FLOOR, settings.top_k, queries)
        if not declared_distinct(questions[pair.first], questions[pair.second])
    ]
    texts = [of_question(question) for question in questions]
    scored = zip(candidates, pair_probabilities(vectors, texts, candidates).tolist(), strict=True)
    kept = [Pair(a, b, p) for (a, b), p in scored if p >= settings.threshold]
    return Finding(sorted(kept, key=lambda p: (-p.similarity, p.first, p.second)), notes)


def find_conflicting_keys(
    questions: Sequence[Question],
    settings: DedupSettings,
    root: Path,
    cache_dir: Path | None,
    shared: dict[str, Any] | None = None,
) -> Finding:
    """Pairs that ask the same thing with different keys (qbank.dedup.conflicts), except
    those declared distinct; a pair's similarity is its stems' cosine."""
    if len(questions) < 2:
        return Finding([])
    vectors, notes = _vectors(questions, settings, root, cache_dir, shared)
    # A conflict's stems reach STEM_COSINE, so the stems alone find every candidate.
    candidates = similar_pairs(vectors.stems, STEM_COSINE, settings.top_k)
    kept = [
        pair
        for pair in candidates
        if not declared_distinct(questions[pair.first], questions[pair.second])
        and is_conflict(align(vectors, pair.first, pair.second))
    ]
    return Finding(kept, notes)


def _vectors(
    questions: Sequence[Question],
    settings: DedupSettings,
    root: Path,
    cache_dir: Path | None,
    shared: dict[str, Any] | None,
) -> tuple[QuestionVectors, list[str]]:
    """The questions' vectors, embedded once per `shared` dict, model and cache folder."""
    memo = ("dedup-vectors", settings.model, settings.batch_size, cache_dir)
    if shared is not None and shared.get("dedup-key") == memo:
        return shared["dedup-vectors"], []
    model = resolve_model(settings.model, root)
    cache = EmbeddingCache(cache_dir, model.identity)
    texts = [of_question(question) for question in questions]
    vectors = embed_questions(texts, model, cache, settings.batch_size)
    cache.save()
    if shared is not None:
        shared["dedup-key"], shared["dedup-vectors"] = memo, vectors
    return vectors, cache.notes


def declared_distinct(first: Question, second: Question) -> bool:
    """Either question lists the other in `lint.distinct_from`."""
    return second.id in first.lint.distinct_from or first.id in second.lint.distinct_from
