"""qbank's own JSON export (`schema/export.schema.json`) back into question files, losslessly.

Accepts the `json` document (`{"format": "qbank-export", …, "questions": […]}`) and the
`jsonl` export (one question per line). Every field of the question file is taken from the
Markdown side; the HTML, titles and section codes are derived data and are not needed.
Images are written back at the relative paths the Markdown names.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any
from urllib.parse import unquote

from qbank.fix import QUESTION_KEYS
from qbank.importers.base import Asset, Draft, Imported, decode_text, malformed, safe_relative_path
from qbank.markdown import image_sources

FORMAT = "qbank-export"
FORMAT_VERSIONS = (1,)
# Derived from the other fields (or from the guide) when exporting: nothing to keep.
DERIVED = frozenset({"domain_title", "section", "section_title", "images"})
_IMG_SRC = re.compile(r"<img\b[^>]*?\bsrc=\"([^\"]*)\"")


def read_json(raw: bytes, source: str) -> Imported:
    text = decode_text(raw, source)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg != "Extra data":
            raise malformed(
                source, exc.lineno, f"not valid JSON: {exc.msg} (column {exc.colno})"
            ) from None
        return _lines(text, source)
    if isinstance(document, dict) and "questions" in document:
        return _document(document, text, source)
    if isinstance(document, dict):  # a jsonl export of one question
        return Imported([_draft(document, 1, source)])
    raise malformed(source, 1, "expected a qbank export: an object with 'format' and 'questions'")


def _document(document: dict[str, Any], text: str, source: str) -> Imported:
    if document.get("format") != FORMAT or document.get("format_version") not in FORMAT_VERSIONS:
        found = f"{document.get('format')!r} version {document.get('format_version')!r}"
        raise malformed(source, 1, f"expected format {FORMAT!r} version 1, found {found}")
    questions = document["questions"]
    if not isinstance(questions, list):
        raise malformed(source, 1, "'questions' must be a list")
    drafts, position = [], 0
    for question in questions:
        line, position = _locate(text, question, position)
        drafts.append(_draft(question, line, source))
    return Imported(drafts)


def _lines(text: str, source: str) -> Imported:
    drafts = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            question = json.loads(line)
        except json.JSONDecodeError as exc:
            raise malformed(
                source, number, f"not valid JSON: {exc.msg} (column {exc.colno})"
            ) from None
        drafts.append(_draft(question, number, source))
    return Imported(drafts)


def _locate(text: str, question: Any, start: int) -> tuple[int, int]:
    """The line of this question's `"id"` in the document (exports write ids in order)."""
    qid = question.get("id") if isinstance(question, dict) else None
    if not isinstance(qid, str):
        return text.count("\n", 0, start) + 1, start
    match = re.compile(r'"id"\s*:\s*' + re.escape(json.dumps(qid))).search(text, start)
    offset = match.start() if match else start
    return text.count("\n", 0, offset) + 1, offset


def _markdown(value: Any, name: str, line: int, source: str, required: bool = False) -> str | None:
    """A RichText field's Markdown (a plain string is accepted too)."""
    if isinstance(value, dict):
        value = value.get("markdown")
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise malformed(source, line, f"{name} must be text (an object with 'markdown')")
    return value


def _draft(question: Any, line: int, source: str) -> Draft:
    if not isinstance(question, dict):
        raise malformed(source, line, "each question must be an object")
    options = question.get("options")
    if not isinstance(options, list) or not all(isinstance(o, dict) for o in options):
        raise malformed(source, line, "options must be a list of objects")
    fields: dict[str, Any] = {}
    for key in ("type", "select", "difficulty"):
        if question.get(key) is not None:
            fields[key] = question[key]
    fields["stem"] = _markdown(question.get("stem"), "stem", line, source, required=True)
    fields["options"] = [_option(option, line, source) for option in options]
    explanation = _markdown(question.get("explanation"), "explanation", line, source)
    if explanation is not None:
        fields["explanation"] = explanation
    for key in ("references", "tags"):
        if question.get(key):
            fields[key] = question[key]
    if question.get("shuffle") is False:
        fields["shuffle"] = False
    lint = question.get("lint")
    if isinstance(lint, dict) and any(lint.values()):
        fields["lint"] = {key: value for key, value in lint.items() if value}
    known = {*QUESTION_KEYS, *DERIVED}
    unplaced = [
        f"json {key}: {json.dumps(value)}" for key, value in question.items() if key not in known
    ]
    assets, notes = _assets(question)
    return Draft(
        line=line, fields=fields, wanted_id=_text(question.get("id")),
        domain=_text(question.get("domain")), status=_text(question.get("status")),
        unplaced=unplaced + notes, assets=assets,
    )  # fmt: skip


def _option(option: dict[str, Any], line: int, source: str) -> dict[str, Any]:
    result: dict[str, Any] = {
        "text": _markdown(option.get("text"), "option text", line, source, True)
    }
    if option.get("correct") is True:
        result["correct"] = True
    rationale = _markdown(option.get("rationale"), "rationale", line, source)
    if rationale is not None:
        result["rationale"] = rationale
    return result


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _assets(question: dict[str, Any]) -> tuple[list[Asset], list[str]]:
    """Each exported image, under the relative path the Markdown shows it by."""
    images = question.get("images")
    if not isinstance(images, list) or not images:
        return [], []
    by_name = {i.get("name"): i.get("base64") for i in images if isinstance(i, dict)}
    assets: dict[str, Asset] = {}
    notes: list[str] = []
    for markdown, html in _rich_pairs(question):
        for (src, _alt), exported in zip(
            image_sources(markdown), _IMG_SRC.findall(html), strict=False
        ):
            path = safe_relative_path(unquote(src))
            payload = by_name.get(exported)
            if path is None or not isinstance(payload, str):
                notes.append(f"image {src} not written (not a path inside the question's folder)")
                continue
            try:
                assets[str(path)] = Asset(str(path), base64.b64decode(payload, validate=True))
            except (binascii.Error, ValueError):
                notes.append(f"image {src} not written (its base64 is invalid)")
    return list(assets.values()), notes


def _rich_pairs(question: dict[str, Any]) -> list[tuple[str, str]]:
    values = [question.get("stem"), question.get("explanation")]
    for option in question.get("options", []):
        values += [option.get("text"), option.get("rationale")]
    return [
        (v["markdown"], v.get("html", ""))
        for v in values
        if isinstance(v, dict) and isinstance(v.get("markdown"), str)
    ]
