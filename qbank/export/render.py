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


def render_bank(bank: Bank, filters: Filters | None = None) -> ExportBank:
    filters = filters or Filters()
    guide = bank.guide
    if guide is None:
        raise QbankError("the exam guide is missing or invalid; run `qbank lint`")
    chosen = [(f, q) for f, q in bank.questions() if filters.keep(q)]
    order = {sub.code: index for index, sub in enumerate(guide.subsections)}
    chosen.sort(key=lambda pair: (order.get(pair[1].domain, len(order)), pair[1].id))
    guide_file = bank.guide_file.source if bank.guide_file is not None else None
    guide_paths = [guide_file] if guide_file is not None else []
    rendered = tuple(
        render_question(file, question, guide, guide_paths) for file, question in chosen
    )
    return ExportBank(guide, rendered, f"qbank {__version__}")


def render_question(
    file: QuestionFile, question: Question, guide: ExamGuide, also_read: Sequence[Path] = ()
) -> RenderedQuestion:
    """The question rendered; `also_read` are further inputs (the guide) for its `modified`."""
    subsection = guide.subsection(question.domain)
    section = guide.section(question.section)
    if subsection is None or section is None:
        raise QbankError(f"{file.path}: domain {question.domain} is not in the exam guide")
    images = _images(file, question)
    names = {src: image.name for src, image, _ in images}

    def render(markdown: str | None) -> str:
        return _point_images(to_html(markdown), names) if markdown else ""

    options = tuple(
        RenderedOption(o.text, render(o.text), o.correct, o.rationale, render(o.rationale))
        for o in question.options
    )
    unique = tuple({image.name: image for _, image, _ in images}.values())
    inputs = [*([file.source] if file.source else []), *also_read, *(p for _, _, p in images)]
    return RenderedQuestion(
        question, file.path, section, subsection, render(question.stem),
        render(question.explanation), options, unique, last_modified(inputs),
    )  # fmt: skip


def markdown_fields(question: Question) -> Iterable[str]:
    yield question.stem
    for option in question.options:
        yield option.text
        if option.rationale:
            yield option.rationale
    if question.explanation:
        yield question.explanation


def _images(file: QuestionFile, question: Question) -> list[tuple[str, Image, Path]]:
    """Each local image a field shows (src, image, file), read now: a missing one stops the
    export early."""
    folder = Path(file.source).parent if file.source else Path(file.path).parent
    found: list[tuple[str, Image, Path]] = []
    for field in markdown_fields(question):
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
    for src, name in names.items():
        rendered = rendered.replace(f'src="{html.escape(src)}"', f'src="{name}"')
    return rendered


def with_image_prefix(rendered: str, images: Iterable[Image], prefix: str) -> str:
    for image in images:
        rendered = rendered.replace(f'src="{image.name}"', f'src="{prefix}{image.name}"')
    return rendered
