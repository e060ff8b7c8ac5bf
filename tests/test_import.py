"""`qbank import`: each format's fixture through the real CLI, safety, ids, domains, overwrite."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from qbank.load.yamlparse import parse
from qbank.models import Question
from tests.conftest import DATA, Runner

FIXTURES = DATA / "import"
MALFORMED = FIXTURES / "malformed"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
)


def load(path: Path) -> Question:
    return Question.model_validate(parse(path.read_bytes()).data)


def imported(bank: Path) -> dict[str, Path]:
    """Question files the import added to the fixture bank, by id."""
    old = {"t-1-1-001", "t-1-2-001", "t-2-1-001"}
    files = (bank / "questions").rglob("*.yaml")
    return {p.stem: p for p in files if p.stem not in old and p.name != "exam-guide.yaml"}


def lint_json(qbank: Runner, *paths: Path) -> list[dict[str, str]]:
    result = qbank("lint", "--format", "json", *map(str, paths))
    problems: list[dict[str, str]] = json.loads(result.out)
    return problems


def test_moodle_xml_from_another_tool(bank: Path, qbank: Runner) -> None:
    """A file built by hand after Moodle's documented format: categories, HTML, an image."""
    result = qbank("import", "--from", "moodle", str(FIXTURES / "moodle-course.xml"), "--out",
                   "questions")  # fmt: skip
    assert result.code == 0, result.err
    files = imported(bank)
    assert sorted(files) == ["t-0-0-001", "t-1-1-050", "t-2-1-002", "t-2-1-003"]
    first = load(files["t-1-1-050"])  # idnumber kept; category "1.1 First things" → 1.1
    assert files["t-1-1-050"].parent.name == "1-basics"
    assert (first.domain, first.type, first.status) == ("1.1", "single", "review")
    assert first.stem == (
        "Your team preprocesses **terabytes** of click logs every night.\n\n"
        "The diagram shows the flow: ![data flow](t-1-1-050-flow-diagram.png)\n\n"
        "Which service should run the job?\n"
    )
    assert (files["t-1-1-050"].parent / "t-1-1-050-flow-diagram.png").read_bytes() == PNG
    assert [o.correct for o in first.options] == [True, False, False]
    assert first.options[0].rationale == "Right: it scales the workers to the data."
    assert first.options[2].rationale is None
    assert first.explanation == "Dataflow runs *Apache Beam* pipelines and autoscales workers.\n"
    assert first.tags == ["dataflow", "Batch-Processing"]
    text = files["t-1-1-050"].read_text("utf-8")
    assert "#   moodle correctfeedback: Well done: Dataflow it is." in text  # nothing lost
    assert "#   tag 'Batch Processing' written as 'Batch-Processing'" in text
    assert "penalty" not in text and "defaultgrade" not in text  # Moodle's defaults

    second = load(files["t-2-1-002"])  # category "More/Further things": a subsection title
    assert (second.domain, second.type, second.select, second.shuffle) == (
        "2.1",
        "multiple",
        2,
        False,
    )
    assert [o.correct for o in second.options] == [True, True, False]
    assert "#   moodle defaultgrade: 2.0000000" in files["t-2-1-002"].read_text("utf-8")

    unfiled = files["t-0-0-001"]  # category "Miscellaneous" names no subsection
    assert unfiled.parent.name == "unmapped"
    assert (load(unfiled).domain, load(unfiled).status) == ("0.0", "draft")
    assert 'domain: "0.0"  # TODO: set the exam-guide subsection' in unfiled.read_text("utf-8")

    sky = load(files["t-2-1-003"])  # a truefalse question: options True and False
    assert (sky.type, sky.shuffle, sky.stem) == ("single", False, "The sky is blue.\n")
    assert [(o.text, o.correct) for o in sky.options] == [("True", True), ("False", False)]
    assert "moodle-course.xml:133: skipped: essay question 'Explain'" in result.err
    assert "imported 4 question(s)" in result.err and "skipped 1" in result.err
    problems = lint_json(qbank, *files.values())
    assert not [p for p in problems if p["code"] in {"QB001", "QB002", "QB003", "QB004", "QB005"}]
    placeholder = [p for p in problems if p["code"] == "QB006"]
    assert len(placeholder) == 1 and "placeholder" in placeholder[0]["message"]
    assert placeholder[0]["filename"].endswith("t-0-0-001.yaml")


