"""`qbank export --format html`: the one-file practice exam, tested in headless Chromium.

The browser answers by clicking and by keys, as a learner would; the keys it needs come from
the page's own data block, and every score is read from what the page shows.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver

from tests.browser import open_page, script
from tests.conftest import Runner
from tests.export_support import HOSTILE_ID, HOSTILE_YAML, add_question, unsafe_html
from tests.lms_support import CHART_PNG, add_questions, assert_export_is_reproducible, export

Pick = Callable[[dict[str, Any]], list[int]]


@pytest.fixture
def bundled_page(bundled: Path, qbank: Runner) -> Path:
    page = bundled / "practice.html"
    export(qbank, "html", page)
    return page


@pytest.fixture
def sampled_page(bundled: Path, qbank: Runner) -> Path:
    """The practice page of the bundled bank's first two questions in each subsection:
    every section, single and multiple answers, in a fifth of the clicks."""
    for folder in {path.parent for path in (bundled / "questions").rglob("pmle-*.yaml")}:
        by_subsection: dict[str, list[Path]] = {}
        for path in sorted(folder.glob("pmle-*.yaml")):
            by_subsection.setdefault(path.name.rsplit("-", 1)[0], []).append(path)
        for paths in by_subsection.values():
            for path in paths[2:]:
                path.unlink()
    page = bundled / "practice.html"
    export(qbank, "html", page, "--force")  # equal subsections: the weights drift (QB403)
    return page


def page_data(page: Path) -> dict[str, Any]:
    document = lxml.html.fromstring(page.read_bytes())
    (block,) = document.xpath('//script[@id="qbank-data"]')
    data: dict[str, Any] = json.loads(block.text)
    return data


def keys(question: dict[str, Any]) -> list[int]:
    return [i for i, option in enumerate(question["options"]) if option["correct"]]


def wrong(question: dict[str, Any]) -> list[int]:
    """As many wrong options as the question asks for."""
    count = question["select"] or 1
    return [i for i, option in enumerate(question["options"]) if not option["correct"]][:count]


def shown(driver: WebDriver) -> tuple[str, list[int]]:
    """The question on screen and its options' indexes in the order shown."""
    qid, order = script(
        driver,
        "return [document.getElementById('quiz').dataset.questionId,"
        " Array.from(document.querySelectorAll('#option-list input'), i => +i.dataset.index)]",
    )
    return qid, order


def click(driver: WebDriver, element_id: str) -> None:
    driver.find_element(By.ID, element_id).click()


def choose(driver: WebDriver, order: list[int], indexes: list[int]) -> None:
    """Click the label of each option (its display number is its position + 1)."""
    for index in indexes:
        selector = f'label[for="option-{order.index(index) + 1}"]'
        driver.find_element(By.CSS_SELECTOR, selector).click()


def text(driver: WebDriver, element_id: str) -> str:
    return str(driver.find_element(By.ID, element_id).text)


def visible(driver: WebDriver, element_id: str) -> bool:
    return bool(script(driver, "return !document.getElementById(arguments[0]).hidden", element_id))


ON_SCREEN = """
const quiz = document.getElementById('quiz');
return [quiz.hidden, quiz.dataset.questionId,
        Array.from(document.querySelectorAll('#option-list input'), i => +i.dataset.index),
        Array.from(document.querySelectorAll('#option-list label')),
        document.getElementById('question-submit')];
"""
AFTER_SUBMIT = """
return [document.getElementById('verdict').textContent,
        document.getElementById('question-submit')];
"""


def answer_all(driver: WebDriver, data: dict[str, Any], pick: Pick, practice: bool) -> list[str]:
    """Answer every question by clicking its options' labels, until the results show; the ids
    in the order they came. (Elements come from one script a question: fewer round trips.)"""
    questions = {q["id"]: q for q in data["questions"]}
    seen, orders = [], []
    while True:
        hidden, qid, order, labels, submit = script(driver, ON_SCREEN)
        if hidden:
            break
        seen.append(qid)
        orders.append(order)
        for index in pick(questions[qid]):
            labels[order.index(index)].click()
        submit.click()
        if practice:
            verdict, next_button = script(driver, AFTER_SUBMIT)
            assert verdict == "Right." if pick is keys else verdict.startswith("Wrong."), qid
            next_button.click()
    assert any(order != sorted(order) for order in orders)  # `shuffle: true` shuffles
    return seen


