"""Command output: messages for people, listings as tables, CSV or JSON.

Data goes to stdout; diagnostics (progress, warnings, notes, errors) go to stderr.
Every CLI output path goes through this module:

* :func:`echo`, :func:`note`, :func:`warn` - lines for people, always made
  terminal-safe (:mod:`qualcode.termsafe`): a name or memo cannot move the cursor,
  clear the screen or reorder text.
* :func:`data_output` - the stream data is written to: ``--out`` (atomically),
  else stdout in UTF-8 whatever the locale; on a terminal it is made
  terminal-safe and long output is paged as ``git log`` does; to a file or a
  pipe it is written exactly.
* :func:`emit` - a listing, streamed: rows are written as they come, never all
  built first (see :mod:`qualcode.cli.table`).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import chain, islice
from pathlib import Path
from typing import IO

import click

from ..display import shorten
from ..errors import NO_ANSWER, error
from ..termsafe import terminal_safe

FORMATS = ("table", "csv", "json")
FORMAT_HELP = "Output format: an aligned table (for people), CSV (RFC 4180) or JSON."

format_option = click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True, help=FORMAT_HELP)


def _dash_is_stdout(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path | None:
    """``-o -`` means stdout, as ``--from -`` means stdin (not a file named ``-``)."""
    return None if value is not None and str(value) == "-" else value


class _Id(click.ParamType):
    """A whole number that fits the store's 64-bit ids (a longer one overflowed SQLite, a traceback)."""

    name = "integer"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> int:
        number = click.INT.convert(value, param, ctx)
        if not -(2**63) <= number < 2**63:
            self.fail(f"{value} is too large: no id or number here has more than 18 digits", param, ctx)
        return number


ID = _Id()


def distinct(ctx: click.Context, param: click.Parameter, values: tuple) -> tuple:
    """The ids given, each once, in their order (``accept 5 5`` decides 5 once: the second was
    'already accepted', exit 1, or a second undo step). For an argument of ``nargs=-1``."""
    return tuple(dict.fromkeys(values))


out_option = click.option(
    "--out",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path, allow_dash=True),
    callback=_dash_is_stdout,
    help="Write to FILE (replaced only once complete; - for stdout) instead of stdout; an existing FILE needs --force.",
)


