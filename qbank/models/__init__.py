"""pydantic models: the source of truth for the question and exam-guide formats."""

from qbank.models.guide import ExamGuide, Section, Subsection, Topic
from qbank.models.question import LintSettings, Option, Question

__all__ = ["ExamGuide", "LintSettings", "Option", "Question", "Section", "Subsection", "Topic"]
