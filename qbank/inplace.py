"""Write changed values back into a YAML file by editing only the characters that changed.

A fix that rewrites "does not need" as "does **NOT** need" should change those characters
and nothing else: not the `>` block's line breaks, not a plain scalar's wrapping, not a
quote style. Each changed string is compared with its old value, and each differing piece
is replaced in the source text at the span the old characters came from (see
qbank.load.scalars), escaped for the scalar's style. The result is parsed again and must
hold exactly the new values; otherwise CannotEdit is raised and nothing is used.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from qbank.load.yamlparse import KeyPath, Parsed, YamlProblem, parse

Edit = tuple[int, int, str]  # replace text[begin:end] with the string


class CannotEdit(Exception):
    """The change cannot be made in place (the caller rewrites the file another way)."""


def edit_values(parsed: Parsed, new_data: Any) -> str:
    """The source text of `parsed` with every string that differs in `new_data` edited in
    place; `new_data` must have the same structure as `parsed.data`."""
    edits: list[Edit] = []
    for path, old, new in _changed_strings(parsed.data, new_data, ()):
        edits += _edits(parsed, path, old, new)
    text = parsed.text
    for begin, end, replacement in sorted(edits, reverse=True):
        text = text[:begin] + replacement + text[end:]
    try:
        reread = parse(text.encode("utf-8")).data
    except YamlProblem as exc:
        raise CannotEdit(exc.message) from None
    if reread != new_data:
        raise CannotEdit("the edited text does not read back as the fixed values")
    return text


def _changed_strings(old: Any, new: Any, path: KeyPath) -> Iterator[tuple[KeyPath, str, str]]:
    if isinstance(old, dict) and isinstance(new, dict) and list(old) == list(new):
        for key in old:
            yield from _changed_strings(old[key], new[key], (*path, key))
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for index, (before, after) in enumerate(zip(old, new, strict=True)):
            yield from _changed_strings(before, after, (*path, index))
    elif isinstance(old, str) and isinstance(new, str):
        if old != new:
            yield path, old, new
    elif old != new or type(old) is not type(new):
        raise CannotEdit("a fix changed more than text")


def _edits(parsed: Parsed, path: KeyPath, old: str, new: str) -> list[Edit]:
    source = parsed.source
    if path not in parsed.positions or not old:
        raise CannotEdit("no position for the changed value")
    start = source.offset(*parsed.positions[path])
    spans = source.value_spans(start, old)
    if spans is None:
        raise CannotEdit("the value's source could not be read")
    style = parsed.text[start]
    edits = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        begin = spans[i1][0] if i1 < len(spans) else spans[-1][1]
        end = spans[i2 - 1][1] if i2 > i1 else begin
        edits.append((begin, end, _escaped(new[j1:j2], style)))
    return edits


def _escaped(text: str, style: str) -> str:
    """`text` as it is written inside a scalar of this style (its first character)."""
    if style == '"':
        return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    if "\n" in text:
        raise CannotEdit("a new line break would need the block's indentation")
    return text.replace("'", "''") if style == "'" else text
