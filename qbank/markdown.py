"""Markdown, rendered once: sanitised HTML for exports, plain text for comparisons."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt
from markdown_it.token import Token

if TYPE_CHECKING:
    import nh3

_SPACES = re.compile(r"\s+")

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
    return _cleaner().clean(_parser().render(markdown)).strip()


def tokens(markdown: str) -> list[Token]:
    return _parser().parse(markdown)


def to_text(markdown: str) -> str:
    """The words a reader sees: Markdown syntax removed, whitespace folded."""
    parts: list[str] = []
    for token in tokens(markdown):
        if token.type == "inline" and token.children:
            for child in token.children:
                if child.type in ("text", "code_inline", "image"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
        elif token.type in ("code_block", "fence"):
            parts.append(token.content)
        parts.append(" ")
    return _SPACES.sub(" ", "".join(parts)).strip()


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
