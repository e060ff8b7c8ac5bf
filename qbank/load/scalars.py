"""Where each character of a scalar's value stands in the file.

YAML changes text on its way into a value: a `|` block drops the indentation, a `>` block
and plain or quoted text spanning lines fold line breaks into spaces, quoted text has
escapes. To point at a word inside a value (a problem's line and column, or the bytes a fix
replaces) the source is read again from the node's start and aligned with the value: each
character of the value gets the span of source text it comes from.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

Span = tuple[int, int]  # [begin, end) in the source text

_BREAK = re.compile(r"\r\n|\r|\n")
_WHITESPACE = frozenset(" \t\r\n")
_SIMPLE_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n",
                   "v": "\v", "f": "\f", "r": "\r", "e": "\x1b", " ": " ", '"': '"',
                   "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0", "L": "\u2028",
                   "P": "\u2029"}  # fmt: skip
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}


@dataclass(frozen=True)
class _Unit:
    """A piece of source text and what it puts in the value (None: folded whitespace)."""

    produced: str | None
    begin: int
    end: int


class SourceText:
    """A file's text with its line starts, to turn (line, column) into offsets and back."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0, *(m.end() for m in _BREAK.finditer(text))]

    def offset(self, line: int, col: int) -> int:
        return self.starts[line - 1] + col - 1

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def value_spans(self, start: int, value: str) -> list[Span] | None:
        """For each character of `value`, the source span it comes from, reading the scalar
        that starts at offset `start`; None when the source does not read as that value."""
        units = _units(self.text, start)
        spans: list[Span] = []
        index = 0
        unit = next(units, None)
        while index < len(value):
            if value[index] in _WHITESPACE:
                run_end = index
                while run_end < len(value) and value[run_end] in _WHITESPACE:
                    run_end += 1
                begin = end = unit.begin if unit is not None else len(self.text)
                while unit is not None and (not unit.produced or unit.produced in _WHITESPACE):
                    end = unit.end
                    unit = next(units, None)
                spans += [(begin, end)] + [(end, end)] * (run_end - index - 1)
                index = run_end
                continue
            while unit is not None and not unit.produced:  # indentation, escaped breaks
                unit = next(units, None)
            if unit is None or unit.produced != value[index]:
                return None
            spans.append((unit.begin, unit.end))
            index += 1
            unit = next(units, None)
        return spans


def _units(text: str, start: int) -> Iterator[_Unit]:
    """The source of the scalar at `start`, unit by unit (a generator: it is read only as far
    as the value goes)."""
    style = text[start : start + 1]
    if style in ("|", ">"):
        header_end = _BREAK.search(text, start)
        position = header_end.end() if header_end else len(text)
    else:
        position = start + 1 if style in ("'", '"') else start
    while position < len(text):
        char = text[position]
        if char in _WHITESPACE:
            yield _Unit(None, position, position + 1)
            position += 1
        elif style == "'" and text.startswith("''", position):
            yield _Unit("'", position, position + 2)
            position += 2
        elif style == '"' and char == "\\":
            produced, length = _escape(text, position)
            yield _Unit(produced, position, position + length)
            position += length
        else:
            yield _Unit(char, position, position + 1)
            position += 1


def _escape(text: str, position: int) -> tuple[str, int]:
    """What the escape at `position` (a backslash in double-quoted text) produces, and its
    length. An escaped line break produces nothing."""
    following = text[position + 1 : position + 2]
    if following in ("\r", "\n"):
        return "", 2 + text.startswith("\r\n", position + 1)
    if following in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[following], 2
    digits = _HEX_ESCAPES.get(following, 0)
    code = text[position + 2 : position + 2 + digits]
    if digits and len(code) == digits:
        try:
            return chr(int(code, 16)), 2 + digits
        except ValueError:
            pass
    return "\\", 1
