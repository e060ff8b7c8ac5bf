"""Measuring QB402 and QB406 on the labelled pairs of tests/data/near-duplicates, and choosing
their settings by cross-validation.

A QB402 setting is a family of choices: the three weights, whether and how strictly a
disagreement of the keys drops a pair, and the threshold. `choose` picks, on some pairs,
the setting with the highest recall at a precision of PRECISION_TARGET or more (issue 13
puts precision first), or the best F-beta (beta = SELECTION_BETA) when none reaches it;
`cross_validate` judges that whole choice, weights included, on groups it did not see
(folds by group, so no question both chooses and judges a setting). Used by
benchmarks/eval_dedup.py and by the test that guards the floor.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from qbank.dedup.cache import EmbeddingCache
from qbank.dedup.conflicts import KEY_MARGIN, Alignment, align, is_conflict
from qbank.dedup.features import NAMES, candidate_features, neighbour_means
from qbank.dedup.model import ModelRef, resolve_model
from qbank.dedup.scoring import (
    CANDIDATE_FLOOR,
    DISAGREE_COSINE,
    DISAGREE_MARGIN,
    WEIGHTS,
    Weights,
    combine,
    duplicate_probability,
    key_matches,
    keys_disagree,
    part_cosines,
)
from qbank.dedup.settings import DEFAULT_THRESHOLD, DedupSettings
from qbank.dedup.text import QuestionText, question_text, single_text
from qbank.dedup.vectors import QuestionVectors, embed_questions

PRECISION_TARGET = 0.95
SELECTION_BETA = 0.5
Choice = TypeVar("Choice")
FOLDS = 5
THRESHOLDS = tuple(round(0.30 + 0.01 * step, 2) for step in range(66))  # 0.30 … 0.95
WEIGHT_GRID = tuple(
    Weights(stem / 10, key / 10, (10 - stem - key) / 10)
    for stem, key in itertools.product(range(11), repeat=2)
    if stem + key <= 10
)
# (cosine, margin) of the key-disagreement test; None: no such test. The margin is at least
# 0.02: real banks hold options that differ in a word or two, and a key a hair closer to
# such a distractor than to the other key is no disagreement (KEY_MARGIN of QB406).
DISAGREEMENT_GRID: tuple[tuple[float, float] | None, ...] = (
    None, *itertools.product((0.7, 0.75, 0.8, 0.85, 0.9), (KEY_MARGIN, 0.05)))  # fmt: skip
CONFLICT_GRID = tuple(itertools.product((0.8, 0.85, 0.9, 0.92, 0.94, 0.95, 0.96, 0.97, 0.98),
                                        (0.8, 0.85, 0.9, 0.95)))  # fmt: skip


@dataclass(frozen=True)
class LabelledQuestion:
    stem: str
    key: tuple[str, ...]
    distractors: tuple[str, ...]

    @property
    def options(self) -> list[tuple[str, bool]]:
        return [(text, True) for text in self.key] + [(text, False) for text in self.distractors]

    def text(self) -> QuestionText:
        return question_text(self.stem, self.options)

    def single_text(self, distractors: bool) -> str:
        return single_text(self.stem, self.options, distractors)


@dataclass(frozen=True)
class LabelledPair:
    first: LabelledQuestion
    second: LabelledQuestion
    duplicate: bool | None  # QB402's label; None where the set leaves it open
    conflict: bool | None  # QB406's label; likewise
    kind: str
    group: int  # the first question's group, numbered across files
    other_group: int  # the second's (another group for pairs across groups)
    subject: str


@dataclass(frozen=True)
class _Member:
    question: LabelledQuestion
    group: int
    names: tuple[str, ...]  # how across-groups.yaml may name it: "topic", "topic/negatives/0"


def load_pairs(path: Path) -> list[LabelledPair]:
    """The labelled pairs of a file, or of every *.yaml file in a folder (format: README.md
    in tests/data/near-duplicates): within each group, then across the groups of a subject."""
    from ruamel.yaml import YAML

    files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    documents = [YAML(typ="safe", pure=True).load(file.read_text("utf-8")) for file in files]
    pairs: list[LabelledPair] = []
    members: dict[str, list[_Member]] = {}
    number = 0
    for document in documents:
        subject = document.get("subject", "")
        for group in document.get("groups", []):
            pairs.extend(_group_pairs(group, number, subject))
            members.setdefault(subject, []).extend(_members(group, number))
            number += 1
    same = [entry for document in documents for entry in document.get("same", [])]
    for subject, found in members.items():
        entries = [set(e["questions"]) for e in same if e["subject"] == subject]
        pairs.extend(_across_groups(found, entries, subject))
    return pairs


def _group_pairs(group: dict[str, Any], number: int, subject: str) -> list[LabelledPair]:
    base = _question(group["base"])
    duplicates = [(_question(item), item["kind"]) for item in group["duplicates"]]
    same = [(base, "base"), *duplicates]

    def pair(a: LabelledQuestion, b: LabelledQuestion, dup: bool | None, conflict: bool | None,
             kind: str) -> LabelledPair:  # fmt: skip
        return LabelledPair(a, b, dup, conflict, kind, number, number, subject)

    pairs = [
        pair(first, second, True, False, kind)
        for index, (first, _) in enumerate(same)
        for second, kind in same[index + 1 :]
    ]
    for item in group["negatives"]:
        pairs += [pair(q, _question(item), False, False, item["kind"]) for q, _ in same]
    for item in group.get("conflicts", []):
        other = _question(item)
        # The base's question with another key: QB406's; a duplicate's rewording of it with
        # another key is the same question, but its options may differ: neither rule's label.
        pairs.append(pair(base, other, False, True, "conflicting-key"))
        pairs += [pair(q, other, None, None, "conflicting-key") for q, _ in duplicates]
    return pairs


def _members(group: dict[str, Any], number: int) -> list[_Member]:
    topic = group["topic"]
    found = [_Member(_question(group["base"]), number, (topic, f"{topic}/base"))]
    found += [_Member(_question(item), number, (topic, f"{topic}/duplicates/{index}"))
              for index, item in enumerate(group["duplicates"])]  # fmt: skip
    for role in ("negatives", "conflicts"):
        found += [_Member(_question(item), number, (f"{topic}/{role}/{index}",))
                  for index, item in enumerate(group.get(role, []))]  # fmt: skip
    return found


def _across_groups(
    members: list[_Member], entries: list[set[str]], subject: str
) -> list[LabelledPair]:
    """Every pair of questions from two groups: a near-duplicate when one entry of
    across-groups.yaml names both."""
    tags = [{n for n, entry in enumerate(entries) if entry & set(m.names)} for m in members]
    pairs = []
    for i, first in enumerate(members):
        for j in range(i + 1, len(members)):
            second = members[j]
            if first.group != second.group:
                duplicate = bool(tags[i] & tags[j])
                kind = "across-groups" if duplicate else "other-group"
                pairs.append(LabelledPair(first.question, second.question, duplicate, False,
                                          kind, first.group, second.group, subject))  # fmt: skip
    return pairs


def _question(data: dict[str, Any]) -> LabelledQuestion:
    return LabelledQuestion(data["stem"], tuple(data["key"]), tuple(data["distractors"]))


@dataclass(frozen=True)
class PairFeatures:
    """What the shipped pipeline computes for each labelled pair."""

    cosines: np.ndarray  # (pairs, 3): stems, keys, distractors
    key_matches: list[list[tuple[float, float]]]  # see qbank.dedup.scoring.key_matches
    alignments: list[Alignment | None]  # see qbank.dedup.conflicts.align
    learned: np.ndarray  # (pairs, len(NAMES)) of qbank.dedup.features; NaN below the floor
    margins: np.ndarray  # each pair's margin over its neighbourhood (measured, not shipped)


def pair_features(
    pairs: Sequence[LabelledPair], settings: DedupSettings, root: Path
) -> PairFeatures:
    """Every question embedded once, as QB402 and QB406 embed a bank's questions."""
    return features_with(pairs, resolve_model(settings.model, root), settings.batch_size)


