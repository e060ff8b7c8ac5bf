"""A baseline: the problems a bank had when qbank was adopted, so that CI fails only on new ones.

The file is JSON, one entry per line, sorted, with a version field:

    {
      "qbank_baseline": 1,
      "problems": [
        {"code": "QB202", "count": 1, "file": "questions/x.yaml", "lines": ["5d41402abc"],
         "message": "…", "question": "x"},
        ...
      ]
    }

An entry is a problem without its position: the question it is in (its id, or its file when
it has none), its code and its message with numbers written as `#` (line numbers, word counts
and similarities change with unrelated edits). `count` says how many such problems the
question had, so a second one of the same kind is new. Moving lines, editing another question
or moving a file to another folder never brings an old problem back.

`lines` holds a short hash of the text of each problem's line. When a question has more
problems of one kind than its entry counts, those on lines whose text the baseline knows are
the old ones, so the new one is the one shown.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from qbank.cache import atomic_write_bytes
from qbank.errors import QbankError
from qbank.problem import Problem

VERSION = 1
_NUMBER = re.compile(r"(?<![\w.-])\d+(?:\.\d+)?(?![\w-])")

Key = tuple[str, str, str]  # (question id or file, code, message with numbers as #)


@dataclass(frozen=True)
class Entry:
    file: str
    question: str | None
    code: str
    message: str
    count: int
    lines: tuple[str, ...] = ()  # hashes of the problems' line texts

    @property
    def key(self) -> Key:
        return (self.question or self.file, self.code, self.message)


@dataclass(frozen=True)
class Applied:
    shown: list[Problem]  # not in the baseline: what the run reports
    hidden: int  # problems the baseline accounts for
    gone: int  # baseline problems that no longer occur


def normalized(message: str) -> str:
    return _NUMBER.sub("#", message)


def key(problem: Problem) -> Key:
    return (problem.question_id or problem.path, problem.code, normalized(problem.message))


class LineTexts:
    """The hash of the text of a problem's line (files read once, relative to the cwd)."""

    def __init__(self) -> None:
        self._files: dict[str, list[str]] = {}

    def of(self, problem: Problem) -> str:
        lines = self._files.get(problem.path)
        if lines is None:
            try:
                lines = Path(problem.path).read_text("utf-8-sig", errors="replace").splitlines()
            except OSError:
                lines = []
            self._files[problem.path] = lines
        text = lines[problem.line - 1].strip() if 0 < problem.line <= len(lines) else ""
        return hashlib.blake2b(text.encode(), digest_size=5).hexdigest()


def load(path: Path) -> list[Entry]:
    """The entries of a baseline file; a missing or malformed file is a usage error."""
    try:
        document = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise QbankError(
            f"baseline {path} not found; create it with --baseline {path} --update-baseline"
        ) from None
    except (OSError, ValueError) as exc:
        raise QbankError(f"baseline {path} cannot be read: {exc}") from None
    if not isinstance(document, dict) or document.get("qbank_baseline") != VERSION:
        raise QbankError(f"baseline {path} is not a qbank baseline (version {VERSION})")
    try:
        return [
            Entry(str(e["file"]), e.get("question"), str(e["code"]), str(e["message"]),
                  int(e["count"]), tuple(str(h) for h in e.get("lines", ())))
            for e in document["problems"]
        ]  # fmt: skip
    except (KeyError, TypeError, ValueError) as exc:
        raise QbankError(f"baseline {path} has a malformed entry: {exc}") from None


def apply(problems: list[Problem], entries: list[Entry], lines: LineTexts) -> Applied:
    """The problems the baseline does not account for. Of each kind in each question, as
    many as the entry counts are hidden: first those on lines the entry knows, then the
    others in order of position."""
    allowed = Counter({entry.key: entry.count for entry in entries})
    known = {entry.key: entry.lines for entry in entries}
    ordered = sorted(problems)
    groups: dict[Key, list[Problem]] = {}
    for problem in ordered:
        groups.setdefault(key(problem), []).append(problem)
    hidden: set[int] = set()
    for group_key, group in groups.items():
        texts = Counter(known.get(group_key, ()))
        first: list[Problem] = []
        for problem in group:
            text = lines.of(problem)
            if texts[text] > 0:
                texts[text] -= 1
                first.append(problem)
        then = [p for p in group if all(p is not q for q in first)]
        hidden.update(id(p) for p in [*first, *then][: allowed[group_key]])
    shown = [p for p in ordered if id(p) not in hidden]
    return Applied(shown, len(hidden), sum(allowed.values()) - len(hidden))


def entries_for(problems: list[Problem], lines: LineTexts) -> list[Entry]:
    grouped: dict[Key, list[Problem]] = {}
    for problem in problems:
        grouped.setdefault(key(problem), []).append(problem)
    return [
        Entry(group[0].path, group[0].question_id, k[1], k[2], len(group),
              tuple(sorted(lines.of(p) for p in group)))
        for k, group in grouped.items()
    ]  # fmt: skip


def update(
    path: Path, problems: list[Problem], checked: list[str], lines: LineTexts
) -> list[Entry]:
    """Write the baseline: today's problems of the checked files, and the entries of files
    this run did not check (a run over some files keeps the others' entries)."""
    kept = [e for e in load(path) if e.file not in set(checked)] if path.exists() else []
    entries = sorted([*kept, *entries_for(problems, lines)], key=_order)
    try:
        atomic_write_bytes(path, dump(entries).encode("utf-8"))
    except OSError as exc:
        raise QbankError(f"cannot write the baseline {path}: {exc.strerror or exc}") from None
    return entries


def dump(entries: list[Entry]) -> str:
    lines = [
        json.dumps(
            {
                "code": e.code,
                "count": e.count,
                "file": e.file,
                "lines": list(e.lines),
                "message": e.message,
                "question": e.question,
            },
            ensure_ascii=False,
            sort_keys=True,
        )  # fmt: skip
        for e in entries
    ]
    body = ",\n".join(f"    {line}" for line in lines)
    problems = f"[\n{body}\n  ]" if lines else "[]"
    return f'{{\n  "qbank_baseline": {VERSION},\n  "problems": {problems}\n}}\n'


def _order(entry: Entry) -> tuple[str, str, str]:
    return (entry.file, entry.code, entry.message)
