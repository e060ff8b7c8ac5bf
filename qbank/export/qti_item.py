"""One question as a QTI 2.1 `assessmentItem`, and its metadata for the package manifest."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from qbank import __version__
from qbank.export import lms
from qbank.export.base import RenderedQuestion
from qbank.export.qti_html import QTI_NS, Node, blocks, fill, flow, qti
from qbank.export.render import with_image_prefix
from qbank.export.xml_parts import stamped

QTI_LOCATION = f"{QTI_NS} http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
IMSMD = "http://www.imsglobal.org/xsd/imsmd_v1p2"
QTI_METADATA = "http://www.imsglobal.org/xsd/imsqti_metadata_v2p1"
TOOL = "qbank"

RESPONSE = "RESPONSE"
FEEDBACK = "FEEDBACK"  # holds the chosen options, so each one's rationale shows
EXPLANATION = "EXPLANATION"  # set on every submission, so the explanation shows
SHOW = "SHOW"

# LOM 1.2 difficulty vocabulary: very easy, easy, medium, difficult, very difficult.
LOM_DIFFICULTY = {"easy": "easy", "medium": "medium", "hard": "difficult"}


def assessment_item(question: RenderedQuestion, image_prefix: str) -> etree._Element:
    def html(source: str) -> str:
        return with_image_prefix(source, question.images, image_prefix)

    feedback = _general_feedback(question, html)
    item = _frame(
        "multiple" if lms.is_multiple(question) else "single",
        lms.answer_key(question),
        any(option.rationale_html for option in question.options),
        bool(feedback),
    )
    item.set("identifier", lms.xml_identifier(question.id))
    item.set("title", lms.display_name(question))
    item.find(qti("responseProcessing")).addprevious(_body(question, html))
    if feedback:
        fill(item.find(qti("modalFeedback")), feedback)
    return item


def _general_feedback(question: RenderedQuestion, html: Callable[[str], str]) -> list[Node]:
    """`flow(html(lms.general_feedback_html(question)))`, the explanation and the references
    converted apart (the references once per list of URLs): each part of the sanitised HTML
    is whole elements, so parsing them apart gives the same nodes."""
    nodes = flow(html(question.explanation_html))
    if question.question.references:
        if nodes:
            nodes.append("\n")
        nodes.append(_references(tuple(question.question.references)))
    return nodes


@stamped
def _references(urls: tuple[str, ...]) -> etree._Element:
    (block,) = flow(lms.references_html(urls))
    assert isinstance(block, etree._Element), "the references are one <div>"
    return block


@stamped
def _frame(
    cardinality: str, key: tuple[int, ...], rationales: bool, explanation: bool
) -> etree._Element:
    """An item without its identifier, title and content: the same for every question of
    this kind, so built once and copied."""
    item = lms.document_root(
        QTI_NS, "assessmentItem", QTI_LOCATION, identifier="", title="", adaptive="false",
        timeDependent="false", toolName=TOOL, toolVersion=__version__,
    )  # fmt: skip
    _declarations(item, cardinality, key, rationales, explanation)
    _response_processing(item, rationales, explanation)
    if explanation:
        modal = _sub(item, "modalFeedback", outcomeIdentifier=EXPLANATION, identifier=SHOW)
        modal.set("showHide", "show")
        modal.set("title", "Explanation")
    return item


def _declarations(
    item: etree._Element,
    cardinality: str,
    key: tuple[int, ...],
    rationales: bool,
    explanation: bool,
) -> None:
    declaration = _sub(item, "responseDeclaration", identifier=RESPONSE, cardinality=cardinality)
    declaration.set("baseType", "identifier")
    correct = _sub(declaration, "correctResponse")
    for index in key:
        _sub(correct, "value").text = lms.choice_identifier(index)
    _outcome(item, "SCORE", "single", "float", "0")
    _outcome(item, "MAXSCORE", "single", "float", str(lms.POINTS))
    if rationales:
        _outcome(item, FEEDBACK, cardinality, "identifier")
    if explanation:
        _outcome(item, EXPLANATION, "single", "identifier")


def _body(question: RenderedQuestion, html: Callable[[str], str]) -> etree._Element:
    """The stem, then the options, each with its rationale shown once it has been chosen."""
    body = fill(etree.Element(qti("itemBody")), blocks(html(question.stem_html)))
    interaction = _sub(
        body, "choiceInteraction", responseIdentifier=RESPONSE,
        shuffle="true" if question.question.shuffle else "false",
        maxChoices=str(question.question.select or 1),
    )  # fmt: skip
    for index, option in enumerate(question.options):
        identifier = lms.choice_identifier(index)
        choice = _sub(interaction, "simpleChoice", identifier=identifier)
        fill(choice, flow(html(option.html)))
        if option.rationale_html:
            rationale = _sub(choice, "feedbackBlock", outcomeIdentifier=FEEDBACK)
            rationale.set("identifier", identifier)
            rationale.set("showHide", "show")
            fill(rationale, flow(html(option.rationale_html)))
    return body


def match_correct() -> etree._Element:
    """The rules of the standard match_correct template: SCORE 1 if the response is the key."""
    condition = etree.Element(qti("responseCondition"))
    branch = _sub(condition, "responseIf")
    match = _sub(branch, "match")
    _sub(match, "variable", identifier=RESPONSE)
    _sub(match, "correct", identifier=RESPONSE)
    _set_value(branch, "SCORE", "float", "1")
    _set_value(_sub(condition, "responseElse"), "SCORE", "float", "0")
    return condition


def _response_processing(item: etree._Element, rationales: bool, explanation: bool) -> None:
    # match_correct's rules written out, as TAO writes an item with feedback: an engine that
    # ran the template by its URI instead would skip the feedback rules that follow them.
    processing = _sub(item, "responseProcessing")
    processing.append(match_correct())
    if rationales:
        _sub(
            _sub(processing, "setOutcomeValue", identifier=FEEDBACK),
            "variable",
            identifier=RESPONSE,
        )
    if explanation:
        _set_value(processing, EXPLANATION, "identifier", SHOW)


def _outcome(
    item: etree._Element, name: str, cardinality: str, base: str, default: str = ""
) -> None:
    declaration = _sub(item, "outcomeDeclaration", identifier=name, cardinality=cardinality)
    declaration.set("baseType", base)
    if default:
        _sub(_sub(declaration, "defaultValue"), "value").text = default


def _set_value(parent: etree._Element, name: str, base: str, value: str) -> None:
    _sub(_sub(parent, "setOutcomeValue", identifier=name), "baseValue", baseType=base).text = value


def _sub(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    return etree.SubElement(parent, qti(tag), **attributes)


def item_metadata(question: RenderedQuestion, exam: str) -> tuple[etree._Element, ...]:
    """LOM (domain as a classification, difficulty, tags as keywords) and QTI's own metadata."""
    lom = etree.Element(f"{{{IMSMD}}}lom", nsmap={"imsmd": IMSMD})
    general = _md(lom, "general")
    _md(general, "identifier").text = question.id
    _langstring(_md(general, "title"), lms.display_name(question))
    for tag in question.question.tags:
        _langstring(_md(general, "keyword"), tag)
    if question.question.difficulty:
        lom.append(_educational(LOM_DIFFICULTY[question.question.difficulty]))
    section, subsection = question.section, question.subsection
    lom.append(
        _classification(exam, section.code, section.title, subsection.code, subsection.title)
    )
    return lom, _qti_metadata()


