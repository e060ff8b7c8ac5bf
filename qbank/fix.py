"""Rewrite question files: `--fix` and `qbank fmt`.

Comments, key order and every untouched line stay byte-for-byte. A fix edits the changed
characters in place (qbank.inplace); `qbank fmt`, and a fix that cannot be made in place, go
through ruamel.yaml's round-trip mode. Before that we check that ruamel reproduces the file
exactly; a file it would reformat is left alone with a note.
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from qbank.inplace import CannotEdit, edit_values
from qbank.load.yamlparse import parse

QUESTION_KEYS = ("id", "domain", "type", "select", "difficulty", "status", "stem", "options",
                 "explanation", "references", "tags", "shuffle", "lint")  # fmt: skip
OPTION_KEYS = ("text", "correct", "rationale")
LINT_KEYS = ("ignore", "distinct_from")
BLOCK_KEYS = ("stem", "explanation")
_TRAILING = re.compile(r"[ \t]+$", re.MULTILINE)

Fixer = Callable[[Any], bool]


class CannotRewrite(Exception):
    """ruamel.yaml would not reproduce this file exactly; it is left as it is."""


@dataclass(frozen=True)
class Rewrite:
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


def _yaml(indent: int = 2, sequence: int = 4, offset: int = 2) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1 << 16  # never re-wrap long lines
    yaml.indent(mapping=indent, sequence=sequence, offset=offset)
    return yaml


def _dump(yaml: YAML, data: Any) -> str:
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()


# (mapping, sequence, offset) indentations tried in turn: the canonical layout first.
_INDENTS = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 4, 0), (4, 6, 4))


def _load(text: str) -> tuple[YAML, Any]:
    """Round-trip data and a dumper that reproduces `text` exactly, or CannotRewrite."""
    for indents in _INDENTS:
        yaml = _yaml(*indents)
        data = yaml.load(text)
        if not isinstance(data, CommentedMap):
            raise CannotRewrite("top level is not a mapping")
        if _dump(yaml, data) == text:
            return yaml, data
    raise CannotRewrite("ruamel.yaml would change untouched lines (unusual indentation?)")


def set_text(container: Any, key: Any, value: str) -> None:
    """Replace a string, keeping its YAML style (block, folded, quoted)."""
    old = container[key]
    container[key] = type(old)(value) if type(old) is not str else value


def markdown_fields(data: Any) -> Iterator[tuple[Any, Any]]:
    """(container, key) of every Markdown string: stem, options' text and rationale, explanation."""
    for key in ("stem", "explanation"):
        if isinstance(data.get(key), str):
            yield data, key
    options = data.get("options")
    if isinstance(options, list):
        for option in options:
            if isinstance(option, dict):
                for key in ("text", "rationale"):
                    if isinstance(option.get(key), str):
                        yield option, key


def strip_trailing_whitespace(text: str) -> str:
    return _TRAILING.sub("", text)


def apply_fixes(text: str, fixers: list[Fixer]) -> Rewrite:
    """Trailing whitespace removed, then each fixer applied to the data. The changed
    characters are edited in place, so the file keeps its scalar styles and line breaks;
    when that cannot be done, the file goes through ruamel.yaml's round trip."""
    cleaned = strip_trailing_whitespace(text)
    if not fixers:
        return Rewrite(text, cleaned)
    parsed = parse(cleaned.encode("utf-8"))
    data = copy.deepcopy(parsed.data)
    if not any([fixer(data) for fixer in fixers]):
        return Rewrite(text, cleaned)
    try:
        return Rewrite(text, edit_values(parsed, data))
    except CannotEdit:
        yaml, round_trip = _load(cleaned)
        for fixer in fixers:
            fixer(round_trip)
        return Rewrite(text, _dump(yaml, round_trip))


def format_text(text: str) -> Rewrite:
    """The canonical layout: key order of the format, `|` blocks for Markdown, 2/4/2 indents."""
    yaml = _yaml()
    data = yaml.load(strip_trailing_whitespace(text))
    if not isinstance(data, CommentedMap):
        raise CannotRewrite("top level is not a mapping")
    return Rewrite(text, _dump(yaml, canonical(data)))


def dump_canonical(data: CommentedMap) -> str:
    """New question data (e.g. an import) as `format_text` would lay it out, in one pass."""
    return _dump(_yaml(), canonical(data))


def canonical(data: CommentedMap) -> CommentedMap:
    """The data rearranged into the canonical layout; comments move along with their keys."""
    data = _ordered(data, QUESTION_KEYS)
    for key in BLOCK_KEYS:
        if isinstance(data.get(key), str):
            data[key] = LiteralScalarString(str(data[key]))
    if isinstance(data.get("options"), CommentedSeq):
        for index, option in enumerate(data["options"]):
            if isinstance(option, CommentedMap):
                data["options"][index] = _ordered(option, OPTION_KEYS)
                for key in ("text", "rationale"):
                    value = option.get(key)
                    if isinstance(value, str) and "\n" in value.rstrip("\n"):
                        data["options"][index][key] = LiteralScalarString(value)
    if isinstance(data.get("lint"), CommentedMap):
        data["lint"] = _ordered(data["lint"], LINT_KEYS)
    if isinstance(data.get("tags"), CommentedSeq):
        data["tags"].fa.set_flow_style()
    return data


def _ordered(mapping: CommentedMap, order: tuple[str, ...]) -> CommentedMap:
    """The same mapping with known keys in `order`, unknown ones after; comments move along."""
    keys = [k for k in order if k in mapping] + [k for k in mapping if k not in order]
    if keys == list(mapping):
        return mapping
    result = CommentedMap()
    result.ca.comment = mapping.ca.comment
    for key in keys:
        result[key] = mapping[key]
        if key in mapping.ca.items:
            result.ca.items[key] = mapping.ca.items[key]
    return result
