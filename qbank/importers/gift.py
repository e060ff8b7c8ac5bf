"""GIFT, Moodle's text format, as Moodle's documentation describes it.

Questions are separated by blank lines; `//` starts a comment line; `$CATEGORY: path` sets the
category of the questions after it; `::title::` names a question; `[html]`, `[markdown]`,
`[plain]` or `[moodle]` give a text's format; `\\~ \\= \\# \\{ \\} \\:` and `\\\\` are escapes and
`\\n` a line break. In the answer block `=` marks the right answer and `~` a wrong one,
`~%50%` gives a weight, `#` starts an answer's feedback and `####` the general feedback. A block
without `=` whose positive weights mark several answers is a multiple-answer question.
True/false (`{T}`, `{FALSE#shown when wrong#shown when right}`) becomes a single-answer
question with the options True and False. Short-answer, matching, numerical, essay and
description items are reported and skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from qbank.errors import QbankError
from qbank.importers.base import (
    Choice,
    Draft,
    Imported,
    Skipped,
    block_text,
    choice_fields,
    declared_type_note,
    decode_text,
    malformed,
    true_false_fields,
)
from qbank.importers.html import Assets, to_markdown
from qbank.models.question import QUESTION_ID_PATTERN

# Escaped characters become private-use placeholders while the structure is parsed.
_ESCAPABLE = "\\:#={}~n"
_PLACEHOLDER = {char: chr(0xE000 + index) for index, char in enumerate(_ESCAPABLE)}
_RESTORE = str.maketrans({v: ("\n" if k == "n" else k) for k, v in _PLACEHOLDER.items()})
_FORMAT = re.compile(r"^\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_TRUE_FALSE = frozenset({"T", "TRUE", "F", "FALSE"})


@dataclass
class _Block:
    line: int  # first line of the block in the file
    text: str  # comment lines blanked, escapes replaced by placeholders
    comments: list[str]

    def line_at(self, offset: int) -> int:
        return self.line + self.text.count("\n", 0, offset)


def read_gift(raw: bytes, source: str) -> Imported:
    result = Imported()
    category: str | None = None
    for block in _blocks(decode_text(raw, source)):
        body = block.text.strip()
        if not body:
            continue
        if body.startswith("$CATEGORY:"):
            category = _plain(body[len("$CATEGORY:") :]) or None
            continue
        draft_or_skip = _question(block, source)
        if isinstance(draft_or_skip, Skipped):
            result.skipped.append(draft_or_skip)
        else:
            draft_or_skip.category = category
            result.drafts.append(draft_or_skip)
    return result


def _blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    lines: list[str] = []
    comments: list[str] = []
    start = 1
    for number, line in enumerate([*text.split("\n"), ""], start=1):
        if not line.strip():
            if lines:
                blocks.append(_Block(start, _escape("\n".join(lines)), comments))
            lines, comments = [], []
            continue
        if not lines:
            start = number
        if line.strip().startswith("//"):
            comments.append(line.strip()[2:].strip())
            line = ""
        lines.append(line)
    return blocks


def _escape(text: str) -> str:
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text) and text[index + 1] in _PLACEHOLDER:
            out.append(_PLACEHOLDER[text[index + 1]])
            index += 2
        else:
            out.append(char)
            index += 1
    return "".join(out)


def _plain(piece: str) -> str:
    return piece.translate(_RESTORE).strip()


def _question(block: _Block, source: str) -> Draft | Skipped:
    text, title = block.text, ""
    offset = len(text) - len(text.lstrip())
    if text.startswith("::", offset):
        end = text.find("::", offset + 2)
        if end < 0:
            raise malformed(source, block.line_at(offset), "'::' opens a title that never closes")
        title = _plain(text[offset + 2 : end])
        offset = end + 2
    opening, closing = text.find("{", offset), text.find("}", offset)
    label = f"GIFT question {title!r}" if title else "GIFT question"
    if opening < 0 and closing < 0:
        return Skipped(block.line, f"{label} has no answers (a description): nothing to import")
    if closing < 0:
        raise malformed(
            source, block.line_at(opening), "'{' opens an answer block that never closes"
        )
    if opening < 0 or closing < opening:
        raise malformed(source, block.line_at(closing), "'}' without a matching '{'")
    if "{" in text[opening + 1 : closing] or "{" in text[closing + 1 :]:
        raise _second_answer_block(block, source, opening, closing)
    answers = text[opening + 1 : closing].strip()
    before, after = text[offset:opening], text[closing + 1 :]
    stem_text = before + ("_____" + after if after.strip() else "")
    kind = _kind(answers)
    if kind == "true/false":
        return _true_false(block, title, stem_text, answers)
    if kind != "multichoice":
        return Skipped(
            block.line, f"{kind} {label}: qbank imports multiple-choice and true/false only"
        )
    return _multichoice(block, source, title, stem_text, answers, block.line_at(opening))


def _second_answer_block(block: _Block, source: str, opening: int, closing: int) -> QbankError:
    """Two answer blocks: most often two questions with no blank line between them."""
    text = block.text
    line_end = text.find("\n", closing)
    following = text[line_end + 1 :] if line_end >= 0 else ""
    if "{" not in text[opening + 1 : closing] and following.strip():
        start = line_end + 1 + (len(following) - len(following.lstrip()))
        return malformed(
            source, block.line_at(start),
            "a second question starts here without a blank line before it (GIFT separates "
            "questions with blank lines); add one",
        )  # fmt: skip
    where = text.find("{", opening + 1)
    return malformed(source, block.line_at(where), "a question may have one answer block only")


def _true_false(block: _Block, title: str, stem_text: str, answers: str) -> Draft:
    """`{T}`, `{TRUE}`, `{F}` or `{FALSE}`; `{T#shown when wrong#shown when right}` as Moodle
    reads it; `####` general feedback."""
    text = _Texts(stem_text, answers)
    key, *feedback = [part.strip() for part in text.answers.split("#", 2)]
    wrong, right = [text.markdown(part) or None for part in [*feedback, "", ""][:2]]
    fields = true_false_fields(key.upper() in ("T", "TRUE"), right, wrong)
    return _draft(block, title, text.with_stem(fields), [], text.assets)


def _kind(answers: str) -> str:
    if not answers or answers.startswith("####"):
        return "essay"
    if answers.startswith("#"):
        return "numerical"
    if "~" in answers:
        return "multichoice"
    if "=" in answers and "->" in answers:
        return "matching"
    if answers.split("#", 1)[0].strip() in _TRUE_FALSE:
        return "true/false"
    return "short-answer"


def _multichoice(
    block: _Block, source: str, title: str, stem_text: str, answers: str, answers_line: int
) -> Draft:
    text = _Texts(stem_text, answers)
    multiple = "=" not in text.answers
    pieces = [p.strip() for p in text.answers.replace("=", "~=").split("~")]
    pieces = pieces[1:] if pieces and not pieces[0] else pieces
    if len(pieces) < 2:
        raise malformed(
            source, answers_line, "a multiple-choice question needs two answers or more"
        )
    choices, notes = [], []
    for piece in pieces:
        weight, piece = _weight(piece)
        answer, _, feedback = piece.partition("#")
        option = text.markdown(answer)
        correct = weight > 0 if multiple else weight >= 100
        if not multiple and 0 < weight < 100:
            notes.append(f"option {option!r} earned {weight:g}% in GIFT; qbank keys it as wrong")
        choices.append(Choice(option, correct, text.markdown(feedback) or None))
    fields = text.with_stem(choice_fields(choices))
    if (type_note := declared_type_note(multiple, fields)) is not None:
        notes.append(type_note)
    return _draft(block, title, fields, notes, text.assets)


class _Texts:
    """A question's texts in Markdown: the stem's format (`[html]`…) is the default of its
    answers; `####` general feedback is split off the answers as the explanation."""

    def __init__(self, stem_text: str, answers: str) -> None:
        self.assets = Assets()
        self.format, self.stem = _with_format(stem_text, "moodle")
        self.answers, self.explanation = answers, ""
        if (split := answers.rfind("####")) >= 0:
            self.answers = answers[:split]
            self.explanation = self.markdown(answers[split + 4 :])

    def markdown(self, piece: str) -> str:
        return _convert(piece, self.format, self.assets)

    def with_stem(self, fields: dict[str, Any]) -> dict[str, Any]:
        fields["stem"] = block_text(_convert_plain(self.stem, self.format, self.assets))
        if self.explanation:
            fields["explanation"] = block_text(self.explanation)
        return fields


def _draft(
    block: _Block, title: str, fields: dict[str, Any], notes: list[str], assets: Assets
) -> Draft:
    wanted = title if re.match(QUESTION_ID_PATTERN, title) else None
    unplaced = [*(f"GIFT comment: {c}" for c in block.comments if c), *notes, *assets.notes]
    if title and wanted is None:
        unplaced.insert(0, f"GIFT title: {title}")
    return Draft(
        line=block.line, fields=fields, label=f"GIFT question {title!r}" if title else "",
        wanted_id=wanted, unplaced=unplaced, assets=assets.collected,
    )  # fmt: skip


def _weight(piece: str) -> tuple[float, str]:
    if piece.startswith("="):
        return 100.0, piece[1:]
    if (match := _WEIGHT.match(piece)) is not None:
        return float(match.group(1)), piece[match.end() :]
    return 0.0, piece


def _with_format(piece: str, default: str) -> tuple[str, str]:
    piece = piece.strip()
    if (match := _FORMAT.match(piece)) is not None:
        return match.group(1).lower(), piece[match.end() :]
    return default, piece


def _convert(piece: str, default: str, assets: Assets) -> str:
    text_format, piece = _with_format(piece, default)
    return _convert_plain(piece, text_format, assets)


def _convert_plain(piece: str, text_format: str, assets: Assets) -> str:
    return to_markdown(piece.translate(_RESTORE), text_format, assets)