def test_gift_syntax(bank: Path, qbank: Runner) -> None:
    result = qbank("import", "--from", "gift", str(FIXTURES / "questions.gift"), "--out",
                   "questions")  # fmt: skip
    assert result.code == 0, result.err
    files = imported(bank)
    titled = load(files["t-1-2-010"])  # ::title:: that is a valid id becomes the id
    assert titled.domain == "1.2"  # $CATEGORY: …/1.2 Second things
    assert titled.stem == "Which service runs Apache Beam pipelines {managed}?\n"  # \{ \}
    assert titled.options[0].rationale == "Right: Dataflow is the managed Beam runner."  # \:
    assert titled.explanation == "Dataflow is Google Cloud's managed runner for Apache Beam.\n"
    assert "GIFT comment: The pipeline question" in files["t-1-2-010"].read_text("utf-8")

    weighted = load(files["t-1-2-011"])
    assert [o.correct for o in weighted.options] == [True, False, False]
    assert weighted.options[2].text == "europe-west=4"
    text = files["t-1-2-011"].read_text("utf-8")
    assert "GIFT title: Weighted single" in text
    assert "option 'us-central' earned 50% in GIFT; qbank keys it as wrong" in text

    several = load(files["t-1-2-012"])  # no '=': positive weights mark the answers
    assert (several.type, several.select) == ("multiple", 2)
    assert several.stem == "Which **two** are object stores?\n"  # [markdown]
    assert [o.correct for o in several.options] == [True, True, False]

    blank = load(files["t-1-2-013"])  # missing-word format
    assert blank.stem == "Grant is _____ in Grant's tomb.\n"

    html = load(files["t-0-0-001"])  # $CATEGORY: …/Elsewhere names no subsection
    assert (html.status, html.stem) == ("draft", "Which is **bold**: this?\n")
    assert html.options[0].text == "**this**"
    sky = load(next(path for path in files.values() if "The sky is blue" in path.read_text()))
    assert [(o.text, o.correct) for o in sky.options] == [("True", True), ("False", False)]
    for line, kind in [(28, "short-answer"), (30, "essay"), (32, "numerical")]:
        assert f"questions.gift:{line}: skipped: {kind} GIFT question" in result.err
    assert "questions.gift:34: skipped: GIFT question has no answers (a description)" in result.err


def test_aiken(bank: Path, qbank: Runner) -> None:
    result = qbank("import", "--from", "aiken", str(FIXTURES / "questions.aiken.txt"), "--out",
                   "questions", "--id-prefix", "aik")  # fmt: skip
    assert result.code == 0, result.err
    files = imported(bank)
    assert sorted(files) == ["aik-0-0-001", "aik-0-0-002"]
    first, second = load(files["aik-0-0-001"]), load(files["aik-0-0-002"])
    assert [o.text for o in first.options] == [
        "Dataproc",
        "Dataflow",
        "Cloud Run",
        "Compute Engine",
    ]
    assert [o.correct for o in first.options] == [False, True, False, False]
    assert [o.correct for o in second.options] == [False, False, True]  # "A)" style
    assert first.status == "draft"  # Aiken has no categories: the author places each question
    assert "questions.aiken.txt:8: note: no exam-guide subsection found" in result.err


def test_csv_with_bom_multiline_cells_and_extra_columns(bank: Path, qbank: Runner) -> None:
    result = qbank("import", "--from", "csv", str(FIXTURES / "questions.csv"), "--out", "questions")
    assert result.code == 0, result.err
    files = imported(bank)
    assert sorted(files) == ["t-0-0-001", "t-1-1-020", "t-1-1-021"]
    first = load(files["t-1-1-020"])
    assert (first.domain, first.difficulty, first.status) == ("1.1", "medium", "review")
    assert first.references == ["https://cloud.google.com/bigquery/docs/bqml-introduction"]
    assert first.tags == ["bqml", "forecasting"]
    assert [o.rationale for o in first.options][:2] == [
        "ARIMA_PLUS models time series.", "Logistic regression classifies."
    ]  # fmt: skip
    assert "#   csv source: Old exam 3" in files["t-1-1-020"].read_text("utf-8")
    second = load(files["t-1-1-021"])  # domain column "First things" is a subsection title
    assert (second.type, second.select, second.domain) == ("multiple", 2, "1.1")
    assert second.stem == "Which two statements about BigQuery ML are true?\n(Choose two.)\n"
    third = files["t-0-0-001"].read_text("utf-8")  # the row after a two-line cell: line 5
    assert "from questions.csv:5." in third
    assert "#   reference (not a URL): not-a-url" in third and "tags: [Bad, Tag]" in third


