"""A safe YAML reader: events from ruamel.yaml's C parser, built into plain data with positions.

Nothing is ever constructed from a tag and no alias is ever followed: anchors, aliases and
explicit tags are refused as they are met, and nesting is bounded, so a hostile file costs no
more than reading it once.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from _ruamel_yaml import CParser
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)

from qbank.load.scalars import SourceText

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 20

KeyPath = tuple[str | int, ...]
Position = tuple[int, int]

# YAML 1.2 core schema, for plain (unquoted) scalars.
_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INT = re.compile(r"[-+]?[0-9]+\Z")
_INT_OCT = re.compile(r"0o[0-7]+\Z")
_INT_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_FLOAT_SPECIAL = {
    ".inf": float("inf"), ".Inf": float("inf"), ".INF": float("inf"),
    "+.inf": float("inf"), "+.Inf": float("inf"), "+.INF": float("inf"),
    "-.inf": float("-inf"), "-.Inf": float("-inf"), "-.INF": float("-inf"),
    ".nan": float("nan"), ".NaN": float("nan"), ".NAN": float("nan"),
}  # fmt: skip
# C0 and C1 control characters other than tab, line feed, carriage return and NEL.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x84\x86-\x9f]")


class YamlProblem(Exception):
    """A file that cannot be read as safe YAML. `code` is QB001 (syntax) or QB002 (unsafe)."""

    def __init__(self, code: str, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line
        self.col = col


@dataclass
class Parsed:
    """Plain data (dict, list, str, int, float, bool, None) and where each node starts."""

    data: dict[str, Any]
    positions: dict[KeyPath, Position] = field(default_factory=dict)
    key_positions: dict[KeyPath, Position] = field(default_factory=dict)
    text: str = field(default="", repr=False)  # the decoded source
    located: bool = True  # False: parsed without positions (see `located_again`)

    def located_again(self) -> Parsed:
        """This parse with the positions of its nodes (parsed again if it was built without)."""
        return self if self.located else _Builder(self.text).build()

    @functools.cached_property
    def source(self) -> SourceText:
        return SourceText(self.text)

    def within(self, at: KeyPath, offset: int) -> Position | None:
        """Where character `offset` of the text at `at` stands in the file (inside a block,
        folded or quoted scalar too); None when that cannot be told."""
        value: Any = self.data
        for part in at:
            try:
                value = value[part]
            except (KeyError, IndexError, TypeError):
                return None
        if not isinstance(value, str) or at not in self.positions or not 0 <= offset < len(value):
            return None
        start = self.source.offset(*self.positions[at])
        spans = self.source.value_spans(start, value[: offset + 1])
        return self.source.position(spans[-1][0]) if spans else None


def decode(raw: bytes) -> str:
    """Strict UTF-8 (a byte-order mark is allowed), with no control characters."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _byte_position(raw, exc.start)
        raise YamlProblem(
            "QB001", f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})", line, col
        ) from None
    match = _CONTROL.search(text)
    if match:
        line, col = _text_position(text, match.start())
        name = "NUL" if match.group() == "\x00" else f"U+{ord(match.group()):04X}"
        raise YamlProblem("QB001", f"control character {name} is not allowed", line, col)
    return text


def parse(raw: bytes, located: bool = True) -> Parsed:
    """Parse one YAML document whose top level is a mapping; raise YamlProblem otherwise.

    With located=False the nodes' positions are not recorded (a quarter of the parse): the
    loader's workers locate a file's nodes only when a problem needs them."""
    if len(raw) > MAX_BYTES:
        raise YamlProblem("QB002", f"file is larger than {MAX_BYTES // 1024} KiB; not parsed")
    text = decode(raw)
    if not text.strip():
        raise YamlProblem("QB001", "file is empty")
    if not located:
        try:
            return Parsed(_plain_data(text), text=text, located=False)
        except (YAMLError, _Unusual):
            pass  # the located build says what is wrong, and where
    try:
        return _Builder(text).build()
    except MarkedYAMLError as exc:
        unclosed = _unclosed(exc)
        if unclosed is not None:
            raise unclosed from None
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        raise YamlProblem("QB001", _describe(exc, text, mark), line, col) from None
    except YAMLError as exc:  # the C parser reports some errors without a mark
        raise YamlProblem("QB001", str(exc).strip().splitlines()[0]) from None


