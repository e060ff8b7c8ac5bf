"""A stand-in for the embedding model in tests that are not about embeddings."""

from __future__ import annotations

import hashlib
import re

import numpy as np

DIMENSION = 64


class FakeEncoder:
    """Hashed bag of words: texts sharing most words get similar unit vectors. No model."""

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        self.encoded.extend(texts)
        return np.stack([fake_vector(text) for text in texts]).astype(np.float32)


def fake_vector(text: str) -> np.ndarray:
    vector = np.zeros(DIMENSION, dtype=np.float64)
    for word in re.findall(r"\w+", text.casefold()):
        digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
        vector[int.from_bytes(digest, "little") % DIMENSION] += 1.0
    norm = np.linalg.norm(vector)
    return vector / norm if norm else vector
