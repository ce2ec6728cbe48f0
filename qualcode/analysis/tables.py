"""Results as plain rows and JSON-ready dicts, shared by the CLI's CSV/JSON output and the TUI.

Shares are rounded to four decimals: more digits only make spreadsheets noisier.
"""

from __future__ import annotations

from typing import Any

from .frequencies import MEASURES, FrequencyTable
from .matrices import CodeMatrix

CODE_COLUMNS = ["code_id", "code_path", "code_name", "depth"]


def _round(values: dict[str, Any]) -> list[Any]:
    return [round(v, 4) if isinstance(v, float) else v for v in values.values()]


def frequency_rows(table: FrequencyTable, *, long: bool = False) -> tuple[list[str], list[list[Any]]]:
    """Columns and rows of a frequency table.

    Wide (default): one row per code, the totals, then every measure per group side
    by side in columns named ``<measure>_<group>``. Long: one row per code and group
    (tidy data for R or pandas), with the group's size in transcripts and words.
    """

    def head(row):
        return [row.code.id, row.code.path, row.code.name, row.code.depth]

    if long:
        columns = [*CODE_COLUMNS, "group", "group_transcripts", "group_words", *MEASURES]
        groups = table.groups or [table.total]
        rows = [
            [*head(row), g.name, g.transcripts, g.words, *_round(g.values(row.in_group(g.name) if table.groups else row.total))]
            for row in table.rows
            for g in groups
        ]
        return columns, rows
    columns = [*CODE_COLUMNS, *MEASURES, *(f"{m}_{g.name}" for g in table.groups for m in MEASURES)]
    rows = []
    for row in table.rows:
        cells = [*head(row), *_round(table.total.values(row.total))]
        for g in table.groups:
            cells += _round(g.values(row.in_group(g.name)))
        rows.append(cells)
    return columns, rows


def frequency_json(table: FrequencyTable) -> dict[str, Any]:
    """The table as nested data: groups with their sizes, then per code its totals and groups."""

    def measures(group, m) -> dict[str, Any]:
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in group.values(m).items()}

    return {
        "by": table.by,
        "transcripts": table.total.transcripts,
        "words": table.total.words,
        "groups": [{"name": g.name, "transcripts": g.transcripts, "words": g.words} for g in table.groups],
        "codes": [
            {
                "id": row.code.id,
                "path": row.code.path,
                "name": row.code.name,
                "depth": row.code.depth,
                "total": measures(table.total, row.total),
                **({"groups": {g.name: measures(g, row.in_group(g.name)) for g in table.groups}} if table.groups else {}),
            }
            for row in table.rows
        ],
    }


def matrix_rows(matrix: CodeMatrix) -> tuple[list[str], list[list[Any]]]:
    """Columns and rows of a matrix: the code, then one column per code (or group)."""
    columns = ["code_id", "code_path", "code_name", *matrix.columns]
    rows = [
        [code.id, code.path, code.name, *(round(v, 4) if isinstance(v, float) else v for v in cells)]
        for code, cells in zip(matrix.rows, matrix.cells, strict=True)
    ]
    return columns, rows
