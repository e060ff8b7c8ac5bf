"""`qbank lint`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from qbank.cli.options import config_option, emit, output_file_option, split_codes
from qbank.report import FORMATS

EXIT_CLEAN, EXIT_PROBLEMS = 0, 1


@click.command("lint")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True
)
@click.option("--select", help="Comma-separated rule codes, prefixes (QB2) or names to run.")
@click.option("--ignore", help="Comma-separated rule codes, prefixes or names to skip.")
@click.option("--strict", is_flag=True, default=None, help="Warnings fail the run too.")
@click.option("--no-cache", is_flag=True, help="Ignore and do not write .qbank_cache/.")
@click.option("--fix", is_flag=True, help="Apply the safe fixes, then report what is left.")
@click.option("--diff", is_flag=True, help="Show the fixes as a diff; write nothing.")
@click.option(
    "--only-bank-files",
    is_flag=True,
    help="Skip given paths that are not question files of the configured bank, and lint the "
    "whole bank when the exam guide is among them (for pre-commit, which passes every file).",
)
@output_file_option
@config_option
def lint_command(
    paths: tuple[Path, ...],
    output_format: str,
    select: str | None,
    ignore: str | None,
    strict: bool | None,
    no_cache: bool,
    fix: bool,
    diff: bool,
    only_bank_files: bool,
    output_file: Path | None,
    config_path: Path | None,
) -> int:
    """Check question files (default: the configured bank) and report problems.

    Exit status: 0 clean (warnings allowed unless --strict), 1 problems found, 2 usage or
    configuration error.
    """
    from qbank.cli.progress import show_embedding_progress
    from qbank.config import load_config
    from qbank.lint import lint
    from qbank.report import Run, formatter

    config = load_config(config_path)
    if only_bank_files and paths:
        from qbank.lint import bank_questions, touches_guide

        if touches_guide(list(paths), config):
            paths = ()
        else:
            paths = tuple(bank_questions(list(paths), config))
            if not paths:
                return EXIT_CLEAN
    if fix or diff:
        from qbank.autofix import fix_files
        from qbank.check import select_rules
        from qbank.lint import resolve_scope

        selection = select_rules(config, split_codes(select), split_codes(ignore))
        files = resolve_scope(list(paths), config).targets
        outcome = fix_files(files, selection, write=not diff, cwd=Path.cwd())
        for note in outcome.notes:
            click.echo(f"qbank: note: {note}", err=True)
        if diff:
            click.echo(outcome.diff(), nl=False)
            return EXIT_PROBLEMS if outcome.changed else EXIT_CLEAN
        for name, _ in outcome.changed:
            click.echo(f"fixed {name}", err=True)
    with show_embedding_progress():
        result = lint(list(paths), config, split_codes(select), split_codes(ignore), not no_cache)
    for note in result.notes:
        click.echo(f"qbank: note: {note}", err=True)
    strict = config.strict if strict is None else strict
    color = output_file is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    run = Run(files=result.files, strict=strict, color=color)
    report = formatter(output_format)(result.problems, run)
    emit(report, output_file, color)
    return EXIT_PROBLEMS if run.failed(result.problems) else EXIT_CLEAN
