"""What the LMS export tests share: extra questions that stress an export, and the QTI XSDs."""

from __future__ import annotations

import functools
import json
import os
import struct
import zlib
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from lxml import etree

from tests.conftest import REPO, Result, Runner

SPECIAL_STEM_TEXT = (
    'the flag "R&D" is set, 5 < 6 & 7 > 3, it ends with ]]> and says café, naïve, 日本語'
)
SPECIAL_OPTION_TEXT = 'a < b && flag == "R&D" ]]> ok'

_OPTIONS_SINGLE = [
    {"text": SPECIAL_OPTION_TEXT, "correct": True, "rationale": "Both hold; ]]> & < stay text."},
    {"text": "a > b || flag == 'ops'", "rationale": "The comparison is reversed."},
    {"text": "a <= b & not flag", "rationale": "The flag is set, so this is false."},
    {"text": "not (a < b)", "rationale": "It negates what we know is true."},
]

_SERVICES = ["Dataflow", "Dataproc", "Vertex AI Pipelines", "Cloud Run", "App Engine", "Compute"]

EXTRA_QUESTIONS: dict[str, dict[str, Any]] = {
    "1-basics/t-1-1-002.yaml": {
        "id": "t-1-1-002", "domain": "1.1", "type": "single", "difficulty": "hard",
        "stem": f"Given `a < b`, which expression is true when {SPECIAL_STEM_TEXT}?",
        "options": _OPTIONS_SINGLE,
        "explanation": "Comparisons with `<` and `&&` read left to right; ]]> is just text.",
        "references": ["https://cloud.google.com/bigquery/docs/reference/standard-sql/operators"],
        "tags": ["bqml", "operators"],
        "shuffle": False,
    },
    "1-basics/t-1-2-002.yaml": {
        "id": "t-1-2-002", "domain": "1.2", "type": "multiple", "select": 3,
        "stem": "A team wants managed services that run batch data processing jobs for them. "
        "Which three fit? Choose three.",
        "options": [
            {"text": name, "correct": index < 3, "rationale": f"About {name}."}
            for index, name in enumerate(_SERVICES)
        ],
        "explanation": "Dataflow, Dataproc and Vertex AI Pipelines run batch jobs for you.",
        "references": ["https://cloud.google.com/dataflow/docs/overview"],
        "tags": ["batch"],
    },
    "2-more/t-2-1-002.yaml": {
        "id": "t-2-1-002", "domain": "2.1", "type": "single", "difficulty": "easy",
        "stem": "The chart shows request latency per service. ![Latency chart](chart.png) "
        "Which service has the lowest latency in the chart?",
        "options": [
            {"text": "Bigtable ![bar](bar.png)", "correct": True, "rationale": "Lowest bar."},
            {"text": "Cloud SQL", "rationale": "Its bar is the highest of the four."},
            {"text": "Firestore", "rationale": "Its bar sits in the middle of the chart."},
            {"text": "Spanner", "rationale": "Its bar is second highest in the chart."},
        ],
        "explanation": "The lowest bar is Bigtable's. ![Latency chart](chart.png)",
        "references": ["https://cloud.google.com/bigtable/docs/overview"],
        "tags": ["latency"],
    },
    "2-more/t-2-1-003.yaml": {
        "id": "t-2-1-003", "domain": "2.1", "type": "single", "difficulty": "medium",
        "stem": 'Pick the managed runner for Apache Beam pipelines. <script>alert("x")</script> '
        '<span onerror="alert(2)">Which service runs them?</span>',
        "options": [
            {"text": '<b onmouseover="alert(3)">Dataflow</b>', "correct": True,
             "rationale": "Dataflow is the managed Beam runner."},
            {"text": "Cloud Functions", "rationale": "Functions do not run Beam pipelines."},
            {"text": "Cloud Scheduler", "rationale": "Scheduler only triggers jobs on time."},
            {"text": "Cloud Tasks", "rationale": "Tasks queues HTTP requests, not pipelines."},
        ],
        "explanation": "Dataflow executes Apache Beam pipelines as a managed service.",
        "references": ["https://cloud.google.com/dataflow/docs/overview"],
        "tags": ["dataflow"],
    },
}  # fmt: skip

