"""Practice exams drawn to the blueprint: section counts follow the guide's weights."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qbank.errors import QbankError
from qbank.models import ExamGuide, Question

if TYPE_CHECKING:
    from qbank.config import Config
    from qbank.load.bank import Bank


def apportion(weights: Sequence[float], size: int) -> list[int]:
    """Largest-remainder apportionment of `size` seats by `weights`, at least one seat each
    when `size` allows. Every count is within one of its exact quota."""
    if size < 0:
        raise ValueError("size must not be negative")
    total = sum(weights)
    quotas = [size * w / total for w in weights]
    counts = [int(q) for q in quotas]
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(quotas[i] - counts[i]), i))
    for index in by_remainder[: size - sum(counts)]:
        counts[index] += 1
    if size >= len(weights):
        for index in range(len(weights)):
            if counts[index] == 0:
                # Take the seat from the section whose count is furthest above its quota.
                donor = max(range(len(weights)), key=lambda i: (counts[i] - quotas[i], -i))
                counts[donor] -= 1
                counts[index] += 1
    return counts


@dataclass(frozen=True)
class Draw:
    questions: list[Question]
    planned: dict[str, int]  # section code -> count


def draw_exam(
    guide: ExamGuide,
    questions: Iterable[Question],
    size: int,
    seed: int,
    near_duplicates: set[frozenset[str]] | None = None,
) -> Draw:
    """Questions per section as apportioned, drawn reproducibly for a seed; no two share an
    id and no two are a near-duplicate pair."""
    pool: dict[str, list[Question]] = {section.code: [] for section in guide.sections}
    seen: set[str] = set()
    for question in sorted(questions, key=lambda q: q.id):
        if question.section in pool and question.id not in seen:
            pool[question.section].append(question)
            seen.add(question.id)
    counts = apportion([section.weight for section in guide.sections], size)
    planned = {s.code: n for s, n in zip(guide.sections, counts, strict=True)}
    rng = random.Random(seed)
    pairs = near_duplicates or set()
    chosen: list[Question] = []
    for section in guide.sections:
        candidates = pool[section.code][:]
        rng.shuffle(candidates)
        picked: list[Question] = []
        for question in candidates:
            if len(picked) == planned[section.code]:
                break
            if any(frozenset((question.id, other.id)) in pairs for other in chosen + picked):
                continue
            picked.append(question)
        if len(picked) < planned[section.code]:
            raise QbankError(
                f"section {section.code} ({section.title}) needs {planned[section.code]} "
                f"questions for an exam of {size}, but only {len(picked)} can be drawn "
                f"({len(pool[section.code])} match the filters)"
            )
        chosen.extend(picked)
    return Draw(chosen, planned)


def near_duplicate_pairs(bank: Bank, config: Config) -> tuple[set[frozenset[str]], str]:
    """Pairs of question ids that are near-duplicates, when embeddings are available, and a
    note for the user when they are not."""
    return set(), "near-duplicate checking is not available; draws may include near-duplicates"
