"""The typed results the store returns: no caller ever sees a database row."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from ..model import Coding
from ..words import Packing


@dataclass(slots=True)
class TranscriptSummary:
    """A transcript with the counts the transcripts list shows (kept up to date by the store)."""

    id: int
    name: str
    source_path: str | None
    source_format: str
    turns: int
    words: int
    chars: int
    codings: int
    coded_chars: int
    codable_chars: int  # the turns' characters: what codings can cover (the whole text without turns)
    imported_at: str
    source_hash: str | None
    # keyword-only: the columns above are filled from a row, the attributes by name
    attributes: dict[str, str] = field(default_factory=dict, kw_only=True)

    @property
    def coded_share(self) -> float:
        """The share of the turns' characters that a coding covers (overlaps once): speaker
        labels and timestamps are never coded, so they count in neither part (a heading
        coded on its own adds to the covered part; the share stops at 1)."""
        return min(self.coded_chars / self.codable_chars, 1.0) if self.codable_chars else 0.0


class TranscriptInfo(NamedTuple):
    """Name and size of a transcript, without its text (for streaming analyses)."""

    id: int
    name: str
    words: int
    chars: int


@dataclass(slots=True)
class CodeRecord:
    """What the store knows of a code: the codebook's id, name and place, and whether it is still there."""

    id: str
    name: str
    parent_id: str | None
    color: str | None
    key: str | None
    position: int
    guid: str | None
    in_codebook: bool


@dataclass(slots=True)
class SyncResult:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # in the store, no longer in the codebook
    skipped: bool = False  # a read-only store could not be brought up to date


@dataclass(frozen=True, slots=True)
class Added:
    """What :meth:`CodingStore.add` did: the coding, and whether it is new (False: it was there)."""

    coding: Coding
    inserted: bool


@dataclass(slots=True)
class MoveResult:
    moved: int = 0  # codings that changed code
    merged: int = 0  # codings folded into an existing coding of the target on the same span

    @property
    def total(self) -> int:
        return self.moved + self.merged


@dataclass(slots=True)
class DetachedCoding:
    """A coding whose text disappeared when its transcript was re-imported: kept, never dropped."""

    id: int
    transcript_id: int
    old_start: int
    old_end: int
    code_id: str
    coder: str
    memo: str | None
    origin: str
    quote: str
    created_at: str
    updated_at: str
    detached_at: str
    reason: str
    coding_id: int | None = None  # the id it had as a coding (given back when re-attached)


@dataclass(slots=True)
class Suggestion:
    """One stored suggestion: a span and code proposed by a suggester, and its fate."""

    id: int
    transcript_id: int
    start: int
    end: int
    code_id: str
    suggester: str  # "rules", "learned" or "rules+learned"
    score: float | None  # the combined score of rules and the learned model (0-1)
    reason: str | None
    status: str  # pending, accepted, rejected
    coding_id: int | None = None
    decided_by: str | None = None
    created_at: str | None = None
    decided_at: str | None = None


class CodingRow(NamedTuple):
    """A coding as the streaming analyses read it (a plain tuple: exports touch every one)."""

    id: int
    start: int
    end: int
    code_id: str
    coder: str
    origin: str
    memo: str | None
    quote: str
    created_at: str


@dataclass(frozen=True, slots=True)
class CodingFilter:
    """Which codings a query wants; ``None`` means no restriction on that field."""

    transcript_ids: frozenset[int] | None = None
    code_ids: frozenset[str] | None = None
    coders: frozenset[str] | None = None

    @classmethod
    def of(cls, transcript_ids=None, code_ids=None, coders=None) -> CodingFilter:
        """A filter from any iterables (or None)."""
        return cls(
            None if transcript_ids is None else frozenset(transcript_ids),
            None if code_ids is None else frozenset(code_ids),
            None if coders is None else frozenset(coders),
        )


ALL_CODINGS = CodingFilter()


@dataclass(slots=True)
class CodeColumns:
    """The filtered codings of one code in a batch of transcripts, as the packed numbers
    of :class:`qualcode.words.Packing` (offsets from ``first``, the batch's lowest id)."""

    code_id: str
    codings: int
    openings: list[int]  # in no particular order; the i-th opening and closing are one coding's
    closings: list[int]
    # Read with a turn label (``code_columns(turn_label=...)``): the i-th coding's turn's
    # speaker or role (None outside every turn, e.g. a heading, read as a turn with neither;
    # "" in a turn without this label), and how many codings do not fit their turn
    # (``codings.turn_places``).
    labels: list[str | None] | None = None
    reaching: int = 0


class SpanColumns(NamedTuple):
    """Codings of a batch of transcripts as columns, in transcript and start order (see
    ``codings.span_columns``)."""

    openings: list[int]
    closings: list[int]
    code_ids: list[str]
    stride: int  # between the offsets of consecutive transcript ids


@dataclass(slots=True)
class CodeColumnBatch:
    """:class:`CodeColumns` of the codes with codings in transcripts ``first`` .. ``last``."""

    first: int
    last: int
    packing: Packing
    codes: list[CodeColumns]


@dataclass(slots=True)
class CoderCount:
    """How many codings one coder has in one transcript."""

    coder: str
    transcript_id: int
    transcript: str  # its name
    codings: int


# --- team coding (consensus decisions, codings kept aside by a merge) -------------------


@dataclass(slots=True)
class ConsensusDecision:
    """How one disagreement between two coders was settled, and the consensus codings it added."""

    key: str
    first_coder: str
    second_coder: str
    transcript_id: int
    decision: str  # first, second, both, neither, adjusted
    coding_ids: list[int]
    decided_by: str
    decided_at: str


@dataclass(slots=True)
class AsideCoding:
    """A coding a merge could not place here (its transcript or code is missing), kept whole."""

    id: int | None
    origin: str  # the project or file it came from
    transcript_name: str
    content_hash: str
    start: int
    end: int
    code_id: str
    coder: str
    memo: str | None
    quote: str
    created_at: str | None
    reason: str
    set_aside_at: str | None = None


# --- REFI-QDA exchange (refi branch) ----------------------------------------------------------


@dataclass(slots=True)
class TranscriptRef:
    """A transcript's identity and dates, without its text (an export streams the texts)."""

    id: int
    name: str
    guid: str | None
    content_hash: str
    imported_at: str
    updated_at: str | None


class ExchangeCoding(NamedTuple):
    """A coding as a REFI-QDA export writes it, with the identity an import kept (a plain tuple: exports touch every one)."""

    id: int
    start: int
    end: int
    code_id: str
    coder: str
    memo: str | None
    quote: str
    created_at: str
    updated_at: str
    selection_guid: str | None
    coding_guid: str | None
    selection_creator: str | None


# An ExchangeCoding as the store reads it (for loops over every coding of a project).
ExchangeRow = tuple[int, int, int, str, str, str | None, str, str, str, str | None, str | None, str | None]


@dataclass(slots=True)
class EmptySource:
    """A text source without text, kept from an import for the next export."""

    guid: str
    name: str
    created_at: str | None = None
    creator: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)  # its case's variable values, by name


@dataclass(slots=True)
class DocumentSet:
    """A set of documents (sources) from another tool; members are source GUIDs."""

    guid: str
    name: str
    description: str = ""
    members: list[str] = field(default_factory=list)
