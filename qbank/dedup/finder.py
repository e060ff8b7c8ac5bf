"""The near-duplicate pairs of a list of questions: what QB402 and `qbank dedup` both run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from qbank.dedup.cache import EmbeddingCache
from qbank.dedup.embed import embed_parts
from qbank.dedup.model import resolve_model
from qbank.dedup.search import Pair, similar_pairs
from qbank.dedup.settings import DedupSettings
from qbank.dedup.text import question_parts
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
) -> Finding:
    """Pairs at or above the threshold, except those declared distinct by either question.

    `root` is where a model folder is looked up; `cache_dir=None` embeds without a cache.
    """
    if len(questions) < 2:
        return Finding([])
    model = resolve_model(settings.model, root)
    cache = EmbeddingCache(cache_dir, model.identity)
    vectors = embed_parts([question_parts(q) for q in questions], model, cache, settings.batch_size)
    cache.save()
    pairs = similar_pairs(vectors, settings.threshold, settings.top_k, queries)
    kept = [p for p in pairs if not declared_distinct(questions[p.first], questions[p.second])]
    return Finding(kept, cache.notes)


def declared_distinct(first: Question, second: Question) -> bool:
    """Either question lists the other in `lint.distinct_from`."""
    return second.id in first.lint.distinct_from or first.id in second.lint.distinct_from
