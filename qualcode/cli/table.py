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

import shutil
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import chain, islice
from typing import IO

from ..termsafe import one_line

SAMPLE = 200  # rows read ahead to size the columns of a streamed table
GAP = "  "  # between columns, as rich's box-less tables have


def _cell(value: object) -> str:
    if value is None:
        return ""
    text = value if value.__class__ is str else str(value)
    return text if text.isprintable() else one_line(text)  # isprintable: a fast C check for the usual case


def write_table(
    rows: Iterable[Sequence[object]],
    columns: Sequence[str],
    *,
    title: str | None = None,
    right: Sequence[str] = (),
    widths: Mapping[str, int] | None = None,
    paged: bool = True,
) -> int:
    """Write rows to stdout as an aligned table; returns the number of rows.

    On a terminal, a table that fits the screen is drawn by rich; a longer one is
    streamed through the pager (with ``paged``).
    """
    from .render import data_output, stdout_is_terminal

    rows = iter(rows)
    if stdout_is_terminal():
        size = shutil.get_terminal_size()
        fits = max(size.lines - 3 - (title is not None), 5)
        head = list(islice(rows, fits + 1))
        if len(head) <= fits:
            return _rich_table(head, columns, title, right, size.columns)
        rows = chain(head, rows)
    with data_output(paged=paged) as stream:
        return _streamed(stream, rows, columns, title, right, widths or {})


def _rich_table(rows: list, columns: Sequence[str], title: str | None, right: Sequence[str], width: int) -> int:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(one_line(title)) if title else None, box=None, header_style="bold", pad_edge=False)
    for column in columns:
        table.add_column(column, justify="right" if column in right else "left", overflow="fold")
    for row in rows:
        table.add_row(*(Text(_cell(v)) for v in row))  # Text: data is never read as rich markup
    Console(width=width, highlight=False).print(table)
    return len(rows)


def _streamed(
    stream: IO[str],
    rows: Iterator[Sequence[object]],
    columns: Sequence[str],
    title: str | None,
    right: Sequence[str],
    hints: Mapping[str, int],
) -> int:
    sample = [[_cell(v) for v in row] for row in islice(rows, SAMPLE)]
    widths = [max(len(name), hints.get(name, 0), *(len(r[i]) for r in sample)) for i, name in enumerate(columns)]
    last = len(columns) - 1
    # One format string for the whole table: str.format pads every cell in C.
    template = GAP.join(
        f"{{:>{widths[i]}}}" if name in right else (f"{{:<{widths[i]}}}" if i < last else "{}")
        for i, name in enumerate(columns)
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


RICH_MAX_COLUMNS = 40  # wider tables are never drawn by rich: measuring them is the slow part


def rich_fits(table) -> bool:
    """Whether a rich table fits the screen (any width fits a file or a pipe)."""
    from .render import stdout_is_terminal

    if len(table.columns) > RICH_MAX_COLUMNS:
        return False
    if not stdout_is_terminal():
        return True
    from rich.console import Console

    width = shutil.get_terminal_size().columns
    return Console(width=width).measure(table).maximum <= width


def print_rich(renderable) -> None:
    """Print a rich table (or other renderable) to stdout; off a terminal, never wrapped."""
    from rich.console import Console

    from .render import stdout_is_terminal

    terminal = stdout_is_terminal()
    Console(width=None if terminal else 10_000, soft_wrap=not terminal, highlight=False).print(renderable)
