"""`qbank coverage`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from qbank.cli.left_out import echo_left_out
from qbank.cli.options import (
    config_option,
    emit,
    format_option,
    output_file_option,
    status_option,
)

if TYPE_CHECKING:
    from qbank.load.bank import Bank

FORMATS = ("text", "json", "markdown", "html")


@click.command("coverage")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@format_option(FORMATS)
@output_file_option
@status_option("QB403")
@click.option(
    "--templates", type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="A folder whose coverage/report.html.j2 overrides the bundled one.",
)  # fmt: skip
@config_option
def coverage_command(
    paths: tuple[Path, ...],
    output_format: str,
    output_file: Path | None,
    statuses: tuple[str, ...],
    templates: Path | None,
    config_path: Path | None,
) -> int:
    """How the bank (or PATHS) stands against the exam guide: weights, subsections, topics."""
    from qbank.check import select_rules
    from qbank.config import load_config
    from qbank.coverage import report
    from qbank.coverage.stats import measure
    from qbank.lint import load_bank

    config = load_config(config_path)
    drift = select_rules(config, select=["QB403"]).options["QB403"]
    bank = load_bank(list(paths), config, only_targets=bool(paths))
    assert bank.guide is not None
    echo_left_out(bank, unknown_domains=True)
    coverage = measure(
        bank.guide,
        (question for _, question in bank.questions()),
        statuses or drift["statuses"],
        float(drift["tolerance"]),
    )
    if output_format == "html":
        from qbank.export.templates import template_errors

        with template_errors():
            text = report.render_html(coverage, templates, _links(bank, output_file))
    else:
        text = {"text": report.render_text, "json": report.render_json,
                "markdown": report.render_markdown}[output_format](coverage)  # fmt: skip
    emit(text, output_file)
    if output_file is not None:
        click.echo(f"wrote {output_file}", err=True)
    return 0


def _links(bank: Bank, output_file: Path | None) -> dict[str, str]:
    """Each question's file, relative to the report's folder (or the working directory)."""
    base = (output_file.absolute().parent if output_file else Path.cwd()).resolve()
    return {
        question.id: Path(os.path.relpath(file.source.resolve(), base)).as_posix()
        for file, question in bank.questions()
        if file.source is not None
    }
