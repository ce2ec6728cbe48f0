"""CSV output that R, SPSS, pandas and (Dutch) Excel all read correctly.

* **Standard** (default): RFC 4180 through the ``csv`` module - comma separator,
  CRLF line ends, fields with a quote, separator or newline quoted and quotes
  doubled. UTF-8 without a byte-order mark.
* **Excel** (``--excel``): what Excel with a Dutch (or Belgian) locale opens with a
  double click: UTF-8 *with* a byte-order mark (without it Excel guesses
  Windows-1252 and garbles é, ï, ë), ``;`` as separator (the comma is the
  decimal separator there) and decimal commas in numbers (``0,25``; a
  ``0.25`` would become text, or a date).

Formula injection: a spreadsheet runs a cell starting with ``=``, ``+``, ``-`` or
``@`` (and, in some versions, a tab or CR) as a formula - a segment of an interview
can start with any of these (``- ja, klopt``). Such text cells get a leading
apostrophe (``'- ja, klopt``), which Excel and LibreOffice show as the literal
text; numbers are never touched. The full-width look-alikes (``＝`` ...) are
treated the same. ``neutralise=False`` turns this off for R and pandas users who
want the text exactly as stored.

Writing to a file goes through a temporary file in the same folder that is renamed
over the target only when everything was written: an interrupted or failed export
never leaves a half-written file, and an existing file stays as it was.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

from ..atomic import atomic_open
from ..errors import OUTPUT_UNWRITABLE, error, write_error

FORMULA_STARTS = frozenset("=+-@\t\r＝＋－＠")
HARMLESS = frozenset({"-", "+"})  # a lone sign is no formula: listings use "-" for "none"
BOM = "\ufeff"


@dataclass(frozen=True, slots=True)
class CsvStyle:
    """How cells are written: separator, BOM, decimal comma, injection guard."""

    excel: bool = False
    neutralise: bool = True

    @property
    def delimiter(self) -> str:
        return ";" if self.excel else ","


def neutralise(value: str) -> str:
    """Prefix an apostrophe to text a spreadsheet would run as a formula."""
    return "'" + value if value and value[0] in FORMULA_STARTS and value not in HARMLESS else value


class CsvWriter:
    """``csv.writer`` with qualcode's cell rules (the BOM, if any, is written at once)."""

    def __init__(self, stream: IO[str], style: CsvStyle = CsvStyle()) -> None:
        self.style = style
        if style.excel:
            stream.write(BOM)
        self._writer = csv.writer(stream, delimiter=style.delimiter, lineterminator="\r\n")
        self._excel = style.excel
        self._neutralise = style.neutralise
        self._guarded = FORMULA_STARTS if style.neutralise else frozenset()  # first characters guarded
        self._stream = stream
        # What makes ``csv`` (QUOTE_MINIMAL, doubled quotes, CRLF line ends) quote a field.
        self._needs_quotes = re.compile(f'[{re.escape(style.delimiter)}"\r\n]').search

    def header(self, columns: Sequence[str]) -> None:
        self._writer.writerow(self.cells(columns))

    def cells(self, row: Sequence[Any]) -> list[Any]:
        """One row's cells as written: text guarded, decimals localised (None is written empty).

        One comprehension per row, not a loop with appends: exports call this for
        every coding, and it was the largest cost after the csv module itself.
        """
        if self._neutralise:
            # Text guarded first, numbers localised after: a negative number ('-0,25') is no
            # formula, and an apostrophe would make Excel read it as text.
            row = [("'" + v if v[:1] in FORMULA_STARTS and v not in HARMLESS else v) if v.__class__ is str else v for v in row]
        if self._excel:
            return [repr(v).replace(".", ",") if v.__class__ is float else v for v in row]
        return list(row)

    def cell(self, value: Any) -> Any:
        """One cell as written (see :meth:`cells`; in the same order: guarded, then localised)."""
        if self._neutralise and value.__class__ is str and value[:1] in FORMULA_STARTS and value not in HARMLESS:
            return "'" + value
        if self._excel and value.__class__ is float:
            return repr(value).replace(".", ",")
        return value

    def row(self, row: Sequence[Any]) -> None:
        self._writer.writerow(self.cells(row))

    def rows(self, rows: Iterable[Sequence[Any]]) -> int:
        """Write every row of an iterable (consumed lazily: it may be a stream); returns how many."""
        counter = itertools.count()
        # zip advances the counter once per row, all in C: no Python loop per row.
        self._writer.writerows(map(self.cells, map(itemgetter(0), zip(rows, counter, strict=False))))
        return next(counter)

    # --- rows assembled from pre-formatted fields (for exports of every coding) ---------------------
    #
    # A segments export repeats most of a row (a transcript's attributes, a place in its
    # turns, a code's path) for thousands of codings: those fields are formatted once
    # (:meth:`fields`) and each row is one f-string of them and the few values that
    # change (:meth:`field`), written with :meth:`lines`. The result is what ``csv``
    # writes (tests compare the two on arbitrary text).

    def field(self, value: Any) -> str:
        """One value as ``csv`` writes it in a row of several: cell rules applied, quoted when needed."""
        if value.__class__ is str:
            # Text (nearly every call): the guard of :meth:`cell` inline, as exports call this per coding.
            if value[:1] in self._guarded and value not in HARMLESS:
                value = "'" + value
            if self._needs_quotes(value) is None:
                return value
            return '"' + value.replace('"', '""') + '"'
        if value is None:
            return ""
        value = self.cell(value)
        if value is None:
            return ""
        if value.__class__ is not str:
            return str(value)
        if self._needs_quotes(value) is None:
            return value
        return '"' + value.replace('"', '""') + '"'

    def fields(self, values: Sequence[Any]) -> str:
        """Several values as consecutive fields (:meth:`field`, joined by the separator)."""
        return self.style.delimiter.join(map(self.field, values))

    def lines(self, lines: Iterable[str]) -> None:
        """Write whole lines (each ending in ``\\r\\n``) built from :meth:`field`/:meth:`fields`."""
        self._stream.writelines(lines)


@contextmanager
def atomic_output(path: Path) -> Iterator[IO[str]]:
    """A text stream whose content replaces ``path`` only if the block succeeds (see :mod:`qualcode.atomic`)."""
    path = Path(path)
    if path.is_dir():
        raise error(OUTPUT_UNWRITABLE, path=path, reason="it is a folder")
    try:
        with atomic_open(path, "w", encoding="utf-8", newline="") as handle:
            yield handle
    except OSError as exc:
        raise write_error(OUTPUT_UNWRITABLE, path, exc) from None