def section_rows(driver: WebDriver) -> dict[str, list[str]]:
    rows = script(
        driver,
        "return Array.from(document.querySelectorAll('#section-scores tbody tr'),"
        " r => [r.dataset.section, ...Array.from(r.cells, c => c.textContent)])",
    )
    return {row[0]: row[1:] for row in rows}


def test_practice_answered_right_by_clicking_scores_100(
    browser: WebDriver, sampled_page: Path
) -> None:
    data = page_data(sampled_page)
    assert len({q["section"] for q in data["questions"]}) == 6
    assert any(len(keys(q)) > 1 for q in data["questions"])
    open_page(browser, sampled_page)
    click(browser, "practice-start")
    # Before an answer, nothing on the page tells which option is right.
    marked = "#option-list .right, #option-list .wrong, #option-list .rationale:not([hidden])"
    assert not browser.find_elements(By.CSS_SELECTOR, marked)
    assert "correct" not in text(browser, "quiz").lower()
    choose(browser, shown(browser)[1], keys(data["questions"][0]))
    click(browser, "question-submit")
    # After an answer: the verdict has the focus; rationales, explanation and references show.
    assert script(browser, "return document.activeElement.id") == "verdict"
    assert len(browser.find_elements(By.CSS_SELECTOR, "#option-list .rationale:not([hidden])")) == 4
    assert browser.find_elements(By.CSS_SELECTOR, "#feedback .explanation p")
    assert browser.find_elements(By.CSS_SELECTOR, "#feedback .references a[href^='https://']")
    open_page(browser, sampled_page)  # from the start, with nothing stored
    click(browser, "practice-start")
    seen = answer_all(browser, data, keys, practice=True)
    assert seen == [q["id"] for q in data["questions"]]
    total = len(data["questions"])
    assert text(browser, "score") == f"Score: 100% ({total} of {total} right)."
    rows = section_rows(browser)
    assert all(row[2] == row[3] and row[4] == "100%" for row in rows.values())
    assert sum(int(row[2]) for row in rows.values()) == total


def test_exam_answered_wrong_scores_0_per_section_by_the_blueprint(
    browser: WebDriver, bundled_page: Path
) -> None:
    data = page_data(bundled_page)
    plan = data["exam_plans"][-1]
    assert (plan["size"], plan["minutes"]) == (50, 120)
    assert plan["quotas"] == {"1": 6, "2": 8, "3": 9, "4": 10, "5": 10, "6": 7}  # as build-exam
    open_page(browser, bundled_page)
    click(browser, "plan-50")
    click(browser, "exam-start")
    assert re.fullmatch(r"1[01][0-9]:[0-5][0-9] left|120:00 left", text(browser, "timer"))
    drawn = answer_all(browser, data, wrong, practice=False)
    assert len(drawn) == len(set(drawn)) == 50
    assert text(browser, "score") == "Score: 0% (0 of 50 right)."
    rows = section_rows(browser)
    assert {code: int(row[2]) for code, row in rows.items()} == plan["quotas"]
    assert {row[1] for row in rows.values()} == {f"{s['weight']:g}%" for s in data["sections"]}
    assert all(row[3] == "0" and row[4] == "0%" for row in rows.values())
    assert len(browser.find_elements(By.CSS_SELECTOR, "#missed-list li")) == 50
    click(browser, "results-home")
    assert text(browser, "practice-missed") == "Review missed questions (50)"


def press(driver: WebDriver, *keys_to_press: str) -> None:
    ActionChains(driver).send_keys(*keys_to_press).perform()


