"""Coverage numbers, the weight and subsection rules, practice exams, the HTML report."""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from qbank.config import load_config
from qbank.coverage.exam import apportion
from qbank.coverage.report import render_markdown
from qbank.coverage.stats import measure
from qbank.lint import load_bank
from tests.conftest import REPO, Runner

SECTION_FOLDERS = {"1": "1-basics", "2": "2-more"}


def _clone(bank: Path, source_id: str, new_id: str, domain: str) -> None:
    """A copy of a fixture question under a new id, domain and wording (no duplicates)."""
    source = next((bank / "questions").rglob(f"{source_id}.yaml")).read_text()
    text = source.replace(f"id: {source_id}", f"id: {new_id}")
    text = re.sub(r'domain: "[0-9.]+"', f'domain: "{domain}"', text)
    text = text.replace("stem: |\n", f"stem: |\n  Variant {new_id}.\n", 1)
    folder = bank / "questions" / SECTION_FOLDERS[domain.split(".")[0]]
    (folder / f"{new_id}.yaml").write_text(text)


def _fill(bank: Path, domain: str, count: int, start: int) -> None:
    for index in range(start, start + count):
        _clone(bank, "t-1-1-001", f"t-{domain.replace('.', '-')}-{index:03d}", domain)


def test_numbers_on_the_fixture_bank(bank: Path, qbank: Runner) -> None:
    data = json.loads(qbank("coverage", "--format", "json").out)
    assert data["total"] == 3
    first, second = data["sections"]
    assert (first["count"], first["share"], first["delta"], first["status"]) == (
        2, 66.7, 16.7, "over"
    )  # fmt: skip
    assert (second["count"], second["target"], second["status"]) == (1, 1.5, "under")
    assert [s["count"] for s in first["subsections"]] == [1, 1]
    assert first["subsections"][0]["weight"] == 25.0
    assert data["topics"] == {"bqml": ["t-1-1-001"]}
    assert data["difficulty"] == {"easy": 1, "hard": 1, "medium": 1}
    assert data["type"] == {"multiple": 1, "single": 2}


def test_off_balance_bank_names_the_drift_and_the_fix_works(bank: Path, qbank: Runner) -> None:
    _fill(bank, "1.1", 26, start=2)  # section 1: 30 questions, section 2: 1
    _fill(bank, "1.2", 2, start=2)
    result = qbank("lint", "--format", "json", "--select", "QB403")
    problems = json.loads(result.out)
    assert result.code == 1
    messages = [p["message"] for p in problems]
    assert messages[0].startswith(
        "section 1 (Basics) has 96.8% of 31 counted questions, weight 50% (tolerance 5 pp)"
    )
    assert messages[1].startswith("section 2 (More) has 3.2% of 31 counted questions")
    assert all(p["filename"] == "questions/exam-guide.yaml" for p in problems)
    plan = dict(
        (section, int(count))
        for count, section in re.findall(r"(\d+) to section (\d+)", messages[0])
    )
    # (1 + k) / (31 + k) >= 45% first holds at k = 24; section 1 is then 30/55 = 54.5%.
    assert plan == {"2": 24}
    _fill(bank, "2.1", plan["2"] - 1, start=2)
    assert qbank("lint", "--select", "QB403").code == 1  # the plan is the least that works
    _fill(bank, "2.1", 1, start=100)
    assert qbank("lint", "--select", "QB403").code == 0


def test_small_banks_are_not_judged(bank: Path, qbank: Runner) -> None:
    assert qbank("lint", "--select", "QB403").code == 0


@pytest.mark.parametrize("size", range(1, 201))
def test_apportionment_follows_the_weights(size: int) -> None:
    weights = [12, 16, 18, 19, 21, 14]
    counts = apportion(size, weights)
    assert sum(counts) == size
    for count, weight in zip(counts, weights, strict=True):
        assert abs(count - size * weight / 100) < 1 + 1e-9
    if size >= len(weights):
        assert min(counts) >= 1


def _exam(qbank: Runner, tmp: Path, *args: str) -> bytes:
    out = tmp / "exam.json"
    result = qbank("build-exam", "--format", "json", "--out", str(out), *args)
    assert result.code == 0, result.err
    return out.read_bytes()


