"""CSV: one question per row under a header (documented in README.md, "Importing").

Columns: `stem`, `option_1`…`option_n`, `correct` (required); `id`, `domain`, `type`,
`rationale_1`…`rationale_n`, `explanation`, `references`, `tags`, `difficulty` (optional).
`correct` names options by number (`2`, `1,3`) or letter (`B`, `A;C`). The delimiter is the
one of `,` `;` tab the header uses most. UTF-8, with or without a byte-order mark.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from qbank.importers.base import (
    Choice,
    Draft,
    Imported,
    block_text,
    choice_fields,
    clean_text,
    declared_type_note,
    decode_text,
    malformed,
)

REQUIRED = ("stem", "option_1", "option_2", "correct")
KNOWN = frozenset({"id", "domain", "type", "stem", "correct", "explanation", "references",
                   "tags", "difficulty"})  # fmt: skip
_NUMBERED = re.compile(r"^(option|rationale)_([1-9][0-9]?)$")
_DOMAIN = re.compile(r"^[0-9]+\.[0-9]+$")
_SPLIT_KEY = re.compile(r"[\s,;|]+")
_SPLIT_TAGS = re.compile(r"[\s,;]+")


def read_csv(raw: bytes, source: str) -> Imported:
    text = decode_text(raw, source)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [name.strip().lower() for name in next(reader, [])]
        _check_header(header, source)
        result = Imported()
        start = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                result.drafts.append(_draft(dict(zip(header, row, strict=False)), start, source))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise malformed(source, reader.line_num or 1, f"not valid CSV: {exc}") from None
    return result


def _check_header(header: list[str], source: str) -> None:
    if not any(header):
        raise malformed(source, 1, "the file is empty; the first line must be the CSV header")
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise malformed(source, 1, f"the header lacks the column(s) {', '.join(missing)}")
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    if repeated:
        raise malformed(source, 1, f"the header repeats the column(s) {', '.join(repeated)}")


def _draft(row: dict[str, str], line: int, source: str) -> Draft:
    cells = {name: clean_text(value) for name, value in row.items() if name}
    numbered = sorted(
        (int(m.group(2)), m.group(1), value)
        for name, value in cells.items()
        if (m := _NUMBERED.match(name))
    )
    texts = {n: v for n, kind, v in numbered if kind == "option" and v}
    rationales = {n: v for n, kind, v in numbered if kind == "rationale" and v}
    key = _key(cells.get("correct", ""), texts, line, source)
    choices = [Choice(texts[n], n in key, rationales.get(n)) for n in sorted(texts)]
    fields: dict[str, Any] = choice_fields(choices)
    fields["stem"] = block_text(cells.get("stem", ""))
    if not fields["stem"]:
        raise malformed(source, line, "the stem is empty")
    unplaced = [f"csv {name}: {v}" for name, v in cells.items() if v and _unknown(name)]
    unplaced += [
        f"csv rationale_{n}: {v} (no option_{n})" for n, v in rationales.items() if n not in texts
    ]
    declared = cells.get("type", "").lower()
    if declared and declared not in ("single", "multiple"):
        raise malformed(source, line, f"type {declared!r} is neither single nor multiple")
    if declared and (note := declared_type_note(declared == "multiple", fields)) is not None:
        unplaced.append(note)
    for name in ("explanation", "difficulty"):
        if cells.get(name):
            fields[name] = cells[name].lower() if name == "difficulty" else block_text(cells[name])
    if cells.get("references"):
        fields["references"] = cells["references"].split()
    if cells.get("tags"):
        fields["tags"] = [tag for tag in _SPLIT_TAGS.split(cells["tags"]) if tag]
    domain = cells.get("domain", "")
    return Draft(
        line=line, fields=fields, wanted_id=cells.get("id") or None,
        domain=domain if _DOMAIN.match(domain) else None,
        category=domain if domain and not _DOMAIN.match(domain) else None, unplaced=unplaced,
    )  # fmt: skip


def _unknown(name: str) -> bool:
    return name not in KNOWN and _NUMBERED.match(name) is None


def _key(value: str, texts: dict[int, str], line: int, source: str) -> set[int]:
    key: set[int] = set()
    for token in (t for t in _SPLIT_KEY.split(value.strip()) if t):
        if token.isdigit():
            number = int(token)
        elif len(token) == 1 and token.isalpha():
            number = ord(token.upper()) - ord("A") + 1
        else:
            raise malformed(source, line, f"correct: {token!r} is not an option number or letter")
        if number not in texts:
            raise malformed(source, line, f"correct: {token} names an empty or missing option")
        key.add(number)
    if not key:
        raise malformed(source, line, "correct is empty: name the right option(s), e.g. 2 or A,C")
    return key
