"""`qbank export --format qti12`: QTI 1.2 as Canvas imports it, compared with text2qti's output.

text2qti writes the dialect Canvas Classic Quizzes is known to import. Each test builds the
same quiz in text2qti's plain-text format, lets text2qti package it, and compares structure:
item types, metadata, responses, scoring conditions, correct answers and feedback.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from qbank.config import load_config
from qbank.export.base import RenderedQuestion
from qbank.export.render import render_bank
from qbank.lint import lint
from tests.conftest import Runner
from tests.lms_support import (
    BAR_PNG,
    CHART_PNG,
    HOSTILE_MARKERS,
    SPECIAL_OPTION_TEXT,
    SPECIAL_STEM_TEXT,
    add_questions,
    assert_export_is_reproducible,
    assert_failed_export_leaves_nothing,
    export,
    visible_text,
)

QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
NS = {"q": QTI}
# text2qti's comparison covers these; the hostile one is about sanitising, not structure.
COMPARED = ["t-1-1-001", "t-1-1-002", "t-1-2-001", "t-1-2-002", "t-2-1-001", "t-2-1-002"]
# The one attribute we add: QTI 1.2's per-question shuffle flag (Canvas shuffles per quiz).
OUR_EXTRA_ATTRIBUTES = {"shuffle"}
# text2qti turns straight quotes into typographic ones; qbank keeps what the author wrote.
STRAIGHT_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def _zip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist() if not name.endswith("/")}


def _rendered(bank: Path) -> dict[str, RenderedQuestion]:
    result = lint([], load_config(cwd=bank), need_bank=True, cwd=bank)
    assert result.bank is not None
    return {q.id: q for q in render_bank(result.bank).questions}


def _one_line(markdown: str) -> str:
    return " ".join(markdown.split())


def text2qti_source(questions: list[RenderedQuestion]) -> str:
    """The same questions in text2qti's format, with the same feedback."""
    lines = ["Quiz title: Test Exam", "Quiz description: Compared with qbank.", ""]
    for number, rendered in enumerate(questions, start=1):
        question = rendered.question
        lines.append(f"{number}.  {_one_line(question.stem)}")
        references = " ".join(question.references)
        lines.append(f"... {_one_line(question.explanation or '')} References: {references}")
        lines += ["+   Your answer is correct.", "-   Your answer is incorrect."]
        for index, option in enumerate(question.options):
            if question.type == "multiple":
                lines.append(f"[{'*' if option.correct else ' '}] {_one_line(option.text)}")
            else:
                letter = chr(ord("a") + index)
                lines.append(f"{'*' if option.correct else ''}{letter}) {_one_line(option.text)}")
            if option.rationale:
                lines.append(f"... {_one_line(option.rationale)}")
        lines.append("")
    return "\n".join(lines)


def text2qti_package(
    questions: list[RenderedQuestion], folder: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, bytes]:
    from text2qti.config import Config
    from text2qti.qti import QTI as Text2qtiPackage
    from text2qti.quiz import Quiz

    with monkeypatch.context() as context:
        context.chdir(folder)  # as text2qti's command does: images are found from there
        quiz = Quiz(text2qti_source(questions), config=Config(), source_name="quiz.txt")
        return _zip(Text2qtiPackage(quiz).zip_bytes())


def _assessment(files: dict[str, bytes]) -> etree._Element:
    (name,) = [n for n in files if n.endswith(".xml") and "/" in n and "assessment_meta" not in n]
    return etree.fromstring(files[name])


def _shape(element: etree._Element, rename: dict[str, str]) -> Any:
    """Structure with answer idents replaced by their position; mattext reduced to its text."""
    name = etree.QName(element).localname
    attributes = sorted(
        (key, rename.get(value, value))
        for key, value in element.attrib.items()
        if key not in OUR_EXTRA_ATTRIBUTES
    )
    text = (element.text or "").strip()
    if name == "mattext":
        text = " ".join(visible_text(text).split()).translate(STRAIGHT_QUOTES)
    else:
        text = rename.get(text, text)
    return name, attributes, text, [_shape(child, rename) for child in element]


