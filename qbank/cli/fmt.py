"""`qbank fmt`."""

from __future__ import annotations

from pathlib import Path

import click

from qbank.cli.options import config_option


@click.command("fmt")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if a file would change.")
@click.option("--diff", is_flag=True, help="Write nothing; show what would change.")
@config_option
def fmt_command(paths: tuple[Path, ...], check: bool, diff: bool, config_path: Path | None) -> int:
    """Rewrite question files into the canonical layout (comments and values kept).

    Exit status: 1 when a file cannot be read as YAML, or (with --check or --diff) when a file
    would change; 0 otherwise.
    """
    from qbank.autofix import format_files
    from qbank.config import load_config
    from qbank.lint import resolve_scope
    from qbank.report import Run, formatter

    config = load_config(config_path)
    files = resolve_scope(list(paths), config).targets
    outcome = format_files(files, write=not (check or diff), cwd=Path.cwd())
    for note in outcome.notes:
        click.echo(f"qbank: note: {note}", err=True)
    if diff:
        click.echo(outcome.diff(), nl=False)
    verb = "would reformat" if check or diff else "reformatted"
    for name, _ in outcome.changed:
        click.echo(f"{verb} {name}", err=diff)
    if outcome.problems:
        names = sorted({p.path for p in outcome.problems})
        click.echo(formatter("text")(outcome.problems, Run(files=names)), nl=False, err=diff)
    click.echo(f"{len(outcome.changed)} of {len(files)} files {verb}", err=diff)
    return 1 if outcome.problems or ((check or diff) and outcome.changed) else 0
