"""The margins beside the text: which coding is where, readable without visiting it (no Textual).

Two margins, both computed per line of a :class:`Layout`:

* the **lanes** left of the text: one column per overlapping coding (a coding keeps
  its column, :func:`~.model.assign_lanes`); on the coding's first line the column
  shows its code's key, below that a bar, both in the code's colour. So an
  overlap reads as two letters side by side, the way ATLAS.ti's margin names its
  codes, in one or two cells;
* the **labels** right of the text (wide terminals): the code's name at the line
  where the coding starts. When several codings start on one line, the later
  names stack on the lines below as long as the turn has lines; what does not fit
  is counted (``+2``) on the turn's last line.

A :class:`Mark` or :class:`Label` is plain data (glyph or text, colour, the
coding), so other marks can join without a rewrite: the glyph of a bar comes
from ``glyph(coding)``, e.g. one mark per coder in a team project. Labels are
computed for a turn when one of its lines is first drawn and kept until the
codings or the layout change, so a 100,000-word transcript costs what its
visible turns cost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ...model import Coding
from .layout import TEXT, Layout
from .model import DocumentModel

LANES = 4  # margin columns for overlapping codings; more show MORE in the last one
BAR = "▌"
MORE = "+"
NO_KEY = "•"  # the first-line mark of a code without a key


@dataclass(frozen=True, slots=True)
class Mark:
    """One lane cell beside a line."""

    lane: int
    glyph: str
    color: str
    coding_id: int | None  # None: the MORE mark (several codings)
    first: bool = False  # the coding's first line (the glyph is the code's key)


@dataclass(frozen=True, slots=True)
class Label:
    """A code's name beside a line (or how many names did not fit)."""

    text: str
    color: str
    coding_id: int | None  # None: the "+n" of names that did not fit
    displaced: bool = False  # shown below the coding's first line (stacked)
    memo: bool = False
    in_codebook: bool = True


def default_glyph(coding: Coding) -> str:
    """The bar under a coding's first line (a team project gives each coder one)."""
    return BAR


class Margin:
    """Lane marks and labels for each line of one layout."""

    def __init__(
        self,
        model: DocumentModel,
        layout: Layout,
        glyph: Callable[[Coding], str] = default_glyph,
        lanes: int = LANES,
    ) -> None:
        self.model = model
        self.layout = layout
        self.glyph = glyph
        self.lanes = lanes
        self._version = model.version
        self._labels: dict[int, dict[int, list[Label]]] = {}  # block index -> line -> labels

    def _fresh(self) -> None:
        if self._version != self.model.version:
            self._version = self.model.version
            self._labels.clear()

    def _first_line(self, coding: Coding) -> int:
        return self.layout.line_of(coding.start)

    # --- the lanes left of the text -----------------------------------------------------

    def marks(self, line: int) -> list[Mark]:
        """The lane cells of a text line, one per lane in use (lane order)."""
        model, layout = self.model, self.layout
        start, end = layout.starts[line], layout.ends[line]
        cells: dict[int, Mark] = {}
        crowded = False
        for cid in model.index.overlapping(start, max(end, start + 1)):
            coding = model.codings[cid]
            lane = model.lanes.get(cid, 0)
            if lane >= self.lanes:
                crowded = True
                continue
            info = model.code(coding.code_id)
            first = self._first_line(coding) == line
            glyph = (info.key or NO_KEY) if first else self.glyph(coding)
            if cells.get(lane) is None or first:
                cells[lane] = Mark(lane, glyph, info.color, cid, first)
        if crowded:  # the last lane says "and more" rather than one of them
            cells[self.lanes - 1] = Mark(self.lanes - 1, MORE, "", None)
        return [cells[lane] for lane in sorted(cells)]

    # --- the labels right of the text ---------------------------------------------------

    def labels(self, line: int) -> list[Label]:
        """The names shown beside a text line (the first, then the ones stacked below)."""
        self._fresh()
        block = self.layout.block_of[line]
        placed = self._labels.get(block)
        if placed is None:
            placed = self._labels[block] = self._place(block)
        return placed.get(line, [])

    def _place(self, block_index: int) -> dict[int, list[Label]]:
        """Give each coding that starts in the block a line for its name."""
        model, layout = self.model, self.layout
        block = model.blocks[block_index]
        first = layout.block_first_line.get(block_index)
        if first is None:
            return {}
        lines = []
        for n in range(first, layout.height):
            if layout.block_of[n] != block_index:
                break
            if layout.kinds[n] == TEXT:
                lines.append(n)
        if not lines:
            return {}
        starting = [
            model.codings[cid]
            for cid in model.index.overlapping(block.start, max(block.end, block.start + 1))
            if block.start <= model.codings[cid].start < max(block.end, block.start + 1)
        ]
        starting.sort(key=lambda c: (self._first_line(c), model.lanes.get(c.id, 0), c.id))
        out: dict[int, list[Label]] = {}
        free = lines[0]
        left_over = 0
        for coding in starting:
            wanted = self._first_line(coding)
            at = max(wanted, free)
            if at > lines[-1]:
                left_over += 1
                continue
            info = model.code(coding.code_id)
            out[at] = [Label(info.name, info.color, coding.id, at != wanted, bool(coding.memo), info.in_codebook)]
            free = at + 1
        if left_over:
            out.setdefault(lines[-1], []).append(Label(f"{MORE}{left_over}", "", None))
        return out
