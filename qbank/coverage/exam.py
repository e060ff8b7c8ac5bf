"""Practice exams drawn to the blueprint: section counts follow the guide's weights."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qbank.coverage.apportion import apportion
from qbank.errors import QbankError
from qbank.models import ExamGuide, Question

if TYPE_CHECKING:
    from qbank.config import Config
    from qbank.load.bank import Bank


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
    counts = apportion(size, [section.weight for section in guide.sections])
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
    """Id pairs that QB402 would report (pairs declared distinct excepted), and a note when
    the embedding model cannot be had, in which case no pair is known."""
    from qbank.dedup.finder import find_near_duplicates
    from qbank.dedup.settings import DedupSettings

    questions = [question for _, question in bank.questions()]
    try:
        finding = find_near_duplicates(
            questions, DedupSettings.from_config(config), config.root, config.cache_dir
        )
    except QbankError as exc:
        return set(), f"near-duplicates not excluded ({exc})"
    pairs = {frozenset((questions[p.first].id, questions[p.second].id)) for p in finding.pairs}
    return pairs, "; ".join(finding.notes)
