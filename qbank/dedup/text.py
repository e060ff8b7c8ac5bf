"""What stands for a question when it is embedded: three texts, weighted.

The stem, the correct options and the distractors are embedded separately, and two questions'
similarity is 0.4 x cos(stems) + 0.4 x cos(keys) + 0.2 x cos(distractors). One text of stem
and key lets a long shared scenario hide a different answer; measured on the labelled set
(README, Near-duplicates), the weighted parts beat "stem + correct options" and "stem + all
options" as single texts. The weighted sum is itself a cosine: each part's unit vector is
scaled by the square root of its weight and the three are concatenated (see `combine`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import NamedTuple

import numpy as np

from qbank.markdown import to_text
from qbank.models import Question


class Parts(NamedTuple):
    stem: str
    key: str
    distractors: str


WEIGHTS = (0.4, 0.4, 0.2)  # stem, key, distractors: they sum to 1


def parts(stem: str, options: Iterable[tuple[str, bool]]) -> Parts:
    """Plain text (Markdown stripped, whitespace folded) of the stem, key and distractors."""
    option_list = list(options)
    key = " ".join(to_text(text) for text, correct in option_list if correct)
    distractors = " ".join(to_text(text) for text, correct in option_list if not correct)
    return Parts(to_text(stem), key, distractors)


def question_parts(question: Question) -> Parts:
    return parts(question.stem, ((option.text, option.correct) for option in question.options))


def single_text(stem: str, options: Iterable[tuple[str, bool]], distractors: bool) -> str:
    """One text: stem and correct options (and, with distractors=True, every option). Kept for
    the comparison in benchmarks/eval_dedup.py."""
    chosen = [to_text(text) for text, correct in options if correct or distractors]
    return " ".join([to_text(stem), *chosen]).strip()


def combine(stem: np.ndarray, key: np.ndarray, distractors: np.ndarray) -> np.ndarray:
    """Rows of unit length whose dot products are the weighted sums of the parts' cosines."""
    scaled = [part * np.float32(np.sqrt(weight)) for part, weight in
              zip((stem, key, distractors), WEIGHTS, strict=True)]  # fmt: skip
    return np.ascontiguousarray(np.hstack(scaled), dtype=np.float32)


def text_key(text: str) -> bytes:
    """The cache key of a text (with the model's identity): 16 bytes of BLAKE2b."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
