"""The question has no explanation, or one too short to teach.

## What it does
Reports a question without `explanation`, or whose explanation has fewer than `min_words`
words (default 10).

## Why it matters
Practice questions teach through feedback: a learner who got it wrong needs the principle,
not just the key. Feedback that explains is what makes practice testing work.

## Example
```yaml
explanation: Use Dataflow.   # QB301: 2 words; at least 10 expected
```
"""

from __future__ import annotations

from collections.abc import Iterator

from qbank.load.bank import QuestionFile
from qbank.markdown import word_count
from qbank.models import Question
from qbank.problem import Problem, Severity
from qbank.rules.base import Context, Options, Scope

CODE = "QB301"
NAME = "missing-explanation"
SEVERITY = Severity.WARNING
SCOPE = Scope.QUESTION
DEFAULT = {"min_words": 10}


def check(
    question: Question, file: QuestionFile, options: Options, context: Context
) -> Iterator[Problem]:
    if not question.explanation:
        yield file.problem("no explanation; say why the key is right", ())
        return
    count = word_count(question.explanation)
    if count < options["min_words"]:
        yield file.problem(
            f"explanation has {count} words; at least {options['min_words']} expected",
            ("explanation",),
        )