# Constructs the parser reports where it gives up (often the end of the file), when the
# mistake is where they open: an unclosed quote or bracket.
_OPENERS = {
    "while scanning a quoted scalar": "quoted text",
    "while parsing a flow sequence": "'['",
    "while parsing a flow mapping": "'{'",
}


def _unclosed(exc: MarkedYAMLError) -> YamlProblem | None:
    """A problem located where the unclosed quote or bracket opens, or None."""
    opener = _OPENERS.get((exc.context or "").strip())
    problem = (exc.problem or "").strip()
    start, end = exc.context_mark, exc.problem_mark
    if opener is None or start is None or end is None:
        return None
    if opener == "quoted text":
        if "end of stream" not in problem and "document" not in problem:
            return None  # e.g. an unknown escape: located where it is
        message = "quoted text opened here is never closed (the file ends first)"
    else:
        message = (
            f"{opener} opened here is never closed: {problem} at line {end.line + 1}, "
            f"column {end.column + 1}"
        )
    return YamlProblem("QB001", message, start.line + 1, start.column + 1)


def _describe(exc: MarkedYAMLError, text: str, mark: Any) -> str:
    problem = (exc.problem or "invalid YAML").strip()
    if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
        return "tab character where indentation is expected (indent with spaces)"
    context = f"{exc.context.strip()}: " if exc.context else ""
    return f"{context}{problem}"


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n", line + 1)
    return lines[line][column : column + 1] if line < len(lines) else ""


def _byte_position(raw: bytes, offset: int) -> Position:
    before = raw[:offset]
    return before.count(b"\n") + 1, offset - (before.rfind(b"\n") + 1) + 1


def _text_position(text: str, offset: int) -> Position:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _resolve_plain(value: str) -> Any:
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    first = value[0]
    if first.isdigit() or first in "-+.":
        if _INT.match(value):
            return int(value)
        if _INT_OCT.match(value):
            return int(value[2:], 8)
        if _INT_HEX.match(value):
            return int(value[2:], 16)
        if _FLOAT.match(value):
            return float(value)
        if value in _FLOAT_SPECIAL:
            return _FLOAT_SPECIAL[value]
    return value


def _start(event: Any) -> Position:
    mark = event.start_mark
    return mark.line + 1, mark.column + 1


class _Unusual(Exception):
    """Raised by _plain_data at anything _Builder would refuse or must locate."""


def _plain_data(text: str) -> dict[str, Any]:
    """What _Builder(text).build().data is, for a file _Builder accepts; _Unusual otherwise.
    The same refusals (anchors, aliases, tags, depth, complex or duplicate keys, several
    documents), without recording positions."""
    parser = CParser(text)
    root: Any = None
    stack: list[list[Any]] = []  # [container, pending mapping key or _NO_KEY]
    documents = 0
    while True:
        event = parser.get_event()
        kind = event.__class__
        if kind is ScalarEvent or kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.anchor is not None or event.ctag is not None:
                raise _Unusual
            top = stack[-1] if stack else None
            if kind is ScalarEvent:
                if top is not None and top[1] is _NO_KEY and top[0].__class__ is dict:
                    top[1] = event.value
                    continue
                value: Any = _resolve_plain(event.value) if event.implicit[0] else event.value
            else:
                if top is not None and top[1] is _NO_KEY and top[0].__class__ is dict:
                    raise _Unusual  # a mapping or list used as a key
                if len(stack) >= MAX_DEPTH:
                    raise _Unusual
                value = {} if kind is MappingStartEvent else []
            if top is None:
                root = value
            elif top[0].__class__ is dict:
                if top[1] in top[0]:
                    raise _Unusual  # a duplicate key
                top[0][top[1]] = value
                top[1] = _NO_KEY
            else:
                top[0].append(value)
            if kind is not ScalarEvent:
                stack.append([value, _NO_KEY])
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            stack.pop()
        elif kind is DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _Unusual
        elif kind is StreamEndEvent:
            break
        elif kind is not StreamStartEvent and kind is not DocumentEndEvent:
            raise _Unusual  # an alias, or an event no YAML file should give
    if not isinstance(root, dict):
        raise _Unusual
    return root


