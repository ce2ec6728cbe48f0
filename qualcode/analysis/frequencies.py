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

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain, compress, islice, repeat
from operator import add, eq, ge

from ..codebook import Codebook
from ..errors import UNKNOWN_GROUPING, error
from ..store import CodeColumnBatch, CodeColumns, Store
from ..termsafe import normal_name
from ..words import PAD, SCALE, Packing, chars_and_words
from .codes import MISSING, CodeEntry, CodeHierarchy
from .selection import ALL, Selection, did_you_mean
from .source import NO_ROLE, NO_SPEAKER, OUTSIDE_TURNS, CancelCheck, Progress, Ticker, count_codings
from .source import transcripts as iter_transcripts

TRANSCRIPT = "transcript"
SPEAKER = "speaker"
ROLE = "role"
BUILTIN_GROUPINGS = (TRANSCRIPT, SPEAKER, ROLE)
NO_VALUE = "(none)"  # the group of transcripts without the attribute
ALL_GROUP = "(all)"  # the name of the whole selection as a group
ROLE_ORDER = {"interviewer": 0, "respondent": 1}

# Of one transcript's packed spans (:func:`qualcode.words.packed`).
ONE_TRANSCRIPT = Packing(0, 1, SCALE, PAD, 0)

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


def stretches(openings: list[int], closings: list[int], packing: Packing = ONE_TRANSCRIPT) -> tuple[int, int, int]:
    """``(stretches, chars, words)`` of the union of spans given by their packed numbers,
    each list sorted on its own (the pairs are not needed).

    Sorted apart, the ``j``-th closing and the ``(j+1)``-th opening bound a gap (the end
    of a stretch) exactly when the opening is at or after the closing: before that
    point ``j + 1`` spans have started and, in a gap, all of them have ended. So one
    C-level comparison per span finds the stretches; no running maximum is needed.
    """
    later = islice(openings, 1, None)
    gaps = list(map(ge, later, closings))  # gaps[j]: a stretch ends at closings[j]
    count = gaps.count(True) + 1
    total = sum(compress(closings, gaps)) + closings[-1] - openings[0] - sum(compress(islice(openings, 1, None), gaps))
    chars, words = chars_and_words(total, count, packing.scale, packing.pad)
    return count, chars, words


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
    by = normal_name(by) if by else by  # as attribute names are stored: a tab typed or copied is a space
    check_grouping(store, by)
    tree = CodeHierarchy.build(codebook, store)
    totals: dict[str, Measures] = defaultdict(Measures)
    per_group: dict[str, dict[str, Measures]] = defaultdict(lambda: defaultdict(Measures))
    groups: dict[str, Group] = {}
    everything = Group(ALL_GROUP)
    # The total only feeds a progress bar: without one, counting every coding first is wasted.
    ticker = Ticker(progress, cancelled, count_codings(store, selection) if progress is not None else 0)
    counts = _Counts(tree.rollup, words, totals, per_group, ticker)
    if by in (SPEAKER, ROLE):  # grouped by who speaks: counted per turn
        _count_by_turns(store, selection, by, counts, groups, everything)
    else:
        group_of: dict[int, str] = {}
        for view in iter_transcripts(store, selection):
            everything.transcripts += 1
            everything.words += view.words
            if by is not None:
                name = group_of[view.id] = view.name if by == TRANSCRIPT else view.attributes.get(by, NO_VALUE)
                group = groups.setdefault(name, Group(name))
                group.transcripts += 1
                group.words += view.words
        for batch in store.codings.code_columns(selection.coding_filter):
            counts.add(batch, group_of if by is not None else None)
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


