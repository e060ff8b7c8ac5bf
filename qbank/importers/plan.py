"""Turn drafts into files: domain, id, status, folder, valid values, text. Nothing is written here.

Ids follow `qbank new`: `<prefix>-<section>-<subsection>-<nnn>`, one past the highest number in
use. A source's own id is kept when it is a valid id. A question without a domain gets the
placeholder domain, `status: draft` and a comment saying what to fill in.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from qbank.errors import QbankError
from qbank.fix import markdown_fields
from qbank.importers.base import Draft, Imported
from qbank.importers.domains import DomainMap, resolve_domain
from qbank.importers.writer import render_question
from qbank.load.bank import Bank
from qbank.models import ExamGuide, Question
from qbank.models.question import PLACEHOLDER_DOMAIN, QUESTION_ID_PATTERN, TAG_PATTERN, URL_PATTERN
from qbank.scaffold import next_id, section_folder

UNMAPPED_FOLDER = "unmapped"
IMPORTED_STATUS = "review"  # in use elsewhere, not yet reviewed against this bank's guide
_TAG_CHARACTER = re.compile(r"[^A-Za-z0-9_.:+/-]+")
TAG_MAX = 64


@dataclass(frozen=True)
class Target:
    """Where and how drafts land: the folder, the guide and map, and what is there already."""

    out: Path
    bank: Bank
    guide: ExamGuide | None
    domain_map: DomainMap
    prefix: str
    elsewhere: frozenset[str] = frozenset()  # ids of the configured bank outside `out`
    schema: Path | None = None  # the project's question schema, named in each file's first line
    default_domain: str | None = None  # --domain: for questions nothing else places


@dataclass
class Planned:
    qid: str
    path: Path
    text: str
    line: int
    domain: str | None
    assets: list[tuple[Path, bytes]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # for the report (also kept in the file)


def plan_import(imported: Imported, target: Target, source: str) -> list[Planned]:
    existing = {f.stem_name: _file_path(f.source, f.path) for f in target.bank.files}
    existing |= {q.id: _file_path(f.source, f.path) for f, q in target.bank.questions()}
    taken = set(existing) | target.elsewhere
    planned: list[Planned] = []
    claimed: set[str] = set(target.elsewhere)
    for draft in imported.drafts:
        domain = resolve_domain(draft, target.domain_map, target.guide) or target.default_domain
        notes: list[str] = []
        qid = _choose_id(draft, domain, target.prefix, taken, claimed, notes)
        claimed.add(qid)
        taken.add(qid)
        folder = _folder(qid, domain, existing, target)
        planned.append(_plan_one(draft, qid, domain, folder, target, source, notes))
    return planned


def _file_path(source: Path | None, display: str) -> Path:
    return source if source is not None else Path(display)


def _choose_id(
    draft: Draft, domain: str | None, prefix: str, taken: set[str], claimed: set[str],
    notes: list[str],
) -> str:  # fmt: skip
    wanted = draft.wanted_id
    if wanted and re.match(QUESTION_ID_PATTERN, wanted) and wanted not in claimed:
        return wanted
    qid = next_id(prefix, domain or PLACEHOLDER_DOMAIN, taken)
    if wanted and wanted in claimed:
        notes.append(
            f"id {wanted} is taken (in the bank or earlier in this import); this one is {qid}"
        )
    elif wanted:
        notes.append(f"source id {wanted!r} is not a valid qbank id; this question is {qid}")
    return qid


def _folder(qid: str, domain: str | None, existing: dict[str, Path], target: Target) -> Path:
    if qid in existing:
        return existing[qid].parent
    if domain is None:
        return target.out / UNMAPPED_FOLDER
    return section_folder(target.bank, target.out, target.guide, domain.split(".")[0])


def _plan_one(
    draft: Draft, qid: str, domain: str | None, folder: Path, target: Target, source: str,
    notes: list[str],
) -> Planned:  # fmt: skip
    fields: dict[str, Any] = {"id": qid, "domain": domain or PLACEHOLDER_DOMAIN, **draft.fields}
    fields["status"] = "draft" if domain is None else draft.status or IMPORTED_STATUS
    unplaced = [*notes, *draft.unplaced]
    _clean_tags(fields, unplaced)
    _clean_references(fields, unplaced)
    assets = _place_assets(draft, qid, folder, fields, target.out)
    problems = _validate(fields)
    if problems:
        fields["status"] = "draft"
        notes.append(f"not yet a valid question: {'; '.join(problems)}")
        unplaced.append(f"Not yet valid (qbank lint explains): {'; '.join(problems)}")
    if domain is None:
        where = f" (category {draft.category!r})" if draft.category else ""
        notes.append(f"no exam-guide subsection found{where}: a draft in {PLACEHOLDER_DOMAIN}")
    todo = None if domain else f"set the exam-guide subsection, then the status{_hint(draft)}"
    origin = f"{Path(source).name}:{draft.line}" + (f" ({draft.label})" if draft.label else "")
    schema = None
    if target.schema is not None and _inside(folder, target.schema.parent.parent):
        schema = os.path.relpath(target.schema, folder)
    text = render_question(fields, origin, unplaced, todo, schema and Path(schema).as_posix())
    return Planned(qid, folder / f"{qid}.yaml", text, draft.line, domain, assets, notes)


def _hint(draft: Draft) -> str:
    return f" (source category: {draft.category})" if draft.category else ""


def _clean_tags(fields: dict[str, Any], unplaced: list[str]) -> None:
    cleaned: list[str] = []
    for tag in fields.get("tags", []):
        text = _TAG_CHARACTER.sub("-", str(tag).strip()).strip("-_.:+/")[:TAG_MAX]
        if text != tag:
            unplaced.append(f"tag {tag!r}" + (f" written as {text!r}" if text else " dropped"))
        if text and re.match(TAG_PATTERN, text) and text not in cleaned:
            cleaned.append(text)
    if cleaned:
        fields["tags"] = cleaned
    else:
        fields.pop("tags", None)


def _clean_references(fields: dict[str, Any], unplaced: list[str]) -> None:
    references = [str(r) for r in fields.get("references", [])]
    kept = [r for r in references if re.match(URL_PATTERN, r)]
    unplaced += [f"reference (not a URL): {r}" for r in references if r not in kept]
    if kept:
        fields["references"] = kept
    else:
        fields.pop("references", None)


def _place_assets(
    draft: Draft, qid: str, folder: Path, fields: dict[str, Any], out: Path
) -> list[tuple[Path, bytes]]:
    """Each asset's file path, kept inside `out`; tokens in the Markdown become file names."""
    placed: list[tuple[Path, bytes]] = []
    renames: dict[str, str] = {}
    for asset in draft.assets:
        name = f"{qid}-{asset.name}" if asset.token else asset.name
        path = folder / name
        if not _inside(path, out):
            raise QbankError(f"image {asset.name!r} would be written outside {out}")
        placed.append((path, asset.data))
        if asset.token:
            renames[asset.token] = name
    if renames:
        pattern = re.compile("|".join(rf"{re.escape(t)}(?!\d)" for t in renames))
        for container, key in markdown_fields(fields):
            container[key] = pattern.sub(lambda m: renames[m.group()], container[key])
    return placed


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def _validate(fields: dict[str, Any]) -> list[str]:
    try:
        Question.model_validate(fields)
    except ValidationError as exc:
        return [
            f"{'.'.join(map(str, error['loc'])) or 'question'}: {error['msg']}"
            for error in exc.errors()
        ]
    return []
