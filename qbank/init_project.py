"""`qbank init`: the files of a new bank repository, written only where none exists yet."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from qbank.config import find_config_file
from qbank.load.files import GUIDE_NAME, discover
from qbank.scaffold import slug

TEMPLATES = Path(__file__).parent / "init_templates"
# Where the pre-commit hook and the GitHub Action are published, and the commit of this
# repository that the written files pin (README's snippets pin the same one).
REPOSITORY = "https://github.com/qbank-dev/qbank"
ACTION = "qbank-dev/qbank"
PUBLISHED_REV = "fa2b68d018180b5cc23639ff67846ad00b3b1723"
BANK = "questions"
CACHE_IGNORE = ".qbank_cache/"
SCHEMAS = ("question.schema.json", "exam-guide.schema.json")


@dataclass
class InitReport:
    created: list[Path] = field(default_factory=list)
    updated: list[Path] = field(default_factory=list)  # only .gitignore, by one line
    skipped: list[Path] = field(default_factory=list)  # already there: never overwritten


def render(template: str, **values: str) -> str:
    """A file of init_templates/ with its {{ placeholders }} filled in."""
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # YAML and TOML: values are quoted by the caller where needed
    )
    return environment.get_template(template).render(**values)


def hook_config() -> str:
    """The .pre-commit-config.yaml that runs the published hook."""
    return render("pre-commit-config.yaml", repository=REPOSITORY, rev=PUBLISHED_REV)


def workflow() -> str:
    """The GitHub workflow that runs the published Action."""
    return render("workflow.yml", action=ACTION, rev=PUBLISHED_REV)


def init_project(root: Path, exam: str, short_name: str) -> InitReport:
    """Write a new bank's files under `root`; an existing file is reported, never replaced."""
    from qbank.schemas import render as render_schema

    root = root.absolute()
    report = InitReport()
    prefix = slug(short_name) or "q"
    bank = root / BANK
    files: dict[Path, str] = {
        bank / GUIDE_NAME: render(
            "exam-guide.yaml", exam=json.dumps(exam), short_name=json.dumps(short_name)
        ),
        root / ".pre-commit-config.yaml": hook_config(),
        root / ".github" / "workflows" / "qbank.yml": workflow(),
        **{root / "schema" / name: render_schema(name) for name in SCHEMAS},
    }
    settings = _settings_file(root)
    if settings is None:
        files[root / "qbank.toml"] = render("qbank.toml")
    else:
        report.skipped.append(settings)
    if not (bank.is_dir() and discover([bank])):
        question_id = f"{prefix}-1-1-001"
        path = bank / "1-example-section-one" / f"{question_id}.yaml"
        files[path] = render("question.yaml", id=question_id)
    for path, text in files.items():
        (report.created if _create(path, text) else report.skipped).append(path)
    gitignore = root / ".gitignore"
    existed = gitignore.exists()
    if _ignore_cache(gitignore):
        (report.updated if existed else report.created).append(gitignore)
    return report


def initials(exam: str) -> str:
    """A short name for an exam: the initials of its words, e.g. "Python Basics" -> "PB"."""
    words = [word for word in slug(exam).split("-") if word]
    return "".join(word[0] for word in words).upper()[:8] or "Q"


def _settings_file(root: Path) -> Path | None:
    """The qbank settings file in `root` itself (a parent folder's does not count)."""
    found = find_config_file(root)
    return found if found is not None and found.parent == root else None


def _create(path: Path, text: str) -> bool:
    """Write `path` unless it exists (checked and created in one step)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        return False
    return True


def _ignore_cache(gitignore: Path) -> bool:
    """Add the cache folder to .gitignore unless a line already names it."""
    existing = gitignore.read_text("utf-8") if gitignore.is_file() else ""
    if any(line.strip().strip("/") == CACHE_IGNORE.strip("/") for line in existing.splitlines()):
        return False
    separator = "\n" if existing and not existing.endswith("\n") else ""
    with gitignore.open("a", encoding="utf-8") as handle:
        handle.write(f"{separator}{CACHE_IGNORE}\n")
    return True
