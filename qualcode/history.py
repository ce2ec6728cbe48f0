"""Undo and redo of coding actions (apply, remove, memo, a transcript's own memo) for one session.

Every action and every undo or redo is one committed store transaction, so the
database is always the truth and a crash loses nothing that was done. Steps keep
full snapshots of the codings they touched: undoing a removal puts the coding
back with its id, coder, memo and timestamps (``Store.restore_coding``), so a
later memo step still points at the same coding.

If something outside this session changed a coding in the meantime (a CLI
command, a second window), the step cannot be replayed: it is dropped and a
:data:`~qualcode.errors.UNDO_CONFLICT` error explains why. The store is left as
it was (the step's transaction is rolled back).

A new coding settles the pending suggestions it makes redundant (same code, the
spans lining up as :func:`qualcode.suggest.segments.substantial` says): they are
accepted, pointing at the coding, in the same transaction, so every count of
pending suggestions agrees at once; undoing the coding opens them again.

The callers (the coding screen) mirror the :class:`Change` each call returns
instead of re-reading the whole transcript, which keeps an action well under a
frame on a transcript with thousands of codings.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from .codebook import Codebook
from .coding import apply_code, settle_suggestions
from .errors import UNDO_CONFLICT, QualcodeError, error
from .model import Coding, stored_id
from .store import DetachedCoding, Store
from .store.drafts import UNCHECKED

APPLY = "apply"
REMOVE = "remove"
MEMO = "memo"
REATTACH = "reattach"  # a detached coding given its place again
TRANSCRIPT_MEMO = "transcript_memo"  # a transcript's own memo (the interview as a whole)

DEFAULT_LIMIT = 500  # steps kept


@dataclass(frozen=True, slots=True)
class CodingChange:
    """What one action, undo or redo did to the store."""

    kind: str  # APPLY, REMOVE or MEMO: the kind of the step done or undone
    added: tuple[Coding, ...] = ()  # codings now in the store that were not before
    removed: tuple[Coding, ...] = ()  # codings no longer in the store
    updated: tuple[Coding, ...] = ()  # codings whose memo changed, as they are now
    unchanged: tuple[Coding, ...] = ()  # an apply that found the coding already there
    undo: bool = False  # True for an undo, False for an action or a redo
    transcript_id: int | None = None  # TRANSCRIPT_MEMO: the transcript whose memo changed

    @property
    def codings(self) -> tuple[Coding, ...]:
        """Every coding the change touched, in order."""
        return self.added + self.removed + self.updated + self.unchanged


@dataclass(slots=True)
class _Step:
    kind: str
    codings: list[Coding]  # APPLY: the created codings; REMOVE: the removed ones; MEMO: one coding
    memo_before: str | None = None
    memo_after: str | None = None
    settled: list[int] = field(default_factory=list)  # APPLY: suggestions the codings settled
    detached: DetachedCoding | None = None  # REATTACH: the detached coding as it was
    inserted: bool = True  # REATTACH: a coding of its own (False: it joined an existing one)
    transcript_id: int | None = None  # TRANSCRIPT_MEMO: whose memo (``codings`` is empty)


@dataclass(slots=True)
class UndoStacks:
    """The undo and redo stacks of a session; subclasses say how a step is replayed."""

    store: Store
    codebook: Codebook
    limit: int = DEFAULT_LIMIT
    _undo: deque = field(init=False)
    _redo: list = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self._undo = deque(maxlen=self.limit)

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def __len__(self) -> int:
        return len(self._undo)

    def _record(self, step: object) -> None:
        self._undo.append(step)
        self._redo.clear()  # a new action forks history: the undone future is gone

    def undo(self) -> CodingChange | None:
        """Undo the last step; None if there is nothing to undo."""
        if not self._undo:
            return None
        step = self._undo.pop()
        change = self._replay(step, undo=True)
        self._redo.append(step)
        return change

    def redo(self) -> CodingChange | None:
        """Redo the last undone step; None if there is nothing to redo."""
        if not self._redo:
            return None
        step = self._redo.pop()
        change = self._replay(step, undo=False)
        self._undo.append(step)
        return change

    def _replay(self, step, *, undo: bool) -> CodingChange:
        raise NotImplementedError


@dataclass(slots=True)
class History(UndoStacks):
    """Undo/redo of coding actions over a store; every method is one committed transaction."""

    # --- actions ------------------------------------------------------------------

    def apply(
        self,
        transcript_id: int,
        start: int,
        end: int,
        code_ids: Sequence[str],
        coder: str,
        *,
        memo: str | None = None,
    ) -> CodingChange:
        """Apply one or more codes to a span (one transaction, one undo step)."""
        return self.apply_parts(transcript_id, [(start, end)], code_ids, coder, memo=memo)

    def apply_parts(
        self,
        transcript_id: int,
        parts: Sequence[tuple[int, int]],
        code_ids: Sequence[str],
        coder: str,
        *,
        memo: str | None = None,
    ) -> CodingChange:
        """Apply codes to several spans at once, e.g. a selection cut at turn boundaries
        (one transaction, one undo step)."""
        created: list[Coding] = []
        existing: list[Coding] = []
        with self.store.transaction():
            for start, end in parts:
                for code_id in code_ids:
                    added = apply_code(self.store, self.codebook, transcript_id, start, end, code_id, coder, memo=memo)
                    (created if added.inserted else existing).append(added.coding)
            settled = settle_suggestions(self.store, created)
        if created:
            self._record(_Step(APPLY, created, settled=settled))
        return CodingChange(APPLY, added=tuple(created), unchanged=tuple(existing))

    def remove(self, coding_ids: Iterable[int]) -> CodingChange:
        """Remove codings by id (one transaction, one undo step)."""
        with self.store.transaction():
            removed = [self.store.codings.remove(cid) for cid in coding_ids]
        if removed:
            self._record(_Step(REMOVE, removed))
        return CodingChange(REMOVE, removed=tuple(removed))

    def set_memo(self, coding_id: int, memo: str | None, *, was: object = UNCHECKED) -> CodingChange:
        """Set or clear (None or '') a coding's memo (``was``: see :meth:`CodingStore.set_memo`)."""
        memo = memo or None
        before = self.store.codings.set_memo(coding_id, memo, was=was)
        after = self.store.codings.get(coding_id)
        if before.memo != after.memo:
            self._record(_Step(MEMO, [after], before.memo, after.memo))
        return CodingChange(MEMO, updated=(after,))

    def set_transcript_memo(self, transcript_id: int, memo: str | None, *, was: object = UNCHECKED) -> CodingChange:
        """Set or clear a transcript's own memo (``was``: see :meth:`TranscriptStore.set_memo`)."""
        memo = memo or None
        before = self.store.transcripts.set_memo(transcript_id, memo, was=was)
        if before != memo:
            self._record(_Step(TRANSCRIPT_MEMO, [], before, memo, transcript_id=transcript_id))
        return CodingChange(TRANSCRIPT_MEMO, transcript_id=transcript_id)

    def reattach(self, detached_id: int, start: int, end: int) -> tuple[CodingChange, bool]:
        """Give a detached coding the place ``[start, end)`` (one undo step); also whether it
        became a coding of its own (False: it joined the same coder's coding of that code there)."""
        with self.store.transaction():
            detached = self.store.codings.detached_one(detached_id)
            twin = [
                c
                for c in self.store.codings.find(
                    detached.transcript_id, [detached.code_id], [detached.coder], overlapping=(start, end)
                )
                if (c.start, c.end) == (start, end)
            ]
            added = self.store.codings.reattach(detached_id, start, end)
        memo_before = twin[0].memo if twin else None
        self._record(_Step(REATTACH, [added.coding], memo_before, added.coding.memo, detached=detached, inserted=added.inserted))
        if added.inserted:
            return CodingChange(APPLY, added=(added.coding,)), True
        return CodingChange(MEMO, updated=(added.coding,)), False

    # --- undo / redo --------------------------------------------------------------

    def _replay(self, step: _Step, *, undo: bool) -> CodingChange:
        action = "undo" if undo else "redo"
        try:
            with self.store.transaction():
                if step.kind == REATTACH:
                    return self._replay_reattach(step, undo=undo)
                if step.kind == TRANSCRIPT_MEMO:  # not over a memo written meanwhile elsewhere
                    assert step.transcript_id is not None  # recorded by set_transcript_memo()
                    old, new = (step.memo_after, step.memo_before) if undo else (step.memo_before, step.memo_after)
                    self.store.transcripts.set_memo(step.transcript_id, new, was=old)
                    return CodingChange(TRANSCRIPT_MEMO, undo=undo, transcript_id=step.transcript_id)
                if step.kind == MEMO:
                    coding = step.codings[0]
                    self.store.codings.set_memo(stored_id(coding), step.memo_before if undo else step.memo_after)
                    return CodingChange(MEMO, updated=(self.store.codings.get(stored_id(coding)),), undo=undo)
                take_away = (step.kind == APPLY) == undo
                if take_away:
                    # Keep what the rows look like now, so a redo restores exactly that.
                    step.codings = [self.store.codings.remove(stored_id(c)) for c in step.codings]
                    if step.kind == APPLY:  # what the coding settled is open again
                        for suggestion_id in step.settled:
                            self.store.suggestions.reopen(suggestion_id)
                    return CodingChange(step.kind, removed=tuple(step.codings), undo=undo)
                restored = [self.store.codings.get(stored_id(self.store.codings.restore(replace(c)))) for c in step.codings]
                if step.kind == APPLY:
                    step.settled = settle_suggestions(self.store, restored)
                return CodingChange(step.kind, added=tuple(restored), undo=undo)
        except QualcodeError as exc:
            raise error(UNDO_CONFLICT, action=action, step=step.kind, reason=exc.message) from None

    def _replay_reattach(self, step: _Step, *, undo: bool) -> CodingChange:
        """Undo: the coding is detached again as it was; redo: it gets the same place again."""
        assert step.detached is not None  # recorded by reattach()
        coding = step.codings[0]
        if undo:
            now_there = self.store.codings.get(stored_id(coding))
            self.store.codings.detach_again(step.detached, now_there, inserted=step.inserted, memo_before=step.memo_before)
            if step.inserted:
                return CodingChange(APPLY, removed=(now_there,), undo=True)
            return CodingChange(MEMO, updated=(self.store.codings.get(stored_id(coding)),), undo=True)
        added = self.store.codings.reattach(step.detached.id, coding.start, coding.end)
        step.codings = [added.coding]
        if added.inserted:
            return CodingChange(APPLY, added=(added.coding,))
        return CodingChange(MEMO, updated=(added.coding,))
