"""`qbank new`: a schema-valid skeleton with the next free id."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from qbank.errors import QbankError
from qbank.load.bank import Bank
from qbank.models import ExamGuide

SKELETON = """\
# yaml-language-server: $schema={schema}
id: {id}
domain: "{domain}"
type: single
difficulty: medium
status: draft
stem: |
  TODO: a short scenario that ends with the question.
options:
  - text: "TODO: the right answer"
    correct: true
    rationale: "TODO: why it is right"
  - text: "TODO: a plausible distractor"
    rationale: "TODO: why it is wrong here"
  - text: "TODO: a second distractor"
    rationale: "TODO: why it is wrong here"
  - text: "TODO: a third distractor"
    rationale: "TODO: why it is wrong here"
explanation: |
  TODO: the principle behind the answer.
references:
  - https://cloud.google.com/
tags: []
"""


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def new_question(bank: Bank, bank_root: Path, guide: ExamGuide, domain: str) -> Path:
    """Write the skeleton for `domain` and return its path."""
    if guide.subsection(domain) is None:
        codes = ", ".join(sub.code for sub in guide.subsections)
        raise QbankError(f"domain {domain} is not in the exam guide (one of: {codes})")
    taken = {f.stem_name for f in bank.files} | {q.id for _, q in bank.questions()}
    qid = next_id(default_prefix(bank, guide), domain, taken)
    folder = section_folder(bank, bank_root, guide, domain.split(".")[0])
    path = folder / f"{qid}.yaml"
    schema = Path("..", "..", "schema", "question.schema.json").as_posix()
    folder.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:
        handle.write(SKELETON.format(id=qid, domain=domain, schema=schema))
    return path


def next_id(prefix: str, domain: str, taken: set[str]) -> str:
    """`<prefix>-<section>-<subsection>-<nnn>`, one past the highest number `taken` uses."""
    section, number = domain.split(".")
    pattern = re.compile(rf"^{re.escape(prefix)}-{section}-{number}-(\d+)$")
    used = [int(m.group(1)) for name in taken if (m := pattern.match(name))]
    return f"{prefix}-{section}-{number}-{max(used, default=0) + 1:03d}"


def default_prefix(bank: Bank, guide: ExamGuide | None, fallback: str = "q") -> str:
    """The prefix most ids of the bank use, else the guide's short name, else `fallback`."""
    prefixes = Counter(
        m.group(1) for _, q in bank.questions() if (m := re.match(r"^(.+)-\d+-\d+-\d+$", q.id))
    )
    if prefixes:
        return prefixes.most_common(1)[0][0]
    return slug(guide.short_name) if guide is not None else fallback


def section_folder(bank: Bank, bank_root: Path, guide: ExamGuide | None, section: str) -> Path:
    """Where the bank keeps this section's questions, or `<code>-<slug of its title>`."""
    folders = Counter(Path(f.path).parent for f, q in bank.questions() if q.section == section)
    if folders:
        return folders.most_common(1)[0][0]
    found = guide.section(section) if guide is not None else None
    return bank_root / (f"{section}-{slug(found.title)}" if found is not None else section)
