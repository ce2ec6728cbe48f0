"""Export: coded segments and statistics tables as CSV (pure core, streaming).

:mod:`.csvfile` holds the CSV rules (dialects, formula-injection guard, atomic
files); :mod:`.segments` the long and wide segment exports.
"""

from __future__ import annotations

from .csvfile import CsvStyle, CsvWriter, atomic_output, neutralise
from .segments import SPAN, TURN, UNITS, export_segments, export_wide, segment_columns, wide_columns

__all__ = [
    "SPAN",
    "TURN",
    "UNITS",
    "CsvStyle",
    "CsvWriter",
    "atomic_output",
    "export_segments",
    "export_wide",
    "neutralise",
    "segment_columns",
    "wide_columns",
]