def test_keys_multiple_answers_resume_and_review(
    browser: WebDriver, bank: Path, qbank: Runner
) -> None:
    page = bank / "practice.html"
    export(qbank, "html", page)
    data = page_data(page)
    questions = {q["id"]: q for q in data["questions"]}
    open_page(browser, page)
    click(browser, "practice-start")
    qid, order = shown(browser)
    assert qid == "t-1-1-001"
    # Number keys choose, Enter submits, Enter again goes on.
    press(browser, str(order.index(keys(questions[qid])[0]) + 1), Keys.ENTER)
    assert text(browser, "verdict") == "Right."
    press(browser, Keys.ENTER)
    qid, order = shown(browser)
    assert qid == "t-1-2-001" and text(browser, "question-legend") == "Choose 2 answers."
    assert script(browser, "return document.querySelector('#option-1').type") == "checkbox"
    first_key, second_key = keys(questions[qid])
    choose(browser, order, [first_key])
    assert not browser.find_element(By.ID, "question-submit").is_enabled()  # exactly two
    assert text(browser, "selection-status") == "1 of 2 chosen."
    choose(browser, order, wrong(questions[qid])[:1])
    press(browser, Keys.ENTER)
    # One of the two keys and a wrong option: all or nothing, so wrong.
    positions = sorted(order.index(k) + 1 for k in (first_key, second_key))
    assert text(browser, "verdict") == f"Wrong. The answer is {positions[0]} and {positions[1]}."
    # Progress survives a reload; the missed question can be reviewed on its own.
    browser.refresh()
    assert text(browser, "practice-progress") == (
        "You have answered 2 of 3 questions, 1 of them right."
    )
    click(browser, "practice-missed")
    assert text(browser, "question-heading") == "Question 1 of 1"
    assert shown(browser)[0] == "t-1-2-001"
    click(browser, "question-finish")
    assert text(browser, "score") == "Score: 50% (1 of 2 right)."


def test_labels_focus_and_phone_width(browser: WebDriver, bank: Path, qbank: Runner) -> None:
    page = bank / "practice.html"
    export(qbank, "html", page)
    open_page(browser, page, width=360, height=740)
    overflow = "return document.documentElement.scrollWidth - window.innerWidth"
    assert script(browser, overflow) <= 0
    click(browser, "practice-start")
    assert script(browser, overflow) <= 0
    assert script(browser, "return document.activeElement.id") == "question-heading"
    unlabelled = script(
        browser,
        "return Array.from(document.querySelectorAll('#option-list input'))"
        ".filter(i => !document.querySelector(`label[for='${i.id}']`)).length",
    )
    assert unlabelled == 0
    assert browser.find_element(By.ID, "question-legend").text == "Choose one answer."
    assert browser.find_element(By.ID, "feedback").get_attribute("aria-live") == "polite"
    assert browser.find_element(By.ID, "question-options").get_attribute("aria-describedby") == (
        "question-stem"
    )


def test_page_is_self_contained_and_small(bundled_page: Path) -> None:
    raw = bundled_page.read_bytes()
    assert len(raw) < 1_500_000
    document = lxml.html.fromstring(raw)
    assert not document.xpath("//link | //iframe | //object | //embed")
    assert not document.xpath("//script[@src] | //img[@src]")
    policy = document.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')[0]
    assert policy.startswith("default-src 'none'; img-src data:;")
    assert b"@import" not in raw and b"url(" not in raw
    for question in page_data(bundled_page)["questions"]:
        fragments = [question["stem"], question["explanation"]]
        fragments += [part for o in question["options"] for part in (o["html"], o["rationale"])]
        assert not [unsafe_html(f) for f in fragments if unsafe_html(f)]


def test_images_are_inlined_and_markup_is_sanitised(bank: Path, qbank: Runner) -> None:
    add_questions(bank)
    add_question(bank, "1-basics", HOSTILE_ID, HOSTILE_YAML)
    page = bank / "practice.html"
    export(qbank, "html", page, "--force")
    questions = {q["id"]: q for q in page_data(page)["questions"]}
    chart = base64.b64encode(CHART_PNG).decode()
    assert f'src="data:image/png;base64,{chart}"' in questions["t-2-1-002"]["stem"]
    hostile = questions[HOSTILE_ID]
    for fragment in [hostile["stem"], hostile["explanation"], *map(str, hostile["options"])]:
        assert "<script" not in fragment and "onerror" not in fragment and "<iframe" not in fragment
    assert [r["link"] for r in hostile["references"]] == [True, False]  # javascript: no link


def test_same_bank_gives_identical_bytes(bank: Path, qbank: Runner) -> None:
    assert_export_is_reproducible(qbank, bank, "html")
