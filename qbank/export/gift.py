"""GIFT, Moodle's text format: the inverse of `qbank import --from gift`.

Each question is `::id::[markdown]stem{ … }` under a `$CATEGORY:` line that names its exam
section and subsection, as the Moodle export does. The Markdown source travels as it is (Moodle
renders `[markdown]`); line breaks become `\\n` and GIFT's special characters are escaped. The
key is `=`/`~` for one answer, and for several the same shares as the Moodle export
(`~%50%` right, `~%-50%` wrong). Rationales are answer feedback (`#`), the explanation is the
general feedback (`####`).
"""

from __future__ import annotations

from qbank.export import lms
from qbank.export.base import ExportBank, RenderedQuestion
from qbank.export.moodle import category_path, fractions
from qbank.export.plain import PlainFormat, PlainTextExporter, markdown_source

FORMAT = PlainFormat(
    "GIFT",
    frozenset({"id", "domain", "explanation", "rationales", "Markdown formatting"}),
)
# A backslash first, so the escapes added for the others are not escaped again.
_ESCAPES = [("\\", "\\\\"), *((char, f"\\{char}") for char in "~=#{}:"), ("\n", "\\n")]


class GiftExporter(PlainTextExporter):
    name = "gift"
    suffix = ".gift"
    format = FORMAT

    def text(self, bank: ExportBank) -> str:
        return gift_text(bank)


def gift_text(bank: ExportBank) -> str:
    questions = FORMAT.writable(bank)
    blocks = [f"// {bank.guide.exam}: {len(questions)} questions, written by {bank.generator}"]
    current_category = None
    for question in questions:
        category = category_path(bank.guide.exam, question)
        if category != current_category:
            blocks.append(f"$CATEGORY: {category}")
            current_category = category
        blocks.append(question_text(question))
    return "\n\n".join(blocks) + "\n"


def question_text(rendered: RenderedQuestion) -> str:
    question = rendered.question
    lines = [f"::{escape(question.id)}::[markdown]{escape(markdown_source(question.stem))}{{"]
    multiple = lms.is_multiple(rendered)
    for option, grade in zip(question.options, fractions(rendered), strict=True):
        feedback = f"#{escape(markdown_source(option.rationale))}" if option.rationale else ""
        lines.append(f"{mark(grade, multiple)}{escape(markdown_source(option.text))}{feedback}")
    if question.explanation:
        lines.append(f"####{escape(markdown_source(question.explanation))}")
    lines.append("}")
    return "\n".join(lines)


def mark(grade: str, multiple: bool) -> str:
    """`=` right and `~` wrong for one answer; for several, each option's share of the mark."""
    if multiple:
        return f"~%{grade}%"
    return "=" if grade == "100" else "~"


def escape(text: str) -> str:
    """Text that GIFT reads back as `text`: `\\ ~ = # { } :` escaped, line breaks as `\\n`."""
    for char, replacement in _ESCAPES:
        text = text.replace(char, replacement)
    return text
