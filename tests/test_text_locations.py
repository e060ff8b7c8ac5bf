"""Problems about a word point at the word: inside `|` and `>` blocks and multi-line plain
or quoted scalars too, not at the key that starts the field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from qbank.load.yamlparse import parse
from tests.conftest import Runner

HEAD = 'id: t-1-1-001\ndomain: "1.1"\ntype: single\ndifficulty: medium\nstatus: published\n'
TAIL = (
    "options:\n"
    "  - text: Train the model with BigQuery ML using a CREATE MODEL statement.\n"
    "    correct: true\n"
    "    rationale: BigQuery ML trains the model where the data already lives.\n"
    "  - text: Export the table to Cloud Storage and train on a Compute Engine VM.\n"
    "    rationale: Exporting moves the data out of BigQuery, which the team avoids.\n"
    "  - text: Copy the table into Cloud SQL and train with a stored procedure there.\n"
    "    rationale: TODO say why Cloud SQL is wrong.\n"
    "explanation: |\n"
    "  BigQuery ML creates and runs models with SQL inside BigQuery, so the training data\n"
    "  never leaves the warehouse and no extra infrastructure is needed.\n"
    "references:\n  - https://cloud.google.com/bigquery/docs/bqml-introduction\n"
    "tags: [bqml]\n"
)
SCENARIO = "A team trains a forecasting model on sales records in BigQuery"

# (the stem as written, where 'not' is: line and column in the file)
STEMS = [
    (f"stem: |\n  {SCENARIO}\n  today. Which service does not move the data?\n", 8, 29),
    (f"stem: >\n  {SCENARIO}\n  today. Which service does\n  not move the data?\n", 9, 3),
    (f"stem: {SCENARIO}\n  today. Which service does not\n  move the data?\n", 7, 29),
    (f"stem: '{SCENARIO}\n  today. Which service''s data does not move?'\n", 7, 37),
    (f'stem: "{SCENARIO}\n  today. Which \\"service\\" does \\\n  not move the data?"\n', 8, 3),
    (f"stem: |-  # the stem\n    {SCENARIO}\n    today. Which service does not move it?\n", 8, 31),
]


def _write(bank: Path, stem: str) -> Path:
    path = bank / "questions" / "1-basics" / "t-1-1-001.yaml"
    path.write_text(HEAD + stem + TAIL)
    return path


def _located(qbank: Runner, path: Path, code: str) -> list[tuple[int, int]]:
    result = qbank("lint", "--format", "json", "--select", code, str(path))
    problems = [p for p in json.loads(result.out) if p["code"] == code]
    return [(p["location"]["row"], p["location"]["column"]) for p in problems]


@pytest.mark.parametrize(("stem", "line", "col"), STEMS)
def test_negative_is_located_at_the_word(
    bank: Path, qbank: Runner, stem: str, line: int, col: int
) -> None:
    path = _write(bank, stem)
    assert _located(qbank, path, "QB202") == [(line, col)]
    assert path.read_text().splitlines()[line - 1][col - 1 : col + 2] == "not"


def test_placeholder_and_retired_name_are_located_at_the_word(bank: Path, qbank: Runner) -> None:
    stem = f"stem: |\n  {SCENARIO}\n  and AI Platform Prediction. What should they use?\n"
    path = _write(bank, stem)
    lines = path.read_text().splitlines()
    (todo,) = _located(qbank, path, "QB208")
    assert lines[todo[0] - 1][todo[1] - 1 :].startswith("TODO say why")
    (retired,) = _located(qbank, path, "QB304")
    assert retired == (8, 7)
    assert lines[7][6:].startswith("AI Platform Prediction")


_STYLES = [LiteralScalarString, FoldedScalarString, SingleQuotedScalarString,
           DoubleQuotedScalarString, str]  # fmt: skip
_WORDS = st.sampled_from(
    ["not", "it's", 'say "hi"', "tab\there", "back\\slash", "é", "x" * 30, "no\xa0break"]
)
_TEXT = st.lists(st.one_of(_WORDS, st.sampled_from([" ", "  ", "\n", "\n\n"])), max_size=30)


@settings(max_examples=150, deadline=None)
@given(pieces=_TEXT, style=st.sampled_from(_STYLES), width=st.sampled_from([20, 40, 4096]))
def test_every_character_of_a_value_is_found_in_the_source(
    pieces: list[str], style: type, width: int
) -> None:
    """Whatever style ruamel.yaml writes a value in, each non-blank character of the value
    maps back to the source text that produces it."""
    import io

    value = "A" + "".join(pieces).strip() + " end"
    yaml = YAML()
    yaml.width = width
    stream = io.StringIO()
    yaml.dump({"id": "x", "stem": style(value)}, stream)
    parsed = parse(stream.getvalue().encode())
    assume(parsed.data["stem"] == value)  # ruamel.yaml itself folds some tabs away
    start = parsed.source.offset(*parsed.positions[("stem",)])
    spans = parsed.source.value_spans(start, value)
    assert spans is not None and len(spans) == len(value)
    text = parsed.text
    for char, (begin, end) in zip(value, spans, strict=True):
        if not char.isspace():
            written = text[begin:end]
            assert written == char or written in ("''", f"\\{char}") or written[0] == "\\"
    assert [b for b, _ in spans] == sorted(b for b, _ in spans)
