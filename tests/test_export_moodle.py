"""`qbank export --format moodle`: the structure Moodle's XML import reads."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from lxml import etree

from qbank.errors import QbankError
from qbank.export.base import RenderedOption, RenderedQuestion
from qbank.export.moodle import MOODLE_GRADES, cdata_safe, fractions, share
from qbank.models import Option, Question, Section, Subsection
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

ALLOWED = {float(g) for g in MOODLE_GRADES} | {-float(g) for g in MOODLE_GRADES}


@pytest.fixture
def quiz(bank: Path, qbank: Runner) -> etree._Element:
    add_questions(bank)
    out = bank / "bank.xml"
    export(qbank, "moodle", out)
    return etree.fromstring(out.read_bytes())


def _question(quiz: etree._Element, question_id: str) -> etree._Element:
    (found,) = quiz.xpath(f"question[@type='multichoice'][idnumber='{question_id}']")
    return found


def _html(element: etree._Element, path: str) -> str:
    return str(element.findtext(f"{path}/text"))


def _fractions(question: etree._Element) -> list[float]:
    return [float(a.get("fraction")) for a in question.findall("answer")]


def test_categories_precede_their_questions_in_guide_order(quiz: etree._Element) -> None:
    seen = []
    for element in quiz:
        if element.get("type") == "category":
            seen.append(element.findtext("category/text"))
        else:
            seen.append(element.findtext("idnumber"))
    assert seen == [
        "$course$/top/Test Exam/1 Basics/1.1 First things", "t-1-1-001", "t-1-1-002",
        "$course$/top/Test Exam/1 Basics/1.2 Second things", "t-1-2-001", "t-1-2-002",
        "$course$/top/Test Exam/2 More/2.1 Further things", "t-2-1-001", "t-2-1-002", "t-2-1-003",
    ]  # fmt: skip


def test_single_answer_question(quiz: etree._Element) -> None:
    question = _question(quiz, "t-1-1-001")
    assert question.findtext("name/text").startswith("t-1-1-001 — A team trains a demand")
    assert question.find("questiontext").get("format") == "html"
    assert "What should they use?" in _html(question, "questiontext")
    feedback = _html(question, "generalfeedback")
    assert "BigQuery ML creates and runs models" in feedback
    assert '<a href="https://cloud.google.com/bigquery/docs/bqml-introduction"' in feedback
    assert [question.findtext(tag) for tag in (
        "defaultgrade", "penalty", "hidden", "single", "shuffleanswers", "answernumbering",
        "showstandardinstruction",
    )] == ["1", "0.3333333", "0", "true", "true", "abc", "0"]  # fmt: skip
    for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        assert question.find(tag).get("format") == "html" and _html(question, tag)
    assert _fractions(question) == [100, 0, 0, 0]
    answer = question.find("answer")
    assert answer.get("format") == "html" and "CREATE MODEL" in answer.findtext("text")
    assert "where the data already lives" in _html(answer, "feedback")
    tags = [t.findtext("text") for t in question.findall("tags/tag")]
    assert tags == ["section:1", "subsection:1.1", "difficulty:medium", "bqml"]
    assert question.find("shownumcorrect") is None


def test_unshuffled_question_says_so(quiz: etree._Element) -> None:
    assert _question(quiz, "t-1-1-002").findtext("shuffleanswers") == "false"


@pytest.mark.parametrize(("question_id", "select"), [("t-1-2-001", 2), ("t-1-2-002", 3)])
def test_multiple_answers_share_the_mark_with_listed_grades(
    quiz: etree._Element, question_id: str, select: int
) -> None:
    question = _question(quiz, question_id)
    assert question.findtext("single") == "false" and question.find("shownumcorrect") is not None
    grades = _fractions(question)
    assert set(grades) <= ALLOWED
    correct = [g for g in grades if g > 0]
    assert len(correct) == select and abs(sum(correct) - 100) < 1e-4
    wrong = [g for g in grades if g <= 0]
    assert wrong and all(g == -correct[0] for g in wrong)


def test_images_are_embedded_where_they_are_used(quiz: etree._Element) -> None:
    question = _question(quiz, "t-2-1-002")
    for path, data in (("questiontext", CHART_PNG), ("generalfeedback", CHART_PNG),
                       ("answer", BAR_PNG)):  # fmt: skip
        (file,) = question.findall(f"{path}/file")
        assert (file.get("path"), file.get("encoding")) == ("/", "base64")
        assert base64.b64decode(file.text) == data
        assert f'src="@@PLUGINFILE@@/{file.get("name")}"' in _html(question, path)
    assert question.find("answer[2]/file") is None and question.find("answer/feedback/file") is None


def test_special_characters_survive_a_parse_back(quiz: etree._Element) -> None:
    question = _question(quiz, "t-1-1-002")
    assert SPECIAL_STEM_TEXT in visible_text(_html(question, "questiontext"))
    answer = question.find("answer")
    assert visible_text(answer.findtext("text")).strip() == SPECIAL_OPTION_TEXT
    assert "]]> & < stay text." in visible_text(_html(answer, "feedback"))
    assert 'Given a < b, which expression is true when the flag "R&D"' in question.findtext(
        "name/text"
    )


def test_cdata_keeps_a_literal_end_marker() -> None:
    html = '<p title="x]]>y">a ]]> b</p>'
    element = etree.Element("text")
    element.text = etree.CDATA(cdata_safe(html))
    back = etree.fromstring(etree.tostring(element)).text
    fragment = etree.fromstring(back)
    assert fragment.text == "a ]]> b" and fragment.get("title") == "x]]>y"


def test_script_and_event_handlers_are_removed(bank: Path, qbank: Runner) -> None:
    add_questions(bank)
    export(qbank, "moodle", bank / "bank.xml")
    document = (bank / "bank.xml").read_text("utf-8")
    assert "Which service runs them?" in document and "<b>Dataflow</b>" in document
    for marker in HOSTILE_MARKERS:
        assert marker not in document


def test_html_fields_are_cdata_and_names_are_plain_text(bank: Path, qbank: Runner) -> None:
    export(qbank, "moodle", bank / "bank.xml")
    document = (bank / "bank.xml").read_text("utf-8")
    for tag in ("questiontext", "generalfeedback", "answer", "feedback", "correctfeedback"):
        opening = document.index(f"<{tag} ")
        assert document[opening:].split("<text>", 1)[1].startswith("<![CDATA[<p>")
    assert "<name>\n      <text>t-1-1-001 — A team trains" in document


def test_exporting_twice_gives_identical_bytes(bank: Path, qbank: Runner) -> None:
    assert_export_is_reproducible(qbank, bank, "moodle")


def test_failing_export_leaves_no_partial_file(bank: Path, qbank: Runner) -> None:
    assert_failed_export_leaves_nothing(qbank, bank, "moodle")


def test_every_count_up_to_the_option_limit_has_an_exact_share() -> None:
    for count in range(1, 9):
        grade = share(count)
        assert grade is not None and abs(float(grade) * count - 100) < 1e-4
    assert share(11) is None and share(12) is None


def test_a_count_moodle_cannot_express_is_an_error_naming_the_question() -> None:
    # The model allows at most 8 options, so this needs a question built past validation.
    options = [
        Option.model_construct(text=f"o{i}", correct=i < 11, rationale=None) for i in range(12)
    ]
    question = Question.model_construct(id="t-9-9-009", type="multiple", select=11, options=options)
    subsection = Subsection(code="9.9", title="Nine")
    rendered = RenderedQuestion(
        question, "questions/t-9-9-009.yaml",
        Section(code="9", title="Nine", weight=100, subsections=[subsection]), subsection,
        "<p>stem</p>", "",
        tuple(RenderedOption(o.text, o.text, o.correct, None, "") for o in options), (),
    )  # fmt: skip
    with pytest.raises(QbankError, match=r"t-9-9-009 asks to select 11.*100/11"):
        fractions(rendered)
