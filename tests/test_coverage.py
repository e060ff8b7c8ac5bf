"""Coverage numbers, the weight and subsection rules, practice exams, the HTML report."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

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


STATUS_COLOURS = {"ok": (0x2D, 0xA4, 0x4E), "over": (0xD4, 0xA7, 0x2C), "under": (0xE5, 0x53, 0x4B)}
ROWS = """
return Array.from(document.querySelectorAll('.chart .row'), row => {
  const box = e => { const r = e.getBoundingClientRect();
                     return [r.left, r.top, r.right, r.bottom]; };
  return [row.dataset.code, row.dataset.status, box(row.querySelector('.label')),
          box(row.querySelector('.track')), box(row.querySelector('.bar.actual')),
          box(row.querySelector('.value'))];
});
"""


def _balanced_bank(bank: Path) -> None:
    """Sections on their weights; subsections 1.1 over, 1.2 under, 2.1 within tolerance."""
    _fill(bank, "1.1", 3, start=2)  # 1.1: 4, 1.2: 1, 2.1: 5 of 10 questions
    _fill(bank, "2.1", 4, start=2)


def test_html_report_in_a_real_browser(
    bank: Path, qbank: Runner, browser: WebDriver, tmp_path: Path
) -> None:
    from PIL import Image

    from tests.browser import open_page, script

    _balanced_bank(bank)
    page = bank / "build" / "coverage.html"
    result = qbank("coverage", "--format", "html", "-o", str(page))
    assert result.code == 0, result.err
    html = page.read_text("utf-8")
    assert "<script" not in html and "http://" not in html and "https://" not in html
    open_page(browser, page, width=1000, height=1400)
    rows = {code: rest for code, *rest in script(browser, ROWS)}
    assert {code: status for code, (status, *_) in rows.items()} == {
        "1": "ok", "2": "ok", "1.1": "over", "1.2": "under", "2.1": "ok"
    }  # fmt: skip
    for _status, label, track, _bar, value in rows.values():
        assert label[2] <= track[0] and track[2] <= value[0]  # no label reaches the bars
    shot = Image.open(io.BytesIO(browser.get_screenshot_as_png())).convert("RGB")
    for code, (status, _, _, bar, _) in rows.items():
        middle = (int((bar[0] + bar[2]) / 2), int((bar[1] + bar[3]) / 2))
        assert shot.getpixel(middle) == STATUS_COLOURS[status], code
    # The topics list links each question to its file, relative to the page.
    links = browser.find_elements(By.CSS_SELECTOR, ".topics a")
    assert len(links) == 8 and links[0].text == "t-1-1-001"  # t-1-1-001 and its 7 clones
    assert links[0].get_attribute("href") == (bank / "questions/1-basics/t-1-1-001.yaml").as_uri()
    assert 'href="../questions/1-basics/t-1-1-001.yaml"' in html
    # On a phone the label goes above its bars, still apart from them.
    open_page(browser, page, width=360, height=800)
    for _code, _status, label, track, *_ in script(browser, ROWS):
        assert label[3] <= track[1]
    assert script(browser, "return document.documentElement.scrollWidth - innerWidth") <= 0


def test_build_exam_leaves_out_near_duplicates(bank: Path, qbank: Runner, tmp_path: Path) -> None:
    _fill(bank, "1.1", 9, start=2)  # clones of t-1-1-001: near-duplicates of each other
    _fill(bank, "2.1", 10, start=2)
    result = qbank("build-exam", "--size", "10", "--format", "json",
                   "--out", str(tmp_path / "exam.json"))  # fmt: skip
    assert result.code == 2 and "section 1 (Basics) needs 5" in result.err


def test_no_counted_question_ticks_no_section(bank: Path, qbank: Runner) -> None:
    data = json.loads(qbank("coverage", "--status", "draft", "--format", "json").out)
    assert data["total"] == 0
    rows = data["sections"] + [sub for s in data["sections"] for sub in s["subsections"]]
    assert {row["status"] for row in rows} == {"under"}
    text = qbank("coverage", "--status", "draft").out
    assert "✓" not in text and "0 questions counted" in text


def test_coverage_counts_only_the_given_paths(bank: Path, qbank: Runner) -> None:
    whole = json.loads(qbank("coverage", "--format", "json").out)
    part = json.loads(qbank("coverage", "questions/1-basics", "--format", "json").out)
    assert (whole["total"], part["total"]) == (3, 2)
    assert [s["count"] for s in part["sections"]] == [2, 0]
    one = qbank("coverage", "questions/2-more/t-2-1-001.yaml", "--format", "json")
    assert json.loads(one.out)["total"] == 1


def test_text_report_shows_the_topics(bank: Path, qbank: Runner) -> None:
    text = qbank("coverage").out
    topics = text.split("Topics (a question covers a topic", 1)[1]
    assert re.search(r"^1\.1\s+bqml\s+1\s+t-1-1-001$", topics, re.M)


def _break_a_file(bank: Path) -> None:
    path = bank / "questions" / "2-more" / "t-2-1-001.yaml"
    path.write_text(path.read_text().replace("type: single", "type: several"))


def test_coverage_and_forced_export_say_which_files_they_leave_out(
    bank: Path, qbank: Runner
) -> None:
    _break_a_file(bank)
    coverage = qbank("coverage", "--format", "json")
    assert json.loads(coverage.out)["total"] == 2
    assert re.search(
        r"^questions/2-more/t-2-1-001\.yaml:\d+:\d+: left out: QB003 ", coverage.err, re.M
    )
    exported = qbank("export", "--format", "json", "--out", "bank.json", "--force")
    assert exported.code == 0 and "(2 questions, json)" in exported.out
    assert "questions/2-more/t-2-1-001.yaml:" in exported.err and "left out: QB003" in exported.err