def test_csv_semicolons_and_a_domain_map(bank: Path, qbank: Runner) -> None:
    (bank / "q.csv").write_text(
        "stem;option_1;option_2;option_3;correct;tags\n"
        "Which service runs Beam pipelines?;Dataflow;Dataproc;Cloud Run;1;beam\n"
        "Which storage class is the coldest?;Standard;Archive;Nearline;B;storage\n",
        "utf-8",
    )
    (bank / "map.yaml").write_text('tags:\n  Beam: "2.1"\ncategories: {}\n', "utf-8")
    result = qbank("import", "--from", "csv", "q.csv", "--out", "questions", "--domain-map",
                   "map.yaml")  # fmt: skip
    assert result.code == 0, result.err
    files = imported(bank)
    assert sorted(files) == ["t-0-0-001", "t-2-1-002"]  # numbering continues after t-2-1-001
    assert load(files["t-2-1-002"]).options[0].correct
    assert load(files["t-0-0-001"]).options[1].correct


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("tags:\n  beam: 2.1\n", "map.yaml:2:9: 'beam': write the subsection code in quotes"),
        (
            'tags:\n  beam: "7.1"\n',
            "map.yaml:2:9: 'beam': 7.1 is not a subsection of the exam guide",
        ),
        ('topics:\n  beam: "1.1"\n', "map.yaml:1:1: unknown key 'topics'"),
        ("tags: [beam]\n", "map.yaml:1:7: tags must map names to subsection codes"),
    ],
)
def test_domain_map_errors_are_located(
    bank: Path, qbank: Runner, content: str, message: str
) -> None:
    (bank / "map.yaml").write_text(content, "utf-8")
    result = qbank("import", "--from", "aiken", str(FIXTURES / "questions.aiken.txt"), "--out",
                   "questions", "--domain-map", "map.yaml")  # fmt: skip
    assert result.code == 2 and message in result.err, result.err
    assert not imported(bank)


def test_moodle_categories_through_a_domain_map(bank: Path, qbank: Runner) -> None:
    (bank / "map.yaml").write_text('categories:\n  Miscellaneous: "1.2"\n', "utf-8")
    result = qbank("import", "--from", "moodle", str(FIXTURES / "moodle-course.xml"), "--out",
                   "questions", "--domain-map", "map.yaml")  # fmt: skip
    assert result.code == 0, result.err
    files = imported(bank)
    assert "t-1-2-002" in files and load(files["t-1-2-002"]).status == "review"
    assert not any(path.parent.name == "unmapped" for path in files.values())


def test_dry_run_prints_and_writes_nothing(bank: Path, qbank: Runner) -> None:
    before = sorted(p for p in bank.rglob("*"))
    result = qbank("import", "--from", "moodle", str(FIXTURES / "moodle-course.xml"), "--out",
                   "questions", "--dry-run")  # fmt: skip
    assert result.code == 0, result.err
    assert sorted(p for p in bank.rglob("*")) == before
    assert "--- would write questions/1-basics/t-1-1-050-flow-diagram.png (" in result.out
    assert "--- would write questions/1-basics/t-1-1-050.yaml\n" in result.out
    assert 'id: t-1-1-050\ndomain: "1.1"\n' in result.out
    assert "would import 4 question(s)" in result.err


def test_existing_files_are_replaced_only_with_overwrite(bank: Path, qbank: Runner) -> None:
    args = ("import", "--from", "moodle", str(FIXTURES / "moodle-course.xml"), "--out", "questions")
    assert qbank(*args).code == 0
    path = bank / "questions" / "1-basics" / "t-1-1-050.yaml"
    path.write_text(path.read_text("utf-8").replace("Pipelines", "Edited"), "utf-8")
    edited = path.read_bytes()
    result = qbank(*args[:4], "--out", "questions", "--dry-run")
    assert "t-1-1-050.yaml (exists: needs --overwrite)" in result.out
    again = qbank(*args)
    assert again.code == 2 and "already exist" in again.err and "--overwrite" in again.err
    assert "Traceback" not in again.err and path.read_bytes() == edited
    assert not (bank / "questions" / "2-more" / "t-2-1-004.yaml").exists()  # nothing written
    assert qbank(*args, "--overwrite").code == 0
    assert b"Pipelines at scale" in path.read_bytes()


