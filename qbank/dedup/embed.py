"""Vectors for texts: from the cache when there, else from the model (loaded only then)."""

from __future__ import annotations

import numpy as np

from qbank.dedup.cache import EmbeddingCache
from qbank.dedup.model import ModelRef, load_encoder
from qbank.dedup.progress import progress
from qbank.dedup.text import text_key

# Texts per encode call: large enough that the model's own length-sorted batching is intact
# (throughput within a few percent of one call), small enough for a live progress bar.
CHUNK_TEXTS = 1024


def embed(
    texts: list[str],
    model: ModelRef,
    cache: EmbeddingCache,
    batch_size: int,
) -> np.ndarray:
    """One unit-length row per text; only texts missing from the cache reach the model."""
    keys = [text_key(text) for text in texts]
    missing = cache.missing(keys)
    if missing:
        encoder = load_encoder(model)
        text_of = dict(zip(keys, texts, strict=True))
        with progress(len(missing)) as advance:
            for start in range(0, len(missing), CHUNK_TEXTS):
                chunk = missing[start : start + CHUNK_TEXTS]
                cache.put(chunk, encoder.encode([text_of[key] for key in chunk], batch_size))
                advance(len(chunk))
    if not keys:
        return np.zeros((0, cache.dimension or 0), dtype=np.float32)
    return cache.get(keys)
