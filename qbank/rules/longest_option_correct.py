"""The correct option is much longer than every distractor.

## What it does
Counts the words of each option and reports a correct option that is at least `ratio` times
(default 1.5) as long as the longest distractor.

## Why it matters
Writers qualify the right answer until it is unassailable and leave the distractors short;
test-wise learners pick the longest option and score without knowing the content. Keep
options homogeneous in length (Haladyna, Downing & Rodriguez 2002, guideline 23).

## Example
```yaml
options:
  - text: Schedule a Vertex AI pipeline that retrains weekly and checks metrics first
    correct: true                  # QB205: 12 words, longest distractor 4
  - text: Retrain the model by hand
  - text: Use a cron job
```
"""

from __future__ import annotations

from collections.abc import Iterator

from qbank.load.bank import QuestionFile
from qbank.markdown import word_count
from qbank.models import Question
from qbank.problem import Problem, Severity
from qbank.rules.base import Context, Options, Scope

CODE = "QB205"
NAME = "longest-option-correct"
SEVERITY = Severity.WARNING
SCOPE = Scope.QUESTION
DEFAULT = {"ratio": 1.5}


def check(
    question: Question, file: QuestionFile, options: Options, context: Context
) -> Iterator[Problem]:
    lengths = [word_count(option.text) for option in question.options]
    distractors = [n for n, o in zip(lengths, question.options, strict=True) if not o.correct]
    if not distractors or max(distractors) == 0:
        return
    longest = max(distractors)
    for index in question.correct_indexes:
        if lengths[index] >= options["ratio"] * longest:
            yield file.problem(
                f"the correct option {index + 1} has {lengths[index]} words, the longest "
                f"distractor {longest} (ratio {lengths[index] / longest:.1f} >= "
                f"{options['ratio']:g}); length gives the answer away",
                ("options", index, "text"),
            )