def test_ids_the_bank_already_uses_get_new_ones(bank: Path, qbank: Runner) -> None:
    (bank / "q.csv").write_text(
        "id,domain,stem,option_1,option_2,correct\n"
        "t-1-1-001,1.1,Which one is first?,A,B,1\n"  # taken in the bank
        "t-1-1-077,1.1,Which one is second?,A,B,2\n"
        "t-1-1-077,1.1,Which one is third?,A,B,2\n"  # repeated in the file
        "Not An Id,1.1,Which one is fourth?,A,B,2\n",
        "utf-8",
    )
    # Into a folder of the bank: ids used elsewhere in the bank are not reused.
    result = qbank("import", "--from", "csv", "q.csv", "--out", "questions/imported")
    assert result.code == 0, result.err
    files = imported(bank)
    assert sorted(files) == ["t-1-1-002", "t-1-1-077", "t-1-1-078", "t-1-1-079"]
    assert files["t-1-1-002"].parent == bank / "questions" / "imported" / "1-basics"
    assert "q.csv:2: note: id t-1-1-001 is taken" in result.err
    assert "q.csv:4: note: id t-1-1-077 is taken" in result.err
    assert "q.csv:5: note: source id 'Not An Id' is not a valid qbank id" in result.err
    assert qbank("import", "--from", "csv", "q.csv", "--out", "x", "--id-prefix", "Bad!").code == 2


def test_image_names_cannot_leave_the_output_folder(bank: Path, qbank: Runner) -> None:
    out = bank / "deep" / "out"
    result = qbank("import", "--from", "moodle", str(FIXTURES / "moodle-traversal.xml"), "--out",
                   str(out))  # fmt: skip
    assert result.code == 0, result.err
    written = sorted(p.relative_to(bank) for p in bank.rglob("*") if p.is_file())
    assert [p for p in written if "escaped" in p.name] == [
        Path("deep/out/unmapped/test-0-0-001-escaped.png"),
        Path("deep/out/unmapped/test-0-0-001-escaped2.png"),
    ]
    question = load(out / "unmapped" / "test-0-0-001.yaml")
    assert "![](test-0-0-001-escaped.png) ![](test-0-0-001-escaped2.png)" in question.stem


@pytest.mark.parametrize(
    ("name", "fmt", "where", "message"),
    [
        ("moodle-not-well-formed.xml", "moodle", 6, "not well-formed XML: mismatched tag"),
        ("moodle-entity-bomb.xml", "moodle", 2, "refused: a DOCTYPE declaration"),
        ("moodle-external-entity.xml", "moodle", 2, "refused: a DOCTYPE declaration"),
        ("moodle-not-a-quiz.xml", "moodle", 2, "not Moodle XML: <questions> is not <quiz>"),
        ("moodle-bad-fraction.xml", "moodle", 7, "answer fraction 'most' is not a number"),
        ("moodle-bad-base64.xml", "moodle", 6, "a <file> is not valid base64"),
        ("gift-unclosed-brace.gift", "gift", 2, "'{' opens an answer block that never closes"),
        ("gift-stray-brace.gift", "gift", 1, "'}' without a matching '{'"),
        ("gift-one-answer.gift", "gift", 3, "a multiple-choice question needs two answers"),
        ("aiken-not-utf8.txt", "aiken", 2, "not UTF-8 (byte 0xff)"),
        ("aiken-no-answer.txt", "aiken", 6, "question has no 'ANSWER: <letter>' line"),
        ("aiken-answer-not-an-option.txt", "aiken", 4, "ANSWER: C is not one of the options A, B"),
        ("csv-missing-column.csv", "csv", 1, "the header lacks the column(s) correct"),
        ("csv-bad-correct.csv", "csv", 3, "correct: C names an empty or missing option"),
        ("json-syntax-error.json", "json", 5, "not valid JSON: Expecting property name"),
        ("json-wrong-format.json", "json", 1, "expected format 'qbank-export' version 1"),
        ("json-no-stem.json", "json", 2, "stem must be text"),
    ],
)
def test_malformed_input_is_one_located_error(
    bank: Path, qbank: Runner, name: str, fmt: str, where: int, message: str
) -> None:
    result = qbank("import", "--from", fmt, str(MALFORMED / name), "--out", "questions")
    assert result.code == 2
    assert result.err.startswith(f"qbank: error: {MALFORMED / name}:{where}: {message}"), result.err
    assert len(result.err.strip().splitlines()) == 1
    assert not imported(bank)


