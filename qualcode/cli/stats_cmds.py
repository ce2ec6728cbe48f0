"""`qualcode stats ...`: frequencies, co-occurrence and code x transcript matrices.

Each command calls one core function (``qualcode.analysis``) and renders what it
returns: an aligned table for people, CSV (``--excel`` for Dutch Excel) or JSON for
programs. The definitions of the numbers live in the core modules' docstrings and
are summarised in each command's help.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import click

from ..display import DASH, percent
from .base import State, main, pass_state
from .export_cmds import COUNTED_ONCE, PROGRESS_MIN, resolve_selection, selection_options
from .render import (
    check_out,
    data_output,
    emit,
    excel_option,
    force_option,
    guard_option,
    note,
    out_option,
    print_rich,
    progress_bar,
    rich_fits,
    write_csv,
    write_json,
)

format_choice = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    help="Output: an aligned table (default on screen), CSV (default with --out or --excel) or JSON.",
)
# With several coders (the note of resolve_selection): what co-occurrence counts of their codings.
PAIRS_OF_CODERS = {
    "overlap": "every two overlapping codings are a pair, also when two coders made them",
    "turn": "a turn counts when it holds both codes, whichever coders coded them",
}
RICH_GROUP_COLUMNS = 38  # more columns than this are not drawn side by side (see _show_frequencies)


@main.group()
def stats() -> None:
    """Count and compare codings: frequencies, co-occurrence, code x transcript matrix."""


def _resolve_format(fmt: str | None, out: Path | None, excel: bool, force: bool) -> str:
    """The output format; a bad --out is refused here, before anything is counted."""
    check_out(out, force)
    if fmt is None:
        return "csv" if out is not None or excel else "table"
    if excel and fmt != "csv":
        raise click.UsageError("--excel writes CSV: leave out --format, or use --format csv")
    if out is not None and fmt == "table":
        raise click.UsageError("--out writes CSV or JSON: use --format csv or --format json")
    return fmt


def _write_csv(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], out: Path | None, force: bool, excel: bool, raw: bool
) -> None:
    with data_output(out, force=force, paged=True) as stream:
        count = write_csv(stream, columns, rows, excel=excel, neutralise=not raw)
    if out is not None:
        note(f"wrote {count} row(s) to {out}")


def _write_json(data: Any, out: Path | None, force: bool) -> None:
    with data_output(out, force=force, paged=True) as stream:
        write_json(stream, data)
    if out is not None:
        note(f"wrote {out}")


@stats.command("frequencies")
@click.option(
    "--by",
    metavar="transcript|speaker|role|ATTRIBUTE",
    help="Side by side per transcript, per speaker, per role (interviewer/respondent) or per value of a case attribute.",
)
@format_choice
@click.option(
    "--long", "long_", is_flag=True, help="CSV/JSON: one row per code and group (tidy data) instead of groups side by side."
)
@out_option
@click.option(
    "--chart",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE.svg",
    help="Also draw the bar chart as an SVG file for a report: segments per code, or with --by each group's coverage"
    " (an existing FILE needs --force).",
)
@force_option
@excel_option
@guard_option
@selection_options(codes=False)
@pass_state
def frequencies_cmd(
    state: State,
    by: str | None,
    fmt: str | None,
    long_: bool,
    out: Path | None,
    chart: Path | None,
    force: bool,
    excel: bool,
    raw: bool,
    transcripts: tuple[str, ...],
    where: tuple[str, ...],
) -> None:
    """Per code: codings, segments, transcripts, words and characters coded.

    \b
    Rolled up the code tree: a parent counts the codings of its sub-codes, and
    codings of one branch that overlap are one segment (their words and characters
    counted once). Codes that left the codebook are listed under (missing).
    transcript_share = transcripts with the code / transcripts in the group;
    coverage = coded words / the words of the group's turns (of a speaker's turns,
    with --by speaker; speaker labels, timestamps and headings are no words of a
    turn), so groups of unequal size can be compared. A word is a run of
    non-space characters; one cut by a coding's edge counts. Groups without
    codings are shown with zeros.
    """
    from ..analysis import frequencies, frequency_json, frequency_rows

    fmt = _resolve_format(fmt, out, excel, force)
    check_out(chart, force)
    if chart is not None and out is not None and chart.resolve() == out.resolve():
        raise click.UsageError("--chart and --out name the same file: give each its own")
    project = state.project()
    selection = resolve_selection(project, (), transcripts, where, counts=COUNTED_ONCE)
    with progress_bar("counting", minimum=PROGRESS_MIN) as progress:
        table = frequencies(project.store, project.codebook, selection, by=by, progress=progress)
    if chart is not None:
        from ..analysis.chart import frequency_chart
        from ..export.chart_svg import write_chart_svg

        drawn = frequency_chart(table)
        write_chart_svg(drawn, chart)
        note(f"wrote the chart ({drawn.title.lower()}, {len(drawn.labels)} code(s)) to {chart}")
    if fmt == "csv":
        _write_csv(*frequency_rows(table, long=long_), out, force, excel, raw)
    elif fmt == "json":
        if long_:
            columns, rows = frequency_rows(table, long=True)
            _write_json([dict(zip(columns, r, strict=True)) for r in rows], out, force)
        else:
            _write_json(frequency_json(table), out, force)
    else:
        _show_frequencies(table)


def _show_frequencies(table) -> None:
    """Groups side by side when they fit the screen; else one line per code and group, streamed."""
    if not table.groups or len(table.groups) * 3 + 2 <= RICH_GROUP_COLUMNS:
        rich = _frequency_table(table)
        if rich_fits(rich):
            print_rich(rich)
            return
    by = table.by or "group"
    emit(
        _frequency_lines(table),
        ["code", by, "segments", "codings", "transcripts", "share", "words", "coverage"],
        "table",
        right=("segments", "codings", "transcripts", "share", "words", "coverage"),
    )
    note(
        f"{table.total.transcripts} transcript(s), {table.total.words:,} words; one line per code and {by}"
        " (too many groups to show side by side; --format csv gives them as columns)"
    )


def _frequency_lines(table) -> Iterator[tuple]:
    for row in table.rows:
        name = "  " * row.code.depth + row.code.name
        for g in table.groups or [table.total]:
            m = row.in_group(g.name) if table.groups else row.total
            yield (
                name, g.name, m.segments, m.codings, f"{m.transcripts}/{g.transcripts}", percent(g.share(m)),
                f"{m.words:,}", percent(g.coverage(m), 1),
            )  # fmt: skip


def _frequency_table(table):
    from rich.table import Table

    caption = (
        f"{table.total.transcripts} transcript(s), {table.total.words:,} words · segments: overlapping codings of a"
        " branch count once · share: of the group's transcripts · coverage: of the group's words"
    )
    out = Table(box=None, header_style="bold", pad_edge=False, caption=caption, caption_justify="left")
    out.add_column("code", overflow="fold")
    numeric = {"justify": "right", "no_wrap": True}
    if not table.groups:
        for name in ("segments", "codings", "transcripts", "share", "words", "chars", "coverage"):
            out.add_column(name, **numeric)
        for row in table.rows:
            m, g = row.total, table.total
            out.add_row(
                _label(row.code),
                str(m.segments),
                str(m.codings),
                f"{m.transcripts}/{g.transcripts}",
                percent(g.share(m)),
                f"{m.words:,}",
                f"{m.chars:,}",
                percent(g.coverage(m), 1),
            )
        return out
    out.add_column("all\nsegments", **numeric)
    for g in table.groups:
        out.add_column(f"{_escaped(g.name)}\nsegments", justify="right", overflow="fold")
        out.add_column(f"n={g.transcripts}\ntranscripts", **numeric)
        out.add_column("\ncoverage", **numeric)
    for row in table.rows:
        cells = [_label(row.code), str(row.total.segments)]
        for g in table.groups:
            m = row.in_group(g.name)
            cells += [str(m.segments), f"{m.transcripts} {percent(g.share(m))}", percent(g.coverage(m), 1)]
        out.add_row(*cells)
    return out


def _escaped(text: str) -> str:
    """Data inside a rich table: never read as markup, never acting on the terminal."""
    from rich.markup import escape

    from ..termsafe import one_line

    return escape(one_line(text))


def _label(code) -> str:
    text = _escaped("  " * code.depth + code.name)
    return f"[bold]{text}[/]" if code.depth == 0 else text


@stats.command("cooccurrence")
@click.option(
    "--unit",
    type=click.Choice(["overlap", "turn"]),
    default="overlap",
    show_default=True,
    help="overlap: pairs of codings whose spans share text; turn: speaker turns holding both codes.",
)
@format_choice
@out_option
@force_option
@excel_option
@guard_option
@selection_options()
@pass_state
def cooccurrence_cmd(
    state: State,
    unit: str,
    fmt: str | None,
    out: Path | None,
    force: bool,
    excel: bool,
    raw: bool,
    codes: tuple[str, ...],
    transcripts: tuple[str, ...],
    where: tuple[str, ...],
) -> None:
    """Code x code matrix: how often two codes occur together.

    \b
    --unit overlap (default): a cell counts the pairs of a coding of one code and
    a coding of the other, in the same transcript, whose spans share at least
    one character; the diagonal is the number of codings of the code.
    --unit turn: a cell counts the speaker turns that overlap a coding of each
    code; the diagonal is the number of turns with the code.
    Codes as applied (not rolled up); only codes with codings are listed.
    """
    from ..analysis import cooccurrence

    fmt = _resolve_format(fmt, out, excel, force)
    project = state.project()
    selection = resolve_selection(project, codes, transcripts, where, counts=PAIRS_OF_CODERS[unit])
    with progress_bar("counting", minimum=PROGRESS_MIN) as progress:
        matrix = cooccurrence(project.store, project.codebook, selection, unit=unit, progress=progress)
    _emit_matrix(matrix, fmt, out, force, excel, raw, numbered=True)


@stats.command("matrix")
@click.option(
    "--by",
    default="transcript",
    show_default=True,
    metavar="transcript|speaker|role|ATTRIBUTE",
    help="The columns: transcripts, speakers, roles or values of a case attribute.",
)
@click.option(
    "--measure",
    type=click.Choice(["segments", "codings", "transcripts", "words", "chars", "coverage", "transcript_share"]),
    default="segments",
    show_default=True,
    help="What each cell counts (as in `qualcode stats frequencies`).",
)
@format_choice
@out_option
@force_option
@excel_option
@guard_option
@selection_options(codes=False)
@pass_state
def matrix_cmd(
    state: State,
    by: str,
    measure: str,
    fmt: str | None,
    out: Path | None,
    force: bool,
    excel: bool,
    raw: bool,
    transcripts: tuple[str, ...],
    where: tuple[str, ...],
) -> None:
    """Code x transcript matrix (or code x group with --by): one measure per cell.

    Rolled up like `qualcode stats frequencies`: a parent's row counts its
    sub-codes, overlapping codings of a branch count once.
    """
    from ..analysis import code_matrix

    fmt = _resolve_format(fmt, out, excel, force)
    project = state.project()
    selection = resolve_selection(project, (), transcripts, where, counts=COUNTED_ONCE)
    with progress_bar("counting", minimum=PROGRESS_MIN) as progress:
        matrix = code_matrix(project.store, project.codebook, selection, by=by, measure=measure, progress=progress)
    _emit_matrix(matrix, fmt, out, force, excel, raw, numbered=False)


def _emit_matrix(matrix, fmt: str, out: Path | None, force: bool, excel: bool, raw: bool, *, numbered: bool) -> None:
    from ..analysis import matrix_rows

    if fmt == "table":
        _show_matrix(matrix, numbered=numbered)
        return
    columns, rows = matrix_rows(matrix)
    if fmt == "csv":
        _write_csv(columns, rows, out, force, excel, raw)
    else:
        _write_json([dict(zip(columns, r, strict=True)) for r in rows], out, force)


def _show_matrix(matrix, *, numbered: bool) -> None:
    """The matrix when it fits the screen; else one line per cell, streamed."""
    if len(matrix.columns) + 1 <= RICH_GROUP_COLUMNS:
        rich = _matrix_table(matrix, numbered=numbered)
        if rich_fits(rich):
            print_rich(rich)
            return
    other = "with code" if matrix.kind == "cooccurrence" else "column"
    as_percent = matrix.unit in ("coverage", "transcript_share")
    lines = (
        ("  " * code.depth + code.name, column, _cell(value, as_percent))
        for code, cells in zip(matrix.rows, matrix.cells, strict=True)
        for column, value in zip(matrix.columns, cells, strict=True)
    )
    emit(lines, ["code", other, matrix.unit], "table", right=(matrix.unit,))
    from ..analysis.matrices import cells_caption

    note(
        f"one line per cell ({len(matrix.rows)} x {len(matrix.columns)}: too wide to show as a matrix; --format csv gives the matrix)"
        f" · {cells_caption(matrix)}"
    )


def _matrix_table(matrix, *, numbered: bool):
    """Rows labelled by code name; columns numbered like the rows (co-occurrence) or by group."""
    from rich.table import Table

    from ..analysis.matrices import cells_caption

    table = Table(box=None, header_style="bold", pad_edge=False, caption=cells_caption(matrix), caption_justify="left")
    table.add_column("code", overflow="fold")
    labels = [str(i) for i in range(1, len(matrix.columns) + 1)] if numbered else [_escaped(c) for c in matrix.columns]
    for label in labels:
        table.add_column(label, justify="right", overflow="fold")
    as_percent = matrix.unit in ("coverage", "transcript_share")
    for i, (code, cells) in enumerate(zip(matrix.rows, matrix.cells, strict=True), 1):
        name = _label(code)
        name = f"{i:>2} {name}" if numbered else name
        table.add_row(name, *(_cell(v, as_percent) for v in cells))
    return table


def _cell(value, as_percent: bool) -> str:
    if value is None:
        return DASH
    if as_percent:
        return percent(value, 1)
    return f"{value:,}" if value else "·"
