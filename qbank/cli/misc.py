"""`qbank rules`, `qbank schema`, `qbank new`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from qbank.cli.options import config_option


@click.command("rules")
@click.argument("rule", required=False)
@click.option(
    "--format", "output_format", type=click.Choice(["text", "markdown", "json"]), default="text"
)
def rules_command(rule: str | None, output_format: str) -> int:
    """List the rules, or show one rule's documentation (by code or name)."""
    from qbank.docs import SETTINGS_INTRO, rule_page, rules_reference, settings_toml
    from qbank.rules import RULES, get_rule

    chosen = [get_rule(rule)] if rule else list(RULES.values())
    if output_format == "json":
        records = [
            {"code": r.code, "name": r.name, "severity": r.severity.value, "scope": r.scope.value,
             "fixable": r.fixable, "options": dict(r.default), "doc": r.doc}
            for r in chosen
        ]  # fmt: skip
        click.echo(json.dumps(records, indent=2))
    elif output_format == "markdown":
        click.echo(rule_page(chosen[0]) if rule else rules_reference(), nl=False)
    elif rule:
        r = chosen[0]
        click.echo(f"{r.code} {r.name} [{r.severity.value}]{' (fixable)' if r.fixable else ''}\n")
        click.echo(r.doc)
        click.echo(f"\n## Settings\n{SETTINGS_INTRO}\n\n{settings_toml(r)}", nl=False)
    else:
        for r in chosen:
            fix = "fix" if r.fixable else "   "
            click.echo(f"{r.code}  {r.name:<32} {r.severity.value:<8} {fix}  {r.summary}")
    return 0


@click.command("schema")
@click.option("--write", is_flag=True, help="Write the schemas into the schema folder.")
@click.option("--check", is_flag=True, help="Exit 1 if the committed schemas are out of date.")
@click.option(
    "--dir", "folder", type=click.Path(file_okay=False, path_type=Path), default=Path("schema"),
    show_default=True, help="The schema folder.",
)  # fmt: skip
@click.argument("name", required=False)
def schema_command(write: bool, check: bool, folder: Path, name: str | None) -> int:
    """Print, write or check the JSON Schemas generated from the models."""
    from qbank.cache import atomic_write_bytes
    from qbank.schemas import GENERATORS, drifted, render

    if check:
        stale = drifted(folder)
        for stale_name in stale:
            click.echo(f"{folder / stale_name} is out of date; run `qbank schema --write`")
        return 1 if stale else 0
    if write:
        for schema_name in GENERATORS:
            atomic_write_bytes(folder / schema_name, render(schema_name).encode())
            click.echo(f"wrote {folder / schema_name}")
        return 0
    click.echo(render(name or "question.schema.json"), nl=False)
    return 0


@click.command("new")
@click.option("--domain", required=True, help='Exam-guide subsection code, e.g. "4.2".')
@config_option
def new_command(domain: str, config_path: Path | None) -> int:
    """Write a schema-valid question skeleton with the next free id."""
    from qbank.config import load_config
    from qbank.lint import load_bank
    from qbank.scaffold import new_question

    config = load_config(config_path)
    bank = load_bank([], config)
    assert bank.guide is not None  # load_bank insists on a valid guide
    path = new_question(bank, config.bank, bank.guide, domain)
    click.echo(f"wrote {path}")
    return 0
