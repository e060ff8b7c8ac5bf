"""XML exports built fast, still entirely by lxml: subtrees built once and copied, documents
serialized one part at a time (so that the parts can be built on every core).

Building a tree element by element costs a few microseconds per element and attribute, and a
10,000-question export builds about a million; copying a finished subtree costs a fraction of
that. Serializing is the same work whether the tree is whole or cut into parts.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from typing import TypeVar, cast

from lxml import etree

Build = TypeVar("Build", bound=Callable[..., etree._Element])

# Stands in a container while its parts are serialized; never part of a document written.
_MARKER = "qbank-part"
# A Mould's placeholder for the value `name` is \ue000name\ue001 (private-use characters,
# which no question text that reaches an export holds; a value holding them is refused).
_PLACEHOLDER = re.compile("\ue000([^\ue001]*)\ue001")


def stamped(build: Build) -> Build:
    """`build` run once per distinct (hashable) arguments; each call returns a new copy of
    that tree, to add to and change as if it had just been built."""
    cached = functools.lru_cache(maxsize=4096)(build)

    @functools.wraps(build)
    def fresh_copy(*args: Hashable) -> etree._Element:
        return copy.deepcopy(cached(*args))

    return cast(Build, fresh_copy)


class Mould:
    """A tree built once with a placeholder for each value that differs from one use to the
    next, then copied and filled for each use: for trees built thousands of times with the
    same shape, copying and filling costs a fraction of building element by element.

    `build(placeholders)` builds the tree from the values it is given, as they are (values
    derived from them, like f"{ident}-A", are filled in as derived); `filled(values)` lends
    the mould's own tree, filled, as `build(values)` would have built it: to serialize before
    the block ends (every value is set anew on each use, so nothing of the last use is left;
    not copying the tree saves a third of the time). A text that is one value alone may be
    given as etree.CDATA. Values are put in as they are, never searched for placeholders.
    """

    def __init__(self, build: Callable[[Mapping[str, str]], etree._Element], names: Sequence[str]):
        self._tree = build({name: f"\ue000{name}\ue001" for name in names})
        self._lent = False
        # (position of the element in document order, attribute or None for its text, the
        # template: literal text and value names alternating)
        self._slots: list[tuple[int, str | None, list[str]]] = []
        for position, element in enumerate(self._tree.iter()):
            if element.tail and _PLACEHOLDER.search(element.tail):
                raise ValueError("a Mould fills texts and attribute values, not tails")
            for attribute, value in element.attrib.items():
                if _PLACEHOLDER.search(value):
                    self._slots.append((position, attribute, _PLACEHOLDER.split(value)))
            if element.text and _PLACEHOLDER.search(element.text):
                self._slots.append((position, None, _PLACEHOLDER.split(element.text)))
        self._elements = list(self._tree.iter())

    @contextlib.contextmanager
    def filled(self, values: Mapping[str, str | etree.CDATA]) -> Iterator[etree._Element]:
        if self._lent:
            raise RuntimeError("the mould's tree is lent already")
        self._lent = True
        try:
            self._fill(values)
            yield self._tree
        finally:
            self._lent = False

    def _fill(self, values: Mapping[str, str | etree.CDATA]) -> None:
        elements = self._elements
        for position, attribute, template in self._slots:
            if len(template) == 3 and not template[0] and not template[2]:
                value = values[template[1]]  # the value alone: str, or CDATA for a text
            else:
                value = "".join(
                    _text(values[part]) if odd else part for odd, part in _alternating(template)
                )
            if attribute is None:
                elements[position].text = value
            else:
                elements[position].set(attribute, _text(value))


def _text(value: str | etree.CDATA) -> str:
    if not isinstance(value, str):
        raise TypeError("only a text that is one value alone can be CDATA")
    return value


def _alternating(parts: list[str]) -> Iterable[tuple[bool, str]]:
    return ((index % 2 == 1, part) for index, part in enumerate(parts))


def xml_bytes(root: etree._Element) -> bytes:
    """The document as every XML export writes it: declared UTF-8, indented."""
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


class PartedDocument:
    """A document whose container element holds many parts, serialized part by part.

    `part(add)` is what the serializer writes for the elements `add` appends to the container,
    cut out of the whole document at element boundaries; `document(parts)` is then exactly
    `xml_bytes(root)` of the tree with every part in the container, in that order. This holds
    because lxml indents an element by its depth alone, which is the same in both trees. The
    parts can therefore be built and serialized in forked workers (`ordered_map`).
    """

    def __init__(self, root: etree._Element, container: etree._Element) -> None:
        if len(container) or container.text:
            raise ValueError("the container of a PartedDocument must start empty")
        self._root = root
        self._container = container
        etree.SubElement(container, _MARKER)
        whole = xml_bytes(root)
        start = whole.index(f"<{_MARKER}".encode())
        end = whole.index(b"/>", start) + 2
        self._head, self._marker, self._tail = whole[:start], whole[:end], whole[end:]
        # What the serializer writes before each part: a line break and the indentation.
        self._gap = self._head[self._head.rindex(b"\n") :]

    def part(self, add: Callable[[etree._Element], object]) -> bytes:
        """The serialized elements that `add(container)` appends (with the gap before each)."""
        add(self._container)
        try:
            whole = xml_bytes(self._root)
        finally:
            del self._container[1:]  # everything after the marker
        if not (whole.startswith(self._marker) and whole.endswith(self._tail)):
            raise AssertionError("a part changed the document around its container")
        return whole[len(self._marker) : len(whole) - len(self._tail)]

    def document(self, parts: Iterable[bytes]) -> bytes:
        """The whole document, with these parts in the container in this order."""
        return b"".join(self.chunks(parts))

    def chunks(self, parts: Iterable[bytes]) -> Iterator[bytes]:
        """`document(parts)` in pieces, each part passed on as soon as it comes."""
        parts = iter(parts)
        first = next(parts, None)
        if first is None:
            del self._container[:]
            yield xml_bytes(self._root)
            return
        assert first.startswith(self._gap), "parts come from part()"
        yield self._head
        yield first[len(self._gap) :]
        yield from parts
        yield self._tail
