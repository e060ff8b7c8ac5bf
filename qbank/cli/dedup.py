"""`qbank dedup`."""

from __future__ import annotations

from pathlib import Path

import click

from qbank.cli.options import config_option

EXIT_NONE_FOUND, EXIT_FOUND = 0, 1


@click.command("dedup")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--threshold", type=click.FloatRange(0.0, 1.0, min_open=True),
    help="Probability from which two questions are near-duplicates "
    "(default: [tool.qbank.dedup] threshold).",
)  # fmt: skip
@click.option("--top", "top", type=click.IntRange(min=1), help="List only the N most similar.")
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json", "markdown"]),
    default="text", show_default=True,
)  # fmt: skip
@click.option("--no-cache", is_flag=True, help="Ignore and do not write .qbank_cache/.")
@config_option
def dedup_command(
    paths: tuple[Path, ...],
    threshold: float | None,
    top: int | None,
    output_format: str,
    no_cache: bool,
    config_path: Path | None,
) -> int:
    """List near-duplicate question pairs and clusters, most similar first.

    With PATHS, those questions are compared against the whole bank (the pre-commit case);
    without, the whole bank against itself. Pairs listed in either question's
    `lint.distinct_from` are left out. Exit status: 0 none found, 1 found, 2 usage or
    configuration error.
    """
    from dataclasses import replace

    from qbank.cache import ShardedJsonCache
    from qbank.cli.progress import show_embedding_progress
    from qbank.config import load_config
    from qbank.dedup.clusters import clusters
    from qbank.dedup.finder import find_near_duplicates
    from qbank.dedup.report import FORMATTERS, DedupReport, Member
    from qbank.dedup.settings import DedupSettings
    from qbank.lint import resolve_scope
    from qbank.load.bank import load_questions
    from qbank.load.files import read_sources

    config = load_config(config_path)
    settings = DedupSettings.from_config(config)
    if threshold is not None:
        settings = replace(settings, threshold=threshold)
    cache_dir = None if no_cache else config.cache_dir
    scope = resolve_scope(list(paths), config)
    parsed = ShardedJsonCache(cache_dir, "parsed")
    files = load_questions(read_sources(scope.bank, Path.cwd()), parsed)
    parsed.save()
    items = [(file, file.record) for file in files if file.record is not None]
    targets = set(scope.targets)
    rows = [row for row, (file, _) in enumerate(items) if file.source in targets]
    # Every question a target: the whole bank against itself, each pair computed once.
    queries = rows if len(rows) < len(items) else None
    with show_embedding_progress():
        finding = find_near_duplicates(
            [question for _, question in items], settings, config.root, cache_dir, queries
        )
    for note in [*parsed.notes, *finding.notes]:
        click.echo(f"qbank: note: {note}", err=True)
    invalid = len(files) - len(items)
    if invalid:
        click.echo(f"qbank: note: {invalid} invalid file(s) left out; see `qbank lint`", err=True)
    report = DedupReport(
        members=[Member(question.id, file.path) for file, question in items],
        pairs=finding.pairs,
        clusters=clusters(finding.pairs),
        threshold=settings.threshold,
        model=settings.model,
        top=top,
    )
    click.echo(FORMATTERS[output_format](report), nl=False)
    return EXIT_FOUND if finding.pairs else EXIT_NONE_FOUND
