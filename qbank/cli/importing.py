"""`qbank import` (the module cannot be called `import`)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import click

from qbank.cli.options import config_option

if TYPE_CHECKING:
    from qbank.config import Config
    from qbank.importers import ImportRun
    from qbank.importers.plan import Target
    from qbank.models import ExamGuide

FORMATS = ("moodle", "gift", "aiken", "csv", "json")
_PREFIX = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")


@click.command("import")
@click.option("--from", "format_name", required=True, type=click.Choice(FORMATS))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The folder the question files go to (section folders inside).")  # fmt: skip
@click.option("--domain-map", type=click.Path(dir_okay=False, path_type=Path),
              help="YAML: categories and tags → exam-guide subsection codes.")  # fmt: skip
@click.option("--domain", "default_domain",
              help='Subsection code for questions nothing else places, e.g. "4.2".')  # fmt: skip
@click.option("--id-prefix", help="Prefix of new ids (default: the bank's, or the guide's name).")
@click.option(
    "--dry-run", is_flag=True, help="Print the files that would be written; write nothing."
)
@click.option("--overwrite", is_flag=True, help="Replace files that already exist.")
@config_option
def import_command(
    format_name: str,
    file: Path,
    out: Path,
    domain_map: Path | None,
    default_domain: str | None,
    id_prefix: str | None,
    dry_run: bool,
    overwrite: bool,
    config_path: Path | None,
) -> int:
    """Import questions from Moodle XML, GIFT, Aiken, CSV or qbank JSON into question files."""
    from qbank.config import load_config
    from qbank.importers import run_import, write
    from qbank.load.files import display_path

    config = load_config(config_path)
    cwd = Path.cwd()
    target = _target(out, config, domain_map, id_prefix, cwd, default_domain)
    source = display_path(file, cwd)
    run = run_import(format_name, file, source, target)
    for skipped in run.skipped:
        click.echo(f"{source}:{skipped.line}: skipped: {skipped.reason}", err=True)
    for planned in run.planned:
        for note in planned.notes:
            click.echo(f"{source}:{planned.line}: note: {note}", err=True)
    if dry_run:
        _show(run, overwrite, cwd)
    else:
        write(run, overwrite)
        for planned in run.planned:
            for asset, _ in planned.assets:
                click.echo(f"wrote {display_path(asset, cwd)}")
            click.echo(f"wrote {display_path(planned.path, cwd)}")
    verb = "would import" if dry_run else "imported"
    unmapped = f", {len(run.unmapped)} without a domain (drafts)" if run.unmapped else ""
    counts = f"{len(run.planned)} question(s) from {source}{unmapped}"
    click.echo(f"{verb} {counts}; skipped {len(run.skipped)}", err=True)
    return 0


def _target(
    out: Path,
    config: Config,
    domain_map: Path | None,
    id_prefix: str | None,
    cwd: Path,
    default_domain: str | None = None,
) -> Target:
    from qbank.errors import QbankError
    from qbank.importers.domains import DomainMap, load_domain_map
    from qbank.importers.plan import Target
    from qbank.load.bank import Bank, load_guide, load_questions
    from qbank.load.files import discover, read_sources
    from qbank.scaffold import default_prefix

    if out.exists() and not out.is_dir():
        raise QbankError(f"--out {out} is not a folder")
    guide_path = out / "exam-guide.yaml"
    guide_path = guide_path if guide_path.is_file() else config.exam_guide
    guide_file = load_guide(guide_path, cwd)
    if guide_file is not None and guide_file.record is None:
        raise QbankError(f"the exam guide {guide_path} is invalid; run `qbank lint`")
    guide = guide_file.record if guide_file is not None else None
    if default_domain is not None:
        _check_domain(default_domain, guide, guide_path)
    # Ids must be unique within the bank `out` belongs to: the configured one, or `out` alone.
    in_bank = out.absolute().is_relative_to(config.bank.absolute())
    folders = [p for p in ((config.bank if in_bank else out),) if p.is_dir()]
    files = load_questions(read_sources(discover(folders), cwd))
    inside = [f for f in files if f.source is not None and f.source.is_relative_to(out.absolute())]
    elsewhere = frozenset(f.stem_name for f in files if f not in inside)
    prefix = id_prefix or default_prefix(Bank(files), guide)
    if not _PREFIX.match(prefix):
        raise QbankError(f"--id-prefix {prefix!r}: use lower-case letters, digits and '-'")
    schema = config.root / "schema" / "question.schema.json"
    return Target(
        out=out, bank=Bank(inside), guide=guide,
        domain_map=load_domain_map(domain_map, guide) if domain_map else DomainMap(),
        prefix=prefix, elsewhere=elsewhere, schema=schema if schema.is_file() else None,
        default_domain=default_domain,
    )  # fmt: skip


def _check_domain(code: str, guide: ExamGuide | None, guide_path: Path) -> None:
    """--domain must be a subsection of the exam guide (a code like 4.2 without one)."""
    from qbank.errors import QbankError
    from qbank.suggest import did_you_mean

    if guide is None:
        if not re.fullmatch(r"[0-9]+\.[0-9]+", code):
            raise QbankError(f"--domain {code!r}: write a subsection code such as 4.2")
        return
    if guide.subsection(code) is None:
        codes = [sub.code for sub in guide.subsections]
        hint = did_you_mean(code, codes)
        raise QbankError(f"--domain {code}: not a subsection of the exam guide {guide_path}{hint}")


def _show(run: ImportRun, overwrite: bool, cwd: Path) -> None:
    from qbank.load.files import display_path

    for planned in run.planned:
        for asset, data in planned.assets:
            click.echo(f"--- would write {display_path(asset, cwd)} ({len(data)} bytes)")
        state = ""
        if planned.path.exists():
            state = (
                " (replacing the existing file)" if overwrite else " (exists: needs --overwrite)"
            )
        click.echo(f"--- would write {display_path(planned.path, cwd)}{state}")
        click.echo(planned.text, nl=False)
