"""Rendering command output: aligned tables for people, CSV and JSON for programs.

Data goes to stdout; diagnostics (progress, warnings, notes) go to stderr.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Sequence

import click

FORMATS = ("table", "csv", "json")

format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="Output format: an aligned table, CSV (RFC 4180) or JSON.",
)


def console(stderr: bool = False):
    from rich.console import Console  # deferred: keeps `qualcode --help` fast

    stream = sys.stderr if stderr else sys.stdout
    # Not a terminal (a pipe or a file): do not wrap or truncate at 80 columns.
    width = None if stream.isatty() else 10_000
    return Console(file=stream, width=width, soft_wrap=not stream.isatty(), highlight=False)


def emit(
    rows: Iterable[Sequence[object]],
    columns: Sequence[str],
    fmt: str,
    *,
    title: str | None = None,
    right: Sequence[str] = (),
) -> None:
    """Write rows in the chosen format to stdout."""
    rows = list(rows)
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
    elif fmt == "json":
        json.dump([dict(zip(columns, row, strict=True)) for row in rows], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        from rich.table import Table

        table = Table(title=title, box=None, header_style="bold", pad_edge=False)
        for column in columns:
            table.add_column(column, justify="right" if column in right else "left", overflow="fold")
        from rich.markup import escape

        for row in rows:
            # Escaped: text like "[persoon 3]" or "[naam]" is data, not rich markup.
            table.add_row(*("" if v is None else escape(str(v)) for v in row))
        console().print(table)


def note(message: str) -> None:
    """A diagnostic line on stderr."""
    click.echo(message, err=True)


def warn(message: str) -> None:
    click.echo(click.style("warning: ", fg="yellow") + message, err=True)


def shorten(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
