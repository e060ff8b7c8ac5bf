"""`qbank export --format qti`: an IMS QTI 2.1 content package, checked with the official XSDs."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from qbank.export.moodle import MOODLE_GRADES
from tests.conftest import REPO, Runner
from tests.lms_support import (
    BAR_PNG,
    CHART_PNG,
    HOSTILE_MARKERS,
    SPECIAL_OPTION_TEXT,
    SPECIAL_STEM_TEXT,
    add_questions,
    assert_export_is_reproducible,
    assert_failed_export_leaves_nothing,
    assert_valid,
    export,
    visible_text,
    xsd_folder,
)

QTI = "http://www.imsglobal.org/xsd/imsqti_v2p1"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
MD = "http://www.imsglobal.org/xsd/imsmd_v1p2"
NS = {"q": QTI, "cp": CP, "md": MD, "m": "http://www.imsglobal.org/xsd/imsqti_metadata_v2p1"}

RICH = """# Heading

Text with **bold**, _em_, ~~gone~~, <u>under</u>, `code`, a [link](https://example.com "t")
and <a name="x">an anchor</a>.

<div>loose words in a div</div>

> quoted

1. one
2. two

| a | b |
|:--|--:|
| 1 | 2 |

| header only |
|---|

```python
x = 1 < 2
```
"""


def validate_package(files: dict[str, bytes]) -> None:
    """Every item and the test against QTI 2.1, the manifest against IMS CP 1.1."""
    for name, data in files.items():
        if name == "imsmanifest.xml":
            assert_valid("imscp_v1p1.xsd", data, name)
            for metadata in etree.fromstring(data).iterfind(".//m:qtiMetadata", NS):
                assert_valid("qtiv2p1/imsqti_metadata_v2p1.xsd", etree.tostring(metadata), name)
        elif name.endswith(".xml"):
            assert_valid("qtiv2p1/imsqti_v2p1.xsd", data, name)


def read_package(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture
def files(bank: Path, qbank: Runner) -> dict[str, bytes]:
    add_questions(bank)
    export(qbank, "qti", bank / "bank.zip")
    return read_package(bank / "bank.zip")


def _item(files: dict[str, bytes], question_id: str) -> etree._Element:
    return etree.fromstring(files[f"items/{question_id}.xml"])


def _shape(element: etree._Element) -> Any:
    """Tag, attributes, text and children, ignoring layout whitespace and namespace prefixes."""
    return (
        etree.QName(element).localname,
        sorted(element.attrib.items()),
        (element.text or "").strip(),
        [_shape(child) for child in element],
    )


def test_every_file_validates_against_the_official_schemas(files: dict[str, bytes]) -> None:
    xsd_folder()
    assert {"imsmanifest.xml", "test.xml", "items/t-1-1-001.xml"} <= set(files)
    validate_package(files)


def test_manifest_lists_items_test_and_images(files: dict[str, bytes]) -> None:
    manifest = etree.fromstring(files["imsmanifest.xml"])
    resources = {r.get("identifier"): r for r in manifest.iterfind(".//cp:resource", NS)}
    items = [i for i, r in resources.items() if r.get("type") == "imsqti_item_xmlv2p1"]
    assert len(items) == 7 and all(f"items/{i}.xml" in files for i in items)
    (test,) = [r for r in resources.values() if r.get("type") == "imsqti_test_xmlv2p1"]
    assert test.get("href") == "test.xml"
    assert [d.get("identifierref") for d in test.iterfind("cp:dependency", NS)] == sorted(items)
    images = {r.get("href") for r in resources.values() if r.get("type") == "webcontent"}
    assert images == {name for name in files if name.startswith("images/")} and len(images) == 2
    image_deps = [
        d.get("identifierref") for d in resources["t-2-1-002"].iterfind("cp:dependency", NS)
    ]
    assert len(image_deps) == 2 and all(
        resources[d].get("type") == "webcontent" for d in image_deps
    )
    for resource in resources.values():
        assert [f.get("href") for f in resource.iterfind("cp:file", NS)] == [resource.get("href")]


def test_manifest_metadata_carries_domain_difficulty_and_tags(files: dict[str, bytes]) -> None:
    manifest = etree.fromstring(files["imsmanifest.xml"])
    (lom,) = manifest.xpath(".//cp:resource[@identifier='t-1-2-001']//md:lom", namespaces=NS)
    assert lom.xpath("md:general/md:identifier/text()", namespaces=NS) == ["t-1-2-001"]
    keywords = lom.xpath("md:general/md:keyword/md:langstring/text()", namespaces=NS)
    assert keywords == ["document-ai", "translation"]
    difficulty = lom.xpath(
        "md:educational/md:difficulty/md:value/md:langstring/text()", namespaces=NS
    )
    assert difficulty == ["difficult"]
    taxa = lom.xpath("md:classification/md:taxonpath/md:taxon/md:id/text()", namespaces=NS)
    assert taxa == ["1", "1.2"]


def test_single_answer_item(files: dict[str, bytes]) -> None:
    item = _item(files, "t-1-1-001")
    assert item.get("identifier") == "t-1-1-001" and item.get("title").startswith("t-1-1-001 — ")
    (response,) = item.iterfind("q:responseDeclaration", NS)
    assert (response.get("cardinality"), response.get("baseType")) == ("single", "identifier")
    assert response.xpath("q:correctResponse/q:value/text()", namespaces=NS) == ["A"]
    outcomes = [o.get("identifier") for o in item.iterfind("q:outcomeDeclaration", NS)]
    assert outcomes[:2] == ["SCORE", "MAXSCORE"]
    (interaction,) = item.iterfind(".//q:choiceInteraction", NS)
    assert (interaction.get("shuffle"), interaction.get("maxChoices")) == ("true", "1")
    choices = interaction.findall("q:simpleChoice", NS)
    assert [c.get("identifier") for c in choices] == ["A", "B", "C", "D"]
    assert "CREATE MODEL" in etree.tostring(choices[0], encoding="unicode")
    rationale = choices[1].find("q:feedbackBlock", NS)
    assert rationale.get("outcomeIdentifier") == "FEEDBACK" and rationale.get("identifier") == "B"
    assert "Exporting moves the data" in "".join(rationale.itertext())
    (modal,) = item.iterfind("q:modalFeedback", NS)
    text = "".join(modal.itertext())
    assert "BigQuery ML creates and runs models" in text and "bqml-introduction" in text


def test_scoring_is_the_standard_match_correct_then_feedback(files: dict[str, bytes]) -> None:
    template = etree.parse(str(xsd_folder() / "rptemplates" / "match_correct.xml")).getroot()
    for question_id in ("t-1-1-001", "t-1-2-002"):
        processing = _item(files, question_id).find("q:responseProcessing", NS)
        assert _shape(processing[0]) == _shape(template.find("q:responseCondition", NS))
        # What follows only sets the feedback outcomes, never SCORE.
        assert [rule.get("identifier") for rule in processing[1:]] == ["FEEDBACK", "EXPLANATION"]


@pytest.mark.parametrize(("question_id", "select"), [("t-1-2-001", 2), ("t-1-2-002", 3)])
def test_multiple_answer_item(files: dict[str, bytes], question_id: str, select: int) -> None:
    item = _item(files, question_id)
    response = item.find("q:responseDeclaration", NS)
    assert response.get("cardinality") == "multiple"
    assert len(response.findall("q:correctResponse/q:value", NS)) == select
    assert item.find(".//q:choiceInteraction", NS).get("maxChoices") == str(select)
    feedback = item.xpath("q:outcomeDeclaration[@identifier='FEEDBACK']", namespaces=NS)[0]
    assert feedback.get("cardinality") == "multiple"


def test_unshuffled_question_keeps_its_order(files: dict[str, bytes]) -> None:
    assert _item(files, "t-1-1-002").find(".//q:choiceInteraction", NS).get("shuffle") == "false"


def test_test_has_one_part_and_a_section_per_exam_section(files: dict[str, bytes]) -> None:
    test = etree.fromstring(files["test.xml"])
    (part,) = test.iterfind("q:testPart", NS)
    sections = part.findall("q:assessmentSection", NS)
    assert [s.get("title") for s in sections] == ["1 Basics", "2 More"]
    refs = [[r.get("href") for r in s.iterfind("q:assessmentItemRef", NS)] for s in sections]
    assert refs == [
        [
            "items/t-1-1-001.xml",
            "items/t-1-1-002.xml",
            "items/t-1-2-001.xml",
            "items/t-1-2-002.xml",
        ],
        ["items/t-2-1-001.xml", "items/t-2-1-002.xml", "items/t-2-1-003.xml"],
    ]


def test_images_are_packaged_and_referenced(files: dict[str, bytes]) -> None:
    item = _item(files, "t-2-1-002")
    sources = [img.get("src") for img in item.iter(f"{{{QTI}}}img")]
    assert len(sources) == 3 and all(src.startswith("../images/") for src in sources)
    stem, option, explanation = (files[src.removeprefix("../")] for src in sources)
    assert (stem, option, explanation) == (CHART_PNG, BAR_PNG, CHART_PNG)


def test_special_characters_survive_a_parse_back(files: dict[str, bytes]) -> None:
    item = _item(files, "t-1-1-002")
    body = item.find("q:itemBody", NS)
    assert SPECIAL_STEM_TEXT in "".join(body.find("q:p", NS).itertext())
    choice = body.find(".//q:simpleChoice", NS)
    assert "".join(choice.find("q:p", NS).itertext()) == SPECIAL_OPTION_TEXT
    assert 'Given a < b, which expression is true when the flag "R&D"' in item.get("title")


def test_script_and_event_handlers_are_removed(files: dict[str, bytes]) -> None:
    document = files["items/t-2-1-003.xml"].decode("utf-8")
    assert "Which service runs them?" in document and "<b>Dataflow</b>" in document
    for marker in HOSTILE_MARKERS:
        assert marker not in document


def test_markdown_beyond_the_qti_vocabulary_still_validates(bank: Path, qbank: Runner) -> None:
    question = bank / "questions" / "1-basics" / "t-1-1-001.yaml"
    question.write_text(
        question.read_text("utf-8").replace("stem: |\n", "stem: |\n" + _indent(RICH)), "utf-8"
    )
    export(qbank, "qti", bank / "bank.zip")
    files = read_package(bank / "bank.zip")
    assert_valid("qtiv2p1/imsqti_v2p1.xsd", files["items/t-1-1-001.xml"], "rich item")
    body = _item(files, "t-1-1-001").find("q:itemBody", NS)
    text = visible_text(etree.tostring(body, encoding="unicode"))
    for words in ("Heading", "gone", "under", "loose words in a div", "quoted", "header only",
                  "x = 1 < 2"):  # fmt: skip
        assert words in text


def _indent(text: str) -> str:
    return "".join(f"  {line}\n" if line else "\n" for line in text.splitlines())


def test_exporting_twice_gives_identical_bytes(bank: Path, qbank: Runner) -> None:
    assert_export_is_reproducible(qbank, bank, "qti")


def test_failing_export_leaves_no_partial_file(bank: Path, qbank: Runner) -> None:
    assert_failed_export_leaves_nothing(qbank, bank, "qti")


def test_empty_selection_is_an_error(bank: Path, qbank: Runner) -> None:
    result = qbank("export", "--format", "qti", "--out", "x.zip", "--tag", "no-such-tag")
    assert result.code == 2 and "nothing to export" in result.err
    assert not (bank / "x.zip").exists()


EXPORT_PROBE = (
    "import sys\n"
    "from qbank.cli.main import main\n"
    "code = main(sys.argv[1:])\n"
    "print('HEAVY', sorted({'torch', 'sentence_transformers'} & set(sys.modules)))\n"
    "raise SystemExit(code)\n"
)


def test_bundled_bank_exports_to_all_three_lms_formats(tmp_path: Path) -> None:
    """The real bank: every QTI 2.1 file validates, Moodle's grades add up, Canvas gets every
    question; and exporting never loads the embedding model."""
    shutil.copytree(REPO / "questions", tmp_path / "questions")
    (tmp_path / "qbank.toml").write_text('bank = "questions"\n')
    ids = sorted(p.stem for p in (tmp_path / "questions").rglob("*.yaml") if p.stem != "exam-guide")
    for format_name, out in (("moodle", "bank.xml"), ("qti", "bank.zip"), ("qti12", "canvas.zip")):
        run = subprocess.run(
            [sys.executable, "-c", EXPORT_PROBE, "export", "--format", format_name, "--out", out],
            cwd=tmp_path, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert run.returncode == 0 and "HEAVY []" in run.stdout, run.stdout + run.stderr
    files = read_package(tmp_path / "bank.zip")
    items = [n.removeprefix("items/").removesuffix(".xml") for n in files if n.startswith("items/")]
    assert sorted(items) == ids
    validate_package(files)
    quiz = etree.parse(str(tmp_path / "bank.xml")).getroot()
    questions = quiz.findall("question[@type='multichoice']")
    assert sorted(q.findtext("idnumber") for q in questions) == ids
    for question in questions:
        grades = [float(a.get("fraction")) for a in question.findall("answer")]
        assert abs(sum(g for g in grades if g > 0) - 100) < 1e-4, question.findtext("idnumber")
        assert {abs(g) for g in grades} <= {float(g) for g in MOODLE_GRADES}
    with zipfile.ZipFile(tmp_path / "canvas.zip") as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".xml") and n.count("/") == 1
                   and not n.endswith("assessment_meta.xml")]  # fmt: skip
        canvas = etree.fromstring(archive.read(name))
    assert sorted(i.get("ident") for i in canvas.iter("{*}item")) == ids


def test_question_without_explanation_or_rationales(bank: Path, qbank: Runner) -> None:
    options = [{"text": f"Option {n}", "correct": n == 1} for n in range(1, 5)]
    plain = {"id": "t-2-1-009", "domain": "2.1", "type": "single", "options": options,
             "stem": "Which option is the first of the four options listed here?"}  # fmt: skip
    (bank / "questions" / "2-more" / "t-2-1-009.yaml").write_text(json.dumps(plain), "utf-8")
    export(qbank, "qti", bank / "bank.zip")
    data = read_package(bank / "bank.zip")["items/t-2-1-009.xml"]
    assert_valid("qtiv2p1/imsqti_v2p1.xsd", data, "plain item")
    item = etree.fromstring(data)
    assert item.find("q:modalFeedback", NS) is None and not list(
        item.iter(f"{{{QTI}}}feedbackBlock")
    )
    rules = [etree.QName(rule).localname for rule in item.find("q:responseProcessing", NS)]
    outcomes = [o.get("identifier") for o in item.iterfind("q:outcomeDeclaration", NS)]
    assert rules == ["responseCondition"] and outcomes == ["SCORE", "MAXSCORE"]