class _Counts:
    """Where the measures of a :func:`frequencies` run are added up."""

    __slots__ = ("per_group", "rollup", "ticker", "totals", "words")

    def __init__(
        self,
        rollup: dict[str, tuple[str, ...]],
        words: bool,
        totals: dict[str, Measures],
        per_group: dict[str, dict[str, Measures]],
        ticker: Ticker,
    ) -> None:
        self.rollup, self.words, self.totals, self.per_group, self.ticker = rollup, words, totals, per_group, ticker

    def add(self, batch: CodeColumnBatch, group_of: dict[int, str] | None) -> None:
        """Add a batch of transcripts to the totals (and, with ``group_of``, to each
        transcript's group), reporting progress."""
        self._add(batch.codes, batch, self.totals, group_of, progress=True)

    def add_by_turn(
        self, batch: CodeColumnBatch, unlabelled: str, speaking: dict[str, set[int]], groups: dict[str, Group]
    ) -> None:
        """Add a batch's codings to the totals and to the group (speaker or role) of the
        turn each is counted in (:attr:`CodeColumns.labels`; ``unlabelled``: in a turn
        without a label; outside every turn, :data:`OUTSIDE_TURNS`), noting in which
        transcripts each group has codings (``speaking``).

        Codings that fit their turns (``store.codings.turn_places``) of different groups
        never overlap: a branch whose codings all fit has as totals the sums of its
        groups' measures (its transcripts: the union of theirs). Only a branch with a
        coding that reaches beyond its turn is counted once more as a whole.
        """
        by_name: dict[str, list[CodeColumns]] = {}
        for column in batch.codes:
            for name, part in _split(column, unlabelled):
                by_name.setdefault(name, []).append(part)
        grouped = {name: self._branches(columns) for name, columns in by_name.items()}
        for name in grouped:
            groups.setdefault(name, Group(name))
        for target, columns in self._branches(batch.codes).items():
            summed, found = Measures(), set()
            for name, branches in grouped.items():
                if target in branches:
                    measures, slots = self._measure(branches[target], batch.packing)
                    self.per_group[name][target].add(measures)
                    summed.add(measures)
                    found.update(slots)
                    speaking.setdefault(name, set()).update(map(add, slots, repeat(batch.first)))
            if any(c.reaching for c in columns):
                self.totals[target].add(self._measure(columns, batch.packing)[0])
            else:
                summed.transcripts = len(found)
                self.totals[target].add(summed)
        self.ticker.add(sum(c.codings for c in batch.codes))

    def _branches(self, codes: list[CodeColumns]) -> dict[str, list[CodeColumns]]:
        """The columns of each code branch (a code counts in its own and its ancestors')."""
        branches: dict[str, list[CodeColumns]] = {}
        for column in codes:
            for target in self.rollup.get(column.code_id) or (column.code_id, MISSING):
                branches.setdefault(target, []).append(column)
        return branches

    def _measure(self, columns: list[CodeColumns], packing: Packing) -> tuple[Measures, list[int]]:
        """The measures of one branch's codings (in a batch) and the slots of the
        transcripts in which it occurs (transcript id less the batch's first)."""
        codings, openings, closings = _sorted(columns)
        count, chars, counted = stretches(openings, closings, packing)
        slots = _slots(openings, packing.stride)
        return Measures(codings, count, len(slots), counted if self.words else 0, chars), slots

    def _add(
        self,
        codes: list[CodeColumns],
        batch: CodeColumnBatch,
        into: dict[str, Measures],
        group_of: dict[int, str] | None,
        *,
        progress: bool,
    ) -> None:
        """One union per code branch over all the batch's transcripts (the packing keeps
        transcripts apart), added to ``into``; per transcript too with ``group_of``."""
        branches = self._branches(codes)
        done, total = 0, sum(c.codings for c in codes)
        for i, (target, columns) in enumerate(branches.items(), 1):
            codings, openings, closings = _sorted(columns)
            if codings:
                count, chars, counted = stretches(openings, closings, batch.packing)
                in_transcripts = self._per_transcript(target, openings, closings, batch, group_of)
                into[target].add(Measures(codings, count, in_transcripts, counted if self.words else 0, chars))
            if progress:
                step = total * i // len(branches) - done  # progress in codings, spread over the branches
                done += step
                self.ticker.add(step)

    def _per_transcript(
        self, target: str, openings: list[int], closings: list[int], batch: CodeColumnBatch, group_of: dict[int, str] | None
    ) -> int:
        """In how many transcripts the branch occurs; with ``group_of``, its measures in each
        (added to the transcript's group). A transcript's numbers are consecutive in both
        sorted lists and lie between its offset and the next one."""
        stride, first, at, found = batch.packing.stride, batch.first, 0, 0
        while at < len(openings):
            slot = openings[at] // stride
            end = bisect_left(openings, (slot + 1) * stride, at)
            found += 1
            if group_of is not None:
                count, chars, counted = stretches(openings[at:end], closings[at:end], batch.packing)
                measures = Measures(end - at, count, 1, counted if self.words else 0, chars)
                self.per_group[group_of[first + slot]][target].add(measures)
            at = end
        return found


