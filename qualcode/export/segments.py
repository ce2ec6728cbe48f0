"""Coded segments as CSV: long (one row per coding) and wide (one row per segment, 0/1 per code).

Long format columns, in order::

    coding_id, transcript, <one column per case attribute>, speaker, role, turn,
    turn_end, time_start, time_end, start, end, line_start, line_end, code_id,
    code_path, code_name, coder, origin, memo, text, created_at

* ``turn``/``speaker``/``role``/``time_start`` describe the first turn the coding
  overlaps, ``turn_end``/``time_end`` the last one (the same turn for most codings);
  empty for a coding outside every turn. Times are seconds from the start of the
  recording (empty for transcripts without timestamps).
* ``start``/``end``: code-point offsets ``[start, end)`` into the stored text;
  ``line_start``/``line_end``: 1-based lines of the first and last character.
* ``code_path`` is ``parent/child`` (ids); a code that left the codebook has the path
  ``(missing)/<id>`` - its codings are exported, never dropped.
* ``text``: the coded text as quoted when it was coded.

Wide format, the unit chosen with ``unit``:

* ``span`` (default) - one row per **distinct coded span**: every coding with the
  same transcript, start and end is one segment (a sentence coded with three codes
  is one row with three 1s).
* ``turn`` - one row per **speaker turn**, every turn of the selected transcripts,
  coded or not (so shares can be computed); a code is 1 if one of its codings
  overlaps the turn.

Then one 0/1 column per code, named by the code's id, in codebook order (codes
missing from the codebook last). A parent code's column is 1 when the parent or any
of its sub-codes applies (rolled up, like the frequencies).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from itertools import groupby
from operator import itemgetter

from ..analysis.codes import MISSING, CodeHierarchy
from ..analysis.selection import ALL, Selection
from ..analysis.source import CancelCheck, Progress, Ticker, TranscriptView, codings, count_codings, transcripts
from ..codebook import Codebook
from ..store import Store
from .csvfile import CsvWriter

SPAN = "span"
TURN = "turn"
UNITS = (SPAN, TURN)

LONG_FIXED = ["coding_id", "transcript"]
LONG_PLACE = ["speaker", "role", "turn", "turn_end", "time_start", "time_end", "start", "end", "line_start", "line_end"]
LONG_CODING = ["code_id", "code_path", "code_name", "coder", "origin", "memo", "text", "created_at"]
WIDE_PLACE = [*LONG_PLACE, "text"]
_FLAG_MEMO = 4096  # sets of codes whose 0/1 fields are kept (a turn's set can be any; memory stays bounded)


def attribute_names(store: Store) -> list[str]:
    """Every case attribute of the project, sorted: the same columns whatever the filters."""
    return sorted({name for values in store.transcripts.all_attributes().values() for name in values})


def _unique(names: Sequence[str], taken: set[str], prefix: str) -> list[str]:
    """Column names that do not collide with ``taken`` (which is updated)."""
    out = []
    for name in names:
        column = name if name not in taken else f"{prefix}{name}"
        taken.add(column)
        out.append(column)
    return out


def segment_columns(attributes: Sequence[str]) -> list[str]:
    """The long format's header for these case attributes."""
    taken = {*LONG_FIXED, *LONG_PLACE, *LONG_CODING}
    return [*LONG_FIXED, *_unique(attributes, taken, "attr_"), *LONG_PLACE, *LONG_CODING]


