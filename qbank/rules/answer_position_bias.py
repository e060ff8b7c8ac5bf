"""The correct answers of unshuffled questions sit at a favoured position.

## What it does
Among questions with `shuffle: false` (at least `min_questions`, default 20), compares how
often the correct option is first, second, third… with what chance predicts given each
question's number of options, using a chi-square goodness-of-fit test, and reports a skew
with p below `p_value` (default 0.01). Multiple-answer questions count each correct option.

## Why it matters
Writers tend to hide the key in the middle (or first); learners who notice score without
knowing the content. Keys should be balanced across positions (Haladyna, Downing & Rodriguez
2002, guideline 20). Shuffled questions are immune, which is why only `shuffle: false`
questions are counted.

## Example
24 questions with `shuffle: false`, 15 keyed at position B where 6.0 are expected:
`QB405 correct answers favour position B (15 of 24, 6.0 expected; chi-square p = 0.0001)`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from qbank.cues.positions import key_positions
from qbank.load.bank import Bank
from qbank.problem import Problem, Severity
from qbank.rules.base import Context, Options, Scope

CODE = "QB405"
NAME = "answer-position-bias"
SEVERITY = Severity.WARNING
SCOPE = Scope.BANK
DEFAULT = {"min_questions": 20, "p_value": 0.01}


def chi_square_sf(statistic: float, degrees: int) -> float:
    """P(X >= statistic) for X ~ chi-square(degrees): the regularised upper gamma Q(k/2, x/2)."""
    if statistic <= 0:
        return 1.0
    half = statistic / 2
    if degrees % 2 == 0:
        term, total = 1.0, 1.0
        for i in range(1, degrees // 2):
            term *= half / i
            total += term
        return math.exp(-half) * total
    total = math.erfc(math.sqrt(half))
    term = math.exp(-half) / math.sqrt(math.pi * half)
    for i in range(1, (degrees + 1) // 2):
        term *= half / (i - 0.5)
        total += term
    return min(1.0, total)


def check(bank: Bank, options: Options, context: Context) -> Iterator[Problem]:
    fixed = [(f, q) for f, q in bank.outlines() if not q.shuffle]
    if len(fixed) < options["min_questions"]:
        return
    observed, expected = key_positions(question for _, question in fixed)
    width = len(observed)
    cells = [(o, e) for o, e in zip(observed, expected, strict=True) if e > 0]
    statistic = sum((o - e) ** 2 / e for o, e in cells)
    p = chi_square_sf(statistic, len(cells) - 1)
    if p >= options["p_value"]:
        return
    favoured = max(range(width), key=lambda i: observed[i] - expected[i])
    letter = chr(ord("A") + favoured)
    message = (
        f"correct answers of the {len(fixed)} questions with shuffle: false favour position "
        f"{letter} ({observed[favoured]:.0f}, {expected[favoured]:.1f} expected; "
        f"chi-square p = {p:.2g})"
    )
    anchor = bank.guide_file or fixed[0][0]
    yield Problem(anchor.path, 1, 1, message=message)
