"""The question asks a negative without emphasising it.

## What it does
Looks at the question sentence of the stem (the sentences ending in `?`, or the last one) for
NOT, EXCEPT, LEAST, FALSE or INCORRECT written without emphasis — neither in capitals nor in
`**bold**`/`*italics*`. Words in the scenario before the question are not judged, nor words
that do not turn the question around:
- "least" before a cost ("with the least custom code", "the least effort") is a superlative;
  it is a negative only before a quality the key should have ("least likely", "least
  appropriate", "least secure"),
- "at least" is a bound; "false positives" and "false negatives" are terms,
- a "not" in what the question wants to ensure ("How do you ensure that the data is not
  lost?") describes the goal; the question still asks for the best option.

## Why it matters
Readers skim past a lowercase "not" and answer the opposite question, so the item measures
reading speed rather than knowledge. Guidelines say to avoid negatives, and where one is
needed to make it stand out (Haladyna, Downing & Rodriguez 2002, guideline 17; NBME).

## Example
```yaml
stem: Which of these services does not store features?   # QB202
```
Use instead (`qbank lint --fix` does this):
```yaml
stem: Which of these services does **NOT** store features?
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from qbank.load.bank import QuestionFile
from qbank.models import Question
from qbank.problem import Problem, Severity
from qbank.rules.base import Context, Options, Scope

CODE = "QB202"
NAME = "unemphasized-negative"
SEVERITY = Severity.WARNING
SCOPE = Scope.QUESTION

NEGATIVES = ("not", "except", "least", "false", "incorrect")
_NEGATIVE = re.compile(r"(?<![\w*_])(" + "|".join(NEGATIVES) + r")(?![\w*_])", re.IGNORECASE)
_SENTENCE = re.compile(r"[^.?!]*(?:[?!.]+|$)")


def question_span(stem: str) -> tuple[int, int]:
    """Where the question is asked: from the first sentence ending in '?' to the end."""
    sentences = [m for m in _SENTENCE.finditer(stem) if m.group().strip()]
    asking = [m for m in sentences if m.group().rstrip().endswith("?")]
    if asking:
        return asking[0].start(), len(stem)
    return (sentences[-1].start(), len(stem)) if sentences else (0, len(stem))


# "least X" asks for the worst option only when X is a quality the right answer has.
_LEAST_QUALITIES = frozenset(
    {"acceptable", "accurate", "advisable", "applicable", "appropriate", "beneficial",
     "correct", "desirable", "effective", "efficient", "feasible", "helpful", "important",
     "likely", "optimal", "practical", "preferable", "preferred", "probable", "reasonable",
     "recommended", "relevant", "reliable", "scalable", "secure", "sensible", "suitable",
     "useful", "valid", "viable"}
)  # fmt: skip
_NEXT_WORD = re.compile(r"\s+([\w-]+)")
_FALSE_TERM = re.compile(r"\s+(?:positives?|negatives?|alarms?)\b", re.IGNORECASE)
# A negative after these words is part of the goal the question states, not its reversal.
_GOAL = re.compile(r"\b(?:ensure|make sure|so that|such that|guarantee)\b", re.IGNORECASE)


def unemphasized(stem: str) -> list[re.Match[str]]:
    """Negatives in the question sentence written in lower or title case without emphasis."""
    start, end = question_span(stem)
    return [
        match
        for match in _NEGATIVE.finditer(stem, start, end)
        if not match.group().isupper() and _reverses(stem, match, start)
    ]


def _reverses(stem: str, match: re.Match[str], start: int) -> bool:
    """Whether the word turns the question around (see the rule's documentation)."""
    word = match.group().lower()
    after = _NEXT_WORD.match(stem, match.end())
    following = after.group(1).lower() if after else ""
    if word == "least":
        before = stem[max(0, match.start() - 3) : match.start()].lower()
        return before != "at " and following in _LEAST_QUALITIES
    if word == "false" and _FALSE_TERM.match(stem, match.end()):
        return False
    return not (word == "not" and _GOAL.search(stem, start, match.start()))


def emphasise(stem: str) -> str:
    """Each negative of the question sentence written as **WORD**."""
    for match in reversed(unemphasized(stem)):
        stem = f"{stem[: match.start()]}**{match.group().upper()}**{stem[match.end() :]}"
    return stem


def fix(data: Any, options: Options) -> bool:
    from qbank.fix import set_text

    stem = data.get("stem")
    if not isinstance(stem, str) or emphasise(stem) == stem:
        return False
    set_text(data, "stem", emphasise(stem))
    return True


FIX = fix


def check(
    question: Question, file: QuestionFile, options: Options, context: Context
) -> Iterator[Problem]:
    for match in unemphasized(question.stem):
        word = match.group()
        yield file.problem(
            f"the question asks '{word}' without emphasis; write **{word.upper()}**",
            ("stem",),
            offset=match.start(),
        )