def features_with(pairs: Sequence[LabelledPair], model: ModelRef, batch_size: int) -> PairFeatures:
    rows: dict[LabelledQuestion, int] = {}
    for pair in pairs:
        rows.setdefault(pair.first, len(rows))
        rows.setdefault(pair.second, len(rows))
    cache = EmbeddingCache(None, model.identity)
    vectors = embed_questions([q.text() for q in rows], model, cache, batch_size)
    index = [(rows[p.first], rows[p.second]) for p in pairs]
    cosines = np.array([part_cosines(vectors, a, b) for a, b in index]).reshape(-1, 3)
    # No setting flags a pair whose every part is below the lowest threshold, nor calls a
    # pair with dissimilar stems a conflict: those skip the option-by-option work.
    scored = cosines.max(axis=1) >= min(THRESHOLDS)
    aligned = cosines[:, 0] >= min(stem for stem, _ in CONFLICT_GRID)
    matches = [key_matches(vectors, a, b) if scored[n] else [] for n, (a, b) in enumerate(index)]
    alignments = [align(vectors, a, b) if aligned[n] else None for n, (a, b) in enumerate(index)]
    return PairFeatures(cosines, matches, alignments, *_learned(pairs, rows, vectors, index))


def _learned(
    pairs: Sequence[LabelledPair],
    rows: dict[LabelledQuestion, int],
    vectors: QuestionVectors,
    index: list[tuple[int, int]],
) -> tuple[np.ndarray, np.ndarray]:
    """QB402's features of the pairs its search would find (NaN for the others), and their
    margins over the neighbourhood: a subject's questions are the bank it is measured in."""
    texts = [question.text() for question in rows]
    combined = combine(vectors)
    subject_of = {rows[q]: p.subject for p in pairs for q in (p.first, p.second)}
    neighbourhood = np.zeros(len(rows))
    for subject in set(subject_of.values()):
        members = np.array(sorted(r for r, s in subject_of.items() if s == subject))
        within = combined[members] @ combined[members].T
        np.fill_diagonal(within, -np.inf)
        neighbourhood[members] = neighbour_means(within, len(members))
    found = np.full((len(pairs), len(NAMES)), np.nan)
    margins = np.full(len(pairs), np.nan)
    for n, (a, b) in enumerate(index):
        similarity = float(combined[a] @ combined[b])
        if similarity >= CANDIDATE_FLOOR:
            cosines = part_cosines(vectors, a, b)
            found[n] = candidate_features(vectors, texts, cosines, similarity, a, b)
            margins[n] = similarity - (neighbourhood[a] + neighbourhood[b]) / 2
    return found, margins


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    flagged: int
    positives: int


