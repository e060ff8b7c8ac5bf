"""Whether an option reads on grammatically from a stem that the options complete.

Only stems that stop mid-sentence are judged ("… is best described as an"), and only what a
short rule gets right: the article a/an against the sound the option starts with, a plural
"are"/"were" against an option that starts with "a", "an" or "one", a singular "is"/"was"
against one that starts with "two …s", "several …s"… Each option is found to fit, not to
fit, or neither: whatever a short rule cannot tell (acronyms read as words, numbers, code,
"uni…", an option that brings its own article) is neither.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qbank.markdown import prose, to_text

_GAP = r"(?:\s*(?:_{2,}|…|\.{3}|\(\s*\)|\\|:|-{2,}|—|–))*\s*$"
_ENDS_WITH_ARTICLE = re.compile(r"(?:^|\s)(an?)" + _GAP)  # lowercase: "Plan A" is no article
_ENDS_PLURAL = re.compile(r"(?:^|\s)(are|were)" + _GAP, re.IGNORECASE)
_ENDS_SINGULAR = re.compile(r"(?:^|\s)(is|was)" + _GAP, re.IGNORECASE)
_FIRST_WORD = re.compile(r"^\W*?([A-Za-z][\w'’-]*)")
_SINGULAR_START = re.compile(r"^(?:an?|one|this|that)\s", re.IGNORECASE)
_SINGULAR_THE = re.compile(r"^(?:the|its|their)\s+[\w-]*[^\Ws]\b", re.IGNORECASE)
_PLURAL_WORD = re.compile(r"^[a-z][\w-]*[^isu\W]s\b", re.IGNORECASE)  # not "analysis", "status"
_PLURAL_START = re.compile(
    r"^(?:two|three|four|five|six|several|many|multiple|various|both)\s+(?:\S+\s+){0,2}?\S+s\b",
    re.IGNORECASE,
)
_LIST = re.compile(r",|\band\b|\bor\b", re.IGNORECASE)

# Letters whose names begin with a vowel sound ("an F1 score") but which also start acronyms
# read as words ("a SQL query", "a NAT gateway", "a LAN"): neither article can be faulted.
_AMBIGUOUS_INITIALS = frozenset("FHLMNRSX")
_SILENT_H = ("hour", "honest", "honor", "honour", "heir")
_CONSONANT_VOWELS = ("one", "once", "eu", "ewe", "uni", "use", "usu", "usa", "uti", "ubi", "ura")


def _vowel_sound(option: str) -> bool | None:
    """Whether the option starts with a vowel sound; None when a short rule cannot tell."""
    if option.lstrip().startswith("`"):
        return None  # code is read aloud in too many ways
    match = _FIRST_WORD.match(to_text(option))
    if match is None or match.start(1) > 2:
        return None
    word = match.group(1)
    lower = word.lower()
    if lower in ("a", "an", "the"):
        return None  # the option brings its own article: another flaw, not this cue
    if word[:2].isupper():  # a capital letter alone or an acronym: API, GPU, SQL, MLflow
        first = word[0]
        return None if first in _AMBIGUOUS_INITIALS else first in "AEIO"
    if lower.startswith(_CONSONANT_VOWELS):
        return None if lower.startswith(("uni", "ura")) else False
    if lower[0] in "aeio":
        return True
    if lower[0] == "u":
        return True if lower.startswith(("un", "up", "ul", "um")) else None
    if lower[0] == "h":
        return lower.startswith(_SILENT_H)
    return None if lower[0] == "x" else False


def completion(stem: str) -> str | None:
    """The stem's words as plain text when the options complete it, else None."""
    text = prose(stem).rstrip()
    if not text or text[-1] in ".?!)\"'”":
        return None
    return text


@dataclass(frozen=True)
class Reading:
    """What the stem's last words ask of the options, and which options are known to fit."""

    wanted: str = ""  # '"an"', 'plural "are"'…; empty when the stem is not judged
    fits: frozenset[int] = frozenset()
    misfits: frozenset[int] = frozenset()


def read(stem: str, options: list[str]) -> Reading:
    """Which options read on grammatically from the stem and which do not."""
    text = completion(stem)
    if text is None:
        return Reading()
    plain = [to_text(option) for option in options]
    article = _ENDS_WITH_ARTICLE.search(text)
    if article is not None:
        sounds = [_vowel_sound(option) for option in options]
        wants_vowel = article.group(1) == "an"
        return _reading(f'"{article.group(1)}"', [s is wants_vowel for s in sounds],
                        [s is (not wants_vowel) for s in sounds])  # fmt: skip
    plural = _ENDS_PLURAL.search(text)
    if plural is not None:
        return _reading(
            f'plural "{plural.group(1)}"',
            [_plural(option) for option in plain],
            [bool(_SINGULAR_START.match(o)) and not _LIST.search(o) for o in plain],
        )
    singular = _ENDS_SINGULAR.search(text)
    if singular is not None:
        return _reading(
            f'singular "{singular.group(1)}"',
            [bool(_SINGULAR_START.match(o) or _SINGULAR_THE.match(o)) for o in plain],
            [bool(_PLURAL_START.match(o)) for o in plain],
        )
    return Reading()


def _plural(option: str) -> bool:
    return bool(_PLURAL_START.match(option) or _PLURAL_WORD.match(option) or _LIST.search(option))


def _reading(wanted: str, fits: list[bool], misfits: list[bool]) -> Reading:
    return Reading(
        wanted,
        frozenset(i for i, fit in enumerate(fits) if fit),
        frozenset(i for i, misfit in enumerate(misfits) if misfit),
    )
