"""The Markdown has a broken image, raw HTML that exports change, or an unclosed code fence.

## What it does
In the stem, options, rationales and explanation, reports:
- an image whose file does not exist next to the question (remote images are reported too:
  exports must be self-contained),
- an image without alt text,
- raw HTML that the exports' sanitiser changes, saying what it does: a tag it drops (its
  text is kept, e.g. `<font>`, `<div>`), a tag it removes with everything inside
  (`<script>`, `<style>`), an attribute or a link it removes that changes what a reader
  sees (`style`, `dir`, `onclick`, `href="javascript:..."`; not `class`, `id`, `rel`,
  `target`, `data-*` or `aria-*`), and `<img>`, which is kept but whose file no export
  packages,
- a code fence (```` ``` ```` or `~~~`) that is never closed.

Raw HTML that exports keep as written is not reported. The exports keep these tags (the
sanitiser's allow-list, `qbank/markdown.py`): a, b, blockquote, br, code, del, em, h1, h2,
h3, h4, h5, h6, hr, i, kbd, li, ol, p, pre, s, span, strong, sub, sup, table, tbody, td,
th, thead, tr, u, ul; with the attributes a: href, title; code: class; ol: start; th and
td: align, style.

`qbank lint --fix` writes raw HTML elements as Markdown (`<b>x</b>` → `**x**`, a dropped
`<font>` → its text) where the export's HTML stays the same; other HTML is left as written.

## Why it matters
Every export packages the question's images; a missing one stops the export. Alt text is
what screen readers say. HTML the sanitiser changes looks different in every export from
what the author wrote, without a word, and an unclosed fence swallows the rest of the text.

## Example
```yaml
stem: |
  Look at the chart ![](loss.png) and <font color=red>decide</font>.   # QB305 ×3
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from qbank.load.bank import QuestionFile
from qbank.markdown import image_sources, tokens
from qbank.models import Question
from qbank.problem import Problem, Severity
from qbank.rawhtml import fate, raw_tags
from qbank.rules.base import Context, Options, Scope

CODE = "QB305"
NAME = "markdown-problem"
SEVERITY = Severity.WARNING
SCOPE = Scope.QUESTION

_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.MULTILINE)


def problems_in(text: str, folder: Path) -> Iterator[tuple[str, int]]:
    """Each problem of one Markdown text, with the offset in the text it is about."""
    if "![" in text:
        for src, alt in image_sources(text):
            where = max(0, text.find(f"]({src}"))
            if not alt.strip():
                yield f"image {src} has no alt text", where
            if "://" in src or src.startswith("data:"):
                yield f"image {src} is not a file next to the question", where
            elif not (folder / src).is_file():
                yield f"image {src} not found next to the question", where
    for tag in raw_tags(text):
        if not tag.closing and (message := fate(tag)) is not None:
            yield message, tag.start
    if ("```" in text or "~~~" in text) and _FENCE_OPEN.search(text):
        yield from _unclosed_fences(text)


def _unclosed_fences(text: str) -> Iterator[tuple[str, int]]:
    lines = text.splitlines(keepends=True)
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
            where = sum(len(line) for line in lines[: token.map[0]])
            where += len(lines[token.map[0]]) - len(lines[token.map[0]].lstrip())
            opened = f"code fence {token.markup} opened on line {token.map[0] + 1}"
            yield f"{opened} is never closed", where


def check(
    question: Question, file: QuestionFile, options: Options, context: Context
) -> Iterator[Problem]:
    folder = Path(file.source).parent if file.source else Path(file.path).parent
    for where, text in question.markdown_fields():
        for message, offset in problems_in(text, folder):
            yield file.problem(message, where, offset=offset)


def fix(data: Any, options: Options) -> bool:
    from qbank.fix import markdown_fields, set_text
    from qbank.rawhtml import to_markdown

    changed = False
    for container, key in markdown_fields(data):
        text = container[key]
        if "<" in text and (converted := to_markdown(text)) != text:
            set_text(container, key, converted)
            changed = True
    return changed


FIX = fix