HOSTILE_MARKERS = ("<script", "onerror", "onmouseover", "alert(")


def tiny_png(red: int) -> bytes:
    """A valid 1×1 PNG whose colour (and so whose content hash) depends on `red`."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(bytes([0, red, 0, 0]))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


CHART_PNG = tiny_png(10)
BAR_PNG = tiny_png(200)


def add_questions(bank: Path) -> None:
    """Write the extra questions (JSON is YAML) and their images into the `bank` project."""
    for relative, data in EXTRA_QUESTIONS.items():
        path = bank / "questions" / relative
        path.write_text(json.dumps({"status": "published", **data}, ensure_ascii=False), "utf-8")
    (bank / "questions" / "2-more" / "chart.png").write_bytes(CHART_PNG)
    (bank / "questions" / "2-more" / "bar.png").write_bytes(BAR_PNG)


def export(qbank: Runner, format_name: str, out: Path, *extra: str) -> Result:
    result = qbank("export", "--format", format_name, "--out", str(out), *extra)
    assert result.code == 0, result.out + result.err
    return result


def visible_text(html: str) -> str:
    """What a browser shows for an HTML fragment."""
    return str(lxml.html.fragment_fromstring(html, create_parent="div").text_content())


def assert_export_is_reproducible(qbank: Runner, bank: Path, format_name: str) -> None:
    """Two exports of the same bank, with its images and special characters, are identical."""
    add_questions(bank)
    first, second = bank / f"first.{format_name}", bank / f"second.{format_name}"
    export(qbank, format_name, first)
    export(qbank, format_name, second)
    assert first.read_bytes() == second.read_bytes()


def break_answer_key(bank: Path) -> None:
    """Mark a second option correct in a single-answer question: no LMS can grade that."""
    path = bank / "questions" / "1-basics" / "t-1-1-001.yaml"
    text = path.read_text("utf-8")
    path.write_text(
        text.replace("train on a Compute Engine VM.\n", "train on a VM.\n    correct: true\n")
    )


def assert_failed_export_leaves_nothing(qbank: Runner, bank: Path, format_name: str) -> None:
    """A failing export creates no file, leaves an existing one as it was, and no temp files."""
    break_answer_key(bank)
    fresh, existing = bank / "out" / f"fresh.{format_name}", bank / "out" / f"old.{format_name}"
    existing.parent.mkdir()
    existing.write_bytes(b"previous export")
    for out in (fresh, existing):
        result = qbank("export", "--format", format_name, "--out", str(out), "--force")
        assert result.code == 2, result.out + result.err
        assert "t-1-1-001 is single-answer but has 2 correct options" in result.err
    assert not fresh.exists() and existing.read_bytes() == b"previous export"
    assert sorted(p.name for p in existing.parent.iterdir()) == [existing.name]


# The official QTI 2.1 and IMS CP 1.1 schemas live beside the repository, never inside it.
XSD_ENV = "QBANK_QTI_XSD"


def xsd_folder() -> Path:
    folder = Path(os.environ.get(XSD_ENV) or REPO.parent / "shared" / "reference" / "qti-xsd")
    if not (folder / "qtiv2p1" / "imsqti_v2p1.xsd").is_file():
        message = f"QTI XSDs not found in {folder} (set {XSD_ENV})"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return folder


@functools.cache
def _schema(path: Path) -> etree.XMLSchema:
    # Imports are relative paths inside the folder, so they resolve offline; no network.
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(path), parser))


def schema(relative: str) -> etree.XMLSchema:
    return _schema(xsd_folder() / relative)


def assert_valid(schema_path: str, document: bytes, name: str) -> None:
    validator = schema(schema_path)
    tree = etree.fromstring(document)
    if not validator.validate(tree):
        errors = "\n".join(f"{e.line}: {e.message}" for e in validator.error_log)  # type: ignore[attr-defined]
        raise AssertionError(f"{name} is not valid against {schema_path}:\n{errors}")
