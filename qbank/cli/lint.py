"""`qbank lint`."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from qbank.cli.options import config_option, emit, output_file_option, split_codes
from qbank.errors import QbankError
from qbank.report import FORMATS

if TYPE_CHECKING:
    from qbank.autofix import Outcome
    from qbank.config import Config
    from qbank.lint import LintResult
    from qbank.problem import Problem

STATISTICS_FORMATS = ("text", "json")

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
    "--statistics", is_flag=True, help="Show how many problems each rule found (text or json)."
)
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Report only problems this baseline file does not list.",
)
@click.option(
    "--update-baseline", is_flag=True, help="Write today's problems into the --baseline file."
)
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
    statistics: bool,
    baseline: Path | None,
    update_baseline: bool,
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

    if statistics and output_format not in STATISTICS_FORMATS:
        raise QbankError("--statistics works with --format text or json")
    if update_baseline and baseline is None:
        raise QbankError("--update-baseline needs --baseline FILE")
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
        fixed = _fix(paths, config, select, ignore, write=not diff)
        if diff:
            click.echo(fixed.diff(), nl=False)
            return EXIT_PROBLEMS if fixed.changed else EXIT_CLEAN
    with show_embedding_progress():
        result = lint(list(paths), config, split_codes(select), split_codes(ignore), not no_cache)
    problems, notes, hidden = result.problems, list(result.notes), ""
    if baseline is not None:
        problems, hidden, baseline_notes = _apply_baseline(baseline, update_baseline, result)
        notes += baseline_notes
    if hidden and output_format != "text":
        notes.append(hidden)
    for note in notes:
        click.echo(f"qbank: note: {note}", err=True)
    strict = config.strict if strict is None else strict
    color = output_file is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    run = Run(result.files, strict, color, tuple(notes), hidden)
    if statistics:
        from qbank.report.statistics import render as render_statistics  # imports the rules

        report = render_statistics(problems, run, output_format)
    else:
        report = formatter(output_format)(problems, run)
    emit(report, output_file, color)
    return run.exit_code(problems)


def _fix(
    paths: tuple[Path, ...], config: Config, select: str | None, ignore: str | None, write: bool
) -> Outcome:
    """Apply (or, without `write`, only compute) the safe fixes of the selected rules."""
    from qbank.autofix import fix_files
    from qbank.check import select_rules
    from qbank.lint import resolve_scope

    selection = select_rules(config, split_codes(select), split_codes(ignore))
    files = resolve_scope(list(paths), config).targets
    outcome = fix_files(files, selection, write=write, cwd=Path.cwd())
    for note in outcome.notes:
        click.echo(f"qbank: note: {note}", err=True)
    if write:
        for name, _ in outcome.changed:
            click.echo(f"fixed {name}", err=True)
    return outcome


def _apply_baseline(
    path: Path, update: bool, result: LintResult
) -> tuple[list[Problem], str, list[str]]:
    """The problems the baseline does not list, what it hid (for the summary), and notes."""
    from qbank import baseline
    from qbank.report.text_format import plural

    lines = baseline.LineTexts()
    if update:
        entries = baseline.update(path, result.problems, result.files, lines)
        click.echo(f"qbank: wrote {path} ({sum(e.count for e in entries)} problems)", err=True)
    else:
        entries = baseline.load(path)
    applied = baseline.apply(result.problems, entries, lines)
    notes = []
    if applied.gone:
        verb = "occurs" if applied.gone == 1 else "occur"
        notes.append(
            f"{plural(applied.gone, 'problem')} of the baseline {path} no longer {verb}; "
            "--update-baseline drops them"
        )
    hidden = f"{plural(applied.hidden, 'problem')} hidden by the baseline {path}"
    return applied.shown, hidden if applied.hidden else "", notes