def test_build_exam_is_reproducible_and_follows_the_blueprint(
    bank: Path, qbank: Runner, tmp_path: Path
) -> None:
    _fill(bank, "1.1", 9, start=2)
    _fill(bank, "2.1", 10, start=2)
    # The clones differ in one word: only exact twins count as near-duplicates here.
    (bank / "qbank.toml").write_text('bank = "questions"\n[dedup]\nthreshold = 1.0\n')
    first = _exam(qbank, tmp_path, "--size", "10", "--seed", "7")
    assert _exam(qbank, tmp_path, "--size", "10", "--seed", "7") == first
    assert _exam(qbank, tmp_path, "--size", "10", "--seed", "8") != first
    questions = json.loads(first)["questions"]
    ids = [q["id"] for q in questions]
    assert len(ids) == len(set(ids)) == 10
    assert sum(q["section"] == "1" for q in questions) == 5


def test_build_exam_filters_and_fails_clearly(bank: Path, qbank: Runner, tmp_path: Path) -> None:
    out = str(tmp_path / "exam.json")
    easy = qbank("build-exam", "--size", "2", "--difficulty", "easy", "--format", "json",
                 "--out", out)  # fmt: skip
    assert easy.code == 2
    assert "section 1 (Basics) needs 1 questions for an exam of 2, but only 0" in easy.err
    too_big = qbank("build-exam", "--size", "8", "--format", "json", "--out", out)
    assert too_big.code == 2 and "only 2 can be drawn" in too_big.err
    assert not Path(out).exists()


def test_near_duplicate_pairs_are_never_drawn_together() -> None:
    from qbank.coverage.exam import draw_exam

    bank = load_bank([REPO / "questions"], load_config(cwd=REPO), cwd=REPO)
    assert bank.guide is not None
    questions = [q for _, q in bank.questions()]
    section_one = sorted(q.id for q in questions if q.section == "1")
    pairs = {frozenset((a, b)) for a in section_one for b in section_one if a < b}
    with pytest.raises(Exception, match="only 1 can be drawn"):
        draw_exam(bank.guide, questions, 20, 1, pairs)  # section 1 needs 2 of them


def test_committed_coverage_markdown_is_current() -> None:
    bank = load_bank([], load_config(cwd=REPO), cwd=REPO)
    assert bank.guide is not None
    generated = render_markdown(measure(bank.guide, (q for _, q in bank.questions())))
    assert (REPO / "questions" / "COVERAGE.md").read_text("utf-8") == generated, (
        "run `qbank coverage --format markdown -o questions/COVERAGE.md`"
    )


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _png_is_blank(png: bytes) -> bool:
    """Decode an 8-bit RGB(A) PNG with zlib and check whether every pixel is the same."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    offset, idat, header = 8, b"", b""
    while offset < len(png):
        length, kind = struct.unpack(">I4s", png[offset : offset + 8])
        body = png[offset + 8 : offset + 8 + length]
        header = body if kind == b"IHDR" else header
        idat += body if kind == b"IDAT" else b""
        offset += 12 + length
    width, height, depth, color = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and color in (2, 6)
    channels = 3 if color == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels + 1
    rows = [raw[y * stride + 1 : (y + 1) * stride] for y in range(height)]
    # Filter bytes aside, a uniform image has identical rows after the first.
    return len({row for row in rows[1:]}) <= 1 and len(set(rows[0][: channels * 4])) <= channels


@pytest.mark.skipif(
    _chromium() is None and os.environ.get("CI") != "true",
    reason="chromium is not installed (CI installs it and always runs this test)",
)
def test_html_report_renders_in_a_real_browser(tmp_path: Path, qbank: Runner) -> None:
    browser = _chromium()
    assert browser is not None, "CI must install chromium"
    page = tmp_path / "coverage.html"
    assert qbank("coverage", "--format", "html", "-o", str(page), str(REPO / "questions")).code == 0
    html = page.read_text()
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org", "")
    flags = [browser, "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}"]  # fmt: skip
    dom = subprocess.run(
        [*flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120
    ).stdout
    assert dom.count('class="bar target"') == 6 + 16
    assert dom.count('class="bar actual') == 6 + 16
    assert 'id="sections-chart"' in dom and "5 Automating and orchestrating ML pipelines" in dom
    shot = tmp_path / "shot.png"
    subprocess.run(
        [*flags, "--window-size=1000,900", f"--screenshot={shot}", page.as_uri()],
        capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    assert not _png_is_blank(shot.read_bytes())


def test_build_exam_leaves_out_near_duplicates(bank: Path, qbank: Runner, tmp_path: Path) -> None:
    _fill(bank, "1.1", 9, start=2)  # clones of t-1-1-001: near-duplicates of each other
    _fill(bank, "2.1", 10, start=2)
    result = qbank("build-exam", "--size", "10", "--format", "json",
                   "--out", str(tmp_path / "exam.json"))  # fmt: skip
    assert result.code == 2 and "section 1 (Basics) needs 5" in result.err
