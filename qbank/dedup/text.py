"""The text that stands for a question when it is embedded."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from qbank.markdown import to_text
from qbank.models import Question


def embed_text(stem: str, options: Iterable[tuple[str, bool]], distractors: bool = False) -> str:
    """The stem and the correct options (with distractors=True: every option), as plain text.

    Without distractors measured better on the labelled set: two questions that ask the same
    thing often differ in their wrong options, and questions with one stem can differ in the
    key (see README, Near-duplicates).
    """
    chosen = [to_text(text) for text, correct in options if correct or distractors]
    return " ".join([to_text(stem), *chosen]).strip()


def question_text(question: Question) -> str:
    return embed_text(question.stem, ((o.text, o.correct) for o in question.options))


def text_key(text: str) -> bytes:
    """The cache key of a text (with the model's identity): 16 bytes of BLAKE2b."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
