"""`qbank`: the entry point, exit codes and the one handler for fatal errors."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from qbank import __version__
from qbank.cli.coverage import coverage_command
from qbank.cli.cues import cues_command
from qbank.cli.dedup import dedup_command
from qbank.cli.exam import build_exam_command
from qbank.cli.export import export_command
from qbank.cli.fmt import fmt_command
from qbank.cli.importing import import_command
from qbank.cli.init import init_command
from qbank.cli.lint import lint_command
from qbank.cli.misc import new_command, rules_command, schema_command
from qbank.errors import QbankError

EXIT_USAGE = 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="qbank")
def cli() -> None:
    """Lint, measure and publish exam question banks kept as YAML files."""


cli.add_command(init_command)
cli.add_command(lint_command)
cli.add_command(rules_command)
cli.add_command(schema_command)
cli.add_command(new_command)
cli.add_command(export_command)
cli.add_command(fmt_command)
cli.add_command(coverage_command)
cli.add_command(build_exam_command)
cli.add_command(import_command)
cli.add_command(dedup_command)
cli.add_command(cues_command)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        result = cli.main(args=list(argv) if argv is not None else None, standalone_mode=False)
    except QbankError as exc:
        click.echo(f"qbank: error: {exc}", err=True)
        return EXIT_USAGE
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return EXIT_USAGE
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 1
    except BrokenPipeError:
        sys.stderr.close()
        return 1
    return result if isinstance(result, int) else 0
