"""`qbank cues`."""

from __future__ import annotations

from pathlib import Path

import click

from qbank.cli.left_out import echo_left_out
from qbank.cli.options import (
    config_option,
    emit,
    format_option,
    output_file_option,
    status_option,
)

FORMATS = ("text", "json", "markdown")


@click.command("cues")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@format_option(FORMATS)
@output_file_option
@status_option("QB407")
@config_option
def cues_command(
    paths: tuple[Path, ...],
    output_format: str,
    output_file: Path | None,
    statuses: tuple[str, ...],
    config_path: Path | None,
) -> int:
    """What a test-wise guesser scores with each strategy, against chance, on the bank (or
    PATHS).

    Strategies: the longest option, the shortest, the option formatting singles out, the
    option that fits the stem's grammar, the option repeating the most stem words, and for
    `shuffle: false` questions the most frequent key position. A report: exit status 0.
    """
    from qbank.check import select_rules
    from qbank.config import load_config
    from qbank.cues.assess import assess
    from qbank.cues.report import FORMATTERS
    from qbank.cues.strategies import STRATEGIES
    from qbank.lint import load_bank

    config = load_config(config_path)
    options = dict(select_rules(config, select=["QB407"]).options["QB407"])
    if statuses:
        options["statuses"] = list(statuses)
    bank = load_bank(list(paths), config, only_targets=bool(paths))
    echo_left_out(bank)
    found = assess((question for _, question in bank.questions()), options, STRATEGIES)
    emit(FORMATTERS[output_format](found, options), output_file)
    if output_file is not None:
        click.echo(f"wrote {output_file}", err=True)
    return 0
