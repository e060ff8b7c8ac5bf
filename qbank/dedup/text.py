"""What stands for a question when it is embedded: its stem and each option, as plain text.

Each option is embedded on its own, so that two questions' options can be lined up one by
one: QB402 sees when one question's key is the other's distractor (a disagreement, not a
duplicate) and QB406 sees the same options with another key. The key and the distractors
as wholes are the means of their options' vectors (qbank.dedup.vectors). The options of a
question hold about as many tokens as the three texts embedded before (stem, key,
distractors), and identical options (template questions) are embedded once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import NamedTuple

from qbank.markdown import to_text
from qbank.models import Question


class QuestionText(NamedTuple):
    stem: str
    options: tuple[str, ...]
    correct: tuple[bool, ...]  # one flag per option

    @property
    def texts(self) -> list[str]:
        """What is embedded: the stem, then each option in order."""
        return [self.stem, *self.options]

    @property
    def key(self) -> tuple[str, ...]:
        pairs = zip(self.options, self.correct, strict=True)
        return tuple(text for text, correct in pairs if correct)


def question_text(stem: str, options: Iterable[tuple[str, bool]]) -> QuestionText:
    """Plain text (Markdown stripped, whitespace folded) of the stem and of each option."""
    option_list = list(options)
    return QuestionText(to_text(stem), tuple(to_text(text) for text, _ in option_list),
                        tuple(correct for _, correct in option_list))  # fmt: skip


def of_question(question: Question) -> QuestionText:
    return question_text(question.stem, ((o.text, o.correct) for o in question.options))


def question_texts(question: Question) -> list[str]:
    """Every text of a question that is embedded (for warming a cache)."""
    return of_question(question).texts


def single_text(stem: str, options: Iterable[tuple[str, bool]], distractors: bool) -> str:
    """One text: stem and correct options (and, with distractors=True, every option). Kept for
    the comparison in benchmarks/eval_dedup.py."""
    chosen = [to_text(text) for text, correct in options if correct or distractors]
    return " ".join([to_text(stem), *chosen]).strip()


def text_key(text: str) -> bytes:
    """The cache key of a text (with the model's identity): 16 bytes of BLAKE2b."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
