"""A codings CSV: codings to apply to imported transcripts, one per row.

::

    file,turn,code,text,memo,coder
    01_al_amal.txt,4,vertrouwen,"we kennen elkaar",,anna

``file`` names the transcript's file (or its name), ``turn`` its turn number and
``code`` a code id; ``text`` (optional) is a quote inside the turn, empty for the
whole turn. Any file name works: a CSV whose header has ``file``, ``turn`` and
``code`` is a codings CSV (:func:`qualcode.ingest.attributes.is_codings_header`).
This module only reads the rows; :func:`qualcode.importing.import_codings_csv`
applies them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qualcode.errors import BAD_CODINGS_CSV, QualcodeError, error
from qualcode.ingest.attributes import CODINGS_COLUMNS, read_csv_rows

OPTIONAL_COLUMNS = ("text", "memo", "coder")
_HINT = "the header needs file,turn,code and optionally text,memo,coder"


@dataclass(frozen=True, slots=True)
class CodingRow:
    """One row of a codings CSV, as written (whitespace stripped)."""

    line: int
    file: str
    turn: str
    code: str
    text: str = ""
    memo: str = ""
    coder: str = ""


def codings_csv_error(path: Path, line: int, problem: str, hint: str = "") -> QualcodeError:
    """BAD_CODINGS_CSV for ``path`` at ``line``."""
    return error(BAD_CODINGS_CSV, path=str(path), line=line, problem=problem, hint=hint or _HINT)


def read_codings_csv(path: Path, *, encoding: str | None = None) -> list[CodingRow]:
    """The rows of a codings CSV; BAD_CODINGS_CSV (with the line) for a missing column or value."""
    path = Path(path)

    def fail(line: int, problem: str, hint: str = "") -> QualcodeError:
        return codings_csv_error(path, line, problem, hint)

    header, rows = read_csv_rows(path, fail, encoding)
    index = {name.casefold(): i for i, name in reversed(list(enumerate(header)))}
    missing = [column for column in CODINGS_COLUMNS if column not in index]
    if missing:
        raise fail(1, f"missing column(s): {', '.join(missing)} (found: {', '.join(header) or 'nothing'})")
    out: list[CodingRow] = []
    for line, cells in rows:

        def cell(column: str, cells: list[str] = cells) -> str:
            at = index.get(column)
            return cells[at] if at is not None and at < len(cells) else ""

        for column in CODINGS_COLUMNS:
            if not cell(column):
                raise fail(line, f"no value in the '{column}' column", "every row names a file, a turn number and a code")
        out.append(CodingRow(line, *(cell(c) for c in CODINGS_COLUMNS), *(cell(c) for c in OPTIONAL_COLUMNS)))
    return out
