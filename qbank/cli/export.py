"""`qbank export`."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import TYPE_CHECKING

import click

from qbank.cli.left_out import echo_left_out
from qbank.cli.options import config_option

if TYPE_CHECKING:
    from qbank.config import Config
    from qbank.export.base import ExportBank, Exporter, Loss
    from qbank.load.bank import Bank

# Near-duplicate detection and conflicting keys need the embedding model, which export must
# never load: QB402 only warns anyway; QB406 is left to `qbank lint` (pre-commit and CI).
NOT_IN_EXPORT_GATE = ["QB402", "QB406"]


@click.command("export")
@click.option("--format", "format_name", required=True, help="anki, gift, html, json, moodle, qti…")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--domain", help='Only this section or subsection ("4" or "4.2").')
@click.option("--tag", "tags", multiple=True, help="Only questions with this tag (repeatable).")
@click.option("--status", type=click.Choice(["draft", "review", "published"]))
@click.option(
    "--templates", type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="A folder whose templates override the bundled ones.",
)  # fmt: skip
@click.option("--force", is_flag=True, help="Export even if the bank has lint errors.")
@config_option
def export_command(
    format_name: str,
    out: Path,
    paths: tuple[Path, ...],
    domain: str | None,
    tags: tuple[str, ...],
    status: str | None,
    templates: Path | None,
    force: bool,
    config_path: Path | None,
) -> int:
    """Publish the bank (or PATHS) to another platform's format."""
    from qbank.config import load_config
    from qbank.export import get_exporter
    from qbank.export.render import Filters, render_bank

    exporter = get_exporter(format_name)
    bank = gated_bank(list(paths), load_config(config_path), force)
    if bank is None:
        return 1
    rendered = render_bank(bank, Filters(domain, tags, status), html=uses_html(exporter))
    written = write_export(exporter, rendered, out, templates)
    click.echo(f"wrote {out} ({written} questions, {format_name})")
    return 0


def gated_bank(paths: list[Path], config: Config, force: bool) -> Bank | None:
    """The loaded bank; None (its lint errors printed) if it has errors and not `force`."""
    from qbank.lint import lint
    from qbank.report import Run, formatter

    result = lint(paths, config, ignore=[*config.ignore, *NOT_IN_EXPORT_GATE], need_bank=True)
    errors = [p for p in result.problems if p.is_error]
    if errors and not force:
        click.echo(formatter("text")(errors, Run(files=result.files)), err=True, nl=False)
        click.echo("qbank: export refused: fix the errors above, or pass --force", err=True)
        return None
    assert result.bank is not None  # need_bank=True always loads it
    echo_left_out(result.bank)  # with --force, invalid files are skipped: say which and why
    return result.bank


def uses_html(exporter: Exporter) -> bool:
    """Whether the format shows the rendered HTML (the plain-text ones carry Markdown only)."""
    return bool(getattr(exporter, "uses_html", True))


def write_export(
    exporter: Exporter, rendered: ExportBank, out: Path, templates: Path | None
) -> int:
    """Say what the format cannot hold of each question, then export; the number written."""
    from qbank.export.templates import template_errors

    if templates is not None and hasattr(exporter, "templates"):
        exporter.templates = templates
    # The loaded and rendered bank lives until the export ends: keep its objects out of the
    # garbage collector's full collections, which would otherwise walk them again and again
    # while the writer allocates (half of the print export's time at 10,000 questions).
    gc.freeze()
    try:
        losses = _report_losses(exporter, rendered)
        with template_errors():
            exporter.export(rendered, out)
    finally:
        gc.unfreeze()
    return len(rendered.questions) - sum(loss.left_out is not None for loss in losses)


def _report_losses(exporter: Exporter, rendered: ExportBank) -> list[Loss]:
    """Say on stderr what the format cannot hold of each question."""
    from qbank.export.base import ReportsLosses

    losses = exporter.losses(rendered) if isinstance(exporter, ReportsLosses) else []
    for loss in losses:
        if loss.left_out is not None:
            message = f"warning: {loss.question_id} left out of {exporter.name}: {loss.left_out}"
        else:
            message = f"note: {exporter.name} has no place for {loss.question_id}'s " + ", ".join(
                loss.parts
            )
        click.echo(f"{loss.path}: {message}", err=True)
    return losses
