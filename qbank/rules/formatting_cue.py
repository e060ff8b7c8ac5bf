"""Formatting singles out the correct option.

## What it does
Reports a question whose correct option is the only one with a kind of formatting — code,
bold, italics, strikethrough, a link, an image, in Markdown or HTML — or, in a
multiple-answer question, whose correct options are exactly the ones with it ("the two
options in code are the keys"). Angle brackets that are no formatting tag (`<T>`, `<body>`
written without backticks) do not count.

## Why it matters
Writers put the right answer in code (`ML.PREDICT`, `--enable-autoscaling`) because they
copied it from the documentation, and leave the distractors in prose. A test-wise learner
picks the odd one out and scores without knowing the product. Keep options homogeneous and
avoid a conspicuous correct choice (Haladyna, Downing & Rodriguez 2002, guidelines 23 and
28d); either give the distractors the same formatting or drop it from the key.

## Example
```yaml
options:
  - text: Call `ML.DETECT_ANOMALIES` on the model.   # QB209: the only option with code
    correct: true
  - text: Query the model's evaluation metrics.
  - text: Export the predictions and compare them by hand.
```
"""

from __future__ import annotations

from collections.abc import Iterator

from qbank.cues.strategies import formatting_pick, well_keyed
from qbank.load.bank import QuestionFile
from qbank.models import Question
from qbank.problem import Problem, Severity
from qbank.rules.base import Context, Options, Scope

CODE = "QB209"
NAME = "formatting-cue"
SEVERITY = Severity.WARNING
SCOPE = Scope.QUESTION


def check(
    question: Question, file: QuestionFile, options: Options, context: Context
) -> Iterator[Problem]:
    found = formatting_pick(question) if well_keyed(question) else None
    keys = question.correct_indexes
    if found is None or found[0] != set(keys):
        return
    kinds = " and ".join(found[1])
    if len(keys) == 1:
        subject = f"the correct option {keys[0] + 1} is the only one"
    else:
        subject = f"the correct options {', '.join(str(i + 1) for i in keys)} are the only ones"
    yield file.problem(
        f"{subject} with {kinds}; formatting points to the answer", ("options", keys[0], "text")
    )
