"""Every user-facing string of the statistics screen, in one place (for a Dutch translation)."""

from __future__ import annotations

TITLE = "Statistics"

TAB_FREQUENCIES = "Frequencies"
TAB_CHART = "Chart"
TAB_COOCCURRENCE = "Co-occurrence"
TAB_MATRIX = "Codes × transcripts"
TAB_KEY = "{key} {name}"
KEY_FREQUENCIES = "Table"
KEY_CHART = "Chart"
KEY_COOCCURRENCE = "Co-occ."
KEY_MATRIX = "Matrix"
MATRIX_LEGEND = (
    "Cells: segments (overlapping codings of a branch count once; a parent's row counts its sub-codes) · columns: {columns}"
)
MATRIX_CELL = "{code} × {transcript}: {value} segment(s)"

BY_LABEL = "Group by"
BY_NONE = "no grouping"
BY_TRANSCRIPT = "transcript"
BY_SPEAKER = "speaker"
BY_ROLE = "role (interviewer / respondent)"
BY_ATTRIBUTE = "attribute: {name}"

UNIT_LABEL = "Co-occurrence"
UNIT_OVERLAP = "overlapping codings"
UNIT_TURN = "in the same turn"

BIND_GROUP = "Group by…"
BIND_UNIT = "Unit"
BIND_LEVEL = "All codes"
BIND_EXPORT = "Export"
BIND_SEGMENTS = "Segments"
BIND_QDPX = "QDPX"
BIND_REFRESH = "Recount"
BIND_CLOSE = "Back"
BIND_CODERS = "Coder"
# What each key does, in full (the help screen, tooltips).
HELP_TAB = "Show the tab “{name}”"
HELP_GROUP = "Group by: pick an attribute, transcript, speaker or role from the list"
HELP_UNIT = "Co-occurrence unit: overlapping codings / the same turn"
HELP_LEVEL = "Chart: top-level codes / all codes"
HELP_EXPORT = "Export the table shown as CSV (on the chart tab: the chart as SVG)"
HELP_SEGMENTS = "Export every coded segment as CSV"
HELP_QDPX = "Export the whole project as REFI-QDA (.qdpx), for ATLAS.ti, NVivo, MAXQDA, QualCoder"
HELP_REFRESH = "Count again"
HELP_CLOSE = "Back to the previous screen"
HELP_CODERS = "Whose codings to count: every coder's, then one coder's at a time (e.g. the consensus coder's)"

COL_CODE = "Code"
COL_ALL_SEGMENTS = "All\nsegments"
COL_SEGMENTS = "Segments"
COL_CODINGS = "Codings"
COL_TRANSCRIPTS = "Transcripts"
COL_SHARE = "Share"
COL_WORDS = "Words"
COL_CHARS = "Chars"
COL_COVERAGE = "Coverage"
COL_GROUP_SEGMENTS = "{group}\nsegments"
COL_GROUP_TRANSCRIPTS = "n={size}\ntranscripts"
COL_GROUP_COVERAGE = "\ncoverage"
EMPTY = "–"


COUNTING = "Counting codings…"
READY = "{transcripts} transcript(s), {words:,} words · segments: overlapping codings of a branch count once"
# Before READY (the line is cut at the screen's width): whose codings, as the CLI says it.
READY_CODERS = (
    "the codings of {count} coders ({names}; c: one coder's): codings and pairs count each coder's, segments and words once · "
)
READY_ONE_CODER = "only the codings of {coder} (c: the next coder) · "
ONE_CODER_ONLY = "Only one coder has coded here: every figure is theirs."
NO_CODINGS = "No codings yet: code some text first, then come back here."
EXPORTING = "Exporting to {path}…"
EXPORTED = "Exported {rows:,} row(s) to {path}"
EXPORTED_CHART = "Exported the chart ({rows:,} code(s)) to {path}"
EXPORTED_QDPX = "Exported {transcripts} transcript(s), {codes} code(s), {rows:,} coding(s) of {coders} coder(s) to {path}"
CANCELLED = "Cancelled."

EXPORT_TABLE_TITLE = "Export “{table}” as CSV"
EXPORT_CHART_TITLE = "Export the chart as SVG, for a report (a .csv name writes the frequency table)"
EXPORT_SEGMENTS_TITLE = "Export every coded segment as CSV (one row per coding)"
EXPORT_QDPX_TITLE = (
    "Export the whole project as REFI-QDA (.qdpx): transcripts, codes, every coder's codings, memos and attributes,"
    " for ATLAS.ti, NVivo, MAXQDA or QualCoder"
)
EXPORT_STILL_NAMED = (
    "{count} transcript(s) still read their original names, and this export includes them: the names accepted"
    " in the pseudonymisation review are replaced by `qualcode pseudonymise apply`, or in an export made with"
    " --pseudonymise"
)
EXPORT_UTF16 = "For NVivo for Windows (positions counted in UTF-16 units)"
EXPORT_PATH_LABEL = "File"
EXPORT_EXCEL = "For Excel with a Dutch locale (BOM, ';', decimal commas)"
EXPORT_OK = "Export"
EXPORT_CANCEL = "Cancel"
EXPORT_NO_PATH = "Type the path of the file to write."
EXPORT_EXISTS = "{path} exists: Enter again replaces it (or change the name)"
EXPORT_REPLACE = "Replace"
EXPORT_HELP = "Enter exports · Space ticks the box · Esc cancels"

DEFAULT_NAMES = {
    "frequencies": "frequencies{suffix}.csv",
    "cooccurrence": "cooccurrence_{unit}.csv",
    "matrix": "codes_by_transcript.csv",
    "segments": "segments.csv",
    "chart": "chart{suffix}.svg",
    "qdpx": "{project}.qdpx",
}
EXPORT_FOLDER = "exports"
