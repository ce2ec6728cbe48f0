"""The ``attributes.csv`` sidecar: case attributes per transcript file.

::

    file;respondent_type;gemeente
    01_al_amal_vrijwilliger.txt;migrantenorganisatie;Utrecht
    02_cjg_wijkcoach.txt;professional;Utrecht

The ``file`` column names the transcript (file name, or its stem); every other
column is an attribute. Excel in a Dutch locale writes ``;``, elsewhere ``,``:
the separator is sniffed from the header line. Blank cells are left out, so a
transcript simply lacks that attribute.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from pathlib import Path

from qualcode.errors import ATTRIBUTES_TEXT, BAD_ATTRIBUTES, QualcodeError, error
from qualcode.ingest.decode import decode
from qualcode.ingest.paths import TRANSCRIPT_LIMIT, read_bytes
from qualcode.termsafe import normal_name

FILE_COLUMN = "file"
CODINGS_COLUMNS = ("file", "turn", "code")  # and optionally text, memo, coder
_SEPARATORS = (";", ",", "\t")
_HEADER_HINT = (
    "the first line names the columns: file;respondent_type;gemeente... for attributes,"
    " file,turn,code[,text,memo,coder] for codings"
)

Fail = Callable[..., QualcodeError]


def read_csv_rows(path: Path, fail: Fail, encoding: str | None = None) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-blank rows (with the line each starts on) of a CSV file.

    UTF-8 with or without BOM, else ``encoding`` (the ``--encoding`` of the transcripts
    it comes with: Excel saves a sheet in Windows-1252 as Word saves a transcript; a sheet
    that is UTF-8 beside cp1252 transcripts is still read as UTF-8); see :func:`csv_rows`.
    """
    data = read_bytes(
        path, TRANSCRIPT_LIMIT, noun="an attributes file", hint="check that this is the attributes sheet (one row per transcript)"
    )
    if encoding is not None and _utf8(data):
        encoding = None
    text, _ = decode(data, path, encoding, what=ATTRIBUTES_TEXT)
    return csv_rows(text, fail)


def _utf8(data: bytes) -> bool:
    """Whether a sheet is UTF-8 text: not UTF-16 or UTF-32 without a byte-order mark, whose
    ASCII is valid UTF-8 too, with a NUL beside every letter (no text CSV holds a NUL)."""
    if b"\0" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def csv_rows(text: str, fail: Fail) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-blank rows (with the line each starts on) of a CSV text.

    ``;``, ``,`` or tab separated, as the header line shows (Excel in a Dutch locale
    writes ``;``). Cells are stripped. ``fail(line, problem, hint)`` builds the error
    for a malformed file.
    """
    text = text.lstrip("\ufeff")
    header_line = text.partition("\n")[0]
    separator = max(_SEPARATORS, key=header_line.count)
    if not any(sep in header_line for sep in _SEPARATORS):
        separator = ","
    # strict: a quote left open must not swallow the rest of the file into one value.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    rows: list[tuple[int, list[str]]] = []
    last = 0
    try:
        header = [cell.strip() for cell in next(reader, [])]
        last = reader.line_num
        for row in reader:
            # A quoted value may span lines: report the line where the row starts.
            line, last = last + 1, reader.line_num
            cells = [cell.strip() for cell in row]
            if any(cells):
                rows.append((line, cells))
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise fail(
                last + 1,
                'a quote (") opened on this line is never closed, so the rest of the file would be one value',
                "close the quote, or remove it (a value needs quotes only when it holds the separator, a quote or a line break)",
            ) from None
        if "field limit" in str(exc):
            # Where the row starts: a quote left open there has swallowed the lines up to here.
            raise fail(
                last + 1,
                f"a value starting on this line runs on past {csv.field_size_limit():,} characters",
                'a quote (") opened on this line and never closed makes the lines after it one value: close it'
                " (a value this long cannot be read)",
            ) from None
        raise fail(reader.line_num, f"cannot read the CSV: {exc}", "check the quotes on this line") from None
    return header, rows


def is_codings_header(header: list[str]) -> bool:
    """True for the header of a codings CSV (``file``, ``turn`` and ``code`` columns, any case)."""
    names = {name.strip().casefold() for name in header}
    return all(column in names for column in CODINGS_COLUMNS)


def csv_header(path: Path, encoding: str | None = None) -> list[str]:
    """The column names of a CSV file (empty for an empty file), to tell what it holds."""
    shown = str(path)

    def fail(line: int, problem: str, hint: str = "") -> QualcodeError:
        return error(BAD_ATTRIBUTES, path=shown, line=line, problem=problem, hint=hint or _HEADER_HINT)

    return read_csv_rows(path, fail, encoding)[0]


class AttributeRows(dict[str, dict[str, str]]):
    """``{file name: {attribute: value}}`` as an attributes CSV has them, with the line of each
    file's row (``lines``), so that a row naming no transcript can be pointed at."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[str, int] = {}


