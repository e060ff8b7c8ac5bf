"""What every rule module provides, and what a rule's check receives."""

from __future__ import annotations

import enum
import inspect
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any

from qbank.problem import Problem, Severity

if TYPE_CHECKING:
    from qbank.config import Config
    from qbank.load.bank import Bank, QuestionFile
    from qbank.models import ExamGuide, Question

DOC_SECTIONS = ("What it does", "Why it matters", "Example")


class Scope(enum.StrEnum):
    LOAD = "load"  # reported by the loader itself (syntax, safety, schema)
    QUESTION = "question"  # check(question_file, options, context) sees one question
    BANK = "bank"  # check(bank, options, context) sees the whole bank


@dataclass(frozen=True)
class Context:
    """What a check may consult besides its question: the bank, the guide, the settings."""

    bank: Bank
    config: Config
    strict: bool = False
    use_cache: bool = True  # False: rules keep nothing in the cache folder (--no-cache)

    @property
    def guide(self) -> ExamGuide | None:
        return self.bank.guide


Options = Mapping[str, Any]
Check = Callable[..., Iterator[Problem]]
# What a bank rule needs from one question, as a JSON value (module attribute SUMMARY): the
# loader computes it once per file content, in its workers, and caches it with the parse, so
# that a run after one file changed recomputes one summary, not the bank's.
Summarize = Callable[["Question"], Any]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    scope: Scope
    doc: str
    fixable: bool = False
    default: Mapping[str, Any] = field(default_factory=dict)
    check: Check | None = None
    fix: Callable[..., Any] | None = None
    summarize: Summarize | None = None

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0].rstrip(".")

    @classmethod
    def from_module(cls, module: ModuleType) -> Rule:
        return cls(
            code=module.CODE,
            name=module.NAME,
            severity=module.SEVERITY,
            scope=module.SCOPE,
            doc=inspect.cleandoc(module.__doc__ or ""),
            fixable=getattr(module, "FIX", None) is not None,  # FIX(data, options) -> changed
            default=dict(getattr(module, "DEFAULT", {})),
            check=getattr(module, "check", None),
            fix=getattr(module, "FIX", None),
            summarize=getattr(module, "SUMMARY", None),
        )


def summary_of(
    bank: Bank, file: QuestionFile, code: str, summarize: Summarize,
    valid: Callable[[Any], bool],
) -> Any:  # fmt: skip
    """The `code` rule's summary of a question: the loader's (computed in a worker or read
    from the cache) when it passes `valid`, else computed now from the question's record."""
    known = (file.summaries or {}).get(code)
    if known is not None and valid(known):
        return known
    question = bank.record(file)
    assert question is not None  # only asked of files that passed validation
    return summarize(question)
