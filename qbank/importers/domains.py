"""Which exam-guide subsection an imported question belongs to.

In order: a subsection code the source states (qbank JSON, the CSV `domain` column); the
`--domain-map` file (category path, then tags); then what needs no map: a category level or tag
that starts with a subsection code ("4.2 Serving") or equals a subsection's title, or a tag
that is one of the guide's topic ids. A question none of these place gets no domain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from qbank.errors import QbankError
from qbank.importers.base import Draft
from qbank.load.yamlparse import YamlProblem, parse
from qbank.models import ExamGuide

_CODE = re.compile(r"^[0-9]+\.[0-9]+$")
_LEADING_CODE = re.compile(r"^([0-9]+\.[0-9]+)(?:$|[\s:._)-])")
_CONTEXT = re.compile(r"^\$[a-z0-9]+\$/")  # Moodle's $course$/, $system$/, $cat1$/…
_LEVEL_SEPARATOR = re.compile(r"(?<!/)/(?!/)")  # Moodle writes a "/" inside a name as "//"
MAP_KEYS = ("categories", "tags")


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def category_levels(path: str) -> tuple[str, ...]:
    """`$course$/top/PMLE/4.2 Serving` → ("pmle", "4.2 serving"): context and `top` dropped."""
    path = _CONTEXT.sub("", path.strip())
    levels = [_normal(level.replace("//", "/")) for level in _LEVEL_SEPARATOR.split(path)]
    levels = [level for level in levels if level]
    return tuple(levels[1:] if levels[:1] == ["top"] else levels)


@dataclass(frozen=True)
class DomainMap:
    categories: tuple[tuple[tuple[str, ...], str], ...] = ()
    tags: dict[str, str] = field(default_factory=dict)

    def for_category(self, path: str) -> str | None:
        """The longest key that is the path itself, its beginning or its end."""
        levels = category_levels(path)
        matches = [
            (len(key), code)
            for key, code in self.categories
            if key and (levels[: len(key)] == key or levels[-len(key) :] == key)
        ]
        return max(matches, key=lambda match: match[0])[1] if matches else None

    def for_tags(self, tags: list[str]) -> str | None:
        return next((self.tags[t] for t in map(_normal, tags) if t in self.tags), None)


def load_domain_map(path: Path, guide: ExamGuide | None) -> DomainMap:
    """Read `--domain-map`: `categories:` and `tags:`, each a mapping to subsection codes."""
    try:
        parsed = parse(path.read_bytes())
    except OSError as exc:
        raise QbankError(f"{path}: cannot read the domain map: {exc.strerror}") from None
    except YamlProblem as exc:
        raise QbankError(f"{path}:{exc.line}:{exc.col}: {exc.message}") from None

    def fail(where: tuple[str | int, ...], message: str, key: bool = False) -> QbankError:
        line, col = (parsed.key_positions if key else parsed.positions).get(where, (1, 1))
        return QbankError(f"{path}:{line}:{col}: {message}")

    for key in parsed.data:
        if key not in MAP_KEYS:
            raise fail((key,), f"unknown key {key!r} (expected {' and '.join(MAP_KEYS)})", key=True)
    tables: dict[str, dict[str, str]] = {}
    for name in MAP_KEYS:
        table = parsed.data.get(name) or {}
        if not isinstance(table, dict):
            raise fail((name,), f"{name} must map names to subsection codes")
        for key, code in table.items():
            if not isinstance(code, str) or not _CODE.match(code):
                raise fail((name, key), f'{key!r}: write the subsection code in quotes, e.g. "4.2"')
            if guide is not None and guide.subsection(code) is None:
                raise fail((name, key), f"{key!r}: {code} is not a subsection of the exam guide")
        tables[name] = table
    categories = tuple((category_levels(key), code) for key, code in tables["categories"].items())
    return DomainMap(categories, {_normal(tag): code for tag, code in tables["tags"].items()})


def resolve_domain(draft: Draft, domain_map: DomainMap, guide: ExamGuide | None) -> str | None:
    if draft.domain is not None:
        return draft.domain
    tags = [t for t in draft.fields.get("tags", []) if isinstance(t, str)]
    if draft.category and (code := domain_map.for_category(draft.category)):
        return code
    if code := domain_map.for_tags(tags):
        return code
    levels = category_levels(draft.category) if draft.category else ()
    for name in (*reversed(levels), *map(_normal, tags)):
        if code := _named_subsection(name, guide):
            return code
    return _topic_subsection(tags, guide)


def _named_subsection(name: str, guide: ExamGuide | None) -> str | None:
    match = _LEADING_CODE.match(name)
    if match and (guide is None or guide.subsection(match.group(1)) is not None):
        return match.group(1)
    if guide is not None:
        return next((s.code for s in guide.subsections if _normal(s.title) == name), None)
    return None


def _topic_subsection(tags: list[str], guide: ExamGuide | None) -> str | None:
    if guide is None:
        return None
    topics = {topic.id: sub.code for sub in guide.subsections for topic in sub.topics}
    return next((topics[tag] for tag in tags if tag in topics), None)