def scores_of(predicted: np.ndarray, actual: np.ndarray) -> Scores:
    true_positives = int((predicted & actual).sum())
    precision = true_positives / max(int(predicted.sum()), 1)
    recall = true_positives / max(int(actual.sum()), 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, int(predicted.sum()), int(actual.sum()))


def f_beta(precision: np.ndarray, recall: np.ndarray, beta: float) -> np.ndarray:
    b2 = beta * beta
    denominator = b2 * precision + recall
    return np.divide((1 + b2) * precision * recall, denominator,
                     out=np.zeros_like(denominator), where=denominator > 0)  # fmt: skip


@dataclass(frozen=True)
class Setting:
    """One QB402 setting: a pair is a near-duplicate when its weighted similarity reaches
    the threshold and its keys do not disagree."""

    weights: Weights
    disagreement: tuple[float, float] | None
    threshold: float

    def describe(self) -> str:
        w = self.weights
        test = ("no key test" if self.disagreement is None
                else f"key test {self.disagreement[0]:.2f}/{self.disagreement[1]:.2f}")  # fmt: skip
        return (f"weights {w.stem:.1f}/{w.key:.1f}/{w.distractors:.1f}, {test}, "
                f"threshold {self.threshold:.2f}")  # fmt: skip


# The previous scoring (before the learned decision): weighted similarity, key test, 0.68.
PREVIOUS = Setting(WEIGHTS, (DISAGREE_COSINE, DISAGREE_MARGIN), 0.68)


def shipped_probabilities(features: PairFeatures) -> np.ndarray:
    """QB402's probability for each pair (0 where its search would not find the pair)."""
    found = ~np.isnan(features.learned).any(axis=1)
    probabilities = np.zeros(len(found))
    if found.any():
        probabilities[found] = duplicate_probability(features.learned[found])
    return probabilities


def predict_shipped(features: PairFeatures, threshold: float = DEFAULT_THRESHOLD) -> np.ndarray:
    return shipped_probabilities(features) >= threshold


def similarities(features: PairFeatures, weights: Weights) -> np.ndarray:
    return features.cosines @ np.asarray(weights)


def disagreeing(features: PairFeatures, test: tuple[float, float] | None) -> np.ndarray:
    if test is None:
        return np.zeros(len(features.key_matches), dtype=bool)
    return np.array([keys_disagree(m, *test) for m in features.key_matches], dtype=bool)


def predict(features: PairFeatures, setting: Setting) -> np.ndarray:
    scores = similarities(features, setting.weights)
    return (scores >= setting.threshold) & ~disagreeing(features, setting.disagreement)


def selection_objective(precision: np.ndarray, recall: np.ndarray) -> np.ndarray:
    """Above 1 (1 + recall) where precision reaches the target, else the F-beta (at most 1)."""
    return np.where(precision >= PRECISION_TARGET, 1.0 + recall,
                    f_beta(precision, recall, SELECTION_BETA))  # fmt: skip