def _items(files: dict[str, bytes]) -> list[dict[str, Any]]:
    found = []
    for item in _assessment(files).iterfind(".//q:item", NS):
        labels = [label.get("ident") for label in item.iterfind(".//q:response_label", NS)]
        rename = {ident: f"choice{i}" for i, ident in enumerate(labels)}
        rename |= {f"{ident}_fb": f"choice{i}_fb" for i, ident in enumerate(labels)}
        fields = {
            f.findtext("q:fieldlabel", namespaces=NS): f.findtext("q:fieldentry", namespaces=NS)
            for f in item.iterfind(".//q:qtimetadatafield", NS)
        }
        found.append({
            "ident": item.get("ident"),
            "question_type": fields["question_type"],
            "points_possible": float(fields["points_possible"]),
            "metadata": sorted(fields),
            "answer_ids": [rename[i] for i in fields["original_answer_ids"].split(",")],
            "presentation": _shape(item.find("q:presentation", NS), rename),
            "resprocessing": _shape(item.find("q:resprocessing", NS), rename),
            "feedback_ids": sorted(rename.get(f.get("ident"), f.get("ident"))
                                   for f in item.iterfind("q:itemfeedback", NS)),
        })  # fmt: skip
    return found


@pytest.fixture
def packages(
    bank: Path, qbank: Runner, monkeypatch: pytest.MonkeyPatch
) -> tuple[dict[str, bytes], dict[str, bytes]]:
    add_questions(bank)
    export(qbank, "qti12", bank / "canvas.zip")
    ours = _zip((bank / "canvas.zip").read_bytes())
    rendered = _rendered(bank)
    folder = bank / "questions" / "2-more"
    theirs = text2qti_package([rendered[i] for i in COMPARED], folder, monkeypatch)
    return ours, theirs


def test_items_match_text2qti_structure(
    packages: tuple[dict[str, bytes], dict[str, bytes]],
) -> None:
    ours, theirs = packages
    our_items = {item["ident"]: item for item in _items(ours)}
    compared = [our_items[question_id] for question_id in COMPARED]
    expected = _items(theirs)
    assert [i["question_type"] for i in compared] == [
        "multiple_choice_question", "multiple_choice_question", "multiple_answers_question",
        "multiple_answers_question", "multiple_choice_question", "multiple_choice_question",
    ]  # fmt: skip
    for ours_item, theirs_item, question_id in zip(compared, expected, COMPARED, strict=True):
        for key in ("question_type", "points_possible", "metadata", "answer_ids", "feedback_ids"):
            assert ours_item[key] == theirs_item[key], (question_id, key)
        assert ours_item["resprocessing"] == theirs_item["resprocessing"], question_id
        assert ours_item["presentation"] == theirs_item["presentation"], question_id


def test_correct_answers_are_scored(packages: tuple[dict[str, bytes], dict[str, bytes]]) -> None:
    ours, _ = packages
    item = _assessment(ours).find(".//q:item[@ident='t-1-2-002']", NS)
    (scoring,) = item.xpath(".//q:respcondition[q:setvar]", namespaces=NS)
    assert scoring.findtext("q:setvar", namespaces=NS) == "100"
    right = scoring.xpath("q:conditionvar/q:and/q:varequal/text()", namespaces=NS)
    wrong = scoring.xpath("q:conditionvar/q:and/q:not/q:varequal/text()", namespaces=NS)
    assert right == ["t-1-2-002-A", "t-1-2-002-B", "t-1-2-002-C"]
    assert wrong == ["t-1-2-002-D", "t-1-2-002-E", "t-1-2-002-F"]


