"""A retired product name appears in the question.

## What it does
Looks for retired product names in the stem, options, rationales and explanation, using the
map `names` (old name → current name; an empty replacement means "retired, no direct
successor"). Longer names are matched first, whole words only, case as written.

A name is left alone where it is not a retired product:
- inside a longer current name: the words just before it begin its successor's name
  ("Vertex AI AutoML Tables", "Vertex AI Platform"), or another product's name ("GitHub
  Container Registry"; a capitalised word mid-sentence other than Google or Cloud),
- in a sentence that tells the history: it names the successor and says what happened
  ("Vertex AI replaced AI Platform Prediction", "formerly AI Platform").

`--fix` replaces a name only when its sentence does not already name the successor and
the name is not the start of a longer one ("AutoML Vision Edge"), so no fix can write
"Vertex AI replaced Vertex AI Prediction".

The map is the bank's own: by default it is empty and the rule finds nothing. The bundled
PMLE bank's settings (this repository's `pyproject.toml`) map, among others, AI Platform
(Prediction, Training, Pipelines, Notebooks) → Vertex AI, Cloud ML Engine → Vertex AI,
AutoML Tables → Vertex AI tabular AutoML, Cloud Datalab → Vertex AI Workbench, Container
Registry → Artifact Registry, and the retired Data Labeling Service and Cloud Source
Repositories.

## Why it matters
Candidates study for the exam as it is today: old names send them to outdated docs, and an
item whose key names a retired product is wrong for the current platform.

## Example
```toml
[tool.qbank.rules.QB304.names]
"AI Platform Prediction" = "Vertex AI Prediction"
"Cloud Source Repositories" = ""   # retired, no direct successor
```
```yaml
stem: You deploy the model to AI Platform Prediction ...   # QB304
```
`qbank lint --fix` replaces names that have a single successor:
```yaml
stem: You deploy the model to Vertex AI Prediction ...
```
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from qbank.load.bank import QuestionFile
from qbank.models import Question
from qbank.problem import Problem, Severity
from qbank.rules.base import Context, Options, Scope

CODE = "QB304"
NAME = "deprecated-product-name"
SEVERITY = Severity.WARNING
SCOPE = Scope.QUESTION
DEFAULT: dict[str, object] = {"names": {}}


@functools.lru_cache(maxsize=8)
def _pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted(names, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ordered)) + r")(?![\w-])")


# Words before a name that do not make it another product's name.
_VENDOR_WORDS = frozenset({"Google", "Cloud", "GCP"})
_WORDS_BEFORE = re.compile(r"((?:[\w/-]+ ){1,3})\Z")
_CAPITALISED_NEXT = re.compile(r" [A-Z]")
_SENTENCE_END = re.compile(r"[.!?:;]\s|\n\s*\n|<br\s*/?>|</?(?:p|li|ul|ol)>", re.IGNORECASE)
_HISTORY = re.compile(
    r"\b(?:replac\w*|renam\w*|rebrand\w*|formerly|former|previously|successor|supersed\w*|"
    r"legacy|retired|deprecated|migrat\w*|known as|evolved)\b|\(now\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Mention:
    """A retired name in a text: where, its successor ("" if none), and whether replacing
    it with the successor makes sense in its sentence."""

    start: int
    end: int
    old: str
    new: str
    fixable: bool


def mentions(text: str, names: dict[str, str]) -> Iterator[Mention]:
    """The retired names of `text` that name a retired product (see the rule's doc)."""
    if not names:
        return  # an empty alternation would match everywhere
    for match in _pattern(tuple(names)).finditer(text):
        old, new = match.group(), names[match.group()]
        if _in_longer_name(text, match.start(), new):
            continue
        begin, end = _sentence(text, match.start(), match.end())
        rest = text[begin : match.start()] + " " + text[match.end() : end]
        named = any(successor in rest for successor in _successors(old, names))
        if named and _HISTORY.search(text, begin, end):
            continue
        longer = _CAPITALISED_NEXT.match(text, match.end()) is not None  # "AutoML Vision Edge"
        yield Mention(match.start(), match.end(), old, new, bool(new) and not named and not longer)


def _in_longer_name(text: str, start: int, new: str) -> bool:
    before = _WORDS_BEFORE.search(text, 0, start)
    if before is None:
        return False
    words = before.group(1).split()
    if any(new.startswith(" ".join(words[-k:]) + " ") for k in range(1, len(words) + 1)):
        return True  # "Vertex AI" + "AutoML Tables": the successor's name is being written
    last = words[-1]
    head = text[: start - 1 - len(last)].rstrip(" \t*_\"'(")
    at_sentence_start = not head or head[-1] in ".!?:;\n>"
    return last[:1].isupper() and last not in _VENDOR_WORDS and not at_sentence_start


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, start)]
    after = _SENTENCE_END.search(text, end)
    return (ends[-1] if ends else 0), (after.start() if after else len(text))


def _successors(old: str, names: dict[str, str]) -> set[str]:
    """The successor of `old` and of the retired names inside it ("AI Platform" in "AI
    Platform Prediction")."""
    inside = [name for name in names if name in old and names[name]]
    return {names[name] for name in inside}


def replace(text: str, names: dict[str, str]) -> str:
    """Every retired name that has a successor replaced by it, where that makes sense."""
    for mention in reversed(list(mentions(text, names))):
        if mention.fixable:
            text = text[: mention.start] + mention.new + text[mention.end :]
    return text


def check(
    question: Question, file: QuestionFile, options: Options, context: Context
) -> Iterator[Problem]:
    names: dict[str, str] = options["names"]
    if not names:
        return
    fields = list(question.markdown_fields())
    everything = "\n".join(text for _, text in fields)
    if not any(name in everything for name in names):
        return  # substring tests are much cheaper than the alternation below
    for where, text in fields:
        for mention in mentions(text, names):
            old = mention.old
            advice = f"use '{names[old]}'" if names[old] else "it is retired; name what replaced it"
            message = f"'{old}' is a retired product name; {advice}"
            yield file.problem(message, where, offset=mention.start)


def fix(data: Any, options: Options) -> bool:
    from qbank.fix import markdown_fields, set_text

    names: dict[str, str] = dict(options["names"])
    changed = False
    for container, key in markdown_fields(data):
        old = container[key]
        new = replace(old, names)
        if new != old:
            set_text(container, key, new)
            changed = True
    return changed


FIX = fix