def choose(features: PairFeatures, labels: np.ndarray, chosen: np.ndarray) -> Setting:
    """The setting chosen on the `chosen` pairs (labels of the others unused) by
    `selection_objective`; ties go to the first in grid order and the higher threshold."""
    thresholds = np.asarray(THRESHOLDS)
    best: tuple[float, Setting] | None = None
    vetoes = {test: disagreeing(features, test) for test in DISAGREEMENT_GRID}
    for test, weights in itertools.product(DISAGREEMENT_GRID, WEIGHT_GRID):
        scores = np.where(vetoes[test], -np.inf, similarities(features, weights))[chosen]
        actual = labels[chosen]
        positives = np.sort(scores[actual])
        negatives = np.sort(scores[~actual])
        true_pos = len(positives) - np.searchsorted(positives, thresholds, "left")
        false_pos = len(negatives) - np.searchsorted(negatives, thresholds, "left")
        precision = true_pos / np.maximum(true_pos + false_pos, 1)
        recall = true_pos / max(len(positives), 1)
        objective = selection_objective(precision, recall)
        at = int(len(objective) - 1 - np.argmax(objective[::-1]))  # last best: higher threshold
        if best is None or objective[at] > best[0] + 1e-12:
            best = (float(objective[at]), Setting(weights, test, float(thresholds[at])))
    assert best is not None
    return best[1]


def folds_of(
    pairs: Sequence[LabelledPair], folds: int = FOLDS
) -> list[tuple[np.ndarray, np.ndarray]]:
    """(choosing, judged) masks per fold, by group: a pair is judged in its first group's
    fold and helps choose only where neither of its groups is judged."""
    first = np.array([p.group % folds for p in pairs])
    second = np.array([p.other_group % folds for p in pairs])
    return [((first != fold) & (second != fold), first == fold) for fold in range(folds)]


def held_out(
    pairs: Sequence[LabelledPair],
    chooser: Callable[[np.ndarray], Choice],
    predictor: Callable[[Choice], np.ndarray],
) -> tuple[np.ndarray, list[Choice]]:
    """Held-out predictions: each fold judged by what `chooser` picks on the other folds."""
    predicted = np.zeros(len(pairs), dtype=bool)
    chosen = []
    for choosing, judged in folds_of(pairs):
        choice = chooser(choosing)
        predicted[judged] = predictor(choice)[judged]
        chosen.append(choice)
    return predicted, chosen


def cross_validate(
    features: PairFeatures, labels: np.ndarray, pairs: Sequence[LabelledPair]
) -> tuple[np.ndarray, list[Setting]]:
    """QB402's held-out predictions, and the setting each fold chose."""
    return held_out(pairs, lambda mask: choose(features, labels, mask),
                    lambda setting: predict(features, setting))  # fmt: skip


def choose_conflict_test(
    features: PairFeatures, labels: np.ndarray, chosen: np.ndarray
) -> tuple[float, float]:
    """QB406's (stem cosine, option cosine) with the best F-beta on the chosen pairs (its 46
    positives are too few to ask for a precision first); ties go to the stricter values."""
    best: tuple[float, tuple[float, float]] | None = None
    for test in sorted(CONFLICT_GRID, reverse=True):
        predicted = conflicts_predicted(features, test)[chosen]
        s = scores_of(predicted, labels[chosen])
        value = float(f_beta(np.array(s.precision), np.array(s.recall), SELECTION_BETA))
        if best is None or value > best[0] + 1e-12:
            best = (value, test)
    assert best is not None
    return best[1]


def conflicts_predicted(features: PairFeatures, test: tuple[float, float]) -> np.ndarray:
    return np.array([is_conflict(a, *test) for a in features.alignments], dtype=bool)


# The learned decision (qbank.dedup.scoring.duplicate_probability): the L2 penalty and the
# probability cut-off are chosen on the choosing folds by inner folds by group.
PENALTIES = (0.1, 1.0, 10.0, 30.0, 100.0)
CUTOFFS = tuple(round(0.05 + 0.01 * step, 2) for step in range(95))  # 0.05 … 0.99
INNER_FOLDS = 4


@dataclass(frozen=True)
class Learned:
    """A fitted logistic regression on raw features, and its cut-off."""

    coefficients: np.ndarray
    intercept: float
    cutoff: float
    penalty: float

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        logits = np.nan_to_num(features, nan=0.0) @ self.coefficients + self.intercept
        found = 1.0 / (1.0 + np.exp(-np.clip(logits, -50.0, 50.0)))
        return np.where(np.isnan(features).any(axis=1), 0.0, found)

    def predict(self, features: np.ndarray) -> np.ndarray:
        return self.probabilities(features) >= self.cutoff

    def describe(self) -> str:
        return f"L2 {self.penalty:g}, cut-off {self.cutoff:.2f}"


