"""Whose codings the coding screen shows, and how each coder's are told apart (no Textual here).

The views cycle: everyone's codings, only mine, then each other coder's alone.
In blind mode (a project setting for the independent phase of a study) the only
view is mine. In the margin my codings are drawn with a full bar and each other
coder's with a mark of their own, so two coders' codings of one passage can be
told apart at a glance.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

MY_MARK = "▌"
OTHER_MARKS = ("┃", "╏", "║", "╎", "│")  # never ┆: the margin mark of a pending suggestion


@dataclass(frozen=True, slots=True)
class CoderView:
    """The coders whose codings are shown (``None``: everyone's)."""

    shown: frozenset[str] | None
    who: str  # "all", "mine" or a coder's name

    def shows(self, coder: str) -> bool:
        return self.shown is None or coder in self.shown


def coder_views(me: str, coders: Iterable[str], *, blind: bool) -> list[CoderView]:
    """The views to cycle through, the first being the default."""
    mine = CoderView(frozenset({me}), "mine")
    if blind:
        return [mine]
    others = sorted({c for c in coders if c != me}, key=str.casefold)
    return [CoderView(None, "all"), mine, *(CoderView(frozenset({c}), c) for c in others)]


def coder_marks(me: str, coders: Iterable[str]) -> dict[str, str]:
    """A margin mark per coder: mine is the full bar, the others' thinner, one each."""
    marks = {me: MY_MARK}
    others = sorted({c for c in coders if c != me}, key=str.casefold)
    for i, coder in enumerate(others):
        marks[coder] = OTHER_MARKS[i % len(OTHER_MARKS)]
    return marks
