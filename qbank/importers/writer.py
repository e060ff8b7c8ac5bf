"""Render an imported question as a question file in qbank's canonical layout.

The fields are laid out by `qbank.fix.canonical`, the same code as `qbank fmt`, so an
imported file looks exactly like one `qbank fmt` leaves. Comments above the fields say
where the question came from and keep what the format has no field for.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from qbank.fix import dump_canonical
from qbank.importers.base import clean_text


def render_question(
    fields: dict[str, Any],
    origin: str,
    unplaced: list[str],
    domain_todo: str | None = None,
    schema: str | None = None,
) -> str:
    """The file's text: header comments, then the fields in canonical layout."""
    data = CommentedMap(fields)
    if isinstance(data.get("domain"), str):
        data["domain"] = DoubleQuotedScalarString(data["domain"])
    if domain_todo is not None:
        data.yaml_add_eol_comment(f"TODO: {domain_todo}", "domain")
    data["options"] = CommentedSeq(CommentedMap(o) for o in data.get("options", []))
    if isinstance(data.get("lint"), dict):
        data["lint"] = CommentedMap(data["lint"])
    for key in ("references", "tags"):
        if key in data:
            data[key] = CommentedSeq(data[key])
    header = [f"# yaml-language-server: $schema={schema}"] if schema else []
    header += _comment_lines(f"Imported by `qbank import` from {origin}.")
    if unplaced:
        header.append("# Kept from the source (the question format has no field for it):")
        for item in unplaced:
            header += _comment_lines(item, indent="  ")
    return "\n".join(header) + "\n" + dump_canonical(data)


def _comment_lines(text: str, indent: str = "") -> list[str]:
    lines = clean_text(text).split("\n")
    first, rest = f"# {indent}{lines[0]}".rstrip(), lines[1:]
    return [first, *(f"# {indent}  {line}".rstrip() for line in rest)]
