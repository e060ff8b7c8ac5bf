"""`qbank export --format anki`, checked by importing the .apkg with Anki's own importer."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportResponse

from qbank.export.anki import FIELDS, NOTE_TYPE_NAME, note_guid
from tests.conftest import REPO, Runner
from tests.export_support import HOSTILE_ID, HOSTILE_YAML, add_question, unsafe_html

# The bank was last edited well before the test runs, as a real bank would have been.
LONG_AGO = 1_700_000_000


def export(qbank: Runner, out: str = "build/test.apkg", *extra: str) -> Path:
    result = qbank("export", "--format", "anki", "--out", out, *extra)
    assert result.code == 0, result.err
    return Path(out)


def import_package(collection: Collection, package: Path) -> ImportResponse.Log:
    """What a learner does: File > Import with Anki's default options."""
    request = ImportAnkiPackageRequest(
        package_path=str(package.resolve()), options=ImportAnkiPackageOptions()
    )
    return collection.import_anki_package(request).log


@pytest.fixture
def collection(tmp_path: Path) -> Iterator[Collection]:
    (tmp_path / "anki").mkdir()
    col = Collection(str(tmp_path / "anki" / "collection.anki2"))
    yield col
    col.close()


def note_by_id(collection: Collection, question_id: str) -> dict[str, str]:
    (note_id,) = collection.find_notes(f'"Id:{question_id}"')
    return dict(collection.get_note(note_id).items())


def make_old(folder: Path) -> None:
    for path in folder.rglob("*"):
        os.utime(path, (LONG_AGO, LONG_AGO))


def test_package_imports_into_anki(bank: Path, qbank: Runner, collection: Collection) -> None:
    log = import_package(collection, export(qbank))
    assert (len(log.new), len(log.updated), len(log.duplicate)) == (3, 0, 0)
    assert (collection.note_count(), collection.card_count()) == (3, 3)
    decks = {deck.name for deck in collection.decks.all_names_and_ids()}
    assert {"TEST", "TEST::1 Basics", "TEST::2 More"} <= decks
    note_type = collection.models.by_name(NOTE_TYPE_NAME)
    assert note_type is not None
    assert [field["name"] for field in note_type["flds"]] == list(FIELDS)

    note_id = collection.find_notes('"Id:t-1-2-001"')[0]
    note = collection.get_note(note_id)
    assert note.guid == note_guid("t-1-2-001")
    assert sorted(note.tags) == sorted(
        ["test::1", "test::1.2", "test::difficulty::hard", "document-ai", "translation"]
    )
    assert collection.decks.name(note.cards()[0].did) == "TEST::1 Basics"
    fields = dict(note.items())
    assert fields["Domain"] == "1.2 Second things"
    assert fields["Stem"].startswith("<p>A clinic wants")
    assert fields["Answer"] == "A, B"
    assert "Choose two." in fields["Options"]
    letters = [part.split("</span>")[0] for part in fields["Options"].split('"qb-letter">')[1:]]
    assert letters == ["A", "B", "C", "D", "E"]
    assert fields["Options"].count("qb-correct") == 2
    assert "Regression predicts numbers" in fields["Options"]  # per-option rationale
    assert '<a href="https://cloud.google.com/translate/docs/overview">' in fields["References"]
    assert fields["Tags source"] == "document-ai translation"

    card = note.cards()[0]
    front, back = card.question(), card.answer()
    assert "Choose two." in front and "Answer: <strong>A, B</strong>" not in front
    assert "Answer: <strong>A, B</strong>" in back and "Pre-trained APIs" in back
    assert ".nightMode" in front and "qb-revealed" in back


def test_edited_bank_updates_notes_in_place(
    bank: Path, qbank: Runner, collection: Collection
) -> None:
    make_old(bank / "questions")
    first = export(qbank, "build/v1.apkg")
    import_package(collection, first)
    # The learner studies: the card gets an interval that must survive the update.
    card = collection.get_note(collection.find_notes('"Id:t-1-1-001"')[0]).cards()[0]
    card.type, card.queue, card.ivl, card.due = 2, 2, 30, 100
    collection.update_card(card)

    question = bank / "questions" / "1-basics" / "t-1-1-001.yaml"
    question.write_text(question.read_text().replace("keep the data", "keep all the data"))
    log = import_package(collection, export(qbank, "build/v2.apkg"))

    assert len(log.new) == 0 and len(log.conflicting) == 0
    assert [list(note.fields)[0] for note in log.updated] == ["t-1-1-001"]
    assert len(log.duplicate) == 2  # unchanged notes are left alone
    assert "keep all the data" in note_by_id(collection, "t-1-1-001")["Stem"]
    assert (collection.note_count(), collection.card_count()) == (3, 3)
    studied = collection.get_card(card.id)
    assert (studied.ivl, studied.due) == (30, 100)
    # Importing the same file again changes nothing.
    again = import_package(collection, Path("build/v2.apkg"))
    assert (len(again.new), len(again.updated), len(again.duplicate)) == (0, 0, 3)


