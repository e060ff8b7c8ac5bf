"""What every importer returns: draft questions in the question-file format, and what it skipped.

An importer turns one input file into drafts. A draft holds the question-file fields the
source gave (`fields`), the hints the shared code turns into an id and a domain, images to
write next to the question, and `unplaced`: everything the format has no field for, which the
writer keeps in the file as comments so that nothing is lost.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from qbank.errors import QbankError

# C0 and C1 control characters a question file may not hold (tab and newline are kept).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x84\x86-\x9f]")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Asset:
    """A file (an image) the question shows, written next to the question file.

    With a `token`, the Markdown refers to the asset by that token and the file is written as
    `<question id>-<name>`; without one, `name` is already the relative path the Markdown uses.
    """

    name: str
    data: bytes
    token: str | None = None


@dataclass
class Draft:
    line: int  # where the question starts in the input
    fields: dict[str, Any]  # question-file fields the source gave, by their qbank names
    label: str = ""  # how the source names the question, for messages and comments
    wanted_id: str | None = None  # an id the source gives (idnumber, id column, title…)
    domain: str | None = None  # an exam-guide subsection code the source states
    category: str | None = None  # the source's category path, mapped with --domain-map
    unplaced: list[str] = field(default_factory=list)
    assets: list[Asset] = field(default_factory=list)
    status: str | None = None  # the source's status; imports are "review" otherwise


@dataclass(frozen=True)
class Skipped:
    line: int
    reason: str


@dataclass
class Imported:
    drafts: list[Draft] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


# An importer: the input's bytes and its name (for messages) → drafts and skipped questions.
Reader = Callable[[bytes, str], Imported]


def malformed(source: str, line: int, message: str) -> QbankError:
    """The one error for input an importer cannot read: located, one line, exit 2."""
    return QbankError(f"{source}:{line}: {message}")


def decode_text(raw: bytes, source: str) -> str:
    """UTF-8 with or without a byte-order mark, line ends normalised to `\\n`."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise malformed(source, line, f"not UTF-8 (byte 0x{raw[exc.start]:02x})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def clean_text(text: str) -> str:
    """Text as a question file holds it: no control characters, no trailing spaces, trimmed."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def block_text(text: str) -> str:
    """Markdown for `stem` or `explanation`: ends with a line break, as a `|` block does."""
    return f"{text}\n" if text else text


def safe_file_name(name: str) -> str:
    """A plain file name made of the last part of `name`: no folders, no `..`, no odd bytes."""
    last = re.split(r"[/\\]", name)[-1]
    cleaned = _SAFE_NAME.sub("-", last).strip(".-")
    return cleaned or "file"


def safe_relative_path(name: str) -> PurePosixPath | None:
    """`name` as a relative path that stays inside its folder, or None when it would not."""
    if not name or "\\" in name or ":" in name or _CONTROL.search(name):
        return None
    path = PurePosixPath(name)
    if path.is_absolute() or any(part in ("..", "") for part in path.parts):
        return None
    return path


@dataclass(frozen=True)
class Choice:
    text: str
    correct: bool
    rationale: str | None = None


def choice_fields(choices: list[Choice]) -> dict[str, Any]:
    """`type`, `select` and `options` from the choices; the key decides single or multiple."""
    options: list[dict[str, Any]] = []
    for choice in choices:
        option: dict[str, Any] = {"text": choice.text}
        if choice.correct:
            option["correct"] = True
        if choice.rationale:
            option["rationale"] = choice.rationale
        options.append(option)
    keyed = sum(choice.correct for choice in choices)
    if keyed >= 2:
        return {"type": "multiple", "select": keyed, "options": options}
    return {"type": "single", "options": options}


def true_false_fields(
    true_is_right: bool, right: str | None = None, wrong: str | None = None
) -> dict[str, Any]:
    """A true/false question as a single-answer one: options True and False in that order
    (not shuffled), the feedback for the right answer and the wrong one as their rationales."""
    true = Choice("True", true_is_right, right if true_is_right else wrong)
    false = Choice("False", not true_is_right, wrong if true_is_right else right)
    return {**choice_fields([true, false]), "shuffle": False}


def declared_type_note(declared_multiple: bool, fields: dict[str, Any]) -> str | None:
    """A note when the source's single/multiple setting differs from what the key implies."""
    multiple = fields["type"] == "multiple"
    if declared_multiple == multiple:
        return None
    declared = "several answers" if declared_multiple else "one answer"
    count = len(keyed(fields))
    return (
        f"the source allowed {declared}; {count} option(s) are correct, so type is {fields['type']}"
    )


def keyed(fields: dict[str, Any]) -> list[dict[str, Any]]:
    return [option for option in fields.get("options", []) if option.get("correct")]
