"""QB003 messages say what is allowed and what was found, for every kind of schema error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qbank.load.messages import PATTERN_WORDS
from tests.conftest import REPO, Runner

QUESTION = "questions/1-basics/t-1-1-001.yaml"
GUIDE = "questions/exam-guide.yaml"

# (text replaced in the fixture question, its replacement, the one expected message)
CASES = [
    ("difficulty: medium", "difficulty: very-hard",
     "'difficulty' must be one of easy, medium, hard; got 'very-hard' (did you mean \"hard\"?)"),
    ("difficulty: medium", "difficulty: 3",
     "'difficulty' must be one of easy, medium, hard; got 3"),
    ("status: published", "status: done",
     "'status' must be one of draft, review, published; got 'done'"),
    ("status: published", "status: 3", "'status' must be one of draft, review, published; got 3"),
    ("type: single", "type: both", "'type' must be one of single, multiple; got 'both'"),
    ("type: single", "type: multiple\nselect: 1", "'select' must be at least 2; got 1"),
    ("type: single", "type: multiple\nselect: 9", "'select' must be at most 8; got 9"),
    ("type: single", "type: multiple\nselect: '2'", "'select' must be a whole number, not '2'"),
    ("type: single", "type: multiple\nselect: 2.0",
     "'select': input should be a valid integer; got 2.0"),
    ("type: single", "type: multiple",
     "missing required key 'select' (a multiple-answer question says how many to choose)"),
    ("type: single", "type: single\nselect: 2", "'select' is only allowed when type is 'multiple'"),
    ('domain: "1.1"', "domain: 1.1",
     "'domain' must be a string, not the number 1.1 (put it in quotes)"),
    ('domain: "1.1"', 'domain: "1"',
     "'domain' must be a subsection code in quotes, e.g. \"4.2\"; got '1'"),
    ("id: t-1-1-001", "id: T 1", "'id' must be 3 to 64 lower-case letters, digits and '-', "
     "e.g. pmle-4-2-003; got 'T 1'"),
    ("tags: [bqml]", "tags: bqml", "'tags' must be a list, not 'bqml'"),
    ("tags: [bqml]", "tags: [big query]", "'tags[0]' must be letters, digits and _ . : + / - "
     "(no spaces), starting with a letter or digit; got 'big query'"),
    ("tags: [bqml]", f"tags: [{'x' * 65}]",
     "'tags[0]' must be at most 64 characters long; it has 65"),
    ("status: published", "shuffle: 'yes'", "'shuffle' must be true or false, not 'yes'"),
    ("status: published", "shuffle: 1", "'shuffle' must be true or false, not the number 1"),
    ("rationale: BigQuery ML trains the model where the data already lives.", "rationale: 3",
     "'options[0].rationale' must be a string, not the number 3 (put it in quotes)"),
    ("status: published", "lint: {ignore: [QB9999]}", "'lint.ignore[0]' must be a rule code "
     "(QB202) or rule name (unemphasized-negative); got 'QB9999'"),
    ("references:\n  - https://cloud.google.com/bigquery/docs/bqml-introduction",
     "references: ['ftp:/x']",
     "'references[0]' must be a URL such as https://cloud.google.com/...; got 'ftp:/x'"),
    ("status: published", "colour: red", "unknown key 'colour'"),
]  # fmt: skip


def _problems(qbank: Runner, *paths: str) -> list[dict[str, str]]:
    result = qbank("lint", "--format", "json", "--select", "QB003", *paths)
    return [p for p in json.loads(result.out) if p["code"] == "QB003"]


@pytest.mark.parametrize(("old", "new", "expected"), CASES)
def test_schema_message(bank: Path, qbank: Runner, old: str, new: str, expected: str) -> None:
    path = bank / QUESTION
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    assert [p["message"] for p in _problems(qbank, QUESTION)] == [expected]


def test_options_errors(bank: Path, qbank: Runner) -> None:
    path = bank / QUESTION
    text = path.read_text()
    options = text[text.index("options:") : text.index("explanation:")]
    path.write_text(text.replace(options, "options:\n  - {text: '', correct: 'yes'}\n"))
    assert [p["message"] for p in _problems(qbank, QUESTION)] == [
        "'options' must have at least 2 items; it has 1",
        "'options[0].text' must not be empty",
        "'options[0].correct' must be true or false, not 'yes'",
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('- code: "1"\n', "- code: 1\n",
         "'sections[0].code' must be a string, not the number 1 (put it in quotes)"),
        ("weight: 50\n", "weight: 0\n", "'sections[0].weight' must be more than 0; got 0"),
        ("weight: 50\n", "weight: 45\n", "section weights sum to 95, not 100"),
        ("short_name: TEST", "short_name: T!", "'short_name' must be letters, digits, spaces, "
         "'_' and '-'; got 'T!'"),
    ],
)  # fmt: skip
def test_exam_guide_messages(bank: Path, qbank: Runner, old: str, new: str, expected: str) -> None:
    guide = bank / GUIDE
    guide.write_text(guide.read_text().replace(old, new, 1))
    assert [p["message"] for p in _problems(qbank) if p["filename"] == GUIDE] == [expected]


def _keywords(node: object, found: set[str]) -> set[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            found.add(key)
            children = value.values() if key in ("properties", "$defs") else [value]
            for child in children:
                _keywords(child, found)
    elif isinstance(node, list):
        for child in node:
            _keywords(child, found)
    return found


# Keywords that only annotate or combine; they never fail on their own.
STRUCTURAL = {"$defs", "$id", "$ref", "$schema", "allOf", "default", "description", "if",
              "items", "properties", "then", "title"}  # fmt: skip
WORDED = {"additionalProperties", "anyOf", "const", "enum", "exclusiveMinimum", "maxItems",
          "maxLength", "maximum", "minItems", "minLength", "minimum", "not", "pattern",
          "required", "type"}  # fmt: skip


def test_every_keyword_and_pattern_of_the_schemas_has_words() -> None:
    found: set[str] = set()
    patterns = []
    for name in ("question", "exam-guide"):
        schema = json.loads((REPO / "schema" / f"{name}.schema.json").read_text())
        _keywords(schema, found)
        patterns += _patterns(schema)
    assert found - STRUCTURAL <= WORDED, sorted(found - STRUCTURAL - WORDED)
    assert set(patterns) <= set(PATTERN_WORDS), sorted(set(patterns) - set(PATTERN_WORDS))


def _patterns(node: object) -> list[str]:
    if isinstance(node, dict):
        own = [node["pattern"]] if isinstance(node.get("pattern"), str) else []
        return own + [p for value in node.values() for p in _patterns(value)]
    if isinstance(node, list):
        return [p for value in node for p in _patterns(value)]
    return []
