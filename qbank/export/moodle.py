"""Moodle XML: one file that Moodle's question import (question/format/xml) reads as it is.

Categories mirror the exam guide, each question carries its id as `idnumber` (so a second
import can be matched), and every grade is one that Moodle's "error if grade not listed"
import mode accepts.
"""

from __future__ import annotations

import base64
from pathlib import Path

from lxml import etree

from qbank.errors import QbankError
from qbank.export import lms
from qbank.export.base import ExportBank, RenderedQuestion
from qbank.export.output import write_file
from qbank.export.render import with_image_prefix
from qbank.export.parallel import ordered_map
from qbank.export.xml_parts import PartedDocument

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
    starts = [c if c != before else None for c, before in zip(categories, [None, *categories])]
    root = etree.Element("quiz")
    document = PartedDocument(root, root)

    def part(entry: tuple[RenderedQuestion, str | None]) -> bytes:
        question, category = entry

        def add(quiz: etree._Element) -> None:
            if category is not None:
                quiz.append(_category(category))
            quiz.append(_question(question))

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


def _question(question: RenderedQuestion) -> etree._Element:
    grades = fractions(question)
    element = etree.Element("question", type="multichoice")
    _text(etree.SubElement(element, "name"), lms.display_name(question))
    _html(element, "questiontext", question.stem_html, question)
    _html(element, "generalfeedback", lms.general_feedback_html(question), question)
    multiple = lms.is_multiple(question)
    _values(
        element,
        ("defaultgrade", str(lms.POINTS)),
        ("penalty", PENALTY),
        ("hidden", "0"),
        ("idnumber", question.id),
        ("single", "false" if multiple else "true"),
        ("shuffleanswers", "true" if question.question.shuffle else "false"),
        ("answernumbering", "abc"),
        # The stem already says how many to choose (QB203), so no generic "Select one:".
        ("showstandardinstruction", "0"),
    )
    _html(element, "correctfeedback", lms.CORRECT_FEEDBACK, question)
    _html(element, "partiallycorrectfeedback", lms.PARTIALLY_CORRECT_FEEDBACK, question)
    _html(element, "incorrectfeedback", lms.INCORRECT_FEEDBACK, question)
    if multiple:
        etree.SubElement(element, "shownumcorrect")
    for option, grade in zip(question.options, grades, strict=True):
        answer = _html(element, "answer", option.html, question, fraction=grade)
        _html(answer, "feedback", option.rationale_html, question)
    tags = etree.SubElement(element, "tags")
    for tag in lms.tags(question):
        _text(etree.SubElement(tags, "tag"), tag)
    return element


def _html(
    parent: etree._Element, tag: str, html: str, question: RenderedQuestion, **attributes: str
) -> etree._Element:
    """`<tag format="html"><text>CDATA</text><file …/>…</tag>`, with the images it shows."""
    element = etree.SubElement(parent, tag, **attributes, format="html")
    used = lms.images_in(html, question.images)
    text = etree.SubElement(element, "text")
    text.text = etree.CDATA(cdata_safe(with_image_prefix(html, used, PLUGINFILE)))
    for image in used:
        file = etree.SubElement(element, "file", name=image.name, path="/", encoding="base64")
        file.text = base64.b64encode(image.data).decode("ascii")
    return element


def cdata_safe(html: str) -> str:
    """HTML that can sit in one CDATA section: `]]>` becomes `]]&gt;`, which HTML reads the same."""
    return html.replace("]]>", "]]&gt;")


def _text(element: etree._Element, value: str) -> None:
    etree.SubElement(element, "text").text = value


def _values(parent: etree._Element, *pairs: tuple[str, str]) -> None:
    for tag, value in pairs:
        etree.SubElement(parent, tag).text = value
