"""Moodle XML (`<quiz>` of `<question>`s), as Moodle exports it and as its importer reads it.

Parsed with defusedxml and DTDs forbidden, so there are no entities to expand or fetch.
Multichoice questions (one or several answers) and truefalse questions (options True and
False) become drafts; every other type is reported and skipped. Category questions set the
category of the questions that follow them.
"""

from __future__ import annotations

import base64
import binascii
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from qbank.importers.base import (
    Choice,
    Draft,
    Imported,
    Skipped,
    block_text,
    choice_fields,
    declared_type_note,
    malformed,
    true_false_fields,
)
from qbank.importers.html import MAX_ASSET_BYTES, Assets, split_references, to_markdown

# Elements of a multichoice question this importer places; the others are kept as comments.
PLACED = frozenset({"name", "questiontext", "generalfeedback", "answer", "tags", "idnumber",
                    "single", "shuffleanswers", "image", "image_base64"})  # fmt: skip
# Moodle's own defaults: not worth a comment when a file repeats them.
DEFAULTS: dict[str, float | str] = {
    "defaultgrade": 1.0, "penalty": 0.3333333, "hidden": 0.0,
    "correctfeedback": "Your answer is correct.",
    "partiallycorrectfeedback": "Your answer is partially correct.",
    "incorrectfeedback": "Your answer is incorrect.",
}  # fmt: skip
# Tags qbank's Moodle export adds: they restore the domain and difficulty.
QBANK_TAGS = frozenset({"section", "subsection", "difficulty"})
DIFFICULTIES = frozenset({"easy", "medium", "hard"})
_CODE = re.compile(r"^[0-9]+\.[0-9]+$")
QUIET = frozenset({"answernumbering", "showstandardinstruction", "shownumcorrect"})


class _LineBuilder(ET.TreeBuilder):
    """A tree builder that remembers the line each element starts on."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[ET.Element, int] = {}
        self.parser: Any = None

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        element = super().start(tag, attrs)
        self.lines[element] = self.parser.parser.CurrentLineNumber
        return element


def parse_xml(raw: bytes, source: str) -> tuple[ET.Element, dict[ET.Element, int]]:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import DefusedXMLParser

    builder = _LineBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True)
    builder.parser = parser
    try:
        parser.feed(raw)
        root = parser.close()
    except ET.ParseError as exc:
        line, _col = exc.position
        reason = str(exc).split(":")[0]
        raise malformed(source, line, f"not well-formed XML: {reason}") from None
    except DefusedXmlException as exc:
        line = parser.parser.CurrentLineNumber
        raise malformed(source, line, f"refused: {_describe(exc)}") from None
    return root, builder.lines


def _describe(exc: Exception) -> str:
    name = type(exc).__name__
    if name == "DTDForbidden":
        return "a DOCTYPE declaration (Moodle XML has none; entities are never expanded)"
    if name == "EntitiesForbidden":
        return "an entity declaration"
    return "an external reference"


@dataclass
class _Question:
    element: ET.Element
    lines: dict[ET.Element, int]
    source: str

    def line(self, element: ET.Element | None = None) -> int:
        return self.lines.get(element if element is not None else self.element, 1)

    def text(self, path: str) -> str:
        found = self.element.find(path)
        return (found.text or "").strip() if found is not None else ""


def read_moodle(raw: bytes, source: str) -> Imported:
    root, lines = parse_xml(raw, source)
    if root.tag != "quiz":
        raise malformed(source, lines.get(root, 1), f"not Moodle XML: <{root.tag}> is not <quiz>")
    result = Imported()
    category: str | None = None
    for element in root:
        question = _Question(element, lines, source)
        kind = element.get("type", "")
        if element.tag != "question":
            result.skipped.append(Skipped(question.line(), f"<{element.tag}> is not a question"))
        elif kind == "category":
            category = question.text("category/text") or None
        elif kind == "truefalse":
            result.drafts.append(_true_false(question, category))
        elif kind != "multichoice":
            name = question.text("name/text")
            result.skipped.append(
                Skipped(question.line(), f"{kind or 'untyped'} question {name!r}: qbank imports "
                        "multiple-choice (one or several answers) and true/false questions only")
            )  # fmt: skip
        else:
            result.drafts.append(_multichoice(question, category))
    return result


def _multichoice(question: _Question, category: str | None) -> Draft:
    element = question.element
    name = question.text("name/text")
    assets = Assets()
    stem_format = _format(element.find("questiontext"), "html")
    stem = _rich(question, element.find("questiontext"), stem_format, assets)
    explanation, references = _feedback(
        question, element.find("generalfeedback"), stem_format, assets
    )
    multiple = _flag(question.text("single"), default=True) is False
    choices, notes = [], []
    for answer in element.findall("answer"):
        fraction = _fraction(question, answer)
        correct = fraction > 0 if multiple else fraction >= 99.99
        text = _rich(question, answer, stem_format, assets)
        rationale = _rich(question, answer.find("feedback"), stem_format, assets)
        if 0 < fraction < 99.99 and not multiple:
            notes.append(f"option {text!r} earned {fraction:g}% in Moodle; qbank keys it as wrong")
        choices.append(Choice(text, correct, rationale or None))
    fields = choice_fields(choices)
    fields["stem"] = block_text(_with_old_image(question, stem, assets))
    if explanation:
        fields["explanation"] = block_text(explanation)
    if references:
        fields["references"] = references
    tags = [t.strip() for t in (tag.text or "" for tag in element.findall("tags/tag/text"))]
    domain = _take_qbank_tags(tags, fields)
    if any(tags):
        fields["tags"] = [tag for tag in tags if tag]
    if _flag(question.text("shuffleanswers"), default=True) is False:
        fields["shuffle"] = False
    if (type_note := declared_type_note(multiple, fields)) is not None:
        notes.append(type_note)
    unplaced = [*notes, *_unplaced(question, stem_format, assets), *assets.notes]
    return Draft(
        line=question.line(), fields=fields, label=f"Moodle question {name!r}" if name else "",
        wanted_id=question.text("idnumber") or None, domain=domain, category=category,
        unplaced=unplaced,
        assets=assets.collected,
    )  # fmt: skip


def _true_false(question: _Question, category: str | None) -> Draft:
    """A truefalse question: its answers `true` and `false` become the options True and False
    (in that order), each answer's feedback its rationale."""
    draft = _multichoice(question, category)
    options = {option["text"].strip().lower(): option for option in draft.fields["options"]}
    if sorted(options) != ["false", "true"]:
        message = "a truefalse question needs the answers true and false"
        raise malformed(question.source, question.line(), message)
    right = "true" if options["true"].get("correct") else "false"
    feedback = {name: options[name].get("rationale") for name in options}
    wrong = "false" if right == "true" else "true"
    fields = true_false_fields(right == "true", feedback[right], feedback[wrong])
    draft.fields.update(fields)
    return draft


