"""IMS QTI 2.1 content package: one item per question, a test in guide order, a manifest.

Layout of the zip, in this order: `images/<hash>.<ext>`, `test.xml`, `items/<id>.xml` (in the
test's order, each written as soon as it is built) and `imsmanifest.xml`, which lists them.
Item identifiers are the question ids, so a platform can match a re-import to what it has.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from lxml import etree

from qbank import __version__
from qbank.export import lms
from qbank.export.base import ExportBank, RenderedQuestion
from qbank.export.manifest import Package, Resource, add_resource, manifest_frame
from qbank.export.output import write_file, zip_in_order
from qbank.export.parallel import ordered_results
from qbank.export.qti_html import QTI_NS, qti
from qbank.export.qti_item import (
    IMSMD,
    QTI_LOCATION,
    QTI_METADATA,
    TOOL,
    assessment_item,
    item_metadata,
)
from qbank.export.xml_parts import PartedDocument, xml_bytes
from qbank.models import ExamGuide

CP_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"
QTI_PACKAGE = Package(
    namespace=CP_NS,
    schema_locations=(
        (CP_NS, "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"),
        (IMSMD, "http://www.imsglobal.org/xsd/imsmd_v1p2p4.xsd"),
        (QTI_METADATA, "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_metadata_v2p1.xsd"),
    ),
    schema="QTIv2.1 Package",
    schema_version="1.0.0",
    prefixes=(("imsmd", IMSMD), ("imsqti", QTI_METADATA)),
)
TEST_FILE = "test.xml"
ITEMS = "items/"
IMAGES = "images/"
# Question ids are lower case without "_", so these can never clash with an item identifier.
TEST_ID = "TEST"
PART_ID = "PART_1"


class QtiExporter:
    name = "qti"
    suffix = ".zip"

    def export(self, bank: ExportBank, out: Path) -> None:
        write_file(out, package(bank))


def package(bank: ExportBank) -> bytes:
    questions = lms.questions_to_export(bank)
    root, listing = manifest_frame(QTI_PACKAGE, f"MANIFEST_{lms.name_part(bank.guide.short_name)}")
    resources = PartedDocument(root, listing)

    def entry(resource: Resource) -> bytes:
        return resources.part(lambda container: add_resource(container, resource))

    def item_files(question: RenderedQuestion) -> tuple[bytes, bytes]:
        """The question's item document and its entry in the manifest."""
        item = xml_bytes(assessment_item(question, f"../{IMAGES}"))
        return item, entry(
            Resource(
                lms.xml_identifier(question.id), "imsqti_item_xmlv2p1", item_href(question),
                tuple(image_id(image.name) for image in question.images),
                item_metadata(question, bank.guide.exam),
            )
        )  # fmt: skip

    def entries() -> Iterator[tuple[str, bytes]]:
        """The package's files, the items written as they come from the workers, then the
        manifest, which lists them all."""
        images = sorted(bank.images.items())
        yield from ((f"{IMAGES}{name}", data) for name, data in images)
        yield TEST_FILE, xml_bytes(assessment_test(bank.guide, questions))
        test = Resource(TEST_ID, "imsqti_test_xmlv2p1", TEST_FILE,
                        tuple(lms.xml_identifier(q.id) for q in questions))  # fmt: skip
        listed = [entry(test)]
        for question, (item, resource) in zip(
            questions, ordered_results(item_files, questions), strict=True
        ):
            yield item_href(question), item
            listed.append(resource)
        for name, _ in images:
            listed.append(entry(Resource(image_id(name), "webcontent", f"{IMAGES}{name}")))
        yield "imsmanifest.xml", resources.document(listed)

    return zip_in_order(entries())


def item_href(question: RenderedQuestion) -> str:
    return f"{ITEMS}{lms.xml_identifier(question.id)}.xml"


def image_id(name: str) -> str:
    return f"IMAGE_{lms.name_part(name)}"


def assessment_test(guide: ExamGuide, questions: Sequence[RenderedQuestion]) -> etree._Element:
    """One test part; one section per exam section that has questions, in guide order."""
    test = lms.document_root(
        QTI_NS, "assessmentTest", QTI_LOCATION, identifier=TEST_ID, title=guide.exam,
        toolName=TOOL, toolVersion=__version__,
    )  # fmt: skip
    for outcome in ("SCORE", "MAXSCORE"):
        declaration = etree.SubElement(test, qti("outcomeDeclaration"), identifier=outcome)
        declaration.set("cardinality", "single")
        declaration.set("baseType", "float")
    part = etree.SubElement(
        test, qti("testPart"), identifier=PART_ID, navigationMode="nonlinear",
        submissionMode="individual",
    )  # fmt: skip
    # Feedback (rationales, explanation) is hidden in a test unless the test allows it.
    etree.SubElement(part, qti("itemSessionControl"), showFeedback="true", showSolution="true")
    for section in guide.sections:
        chosen = [q for q in questions if q.section.code == section.code]
        if not chosen:
            continue
        element = etree.SubElement(
            part, qti("assessmentSection"), identifier=f"SECTION_{lms.name_part(section.code)}",
            title=f"{section.code} {section.title}", visible="true",
        )  # fmt: skip
        for question in chosen:
            etree.SubElement(
                element, qti("assessmentItemRef"), identifier=lms.xml_identifier(question.id),
                href=item_href(question),
            )  # fmt: skip
    processing = etree.SubElement(test, qti("outcomeProcessing"))
    for outcome in ("SCORE", "MAXSCORE"):
        total = etree.SubElement(
            etree.SubElement(processing, qti("setOutcomeValue"), identifier=outcome), qti("sum")
        )
        etree.SubElement(total, qti("testVariables"), variableIdentifier=outcome)
    return test
