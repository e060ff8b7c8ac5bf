"""Anki (.apkg): one "qbank MCQ" note per question, in one sub-deck per exam section.

Re-importing a later export must update the learner's notes in place and keep their review
history. Anki matches notes by GUID, note types by id and decks by name, so all three come
from fixed names (the GUID from the question id, never its text). Anki then replaces a note
only when the incoming one is newer, so each note carries the modification time of the files
it is built from (`RenderedQuestion.modified`), never the time of the export.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup

from qbank.export.anki_package import package_bytes
from qbank.export.base import ExportBank, RenderedQuestion
from qbank.export.output import last_modified, write_file
from qbank.export.templates import environment

if TYPE_CHECKING:
    import genanki
    from jinja2 import Environment, Template

NOTE_TYPE_NAME = "qbank MCQ"
FIELDS = ("Id", "Domain", "Stem", "Options", "Answer", "Explanation", "References", "Tags source")
CARD_NAME = "Multiple choice"
# Anki's own template syntax ({{Field}}): read verbatim, never through Jinja.
CARD_FILES = {"front": "front.html", "back": "back.html", "css": "style.css"}
# Jinja templates for the HTML of the Options and References fields.
FIELD_TEMPLATES = ("options.html.j2", "references.html.j2")
LETTERS = "ABCDEFGH"
COUNT_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight"}
WEB_LINK = re.compile(r"^https?://", re.IGNORECASE)


def stable_id(kind: str, name: str) -> int:
    """An Anki id for a named object: the same name always gives the same id (below 2**53,
    so it survives JavaScript, and above Anki's small built-in ids)."""
    digest = hashlib.sha256(f"qbank {kind}: {name}".encode()).digest()
    return (1 << 40) + int.from_bytes(digest[:6], "big")


def note_guid(question_id: str) -> str:
    import genanki

    guid: str = genanki.guid_for("qbank", question_id)
    return guid


def tag_prefix(short_name: str) -> str:
    return re.sub(r"\s+", "-", short_name.strip()).lower()


def deck_name(short_name: str, code: str, title: str) -> str:
    # "::" separates deck levels in Anki; a title must not add levels of its own.
    return f"{short_name}::{code} {title.replace('::', ':')}"


def note_tags(rendered: RenderedQuestion, prefix: str) -> list[str]:
    """`pmle::4`, `pmle::4.2`, `pmle::difficulty::hard`, then the question's own tags."""
    question = rendered.question
    tags = [f"{prefix}::{rendered.section.code}", f"{prefix}::{question.domain}"]
    if question.difficulty:
        tags.append(f"{prefix}::difficulty::{question.difficulty}")
    tags += [re.sub(r"\s+", "_", tag) for tag in question.tags]  # Anki tags have no spaces
    return list(dict.fromkeys(tags))


@dataclass(frozen=True)
class _OptionView:
    letter: str
    html: Markup
    rationale_html: Markup
    correct: bool


@dataclass(frozen=True)
class _ReferenceView:
    url: str
    linkable: bool


class AnkiExporter:
    name = "anki"
    suffix = ".apkg"
    templates: Path | None = None

    def export(self, bank: ExportBank, out: Path) -> None:
        import genanki

        env = environment(self.name, self.templates)
        note_type, note_type_time = _note_type(env)
        fields_time = last_modified(_template_path(env, name) for name in FIELD_TEMPLATES)
        short_name = bank.guide.short_name
        root = genanki.Deck(stable_id("deck", short_name), short_name, _deck_description(bank))
        decks = {
            section.code: genanki.Deck(
                stable_id("deck", name := deck_name(short_name, section.code, section.title)), name
            )
            for section in bank.guide.sections
        }
        note_times: dict[str, int] = {}
        prefix = tag_prefix(short_name)
        options, references = (env.get_template(name) for name in FIELD_TEMPLATES)
        html = _FieldHtml(options, references)
        for position, rendered in enumerate(bank.questions):
            note = genanki.Note(
                model=note_type, fields=html.fields(rendered), tags=note_tags(rendered, prefix),
                guid=note_guid(rendered.id), due=position,
            )  # fmt: skip
            decks[rendered.section.code].add_note(note)
            note_times[note.guid] = max(rendered.modified, fields_time)
        used = [deck for deck in decks.values() if deck.notes]
        package = genanki.Package([root, *used])
        write_file(out, package_bytes(package, bank.images, note_times, note_type_time))


@dataclass(frozen=True)
class _FieldHtml:
    """The templates of the Options and References fields, loaded once for all notes."""

    options: Template
    references: Template
    # Many questions cite the same pages: their References field is rendered once.
    _references_html: dict[tuple[str, ...], str] = field(default_factory=dict, compare=False)

    def fields(self, rendered: RenderedQuestion) -> list[str]:
        """The note's fields, in FIELDS order."""
        question = rendered.question
        letters = [LETTERS[i] for i in question.correct_indexes]
        options = [
            _OptionView(LETTERS[i], Markup(o.html), Markup(o.rationale_html), o.correct)
            for i, o in enumerate(rendered.options)
        ]
        choose = COUNT_WORDS.get(question.select or 0, str(question.select or ""))
        values = {
            "Id": html.escape(question.id),
            "Domain": html.escape(f"{rendered.subsection.code} {rendered.subsection.title}"),
            "Stem": rendered.stem_html,
            "Options": self.options.render(options=options, choose=choose),
            "Answer": ", ".join(letters),
            "Explanation": rendered.explanation_html,
            "References": self._references_field(tuple(question.references)),
            "Tags source": html.escape(" ".join(question.tags)),
        }
        return [values[name].strip() for name in FIELDS]

    def _references_field(self, urls: tuple[str, ...]) -> str:
        if not urls:
            return ""
        if urls not in self._references_html:
            views = [_ReferenceView(url, bool(WEB_LINK.match(url))) for url in urls]
            self._references_html[urls] = self.references.render(references=views)
        return self._references_html[urls]


def _template_path(env: Environment, name: str) -> Path:
    assert env.loader is not None
    return Path(env.loader.get_source(env, name)[1] or name)


def _note_type(env: Environment) -> tuple[genanki.Model, int]:
    """The note type, and when its card templates or CSS last changed (Anki updates the
    learner's copy only when that time grows)."""
    import genanki

    assert env.loader is not None
    card = {role: env.loader.get_source(env, name)[0] for role, name in CARD_FILES.items()}
    note_type = genanki.Model(
        stable_id("note type", NOTE_TYPE_NAME), NOTE_TYPE_NAME,
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": CARD_NAME, "qfmt": card["front"], "afmt": card["back"]}],
        css=card["css"],
    )  # fmt: skip
    return note_type, last_modified(_template_path(env, n) for n in CARD_FILES.values())


def _deck_description(bank: ExportBank) -> str:
    guide = bank.guide
    return html.escape(
        f"Practice questions for {guide.exam} (exam guide: {guide.version}). "
        f"{len(bank.questions)} questions, generated by {bank.generator}."
    )