def test_missing_input_and_unknown_format(bank: Path, qbank: Runner) -> None:
    missing = qbank("import", "--from", "gift", "nope.gift", "--out", "questions")
    assert missing.code == 2 and "nope.gift: not a file" in missing.err
    unknown = qbank("import", "--from", "docx", "x.docx", "--out", "questions")
    assert unknown.code == 2 and "docx" in unknown.err


def test_json_images_come_back_at_their_paths(bank: Path, qbank: Runner) -> None:
    folder = bank / "questions" / "2-more"
    (folder / "img").mkdir()
    (folder / "img" / "diagram.png").write_bytes(PNG)
    path = folder / "t-2-1-001.yaml"
    text = path.read_text("utf-8").replace(
        "What should you use?", "What should you use?\n\n  ![flow](img/diagram.png)"
    )
    path.write_text(text, "utf-8")
    assert qbank("export", "--format", "json", "--out", "bank.json").code == 0
    result = qbank("import", "--from", "json", "bank.json", "--out", "copy")
    assert result.code == 0, result.err
    copied = bank / "copy" / "2-more" / "t-2-1-001.yaml"
    assert load(copied) == load(path)
    assert (copied.parent / "img" / "diagram.png").read_bytes() == PNG


def test_moodle_xml_in_the_shape_qbank_exports(bank: Path, qbank: Runner) -> None:
    """Subsection and difficulty tags and the references block go back to their fields."""
    source = FIXTURES / "moodle-qbank-conventions.xml"
    result = qbank("import", "--from", "moodle", str(source), "--out", "questions")
    assert result.code == 0, result.err
    path = imported(bank)["t-1-2-009"]
    question = load(path)
    assert (question.domain, question.difficulty, question.tags) == ("1.2", "hard", ["bqml"])
    assert question.references == ["https://cloud.google.com/bigquery/docs/bqml-introduction"]
    assert question.explanation == (
        "BigQuery ML trains models with `CREATE MODEL` where the data lives.\n"
    )
    assert question.options[0].text == "BigQuery ML with a preprocessing_fn-free `CREATE MODEL`"
    assert "Kept from the source" not in path.read_text("utf-8")  # Moodle's defaults only


def test_moodle_1_x_image_elements(bank: Path, qbank: Runner) -> None:
    encoded = base64.b64encode(PNG).decode("ascii")
    (bank / "old.xml").write_text(
        "<quiz><question type='multichoice'><name><text>Old</text></name>"
        "<questiontext format='html'><text>Which shape is shown?</text></questiontext>"
        f"<image>shapes/square.png</image><image_base64>{encoded}</image_base64>"
        "<answer fraction='100'><text>A square</text></answer>"
        "<answer fraction='0'><text>A circle</text></answer></question></quiz>",
        "utf-8",
    )
    result = qbank("import", "--from", "moodle", "old.xml", "--out", "questions")
    assert result.code == 0, result.err
    path = imported(bank)["t-0-0-001"]
    assert load(path).stem == "Which shape is shown?\n\n![](t-0-0-001-square.png)\n"
    assert (path.parent / "t-0-0-001-square.png").read_bytes() == PNG
    assert encoded not in path.read_text("utf-8")


