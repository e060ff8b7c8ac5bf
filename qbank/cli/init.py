"""`qbank init`."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("init")
@click.argument(
    "directory", required=False, default=".", type=click.Path(file_okay=False, path_type=Path)
)
@click.option("--exam", help="The exam's name (default: the directory's name).")
@click.option("--short-name", help="A short name; question ids start with it (default: initials).")
def init_command(directory: Path, exam: str | None, short_name: str | None) -> int:
    """Start a question bank: exam guide, settings, pre-commit, CI and an example question.

    Files that already exist are left alone and listed as skipped.
    """
    from qbank.init_project import init_project, initials

    directory.mkdir(parents=True, exist_ok=True)
    exam = exam or directory.resolve().name.replace("-", " ").replace("_", " ")
    report = init_project(directory, exam, short_name or initials(exam))
    for verb, paths in (
        ("created", report.created),
        ("updated", report.updated),
        ("skipped (exists)", report.skipped),
    ):
        for path in paths:
            click.echo(f"{verb} {_shown(path, directory)}")
    click.echo(
        "\nNext: edit questions/exam-guide.yaml, then `qbank new --domain 1.1` writes a "
        "question;\n`qbank lint` checks the bank, and in a git repository `pre-commit install` "
        "runs it on each commit."
    )
    return 0


def _shown(path: Path, directory: Path) -> str:
    return path.relative_to(directory.absolute()).as_posix()
