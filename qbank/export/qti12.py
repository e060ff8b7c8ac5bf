"""QTI 1.2 in the dialect Canvas Classic Quizzes imports (the one text2qti and Canvas write).

Layout of the zip: `imsmanifest.xml`, `<quiz id>/<quiz id>.xml` (the assessment),
`<quiz id>/assessment_meta.xml` (Canvas's quiz settings) and `images/<hash>.<ext>`, which the
HTML reaches through Canvas's `$IMS-CC-FILEBASE$` prefix. Item idents are the question ids.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from lxml.html import builder as html_builder
from lxml.html import tostring as html_tostring

from qbank.export import lms
from qbank.export.base import ExportBank, RenderedQuestion
from qbank.export.manifest import Package, Resource, manifest
from qbank.export.output import write_file, zip_bytes
from qbank.export.parallel import ordered_results
from qbank.export.render import with_image_prefix
from qbank.export.xml_parts import Mould, PartedDocument, xml_bytes

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
QTI_LOCATION = f"{QTI_NS} http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd"
CANVAS_NS = "http://canvas.instructure.com/xsd/cccv1p0"
CANVAS_LOCATION = f"{CANVAS_NS} https://canvas.instructure.com/xsd/cccv1p0.xsd"
CC_PACKAGE = Package(
    namespace="http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1",
    schema_locations=(
        (
            "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1",
            "http://www.imsglobal.org/xsd/imscp_v1p1.xsd",
        ),
    ),
    schema="IMS Content",
    schema_version="1.1.3",
)
IMAGE_PREFIX = "%24IMS-CC-FILEBASE%24/images/"  # Canvas resolves it to the package's files
RESPONSE = "response1"
GENERAL, CORRECT, INCORRECT = "general_fb", "correct_fb", "general_incorrect_fb"


class Qti12Exporter:
    name = "qti12"
    suffix = ".zip"

    def export(self, bank: ExportBank, out: Path) -> None:
        write_file(out, package(bank))


def package(bank: ExportBank) -> bytes:
    quiz_id = f"qbank_{lms.name_part(bank.guide.short_name)}"
    meta_id = f"{quiz_id}_meta"
    assessment_href, meta_href = f"{quiz_id}/{quiz_id}.xml", f"{quiz_id}/assessment_meta.xml"
    files: dict[str, bytes | Iterator[bytes]] = {
        assessment_href: assessment(bank, quiz_id),
        meta_href: xml_bytes(assessment_meta(bank, quiz_id)),
    }
    resources = [
        Resource(quiz_id, "imsqti_xmlv1p2", assessment_href, (meta_id,)),
        Resource(
            meta_id, "associatedcontent/imscc_xmlv1p1/learning-application-resource", meta_href
        ),
    ]
    for name, data in sorted(bank.images.items()):
        files[f"images/{name}"] = data
        resources.append(Resource(f"{quiz_id}_image_{name}", "webcontent", f"images/{name}"))
    files["imsmanifest.xml"] = xml_bytes(manifest(CC_PACKAGE, f"{quiz_id}_manifest", resources))
    return zip_bytes(files)


def assessment(bank: ExportBank, quiz_id: str) -> Iterator[bytes]:
    """The quiz: one section with every question's item, the items built on every core and
    passed on, in pieces, as they come."""
    root = lms.document_root(QTI_NS, "questestinterop", QTI_LOCATION)
    test = _sub(root, "assessment", ident=quiz_id, title=bank.guide.exam)
    document = PartedDocument(root, _sub(test, "section", ident="root_section"))

    def item_part(question: RenderedQuestion) -> bytes:
        mould, values = item(question)
        with mould.filled(values) as element:
            return document.part(lambda section: section.append(element))

    return document.chunks(ordered_results(item_part, lms.questions_to_export(bank)))


@dataclass(frozen=True)
class _Shape:
    """What makes two questions' items differ in more than texts and identifiers."""

    options: int
    multiple: bool
    key: tuple[int, ...]
    rationales: tuple[bool, ...]  # which options have one
    general: bool  # whether there is general feedback (explanation or references)
    shuffle: bool

    def names(self) -> list[str]:
        """The names of the values an item of this shape is filled with."""
        per_option = [f"{kind}{index}" for index in range(self.options) for kind in _OPTION]
        return ["ident", "title", "stem", "general", *per_option]


_OPTION = ("option", "rationale")


def item(question: RenderedQuestion) -> tuple[Mould, dict[str, str]]:
    """The question's item: the mould for its shape and the values to fill it with."""

    def html(source: str) -> str:
        return with_image_prefix(source, question.images, IMAGE_PREFIX)

    general = lms.general_feedback_html(question)
    shape = _Shape(
        len(question.options), lms.is_multiple(question), lms.answer_key(question),
        tuple(bool(option.rationale_html) for option in question.options), bool(general),
        question.question.shuffle,
    )  # fmt: skip
    values = {
        "ident": lms.xml_identifier(question.id), "title": lms.display_name(question),
        "stem": html(question.stem_html), "general": html(general),
    }  # fmt: skip
    for index, option in enumerate(question.options):
        values[f"option{index}"] = html(option.html)
        values[f"rationale{index}"] = html(option.rationale_html)
    return _mould(shape), values