def _file_only(_ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """``-o -`` for an output that is a file only (a zip archive): say so, rather than "name the file"."""
    if value is not None and str(value) == "-":
        raise click.BadParameter(NO_STDOUT, param=param)
    return value


NO_STDOUT = "this output is a zip archive and cannot go to standard output: name a file, e.g. -o project.qdpx"
file_out_option = click.option(
    "--out",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    callback=_file_only,
    help="Write to FILE (replaced only once complete); an existing FILE needs --force.",
)
force_option = click.option("--force", "-f", is_flag=True, help="Replace the --out file if it exists.")
excel_option = click.option(
    "--excel",
    is_flag=True,
    help="CSV for Excel with a Dutch locale: UTF-8 with BOM, ';' separator, decimal commas.",
)
guard_option = click.option(
    "--no-neutralise",
    "raw",
    is_flag=True,
    help="CSV: write text cells exactly as stored, without the leading ' that stops spreadsheets"
    " from running text starting with = + - @ (or a tab or CR) as a formula.",
)


# --- messages for people --------------------------------------------------------------


def echo(message: str = "", *, err: bool = False, nl: bool = True) -> None:
    """A line for people (stdout, or stderr with ``err``), with control characters made visible."""
    click.echo(terminal_safe(message), err=err, nl=nl)


def note(message: str) -> None:
    """A diagnostic line on stderr."""
    echo(message, err=True)


def warn(message: str) -> None:
    styled("warning: ", message, err=True, fg="yellow")


# A memo may start with '-' ("- eerste punt", "-2 punten"): a command given these settings
# does not read it as an option; one that looks like an option ("--cleer") is refused as
# one all the same (refuse_option_like).
MEMO_TEXT = {"ignore_unknown_options": True}
_OPTION_LIKE = re.compile(r"--?[A-Za-z][\w-]*")


def refuse_option_like(text: str | None) -> None:
    """A TEXT argument that is an option mistyped (see MEMO_TEXT): a usage error, not a memo."""
    if text is not None and _OPTION_LIKE.fullmatch(text):
        raise click.UsageError(f"no such option: {text}")


def confirm(question: str, *, what: str, flag: str = "--yes") -> None:
    """Ask before a step that cannot be undone (on stderr); stop (exit 1) unless the answer is
    yes: "cancelled" after a no, NO_ANSWER when the input ends first (a script, a pipe) rather
    than click's bare "Aborted!". ``what``: the step, for the message; ``flag``: the option
    that skips the question."""
    try:
        answer = click.confirm(question, default=False, err=True)
    except click.Abort:  # the input ended (or Ctrl+C): nobody answered
        click.echo(err=True)
        raise error(NO_ANSWER, what=what, flag=flag) from None
    if not answer:
        note(f"cancelled: {what} not done")
        raise SystemExit(1)


def memo_command(
    what: str,
    current: str | None,
    text: str | None,
    *,
    clear: bool,
    yes: bool,
    set_memo: Callable[[str | None], object],
    draft: tuple[str, str] | None,
    where: str,
) -> None:
    """Show, set (``text``) or clear (``clear``, asking first unless ``yes``) the memo of ``what``,
    and say when an unsaved draft of it is kept (``where``: the app's key that opens it)."""
    refuse_option_like(text)
    if clear and text is not None:
        raise click.UsageError("give TEXT or --clear, not both")
    if clear:
        if not current:
            echo(f"{what} has no memo; nothing to clear")
            return
        if not yes:
            echo(f"memo of {what} ({len(current):,} characters): {shorten(current, 70)!r}", err=True)
            confirm("clear it?", what=f"clearing the memo of {what}")
        set_memo(None)
        echo(f"cleared the memo of {what}")
        return
    if text is not None:
        set_memo(text)
        current = text or None
    echo(current or "")
    if draft and draft[0].strip() != (current or "").strip():
        note(
            f"an unsaved draft of this memo ({len(draft[0]):,} characters, written {draft[1]}) is kept:"
            f" {shorten(draft[0], 70)!r}; open the memo in the app ({where}) to save or discard it"
        )


def styled(label: str, message: str, *, err: bool = False, **style: object) -> None:
    """``label`` in a style, then ``message`` (terminal-safe): ``error: ...``, ``hint: ...``.

    Without colours when ``NO_COLOR`` is set (https://no-color.org; click itself ignores
    it) or ``TERM=dumb``; click drops them anyway off a terminal.
    """
    plain = os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb"
    click.echo((label if plain else click.style(label, **style)) + terminal_safe(message), err=err)


# --- where data goes ----------------------------------------------------------------------


class _TerminalSafe(io.TextIOBase):
    """A text stream that makes control characters visible before passing text on."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        # CSV ends its lines with CRLF (RFC 4180): on a screen that is a line end, not a
        # "\x0d" at the end of every line. A lone CR (which would overwrite the line) stays visible.
        self._stream.write(terminal_safe(text.replace("\r\n", "\n")))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


@contextmanager
def _pager() -> Iterator[IO[str]]:
    """stdout through the user's pager, as ``git log`` pages: $PAGER, else ``less``.

    ``LESS=FRX`` unless the user set LESS: quit at once if it fits one screen,
    keep colours, leave the text on screen. ``PAGER=`` (empty) or ``cat`` turns
    paging off. A reader who quits the pager early ends the output quietly.
    """
    pager = os.environ.get("PAGER")
    if pager is not None and pager.strip() in ("", "cat"):
        with _stdout_text() as stream:
            yield stream
        return
    saved = os.environ.get("LESS")
    if saved is None:
        os.environ["LESS"] = "FRX"
    try:
        with click.get_pager_file() as stream:
            yield stream
    finally:
        if saved is None:
            os.environ.pop("LESS", None)


@contextmanager
def _stdout_text() -> Iterator[IO[str]]:
    """stdout as UTF-8 text whatever the locale says (the caller's stdout stays open)."""
    binary = getattr(sys.stdout, "buffer", None)
    if binary is None:  # stdout replaced by a text-only stream: it handles encoding itself
        yield sys.stdout
        return
    sys.stdout.flush()
    stream = io.TextIOWrapper(binary, encoding="utf-8", newline="", write_through=False)
    try:
        yield stream
        stream.flush()
    finally:
        stream.detach()  # leave sys.stdout's buffer open for click and the caller


@contextmanager
def data_output(out: Path | None = None, *, force: bool = True, paged: bool = False) -> Iterator[IO[str]]:
    """The stream a command writes its data to.

    ``out``: that file, written atomically (refused if it exists, unless ``force``).
    Otherwise stdout: exact bytes to a file or a pipe; on a terminal, made
    terminal-safe and, with ``paged``, through the pager.
    """
    if out is not None:
        from ..export import atomic_output

        check_out(out, force)
        with atomic_output(out) as handle:
            yield handle
        return
    if not stdout_is_terminal():
        with _stdout_text() as stream:
            yield stream
        return
    with _pager() if paged else _stdout_text() as stream:
        safe = _TerminalSafe(stream)
        try:
            yield safe
        except BrokenPipeError:
            pass  # the reader quit the pager: not an error


def check_out(out: Path | None, force: bool) -> None:
    """Refuse a bad ``--out`` before any work: no name, a project's own file, a missing folder,
    or an existing file without ``--force`` (one rule for every command; see :mod:`qualcode.output_target`)."""
    if out is not None:
        from ..output_target import check_output

        check_output(out, force)


# --- listings -------------------------------------------------------------------------------


def listing_format(fmt: str, excel: bool) -> str:
    """A listing's ``--format`` with ``--excel``: CSV (the default table gives way; JSON is refused)."""
    if not excel:
        return fmt
    if fmt == "json":
        raise click.UsageError("--excel writes CSV: leave out --format, or use --format csv")
    return "csv"


def emit(
    rows: Iterable[Sequence[object]],
    columns: Sequence[str],
    fmt: str,
    *,
    title: str | None = None,
    right: Sequence[str] = (),
    widths: Mapping[str, int] | None = None,
    neutralise: bool = True,
    excel: bool = False,
    paged: bool = True,
    slow: bool = False,
    exact_widths: bool = False,
    count: int | None = None,
) -> int:
    """Write a listing to stdout in the chosen format, streaming its rows; returns how many.

    ``rows`` may be a generator: nothing is built before the first row is written.
    CSV goes through the one safe writer (:class:`qualcode.export.CsvWriter`:
    formula guard unless ``neutralise`` is off, RFC 4180 quoting; ``excel``: as Dutch Excel
    opens it, see :func:`listing_format`); JSON is an array
    of objects; a table is aligned (``widths`` gives known column widths, e.g. the
    longest transcript name, so a streamed table needs no look ahead; with
    ``exact_widths`` they are every column's width and no row is read ahead to
    measure). ``slow``: each row takes a while to compute, so each is shown as it
    comes, not a bufferful at a time. ``count``: how many rows will come, when known
    (see :func:`write_table`).
    """
    if fmt == "table":
        return write_table(
            rows,
            columns,
            title=title,
            right=right,
            widths=widths,
            paged=paged,
            slow=slow,
            exact_widths=exact_widths,
            count=count,
        )
    with data_output(paged=paged) as stream:
        if slow:
            rows = _flushed(rows, stream)
        if fmt == "csv":
            return write_csv(stream, columns, rows, excel=excel, neutralise=neutralise)
        return write_json_rows(stream, columns, rows)


def write_csv(
    stream: IO[str], columns: Sequence[str], rows: Iterable[Sequence[object]], *, excel: bool = False, neutralise: bool = True
) -> int:
    """Header and rows through the one safe CSV writer; returns the number of rows."""
    from ..export import CsvStyle, CsvWriter

    writer = CsvWriter(stream, CsvStyle(excel=excel, neutralise=neutralise))
    writer.header(columns)
    return writer.rows(rows)


def write_json_rows(stream: IO[str], columns: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """A JSON array of one object per row, one object per line, written as the rows come.

    One line per object (not ``indent=2``): the C encoder only runs without indent,
    and a listing of 200,000 codings is then as fast to write as its CSV.
    """
    encode = json.JSONEncoder(ensure_ascii=False).encode
    count = 0
    write = stream.write
    for row in rows:
        write(("[\n  " if count == 0 else ",\n  ") + encode(dict(zip(columns, row, strict=True))))
        count += 1
    write("\n]\n" if count else "[]\n")
    return count


def write_json(stream: IO[str], data: object) -> None:
    json.dump(data, stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def write_json_streamed(stream: IO[str], data: Mapping[str, object], key: str, items: Iterable[object]) -> None:
    """:func:`write_json` of ``data`` with ``key`` last holding ``items``, the same bytes, each
    item written (and flushed) as it comes: a listing whose rows take a while to compute."""
    head = json.dumps({**data, key: []}, ensure_ascii=False, indent=2)
    stream.write(head[: -len("[]\n}")])
    count = 0
    for item in items:
        # An item of the list under a key of the top object: indented two levels. JSON text
        # has no line break but the indentation's (those in strings are escaped).
        text = json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n    ")
        stream.write(("[\n    " if count == 0 else ",\n    ") + text)
        stream.flush()
        count += 1
    stream.write("\n  ]\n}\n" if count else "[]\n}\n")


class Progress:
    """A progress bar on stderr when it is a terminal; silent otherwise (pipes, tests).
    Called as ``progress(done, total)`` or ``progress(done, total, what)`` (shown beside
    the bar); no bar for a total below ``minimum`` (a run that takes well under a second).
    With ``ending``, the bar ends when ``done`` reaches ``total`` (and stays ended), so
    that another bar can follow it while both are open."""

    def __init__(self, label: str, *, minimum: int = 0, ending: bool = False) -> None:
        self.label = label
        self.minimum = minimum
        self.ending = ending
        self.bar = None
        self.done = 0
        self.finished = False

    def __enter__(self) -> Progress:
        return self

    def __call__(self, done: int, total: int, what: str = "") -> None:
        stream = sys.stderr
        if self.finished or total < self.minimum or not stream.isatty():
            return
        if self.bar is None:
            self.bar = click.progressbar(length=max(total, 1), label=self.label, file=stream, show_pos=True)
            self.bar.__enter__()
        if what:
            self.bar.label = f"{self.label}: {shorten(what, 30):30}"
        self.bar.update(done - self.done)
        self.done = done
        if self.ending and done >= total:
            self.__exit__()

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
            self.finished = True


@contextmanager
def progress_bar(label: str, *, minimum: int = 0) -> Iterator[Progress | None]:
    """A :class:`Progress` while the block runs, or None when stderr is no terminal (the
    caller's work can then skip reporting altogether)."""
    if not sys.stderr.isatty():
        yield None
        return
    with Progress(label, minimum=minimum) as progress:
        yield progress


def write_table(
    rows: Iterable[Sequence[object]],
    columns: Sequence[str],
    *,
    title: str | None = None,
    right: Sequence[str] = (),
    widths: Mapping[str, int] | None = None,
    paged: bool = True,
    slow: bool = False,
    exact_widths: bool = False,
    count: int | None = None,
) -> int:
    """Write rows to stdout as an aligned table (:mod:`qualcode.cli.table`); returns the number of rows.

    On a terminal, a table that fits the screen is drawn by rich; a longer one is
    streamed through the pager (with ``paged``). ``count``, when the caller knows how
    many rows will come: a table known to be longer than the screen starts at once,
    instead of after a screenful of rows is read to see whether it fits.
    """
    from .table import SAMPLE, rich_table, streamed

    rows = iter(rows)
    if stdout_is_terminal():
        size = shutil.get_terminal_size()
        fits = max(size.lines - 3 - (title is not None), 5)
        if count is None or count <= fits:  # does it fit? read a screenful to see
            head = list(islice(rows, fits + 1))
            if len(head) <= fits:
                print_rich(rich_table(head, columns, title, right), width=size.columns)
                return len(head)
            rows = chain(head, rows)
    with data_output(paged=paged) as stream:
        rows = _flushed(rows, stream) if slow else rows
        return streamed(stream, rows, columns, title, right, widths or {}, 0 if exact_widths else SAMPLE)


def _flushed(rows: Iterable[Sequence[object]], stream: IO[str]) -> Iterator[Sequence[object]]:
    """``rows``, with what is written flushed before the next one is computed."""
    for row in rows:
        yield row
        stream.flush()


RICH_MAX_COLUMNS = 40  # wider tables are never drawn by rich: measuring them is the slow part
ELLIPSIS = "\u2026"  # what rich ends a cut cell with


def rich_fits(table) -> bool:
    """Whether a rich table fits the screen (any width fits a file or a pipe)."""
    if len(table.columns) > RICH_MAX_COLUMNS:
        return False
    if not stdout_is_terminal():
        return True
    from rich.console import Console

    # Rich's own measure is capped at the screen's width (every table "fitted"), and
    # where the columns do not fit it cuts cells, numbers too ("8…"), or drops the label
    # column: on a narrow terminal (COLUMNS=20) the counts were unreadable. Rich folds long
    # names onto more lines, which is fine; a cut shows as an ellipsis it added. So the
    # table is drawn once off-screen (tables here are at most a few hundred short rows).
    width = shutil.get_terminal_size().columns
    drawn = io.StringIO()
    Console(file=drawn, width=width, color_system=None, highlight=False).print(table)
    own = sum(str(cell).count(ELLIPSIS) for column in table.columns for cell in (column.header, *column.cells))
    return drawn.getvalue().count(ELLIPSIS) <= own


def print_rich(renderable, *, width: int | None = None) -> None:
    """Print a rich table (or other renderable) to stdout, ``width`` wide (default: the
    terminal's); off a terminal, never wrapped.

    Through the same UTF-8 stream as every listing: with rich's own (``sys.stdout`` in
    the locale's encoding) a Dutch name on an ASCII or Latin-1 stdout was a traceback.
    """
    from rich.console import Console

    terminal = stdout_is_terminal()
    with _stdout_text() as stream:
        if width is not None:
            console = Console(file=stream, width=width, highlight=False)
        else:
            console = Console(file=stream, width=None if terminal else 10_000, soft_wrap=not terminal, highlight=False)
        console.print(renderable)