def test_gift_true_false_questions(bank: Path, qbank: Runner) -> None:
    (bank / "tf.gift").write_text(
        "::t-1-1-060:: Dataflow runs Apache Beam pipelines. "
        "{TRUE#No: it is Beam's managed runner.#Right: it is.####Dataflow runs Beam.}\n\n"
        "::t-1-1-061:: BigQuery is a message queue. {F#It is a warehouse.#Right.}\n\n"
        "::t-1-1-062:: Pub/Sub is a message service. {T}\n",
        "utf-8",
    )
    result = qbank("import", "--from", "gift", "tf.gift", "--out", "questions", "--domain", "1.1")
    assert result.code == 0, result.err
    files = imported(bank)
    true = load(files["t-1-1-060"])
    assert (true.type, true.shuffle, true.explanation) == ("single", False, "Dataflow runs Beam.\n")
    assert [(o.text, o.correct, o.rationale) for o in true.options] == [
        ("True", True, "Right: it is."),  # the feedback Moodle shows for the right answer
        ("False", False, "No: it is Beam's managed runner."),  # ... and for the wrong one
    ]
    false = load(files["t-1-1-061"])
    assert [(o.text, o.correct, o.rationale) for o in false.options] == [
        ("True", False, "It is a warehouse."),
        ("False", True, "Right."),
    ]
    bare = load(files["t-1-1-062"])
    assert [(o.correct, o.rationale) for o in bare.options] == [(True, None), (False, None)]
    assert "skipped 0" in result.err


def test_moodle_true_false_feedback(bank: Path, qbank: Runner) -> None:
    (bank / "tf.xml").write_text(
        "<quiz><question type='truefalse'><name><text>Beam</text></name>"
        "<questiontext format='html'><text>Dataflow runs &lt;b&gt;Beam&lt;/b&gt;.</text>"
        "</questiontext><answer fraction='0'><text>true</text><feedback><text>No.</text>"
        "</feedback></answer><answer fraction='100'><text>false</text><feedback>"
        "<text>Yes.</text></feedback></answer></question></quiz>",
        "utf-8",
    )
    result = qbank("import", "--from", "moodle", "tf.xml", "--out", "questions", "--domain", "2.1")
    assert result.code == 0, result.err
    (path,) = imported(bank).values()
    question = load(path)
    assert (question.domain, question.stem) == ("2.1", "Dataflow runs **Beam**.\n")
    assert [(o.text, o.correct, o.rationale) for o in question.options] == [
        ("True", False, "No."),
        ("False", True, "Yes."),
    ]


def test_domain_places_questions_a_source_does_not(bank: Path, qbank: Runner) -> None:
    result = qbank("import", "--from", "aiken", str(FIXTURES / "questions.aiken.txt"), "--out",
                   "questions", "--id-prefix", "aik", "--domain", "1.2")  # fmt: skip
    assert result.code == 0, result.err
    files = imported(bank)
    assert sorted(files) == ["aik-1-2-001", "aik-1-2-002"]
    assert all(load(p).domain == "1.2" and load(p).status == "review" for p in files.values())
    assert all(p.parent.name == "1-basics" for p in files.values())
    assert "no exam-guide subsection found" not in result.err


def test_domain_does_not_replace_a_stated_one(bank: Path, qbank: Runner) -> None:
    result = qbank("import", "--from", "csv", str(FIXTURES / "questions.csv"), "--out",
                   "questions", "--domain", "2.1")  # fmt: skip
    assert result.code == 0, result.err
    files = imported(bank)
    assert load(files["t-1-1-020"]).domain == "1.1"  # the CSV's domain column
    assert any(load(p).domain == "2.1" for p in files.values())  # the row without one


@pytest.mark.parametrize(
    ("domain", "message"),
    [
        ("9.9", "--domain 9.9: not a subsection of the exam guide"),
        ("1.3", '(did you mean "1.2"?)'),
    ],
)
def test_unknown_domain_is_a_usage_error(
    bank: Path, qbank: Runner, domain: str, message: str
) -> None:
    result = qbank("import", "--from", "aiken", str(FIXTURES / "questions.aiken.txt"), "--out",
                   "questions", "--domain", domain)  # fmt: skip
    assert result.code == 2 and message in result.err, result.err
    assert len(result.err.strip().splitlines()) == 1
    assert not imported(bank)


def test_gift_without_blank_lines_between_questions_gets_a_hint(bank: Path, qbank: Runner) -> None:
    (bank / "packed.gift").write_text(
        "// two questions, no blank line\n"
        "::q1:: Which runs Beam? {=Dataflow ~Dataproc}\n"
        "::q2:: Which stores objects? {=Cloud Storage ~BigQuery}\n",
        "utf-8",
    )
    result = qbank("import", "--from", "gift", "packed.gift", "--out", "questions")
    assert result.code == 2
    assert result.err == (
        "qbank: error: packed.gift:3: a second question starts here without a blank line "
        "before it (GIFT separates questions with blank lines); add one\n"
    )
    assert not imported(bank)
