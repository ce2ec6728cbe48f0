"""Analysis: frequencies rolled up the code tree, group comparison, co-occurrence, matrices.

Pure core (no textual, rich or click): the CLI (``qualcode stats``) and the TUI
statistics screen call these functions and render what they return. Every function
streams the store one transcript at a time, reports progress as ``progress(done,
total)`` in codings and stops with :class:`Cancelled` when ``cancelled()`` is true.
"""

from __future__ import annotations

from .codes import MISSING, CodeEntry, CodeHierarchy
from .frequencies import (
    BUILTIN_GROUPINGS,
    MEASURES,
    NO_VALUE,
    ROLE,
    SPEAKER,
    TRANSCRIPT,
    CodeFrequency,
    FrequencyTable,
    Group,
    Measures,
    check_grouping,
    frequencies,
)
from .matrices import OVERLAP, TURN, UNITS, CodeMatrix, code_matrix, cooccurrence
from .selection import ALL, Selection, parse_where, select
from .source import NO_ROLE, NO_SPEAKER, OUTSIDE_TURNS, Cancelled, Progress
from .tables import frequency_json, frequency_rows, matrix_rows

__all__ = [
    "ALL",
    "BUILTIN_GROUPINGS",
    "MEASURES",
    "MISSING",
    "NO_ROLE",
    "NO_SPEAKER",
    "OUTSIDE_TURNS",
    "NO_VALUE",
    "OVERLAP",
    "ROLE",
    "SPEAKER",
    "TRANSCRIPT",
    "TURN",
    "UNITS",
    "Cancelled",
    "CodeFrequency",
    "CodeEntry",
    "CodeMatrix",
    "CodeHierarchy",
    "FrequencyTable",
    "Group",
    "Measures",
    "Progress",
    "Selection",
    "check_grouping",
    "code_matrix",
    "cooccurrence",
    "frequencies",
    "frequency_json",
    "frequency_rows",
    "matrix_rows",
    "parse_where",
    "select",
]