def _count_by_turns(
    store: Store, selection: Selection, by: str, counts: _Counts, groups: dict[str, Group], everything: Group
) -> None:
    """Frequencies by speaker or role: the codings split by the turn in which they start
    (kept with each coding by the store), the groups' words summed from their turns."""
    unlabelled = NO_SPEAKER if by == SPEAKER else NO_ROLE
    for view in iter_transcripts(store, selection):
        everything.transcripts += 1
        everything.words += view.words
    speaking: dict[str, set[int]] = {}  # per group: the transcripts with its turns or its codings
    for label, tid, words in store.transcripts.label_words(by, selection.transcript_ids):
        name = label or unlabelled
        group = groups.get(name) or groups.setdefault(name, Group(name))
        group.words += words
        speaking.setdefault(name, set()).add(tid)
    for batch in store.codings.code_columns(selection.coding_filter, turn_label=by):
        counts.add_by_turn(batch, unlabelled, speaking, groups)
    for name, tids in speaking.items():
        groups[name].transcripts = len(tids)


def _split(column: CodeColumns, unlabelled: str) -> Iterator[tuple[str, CodeColumns]]:
    """A code's codings per group (the label of their turns): one filtering pass per label
    (a column usually has one or two)."""
    labels = column.labels
    assert labels is not None  # read with a turn label
    found = dict.fromkeys(labels)
    if len(found) == 1:
        yield _group_name(labels[0], unlabelled), column
        return
    for label in found:
        mine = list(map(eq, labels, repeat(label)))
        openings, closings = list(compress(column.openings, mine)), list(compress(column.closings, mine))
        yield _group_name(label, unlabelled), CodeColumns(column.code_id, len(openings), openings, closings)


def _group_name(label: str | None, unlabelled: str) -> str:
    """The group of a coding's turn label: a heading or title coded alone lies outside every
    turn, so it is no speaker's (nor the next speaker's) and in no role: a group of its own."""
    return OUTSIDE_TURNS if label is None else label or unlabelled


def _sorted(columns: list[CodeColumns]) -> tuple[int, list[int], list[int]]:
    """Codings, sorted openings and sorted closings of a branch's columns."""
    if len(columns) == 1:
        return columns[0].codings, sorted(columns[0].openings), sorted(columns[0].closings)
    codings = sum(c.codings for c in columns)
    openings = sorted(chain.from_iterable(c.openings for c in columns))
    closings = sorted(chain.from_iterable(c.closings for c in columns))
    return codings, openings, closings


def _slots(openings: list[int], stride: int) -> list[int]:
    """The transcript slots (``opening // stride``) of sorted openings, each once: a jump
    from one transcript's first number to the next one's."""
    slots, at = [], 0
    while at < len(openings):
        slot = openings[at] // stride
        slots.append(slot)
        at = bisect_left(openings, (slot + 1) * stride, at)
    return slots


def _ordered(groups: dict[str, Group], by: str | None) -> list[Group]:
    """Transcripts in name order; otherwise sorted, with the catch-all groups last."""
    if by == TRANSCRIPT:
        return list(groups.values())  # already in name order (the streaming order)
    catch_all = {NO_VALUE, NO_SPEAKER, NO_ROLE, OUTSIDE_TURNS}

    def key(g: Group):
        return (g.name in catch_all, ROLE_ORDER.get(g.name, 9) if by == ROLE else 0, g.name.casefold(), g.name)

    return sorted(groups.values(), key=key)
