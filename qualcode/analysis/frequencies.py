"""Code frequencies, rolled up the code hierarchy, overall and per group.

Definitions (they are the ones the CLI help and the README repeat):

* **codings** - how many codings of the code or of any of its sub-codes.
* **segments** - how many distinct stretches of text the code's branch covers: the
  codings of the code and its sub-codes in one transcript are merged where they
  overlap (share at least one character), and each merged stretch counts once. A
  turn coded with two sub-codes of ``rolverwachtingen`` is one segment of
  ``rolverwachtingen``; two codings that only touch (``[0, 10)`` and ``[10, 20)``)
  are two.
* **transcripts** - in how many transcripts (of the group) the branch occurs;
  **transcript_share** divides by the number of transcripts in the group.
* **words**, **chars** - words (whitespace-separated, as ``str.split``) and
  characters in the merged stretches, so overlapping text is counted once.
* **coverage** - coded words divided by all words of the group's transcripts (or,
  grouped by speaker, of that speaker's turns): comparable across groups of
  unequal size.

Codes that left the codebook are reported under ``(missing)`` (see :mod:`.codes`).

Grouping (``by``): ``transcript``; a case attribute (transcripts without it form the
group ``(none)``); ``speaker`` or ``role`` of the turn in which a coding starts
(codings outside any turn: ``(no speaker)`` / ``(unknown)``). Every group that has
transcripts (or, for speakers, turns) is listed, with zeros where nothing is coded.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate, chain, compress, groupby, islice, repeat
from math import inf
from operator import add, eq, floordiv, ge, itemgetter, lt, mul

from ..codebook import Codebook
from ..errors import UNKNOWN_GROUPING, error
from ..store import Store
from ..words import SCALE, chars_and_words
from .codes import MISSING, CodeEntry, CodeHierarchy
from .selection import ALL, Selection, did_you_mean
from .source import NO_ROLE, NO_SPEAKER, CancelCheck, Progress, Ticker, count_codings
from .source import transcripts as iter_transcripts

TRANSCRIPT = "transcript"
SPEAKER = "speaker"
ROLE = "role"
BUILTIN_GROUPINGS = (TRANSCRIPT, SPEAKER, ROLE)
NO_VALUE = "(none)"  # the group of transcripts without the attribute
ALL_GROUP = "(all)"  # the name of the whole selection as a group
ROLE_ORDER = {"interviewer": 0, "respondent": 1}

# Of a packed span (opening, closing, code_id): see qualcode.words.
_OPENING, _CLOSING, _CODE = itemgetter(0), itemgetter(1), itemgetter(2)

MEASURES = ("codings", "segments", "transcripts", "transcript_share", "words", "chars", "coverage")


@dataclass(slots=True)
class Measures:
    """Counts for one code (branch) in one group."""

    codings: int = 0
    segments: int = 0
    transcripts: int = 0
    words: int = 0
    chars: int = 0

    def add(self, other: Measures) -> None:
        self.codings += other.codings
        self.segments += other.segments
        self.transcripts += other.transcripts
        self.words += other.words
        self.chars += other.chars


@dataclass(slots=True)
class Group:
    """A set of transcripts (or of turns) compared with the others."""

    name: str
    transcripts: int = 0  # transcripts in the group (for speakers: in which they speak)
    words: int = 0  # words in the group's text (turns, labels excluded)

    def share(self, m: Measures) -> float | None:
        """Share of the group's transcripts in which the code occurs (None for an empty group)."""
        return m.transcripts / self.transcripts if self.transcripts else None

    def coverage(self, m: Measures) -> float | None:
        """Share of the group's words that are coded with the code."""
        return m.words / self.words if self.words else None

    def value(self, m: Measures, measure: str) -> int | float | None:
        """One of :data:`MEASURES` of ``m`` in this group."""
        if measure == "transcript_share":
            return self.share(m)
        if measure == "coverage":
            return self.coverage(m)
        return getattr(m, measure)

    def values(self, m: Measures) -> dict[str, int | float | None]:
        """All measures of ``m`` in this group, in :data:`MEASURES` order."""
        return {
            "codings": m.codings,
            "segments": m.segments,
            "transcripts": m.transcripts,
            "transcript_share": self.share(m),
            "words": m.words,
            "chars": m.chars,
            "coverage": self.coverage(m),
        }


