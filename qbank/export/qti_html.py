"""Sanitised HTML → the XHTML subset that QTI 2.1 allows inside items and their feedback.

The input is what `qbank.markdown.to_html` produced, so only its allow-list can occur. QTI has
most of those tags but fewer attributes, no u/s/del, tables that need a tbody, and containers
(itemBody, blockquote) that hold blocks only.
"""

from __future__ import annotations

import re
from typing import TypeAlias

from lxml import etree

QTI_NS = "http://www.imsglobal.org/xsd/imsqti_v2p1"
# lxml.html's parser without its element classes: the same tree, several times faster to build
# and walk (lxml.html looks up a Python class for every element it hands out).
_HTML_PARSER = etree.HTMLParser()

Node: TypeAlias = str | etree._Element

_HEADINGS = {f"h{level}" for level in range(1, 7)}
_BLOCKS = {"p", "pre", "blockquote", "ul", "ol", "table", "hr", "div", "dl", *_HEADINGS}
_SAME = _BLOCKS | {
    "br", "strong", "em", "b", "i", "sub", "sup", "code", "kbd", "li", "thead", "tbody", "tr",
    "th", "td", "span", "a", "img",
}  # fmt: skip
_AS_SPAN = {"u", "s", "del"}  # not in QTI: kept as a span whose class says what it was
_ATTRIBUTES = {"a": ("href",), "img": ("src", "alt", "width", "height")}
_LENGTH = re.compile(r"[0-9]+%?\Z")


def qti(tag: str) -> str:
    return f"{{{QTI_NS}}}{tag}"


def flow(html: str) -> list[Node]:
    """Content for containers that take text, inline and block content alike."""
    if not html.strip():
        return []
    if _is_plain_paragraph(html):
        # Most fragments are one paragraph of plain text: what parsing would give, directly.
        paragraph = etree.Element(qti("p"))
        paragraph.text = html[3:-4]
        return [paragraph]
    return _content(_fragment(html))


def _is_plain_paragraph(html: str) -> bool:
    """`<p>text</p>` whose text has no markup and no character references."""
    return (
        html.startswith("<p>")
        and html.endswith("</p>")
        and html.count("<") == 2
        and "&" not in html
    )


def _fragment(html: str) -> etree._Element:
    """The HTML's body, parsed as `lxml.html.fragment_fromstring(html, create_parent=True)`
    parses it (whitespace before the first element is dropped, as there)."""
    body = etree.fromstring(f"<html><body>{html}</body></html>", _HTML_PARSER).find("body")
    assert body is not None, "the HTML parser always makes a body"
    if body.text is not None and not body.text.strip():
        body.text = None
    return body


def blocks(html: str) -> list[Node]:
    """Content for containers that take blocks only: loose text and inline runs go into a <p>."""
    return _wrap_runs(flow(html), keep=_BLOCKS, wrapper="p")


def fill(parent: etree._Element, nodes: list[Node]) -> etree._Element:
    """Append text and elements to `parent` in order."""
    last: etree._Element | None = None
    for node in nodes:
        if isinstance(node, str):
            if last is None:
                parent.text = (parent.text or "") + node
            else:
                last.tail = (last.tail or "") + node
        else:
            parent.append(node)
            last = node
    return parent


def _content(source: etree._Element) -> list[Node]:
    nodes: list[Node] = [source.text] if source.text else []
    for child in source:
        if isinstance(child.tag, str):  # comments and processing instructions are dropped
            nodes.extend(_element(child))
        if child.tail:
            nodes.append(child.tail)
    return nodes


def _element(source: etree._Element) -> list[Node]:
    tag = str(source.tag).lower()
    children = _content(source)
    if tag == "a" and not source.get("href"):
        tag = "span"
    if tag not in _SAME and tag not in _AS_SPAN:
        return children  # cannot happen after sanitising; keep the words, drop the tag
    element = etree.Element(qti("span" if tag in _AS_SPAN else tag))
    _copy_attributes(source, element, tag)
    if tag == "blockquote":
        children = _wrap_runs(children, keep=_BLOCKS, wrapper="p")
    elif tag in ("ul", "ol"):
        children = _wrap_runs(children, keep={"li"}, wrapper="li")
    fill(element, children)
    if tag == "table":
        _ensure_tbody(element)
    return [element]


def _copy_attributes(source: etree._Element, element: etree._Element, tag: str) -> None:
    classes = [source.get("class", "")] + ([tag] if tag in _AS_SPAN else [])
    if " ".join(classes).strip():
        element.set("class", " ".join(classes).strip())
    for name in _ATTRIBUTES.get(tag, ()):
        value = source.get(name)
        if value is not None and (name not in ("width", "height") or _LENGTH.match(value)):
            element.set(name, value)
    if tag == "img" and element.get("alt") is None:
        element.set("alt", "")


def _ensure_tbody(table: etree._Element) -> None:
    """QTI tables need a tbody; a header-only table gets its rows there."""
    if table.find(qti("tbody")) is None:
        head = table.find(qti("thead"))
        if head is not None:
            head.tag = qti("tbody")


def _wrap_runs(nodes: list[Node], keep: set[str], wrapper: str) -> list[Node]:
    """Each run of nodes other than `keep` elements goes into one `wrapper` element."""
    result: list[Node] = []
    run: list[Node] = []

    def close_run() -> None:
        if any(not isinstance(n, str) or n.strip() for n in run):
            result.append(fill(etree.Element(qti(wrapper)), list(run)))
        else:
            result.extend(run)  # whitespace between blocks stays as it is
        run.clear()

    for node in nodes:
        if not isinstance(node, str) and etree.QName(node).localname in keep:
            close_run()
            result.append(node)
        else:
            run.append(node)
    close_run()
    return result
