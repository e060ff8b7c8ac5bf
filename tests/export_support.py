"""What the export tests share: hostile and unusual questions, the bank as loaded, HTML checks."""

from __future__ import annotations

from pathlib import Path

import lxml.html

from qbank.config import load_config
from qbank.lint import lint
from qbank.models import Question

HOSTILE_ID = "t-1-1-666"
HOSTILE_SCRIPT = '<script>document.title = "pwned"</script>'
HOSTILE_YAML = f"""\
id: {HOSTILE_ID}
domain: "1.1"
type: single
status: published
stem: |
  Which is safe? {HOSTILE_SCRIPT}
  <img src="x.png" onerror="alert(1)"> <a href="javascript:alert(2)">raw link</a>
  [markdown link](javascript:alert(3)) <JAVASCRIPT:alert(4)>
options:
  - text: 'Option <b onclick="alert(5)">bold</b> {HOSTILE_SCRIPT}'
    correct: true
    rationale: '<a href=" javascript:alert(6)">why</a> <svg onload="alert(7)"></svg>'
  - text: Another option
explanation: |
  <iframe src="https://evil.example/"></iframe><p onmouseover="alert(8)">hover</p>
references:
  - https://cloud.google.com/bigquery/docs/bqml-introduction
  - javascript://cloud.google.com/%0aalert(9)
"""

# Everything a field may use besides the defaults: lossless export must carry all of it.
UNUSUAL_ID = "t-2-1-002"
UNUSUAL_YAML = f"""\
id: {UNUSUAL_ID}
domain: "2.1"
type: multiple
select: 2
status: draft
stem: "Naïve **Bayes** — pick two: `x < 1`"
options:
  - text: "A | table\\n\\n| a | b |\\n|---|---|\\n| 1 | 2 |"
    correct: true
  - text: B
    correct: true
    rationale: ""
  - text: "```python\\nprint('code')\\n```"
    rationale: Code blocks stay code.
  - text: D
shuffle: false
tags: [dataflow, "x:y"]
lint:
  ignore: [QB005, duplicate-id]
  distinct_from: [t-2-1-001]
"""


def add_question(bank: Path, folder: str, question_id: str, text: str) -> Path:
    path = bank / "questions" / folder / f"{question_id}.yaml"
    path.write_text(text, "utf-8")
    return path


def bank_questions(bank: Path) -> dict[str, Question]:
    """The bank's questions as qbank loads them from YAML."""
    result = lint([], load_config(cwd=bank), need_bank=True, use_cache=False, cwd=bank)
    assert result.bank is not None
    return {question.id: question for _, question in result.bank.questions()}


def unsafe_html(fragment: str) -> list[str]:
    """What in this HTML could run script: script-like elements, on* handlers, script URLs."""
    if not fragment.strip():
        return []
    found: list[str] = []
    for element in lxml.html.fragment_fromstring(fragment, create_parent="div").iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag.lower() in {"script", "iframe", "object", "embed", "svg", "style"}:
            found.append(f"<{tag}>")
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"{name}= on <{tag}>")
            scheme = "".join(value.split()).lower()
            if scheme.startswith(("javascript:", "vbscript:", "data:")):
                found.append(f'{name}="{value}" on <{tag}>')
    return found
