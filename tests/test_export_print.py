"""The printable exam (`--format print`): rendered to PDF by headless Chromium and read back."""

from __future__ import annotations

import json
import re
import subprocess
import unicodedata
from pathlib import Path

import lxml.html
from pypdf import PdfReader

from qbank.markdown import to_text
from tests.browser import CHROMIUM_FLAGS, require_browser
from tests.conftest import Runner
from tests.lms_support import assert_export_is_reproducible
from tests.test_import_roundtrip import questions_in

KEY_LINE = re.compile(r"(\d+)\. ([A-H](?:, [A-H])*) — ([a-z0-9-]+) \((\d+\.\d+)\)")


def build_exam(qbank: Runner, out: Path, format_name: str, seed: str) -> None:
    result = qbank("build-exam", "--size", "20", "--seed", seed, "--format", format_name,
                   "--out", str(out))  # fmt: skip
    assert result.code == 0, result.err


def to_pdf(page: Path, pdf: Path) -> list[str]:
    """Print the page to PDF in headless Chromium; each page's text, whitespace folded."""
    browser, _ = require_browser()
    flags = [*CHROMIUM_FLAGS, f"--user-data-dir={pdf.parent / 'profile'}"]
    subprocess.run(
        [browser, *flags, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()],
        capture_output=True, timeout=180, check=True,
    )  # fmt: skip
    return [fold(p.extract_text() or "") for p in PdfReader(pdf).pages]


def fold(text: str) -> str:
    """Whitespace folded and typographic ligatures (ﬁ) spelled out, as in the source."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def test_printed_exam_is_build_exams_draw_one_block_a_question_and_a_key_page(
    bundled: Path, qbank: Runner
) -> None:
    page, drawn = bundled / "exam.html", bundled / "exam.json"
    build_exam(qbank, page, "print", "7")
    build_exam(qbank, drawn, "json", "7")
    drawn_ids = [q["id"] for q in json.loads(drawn.read_text())["questions"]]
    document = lxml.html.fromstring(page.read_bytes())
    blocks = document.xpath('//section[@class="question"]')
    assert [b.get("data-id") for b in blocks] == drawn_ids  # the same seed, the same questions

    pages = to_pdf(page, bundled / "exam.pdf")
    assert len(pages) >= 3
    *question_pages, key_page = pages
    assert key_page.startswith("Answer key") and not re.search(r"\b[A-H]\. \w", key_page)
    assert not any("Answer key" in text for text in question_pages)
    questions = questions_in(bundled / "questions")
    keyed = {int(n): rest for n, *rest in KEY_LINE.findall(key_page)}
    assert sorted(keyed) == list(range(1, 21))
    for number, block in enumerate(blocks, start=1):
        letters, qid, domain = keyed[number]
        question = questions[qid]
        assert (qid, domain) == (drawn_ids[number - 1], question.domain)
        # The block is on one page: its number, first words and last option are on the same one.
        options = [fold(li.text_content()) for li in block.xpath('.//ol[@class="options"]/li')]
        stem = fold(block.xpath('.//div[@class="stem"]')[0].text_content())
        holding = [i for i, text in enumerate(question_pages) if stem[:60] in text]
        assert len(holding) == 1, (number, stem[:60])
        text = question_pages[holding[0]]
        assert f"{number}. {question.domain}" in text and options[-1][-40:] in text
        # Options are lettered in order, and the key's letters name the correct ones.
        assert [o[:3] for o in options] == [f"{chr(65 + p)}. " for p in range(len(options))]
        printed = {o[:1]: o[3:] for o in options}
        correct = sorted(to_text(o.text) for o in question.options if o.correct)
        assert sorted(printed[letter] for letter in letters.split(", ")) == correct, qid
    multiple = [q for q in questions.values() if q.id in drawn_ids and q.type == "multiple"]
    assert multiple and all(", " in keyed[drawn_ids.index(q.id) + 1][0] for q in multiple)


def test_whole_bank_prints_and_is_reproducible(bank: Path, qbank: Runner) -> None:
    assert_export_is_reproducible(qbank, bank, "print")
    html = (bank / "first.print").read_text("utf-8")
    assert "<script" not in html and 'src="data:image/png;base64,' in html
    assert html.count('class="question"') == 7  # the fixture bank and the added questions
