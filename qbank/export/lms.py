"""What the LMS exports (Moodle XML, QTI 2.1, QTI 1.2) share: keys, titles, feedback, ids.

Each format decides how to write these; what they mean is decided once, here.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from lxml import etree

from qbank.errors import QbankError
from qbank.export.base import ExportBank, Image, RenderedQuestion
from qbank.markdown import URL_SCHEMES, to_text

XSI = "http://www.w3.org/2001/XMLSchema-instance"
POINTS = 1  # every question is worth the same; the LMS scales the quiz total
TITLE_LENGTH = 60

# The overall feedback an LMS shows after grading, in the words Moodle uses by default.
CORRECT_FEEDBACK = "<p>Your answer is correct.</p>"
PARTIALLY_CORRECT_FEEDBACK = "<p>Your answer is partially correct.</p>"
INCORRECT_FEEDBACK = "<p>Your answer is incorrect.</p>"

_NOT_NAME_START = re.compile(r"^[^A-Za-z_]")
_NOT_NAME_CHARACTER = re.compile(r"[^A-Za-z0-9_.-]")


def questions_to_export(bank: ExportBank) -> tuple[RenderedQuestion, ...]:
    if not bank.questions:
        raise QbankError("no question matches the filters: nothing to export")
    return bank.questions


def answer_key(question: RenderedQuestion) -> tuple[int, ...]:
    """Indexes of the correct options; a key the LMS cannot grade stops the export."""
    key = tuple(index for index, option in enumerate(question.options) if option.correct)
    model = question.question
    if not key:
        raise QbankError(f"{question.path}: {question.id} has no correct option; cannot export")
    if model.type == "single" and len(key) != 1:
        raise QbankError(
            f"{question.path}: {question.id} is single-answer but has {len(key)} correct options"
        )
    if model.type == "multiple" and len(key) != model.select:
        raise QbankError(
            f"{question.path}: {question.id} asks to select {model.select} "
            f"but has {len(key)} correct options"
        )
    return key


def is_multiple(question: RenderedQuestion) -> bool:
    return question.question.type == "multiple"


def short_title(question: RenderedQuestion) -> str:
    """The stem's first words, for lists of questions in an LMS."""
    text = to_text(question.question.stem)
    if len(text) <= TITLE_LENGTH:
        return text
    cut = text[:TITLE_LENGTH].rsplit(" ", 1)[0]
    return f"{cut}…"


def display_name(question: RenderedQuestion) -> str:
    return f"{question.id} — {short_title(question)}"


def xml_identifier(question_id: str) -> str:
    """The question id as an XML name (QTI and IMS CP identifiers must not start with a digit)."""
    return f"_{question_id}" if _NOT_NAME_START.match(question_id) else question_id


def name_part(text: str) -> str:
    """`text` made safe to go after a prefix in an XML identifier (a short name, a file name)."""
    return _NOT_NAME_CHARACTER.sub("_", text)


def choice_identifier(index: int) -> str:
    return chr(ord("A") + index)


def tags(question: RenderedQuestion) -> list[str]:
    """Section, subsection, difficulty and the question's own tags, without repeats."""
    found = [f"section:{question.section.code}", f"subsection:{question.subsection.code}"]
    if question.question.difficulty:
        found.append(f"difficulty:{question.question.difficulty}")
    found.extend(question.question.tags)
    return list(dict.fromkeys(found))


def general_feedback_html(question: RenderedQuestion) -> str:
    """The explanation followed by the references as links: shown once the answer is graded."""
    parts = [question.explanation_html] if question.explanation_html else []
    if question.question.references:
        parts.append(references_html(tuple(question.question.references)))
    return "\n".join(parts)


@functools.lru_cache(maxsize=4096)  # many questions cite the same pages
def references_html(urls: tuple[str, ...]) -> str:
    block = etree.Element("div", {"class": "references"})
    etree.SubElement(etree.SubElement(block, "p"), "strong").text = "References"
    listing = etree.SubElement(block, "ul")
    for url in urls:
        item = etree.SubElement(listing, "li")
        if urlsplit(url).scheme.lower() in URL_SCHEMES:
            etree.SubElement(item, "a", href=url, rel="noopener noreferrer").text = url
        else:  # never a link with a scheme the sanitiser would refuse
            item.text = url
    return str(etree.tostring(block, method="html", encoding="unicode"))


def images_in(html: str, images: Iterable[Image]) -> list[Image]:
    """The images this piece of HTML shows (before any prefix is added to their names)."""
    return [image for image in images if f'src="{image.name}"' in html]


def document_root(
    namespace: str,
    tag: str,
    schema_location: str,
    prefixes: dict[str, str] | None = None,
    **attributes: str,
) -> etree._Element:
    """A root element in `namespace` (the default one) that says where its schemas are."""
    nsmap: dict[str | None, str] = {None: namespace, "xsi": XSI}
    nsmap.update(prefixes or {})
    root = etree.Element(f"{{{namespace}}}{tag}", nsmap=nsmap, **attributes)
    root.set(f"{{{XSI}}}schemaLocation", schema_location)
    return root
