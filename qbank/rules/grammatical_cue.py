"""The stem's grammar fits the correct option and not a distractor.

## What it does
For a stem that the options complete ("…is best handled by an"), reports when a distractor
does not read on grammatically and the correct option clearly does: "an" before an option
that starts with a consonant sound (or "a" before a vowel sound), a plural "are"/"were"
before an option that starts with "a", "an" or "one", a singular "is"/"was" before "two …s",
"several …s", "both …s". Stems that end in a question mark or full stop are not judged, nor
options whose sound a short rule cannot tell (code, numbers, acronyms such as SQL that are
read either way, an option that brings its own article).

## Why it matters
A learner who reads "an" at the end of the stem can drop every option that starts with a
consonant and guess among the rest. Avoid grammatical inconsistencies that cue the answer
(Haladyna, Downing & Rodriguez 2002, guideline 28c), for instance by moving the article into
the options.

## Example
```yaml
stem: To find unusual transactions without labels, the team should train an
options:
  - text: autoencoder on normal traffic      # the key: "an autoencoder"
    correct: true
  - text: classifier on last year's fraud    # QB210: "an classifier"
  - text: linear regression on the amounts   # "an linear regression"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from qbank.cues.grammar import read
from qbank.cues.strategies import well_keyed
from qbank.load.bank import QuestionFile
from qbank.models import Question
from qbank.problem import Problem, Severity
from qbank.rules.base import Context, Options, Scope

CODE = "QB210"
NAME = "grammatical-cue"
SEVERITY = Severity.WARNING
SCOPE = Scope.QUESTION


def check(
    question: Question, file: QuestionFile, options: Options, context: Context
) -> Iterator[Problem]:
    if not well_keyed(question):
        return
    reading = read(question.stem, [option.text for option in question.options])
    odd = reading.misfits
    if not odd or not set(question.correct_indexes) <= reading.fits:
        return
    listed = ", ".join(str(i + 1) for i in sorted(odd))
    which = f"distractor {listed} does" if len(odd) == 1 else f"distractors {listed} do"
    yield file.problem(
        f"the stem ends with {reading.wanted}, which {which} not fit and the correct option does; "
        "grammar points to the answer",
        ("stem",),
    )
