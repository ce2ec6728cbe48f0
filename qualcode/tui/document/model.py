"""What the coding screen shows of one transcript, independent of the screen size.

A :class:`DocumentModel` holds the text, its *blocks* (speaker turns, plus any
text outside turns such as a heading), the codings with a :class:`SpanIndex`
over them, one *lane* per coding for the margin bars, and lazily computed
sentences. It is built in a worker thread (no Textual here) and then handed to
the :class:`~qualcode.tui.widgets.document.DocumentView`.

Codings change only through :meth:`DocumentModel.apply_change`, with the
:class:`~qualcode.history.CodingChange` the store returned, so the screen mirrors the
store instead of guessing.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from ...history import CodingChange
from ...model import RESPONDENT, Coding
from ...store import Store
from ...text import TextBlock, block_parts, sentence_spans, text_blocks
from .spans import SpanIndex

MISSING_COLOR = "#808080"
NEAR = 0.8  # two spans sharing this much of their union are "nearly the same"


def near_duplicate(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two different spans nearly coincide (they share 80% of what they cover together)."""
    if a == b:
        return False
    shared = min(a[1], b[1]) - max(a[0], b[0])
    union = max(a[1], b[1]) - min(a[0], b[0])
    return shared > 0 and shared >= NEAR * union


@dataclass(frozen=True, slots=True)
class CodeStyle:
    """What the document needs to draw a code."""

    id: str
    name: str
    color: str
    key: str | None = None
    in_codebook: bool = True


def assign_lanes(codings: list[Coding]) -> dict[int, int]:
    """A margin column per coding so that overlapping codings never share one."""
    lanes: dict[int, int] = {}
    lane_ends: list[int] = []
    for c in sorted(codings, key=lambda c: (c.start, -c.end, c.id)):
        for lane, end in enumerate(lane_ends):
            if end <= c.start:
                lane_ends[lane] = c.end
                lanes[c.id] = lane
                break
        else:
            lanes[c.id] = len(lane_ends)
            lane_ends.append(c.end)
    return lanes


