"""Listings as aligned tables for people: rich for a screenful, streamed beyond.

A table that fits the terminal is drawn by rich, which folds long cells to the
screen's width. Anything longer - or any table written to a file or a pipe - is
streamed: column widths come from the caller's hints (the longest transcript
name, the highest id) and from the first rows, then every row is written as it
arrives, so the first lines appear at once and memory stays flat whatever the
number of rows. A later cell wider than its column pushes the rest of its line
to the right rather than being cut: a table never hides data.

Every cell is made terminal-safe and kept on one line (:func:`qualcode.termsafe.one_line`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from itertools import islice
from typing import IO

from ..termsafe import one_line

SAMPLE = 200  # rows read ahead to size the columns of a streamed table
GAP = "  "  # between columns, as rich's box-less tables have


def cell_width(value: object) -> int:
    """How wide a value's cell is."""
    return len(_cell(value))


def _cell(value: object) -> str:
    if value is None:
        return ""
    text = value if value.__class__ is str else str(value)
    return text if text.isprintable() else one_line(text)  # isprintable: a fast C check for the usual case


def rich_table(rows: list, columns: Sequence[str], title: str | None, right: Sequence[str]):
    """The rows as a rich table (for the caller to print: :func:`qualcode.cli.render.print_rich`)."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(one_line(title)) if title else None, box=None, header_style="bold", pad_edge=False)
    for column in columns:
        table.add_column(column, justify="right" if column in right else "left", overflow="fold")
    for row in rows:
        table.add_row(*(Text(_cell(v)) for v in row))  # Text: data is never read as rich markup
    return table


def streamed(
    stream: IO[str],
    rows: Iterator[Sequence[object]],
    columns: Sequence[str],
    title: str | None,
    right: Sequence[str],
    hints: Mapping[str, int],
    sample_rows: int = SAMPLE,
) -> int:
    sample = [[_cell(v) for v in row] for row in islice(rows, sample_rows)]
    widths = [max(len(name), hints.get(name, 0), *(len(r[i]) for r in sample)) for i, name in enumerate(columns)]
    last = len(columns) - 1
    # One format string for the whole table: str.format pads every cell in C.
    template = GAP.join(
        f"{{:>{widths[i]}}}" if name in right else (f"{{:<{widths[i]}}}" if i < last else "{}") for i, name in enumerate(columns)
    )

    def line(cells: Sequence[str]) -> str:
        return template.format(*cells).rstrip() + "\n"

    if title:
        stream.write(one_line(title).center(sum(widths) + len(GAP) * last).rstrip() + "\n")
    stream.write(line(list(columns)))
    count = 0
    for cells in sample:
        stream.write(line(cells))
        count += 1
    write = stream.write
    for row in rows:
        write(line([_cell(v) for v in row]))
        count += 1
    return count
