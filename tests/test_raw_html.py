"""QB305 says what the exports really do with raw HTML: each claim checked against the export.

Every tag below is written into a question, inline and as a block; the bank is linted and
exported to JSON through the real CLI. Where QB305 says a tag is dropped or removed, the
exported HTML must lack it; where it says nothing, the tag must be there.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from qbank.markdown import ALLOWED_TAGS
from qbank.rawhtml import VOID, to_markdown
from tests.conftest import DATA, Runner

PROBE = "probeword"
OTHER_TAGS = ["font", "div", "center", "script", "style", "iframe", "object", "form", "input",
              "button", "video", "audio", "mark", "small", "big", "abbr", "section", "article",
              "details", "summary", "dl", "dt", "dd", "caption", "figure", "figcaption", "nav",
              "header", "footer", "label", "select", "textarea", "svg", "math", "strike", "tt",
              "ins", "cite", "q", "var", "samp", "wbr", "noscript", "template", "title",
              "marquee", "embed", "canvas", "tfoot", "colgroup", "col", "address",
              "time"]  # fmt: skip
TAGS = sorted(ALLOWED_TAGS | set(OTHER_TAGS))
# Tags that only mean something inside another element are written inside it.
CONTEXT = {
    "li": "<ul><li>{}</li></ul>",
    "dt": "<dl><dt>{}</dt></dl>",
    "dd": "<dl><dd>{}</dd></dl>",
    "tr": "<table><tr><td>{}</td></tr></table>",
    "td": "<table><tr><td>{}</td></tr></table>",
    "th": "<table><tr><th>{}</th></tr></table>",
    "thead": "<table><thead><tr><th>{}</th></tr></thead></table>",
    "tbody": "<table><tbody><tr><td>{}</td></tr></tbody></table>",
    "tfoot": "<table><tfoot><tr><td>{}</td></tr></tfoot></table>",
    "caption": "<table><caption>{}</caption><tr><td>x</td></tr></table>",
    "colgroup": "<table><colgroup><col></colgroup><tr><td>{}</td></tr></table>",
    "col": "<table><colgroup><col></colgroup><tr><td>{}</td></tr></table>",
}


def _snippet(tag: str) -> str:
    if tag in CONTEXT:
        return CONTEXT[tag].format(PROBE)
    return f"<{tag}>" + (f" {PROBE}" if tag in VOID else f"{PROBE}</{tag}>")


def _write_bank(bank: Path) -> dict[str, tuple[str, str]]:
    """One question per tag and placement; returns id -> (tag, placement)."""
    base = (DATA / "bank" / "1-basics" / "t-1-1-001.yaml").read_text()
    stem_block = base[base.index("stem: |") : base.index("options:")]
    folder = bank / "questions" / "raw"
    folder.mkdir()
    written = {}
    for number, (tag, placement) in enumerate(
        (tag, placement) for tag in TAGS for placement in ("block", "inline")
    ):
        snippet = _snippet(tag)
        text = (
            f"A team reads this:\n\n{snippet}\n\nWhat should they do?"
            if placement == "block"
            else f"A team reads {snippet} here. What should they do?"
        )
        qid = f"t-1-1-{100 + number:03d}"
        stem = "stem: " + json.dumps(text) + "\n"
        question = base.replace("id: t-1-1-001", f"id: {qid}").replace(stem_block, stem)
        (folder / f"{qid}.yaml").write_text(question)
        written[qid] = (tag, placement)
    return written


def _present(tag: str, html: str) -> bool:
    return re.search(rf"<{tag}[\s/>]", html) is not None


def test_every_claim_about_a_tag_holds_in_the_export(bank: Path, qbank: Runner) -> None:
    written = _write_bank(bank)
    lint = qbank("lint", "--format", "json", "--select", "QB305", "questions/raw")
    claims: dict[str, list[str]] = {}
    for problem in json.loads(lint.out):
        claims.setdefault(problem["question_id"], []).append(problem["message"])
    assert qbank("export", "--format", "json", "--out", "bank.json", "--force").code == 0
    exported = {q["id"]: q["stem"]["html"] for q in json.loads(Path("bank.json").read_text())[
        "questions"]}  # fmt: skip
    for qid, (tag, placement) in written.items():
        html = exported[qid]
        said = [m for m in claims.get(qid, []) if f"<{tag}>" in m]
        where = f"<{tag}> ({placement}): QB305 says {said or 'nothing'}; export: {html}"
        if any("dropped from exports; its text is kept" in m for m in said):
            assert not _present(tag, html) and PROBE in html, where
        elif any("removed from exports with everything inside it" in m for m in said):
            assert not _present(tag, html) and PROBE not in html, where
        else:  # nothing said, or a tag said to be kept (an attribute, an unpackaged image)
            assert all("is kept in exports" in m or "not packaged" in m for m in said), where
            assert _present(tag, html) and (tag in VOID or PROBE in html), where


def test_attributes_said_removed_are_removed_and_one_message_per_place(
    bank: Path, qbank: Runner
) -> None:
    path = bank / "questions" / "1-basics" / "t-1-1-001.yaml"
    text = path.read_text()
    path.write_text(
        text.replace(
            "What should they use?",
            "What should <span style='color:red' class='x' dir='rtl'>they</span> use?\n"
            "  <p>See <a href='javascript:go()' rel='x'>this</a>.</p>",
        )
    )
    lint = json.loads(qbank("lint", "--format", "json", "--select", "QB305").out)
    messages = [(p["location"]["row"], p["location"]["column"], p["message"]) for p in lint]
    assert messages == [
        (8, 45, "raw HTML <span> is kept in exports, but its style, dir is removed"),
        (9, 10, "raw HTML <a> is kept in exports, but its href='javascript:go()' is removed"),
    ]
    assert qbank("export", "--format", "json", "--out", "bank.json").code == 0
    html = json.loads(Path("bank.json").read_text())["questions"][0]["stem"]["html"]
    assert "<span>they</span>" in html and "style=" not in html and "dir=" not in html
    assert "javascript" not in html and "<a " in html


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("Use <b>Dataflow</b> and <i>Beam</i> here.", "Use **Dataflow** and *Beam* here."),
        ("Look and <font color=red>decide</font> now.", "Look and decide now."),
        ("<p>First part.</p>\n\nWhat now?", "First part.\n\nWhat now?"),
        ("A <a href='https://x.org'>link</a>, <code>x</code>.", "A [link](https://x.org), `x`."),
        # left alone: the export would show something else (blocks merged, a table's header)
        ("<div>A</div><div>B</div>", "<div>A</div><div>B</div>"),
        ("<table><tr><td>a</td></tr></table>", "<table><tr><td>a</td></tr></table>"),
    ],
)  # fmt: skip
def test_html_becomes_markdown_only_where_the_export_looks_the_same(
    before: str, after: str
) -> None:
    assert to_markdown(before) == after


def test_fix_writes_html_as_markdown(bank: Path, qbank: Runner) -> None:
    path = bank / "questions" / "1-basics" / "t-1-1-001.yaml"
    text = path.read_text()
    path.write_text(text.replace("BigQuery and wants", "<font color=red>BigQuery</font> and wants"))
    shutil.copy(path, bank / "before.yaml")
    result = qbank("lint", "--fix", "--select", "QB305")
    assert result.code == 0 and "QB305" not in result.out
    assert path.read_text() == text