@stamped
def _educational(difficulty: str) -> etree._Element:
    educational = etree.Element(f"{{{IMSMD}}}educational")
    _vocabulary(_md(educational, "difficulty"), difficulty)
    return educational


@stamped
def _classification(
    exam: str, section_code: str, section_title: str, code: str, title: str
) -> etree._Element:
    """The question's place in the exam guide: a taxon path from the exam to its subsection."""
    classification = etree.Element(f"{{{IMSMD}}}classification")
    _vocabulary(_md(classification, "purpose"), "discipline")
    path = _md(classification, "taxonpath")
    _langstring(_md(path, "source"), exam)
    for taxon_code, taxon_title in ((section_code, section_title), (code, title)):
        taxon = _md(path, "taxon")
        _md(taxon, "id").text = taxon_code
        _langstring(_md(taxon, "entry"), taxon_title)
    return classification


@stamped
def _qti_metadata() -> etree._Element:
    root = etree.Element(f"{{{QTI_METADATA}}}qtiMetadata", nsmap={"imsqti": QTI_METADATA})
    for tag, value in (
        ("timeDependent", "false"), ("interactionType", "choiceInteraction"),
        ("feedbackType", "nonadaptive"), ("solutionAvailable", "true"),
        ("toolName", TOOL), ("toolVersion", __version__),
    ):  # fmt: skip
        etree.SubElement(root, f"{{{QTI_METADATA}}}{tag}").text = value
    return root


def _md(parent: etree._Element, tag: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{IMSMD}}}{tag}")


def _langstring(parent: etree._Element, text: str, lang: str | None = None) -> None:
    string = _md(parent, "langstring")
    string.text = text
    if lang:
        string.set("{http://www.w3.org/XML/1998/namespace}lang", lang)


def _vocabulary(parent: etree._Element, value: str) -> None:
    _langstring(_md(parent, "source"), "LOMv1.0", "x-none")
    _langstring(_md(parent, "value"), value, "x-none")
