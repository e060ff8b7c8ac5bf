"""`qbank build-exam`."""

from __future__ import annotations

from pathlib import Path

import click

from qbank.cli.options import config_option


@click.command("build-exam")
@click.option("--size", type=click.IntRange(min=1), required=True, help="Number of questions.")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same exam.")
@click.option("--format", "format_name", required=True, help="Any export format.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--status", type=click.Choice(["draft", "review", "published"]))
@click.option(
    "--difficulty", "difficulties", multiple=True, type=click.Choice(["easy", "medium", "hard"]),
    help="Only questions of this difficulty (repeatable).",
)  # fmt: skip
@click.option("--templates", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--force", is_flag=True, help="Build even if the bank has lint errors.")
@config_option
def build_exam_command(
    size: int,
    seed: int,
    format_name: str,
    out: Path,
    status: str | None,
    difficulties: tuple[str, ...],
    templates: Path | None,
    force: bool,
    config_path: Path | None,
) -> int:
    """Draw a practice exam whose section counts follow the exam guide's weights."""
    from qbank.cli.export import gated_bank, uses_html, write_export
    from qbank.config import load_config
    from qbank.coverage.exam import draw_exam, near_duplicate_pairs
    from qbank.export import get_exporter
    from qbank.export.render import render_bank
    from qbank.load.bank import Bank

    exporter = get_exporter(format_name)
    config = load_config(config_path)
    bank = gated_bank([], config, force)
    if bank is None:
        return 1
    assert bank.guide is not None  # the gate reports a missing guide as an error
    eligible = [
        q
        for _, q in bank.questions()
        if (status is None or q.status == status)
        and (not difficulties or (q.difficulty or "") in difficulties)
    ]
    pairs, note = near_duplicate_pairs(bank, config)
    if note:
        click.echo(f"qbank: note: {note}", err=True)
    draw = draw_exam(bank.guide, eligible, size, seed, pairs)
    drawn = {id(question) for question in draw.questions}  # the very questions drawn
    subset = Bank([f for f, q in bank.questions() if id(q) in drawn], bank.guide_file)
    rendered = render_bank(subset, html=uses_html(exporter))
    written = write_export(exporter, rendered, out, templates)
    for section in bank.guide.sections:
        quota = size * section.weight / sum(s.weight for s in bank.guide.sections)
        click.echo(
            f"section {section.code}: {draw.planned[section.code]} drawn "
            f"(quota {quota:.1f}, weight {section.weight:g}%)",
            err=True,
        )
    click.echo(f"wrote {out} ({written} questions, seed {seed}, {format_name})")
    return 0
