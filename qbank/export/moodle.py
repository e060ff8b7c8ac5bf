"""Moodle XML: one file that Moodle's question import (question/format/xml) reads as it is.

Categories mirror the exam guide, each question carries its id as `idnumber` (so a second
import can be matched), and every grade is one that Moodle's "error if grade not listed"
import mode accepts.
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from qbank.errors import QbankError
from qbank.export import lms
from qbank.export.base import ExportBank, RenderedQuestion
from qbank.export.output import write_file
from qbank.export.parallel import ordered_map
from qbank.export.render import with_image_prefix
from qbank.export.xml_parts import Mould, PartedDocument

# Moodle's list of grades (question_bank::fraction_options_full), in percent; negatives too.
MOODLE_GRADES = (
    "100", "90", "83.33333", "80", "75", "70", "66.66667", "60", "50", "40", "33.33333", "30",
    "25", "20", "16.66667", "14.28571", "12.5", "11.11111", "10", "5", "0",
)  # fmt: skip
GRADE_TOLERANCE = 1e-4  # percent; Moodle itself matches within 1e-3
PENALTY = "0.3333333"  # Moodle's default: a third of the mark lost per extra try
PLUGINFILE = "@@PLUGINFILE@@/"


class MoodleExporter:
    name = "moodle"
    suffix = ".xml"

    def export(self, bank: ExportBank, out: Path) -> None:
        write_file(out, quiz(bank))


def quiz(bank: ExportBank) -> bytes:
    """Each question, after a category entry where a new category starts; the questions are
    built on every core."""
    questions = lms.questions_to_export(bank)
    categories = [category_path(bank.guide.exam, question) for question in questions]
    starts = [
        c if c != before else None
        for c, before in zip(categories, [None, *categories], strict=False)
    ]
    root = etree.Element("quiz")
    document = PartedDocument(root, root)

    def part(entry: tuple[RenderedQuestion, str | None]) -> bytes:
        question, category = entry

        mould, values = _question(question)
        with mould.filled(values) as entry:

            def add(quiz: etree._Element) -> None:
                if category is not None:
                    quiz.append(_category(category))
                quiz.append(entry)

            return document.part(add)

    return document.document(ordered_map(part, list(zip(questions, starts, strict=True))))


def category_path(exam: str, question: RenderedQuestion) -> str:
    """`$course$/top/<exam>/<section>/<subsection>`, with Moodle's escaping of `/` in names."""
    section = f"{question.section.code} {question.section.title}"
    subsection = f"{question.subsection.code} {question.subsection.title}"
    return "/".join(["$course$", "top", *(_category_name(n) for n in (exam, section, subsection))])


def _category_name(name: str) -> str:
    escaped = name.strip().replace("/", "//")
    # Moodle pads a name that starts or ends with a slash, so it is not read as a separator.
    if escaped.startswith("/"):
        escaped = f" {escaped}"
    if escaped.endswith("/"):
        escaped = f"{escaped} "
    return escaped


def share(count: int) -> str | None:
    """The grade in Moodle's list that is exactly 100 / count percent, if there is one."""
    exact = 100 / count
    return next((g for g in MOODLE_GRADES if abs(float(g) - exact) < GRADE_TOLERANCE), None)


def fractions(question: RenderedQuestion) -> list[str]:
    """Single: 100 for the key, 0 otherwise. Multiple: the key shares 100, each wrong option
    costs one share."""
    key = lms.answer_key(question)
    if not lms.is_multiple(question):
        return ["100" if index in key else "0" for index in range(len(question.options))]
    grade = share(len(key))
    if grade is None:
        raise QbankError(
            f"{question.path}: {question.id} asks to select {len(key)}, but Moodle has no grade "
            f"of 100/{len(key)} %; the correct options cannot share the mark exactly"
        )
    return [grade if index in key else f"-{grade}" for index in range(len(question.options))]


def _category(path: str) -> etree._Element:
    element = etree.Element("question", type="category")
    _text(etree.SubElement(element, "category"), path)
    return element


@dataclass(frozen=True)
class _Shape:
    """What makes two questions' entries differ in more than texts."""

    grades: tuple[str, ...]  # one per option
    multiple: bool
    shuffle: bool
    tags: int
    images: tuple[tuple[str, int], ...]  # (HTML field, how many images it shows), where any

    def names(self) -> list[str]:
        """The names of the values an entry of this shape is filled with."""
        options = [f"{kind}{i}" for i in range(len(self.grades)) for kind in _OPTION]
        files = [
            f"{field}.{part}{k}" for field, count in self.images for k in range(count)
            for part in _FILE
        ]  # fmt: skip
        tags = [f"tag{i}" for i in range(self.tags)]
        return ["name", "id", "stem", "general", *options, *tags, *files]


