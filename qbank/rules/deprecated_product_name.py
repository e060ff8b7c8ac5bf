"""A retired product name appears in the question.

## What it does
Looks for retired product names in the stem, options, rationales and explanation, using the
map `names` (old name → current name; an empty replacement means "retired, no direct
successor"). Longer names are matched first, whole words only, case as written.

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


def replace(text: str, names: dict[str, str]) -> str:
    """Every retired name that has a successor, replaced by it."""
    if not names:
        return text  # an empty alternation would match everywhere
    return _pattern(tuple(names)).sub(lambda m: names[m.group()] or m.group(), text)


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
    pattern = _pattern(tuple(names))
    for where, text in fields:
        for match in pattern.finditer(text):
            old = match.group()
            advice = f"use '{names[old]}'" if names[old] else "it is retired; name what replaced it"
            yield file.problem(f"'{old}' is a retired product name; {advice}", where)


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