def _with_old_image(question: _Question, stem: str, assets: Assets) -> str:
    """Moodle 1.x files carry one picture as `<image>` and `<image_base64>`; Moodle's importer
    still shows it after the question text, and so does this one."""
    data = question.element.find("image_base64")
    name = question.text("image")
    if data is None or not name:
        return stem
    token = assets.add(name, _file_bytes(question, data))
    return f"{stem}\n\n![]({token})" if token else stem


def _take_qbank_tags(tags: list[str], fields: dict[str, Any]) -> str | None:
    """Remove the tags qbank's Moodle export adds (`section:`, `subsection:`, `difficulty:`)
    and return the subsection they name; the difficulty goes back to its field."""
    found = {key: value for key, _, value in (t.partition(":") for t in tags) if key in QBANK_TAGS}
    domain = found.get("subsection")
    if (
        domain is None
        or not _CODE.match(domain)
        or found.get("section", domain.split(".")[0]) != domain.split(".")[0]
    ):
        return None
    if found.get("difficulty") in DIFFICULTIES:
        fields["difficulty"] = found["difficulty"]
    tags[:] = [t for t in tags if t.partition(":")[0] not in QBANK_TAGS]
    return domain


def _feedback(
    question: _Question, element: ET.Element | None, default: str, assets: Assets
) -> tuple[str, list[str]]:
    """The general feedback as Markdown, and the references qbank's export appended to it."""
    html, references = split_references(_raw_text(element))
    return _rich(question, element, default, assets, text=html), references


def _format(element: ET.Element | None, default: str) -> str:
    return element.get("format", default) if element is not None else default


def _raw_text(element: ET.Element | None) -> str:
    found = element.find("text") if element is not None else None
    return (found.text or "") if found is not None else ""


def _rich(
    question: _Question,
    element: ET.Element | None,
    default: str,
    assets: Assets,
    text: str | None = None,
) -> str:
    """The Markdown of a text element (`<x format=…><text>…</text><file…/></x>`)."""
    if element is None:
        return ""
    assets.files = {_file_key(f): _file_bytes(question, f) for f in element.findall("file")}
    raw = _raw_text(element) if text is None else text
    return to_markdown(raw, _format(element, default), assets)


def _file_key(element: ET.Element) -> str:
    return element.get("path", "/").lstrip("/") + element.get("name", "")


def _file_bytes(question: _Question, element: ET.Element) -> bytes:
    payload = "".join((element.text or "").split())
    line = question.line(element)
    if element.get("encoding", "base64") != "base64":
        raise malformed(question.source, line, "a <file> must be base64-encoded")
    if len(payload) * 3 // 4 > MAX_ASSET_BYTES:
        raise malformed(
            question.source, line, f"a <file> is larger than {MAX_ASSET_BYTES >> 20} MiB"
        )
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise malformed(question.source, line, "a <file> is not valid base64") from None


def _fraction(question: _Question, answer: ET.Element) -> float:
    value = answer.get("fraction", "0")
    try:
        return float(value)
    except ValueError:
        raise malformed(
            question.source, question.line(answer), f"answer fraction {value!r} is not a number"
        ) from None


def _flag(value: str, default: bool | None) -> bool | None:
    """Moodle's booleans: `true`/`false` or `1`/`0`."""
    if not value:
        return default
    return value.lower() not in ("false", "0")


def _unplaced(question: _Question, stem_format: str, assets: Assets) -> list[str]:
    """Every other element of the question with a value that is not Moodle's default."""
    kept = []
    for child in question.element:
        if child.tag in PLACED or child.tag in QUIET:
            continue
        if child.find("text") is not None:
            value = _rich(question, child, stem_format, assets)
        else:
            value = " ".join("".join(child.itertext()).split())
        if value and not _is_default(child.tag, value):
            kept.append(f"moodle {child.tag}: {value}")
    return kept


def _is_default(tag: str, value: str) -> bool:
    default = DEFAULTS.get(tag)
    if isinstance(default, str) or default is None:
        return value == default
    try:
        return abs(float(value) - default) < 1e-6
    except ValueError:
        return False