def export_segments(
    store: Store,
    codebook: Codebook,
    writer: CsvWriter,
    selection: Selection = ALL,
    *,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> int:
    """Write the long format (header and one row per coding); return the number of rows."""
    attributes = attribute_names(store)
    writer.header(segment_columns(attributes))
    ticker = Ticker(progress, cancelled, count_codings(store, selection))
    _write_long(store, codebook, selection, attributes, ticker, writer)
    ticker.finish()
    return ticker.done


def _write_long(
    store: Store, codebook: Codebook, selection: Selection, attributes: list[str], ticker: Ticker, writer: CsvWriter
) -> None:
    """Write the rows as CSV lines. What repeats (a transcript's head, a code's columns, a
    place in the turns, a coder) is formatted once; per coding only its numbers, memo,
    text and date are."""
    tree = CodeHierarchy.build(codebook, store)
    field, fields, sep = writer.field, writer.fields, writer.style.delimiter
    info = {c.id: fields([c.id, c.path, c.name]) for c in tree.codes}
    people: dict[str, str] = {}
    origins: dict[str, str] = {}
    speakers: Speakers = {}
    for view in transcripts(store, selection):
        head = fields([view.name, *(view.attributes.get(a) for a in attributes)])
        turns = _Turns(store.transcripts.turn_rows(view.id), writer, speakers)
        starts, ends, place, line = turns.starts, turns.ends, turns.place, view.line
        places: dict[tuple[int, int], str] = {}
        out = []
        # Plain tuples in CodingRow order: id, start, end, code_id, coder, origin, memo, quote, created_at.
        for cid, start, end, code_id, coder, origin, memo, quote, created in codings(store, view.id, selection, named=False):
            code = info.get(code_id) or fields([code_id, f"{MISSING}/{code_id}", code_id])
            span = bisect_right(ends, start), bisect_left(starts, end)  # the turns it overlaps
            at = places.get(span) or places.setdefault(span, place(*span))
            who = people.get(coder) or people.setdefault(coder, field(coder))
            how = origins.get(origin) or origins.setdefault(origin, field(origin))
            out.append(
                f"{cid}{sep}{head}{sep}{at}{sep}{start}{sep}{end}{sep}{line(start)}{sep}{line(end - 1)}{sep}"
                f"{code}{sep}{who}{sep}{how}{sep}{field(memo)}{sep}{field(quote)}{sep}{field(created)}\r\n"
            )
        # A transcript's lines at a time: a list is cheaper than a generator per row, and bounded.
        writer.lines(out)
        ticker.add(len(out))


def wide_columns(attributes: Sequence[str], code_ids: Sequence[str]) -> list[str]:
    """The wide format's header: place columns, then one column per code id."""
    taken = {"transcript", *WIDE_PLACE}
    attr_columns = _unique(attributes, taken, "attr_")
    return ["transcript", *attr_columns, *WIDE_PLACE, *_unique(code_ids, taken, "code_")]


def export_wide(
    store: Store,
    codebook: Codebook,
    writer: CsvWriter,
    selection: Selection = ALL,
    *,
    unit: str = SPAN,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> int:
    """Write the wide format in the given unit (see the module docstring); return the number of rows."""
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}")
    tree = CodeHierarchy.build(codebook, store)
    columns = [c for c in tree.codes if c.id != MISSING]
    if selection.code_ids is not None:
        columns = [c for c in columns if c.id in selection.code_ids]
    column_of = {c.id: i for i, c in enumerate(columns)}
    attributes = attribute_names(store)
    writer.header(wide_columns(attributes, [c.id for c in columns]))
    ticker = Ticker(progress, cancelled, count_codings(store, selection))

    sep = writer.style.delimiter
    known: dict[frozenset[str], str] = {}  # the 0/1 fields of each set of codes met (a few dozen)

    def flags(code_ids: list[str]) -> str:
        key = frozenset(code_ids)
        text = known.get(key)
        if text is None:
            out = [0] * len(columns)
            for code_id in key:
                for target in tree.rollup.get(code_id, (code_id,)):
                    i = column_of.get(target)
                    if i is not None:
                        out[i] = 1
            text = "".join(f"{sep}{v}" for v in out)
            if len(known) < _FLAG_MEMO:
                known[key] = text
        return text

    lines_of = _span_lines if unit == SPAN else _turn_lines
    speakers: Speakers = {}
    written = 0
    for view in transcripts(store, selection):
        head = writer.fields([view.name, *(view.attributes.get(a) for a in attributes)])
        # A transcript's lines at a time: a list is cheaper than a generator per row, and bounded.
        out = lines_of(store, view, selection, ticker, writer, head, flags, speakers)
        writer.lines(out)
        written += len(out)
    ticker.finish()
    return written


Flags = Callable[[list[str]], str]
Speakers = dict[tuple[str | None, str | None], str]  # the speaker and role fields of each pair met


class _Turns:
    """A transcript's turns as plain rows, and the place fields of a span in them.

    A span ``[start, end)`` overlaps the turns ``i = bisect_right(ends, start)`` to
    ``j = bisect_left(starts, end)`` (exclusive), as :meth:`TranscriptView.place
    <qualcode.analysis.source.TranscriptView.place>` finds them: speaker, role, turn and
    time_start of turn ``i``, turn_end and time_end of turn ``j - 1``; all blank when
    ``i >= j``. Callers bisect inline and memoise per ``(i, j)``: exports do it per coding.
    """

    __slots__ = ("_field", "_fields", "_nowhere", "_sep", "_speakers", "ends", "rows", "starts")

    def __init__(self, rows: list[tuple], writer: CsvWriter, speakers: Speakers) -> None:
        self.rows = rows  # (index, speaker, start, end, time_start, time_end, role): Turn's order
        self.starts = [r[2] for r in rows]
        self.ends = [r[3] for r in rows]
        self._field, self._fields, self._sep = writer.field, writer.fields, writer.style.delimiter
        self._speakers = speakers
        self._nowhere = self._sep * 5  # six empty fields

    def place(self, i: int, j: int) -> str:
        """The six place fields of a span overlapping the turns ``i`` to ``j`` (exclusive)."""
        if i >= j:
            return self._nowhere
        (index, speaker, _, _, time_start, _, role), last = self.rows[i], self.rows[j - 1]
        who = self._speakers.get((speaker, role)) or self._speakers.setdefault((speaker, role), self._fields([speaker, role]))
        sep, time_end = self._sep, last[5]
        times = sep if time_start is None and time_end is None else f"{self._field(time_start)}{sep}{self._field(time_end)}"
        return f"{who}{sep}{index}{sep}{last[0]}{sep}{times}"


def _span_lines(
    store: Store,
    view: TranscriptView,
    selection: Selection,
    ticker: Ticker,
    writer: CsvWriter,
    head: str,
    flags: Flags,
    speakers: Speakers,
) -> list[str]:
    """A line per distinct span (codings arrive sorted by (start, end)), with the quote of its first coding."""
    field, sep = writer.field, writer.style.delimiter
    turns = _Turns(store.transcripts.turn_rows(view.id), writer, speakers)
    starts, ends, place, line = turns.starts, turns.ends, turns.place, view.line
    places: dict[tuple[int, int], str] = {}
    out: list[str] = []
    n = 0
    rows = store.codings.span_quotes(view.id, selection.coding_filter)  # (start, end, code_id, quote)
    for (start, end), group in groupby(rows, _SPAN):
        same = list(group)
        codes = list(map(_CODE, same))
        quote = same[0][3]
        n += len(codes)
        span = bisect_right(ends, start), bisect_left(starts, end)  # the turns it overlaps
        at = places.get(span) or places.setdefault(span, place(*span))
        out.append(
            f"{head}{sep}{at}{sep}{start}{sep}{end}{sep}{line(start)}{sep}{line(end - 1)}{sep}{field(quote)}{flags(codes)}\r\n"
        )
    ticker.add(n)
    return out


_SPAN = itemgetter(0, 1)
_CODE = itemgetter(2)


def _turn_lines(
    store: Store,
    view: TranscriptView,
    selection: Selection,
    ticker: Ticker,
    writer: CsvWriter,
    head: str,
    flags: Flags,
    speakers: Speakers,
) -> list[str]:
    """A line per turn of the transcript, coded or not; a code is 1 when one of its codings overlaps the turn."""
    spans = store.codings.spans(view.id, selection.coding_filter)  # (start, end, code_id)
    ticker.add(len(spans))
    turns = _Turns(store.transcripts.turn_rows(view.id), writer, speakers)
    if not turns.rows:
        return []
    starts, ends, place = turns.starts, turns.ends, turns.place
    codes: list[list[str]] = [[] for _ in starts]
    for start, end, code_id in spans:
        for k in range(bisect_right(ends, start), bisect_left(starts, end)):  # the turns it overlaps
            codes[k].append(code_id)
    field, sep = writer.field, writer.style.delimiter
    text, line = view.text, view.line
    out: list[str] = []
    for k, (start, end) in enumerate(zip(starts, ends, strict=True)):
        # A turn's place is itself, unless it is empty (none) or overlaps another one.
        at = place(bisect_right(ends, start), bisect_left(starts, end))
        out.append(
            f"{head}{sep}{at}{sep}{start}{sep}{end}{sep}{line(start)}{sep}{line(max(start, end - 1))}{sep}"
            f"{field(text[start:end])}{flags(codes[k])}\r\n"
        )
    return out
