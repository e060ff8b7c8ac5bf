"""The shared export pipeline: sanitised rendering, images, filters, reproducible zips."""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from qbank.config import load_config
from qbank.errors import QbankError
from qbank.export.base import ExportBank
from qbank.export.output import zip_bytes
from qbank.export.render import Filters, render_bank
from qbank.lint import lint
from qbank.markdown import normalize, to_html, to_text
from tests.conftest import Runner

HOSTILE = (
    'Pick one <script>alert("x")</script> <img src="a.png" onerror="alert(1)"> '
    '<a href="javascript:alert(1)">link</a> [md link](javascript:alert(2)) <iframe src="x">'
)


def test_sanitiser_removes_script_handlers_and_javascript_urls() -> None:
    html = to_html(HOSTILE)
    for forbidden in ("<script", "onerror", 'href="javascript:', "<iframe", "alert(1)"):
        assert forbidden not in html
    # markdown-it refuses the javascript: Markdown link, so it stays inert text, never an href
    assert "href" not in html
    assert "Pick one" in html


def test_markdown_features_survive() -> None:
    html = to_html("**bold** `x < 1`\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nx = 1\n```\n")
    assert "<strong>bold</strong>" in html and "<code>x &lt; 1</code>" in html
    assert "<table>" in html and '<code class="language-python">' in html


def test_plain_text_and_normal_form() -> None:
    assert to_text("Use **Dataflow**  and\n`Beam`.") == "Use Dataflow and Beam."
    assert normalize("Use **DATAFLOW**.") == normalize("use dataflow")


def test_zip_is_reproducible_and_ordered() -> None:
    first = zip_bytes({"b.txt": b"2", "a.txt": b"1"})
    assert first == zip_bytes({"a.txt": b"1", "b.txt": b"2"})
    names = zipfile.ZipFile(BytesIO(first)).namelist()
    assert names == ["a.txt", "b.txt"]


def _rendered(bank: Path, filters: Filters | None = None) -> ExportBank:
    result = lint([], load_config(cwd=bank), need_bank=True, cwd=bank)
    assert result.bank is not None
    return render_bank(result.bank, filters or Filters())


def test_render_orders_by_guide_and_filters(bank: Path) -> None:
    assert [q.id for q in _rendered(bank).questions] == ["t-1-1-001", "t-1-2-001", "t-2-1-001"]
    assert [q.id for q in _rendered(bank, Filters(domain="1")).questions] == [
        "t-1-1-001",
        "t-1-2-001",
    ]
    assert [q.id for q in _rendered(bank, Filters(tags=("dataflow",))).questions] == ["t-2-1-001"]
    assert _rendered(bank, Filters(status="draft")).questions == ()


def test_images_are_named_by_content_and_missing_ones_stop_the_export(bank: Path) -> None:
    question = bank / "questions" / "1-basics" / "t-1-1-001.yaml"
    text = question.read_text().replace(
        "What should they use?", "What should they use? ![A chart](chart.png)"
    )
    question.write_text(text)
    with pytest.raises(QbankError, match="image chart.png not found"):
        _rendered(bank)
    (question.parent / "chart.png").write_bytes(b"\x89PNG fake")
    rendered = _rendered(bank).questions[0]
    (image,) = rendered.images
    assert image.name.endswith(".png") and f'src="{image.name}"' in rendered.stem_html


def test_unknown_format_is_usage_error(bank: Path, qbank: Runner) -> None:
    result = qbank("export", "--format", "pdf", "--out", "x.pdf")
    assert result.code == 2 and "unknown export format 'pdf'" in result.err


@pytest.mark.parametrize(
    ("command", "template", "text", "message"),
    [
        (["export", "--format", "anki", "--out", "build/x.apkg"], "anki/references.html.j2",
         "<ul>\n{% for r in references %}\n<li>{{ r.url }</li>\n",
         "references.html.j2:3: template syntax error: unexpected '}'"),
        (["export", "--format", "anki", "--out", "build/x.apkg"], "anki/options.html.j2",
         "<ol>\n\n<li>{{ option.nothing.url }}</li>\n",
         "options.html.j2:3: template error: 'option' is undefined"),
        (["coverage", "--format", "html", "-o", "build/x.html"], "coverage/report.html.j2",
         "<p>\n{{ coverage.no_such_thing() }}\n", "report.html.j2:2: template error:"),
    ],
)  # fmt: skip
def test_broken_template_is_one_clean_error(
    bank: Path, qbank: Runner, command: list[str], template: str, text: str, message: str
) -> None:
    override = bank / "templates" / template
    override.parent.mkdir(parents=True)
    override.write_text(text)
    result = qbank(*command, "--templates", "templates")
    assert result.code == 2
    assert result.err.startswith("qbank: error: templates/") and message in result.err
    assert len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err
    assert not (bank / "build").exists()