@dataclass
class DocumentModel:
    """One transcript's text, blocks and codings, ready to lay out and draw."""

    transcript_id: int
    name: str
    text: str
    blocks: list[TextBlock]
    codes: dict[str, CodeStyle]
    codings: dict[int, Coding] = field(default_factory=dict)
    attributes: dict[str, str] = field(default_factory=dict)
    version: int = 0  # bumped whenever the codings change (views drop their caches)
    shown_coders: frozenset[str] | None = None  # whose codings are held (None: everyone's)
    coder_marks: dict[str, str] = field(default_factory=dict)  # margin mark per coder

    def __post_init__(self) -> None:
        self.block_starts = [b.start for b in self.blocks]
        self._sentences: dict[int, list[tuple[int, int]]] = {}
        self._reindex()

    # --- loading ------------------------------------------------------------------

    @classmethod
    def load(
        cls, store: Store, transcript_id: int, codes: dict[str, CodeStyle], shown_coders: frozenset[str] | None = None
    ) -> DocumentModel:
        """Read a transcript and its codings (of ``shown_coders`` only, if given), in a worker with its own Store."""
        transcript = store.transcripts.load(transcript_id)
        codings = store.codings.find(transcript_id, coders=shown_coders)
        codes = dict(codes)
        for row in store.codes.list(include_missing=True):
            if row.id not in codes:  # left the codebook: drawn grey and labelled, never hidden
                codes[row.id] = CodeStyle(row.id, row.name, MISSING_COLOR, None, in_codebook=False)
        return cls(
            transcript_id,
            transcript.name,
            transcript.text,
            text_blocks(transcript.text, transcript.turns),
            codes,
            {c.id: c for c in codings},
            transcript.attributes,
            shown_coders=shown_coders,
        )

    # --- codings ------------------------------------------------------------------

    def _reindex(self) -> None:
        self.index: SpanIndex[int] = SpanIndex((c.start, c.end, c.id) for c in self.codings.values())
        self.lanes = assign_lanes(list(self.codings.values()))
        self.version += 1

    def apply_change(self, change: CodingChange) -> bool:
        """Mirror what the store did; returns whether this transcript was touched.

        Incremental: the span index and lanes change only where the codings are,
        so an action costs the same on a short and on a very long transcript.
        """
        touched = False
        for c in change.removed:
            old = self.codings.pop(c.id, None) if c.transcript_id == self.transcript_id else None
            if old is not None:
                self.index.remove(old.start, old.end, old.id)
                self.lanes.pop(old.id, None)
                touched = True
        for c in (*change.added, *change.updated):
            if c.transcript_id != self.transcript_id or not self.shows(c.coder):
                continue
            old = self.codings.get(c.id)
            if old is not None and (old.start, old.end) != (c.start, c.end):
                self.index.remove(old.start, old.end, old.id)
                old = None
            self.codings[c.id] = c
            if old is None:
                busy = {self.lanes.get(i) for i in self.index.overlapping(c.start, c.end)}
                self.index.add(c.start, c.end, c.id)
                self.lanes[c.id] = next(lane for lane in range(len(busy) + 1) if lane not in busy)
            touched = True
        if touched:
            self.version += 1
        return touched

    def replace_codings(self, codings: list[Coding]) -> None:
        """Take the codings as re-read from the store (after a change from outside, or of the coder view)."""
        self.codings = {c.id: c for c in codings if self.shows(c.coder)}
        self._reindex()

    def shows(self, coder: str) -> bool:
        """Are this coder's codings held (and drawn)?"""
        return self.shown_coders is None or coder in self.shown_coders

    def code(self, code_id: str) -> CodeStyle:
        found = self.codes.get(code_id)
        return found or CodeStyle(code_id, code_id, MISSING_COLOR, None, in_codebook=False)

    def codings_at(self, pos: int) -> list[Coding]:
        """Codings containing ``pos``, in start order."""
        return [self.codings[i] for i in self.index.at(pos)]

    def codings_in(self, start: int, end: int) -> list[Coding]:
        """Codings overlapping ``[start, end)``, in start order."""
        return [self.codings[i] for i in self.index.overlapping(start, end)]

    def coded(self, start: int, end: int) -> bool:
        return any(True for _ in self.index.segments(start, end))

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in self.codings.values():
            out[c.code_id] = out.get(c.code_id, 0) + 1
        return out

    # --- structure ----------------------------------------------------------------

    def block_at(self, pos: int) -> TextBlock:
        """The block containing ``pos`` (or the nearest one before it)."""
        i = max(bisect_right(self.block_starts, pos) - 1, 0)
        return self.blocks[i]

    def clamp(self, pos: int) -> int:
        """``pos`` moved into the nearest block (positions between turns are labels)."""
        if not self.blocks:
            return 0
        block = self.block_at(pos)
        if pos < block.start:
            return block.start
        if pos > block.end:
            following = block.index + 1
            if following < len(self.blocks) and self.blocks[following].start - pos < pos - block.end:
                return self.blocks[following].start
            return block.end
        return pos

    def parts(self, start: int, end: int) -> list[tuple[int, int]]:
        """``[start, end)`` cut at turn boundaries (see :func:`qualcode.text.block_parts`)."""
        return block_parts(self.text, self.blocks, start, end)

    def sentences(self, block: TextBlock) -> list[tuple[int, int]]:
        """The block's sentences (computed once per block, on demand)."""
        found = self._sentences.get(block.index)
        if found is None:
            found = self._sentences[block.index] = sentence_spans(self.text, block.start, block.end) or [(block.start, block.end)]
        return found

    def sentence_at(self, pos: int) -> tuple[int, int]:
        """The sentence containing ``pos``; between sentences, the next one in its block."""
        sentences = self.sentences(self.block_at(pos))
        for start, end in sentences:
            if pos < end:
                return start, end
        return sentences[-1]

    def next_sentence(self, pos: int) -> tuple[int, int] | None:
        """The first sentence starting after ``pos`` (crossing into later blocks)."""
        block = self.block_at(pos)
        for b in self.blocks[block.index :]:
            for start, end in self.sentences(b):
                if start > pos:
                    return start, end
        return None

    def prev_sentence_start(self, pos: int) -> int | None:
        """The start of the last sentence starting before ``pos``."""
        block = self.block_at(pos)
        for b in reversed(self.blocks[: block.index + 1]):
            for start, _ in reversed(self.sentences(b)):
                if start < pos:
                    return start
        return None

    def next_uncoded_respondent_turn(self, pos: int) -> TextBlock | None:
        """The next respondent turn after ``pos`` that has no coding at all (wraps around)."""
        n = len(self.blocks)
        here = self.block_at(pos).index
        for step in range(1, n + 1):
            block = self.blocks[(here + step) % n]
            if block.role == RESPONDENT and not self.coded(block.start, block.end):
                return block
        return None

    def search(self, query: str) -> list[tuple[int, int]]:
        """Case-insensitive matches of ``query`` inside blocks, in order."""
        if not query:
            return []
        pattern = re.compile(re.escape(query), re.IGNORECASE)
        found: list[tuple[int, int]] = []
        for block in self.blocks:
            found.extend(m.span() for m in pattern.finditer(self.text, block.start, block.end))
        return found

    @property
    def turn_count(self) -> int:
        return sum(1 for b in self.blocks if b.turn is not None)
