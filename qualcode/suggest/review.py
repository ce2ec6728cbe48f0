"""Reviewing suggestions: list, accept (optionally with another code), reject, skip, undo.

Every decision is one committed transaction in the store. Accepting creates a
coding with origin ``suggested`` that points back at its suggestion (provenance);
rejecting keeps the suggestion as rejected so its span and code are never
proposed again; skipping changes nothing. No spaCy here: the coding screen can
review without loading the pipeline.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..codebook import Codebook
from ..coding import check_code
from ..model import PENDING, Coding
from ..store import Store, Suggestion
from .segments import substantial


def pending_suggestions(store: Store, transcript_id: int | None = None) -> list[Suggestion]:
    """Open suggestions in reading order (transcript, position, code).

    A suggestion whose span a coding of the same code has covered since the run
    (the researcher coded it by hand meanwhile) is left out: nothing to decide.
    """
    rows = store.suggestions.find(transcript_id, statuses=(PENDING,))
    if not rows:
        return rows
    codings: dict[tuple[int, str], list[Coding]] = {}
    for tid in {r.transcript_id for r in rows}:
        for c in store.codings.find(tid):
            codings.setdefault((tid, c.code_id), []).append(c)
    return [
        r
        for r in rows
        if not any(substantial(r.start, r.end, c.start, c.end) for c in codings.get((r.transcript_id, r.code_id), ()))
    ]


def by_score(rows: Sequence[Suggestion]) -> list[Suggestion]:
    """Suggestions with the most likely first (then in reading order), for a short review
    session that accepts most of what it sees."""
    return sorted(rows, key=lambda r: (-(r.score or 0.0), r.transcript_id, r.start, r.end, r.code_id))


def ranked_suggestions(
    store: Store,
    *,
    statuses: Sequence[str] | None = (PENDING,),
    transcript_id: int | None = None,
    code_ids: Sequence[str] | None = None,
) -> Iterator[Suggestion]:
    """Suggestions filtered as :func:`list_suggestions`, in :func:`by_score`'s order, streamed
    from the store; when only pending ones are asked for, those a coding covers are left
    out as :func:`pending_suggestions` does."""
    covered = statuses is not None and tuple(statuses) == (PENDING,)
    for row, overlapping in store.suggestions.ranked(statuses, transcript_id, code_ids, overlapping=covered):
        if not any(substantial(row.start, row.end, start, end) for start, end in overlapping):
            yield row


def list_suggestions(
    store: Store,
    *,
    statuses: Sequence[str] | None = (PENDING,),
    transcript_id: int | None = None,
    code_ids: Sequence[str] | None = None,
) -> list[Suggestion]:
    """Stored suggestions filtered by status (None: all), transcript and codes."""
    return store.suggestions.find(transcript_id, statuses=statuses, code_ids=code_ids)


def accept(
    store: Store, suggestion_id: int, coder: str, code_id: str | None = None, *, codebook: Codebook | None = None
) -> Coding:
    """Accept a pending suggestion, with its own code or ``code_id`` instead; returns the coding.

    With ``codebook`` given, another code is checked first (known, codable).
    """
    if code_id is not None and codebook is not None:
        check_code(codebook, code_id)
    return store.suggestions.accept(suggestion_id, coder, code_id)


def reject(store: Store, suggestion_id: int, coder: str) -> Suggestion:
    """Reject a pending suggestion; the same span and code will not be proposed again."""
    return store.suggestions.reject(suggestion_id, coder)


def skip(store: Store, suggestion_id: int) -> Suggestion | None:
    """Leave a suggestion open and return the next pending one after it (None at the end).

    "Next" is reading order within the same transcript first, then the following
    transcripts; nothing is written.
    """
    current = store.suggestions.get(suggestion_id)
    key = (current.transcript_id, current.start, current.end, current.code_id)
    for row in pending_suggestions(store):
        if (row.transcript_id, row.start, row.end, row.code_id) > key:
            return row
    return None


def undo(store: Store, suggestion_id: int) -> Suggestion:
    """Undo an accept or reject (e.g. the coding screen's undo): pending again.

    Undoing an acceptance removes only the coding that acceptance created.
    """
    return store.suggestions.reopen(suggestion_id)