@dataclass(slots=True)
class CodeFrequency:
    code: CodeEntry
    total: Measures
    groups: dict[str, Measures] = field(default_factory=dict)

    def in_group(self, name: str) -> Measures:
        return self.groups.get(name) or Measures()


@dataclass(slots=True)
class FrequencyTable:
    """Frequencies per code; ``groups`` is empty unless grouped (``by``)."""

    by: str | None
    total: Group
    groups: list[Group]
    rows: list[CodeFrequency]

    def row(self, code_id: str) -> CodeFrequency:
        return next(r for r in self.rows if r.code.id == code_id)


def check_grouping(store: Store, by: str | None) -> None:
    """Refuse an unknown ``by`` with the list of what can be used."""
    if by is None or by in BUILTIN_GROUPINGS:
        return
    known = sorted({name for values in store.transcripts.all_attributes().values() for name in values})
    if by not in known:
        raise error(
            UNKNOWN_GROUPING,
            by=by,
            known=", ".join(known) or "this project has no case attributes",
            suggestion=did_you_mean(by, [*BUILTIN_GROUPINGS, *known]),
        )


def merged(spans: Sequence[tuple], words: bool) -> Measures:
    """Merge spans (``(opening, closing, code_id)`` of :func:`qualcode.words.packed`, sorted
    by start) where they overlap; count the stretches, their characters and, when
    ``words``, their words (from the packed word positions: no text is read).

    C-level iterators (``accumulate``, ``compress``, ``map``) instead of a Python loop
    per span: at 200,000 codings that loop was most of the time of a statistic.
    """
    openings = list(map(_OPENING, spans))
    reach = list(accumulate(map(_CLOSING, spans), max))  # the closing of the furthest end so far
    opens = [True, *map(ge, islice(openings, 1, None), reach)]  # starting at or after the reach opens a stretch
    closes = opens[1:]  # a stretch ends at the reach of its last span
    closes.append(True)
    stretches = opens.count(True)
    chars, counted = chars_and_words(sum(compress(reach, closes)) - sum(compress(openings, opens)), stretches)
    return Measures(len(spans), stretches, 1, counted if words else 0, chars)


def measure_branches(spans: list[tuple], rollup: dict[str, tuple[str, ...]], words: bool) -> dict[str, Measures]:
    """:func:`merged` measures of every code branch that ``spans`` (one transcript's
    ``(start, end, code_id, ...)`` in start order) touch; words only when ``words``."""
    lists: dict[str, list[list[tuple]]] = {}
    for code_id, group in groupby(sorted(spans, key=_CODE), _CODE):  # stable: start order kept per code
        members = list(group)
        for target in rollup.get(code_id) or (code_id, MISSING):
            lists.setdefault(target, []).append(members)
    return {
        target: merged(sorted(chain.from_iterable(parts), key=_OPENING) if len(parts) > 1 else parts[0], words)
        for target, parts in lists.items()
    }