@functools.cache
def _mould(shape: _Shape) -> Mould:
    return Mould(functools.partial(_build_item, shape), shape.names())


def _build_item(shape: _Shape, values: Mapping[str, str]) -> etree._Element:
    ident = values["ident"]
    answers = [f"{ident}-{lms.choice_identifier(i)}" for i in range(shape.options)]
    element = etree.Element(_q("item"), ident=ident, title=values["title"])
    _metadata(
        element,
        question_type="multiple_answers_question" if shape.multiple else "multiple_choice_question",
        points_possible=str(lms.POINTS),
        original_answer_ids=",".join(answers),
        assessment_question_identifierref=f"{ident}-bank",
    )
    presentation = _sub(element, "presentation")
    _material(presentation, values["stem"])
    cardinality = "Multiple" if shape.multiple else "Single"
    response = _sub(presentation, "response_lid", ident=RESPONSE, rcardinality=cardinality)
    choices = _sub(response, "render_choice", shuffle="Yes" if shape.shuffle else "No")
    for index, answer in enumerate(answers):
        _material(_sub(choices, "response_label", ident=answer), values[f"option{index}"])
    _resprocessing(element, shape, answers)
    feedback = [(GENERAL, values["general"] if shape.general else "")]
    feedback += [(CORRECT, lms.CORRECT_FEEDBACK), (INCORRECT, lms.INCORRECT_FEEDBACK)]
    for index, answer in enumerate(answers):
        rationale = values[f"rationale{index}"] if shape.rationales[index] else ""
        feedback.append((f"{answer}_fb", rationale))
    for name, content in feedback:
        if content:
            flow = _sub(_sub(element, "itemfeedback", ident=name), "flow_mat")
            _material(flow, content)
    return element


def _metadata(item: etree._Element, **fields: str) -> None:
    """Canvas reads the question type and points from these label/entry pairs."""
    metadata = _sub(_sub(item, "itemmetadata"), "qtimetadata")
    for label, entry in fields.items():
        field = _sub(metadata, "qtimetadatafield")
        _sub(field, "fieldlabel").text = label
        _sub(field, "fieldentry").text = entry


def _resprocessing(item: etree._Element, shape: _Shape, answers: list[str]) -> None:
    processing = _sub(item, "resprocessing")
    _sub(
        _sub(processing, "outcomes"),
        "decvar",
        maxvalue="100",
        minvalue="0",
        varname="SCORE",
        vartype="Decimal",
    )
    if shape.general:
        _sub(_condition(processing, "Yes", GENERAL), "other")
    for answer, rationale in zip(answers, shape.rationales, strict=True):
        if rationale:
            _varequal(_condition(processing, "Yes", f"{answer}_fb"), answer)
    if shape.multiple:
        both = _sub(_condition(processing, "No", CORRECT, score=True), "and")
        for index, answer in enumerate(answers):
            _varequal(both if index in shape.key else _sub(both, "not"), answer)
    else:
        _varequal(_condition(processing, "No", CORRECT, score=True), answers[shape.key[0]])
    _sub(_condition(processing, "Yes", INCORRECT), "other")


def _condition(
    processing: etree._Element, go_on: str, feedback: str, score: bool = False
) -> etree._Element:
    """A respcondition that shows `feedback` (and scores 100); returns its conditionvar."""
    condition = _sub(processing, "respcondition", attrib={"continue": go_on})
    variables = _sub(condition, "conditionvar")
    if score:
        _sub(condition, "setvar", action="Set", varname="SCORE").text = "100"
    _sub(condition, "displayfeedback", feedbacktype="Response", linkrefid=feedback)
    return variables


def _varequal(parent: etree._Element, answer: str) -> None:
    _sub(parent, "varequal", respident=RESPONSE).text = answer


def _material(parent: etree._Element, html: str) -> None:
    _sub(_sub(parent, "material"), "mattext", texttype="text/html").text = html


def _q(tag: str) -> str:
    return f"{{{QTI_NS}}}{tag}"


def _sub(
    parent: etree._Element, tag: str, attrib: dict[str, str] | None = None, **attributes: str
) -> etree._Element:
    return etree.SubElement(parent, _q(tag), attrib or {}, **attributes)


def assessment_meta(bank: ExportBank, quiz_id: str) -> etree._Element:
    """Canvas's quiz settings: a practice quiz, shuffled only if every question allows it."""
    root = lms.document_root(CANVAS_NS, "quiz", CANVAS_LOCATION, identifier=quiz_id)
    questions = lms.questions_to_export(bank)
    guide = bank.guide
    summary = (
        f"{len(questions)} questions for {guide.exam} (guide {guide.version}), {bank.generator}."
    )
    for tag, value in (
        ("title", guide.exam),
        ("description", str(html_tostring(html_builder.P(summary), encoding="unicode"))),
        ("shuffle_answers", "true" if all(q.question.shuffle for q in questions) else "false"),
        ("scoring_policy", "keep_highest"),
        ("quiz_type", "practice_quiz"),
        ("points_possible", str(lms.POINTS * len(questions))),
        ("show_correct_answers", "true"),
        ("allowed_attempts", "-1"),
    ):
        etree.SubElement(root, f"{{{CANVAS_NS}}}{tag}").text = value
    return root
