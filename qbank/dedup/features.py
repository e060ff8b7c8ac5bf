"""Features of a candidate pair for a learned near-duplicate decision, measured by
benchmarks/eval_dedup.py and not shipped (README, Near-duplicates: it reached the labelled
set's precision but reported pairs with different answers in the bundled bank):

- The parts' cosines (stems, keys, distractors) and the weighted similarity.
- The keys against the options: for each correct option of either question, its best cosine
  with a correct option of the other minus its best cosine with a distractor of the other;
  the smallest of these (`key_margin`) is negative when a key is closer to the other's
  distractor (the same scenario with another answer).
- The options lined up one to one, best first (`greedy_match`): the mean cosine of the
  matched options, that mean counting a match against when one side is correct and the
  other not, and the mean cosine of the matched keys. A paraphrase with paraphrased
  distractors lines up well; a reused option list with another key lines up against.
- Lexical overlap: the Jaccard index of the content words of the stems and of the keys.
- The margin of the similarity over the questions' neighbourhood (hubness correction, as
  in bitext mining: Artetxe and Schwenk 2019): the similarity minus the mean of each
  question's NEIGHBOURS best similarities in the bank. On a busy topic every question is
  similar to many others; a real duplicate stands out from them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from qbank.dedup.text import QuestionText
from qbank.dedup.vectors import QuestionVectors

NAMES = ("similarity", "stems", "keys", "distractors", "key_margin", "aligned", "aligned_agreeing",
         "aligned_keys", "stem_words", "key_words", "neighbourhood_margin")  # fmt: skip
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
    scores = mine @ theirs.T
    margins = [
        float(these[row, keys].max(initial=-1.0)) - float(these[row, ~keys].max(initial=-1.0))
        for these, own, keys in ((scores, my_keys, their_keys), (scores.T, their_keys, my_keys))
        for row in np.flatnonzero(own).tolist()
    ]
    matched = greedy_match(scores)
    values = np.array([scores[r, c] for r, c in matched], dtype=np.float64)
    agree = np.array([my_keys[r] == their_keys[c] for r, c in matched])
    keyed = [float(scores[r, c]) for r, c in matched if my_keys[r] and their_keys[c]]
    return [min(margins, default=0.0), float(values.mean()),
            float(np.where(agree, values, -values).mean()),
            float(np.mean(keyed)) if keyed else 0.0]  # fmt: skip


def candidate_features(
    vectors: QuestionVectors,
    texts: Sequence[QuestionText],
    neighbourhood: np.ndarray,
    cosines: tuple[float, float, float],
    similarity: float,
    first: int,
    second: int,
) -> np.ndarray:
    """The features of NAMES for rows `first` and `second`; `neighbourhood` holds each
    row's neighbour mean (`neighbour_means`), `cosines` the parts' cosines."""
    a, b = texts[first], texts[second]
    keys = (content_words(" ".join(a.key)), content_words(" ".join(b.key)))
    lexical = [_jaccard(content_words(a.stem), content_words(b.stem)), _jaccard(*keys)]
    margin = similarity - (neighbourhood[first] + neighbourhood[second]) / 2
    return np.array([similarity, *cosines, *_option_features(vectors, first, second), *lexical,
                     margin])  # fmt: skip
