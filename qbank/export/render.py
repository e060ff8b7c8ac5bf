"""Render a loaded bank for export: filter, Markdown → sanitised HTML once, resolve images."""

from __future__ import annotations

import hashlib
import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from qbank import __version__
from qbank.errors import QbankError
from qbank.export.base import ExportBank, Image, RenderedOption, RenderedQuestion
from qbank.export.output import last_modified
from qbank.export.parallel import ordered_map
from qbank.load.bank import Bank, QuestionFile
from qbank.markdown import image_sources, to_html
from qbank.models import ExamGuide, Question


@dataclass(frozen=True)
class Filters:
    domain: str | None = None  # a section ("4") or subsection ("4.2") code
    tags: tuple[str, ...] = ()
    status: str | None = None

    def keep(self, question: Question) -> bool:
        if self.domain and not (question.domain == self.domain or question.section == self.domain):
            return False
        if self.tags and not set(self.tags) & set(question.tags):
            return False
        return self.status is None or question.status == self.status


def render_bank(bank: Bank, filters: Filters | None = None, html: bool = True) -> ExportBank:
    """The chosen questions, rendered. With html=False (for formats that carry the Markdown
    source only) the HTML fields stay empty: rendering is most of an export's time."""
    filters = filters or Filters()
    guide = bank.guide
    if guide is None:
        raise QbankError("the exam guide is missing or invalid; run `qbank lint`")
    chosen = [(f, q) for f, q in bank.questions() if filters.keep(q)]
    order = {sub.code: index for index, sub in enumerate(guide.subsections)}
    chosen.sort(key=lambda pair: (order.get(pair[1].domain, len(order)), pair[1].id))
    guide_file = bank.guide_file.source if bank.guide_file is not None else None
    guide_paths = [guide_file] if guide_file is not None else []
    sources = [_sources(question) for _, question in chosen]
    # Rendering is most of an export's time (about 0.5 ms per question): on every core.
    prerendered = ordered_map(_to_html, sources) if html else [("",) * len(f) for f in sources]
    rendered = tuple(
        render_question(file, question, guide, guide_paths, fields)
        for (file, question), fields in zip(chosen, prerendered, strict=True)
    )
    return ExportBank(guide, rendered, f"qbank {__version__}")


def render_question(
    file: QuestionFile,
    question: Question,
    guide: ExamGuide,
    also_read: Sequence[Path] = (),
    prerendered: Sequence[str] | None = None,
) -> RenderedQuestion:
    """The question rendered. `also_read` are further inputs (the guide) for its `modified`;
    `prerendered` is `_sources(question)` rendered already (in bulk, in parallel)."""
    subsection = guide.subsection(question.domain)
    section = guide.section(question.section)
    if subsection is None or section is None:
        raise QbankError(f"{file.path}: domain {question.domain} is not in the exam guide")
    images = _images(file, question)
    names = {src: image.name for src, image, _ in images}
    stem, explanation, *parts = [
        _point_images(fragment, names) for fragment in prerendered or _to_html(_sources(question))
    ]
    options = tuple(
        RenderedOption(o.text, parts[2 * i], o.correct, o.rationale, parts[2 * i + 1])
        for i, o in enumerate(question.options)
    )
    unique = tuple({image.name: image for _, image, _ in images}.values())
    inputs = [*([file.source] if file.source else []), *also_read, *(p for _, _, p in images)]
    return RenderedQuestion(
        question, file.path, section, subsection, stem, explanation, options, unique,
        last_modified(inputs),
    )  # fmt: skip


def _sources(question: Question) -> tuple[str, ...]:
    """The Markdown fields in a fixed order: stem, explanation, then each option's text and
    rationale ("" where a field is absent)."""
    options = (part for o in question.options for part in (o.text, o.rationale or ""))
    return (question.stem, question.explanation or "", *options)


def _to_html(sources: Sequence[str]) -> tuple[str, ...]:
    return tuple(to_html(markdown) if markdown else "" for markdown in sources)


def markdown_fields(question: Question) -> Iterable[str]:
    return (text for _, text in question.markdown_fields())


def _images(file: QuestionFile, question: Question) -> list[tuple[str, Image, Path]]:
    """Each local image a field shows (src, image, file), read now: a missing one stops the
    export early."""
    folder = Path(file.source).parent if file.source else Path(file.path).parent
    found: list[tuple[str, Image, Path]] = []
    # Only "![" starts a Markdown image: fields without it need no second parse.
    for field in (f for f in markdown_fields(question) if "![" in f):
        for src, _alt in image_sources(field):
            if "://" in src or src.startswith("data:"):
                raise QbankError(f"{file.path}: image {src} must be a file next to the question")
            path = (folder / src).resolve()
            if not path.is_file():
                raise QbankError(f"{file.path}: image {src} not found ({path})")
            data = path.read_bytes()
            digest = hashlib.sha256(data).hexdigest()[:16]
            found.append((src, Image(f"{digest}{path.suffix.lower()}", data), path))
    return found


def _point_images(rendered: str, names: dict[str, str]) -> str:
    """Point each img at its export name (exporters add their own prefix to that name)."""
    if not names:
        return rendered
    for src, name in names.items():
        rendered = rendered.replace(f'src="{html.escape(src)}"', f'src="{name}"')
    return rendered


def with_image_prefix(rendered: str, images: Iterable[Image], prefix: str) -> str:
    for image in images:
        rendered = rendered.replace(f'src="{image.name}"', f'src="{prefix}{image.name}"')
    return rendered
