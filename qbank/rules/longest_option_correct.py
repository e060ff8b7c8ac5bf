"""The correct option is much longer than every distractor.

## What it does
Counts the characters a reader sees in each option (Markdown syntax removed) and reports a
correct option that is at least `ratio` times (default 1.5) as long as the longest
distractor and at least `min_difference` characters (default 20) longer, so that short
answers such as `[1, 2]` against `[2]` are left alone. A bank whose keys are only a little
longer, but nearly always, is QB407's to report.

## Why it matters
Writers qualify the right answer until it is unassailable and leave the distractors short;
test-wise learners pick the longest option and score without knowing the content. Keep
the length of options about equal (Haladyna, Downing & Rodriguez 2002, guideline 24).

## Example
```yaml
options:
  - text: Schedule a Vertex AI pipeline that retrains weekly and checks metrics first
    correct: true                  # QB205: 75 characters, longest distractor 25
  - text: Retrain the model by hand
  - text: Use a cron job
```
"""

from __future__ import annotations

from collections.abc import Iterator

from qbank.cues.signals import visible_length
from qbank.load.bank import QuestionFile
from qbank.models import Question
from qbank.problem import Problem, Severity
from qbank.rules.base import Context, Options, Scope

CODE = "QB205"
NAME = "longest-option-correct"
SEVERITY = Severity.WARNING
SCOPE = Scope.QUESTION
DEFAULT = {"ratio": 1.5, "min_difference": 20}


def check(
    question: Question, file: QuestionFile, options: Options, context: Context
) -> Iterator[Problem]:
    lengths = [visible_length(option.text) for option in question.options]
    distractors = [n for n, o in zip(lengths, question.options, strict=True) if not o.correct]
    if not distractors or max(distractors) == 0:
        return
    longest = max(distractors)
    for index in question.correct_indexes:
        length = lengths[index]
        if length >= options["ratio"] * longest and length - longest >= options["min_difference"]:
            yield file.problem(
                f"the correct option {index + 1} has {length} characters, the longest "
                f"distractor {longest} (ratio {length / longest:.1f} >= {options['ratio']:g}, "
                f"{length - longest} more); length gives the answer away",
                ("options", index, "text"),
            )
