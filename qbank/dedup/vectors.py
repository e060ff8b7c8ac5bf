"""The vectors of a list of questions: each stem and option embedded, and per question the
mean of its correct options (the key) and of its distractors."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from qbank.dedup.cache import EmbeddingCache
from qbank.dedup.embed import embed
from qbank.dedup.model import ModelRef
from qbank.dedup.text import QuestionText


@dataclass(frozen=True)
class QuestionVectors:
    stems: np.ndarray  # one unit row per question
    keys: np.ndarray  # unit mean of the question's correct options (zeros when it has none)
    distractors: np.ndarray  # likewise of its other options
    options: np.ndarray  # every option's unit row, question after question
    starts: np.ndarray  # question i's options are rows starts[i]:starts[i + 1]
    correct: np.ndarray  # one flag per option row

    def options_of(self, row: int) -> tuple[np.ndarray, np.ndarray]:
        """A question's option vectors and which of them are correct."""
        span = slice(int(self.starts[row]), int(self.starts[row + 1]))
        return self.options[span], self.correct[span]


def embed_questions(
    questions: Sequence[QuestionText], model: ModelRef, cache: EmbeddingCache, batch_size: int
) -> QuestionVectors:
    texts = [text for question in questions for text in question.texts]
    rows = embed(texts, model, cache, batch_size)
    counts = np.array([len(question.options) for question in questions], dtype=np.int64)
    first_rows = np.concatenate([[0], np.cumsum(counts + 1)[:-1]]).astype(np.int64)
    is_stem = np.zeros(len(texts), dtype=bool)
    is_stem[first_rows] = True
    options = rows[~is_stem]
    starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    correct = np.array([flag for question in questions for flag in question.correct], dtype=bool)
    return QuestionVectors(
        stems=np.ascontiguousarray(rows[first_rows]),
        keys=_group_means(options, starts, correct),
        distractors=_group_means(options, starts, ~correct),
        options=options,
        starts=starts,
        correct=correct,
    )


def _group_means(options: np.ndarray, starts: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    """Per question, the unit-length mean of its chosen option rows (zeros when none)."""
    questions = len(starts) - 1
    owner = np.repeat(np.arange(questions), np.diff(starts))
    sums = np.zeros((questions, options.shape[1]), dtype=np.float64)
    np.add.at(sums, owner[chosen], options[chosen])
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    return np.divide(sums, norms, out=np.zeros_like(sums), where=norms > 0).astype(np.float32)
