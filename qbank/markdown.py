"""Markdown, rendered once: sanitised HTML for exports, plain text for comparisons."""

from __future__ import annotations

import functools
import html
import re
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt
from markdown_it.token import Token

if TYPE_CHECKING:
    import nh3

_SPACES = re.compile(r"\s+")
_RAW_TAG = re.compile(r"<[A-Za-z!/?]")
_SCRIPT_URL = re.compile(r"(?:java|vb)script\s*:", re.IGNORECASE)
_ORDERED_ITEM = re.compile(r"\d+[.)][ \t]")
_FENCE_LINE = re.compile(r"^ {0,3}(?:`{3,}|~{3,}).*$", re.MULTILINE)
_FENCED_BLOCK = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[ \t]*$|\Z)", re.M | re.S)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)
_CODE = re.compile(
    r"^ {0,3}(?P<fence>`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}(?P=fence)[ \t]*$|\Z)"
    r"|(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`)",
    re.M | re.S,
)  # a fenced block or a code span
_HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_BLOCK_MARKER = re.compile(r"^\s{0,3}(?:#{1,6}\s|>\s?|[-*+]\s|\d+[.)]\s)", re.MULTILINE)
_EMPHASIS = re.compile(r"\*\*|__|~~|(?<!\w)[*_]|[*_](?!\w)")

# What may survive into an export: the Markdown vocabulary, tables and code, and links/images
# with safe schemes. Everything else (script, style, iframe, on* handlers…) is stripped by nh3.
ALLOWED_TAGS = frozenset(
    {"p", "br", "hr", "strong", "em", "b", "i", "u", "s", "del", "sub", "sup", "code", "pre",
     "kbd", "blockquote", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "a",
     "img", "h1", "h2", "h3", "h4", "h5", "h6", "span"}
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "code": {"class"},
    "th": {"align", "style"},
    "td": {"align", "style"},
    "ol": {"start"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


@functools.cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")


@functools.cache
def _cleaner() -> nh3.Cleaner:
    # Built once: passing the allow-lists to nh3.clean converts them on every call, which
    # cost more than the cleaning itself on a 10,000-question export.
    import nh3

    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
    )


def to_html(markdown: str) -> str:
    """Markdown to HTML that is safe to embed anywhere: rendered, then sanitised."""
    return sanitise(_parser().render(safe_source(markdown))).strip()


def sanitise(html: str) -> str:
    """HTML with everything outside the allow-lists taken out (the exports' sanitiser)."""
    return _cleaner().clean(html)


def safe_source(markdown: str) -> str:
    """The Markdown source with unsafe raw HTML and javascript: URLs taken out, for exports
    that carry the source itself. Text without tags or such URLs is returned unchanged, and so
    is code (fenced blocks, code spans): Markdown shows it as text, `<team>` included."""
    if not _RAW_TAG.search(markdown) and "javascript" not in markdown.lower():
        return markdown
    parts, last = [], 0
    for code in _CODE.finditer(markdown):
        parts += [_clean_source(markdown[last : code.start()]), code.group(0)]
        last = code.end()
    return "".join([*parts, _clean_source(markdown[last:])])


def _clean_source(markdown: str) -> str:
    if not _RAW_TAG.search(markdown) and "javascript" not in markdown.lower():
        return markdown
    # The sanitiser escapes the text it keeps; unescaping gives the Markdown back.
    cleaned = html.unescape(sanitise(markdown))
    return _SCRIPT_URL.sub("unsafe:", cleaned)  # a scheme no sanitiser lets through


def is_web_url(url: str) -> bool:
    """Whether a reference may be exported as a link (http or https only)."""
    return url.lower().startswith(("https://", "http://"))


def tokens(markdown: str) -> list[Token]:
    return _parser().parse(markdown)


def to_text(markdown: str) -> str:
    """The words a reader sees: Markdown syntax removed, whitespace folded.

    Regular expressions, not a full parse: linting calls this for every field of every
    question, and what it must get right (words, not layout) survives the shortcuts.
    """
    return _to_text(markdown)


@functools.lru_cache(maxsize=65536)
def _to_text(markdown: str) -> str:
    if not _has_syntax(markdown):  # most text has no Markdown at all
        return " ".join(markdown.split())
    text = _FENCE_LINE.sub(" ", markdown)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    pieces = _CODE_SPAN.split(text)
    # split() with one group alternates: prose, backtick run, code, prose, …
    plain = []
    for index, piece in enumerate(pieces):
        if index % 3 == 0:
            piece = _HTML_TAG.sub(" ", piece)
            piece = _BLOCK_MARKER.sub(" ", piece)
            piece = _EMPHASIS.sub("", piece)
            plain.append(piece)
        elif index % 3 == 2:
            plain.append(piece)
    return " ".join("".join(plain).split())


def prose(markdown: str) -> str:
    """Like to_text, without code: for rules about wording, where `--only` is no word."""
    if "`" not in markdown and "~~~" not in markdown:
        return _to_text(markdown)
    return _SPACES.sub(" ", _to_text(_CODE_SPAN.sub(" ", _FENCED_BLOCK.sub(" ", markdown))))


def word_count(markdown: str) -> int:
    """Words of the visible text, counted as whitespace-separated tokens."""
    return len(to_text(markdown).split())


def _has_syntax(markdown: str) -> bool:
    """Whether Markdown syntax could be present (`in` tests are far cheaper than a regex)."""
    if any(mark in markdown for mark in "`*_[]<>~#"):
        return True
    return any(
        line.lstrip()[:1] in ("-", "+") or _ORDERED_ITEM.match(line.lstrip())
        for line in markdown.splitlines()
        if line.strip()
    )


def normalize(markdown: str) -> str:
    """For equality tests: plain text, case-folded, whitespace folded, no final punctuation."""
    return to_text(markdown).casefold().rstrip(" .!?;:")


def image_sources(markdown: str) -> list[tuple[str, str]]:
    """(src, alt text) of every image in the Markdown."""
    found = []
    for token in tokens(markdown):
        for child in token.children or ():
            if child.type == "image":
                found.append((str(child.attrs.get("src", "")), child.content))
    return found