_OPTION = ("option", "rationale")
_FILE = ("file", "data")


def _question(question: RenderedQuestion) -> tuple[Mould, dict[str, str | etree.CDATA]]:
    """The question's entry: the mould for its shape and the values to fill it with."""
    html = {"stem": question.stem_html, "general": lms.general_feedback_html(question)}
    for index, option in enumerate(question.options):
        html[f"option{index}"], html[f"rationale{index}"] = option.html, option.rationale_html
    tags = lms.tags(question)
    values: dict[str, str | etree.CDATA] = {"name": lms.display_name(question), "id": question.id}
    values.update((f"tag{index}", tag) for index, tag in enumerate(tags))
    images = []
    for field, text in html.items():
        used = lms.images_in(text, question.images)
        values[field] = etree.CDATA(cdata_safe(with_image_prefix(text, used, PLUGINFILE)))
        for index, image in enumerate(used):
            values[f"{field}.file{index}"] = image.name
            values[f"{field}.data{index}"] = base64.b64encode(image.data).decode("ascii")
        if used:
            images.append((field, len(used)))
    shape = _Shape(
        tuple(fractions(question)), lms.is_multiple(question), question.question.shuffle,
        len(tags), tuple(images),
    )  # fmt: skip
    return _mould(shape), values


@functools.lru_cache(maxsize=1024)
def _mould(shape: _Shape) -> Mould:
    return Mould(functools.partial(_build_question, shape), shape.names())


def _build_question(shape: _Shape, values: Mapping[str, str]) -> etree._Element:
    images = dict(shape.images)
    element = etree.Element("question", type="multichoice")

    def html(parent: etree._Element, tag: str, field: str, **attributes: str) -> etree._Element:
        """`<tag format="html"><text>CDATA</text><file …/>…</tag>`, with the images it shows."""
        element = etree.SubElement(parent, tag, **attributes, format="html")
        etree.SubElement(element, "text").text = etree.CDATA(values[field])
        for index in range(images.get(field, 0)):
            file = etree.SubElement(
                element, "file", name=values[f"{field}.file{index}"], path="/", encoding="base64"
            )
            file.text = values[f"{field}.data{index}"]
        return element

    def fixed(tag: str, text: str) -> None:
        """An HTML field that is the same for every question."""
        text_element = etree.SubElement(etree.SubElement(element, tag, format="html"), "text")
        text_element.text = etree.CDATA(cdata_safe(text))

    _text(etree.SubElement(element, "name"), values["name"])
    html(element, "questiontext", "stem")
    html(element, "generalfeedback", "general")
    _values(
        element,
        ("defaultgrade", str(lms.POINTS)),
        ("penalty", PENALTY),
        ("hidden", "0"),
        ("idnumber", values["id"]),
        ("single", "false" if shape.multiple else "true"),
        ("shuffleanswers", "true" if shape.shuffle else "false"),
        ("answernumbering", "abc"),
        # The stem already says how many to choose (QB203), so no generic "Select one:".
        ("showstandardinstruction", "0"),
    )
    fixed("correctfeedback", lms.CORRECT_FEEDBACK)
    fixed("partiallycorrectfeedback", lms.PARTIALLY_CORRECT_FEEDBACK)
    fixed("incorrectfeedback", lms.INCORRECT_FEEDBACK)
    if shape.multiple:
        etree.SubElement(element, "shownumcorrect")
    for index, grade in enumerate(shape.grades):
        answer = html(element, "answer", f"option{index}", fraction=grade)
        html(answer, "feedback", f"rationale{index}")
    tags = etree.SubElement(element, "tags")
    for index in range(shape.tags):
        _text(etree.SubElement(tags, "tag"), values[f"tag{index}"])
    return element


def cdata_safe(html: str) -> str:
    """HTML that can sit in one CDATA section: `]]>` becomes `]]&gt;`, which HTML reads the same."""
    return html.replace("]]>", "]]&gt;")


def _text(element: etree._Element, value: str) -> None:
    etree.SubElement(element, "text").text = value


def _values(parent: etree._Element, *pairs: tuple[str, str]) -> None:
    for tag, value in pairs:
        etree.SubElement(parent, tag).text = value
