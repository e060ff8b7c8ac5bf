"""Absolute words mark the distractors but not the correct option.

## What it does
Reports distractors that make sweeping claims — always, never, all, none, must, and "only" in
its absolute sense ("the only way", "can only", "only one") — when no correct option uses
such a word. "Only" that narrows who or what ("only the service account needs access") is
not absolute and is not reported. Words in code (`--only`), in compounds ("all-reduce",
"catch-all", "must-have"), in time phrases and idioms ("running all day", "all the time",
"not at all", "after all") and options QB201 reports ("None of the above") are ignored.

## Why it matters
Test-wise learners know sweeping statements are usually false and eliminate those options
without knowing the subject: the item then measures test-taking skill. Avoid specific
determiners (Haladyna, Downing & Rodriguez 2002, guideline 28; NBME "absolute terms").

## Example
```yaml
options:
  - text: Enable autoscaling on the endpoint.
    correct: true
  - text: Always deploy a GPU for every model.   # QB206: "always" only in a distractor
```
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from qbank.load.bank import QuestionFile
from qbank.markdown import prose
from qbank.models import Question
from qbank.problem import Problem, Severity
from qbank.rules.all_or_none_of_the_above import is_all_or_none
from qbank.rules.base import Context, Options, Scope

CODE = "QB206"
NAME = "absolute-terms-in-distractors"
SEVERITY = Severity.WARNING
SCOPE = Scope.QUESTION
DEFAULT = {"words": ["always", "never", "all", "none", "must", "only"]}

# "only" is absolute in these uses; elsewhere it restricts ("only the service account").
_ABSOLUTE_ONLY = re.compile(
    r"\b(?:the|their|its|our|your)\s+only\b|\bonly\s+(?:one|way|option|choice|solution|"
    r"possible|supported|works?|valid)\b|\b(?:can|could|will|would|may|should|is|are)\s+only\b",
    re.IGNORECASE,
)
# Time phrases and idioms whose absolute word claims nothing sweeping ("running all day").
_IDIOMS = re.compile(
    r"\ball\s+(?:day|night|week|month|year|morning|afternoon|evening)(?:\s+(?:long|round))?\b"
    r"|\ball\s+(?:the\s+time|along|at\s+once|in\s+all|but)\b|\b(?:at|after|above)\s+all\b"
    r"|\b(?:first\s+of|once\s+and\s+for)\s+all\b|\bnone\s+the\s+(?:less|wiser)\b",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=8)
def _vocabulary(words: tuple[str, ...]) -> re.Pattern[str]:
    # Not part of a compound: "all-reduce", "catch-all", "must-have" claim nothing.
    alternatives = "|".join(map(re.escape, words))
    return re.compile(r"(?<!\w-)\b(" + alternatives + r")\b(?!-\w)", re.IGNORECASE)


def absolute_words(text: str, vocabulary: tuple[str, ...]) -> list[str]:
    if is_all_or_none(text):
        return []  # QB201 reports "None of the above" and its kin
    plain = _IDIOMS.sub(" ", prose(text))
    found = {m.group().lower() for m in _vocabulary(vocabulary).finditer(plain)}
    if "only" in found and not _ABSOLUTE_ONLY.search(plain):
        found.discard("only")  # restrictive, not absolute
    return [word for word in vocabulary if word.lower() in found]


def check(
    question: Question, file: QuestionFile, options: Options, context: Context
) -> Iterator[Problem]:
    vocabulary = tuple(options["words"])
    if any(absolute_words(question.options[i].text, vocabulary) for i in question.correct_indexes):
        return
    for index, option in enumerate(question.options):
        if option.correct:
            continue
        found = absolute_words(option.text, vocabulary)
        if found:
            yield file.problem(
                f"distractor {index + 1} uses {', '.join(repr(w) for w in found)} and no "
                "correct option does; absolute terms cue the wrong answers",
                ("options", index, "text"),
            )
