"""Two questions ask the same thing in other words.

## What it does
Embeds each question's stem and each of its options with a sentence-transformers model
(offline; by default the bundled all-MiniLM-L6-v2) and finds the pairs whose weighted
similarity, 0.4 x cos(stems) + 0.4 x cos(keys) + 0.2 x cos(distractors), is 0.45 or more
(a key or a set of distractors standing for the mean of its options' vectors). Each such
pair gets a probability of being a near-duplicate from a logistic regression on its part
cosines, how its keys and options line up (a key closer to the other question's distractor
than to its key counts against; options that pair off one to one with the same keys count
for) and the words its stems and keys share. Both questions of a pair whose probability
reaches `[tool.qbank.dedup] threshold` (default 0.72) are reported. The coefficients and
the threshold were chosen by cross-validation on labelled pairs; QB406 reports the pairs
that ask the same thing with another key. Vectors are cached in `.qbank_cache/` by model
and text, so only new or changed texts reach the model.

## Why it matters
A learner who meets the same question twice recognises it instead of reasoning about it, and
reviewers spend their time twice. Copies written by different authors also drift apart.

## Example
`pmle-2-1-003` asks which service to use "to label 50,000 images with human reviewers" and
`pmle-2-1-007` asks "which managed service gives human labelers for 20,000 pictures", both
keyed to Vertex AI data labeling: each is reported, naming the other and the probability
(shown as the similarity). If the two are meant to stay, add
`lint: {distinct_from: [pmle-2-1-007]}` to either question.
"""

from __future__ import annotations

from collections.abc import Iterator

from qbank.load.bank import Bank
from qbank.problem import Problem, Severity
from qbank.rules.base import Context, Options, Scope
from qbank.rules.exact_duplicate import cached_fingerprint

CODE = "QB402"
NAME = "near-duplicate"
SEVERITY = Severity.WARNING
SCOPE = Scope.BANK


def check(bank: Bank, options: Options, context: Context) -> Iterator[Problem]:
    from qbank.dedup.finder import find_near_duplicates  # NumPy: only when the rule runs
    from qbank.dedup.settings import DedupSettings

    config = context.config
    settings = DedupSettings.from_config(config)
    items = bank.questions()
    cache_dir = config.cache_dir if context.use_cache else None
    finding = find_near_duplicates([q for _, q in items], settings, config.root, cache_dir,
                                   shared=bank.shared)  # fmt: skip
    bank.notes.extend(finding.notes)
    for pair in finding.pairs:
        first, second = items[pair.first][0], items[pair.second][0]
        if cached_fingerprint(bank, first) == cached_fingerprint(bank, second):
            continue  # an exact copy: QB401 reports it as an error already
        for this, other in ((pair.first, pair.second), (pair.second, pair.first)):
            (file, question), (other_file, other_question) = items[this], items[other]
            yield file.problem(
                f"{question.id} is a near-duplicate of {other_question.id} ({other_file.path}): "
                f"similarity {pair.similarity:.2f}",
                ("stem",),
            )
