"""Code x code co-occurrence and code x transcript (or x group) matrices.

Co-occurrence counts codes as they were applied (no roll-up: a sub-code always
co-occurs with its parent, which would tell nothing). Two units:

* ``overlap`` (default) - cell (A, B) is the number of **pairs** of a coding of A
  and a coding of B in the same transcript whose spans share at least one
  character. The diagonal (A, A) is the number of codings of A.
* ``turn`` - cell (A, B) is the number of **speaker turns** that overlap at least
  one coding of A and at least one coding of B (a coding spanning three turns is
  in all three). The diagonal is the number of turns with A. Codings outside every
  turn (e.g. in a preamble) are not in any unit.

Rows and columns are the codes that have at least one coding in the selection, in
codebook order, then codes missing from the codebook.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from heapq import heappop, heappush
from itertools import combinations, compress

from ..codebook import Codebook
from ..store import SpanColumns, Store
from .codes import CodeEntry, CodeHierarchy
from .frequencies import MEASURES, TRANSCRIPT, frequencies
from .selection import ALL, Selection
from .source import CancelCheck, Progress, Ticker, count_codings
from .source import transcripts as iter_transcripts

OVERLAP = "overlap"
TURN = "turn"
UNITS = (OVERLAP, TURN)

# Said with a matrix on screen (the CLI's caption, the app's legend): what a cell counts, and
# whether a parent's row counts its sub-codes.
CELLS = {
    "overlap": "cells: pairs of overlapping codings of the two codes · diagonal: codings of the code",
    "turn": "cells: speaker turns holding both codes · diagonal: turns with the code",
    "segments": "cells: segments (overlapping codings of a branch count once)",
    "codings": "cells: codings",
    "transcripts": "cells: transcripts with the code",
    "words": "cells: coded words (overlapping codings of a branch count once)",
    "chars": "cells: coded characters (overlapping codings of a branch count once)",
    "coverage": "cells: coverage, coded words / the column's words",
    "transcript_share": "cells: share of the column's transcripts with the code",
}
AS_APPLIED = "codes as applied: a parent's row does not count its sub-codes"
ROLLED_UP = "rolled up: a parent's row counts its sub-codes"


def cells_caption(matrix: CodeMatrix) -> str:
    """What a cell of ``matrix`` counts, and how its parents' rows count."""
    return f"{CELLS[matrix.unit]} · {AS_APPLIED if matrix.kind == 'cooccurrence' else ROLLED_UP}"


@dataclass(slots=True)
class CodeMatrix:
    """A table of numbers with a code per row; ``columns`` label the other axis."""

    rows: list[CodeEntry]
    columns: list[str]
    cells: list[list[int | float | None]]
    kind: str  # "cooccurrence" or "matrix"
    unit: str  # OVERLAP/TURN for co-occurrence; the measure for a code x group matrix

    def value(self, row_id: str, column: str) -> int | float | None:
        i = next(i for i, c in enumerate(self.rows) if c.id == row_id)
        return self.cells[i][self.columns.index(column)]

    @property
    def maximum(self) -> float:
        """The largest cell (off the diagonal for co-occurrence), for heat-map shading."""
        best = 0.0
        for i, row in enumerate(self.cells):
            for j, v in enumerate(row):
                if v and (self.kind != "cooccurrence" or i != j):
                    best = max(best, v)
        return best


def cooccurrence(
    store: Store,
    codebook: Codebook,
    selection: Selection = ALL,
    *,
    unit: str = OVERLAP,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> CodeMatrix:
    """Code x code co-occurrence in the chosen unit (see the module docstring)."""
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}")
    pairs: dict[tuple[str, str], int] = defaultdict(int)
    diagonal: dict[str, int] = defaultdict(int)
    # The total only feeds a progress bar: without one, counting every coding first is wasted.
    ticker = Ticker(progress, cancelled, count_codings(store, selection) if progress is not None else 0)
    flt = selection.coding_filter
    if unit == OVERLAP:
        for batch in store.codings.span_columns(flt):
            _count_overlaps(batch, pairs, diagonal)
            ticker.add(len(batch.openings))
    else:
        for view in iter_transcripts(store, selection):
            spans = store.codings.spans(view.id, flt)  # (start, end, code_id): whole rows cost more than the counting
            in_turn: dict[int, set[str]] = defaultdict(set)
            for start, end, code_id in spans:
                for k in view.turn_indexes(start, end):
                    in_turn[k].add(code_id)
            for present in in_turn.values():
                for code_id in present:
                    diagonal[code_id] += 1
                for pair in combinations(sorted(present), 2):
                    pairs[pair] += 1
            ticker.add(len(spans))
    ticker.finish()
    pairs = _symmetric(pairs)

    tree = CodeHierarchy.build(codebook, store)
    codes = [c for c in tree.codes if diagonal.get(c.id)]
    ids = [c.id for c in codes]
    cells: list[list[int | float | None]] = [[diagonal[a] if a == b else pairs.get((a, b), 0) for b in ids] for a in ids]
    return CodeMatrix(codes, ids, cells, "cooccurrence", unit)


def _count_overlaps(batch: SpanColumns, pairs: dict[tuple[str, str], int], diagonal: dict[str, int]) -> None:
    """Sweep the codings (sorted by start; transcripts kept apart by the batch's offsets)
    keeping those still open in a heap by end; each open one overlaps the new one. A pair
    is counted once here, as (earlier, later), and made symmetric by :func:`_symmetric`
    (half the updates of counting both). Codes are numbered for the sweep: a list indexed
    by a pair of small numbers costs less than a dictionary keyed by a pair of ids."""
    ids = list(dict.fromkeys(batch.code_ids))
    number = {code_id: i for i, code_id in enumerate(ids)}
    width = len(ids)
    counts = [0] * (width * width)  # counts[earlier * width + later]
    open_: list[tuple[int, int]] = []
    for start, end, code in zip(batch.openings, batch.closings, map(number.__getitem__, batch.code_ids), strict=True):
        while open_ and open_[0][0] <= start:  # closed before this one starts
            heappop(open_)
        for _, other in open_:
            if other != code:
                counts[other * width + code] += 1
        heappush(open_, (end, code))
    for code_id, n in Counter(batch.code_ids).items():
        diagonal[code_id] += n
    for at in compress(range(len(counts)), counts):
        pairs[ids[at // width], ids[at % width]] += counts[at]


def _symmetric(pairs: dict[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    """Pair counts in both directions from counts kept in one (either)."""
    both: dict[tuple[str, str], int] = defaultdict(int)
    for (a, b), n in pairs.items():
        both[a, b] += n
        both[b, a] += n
    return both


def code_matrix(
    store: Store,
    codebook: Codebook,
    selection: Selection = ALL,
    *,
    by: str = TRANSCRIPT,
    measure: str = "segments",
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> CodeMatrix:
    """Codes x transcripts (or x groups): one frequency measure per cell, rolled up like frequencies."""
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {MEASURES}")
    counts_words = measure in ("words", "coverage")  # reading and splitting the texts is most of the work
    table = frequencies(store, codebook, selection, by=by, words=counts_words, progress=progress, cancelled=cancelled)
    cells = [[g.value(row.in_group(g.name), measure) for g in table.groups] for row in table.rows]
    return CodeMatrix([r.code for r in table.rows], [g.name for g in table.groups], cells, "matrix", measure)