def fit_logistic(
    features: np.ndarray, labels: np.ndarray, penalty: float
) -> tuple[np.ndarray, float]:
    """L2-penalised logistic regression by Newton's method on standardised features; the
    coefficients returned apply to the raw features."""
    mean, scale = features.mean(axis=0), features.std(axis=0) + 1e-9
    design = np.hstack([(features - mean) / scale, np.ones((len(features), 1))])
    ridge = penalty * np.eye(design.shape[1])
    ridge[-1, -1] = 0.0  # the intercept is not penalised
    weights = np.zeros(design.shape[1])
    for _ in range(100):
        probability = 1.0 / (1.0 + np.exp(-np.clip(design @ weights, -50.0, 50.0)))
        gradient = design.T @ (probability - labels) + ridge @ weights
        hessian = (design * (probability * (1 - probability))[:, None]).T @ design + ridge
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if np.abs(step).max() < 1e-10:
            break
    coefficients = weights[:-1] / scale
    return coefficients, float(weights[-1] - coefficients @ mean)


def _fitted(matrix: np.ndarray, labels: np.ndarray, mask: np.ndarray,
            penalty: float) -> tuple[np.ndarray, float]:  # fmt: skip
    usable = mask & ~np.isnan(matrix).any(axis=1)
    return fit_logistic(matrix[usable], labels[usable].astype(float), penalty)


def _best_cutoff(probabilities: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """(objective, cut-off) of the best cut-off by `selection_objective` (ties: higher)."""
    cutoffs = np.asarray(CUTOFFS)
    positives, negatives = np.sort(probabilities[labels]), np.sort(probabilities[~labels])
    true_pos = len(positives) - np.searchsorted(positives, cutoffs, "left")
    false_pos = len(negatives) - np.searchsorted(negatives, cutoffs, "left")
    precision = true_pos / np.maximum(true_pos + false_pos, 1)
    objective = selection_objective(precision, true_pos / max(len(positives), 1))
    at = int(len(objective) - 1 - np.argmax(objective[::-1]))
    return float(objective[at]), float(cutoffs[at])


def choose_learned(
    matrix: np.ndarray, labels: np.ndarray, chosen: np.ndarray, pairs: Sequence[LabelledPair]
) -> Learned:
    """The penalty and cut-off chosen on the `chosen` pairs by inner folds by group (each
    inner fold's probabilities from a fit on the others), then the fit on all of them."""
    inner_first = np.array([p.group // FOLDS % INNER_FOLDS for p in pairs])
    inner_second = np.array([p.other_group // FOLDS % INNER_FOLDS for p in pairs])
    best: tuple[float, float, float] | None = None
    for penalty in PENALTIES:
        held = np.zeros(len(pairs))
        for fold in range(INNER_FOLDS):
            fitting = chosen & (inner_first != fold) & (inner_second != fold)
            judged = chosen & (inner_first == fold)
            coefficients, intercept = _fitted(matrix, labels, fitting, penalty)
            model = Learned(coefficients, intercept, 1.0, penalty)
            held[judged] = model.probabilities(matrix[judged])
        objective, cutoff = _best_cutoff(held[chosen], labels[chosen])
        if best is None or objective > best[0] + 1e-12:
            best = (objective, penalty, cutoff)
    assert best is not None
    _, penalty, cutoff = best
    coefficients, intercept = _fitted(matrix, labels, chosen, penalty)
    return Learned(coefficients, intercept, cutoff, penalty)


def cross_validate_learned(
    matrix: np.ndarray,
    labels: np.ndarray,
    pairs: Sequence[LabelledPair],
    vetoed: np.ndarray | None = None,
) -> tuple[np.ndarray, list[Learned]]:
    """Held-out predictions of a learned decision on the features `matrix` (one row per
    pair, NaN where not scored), and each fold's choice; `vetoed` pairs (keys that
    disagree) are neither fitted on nor flagged."""
    kept = np.ones(len(pairs), dtype=bool) if vetoed is None else ~vetoed
    return held_out(pairs, lambda mask: choose_learned(matrix, labels, mask & kept, pairs),
                    lambda model: model.predict(matrix) & kept)  # fmt: skip


def with_margins(features: PairFeatures) -> np.ndarray:
    """QB402's features and the margin over the neighbourhood (measured, not shipped)."""
    return np.hstack([features.learned, features.margins[:, None]])
