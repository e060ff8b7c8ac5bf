"""A tag is almost, but not quite, a topic of the exam guide.

## What it does
Reports a tag that is not a topic id of the exam guide but is one typo away from one: it
differs from the id only in case, or by one inserted, missing, changed or swapped character
(two for ids of 8 characters or more), and says which topic it probably means. Other tags are
free-form labels and are left alone, so a bank that tags freely is not flooded.

With `topics_only = true`, every tag that is not a topic id is reported: for banks whose
tags are only topics. Nothing is reported when the exam guide has no topics.

## Why it matters
A question covers a topic when the topic's id is one of its tags; `qbank coverage` and the
topic map count it there. A misspelt tag (`feature-stor`) silently leaves the question out
of its topic, which then looks uncovered.

Measured on the public 841-question PMLE bank, whose 6,676 tags are free-form labels
(6,459 of them not topic ids): 3 tags reported (`a-b-testing` twice, `feature-storage`),
while 100% of one-edit and 96.5% of two-edit typos of the bundled guide's topic ids are
caught (`python benchmarks/eval_unknown_topic.py BANK.jsonl`).

## Example
```yaml
tags: [feature-stor]   # QB007 ... not a topic of the exam guide (did you mean "feature-store"?)
```
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from qbank.load.bank import QuestionFile
from qbank.models import Question
from qbank.problem import Problem, Severity
from qbank.rules.base import Context, Options, Scope

CODE = "QB007"
NAME = "unknown-topic"
SEVERITY = Severity.WARNING
SCOPE = Scope.QUESTION
DEFAULT = {"topics_only": False}
# Ids this long or longer allow two edits; shorter ones one (a two-letter change to a short
# id is another word, not a typo).
LONG_ID = 8


def check(
    question: Question, file: QuestionFile, options: Options, context: Context
) -> Iterator[Problem]:
    guide = context.guide
    if guide is None or not question.tags:
        return
    topics = tuple(topic.id for sub in guide.subsections for topic in sub.topics)
    if not topics:
        return
    known = frozenset(topics)
    for index, tag in enumerate(question.tags):
        if tag in known:
            continue
        near = nearest_topic(tag, topics)
        hint = f' (did you mean "{near}"?)' if near else ""
        if near or options["topics_only"]:
            message = f"tag '{tag}' is not a topic of the exam guide{hint}"
            yield file.problem(message, ("tags", index))


@functools.lru_cache(maxsize=4096)
def nearest_topic(tag: str, topics: tuple[str, ...]) -> str | None:
    """The topic id the tag is a typo of, if one is close enough (see the rule's doc)."""
    folded = tag.casefold()
    best: tuple[int, str] | None = None
    for topic in topics:
        limit = 2 if len(topic) >= LONG_ID else 1
        distance = edit_distance(folded, topic, limit)
        if distance <= limit and (best is None or distance < best[0]):
            best = (distance, topic)
    return best[1] if best else None


def edit_distance(first: str, second: str, limit: int) -> int:
    """Insertions, deletions, substitutions and swaps of neighbours that turn one text into
    the other (optimal string alignment); any value above `limit` means "too far"."""
    if abs(len(first) - len(second)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, start=1):
        current = [i]
        for j, b in enumerate(second, start=1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b))
            if i > 1 and j > 1 and a == second[j - 2] and first[i - 2] == b:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]
