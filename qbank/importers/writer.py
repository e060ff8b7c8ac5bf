"""Render an imported question as a question file in qbank's canonical layout.

The fields go through ruamel.yaml in the format's key order and then `qbank.fix.format_text`,
so an imported file looks exactly like one `qbank fmt` leaves. Comments above the fields say
where the question came from and keep what the format has no field for.
"""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from qbank.fix import LINT_KEYS, OPTION_KEYS, QUESTION_KEYS, format_text
from qbank.importers.base import clean_text


def _ordered(values: dict[str, Any], order: tuple[str, ...]) -> CommentedMap:
    mapping = CommentedMap()
    for key in (*[k for k in order if k in values], *[k for k in values if k not in order]):
        mapping[key] = values[key]
    return mapping


def _comment_lines(text: str, indent: str = "") -> list[str]:
    lines = clean_text(text).split("\n")
    return [
        f"# {indent}{lines[0]}".rstrip(),
        *(f"# {indent}  {line}".rstrip() for line in lines[1:]),
    ]


def render_question(
    fields: dict[str, Any],
    origin: str,
    unplaced: list[str],
    domain_todo: str | None = None,
    schema: str | None = None,
) -> str:
    """The file's text: header comments, then the fields in canonical layout."""
    data = _ordered(fields, QUESTION_KEYS)
    if isinstance(data.get("domain"), str):
        data["domain"] = DoubleQuotedScalarString(data["domain"])
    if domain_todo is not None:
        data.yaml_add_eol_comment(f"TODO: {domain_todo}", "domain")
    data["options"] = CommentedSeq(_ordered(o, OPTION_KEYS) for o in data.get("options", []))
    if isinstance(data.get("lint"), dict):
        data["lint"] = _ordered(data["lint"], LINT_KEYS)
    for key in ("references", "tags"):
        if key in data:
            data[key] = CommentedSeq(data[key])
    yaml = YAML(typ="rt")
    yaml.width = 1 << 16
    yaml.indent(mapping=2, sequence=4, offset=2)
    stream = io.StringIO()
    yaml.dump(data, stream)
    header = [f"# yaml-language-server: $schema={schema}"] if schema else []
    header += _comment_lines(f"Imported by `qbank import` from {origin}.")
    if unplaced:
        header.append("# Kept from the source (the question format has no field for it):")
        for item in unplaced:
            header += _comment_lines(item, indent="  ")
    return "\n".join(header) + "\n" + format_text(stream.getvalue()).after
