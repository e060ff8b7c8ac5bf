"""What QB402's decision (qbank.dedup.scoring.duplicate_probability) looks at in a pair:

- the weighted similarity and the parts' cosines (stems, keys, distractors);
- the keys against the options: for each correct option of either question, its best cosine
  with a correct option of the other minus its best cosine with a distractor of the other;
  the smallest of these (`key_margin`) is negative when a key is closer to the other's
  distractor (the same scenario with another answer);
- the options lined up one to one, best first (`greedy_match`): the mean cosine of the
  matched options, that mean counting a match against when one side is correct and the
  other not, and the mean cosine of the matched keys. A paraphrase with paraphrased
  distractors lines up well; a reused option list with another key lines up against;
- lexical overlap: the Jaccard index of the content words of the stems and of the keys.

`neighbour_means` is measured by benchmarks/eval_dedup.py and not used by QB402: a margin of
the similarity over the questions' neighbourhood (hubness correction, as in bitext mining:
Artetxe and Schwenk 2019) raised recall on the labelled set but reported pairs with
different keys in the bundled bank (README, Near-duplicates).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

import numpy as np

from qbank.dedup.text import QuestionText
from qbank.dedup.vectors import QuestionVectors

NAMES = ("similarity", "stems", "keys", "distractors", "key_margin", "aligned", "aligned_agreeing",
         "aligned_keys", "stem_words", "key_words")  # fmt: skip
NEIGHBOURS = 10
# A bank with fewer than NEIGHBOURS other questions counts its missing neighbours at this
# similarity (the median of the neighbourhood means on tests/data/near-duplicates), so a
# small bank is judged as if its questions had an ordinary neighbourhood.
NEIGHBOUR_PRIOR = 0.46
_STOP_WORDS = frozenset({
    "a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "is", "are", "be", "by", "with",
    "that", "this", "which", "what", "when", "how", "it", "its", "as", "at", "from", "should",
    "you", "your", "their", "they", "will", "can", "do", "does", "not",
})  # fmt: skip


def greedy_match(scores: np.ndarray) -> list[tuple[int, int]]:
    """Rows matched one to one with columns, the highest score first (stable on ties)."""
    matched: list[tuple[int, int]] = []
    rows: set[int] = set()
    columns: set[int] = set()
    for flat in np.argsort(-scores, axis=None, kind="stable").tolist():
        row, column = divmod(flat, scores.shape[1])
        if row not in rows and column not in columns:
            matched.append((row, column))
            rows.add(row)
            columns.add(column)
            if len(matched) == min(scores.shape):
                break
    return matched


@functools.lru_cache(maxsize=65536)  # a question is in many candidate pairs
def content_words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9]+", text.casefold())) - _STOP_WORDS


def _jaccard(first: frozenset[str], second: frozenset[str]) -> float:
    return len(first & second) / max(len(first | second), 1)


def neighbour_means(similarities: np.ndarray, count: int) -> np.ndarray:
    """Each row's mean of its NEIGHBOURS best similarities to the other `count - 1` questions
    of the bank (`similarities`: one row per question against the bank, -inf against
    itself); with fewer others, the missing ones count as NEIGHBOUR_PRIOR."""
    known = min(NEIGHBOURS, count - 1, similarities.shape[1])
    if known <= 0:
        return np.full(len(similarities), NEIGHBOUR_PRIOR)
    best = -np.partition(-similarities, known - 1, axis=1)[:, :known]
    return (best.sum(axis=1) + (NEIGHBOURS - known) * NEIGHBOUR_PRIOR) / NEIGHBOURS


def _option_features(vectors: QuestionVectors, first: int, second: int) -> list[float]:
    mine, my_keys = vectors.options_of(first)
    theirs, their_keys = vectors.options_of(second)
    if not len(mine) or not len(theirs):
        return [0.0, 0.0, 0.0, 0.0]
    scores = (mine @ theirs.T).astype(np.float64)
    margins = [
        rows[:, keys].max(axis=1, initial=-1.0) - rows[:, ~keys].max(axis=1, initial=-1.0)
        for rows, keys in ((scores[my_keys], their_keys), (scores.T[their_keys], my_keys))
    ]
    key_margin = min((float(m.min()) for m in margins if len(m)), default=0.0)
    matched = greedy_match(scores)
    values = [float(scores[r, c]) for r, c in matched]
    pairs = list(zip(matched, values, strict=True))
    agreeing = [v if my_keys[r] == their_keys[c] else -v for (r, c), v in pairs]
    keyed = [v for (r, c), v in pairs if my_keys[r] and their_keys[c]]
    return [key_margin, sum(values) / len(values), sum(agreeing) / len(values),
            sum(keyed) / len(keyed) if keyed else 0.0]  # fmt: skip


def candidate_features(
    vectors: QuestionVectors,
    texts: Sequence[QuestionText],
    cosines: tuple[float, float, float],
    similarity: float,
    first: int,
    second: int,
) -> np.ndarray:
    """The features of NAMES for rows `first` and `second`; `cosines`: the parts' cosines
    (qbank.dedup.scoring.part_cosines), `similarity` their weighted sum."""
    a, b = texts[first], texts[second]
    keys = (content_words(" ".join(a.key)), content_words(" ".join(b.key)))
    lexical = [_jaccard(content_words(a.stem), content_words(b.stem)), _jaccard(*keys)]
    return np.array([similarity, *cosines, *_option_features(vectors, first, second), *lexical])
