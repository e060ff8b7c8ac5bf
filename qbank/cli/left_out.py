"""Say which question files a command leaves out, and why: never drop them silently."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from qbank.load.bank import Bank


def left_out(bank: Bank, unknown_domains: bool = False) -> list[str]:
    """One located line per file the bank holds but cannot use, with its first problem; with
    unknown_domains, also each question whose domain the guide lacks."""
    lines = []
    guide = bank.guide
    for file in bank.files:
        if file.record is None:
            problem = next((p for p in file.problems if p.is_error), None)
            why = f"{problem.code} {problem.message}" if problem else "not a valid question"
            where = f"{file.path}:{problem.line}:{problem.col}" if problem else file.path
            more = len(file.problems) - 1
            lines.append(f"{where}: left out: {why}" + (f" (and {more} more)" if more > 0 else ""))
        elif unknown_domains and guide and guide.subsection(file.record.domain) is None:
            domain = file.record.domain
            lines.append(f"{file.path}: left out: domain {domain} is not in the exam guide")
    return lines


def echo_left_out(bank: Bank, unknown_domains: bool = False) -> None:
    for line in left_out(bank, unknown_domains):
        click.echo(line, err=True)
