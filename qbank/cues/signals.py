"""Surface features of options that a test-wise reader notices: length, formatting, stem words."""

from __future__ import annotations

import functools
import re

from qbank.markdown import to_text, tokens

# Tokens that show as formatting, by the name a message uses for them.
_INLINE_KINDS = {
    "code_inline": "code",
    "strong_open": "bold",
    "em_open": "italics",
    "s_open": "strikethrough",
    "link_open": "a link",
    "image": "an image",
}
_BLOCK_KINDS = {"fence": "code", "code_block": "code"}
# Raw HTML counts only as the formatting it shows: `<body>` or `<T>` written without
# backticks is text the author meant literally, not formatting.
_HTML_KINDS = {
    "code": "code", "kbd": "code", "tt": "code", "pre": "code", "b": "bold", "strong": "bold",
    "i": "italics", "em": "italics", "s": "strikethrough", "del": "strikethrough",
    "strike": "strikethrough", "a": "a link", "img": "an image",
}  # fmt: skip
_HTML_TAG = re.compile(r"<([A-Za-z]+)")
_CODE = frozenset({"code"})
# Markup other than backticks that could format (an intraword `snake_case` cannot).
_OTHER_MARKUP = re.compile(r"\*|(?<!\w)_|_(?!\w)|\[|<[A-Za-z/]|~~|^(?: {4}|\t)", re.MULTILINE)
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
_WORD = re.compile(r"[a-z0-9][a-z0-9_.-]+[a-z0-9]")  # three characters or more
# Words that any option repeats from any stem; they say nothing about the answer.
_STOPWORDS = frozenset(
    {"the", "and", "for", "with", "that", "this", "from", "into", "your", "you", "they", "their",
     "them", "are", "was", "were", "has", "have", "had", "not", "but", "can", "will", "should",
     "would", "could", "may", "might", "must", "use", "using", "used", "which", "what", "when",
     "where", "how", "why", "who", "its", "than", "then", "there", "these", "those", "each",
     "any", "all", "one", "more", "most", "other", "such", "only", "also", "been", "being",
     "does", "did", "done", "make", "makes", "made", "need", "needs", "new"}
)  # fmt: skip


def visible_length(markdown: str) -> int:
    """Characters a reader sees: Markdown syntax removed, whitespace folded."""
    return len(to_text(markdown))


@functools.lru_cache(maxsize=16384)
def formatting(markdown: str) -> frozenset[str]:
    """The kinds of formatting the text shows: code, bold, italics, strikethrough, a link,
    an image (raw HTML too: `<code>`, `<b>`…)."""
    if not _OTHER_MARKUP.search(markdown):  # most options: plain, or code spans only
        return _CODE if "`" in markdown and _CODE_SPAN.search(markdown) else frozenset()
    kinds = set()
    for token in tokens(markdown):
        if token.type in _BLOCK_KINDS:
            kinds.add(_BLOCK_KINDS[token.type])
        for item in [token, *(token.children or ())]:
            if item.type in _INLINE_KINDS:
                kinds.add(_INLINE_KINDS[item.type])
            elif item.type in ("html_inline", "html_block"):
                kinds.update(_HTML_KINDS[t] for t in _html_tags(item.content) if t in _HTML_KINDS)
    return frozenset(kinds)


def _html_tags(html: str) -> list[str]:
    return [name.lower() for name in _HTML_TAG.findall(html)]


def content_words(markdown: str) -> frozenset[str]:
    """Distinct words of three letters or more, case-folded, without the commonest ones."""
    return frozenset(_WORD.findall(to_text(markdown).casefold())) - _STOPWORDS
