"""A practice exam in one HTML file: works opened from disk, with no network and no LMS.

The page (exporters/html/practice.html.j2) inlines its stylesheet and script and carries the
questions as JSON; every HTML fragment in it is the render pipeline's sanitised HTML, with
images as data: URIs. Its Content-Security-Policy loads nothing and runs only that script.

The timed exam draws its questions in the browser, so that each sitting is a new draw while
the file stays the same bytes for the same bank: the page gets each section's quota for a few
exam lengths, apportioned here by the exam guide's weights as `qbank build-exam` does, and
takes that many questions from each section at random.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from pathlib import Path
from typing import Any

from qbank.coverage.apportion import apportion
from qbank.export import lms
from qbank.export.base import ExportBank, RenderedQuestion
from qbank.export.output import write_file
from qbank.export.page import (
    inline_images,
    render_with_data,
    script_hash,
    script_json,
    script_json_with_list,
    static_text,
)
from qbank.export.templates import environment
from qbank.markdown import is_web_url

EXAM_SIZES = (10, 25, 50)
# Google's professional exams give 120 minutes for 50 to 60 questions.
MINUTES_PER_QUESTION = 2.4


class HtmlExporter:
    name = "html"
    suffix = ".html"
    templates: Path | None = None

    def export(self, bank: ExportBank, out: Path) -> None:
        env = environment(self.name, self.templates)
        script = static_text(env, "practice.js")
        count = len(lms.questions_to_export(bank))
        # (Writing the questions on several cores gains nothing: each takes less time than
        # handing it over.)
        questions = [_question_json(question) for question in bank.questions]
        page = render_with_data(
            env.get_template("practice.html.j2"),
            script_json_with_list(page_data(bank), questions),
            exam=bank.guide.exam,
            guide_version=bank.guide.version,
            generator=bank.generator,
            count=count,
            css=static_text(env, "practice.css"),
            script=script,
            script_hash=script_hash(script),
        )
        write_file(out, page)


def page_data(bank: ExportBank) -> dict[str, Any]:
    """What the page's script reads, but the questions: an empty list, last."""
    present = {q.section.code for q in bank.questions}
    sections = [s for s in bank.guide.sections if s.code in present]
    return {
        "exam": bank.guide.exam,
        "storage_key": storage_key(bank),
        "sections": [{"code": s.code, "title": s.title, "weight": s.weight} for s in sections],
        "exam_plans": exam_plans(bank),
        "questions": [],
    }


def storage_key(bank: ExportBank) -> str:
    """Where the browser keeps progress: one key per exam and set of questions."""
    ids = "\n".join(sorted(q.id for q in bank.questions))
    digest = hashlib.sha256(ids.encode("utf-8")).hexdigest()[:12]
    return f"qbank-practice:{bank.guide.short_name}:{digest}"


def exam_plans(bank: ExportBank) -> list[dict[str, Any]]:
    """Exam lengths the bank can fill, each with its questions per section.

    Quotas follow the weights of the sections the export has questions for; a length is
    offered when every section holds its quota. A bank too small for any is one sitting of
    all its questions.
    """
    pools = Counter(q.section.code for q in bank.questions)
    sections = [s for s in bank.guide.sections if pools[s.code]]
    total = sum(pools.values())
    plans = []
    for size in sorted({*(n for n in EXAM_SIZES if n < total), min(total, EXAM_SIZES[-1])}):
        counts = apportion(size, [s.weight for s in sections])
        if all(n <= pools[s.code] for s, n in zip(sections, counts, strict=True)):
            quotas = {s.code: n for s, n in zip(sections, counts, strict=True)}
            plans.append({"size": size, "minutes": _minutes(size), "quotas": quotas})
    if not plans:
        plans.append({"size": total, "minutes": _minutes(total), "quotas": dict(pools)})
    return plans


def _minutes(size: int) -> int:
    return math.ceil(size * MINUTES_PER_QUESTION)


def _question_json(rendered: RenderedQuestion) -> bytes:
    return str(script_json(question_data(rendered))).encode("utf-8")


def question_data(rendered: RenderedQuestion) -> dict[str, Any]:
    question = rendered.question
    lms.answer_key(rendered)  # a key the page could not score stops the export

    def html(fragment: str) -> str:
        return inline_images(fragment, rendered.images)

    return {
        "id": question.id,
        "section": rendered.section.code,
        "topic": f"{rendered.subsection.code} {rendered.subsection.title}",
        "title": lms.short_title(rendered),
        "type": question.type,
        "select": question.select,
        "shuffle": question.shuffle,
        "stem": html(rendered.stem_html),
        "options": [
            {"html": html(o.html), "correct": o.correct, "rationale": html(o.rationale_html)}
            for o in rendered.options
        ],
        "explanation": html(rendered.explanation_html),
        "references": [{"url": url, "link": is_web_url(url)} for url in question.references],
    }