def test_changed_card_templates_update_the_note_type(
    bank: Path, qbank: Runner, collection: Collection
) -> None:
    import_package(collection, export(qbank, "build/v1.apkg"))
    overrides = bank / "my-templates" / "anki"
    overrides.mkdir(parents=True)
    (overrides / "style.css").write_text(".card { color: teal; }\n")
    in_an_hour = time.time() + 3600
    os.utime(overrides / "style.css", (in_an_hour, in_an_hour))
    import_package(
        collection, export(qbank, "build/v2.apkg", "--templates", str(bank / "my-templates"))
    )
    note_type = collection.models.by_name(NOTE_TYPE_NAME)
    assert note_type is not None and note_type["css"] == ".card { color: teal; }\n"
    names = [model.name for model in collection.models.all_names_and_ids()]
    assert [name for name in names if name.startswith(NOTE_TYPE_NAME)] == [NOTE_TYPE_NAME]


def test_same_bank_gives_identical_bytes(
    bank: Path, qbank: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = export(qbank, "build/first.apkg").read_bytes()
    later = time.time() + 86_400
    monkeypatch.setattr(time, "time", lambda: later)  # a day later, same files
    assert export(qbank, "build/second.apkg").read_bytes() == first


def test_source_date_epoch_makes_checkouts_identical(
    bank: Path, qbank: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(LONG_AGO - 10**8))
    first = export(qbank, "build/first.apkg").read_bytes()
    for path in (bank / "questions").rglob("*.yaml"):
        path.touch()  # a fresh checkout: every file has a new time
    assert export(qbank, "build/second.apkg").read_bytes() == first


def test_hostile_markup_never_reaches_anki(
    bank: Path, qbank: Runner, collection: Collection
) -> None:
    add_question(bank, "1-basics", HOSTILE_ID, HOSTILE_YAML)
    package = export(qbank, "build/test.apkg", "--force")
    database = zipfile.ZipFile(package).read("collection.anki2")
    for forbidden in (b"<script", b"pwned", b"onerror", b"onclick", b"onload", b"<iframe"):
        assert forbidden not in database
    import_package(collection, package)
    fields = note_by_id(collection, HOSTILE_ID)
    assert "Which is safe?" in fields["Stem"] and "raw link" in fields["Stem"]
    for name, value in fields.items():
        assert unsafe_html(value) == [], name
    assert "<li>javascript://cloud.google.com/%0aalert(9)</li>" in fields["References"]


def test_images_go_into_the_package_media(
    bank: Path, qbank: Runner, collection: Collection
) -> None:
    question = bank / "questions" / "1-basics" / "t-1-1-001.yaml"
    question.write_text(question.read_text().replace("use?", "use? ![chart](chart.png)"))
    (question.parent / "chart.png").write_bytes(b"\x89PNG not really")
    import_package(collection, export(qbank))
    stem = note_by_id(collection, "t-1-1-001")["Stem"]
    name = stem.split('src="')[1].split('"')[0]
    assert name.endswith(".png") and name != "chart.png"
    assert (Path(collection.media.dir()) / name).read_bytes() == b"\x89PNG not really"


def test_each_note_is_dated_by_its_own_files(bank: Path, qbank: Runner) -> None:
    make_old(bank / "questions")
    edited = int(time.time()) + 3600
    os.utime(bank / "questions" / "1-basics" / "t-1-2-001.yaml", (edited, edited))
    archive = zipfile.ZipFile(export(qbank))
    assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    database = bank / "collection.anki2"
    database.write_bytes(archive.read("collection.anki2"))
    with sqlite3.connect(database) as connection:
        times = dict(connection.execute("SELECT guid, mod FROM notes").fetchall())
    field_templates = max(
        int(p.stat().st_mtime) for p in (REPO / "exporters" / "anki").glob("*.j2")
    )
    assert times == {
        note_guid("t-1-1-001"): max(LONG_AGO, field_templates),
        note_guid("t-1-2-001"): edited,
        note_guid("t-2-1-001"): max(LONG_AGO, field_templates),
    }


def test_bundled_bank_imports_one_note_per_question(
    tmp_path: Path, qbank: Runner, collection: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    questions = [p for p in (REPO / "questions").rglob("*.yaml") if p.name != "exam-guide.yaml"]
    log = import_package(collection, export(qbank, str(tmp_path / "pmle.apkg")))
    assert len(log.new) == len(questions) == collection.note_count() == collection.card_count()
    decks = {deck.name for deck in collection.decks.all_names_and_ids()}
    assert "PMLE" in decks and any(name.startswith("PMLE::4 ") for name in decks)


def test_export_never_imports_the_embedding_model(bank: Path) -> None:
    probe = (
        "import sys\n"
        "from qbank.cli.main import main\n"
        "code = main(sys.argv[1:])\n"
        "print('HEAVY', sorted({'torch', 'sentence_transformers'} & set(sys.modules)))\n"
        "raise SystemExit(code)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(REPO))
    for format_name in ("anki", "json"):
        run = subprocess.run(
            [sys.executable, "-c", probe, "export", "--format", format_name, "--out", "x.out"],
            cwd=bank, capture_output=True, text=True, env=env,
        )  # fmt: skip
        assert run.returncode == 0 and "HEAVY []" in run.stdout, run.stdout + run.stderr