def read_attributes_csv(path: Path, *, encoding: str | None = None) -> AttributeRows:
    """Read an attributes sidecar into ``{file name: {attribute: value}}`` (and its lines).

    See :func:`read_csv_rows` for encodings and separators. Raises BAD_ATTRIBUTES
    (with the line number) for a missing ``file`` column, empty or duplicate column
    names, a file listed twice, a row without a file name or with more values than
    columns; the decoding errors of :func:`qualcode.ingest.decode.decode` for
    unreadable bytes.
    """
    path = Path(path)
    shown = str(path)

    def fail(line: int, problem: str, hint: str = "") -> QualcodeError:
        return error(BAD_ATTRIBUTES, path=shown, line=line, problem=problem, hint=hint or _HEADER_HINT)

    header, rows = read_csv_rows(path, fail, encoding)
    # An attribute's name and value are one line each, as names are kept (a cell that held a
    # line break or a control character made a column nobody could name in --by or --where).
    columns = _check_header([normal_name(name) for name in header], fail)
    table = AttributeRows()
    first_seen = table.lines
    file_index = columns.index(FILE_COLUMN)
    for line, cells in rows:
        extra = cells[len(columns) :]
        if any(extra):
            raise fail(line, f"{len(cells)} values but only {len(columns)} columns", "quote values that contain the separator")
        name = cells[file_index] if file_index < len(cells) else ""
        if not name:
            raise fail(line, "no file name in the 'file' column", "give each row the transcript's file name")
        if name in first_seen:
            raise fail(line, f"'{name}' is listed twice (first on line {first_seen[name]})", "keep one row per file")
        first_seen[name] = line
        table[name] = {
            column: value
            for column, cell in zip(columns, cells, strict=False)
            if column and column != FILE_COLUMN and (value := normal_name(cell))
        }
    return table


def _check_header(header: list[str], fail: Fail) -> list[str]:
    """Validate the header; return the column names ('file' lower-cased)."""
    # Excel leaves empty trailing columns behind; forgive those, not gaps.
    header = list(header)
    while header and not header[-1]:
        header.pop()
    if not header:
        raise fail(1, "the header line is empty")
    for number, name in enumerate(header, start=1):
        if not name:
            raise fail(1, f"column {number} has no name")
    columns = [FILE_COLUMN if name.casefold() == FILE_COLUMN else name for name in header]
    seen: set[str] = set()
    for name in columns:
        if name.casefold() in seen:
            raise fail(1, f"column '{name}' appears twice")
        seen.add(name.casefold())
    if FILE_COLUMN not in columns:
        raise fail(1, f"no '{FILE_COLUMN}' column (found: {', '.join(header)})")
    return columns


def lookup_attributes(table: Mapping[str, Mapping[str, str]], path: Path) -> dict[str, str]:
    """The attributes for transcript ``path``: matched by file name, then by stem."""
    key = attribute_key(table, path)
    return dict(table[key]) if key is not None else {}


def attribute_key(table: Mapping[str, Mapping[str, str]], path: Path) -> str | None:
    """The row of ``table`` that names transcript ``path`` (file name, then stem), or None."""
    path = Path(path)
    for key in (path.name, path.stem):
        if key in table:
            return key
    return None