class _Builder:
    def __init__(self, text: str) -> None:
        self.text = text
        self.parser = CParser(text)
        self.positions: dict[KeyPath, Position] = {}
        self.key_positions: dict[KeyPath, Position] = {}

    def build(self) -> Parsed:
        parser = self.parser
        root: Any = None
        # Each frame: [container, key path, pending mapping key or _NO_KEY, key position]
        stack: list[list[Any]] = []
        documents = 0
        while True:
            event = parser.get_event()
            kind = event.__class__
            if kind is ScalarEvent or kind is MappingStartEvent or kind is SequenceStartEvent:
                self._refuse_unsafe(event)
                if kind is ScalarEvent:
                    if stack and stack[-1][2] is _NO_KEY and isinstance(stack[-1][0], dict):
                        stack[-1][2] = event.value  # a mapping key: kept as its text
                        stack[-1][3] = _start(event)
                        continue
                    value: Any = _resolve_plain(event.value) if event.implicit[0] else event.value
                    self._attach(stack, value, event)
                    if not stack:
                        root = value
                    continue
                if stack and stack[-1][2] is _NO_KEY and isinstance(stack[-1][0], dict):
                    raise YamlProblem(
                        "QB001", "a mapping or list used as a key is not supported", *_start(event)
                    )
                if len(stack) >= MAX_DEPTH:
                    raise YamlProblem(
                        "QB002", f"nesting deeper than {MAX_DEPTH} levels", *_start(event)
                    )
                container: Any = {} if kind is MappingStartEvent else []
                path = self._attach(stack, container, event)
                if not stack:
                    root = container
                stack.append([container, path, _NO_KEY, None])
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                stack.pop()
            elif kind is AliasEvent:
                raise YamlProblem("QB002", f"alias *{event.anchor} is not allowed", *_start(event))
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise YamlProblem(
                        "QB001", "more than one YAML document in the file", *_start(event)
                    )
            elif kind is StreamEndEvent:
                break
            elif kind is not StreamStartEvent and kind is not DocumentEndEvent:
                raise YamlProblem("QB001", f"unexpected YAML event {kind.__name__}")
        if not isinstance(root, dict):
            found = "empty" if root is None else type(root).__name__
            raise YamlProblem("QB001", f"top level must be a mapping, found {found}")
        return Parsed(root, self.positions, self.key_positions, self.text)

    @staticmethod
    def _refuse_unsafe(event: Any) -> None:
        if event.anchor is not None:
            raise YamlProblem("QB002", f"anchor &{event.anchor} is not allowed", *_start(event))
        if event.ctag is not None:
            tag = str(event.ctag).replace("tag:yaml.org,2002:", "!!", 1)
            raise YamlProblem("QB002", f"explicit tag {tag} is not allowed", *_start(event))

    def _attach(self, stack: list[list[Any]], value: Any, event: Any) -> KeyPath:
        if not stack:
            path: KeyPath = ()
        else:
            frame = stack[-1]
            container = frame[0]
            if isinstance(container, dict):
                key = frame[2]
                path = (*frame[1], key)
                if key in container:
                    first = self.key_positions[path]
                    raise YamlProblem(
                        "QB001",
                        f"duplicate key '{key}' (first defined at line {first[0]})",
                        *frame[3],
                    )
                container[key] = value
                self.key_positions[path] = frame[3]
                frame[2] = _NO_KEY
            else:
                path = (*frame[1], len(container))
                container.append(value)
        self.positions[path] = _start(event)
        return path


_NO_KEY: Any = object()
