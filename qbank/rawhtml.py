"""Raw HTML in Markdown: where each tag is, what the exports' sanitiser does with it, and
the same text in Markdown where the export would show exactly the same.

What happens to a tag is read from the sanitiser's own allow-list (qbank.markdown) and, for
a tag it does not allow, from the sanitiser itself (whether it keeps the tag's text).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from qbank.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES, sanitise, to_html, tokens

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(\s[^<>]*)?>")
_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):")
_URL_ATTRIBUTES = ("href", "src")
VOID = frozenset({"br", "hr", "img", "wbr", "input", "meta", "link", "area", "col", "source"})
_PROBE = "qbank-probe-text"


@dataclass(frozen=True)
class RawTag:
    start: int  # offset of '<' in the Markdown text
    end: int
    name: str  # lower case
    closing: bool
    attributes: tuple[tuple[str, str], ...]
    written: str  # the tag as written

    @property
    def self_contained(self) -> bool:
        return self.name in VOID or self.written.endswith("/>")


def raw_tags(markdown: str) -> list[RawTag]:
    """The tags of the raw HTML (not of code spans or blocks) in the text, in order."""
    if "<" not in markdown:
        return []
    expected = [
        match.group()
        for token in tokens(markdown)
        for part in (token, *(token.children or ()))
        if part.type in ("html_inline", "html_block")
        for match in _TAG.finditer(part.content)
    ]
    found: list[RawTag] = []
    for match in _TAG.finditer(markdown):
        if len(found) < len(expected) and match.group() == expected[len(found)]:
            name = match.group(2).lower()
            attributes = () if match.group(1) else _attributes(match.group())
            found.append(
                RawTag(match.start(), match.end(), name, bool(match.group(1)), attributes,
                       match.group())
            )  # fmt: skip
    return found


def fate(tag: RawTag) -> str | None:
    """What an export does with an opening tag, when it changes anything; None when the tag
    and its attributes are kept as written."""
    name = tag.name
    if name not in ALLOWED_TAGS:
        if _keeps_text(name):
            return f"raw HTML <{name}> is dropped from exports; its text is kept"
        return f"raw HTML <{name}> is removed from exports with everything inside it"
    if name == "img":
        return (
            "raw HTML <img> is not packaged with exports (only Markdown images are); write "
            "![alt text](file) with the file next to the question"
        )
    allowed = ALLOWED_ATTRIBUTES.get(name, set())
    dropped = [key for key, _ in tag.attributes if key not in allowed and _shows(key)]
    unsafe = [
        f"{key}={value!r}"
        for key, value in tag.attributes
        if key in allowed and key in _URL_ATTRIBUTES and _unsafe_url(value)
    ]
    if not dropped and not unsafe:
        return None
    removed = ", ".join([*dropped, *unsafe])
    return f"raw HTML <{name}> is kept in exports, but its {removed} is removed"


def to_markdown(markdown: str) -> str:
    """The text with each raw HTML element written in Markdown, where the export's HTML
    stays the same (up to <b>/<strong>, <i>/<em> and whitespace); other elements are left."""
    elements = _elements(raw_tags(markdown))
    if not elements:
        return markdown
    original = _visible(to_html(markdown))
    everything = markdown
    for start, end in reversed(elements):
        everything = _splice(everything, start, end, _converted(markdown[start:end]))
    if _visible(to_html(everything)) == original:
        return everything  # the usual case: one comparison for the whole text
    text = markdown
    for start, end in reversed(elements):
        candidate = _splice(text, start, end, _converted(markdown[start:end]))
        if _visible(to_html(candidate)) == original:
            text = candidate
    return text


@functools.lru_cache(maxsize=1024)
def _converted(html: str) -> str:
    from markdownify import markdownify

    return markdownify(
        html, heading_style="ATX", bullets="-", escape_asterisks=False,
        escape_underscores=False, escape_misc=False, newline_style="BACKSLASH",
        strip_document=None,
    )  # fmt: skip


def _elements(tags: list[RawTag]) -> list[tuple[int, int]]:
    """The outermost elements: an opening tag to its closing tag, or a void tag alone."""
    spans: list[tuple[int, int]] = []
    open_tags: list[RawTag] = []
    for tag in tags:
        if not tag.closing and tag.self_contained:
            if not open_tags:
                spans.append((tag.start, tag.end))
        elif not tag.closing:
            open_tags.append(tag)
        elif open_tags and open_tags[-1].name == tag.name:
            opening = open_tags.pop()
            if not open_tags:
                spans.append((opening.start, tag.end))
        else:
            return spans  # tags that do not nest: leave the rest as written
    return spans


def _splice(text: str, start: int, end: int, converted: str) -> str:
    """`converted` in place of text[start:end]; a block's surrounding line breaks become one
    blank line (none at the start or end of the text)."""
    before, after = text[:start], text[end:]
    if converted.startswith("\n") and before.strip():
        before = before.rstrip("\n") + "\n\n"
    if converted.endswith("\n") and after.strip():
        after = "\n\n" + after.lstrip("\n")
    return before + converted.strip("\n") + after


_SAME_TAG = {"b": "strong", "i": "em", "s": "del", "strike": "del"}


def _visible(html: str) -> str:
    """HTML as a reader sees it: <b> and <strong> alike, whitespace between tags ignored."""
    html = re.sub(r"<(/?)(b|i|s|strike)>", lambda m: f"<{m[1]}{_SAME_TAG[m[2]]}>", html)
    html = re.sub(r"(<br>)\s+", r"\1", html)
    html = re.sub(r">\s+<", "><", html)
    return " ".join(html.split())


@functools.lru_cache(maxsize=256)
def _keeps_text(name: str) -> bool:
    """Whether the sanitiser keeps the text inside a tag it does not allow."""
    return _PROBE in sanitise(f"<{name}>{_PROBE}</{name}>")


# Attributes whose loss changes nothing a reader sees: hooks for scripts and style sheets,
# and `rel`, which the sanitiser sets itself on every link.
_UNSEEN = frozenset({"class", "id", "rel", "target", "lang", "role", "tabindex", "translate"})


def _shows(attribute: str) -> bool:
    return attribute not in _UNSEEN and not attribute.startswith(("data-", "aria-"))


def _unsafe_url(value: str) -> bool:
    scheme = _SCHEME.match(value)
    return scheme is not None and scheme.group(1).lower() not in URL_SCHEMES


class _AttributeReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes = [(key.lower(), value or "") for key, value in attrs]


def _attributes(tag_text: str) -> tuple[tuple[str, str], ...]:
    reader = _AttributeReader()
    reader.feed(tag_text)
    reader.close()
    return tuple(reader.attributes)
