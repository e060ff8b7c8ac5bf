"""Aiken: the question on a line, options `A. text` or `A) text`, then `ANSWER: A`.

Moodle's documentation asks for the question on one line; lines before the first option are
accepted and kept as separate lines. Blank lines between questions are optional.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qbank.importers.base import (
    Choice,
    Draft,
    Imported,
    block_text,
    choice_fields,
    clean_text,
    decode_text,
    malformed,
)

_OPTION = re.compile(r"^([A-Z])[.)]\s+(.*)$")
_ANSWER = re.compile(r"^ANSWER:\s*(\S*)\s*$")


@dataclass
class _Pending:
    line: int
    stem: list[str] = field(default_factory=list)
    options: list[tuple[str, str, int]] = field(default_factory=list)  # letter, text, line


def read_aiken(raw: bytes, source: str) -> Imported:
    result = Imported()
    pending: _Pending | None = None
    for number, raw_line in enumerate(decode_text(raw, source).split("\n"), start=1):
        line = raw_line.strip()
        if not line:
            continue
        if pending is None:
            if _ANSWER.match(line) or _OPTION.match(line):
                raise malformed(
                    source, number, "expected a question, found an option or ANSWER line"
                )
            pending = _Pending(number, [line])
        elif (answer := _ANSWER.match(line)) is not None:
            result.drafts.append(_draft(pending, answer.group(1), number, source))
            pending = None
        elif (option := _OPTION.match(line)) is not None:
            pending.options.append((option.group(1), option.group(2), number))
        elif pending.options:
            raise malformed(
                source, number, "expected the next option ('B. text') or 'ANSWER: <letter>'"
            )
        else:
            pending.stem.append(line)
    if pending is not None:
        raise malformed(source, pending.line, "question has no 'ANSWER: <letter>' line")
    return result


def _draft(pending: _Pending, key: str, line: int, source: str) -> Draft:
    letters = [letter for letter, _, _ in pending.options]
    if len(letters) < 2:
        raise malformed(source, pending.line, "a question needs two options or more ('A. text')")
    for (letter, _, option_line), expected in zip(
        pending.options, "ABCDEFGHIJKLMNOPQRSTUVWXYZ", strict=False
    ):
        if letter != expected:
            raise malformed(source, option_line, f"option {letter} where {expected} was expected")
    if key not in letters:
        raise malformed(
            source,
            line,
            f"ANSWER: {key or '(empty)'} is not one of the options {', '.join(letters)}",
        )
    choices = [Choice(clean_text(text), letter == key) for letter, text, _ in pending.options]
    fields = choice_fields(choices)
    fields["stem"] = block_text(clean_text("\n".join(pending.stem)))
    return Draft(line=pending.line, fields=fields)
