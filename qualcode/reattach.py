"""Where a detached coding probably belongs now: a guess to show the researcher, never to act on.

A coding is detached when a re-import changed its text so much that
:mod:`qualcode.reanchor` would not place it. Re-attaching it is the researcher's
decision; this module only proposes where to look first, so the passage can be
confirmed with one key instead of searched for:

1. the earlier quote, word for word, where it occurs nearest its old place;
2. otherwise the run of one to a few consecutive sentences (inside one turn)
   that reads most like the quote, if it is alike enough (a character-level
   similarity of at least ``ALIKE``), nearest the old place among equals.

Only sentences within ``REACH`` characters of the old place are compared, and
only the few that share the most words with the quote character by character,
so the cost stays a few milliseconds on a 200,000-word transcript
(``benchmarks/bench_reattach.py``).
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

ALIKE = 0.6  # similarity (0-1) from which a passage is proposed
REACH = 20_000  # characters on each side of the old place that are compared
MAX_SENTENCES = 4  # the longest run of sentences compared with a quote
SHARED = 0.3  # share of words (of both together) a run must have in common with the quote to be compared
SHORTLIST = 5  # runs compared character by character
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Guess:
    """A proposed place ``[start, end)`` and how alike its text is to the quote (1.0: the same)."""

    start: int
    end: int
    alike: float


def exact_place(text: str, quote: str, near: int) -> Guess | None:
    """The occurrence of ``quote`` in ``text`` nearest to offset ``near`` (None: not there word for word)."""
    if not quote.strip():
        return None
    best: int | None = None
    at = text.find(quote)
    while at >= 0:
        if best is None or abs(at - near) < abs(best - near):
            best = at
        at = text.find(quote, at + 1)
    return None if best is None else Guess(best, best + len(quote), 1.0)


def likely_place(text: str, blocks: Iterable[Sequence[tuple[int, int]]], quote: str, near: int) -> Guess | None:
    """The passage of ``text`` most like ``quote`` near offset ``near`` (None: nothing alike enough).

    ``blocks`` are the sentence spans of each turn, in order; a proposed run of
    sentences never crosses a turn. The exact quote wins wherever it is. Runs are
    first ranked by the words they share with the quote (cheap); only the best
    ``SHORTLIST`` are compared character by character (``difflib``), which is
    what tells an edited sentence from another one about the same thing.
    """
    found = exact_place(text, quote, near)
    if found is not None or not quote.strip():
        return found
    wanted = " ".join(quote.split()).lower()
    words = set(_WORD.findall(wanted))
    shortlist: list[tuple[float, int, int, int]] = []  # (shared words, -distance, start, end)
    for sentences in blocks:
        kept = [(s, e) for s, e in sentences if abs(s - near) <= REACH]
        sets = [set(_WORD.findall(text[s:e].lower())) for s, e in kept]
        for i, (start, _) in enumerate(kept):
            run: set[str] = set()
            for last in range(i, min(i + MAX_SENTENCES, len(kept))):
                run |= sets[last]
                common = len(run & words)
                shared = common / (len(run) + len(words) - common or 1)  # Jaccard: shared of both together
                if shared >= SHARED:
                    shortlist.append((shared, -abs(start - near), start, kept[last][1]))
                if len(run) > 2 * len(words):
                    break  # longer runs only share less
    best: Guess | None = None
    for _, _, start, end in heapq.nlargest(SHORTLIST, shortlist):
        matcher = SequenceMatcher(None, wanted, " ".join(text[start:end].split()).lower(), autojunk=False)
        if matcher.real_quick_ratio() < ALIKE:  # the lengths alone rule it out
            continue
        alike = matcher.ratio()
        if alike >= ALIKE and (best is None or (alike, -abs(start - near)) > (best.alike, -abs(best.start - near))):
            best = Guess(start, end, alike)
    return best
