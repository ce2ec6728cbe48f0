"""A transcript as numbered turns with their offsets and codings (``qualcode show``).

The numbers and offsets are the ones ``qualcode code --turn N`` and ``--span
START:END`` take, so a researcher at the command line can find them without the
coding screen. Text outside every turn (a title block, a heading; not the speaker
labels) is listed too, as turn 0, so no coded text is hidden.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from .errors import BAD_TURN, error
from .model import Coding
from .store import Store
from .text import text_blocks


@dataclass(slots=True)
class TurnView:
    number: int  # 0: text outside any turn
    speaker: str | None
    role: str | None
    time_start: float | None
    time_end: float | None
    start: int
    end: int
    text: str
    codings: list[Coding] = field(default_factory=list)


def turn_views(
    store: Store, tid: int, first: int | None = None, last: int | None = None, *, codings: bool = False
) -> list[TurnView]:
    """The turns ``first``..``last`` (all by default) of a transcript; with ``codings``, each with
    the codings that start in it (a coding starting before the first shown turn goes with it)."""
    text = store.transcripts.text(tid)
    turns = store.transcripts.turns(tid)
    if first is not None:
        if not turns or first > turns[-1].index:
            raise error(BAD_TURN, name=store.transcripts.name(tid), turn=first, count=len(turns))
        shown = [t for t in turns if first <= t.index <= (last or first)]
        views = [_view(t.index, t.speaker, t.role, t.time_start, t.time_end, t.start, t.end, text) for t in shown]
    else:
        # Every turn, and the text outside turns that is not a speaker label (as turn 0).
        views = [_view(t.index, t.speaker, t.role, t.time_start, t.time_end, t.start, t.end, text) for t in turns]
        views += [_view(0, None, None, None, None, b.start, b.end, text) for b in text_blocks(text, turns) if b.turn is None]
        views.sort(key=lambda v: (v.start, v.number == 0))
    if codings and views:
        lo, hi = views[0].start, views[-1].end
        starts = [v.start for v in views]
        for coding in store.codings.find(tid, overlapping=(lo, hi)):
            views[max(0, bisect_right(starts, coding.start) - 1)].codings.append(coding)
    return views


def _view(number, speaker, role, time_start, time_end, start: int, end: int, text: str) -> TurnView:
    return TurnView(number, speaker, role, time_start, time_end, start, end, text[start:end])
