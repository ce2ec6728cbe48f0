"""The session's undo/redo: coding actions and review decisions on one stack (core: no UI).

:class:`~qualcode.history.History` (the core) undoes applies, removals and
memos. Reviewing suggestions adds two more kinds of step, *accept* and
*reject*, which go through the core review functions (``accept``, ``reject``
and, to take one back, ``qualcode.suggest.undo``). :class:`SessionHistory`
keeps both in one order, so Ctrl+Z always takes back the last thing the
researcher did, whichever kind it was: coding steps are handed to the wrapped
``History``; decisions are replayed here.

Every step is still one committed transaction. Accepting also settles the other
pending suggestions the coding makes redundant (as a coding action does, see
:func:`qualcode.coding.settle_suggestions`). Undoing an acceptance reopens the
suggestion and those it settled, and removes only the coding the acceptance
created (a human coding it was linked to stays); redoing it accepts again, which
makes a new coding (a new id). A decision that cannot be replayed because something
outside the session changed the suggestion (a CLI command, a new suggestion
run that withdrew it) is dropped with :data:`~qualcode.errors.REVIEW_UNDO_CONFLICT`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .coding import settle_suggestions
from .errors import REVIEW_UNDO_CONFLICT, QualcodeError, error
from .history import CodingChange, History, UndoStacks
from .model import ACCEPTED, REJECTED, SUGGESTED, Coding
from .store import Suggestion
from .store.drafts import UNCHECKED

# qualcode.suggest.review is imported where it is used: importing it runs the whole
# qualcode.suggest package (~25 ms, no spaCy), which the app's first screen does not need.

ACCEPT = "accept"
REJECT = "reject"
_CODING = "coding"  # a step kept by the wrapped History


@dataclass(frozen=True, slots=True)
class SuggestionDecision(CodingChange):
    """A change made by accepting or rejecting a suggestion (or undoing that).

    ``kind`` is :data:`ACCEPT` or :data:`REJECT`; ``added``/``removed`` hold the
    coding an acceptance made or an undo took away; ``suggestion`` is the
    suggestion as it is after the step.
    """

    suggestion: Suggestion | None = None
    code_id: str | None = None  # the code accepted with (the suggestion's own or another)


@dataclass(slots=True)
class _DecisionStep:
    suggestion_id: int
    status: str  # ACCEPTED or REJECTED
    code_id: str | None  # another code for an acceptance, None for the suggestion's own
    coder: str
    coding: Coding | None = None  # the coding the acceptance created (None: linked an existing one)
    accepted_code: str | None = None  # the code the suggestion was accepted with (named by undo)
    settled: list[int] = field(default_factory=list)  # other suggestions the acceptance settled


@dataclass(slots=True)
class SessionHistory(UndoStacks):
    """Undo/redo of coding actions and review decisions, in the order they were made.

    A new action forks history. The wrapped History clears its own redo when it
    records a coding step; stale entries left under a decision are never reached,
    because our redo stack (which decides what History.redo is asked for) is empty.
    """

    codings: History = field(init=False)

    def __post_init__(self) -> None:
        UndoStacks.__post_init__(self)
        self.codings = History(self.store, self.codebook, self.limit)

    # --- coding actions (kept by History) ---------------------------------------------

    def apply(
        self, transcript_id: int, start: int, end: int, code_ids: Sequence[str], coder: str, *, memo: str | None = None
    ) -> CodingChange:
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
        change = self.codings.apply_parts(transcript_id, parts, code_ids, coder, memo=memo)
        if change.added:  # History records a step exactly then
            self._record(_CODING)
        return change

    def remove(self, coding_ids: Iterable[int]) -> CodingChange:
        change = self.codings.remove(coding_ids)
        if change.removed:
            self._record(_CODING)
        return change

    def set_memo(self, coding_id: int, memo: str | None, *, was: object = UNCHECKED) -> CodingChange:
        before = self.store.codings.get(coding_id).memo
        change = self.codings.set_memo(coding_id, memo, was=was)
        if before != (memo or None):  # History records a step only for a real change
            self._record(_CODING)
        return change

    def set_transcript_memo(self, transcript_id: int, memo: str | None, *, was: object = UNCHECKED) -> CodingChange:
        before = self.store.transcripts.memo(transcript_id)
        change = self.codings.set_transcript_memo(transcript_id, memo, was=was)
        if before != (memo or None):  # History records a step only for a real change
            self._record(_CODING)
        return change

    def reattach(self, detached_id: int, start: int, end: int) -> tuple[CodingChange, bool]:
        result = self.codings.reattach(detached_id, start, end)  # History records a step always
        self._record(_CODING)
        return result

    # --- review decisions ---------------------------------------------------------------

    def accept(self, suggestion_id: int, coder: str, code_id: str | None = None) -> SuggestionDecision:
        """Accept a pending suggestion (with its own code, or ``code_id``); one transaction."""
        from .suggest.review import accept

        with self.store.transaction():
            coding = accept(self.store, suggestion_id, coder, code_id, codebook=self.codebook)
            settled = settle_suggestions(self.store, [coding])
        made = coding if _made_by(coding, suggestion_id) else None
        step = _DecisionStep(suggestion_id, ACCEPTED, code_id, coder, made, coding.code_id, settled)
        self._record(step)
        return self._accepted(step, coding)

    def reject(self, suggestion_id: int, coder: str) -> SuggestionDecision:
        """Reject a pending suggestion; it is never proposed again."""
        from .suggest.review import reject

        row = reject(self.store, suggestion_id, coder)
        self._record(_DecisionStep(suggestion_id, REJECTED, None, coder))
        return SuggestionDecision(REJECT, suggestion=row)

    def _accepted(self, step: _DecisionStep, coding: Coding, *, undo: bool = False) -> SuggestionDecision:
        row = self.store.suggestions.get(step.suggestion_id)
        if step.coding is not None:
            return SuggestionDecision(ACCEPT, added=(coding,), undo=undo, suggestion=row, code_id=coding.code_id)
        return SuggestionDecision(ACCEPT, unchanged=(coding,), undo=undo, suggestion=row, code_id=coding.code_id)

    # --- undo / redo --------------------------------------------------------------------

    def _replay(self, step: _DecisionStep | str, *, undo: bool) -> CodingChange:
        if isinstance(step, str):  # _CODING
            change = self.codings.undo() if undo else self.codings.redo()
            # each marker stands for one step History kept (both stacks have the same limit)
            assert change is not None
            return change
        from .suggest.review import accept, reject
        from .suggest.review import undo as reopen

        kind = ACCEPT if step.status == ACCEPTED else REJECT
        try:
            if undo:
                current = self.store.suggestions.get(step.suggestion_id)
                if current.status != step.status:
                    raise error(
                        REVIEW_UNDO_CONFLICT,
                        action="undo",
                        kind=kind,
                        id=step.suggestion_id,
                        reason=f"it is {current.status} now",
                    )
                with self.store.transaction():
                    row = reopen(self.store, step.suggestion_id)
                    for suggestion_id in step.settled:
                        reopen(self.store, suggestion_id)
                removed = (step.coding,) if step.coding is not None else ()
                return SuggestionDecision(kind, removed=removed, undo=True, suggestion=row, code_id=step.accepted_code)
            if step.status == REJECTED:
                return SuggestionDecision(REJECT, suggestion=reject(self.store, step.suggestion_id, step.coder))
            with self.store.transaction():
                coding = accept(self.store, step.suggestion_id, step.coder, step.code_id, codebook=self.codebook)
                step.settled = settle_suggestions(self.store, [coding])
            step.coding = coding if _made_by(coding, step.suggestion_id) else None
            return self._accepted(step, coding)
        except QualcodeError as exc:
            if exc.code == REVIEW_UNDO_CONFLICT.code:
                raise
            raise error(
                REVIEW_UNDO_CONFLICT, action="undo" if undo else "redo", kind=kind, id=step.suggestion_id, reason=exc.message
            ) from None


def _made_by(coding: Coding, suggestion_id: int) -> bool:
    """Whether the acceptance created ``coding`` (rather than linking an existing one)."""
    return coding.origin == SUGGESTED and coding.suggestion_id == suggestion_id
