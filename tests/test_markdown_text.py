"""qbank.markdown's plain-text shortcut: text without Markdown syntax skips the rewriting."""

from __future__ import annotations

import random
import re

from qbank.markdown import _has_syntax, to_text

_ORDERED_ITEM = re.compile(r"\d+[.)][ \t]")


def _line_by_line(markdown: str) -> bool:
    """The definition the one-regex check implements: a marker character anywhere, or a line
    (as str.splitlines cuts them) whose first visible character starts a list item."""
    if any(mark in markdown for mark in "`*_[]<>~#"):
        return True
    return any(
        line.lstrip()[:1] in ("-", "+") or _ORDERED_ITEM.match(line.lstrip())
        for line in markdown.splitlines()
    )


def test_the_syntax_check_agrees_with_its_line_by_line_definition() -> None:
    rng = random.Random(7)
    alphabet = "ab -+1.)\n\t \r#*\x0b\x0c\x1c\x85\u2028\u2029\u00a0"
    texts = ["- a", "x\r+ y", "x\u2028- y", "3) x", "1.\tz", "12.x", "plain words only"]
    texts += [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14))) for _ in range(50_000)
    ]
    assert [t for t in texts if _has_syntax(t) != _line_by_line(t)] == []


def test_list_markers_are_syntax_and_plain_text_is_folded() -> None:
    assert to_text("Pick one:\n- first\n  2. second") == "Pick one: first second"
    assert to_text("Plain text, no markup.\n  Two lines.") == "Plain text, no markup. Two lines."