def frequencies(
    store: Store,
    codebook: Codebook,
    selection: Selection = ALL,
    *,
    by: str | None = None,
    words: bool = True,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> FrequencyTable:
    """Count every code of the codebook (and missing codes) in the selection, optionally by group.

    ``words=False`` leaves the coded words (and so coverage) at zero, for callers that
    need only the other measures. Texts are not read (words come from the store's word
    positions, see :mod:`qualcode.words`).
    """
    check_grouping(store, by)
    tree = CodeHierarchy.build(codebook, store)
    rollup = tree.rollup
    totals: dict[str, Measures] = defaultdict(Measures)
    per_group: dict[str, dict[str, Measures]] = defaultdict(lambda: defaultdict(Measures))
    groups: dict[str, Group] = {}
    everything = Group(ALL_GROUP)
    ticker = Ticker(progress, cancelled, count_codings(store, selection))
    turn_by = by if by in (SPEAKER, ROLE) else None  # grouped by who speaks: counted per turn
    flt = selection.coding_filter

    for view in iter_transcripts(store, selection):
        everything.transcripts += 1
        everything.words += view.words
        spans = store.codings.packed_spans(view.id, flt)
        transcript_group = None
        if by is not None and turn_by is None:
            transcript_group = view.name if by == TRANSCRIPT else view.attributes.get(by, NO_VALUE)
            group = groups.setdefault(transcript_group, Group(transcript_group))
            group.transcripts += 1
            group.words += view.words
        if turn_by is not None:
            turn_starts, turn_ends, labels, label_words = store.transcripts.turn_layout(view.id, turn_by)
            unlabelled = NO_SPEAKER if turn_by == SPEAKER else NO_ROLE
            speaking = _count_turn_groups(label_words, unlabelled, groups)
        if not spans:
            continue
        for code_id, m in measure_branches(spans, rollup, words).items():
            totals[code_id].add(m)
            if transcript_group is not None:
                per_group[transcript_group][code_id].add(m)
        if turn_by is not None:
            for name, group_spans in _by_turn_group(spans, turn_starts, turn_ends, labels, unlabelled):
                if name not in speaking:  # codings outside every turn
                    speaking.add(name)
                    groups.setdefault(name, Group(name)).transcripts += 1
                for code_id, m in measure_branches(group_spans, rollup, words).items():
                    per_group[name][code_id].add(m)
        ticker.add(len(spans))
    ticker.finish()

    shown = tree.codes
    if selection.code_ids is not None:
        wanted = set(selection.code_ids) | (
            {MISSING} if any(c.missing for c in tree.codes if c.id in selection.code_ids) else set()
        )
        shown = [c for c in tree.codes if c.id in wanted]
    out_rows = [
        CodeFrequency(
            code, totals.get(code.id) or Measures(), {g: per_group[g][code.id] for g in per_group if code.id in per_group[g]}
        )
        for code in shown
    ]
    return FrequencyTable(by, everything, _ordered(groups, by), out_rows)


def _count_turn_groups(label_words: dict[str | None, int], unlabelled: str, groups: dict[str, Group]) -> set[str]:
    """Add one transcript's words per speaker (or role) to its group, count the transcript
    once per group; return the groups that speak in it."""
    speaking = set()
    for label, words in label_words.items():
        name = label or unlabelled
        group = groups.get(name) or groups.setdefault(name, Group(name))
        group.words += words
        if name not in speaking:
            speaking.add(name)
            group.transcripts += 1
    return speaking


def _by_turn_group(
    spans: list[tuple], turn_starts: list[int], turn_ends: list[int], labels: list[str | None], unlabelled: str
) -> list[tuple[str, list[tuple]]]:
    """``spans`` (in start order) split by the group of the first turn each overlaps: the
    first turn ending after its start, if that turn starts before its end; else
    ``unlabelled`` (outside every turn). Groups in order of first appearance.

    C-level maps over all spans, then one filtering pass per group (a transcript has a
    few speakers): a Python step per coding cost more than the counting.
    """
    names = [unlabelled, *(label or unlabelled for label in labels)]  # 0: outside every turn
    firsts = [*turn_starts, inf]  # a span after the last turn's end is outside
    index = list(map(bisect_right, repeat(turn_ends), map(floordiv, map(_OPENING, spans), repeat(SCALE))))
    inside = map(lt, map(firsts.__getitem__, index), map(floordiv, map(_CLOSING, spans), repeat(SCALE)))
    found = list(map(names.__getitem__, map(mul, map(add, index, repeat(1)), inside)))
    return [(name, list(compress(spans, map(eq, found, repeat(name))))) for name in dict.fromkeys(found)]


def _ordered(groups: dict[str, Group], by: str | None) -> list[Group]:
    """Transcripts in name order; otherwise sorted, with the catch-all groups last."""
    if by == TRANSCRIPT:
        return list(groups.values())  # already in name order (the streaming order)
    catch_all = {NO_VALUE, NO_SPEAKER, NO_ROLE}

    def key(g: Group):
        return (g.name in catch_all, ROLE_ORDER.get(g.name, 9) if by == ROLE else 0, g.name.casefold(), g.name)

    return sorted(groups.values(), key=key)
