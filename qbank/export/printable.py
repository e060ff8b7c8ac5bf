"""A printable exam and its answer key (paper sittings, accommodations): one HTML page with a
print stylesheet (exporters/print/), to print from a browser or render to PDF.

Questions are numbered and options lettered; the stem says how many to choose (QB203). Each
question is one block that a page break never splits, and the key starts a page of its own.
Options are shuffled where `shuffle` allows, in an order fixed by the question's id, so the
same bank always prints the same exam. With `qbank build-exam --format print` the questions
are build-exam's draw for the seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from qbank.export import lms
from qbank.export.base import ExportBank, RenderedQuestion
from qbank.export.output import write_file
from qbank.export.page import inline_images, static_text
from qbank.export.templates import environment


@dataclass(frozen=True)
class PrintedOption:
    letter: str
    html: Markup


@dataclass(frozen=True)
class PrintedQuestion:
    number: int
    id: str
    domain: str
    topic: str
    stem: Markup
    options: tuple[PrintedOption, ...]
    key: str  # "B", or "A, D"


class PrintExporter:
    name = "print"
    suffix = ".html"
    templates: Path | None = None

    def export(self, bank: ExportBank, out: Path) -> None:
        env = environment(self.name, self.templates)
        questions = lms.questions_to_export(bank)
        page = env.get_template("exam.html.j2").render(
            exam=bank.guide.exam,
            guide_version=bank.guide.version,
            generator=bank.generator,
            css=static_text(env, "print.css"),
            questions=[printed(n, q) for n, q in enumerate(questions, start=1)],
        )
        write_file(out, page.encode("utf-8"))


def option_order(rendered: RenderedQuestion) -> list[int]:
    """The options' order on paper: shuffled by the question's id unless `shuffle: false`."""
    order = list(range(len(rendered.options)))
    if rendered.question.shuffle:
        random.Random(rendered.id).shuffle(order)
    return order


def printed(number: int, rendered: RenderedQuestion) -> PrintedQuestion:
    key = set(lms.answer_key(rendered))
    order = option_order(rendered)
    letters = [lms.choice_identifier(position) for position in range(len(order))]

    def html(fragment: str) -> Markup:
        return Markup(inline_images(fragment, rendered.images))

    return PrintedQuestion(
        number=number, id=rendered.id, domain=rendered.subsection.code,
        topic=f"{rendered.subsection.code} {rendered.subsection.title}",
        stem=html(rendered.stem_html),
        options=tuple(
            PrintedOption(letter, html(rendered.options[index].html))
            for letter, index in zip(letters, order, strict=True)
        ),
        key=", ".join(letter for letter, index in zip(letters, order, strict=True) if index in key),
    )  # fmt: skip