def test_package_layout_matches_text2qti(
    packages: tuple[dict[str, bytes], dict[str, bytes]],
) -> None:
    ours, theirs = packages

    def layout(files: dict[str, bytes]) -> Any:
        manifest = etree.fromstring(files["imsmanifest.xml"])
        ns = manifest.nsmap[None]
        resources = {r.get("identifier"): r for r in manifest.iter(f"{{{ns}}}resource")}
        (quiz,) = [r for r in resources.values() if r.get("type") == "imsqti_xmlv1p2"]
        quiz_id = str(quiz.get("identifier"))
        kinds = sorted({r.get("type") for r in resources.values()})
        quiz_files = [f.get("href").replace(quiz_id, "<quiz>") for f in quiz.iter(f"{{{ns}}}file")]
        needs = [
            resources[d.get("identifierref")].get("type") for d in quiz.iter(f"{{{ns}}}dependency")
        ]
        paths = sorted(n.replace(quiz_id, "<quiz>") for n in files if not n.startswith("images/"))
        images = sorted(files[n] for n in files if n.startswith("images/"))
        meta = etree.fromstring(files[f"{quiz_id}/assessment_meta.xml"])
        return (ns, kinds, quiz_files, needs, paths), images, meta

    our_layout, our_images, our_meta = layout(ours)
    their_layout, their_images, their_meta = layout(theirs)
    assert our_layout == their_layout
    assert our_images == their_images == sorted([CHART_PNG, BAR_PNG])
    assert our_meta.tag == their_meta.tag
    assert {c.tag for c in our_meta} <= {c.tag for c in their_meta}


def test_images_use_canvas_file_base(packages: tuple[dict[str, bytes], dict[str, bytes]]) -> None:
    ours, theirs = packages

    def sources(files: dict[str, bytes]) -> list[str]:
        html = "".join(_assessment(files).xpath("//q:mattext/text()", namespaces=NS))
        return re.findall(r'src="([^"]+)"', html)

    ours_src, theirs_src = sources(ours), sources(theirs)
    assert ours_src and theirs_src
    prefix = "%24IMS-CC-FILEBASE%24/images/"
    assert all(s.startswith(prefix) for s in ours_src + theirs_src)
    assert all(s.removeprefix("%24IMS-CC-FILEBASE%24/") in ours for s in ours_src)


def test_special_characters_survive_a_parse_back(bank: Path, qbank: Runner) -> None:
    add_questions(bank)
    export(qbank, "qti12", bank / "canvas.zip")
    item = _assessment(_zip((bank / "canvas.zip").read_bytes())).find(
        ".//q:item[@ident='t-1-1-002']", NS
    )
    texts = [visible_text(t) for t in item.xpath(".//q:mattext/text()", namespaces=NS)]
    assert SPECIAL_STEM_TEXT in texts[0] and texts[1].strip() == SPECIAL_OPTION_TEXT
    assert 'Given a < b, which expression is true when the flag "R&D"' in item.get("title")


def test_script_and_event_handlers_are_removed(bank: Path, qbank: Runner) -> None:
    add_questions(bank)
    export(qbank, "qti12", bank / "canvas.zip")
    document = _zip((bank / "canvas.zip").read_bytes())["qbank_TEST/qbank_TEST.xml"]
    text = etree.fromstring(document).xpath("string(.//*[@ident='t-2-1-003'])")
    html = "".join(etree.fromstring(document).xpath("//q:mattext/text()", namespaces=NS))
    assert "Which service runs them?" in text and "<b>Dataflow</b>" in html
    for marker in HOSTILE_MARKERS:
        assert marker not in html


def test_quiz_settings_follow_the_questions(bank: Path, qbank: Runner) -> None:
    export(qbank, "qti12", bank / "shuffled.zip")
    add_questions(bank)  # t-1-1-002 must keep its order, so Canvas must not shuffle the quiz
    export(qbank, "qti12", bank / "fixed.zip")
    for name, shuffle, points in (("shuffled.zip", "true", "3"), ("fixed.zip", "false", "7")):
        meta = etree.fromstring(_zip((bank / name).read_bytes())["qbank_TEST/assessment_meta.xml"])
        values = {etree.QName(c).localname: c.text for c in meta}
        assert (values["shuffle_answers"], values["points_possible"]) == (shuffle, points)
        assert values["quiz_type"] == "practice_quiz"


def test_exporting_twice_gives_identical_bytes(bank: Path, qbank: Runner) -> None:
    assert_export_is_reproducible(qbank, bank, "qti12")


def test_failing_export_leaves_no_partial_file(bank: Path, qbank: Runner) -> None:
    assert_failed_export_leaves_nothing(qbank, bank, "qti12")
