"""An option is "All of the above" or "None of the above".

## What it does
Reports options such as "All of the above", "None of these", "All the above options".

## Why it matters
"All of the above" is answered by spotting two right options; "None of the above" tests what
the learner knows is wrong, not what is right. Both break when options are shuffled. The
guidelines say to avoid them (Haladyna, Downing & Rodriguez 2002, guideline 25; NBME).

## Example
```yaml
options:
  - text: None of the above   # QB201
```
Write a plausible, specific distractor instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from qbank.load.bank import QuestionFile
from qbank.markdown import normalize
from qbank.models import Question
from qbank.problem import Problem, Severity
from qbank.rules.base import Context, Options, Scope

CODE = "QB201"
NAME = "all-or-none-of-the-above"
SEVERITY = Severity.WARNING
SCOPE = Scope.QUESTION

PATTERN = re.compile(
    r"^(all|none|neither|both)( of)?( the| these)?"
    r"( above| preceding| listed| previous)?( options| answers| choices)?( above)?$"
)
_MINIMUM = re.compile(r"(above|these|preceding|listed|previous|options|answers|choices)$")


def is_all_or_none(markdown: str) -> bool:
    """Whether the option is "All of the above", "None of these" or the like."""
    text = normalize(markdown)
    return bool(PATTERN.match(text) and _MINIMUM.search(text))


def check(
    question: Question, file: QuestionFile, options: Options, context: Context
) -> Iterator[Problem]:
    for index, option in enumerate(question.options):
        if is_all_or_none(option.text):
            yield file.problem(
                f"option {index + 1} is '{option.text.strip()}'; write a specific option",
                ("options", index, "text"),
            )
