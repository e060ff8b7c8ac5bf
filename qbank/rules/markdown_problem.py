"""The Markdown of a question has a broken image, raw HTML or an unclosed code fence.

## What it does
In the stem, options, rationales and explanation, reports:
- an image whose file does not exist next to the question (remote images are reported too:
  exports must be self-contained),
- an image without alt text,
- raw HTML, except the tags in `allowed_html` (default: br, sub, sup, kbd),
- a code fence (```` ``` ```` or `~~~`) that is never closed.

## Why it matters
Every export packages the question's images; a missing one stops the export. Alt text is
what screen readers say. Raw HTML is stripped by the exporters' sanitiser, so it silently
disappears from the question, and an unclosed fence swallows the rest of the text.

## Example
```yaml
stem: |
  Look at the chart ![](loss.png) and <font color=red>decide</font>.   # QB305 ×2
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from qbank.load.bank import QuestionFile
from qbank.markdown import image_sources, tokens
from qbank.models import Question
from qbank.problem import Problem, Severity
from qbank.rules.base import Context, Options, Scope

CODE = "QB305"
NAME = "markdown-problem"
SEVERITY = Severity.WARNING
SCOPE = Scope.QUESTION
DEFAULT = {"allowed_html": ["br", "sub", "sup", "kbd"]}

_TAG = re.compile(r"<\s*/?\s*([A-Za-z][A-Za-z0-9-]*)")
_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.MULTILINE)


def problems_in(text: str, folder: Path, allowed_html: set[str]) -> Iterator[str]:
    if "![" in text:
        for src, alt in image_sources(text):
            if not alt.strip():
                yield f"image {src} has no alt text"
            if "://" in src or src.startswith("data:"):
                yield f"image {src} is not a file next to the question"
            elif not (folder / src).is_file():
                yield f"image {src} not found next to the question"
    if "<" in text:
        for token in tokens(text):
            for part in [token, *(token.children or ())]:
                if part.type in ("html_inline", "html_block"):
                    for tag in _TAG.findall(part.content):
                        if tag.lower() not in allowed_html:
                            yield f"raw HTML <{tag}> is removed from exports"
    if ("```" in text or "~~~" in text) and _FENCE_OPEN.search(text):
        yield from _unclosed_fences(text)


def _unclosed_fences(text: str) -> Iterator[str]:
    lines = text.splitlines()
    for token in tokens(text):
        if token.type != "fence" or token.map is None:
            continue
        last = lines[token.map[1] - 1].strip() if token.map[1] - 1 < len(lines) else ""
        closed = (
            token.map[1] - token.map[0] >= 2
            and set(last) == {token.markup[0]}
            and len(last) >= len(token.markup)
        )
        if not closed:
            yield f"code fence {token.markup} opened on line {token.map[0] + 1} is never closed"


def check(
    question: Question, file: QuestionFile, options: Options, context: Context
) -> Iterator[Problem]:
    folder = Path(file.source).parent if file.source else Path(file.path).parent
    allowed_html = {tag.lower() for tag in options["allowed_html"]}
    for where, text in question.markdown_fields():
        for message in problems_in(text, folder, allowed_html):
            yield file.problem(message, where)
