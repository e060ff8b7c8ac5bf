"""Two questions ask the same thing but have different keys.

## What it does
Finds pairs of questions whose stems are nearly the same (cosine of their embeddings at
least 0.90) and whose options line up one to one (each option matched with an option of
the other question at a cosine of at least 0.85, as many on both sides), but whose correct
options are not the same ones. Both questions are reported, naming the other and both keys.
It shares the embeddings of QB402 near-duplicate; a conflicting pair is not also reported as
a near-duplicate, and an exact copy with the same key is left to QB401.

## Why it matters
One of the two keys is wrong, or the question is ambiguous enough that two authors chose
different answers. Either way learners are marked wrong for a right answer in one of them.

## Example
`pmle-4-2-003` and `pmle-4-2-011` ask which service should serve a Dataflow pipeline's
predictions, with the same four options; the first is keyed to "RunInference in the
workers", the second to "a Vertex AI endpoint". Fix the wrong key, or, if the questions
differ on purpose, say so in the stem and add `lint: {distinct_from: [pmle-4-2-011]}` to
either question.
"""

from __future__ import annotations

from collections.abc import Iterator

from qbank.load.bank import Bank
from qbank.models import Question
from qbank.problem import Problem, Severity
from qbank.rules.base import Context, Options, Scope

CODE = "QB406"
NAME = "conflicting-key"
SEVERITY = Severity.ERROR
SCOPE = Scope.BANK
SHOWN = 60  # characters of a key shown in the message


def check(bank: Bank, options: Options, context: Context) -> Iterator[Problem]:
    from qbank.dedup.finder import find_conflicting_keys  # NumPy: only when the rule runs
    from qbank.dedup.settings import DedupSettings

    config = context.config
    items = bank.questions()
    cache_dir = config.cache_dir if context.use_cache else None
    finding = find_conflicting_keys([q for _, q in items], DedupSettings.from_config(config),
                                    config.root, cache_dir, bank.shared)  # fmt: skip
    bank.notes.extend(finding.notes)
    for pair in finding.pairs:
        for this, other in ((pair.first, pair.second), (pair.second, pair.first)):
            (file, question), (other_file, other_question) = items[this], items[other]
            keys = [i for i, option in enumerate(question.options) if option.correct]
            yield file.problem(
                f"{question.id} and {other_question.id} ({other_file.path}) ask the same "
                f"question with different keys: {_key(question)} here, "
                f"{_key(other_question)} there",
                ("options", keys[0]) if keys else ("stem",),
            )


def _key(question: Question) -> str:
    texts = [option.text.strip() for option in question.options if option.correct]
    return " + ".join(f'"{_shorten(text)}"' for text in texts)


def _shorten(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SHOWN else flat[: SHOWN - 1].rstrip() + "…"
