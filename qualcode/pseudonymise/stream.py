"""Pseudonymised exports on the fly: the project read as a pseudonymised copy of it would read.

An export with ``--pseudonymise`` used to read a copy of the database that
:func:`~.apply.apply` (``keep_originals=False``) had rewritten first, every transcript
before the first row. :class:`PseudonymisedStore` gives an export the same readings
from the project itself, a transcript at a time, worked out when the export first
reads it (its text, turns and offset mapping as :func:`~.apply.pseudonymised_rows`
gives them, from :func:`~.apply.find_replacements` and :func:`~.apply.moved_turns`):

* codings at their mapped spans, in the copy's order, quoted from the new text (a
  coding that ends before the first name keeps its stored quote, as the copy's row
  does), memos with the names replaced;
* turns at their mapped offsets, speaker labels pseudonymised;
* attributes replaced as ``apply`` replaces them, for every transcript before the
  first row (``--where`` and the notes the command prints need them);
* a transcript that ``apply`` switched already reads as it is, its memos and
  attributes replaced;
* for the .qdpx export: each transcript's content hash is that of its new text (its
  derived source GUID and ``turns.json``'s ``text_sha256`` follow it), its change
  date, and that of a coding whose memo names someone, is the export's (the copy
  stamps what it rewrites), and the turns are those of :meth:`_Exchange.turn_rows`.

A transcript is read more than once by the .qdpx export (its text, then its codings,
then its turns): the names in it are looked for once and its replacements kept (a few
per transcript); its text and turns are not (memory stays flat), and each reading
works out only what it needs (the turns' readings no text, the codings' no turns).

Only the readings the exports make are offered: anything else raises
``AttributeError`` rather than read a name the export should not see.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from copy import deepcopy
from dataclasses import dataclass, replace
from operator import itemgetter

from ..codebook import Codebook
from ..model import Turn, sha256_text
from ..project import Project
from ..store import CoderCount, CodingFilter, CodingRow, EmptySource, ExchangeRow, Store, TranscriptRef, now
from ..store.key import KeyStore
from ..store.settings import PROJECT_CREATOR
from ..store.types import ALL_CODINGS
from .apply import (
    OffsetMapper,
    Replacement,
    TurnRow,
    _attribute_names,
    _Names,
    check_collapse,
    coder_pseudonyms,
    find_replacements,
    moved_turns,
    pseudonymised_attributes,
    refuse_named_labels,
    refuse_named_transcripts,
    refuse_pending,
    replace_all,
)
from .review import applied_ids

_ROW_ORDER = itemgetter(1, 2, 3, 4)  # (start, end, code_id, coder) of a CodingRow tuple
_SPAN_ORDER = itemgetter(0, 1, 2)  # (start, end, code_id)


@dataclass(slots=True)
class _Read:
    """One transcript as the copy holds it (its turns worked out when first asked for)."""

    tid: int
    mapper: OffsetMapper
    first: int  # the text before this offset is as it was (and so are the codings ending there)
    moved: bool  # the text changes, and the codings with it (else only memos can)
    stored_text: str | None  # as stored, where read already
    stored_turns: list[TurnRow] | None  # as stored, where read already
    text: str = ""  # as the copy holds it, once asked for
    turns: list[TurnRow] | None = None  # as the copy holds them, once asked for
    has_text: bool = False


class PseudonymisedStore:
    """The readings an export makes of a :class:`~qualcode.store.Store`, pseudonymised
    with the names accepted in ``key`` (see the module doc).

    Refuses, before anything is read, while candidates are unreviewed (as the copy does).
    ``reported``: ``(transcript, attribute, names)`` of the attributes that are personal
    data or name someone, in the order ``apply`` reports them.
    """

    def __init__(self, store: Store, key: KeyStore) -> None:
        names = store.transcripts.names()
        self._done = applied_ids(store, key)
        refuse_pending(key, names, set(names) - self._done, export=True)
        entities = key.entities()
        refuse_named_transcripts(names, entities)
        refuse_named_labels(store, key, entities, names)
        attributes = store.transcripts.all_attributes()
        _attribute_names(store, key, entities, list(names), create=False, stand_in=True, attributes=attributes)
        self._store, self._key, self._entities = store, key, entities
        # Coders who are personal data (the interviewer coded), renamed as the copy renames them.
        self.coder_names = coder_pseudonyms(store.coders.names(), attributes.values(), entities)
        self._pattern = _Names(entities)
        self.codebook_names: list[str] = []  # the codebook's texts that name someone (replaced in the export)
        self.reported: list[tuple[str, str, list[str]]] = []
        self.attributes: dict[int, dict[str, str]] = {}
        for tid, name in names.items():
            if (values := attributes.get(tid)) is not None:
                changed = pseudonymised_attributes(
                    name, values, key, entities, self._pattern, self.reported, create=False, export=True
                )
                self.attributes[tid] = {**values, **changed}
        # A source without text kept from an import has variable values too (written as its case).
        self.empty_attributes: dict[str, dict[str, str]] = {
            source.guid: pseudonymised_attributes(
                source.name, source.attributes, key, entities, self._pattern, self.reported, create=False, export=True
            )
            for source in store.exchange.empty_sources()
            if source.attributes
        }
        self._read: _Read | None = None  # the transcript being exported (one at a time: memory stays flat)
        self._replacements: dict[int, list[Replacement]] = {}  # per transcript read: to read it again
        self._hashes: dict[int, str | None] = {}  # per transcript read: its new text's hash (None: as stored)
        self._checked: set[int] = set()  # transcripts checked for two codings falling on one span
        self.stamp = now()  # when the copy would have rewritten what changes
        self.transcripts = _Transcripts(self, store)
        self.codings = _Codings(self, store)
        self.exchange = _Exchange(self, store)
        self.codes, self.coders = store.codes, _Coders(store, self.coder_names)
        self.settings = _Settings(store, self.coder_names) if self.coder_names else store.settings

    def read(self, tid: int, *, text: bool = True) -> _Read:
        """The transcript as the copy holds it: its mapping, and its text unless ``text`` is
        False (the last one read is kept; of the others, what was replaced, to read them again).
        """
        read = self._read
        base = self._store.transcripts
        if read is None or read.tid != tid:
            stored_text = stored_turns = None
            reps = self._replacements.get(tid)
            if reps is None:  # not read yet: the names are looked for
                stored_text = base.text(tid)
                if tid in self._done:
                    reps = []  # switched already: its text stays
                else:
                    stored_turns = base.turn_rows(tid)
                    turn_spans = [(u[2], u[3]) for u in stored_turns]
                    reps = find_replacements(
                        tid, stored_text, turn_spans, self._key, self._entities, self._pattern, base.name(tid)
                    )
                self._replacements[tid] = reps
            if not reps:  # nothing moves: no two codings can fall on one span
                self._checked.add(tid)
            first = reps[0].start if reps else sys.maxsize
            read = self._read = _Read(tid, OffsetMapper(reps), first, bool(reps), stored_text, stored_turns)
        if text and not read.has_text:
            stored = base.text(tid) if read.stored_text is None else read.stored_text
            reps = read.mapper.replacements
            read.text = replace_all(stored, reps) if reps else stored
            read.has_text, read.stored_text = True, None
            if tid not in self._hashes:
                self._hashes[tid] = sha256_text(read.text) if reps else None
        return read

    def turns(self, read: _Read) -> list[TurnRow]:
        """The transcript's turns as the copy holds them: at their new offsets, speaker
        labels that name someone pseudonymised."""
        if read.turns is None:
            stored = read.stored_turns if read.stored_turns is not None else self._store.transcripts.turn_rows(read.tid)
            moved = None if read.tid in self._done else moved_turns(stored, read.mapper, self._pattern)
            read.turns, read.stored_turns = (stored if moved is None else moved), None
        return read.turns

    def content_hash(self, tid: int) -> str | None:
        """The hash of the transcript's text as the copy holds it (None: as stored); read
        (pseudonymised) when not read yet."""
        if tid not in self._hashes:
            self.read(tid)
        return self._hashes[tid]

    def memo(self, memo: str | None) -> str | None:
        """A coding's memo with the names replaced (as it is where it names no one)."""
        return self.memo_changed(memo)[0]

    def memo_changed(self, memo: str | None) -> tuple[str | None, bool]:
        """A coding's memo with the names replaced, and whether it named someone (the copy
        dates such a coding's change)."""
        if not memo or not self._entities:
            return memo, False
        new, found = self._pattern.replace(memo)
        return (new, True) if found else (memo, False)

    def check(self, read: _Read, codings: list[tuple] | None = None, spans: list[tuple[int, int]] | None = None) -> None:
        """Refuse, as the copy does, when two codings of one code and coder fall on one span.
        ``codings``: all of the transcript's (CodingRow tuples, by position) and ``spans``
        their new spans; else they are read."""
        if read.tid in self._checked:
            return
        self._checked.add(read.tid)
        if codings is None:
            codings = self._store.codings.span_keys(read.tid)
            spans, inside = read.mapper.spans([(r[1], r[2]) for r in codings])
            if not inside:  # two spans fall on one only where one of them starts or ends inside a name
                return
        assert spans is not None
        moved = ((r[0], s, e, r[3], r[4]) for r, (s, e) in zip(codings, spans, strict=True))
        check_collapse(self._store.transcripts.name(read.tid), moved)

    def replace_names(self, text: str) -> str:
        """``text`` with the key's names replaced by their pseudonyms."""
        return self._pattern.replace(text)[0]


class _Transcripts:
    """The transcript readings of an export."""

    def __init__(self, view: PseudonymisedStore, store: Store) -> None:
        self._view = view
        self._base = base = store.transcripts
        # As stored: names are not replaced, and the words and characters ``infos``
        # gives are counts an export does not write.
        self.names, self.name, self.source_paths, self.id_by_name, self.infos = (
            base.names,
            base.name,
            base.source_paths,
            base.id_by_name,
            base.infos,
        )

    def all_attributes(self) -> dict[int, dict[str, str]]:
        return self._view.attributes

    def attributes(self, tid: int) -> dict[str, str]:
        return dict(self._view.attributes.get(tid, {}))

    def text(self, tid: int) -> str:
        return self._view.read(tid).text

    def memos(self) -> dict[int, str]:
        """The transcripts' memos with the names replaced (as the copy's ``apply`` replaces them)."""
        return {tid: self._view.memo(memo) or "" for tid, memo in self._base.memos().items()}

    def turns(self, tid: int) -> list[Turn]:
        view = self._view
        return [Turn(*u) for u in view.turns(view.read(tid, text=False))]

    def turn_rows(self, tid: int) -> list[tuple[int, str | None, int, int, float | None, float | None, str | None]]:
        view = self._view
        return list(view.turns(view.read(tid, text=False)))

    def refs(self) -> list[_Ref]:
        """As :meth:`TranscriptStore.refs <qualcode.store.transcripts.TranscriptStore.refs>`:
        changed now (the copy dates every transcript it pseudonymises), each one's content
        hash that of its text as exported, worked out when it is first read."""
        view = self._view
        return [_Ref(view, r, view.stamp) for r in self._base.refs()]

    def last_change(self) -> str | None:
        """As the copy reads it: every transcript changed now (and so did a coding whose memo
        names someone; it has a transcript, changed now as well)."""
        return self._base.last_change(self._view.stamp)


class _Codings:
    """The coding readings of an export (counts as stored: none is dropped or added)."""

    def __init__(self, view: PseudonymisedStore, store: Store) -> None:
        self._view = view
        self._base = store.codings
        self._renamed = renamed = view.coder_names
        self._real = {new: old for old, new in renamed.items()}

    # Coders who are personal data read as the copy names them (only where there are such coders).

    def _stored(self, flt: CodingFilter) -> CodingFilter:
        """``flt`` with the coders as stored (a renamed coder's own name names no one in the copy)."""
        if flt.coders is None or not self._renamed:
            return flt
        coders = frozenset(self._real.get(c, c) for c in flt.coders if c in self._real or c not in self._renamed)
        return CodingFilter(flt.transcript_ids, flt.code_ids, coders)

    def count(self, flt: CodingFilter = ALL_CODINGS) -> int:
        return self._base.count(self._stored(flt))

    def detached_count(self, flt: CodingFilter = ALL_CODINGS) -> int:
        return self._base.detached_count(self._stored(flt))

    def code_ids(self, flt: CodingFilter = ALL_CODINGS) -> list[str]:
        return self._base.code_ids(self._stored(flt))

    def counts_by_code(self, transcript_id: int | None = None, coders: Iterable[str] | None = None) -> dict[str, int]:
        stored = None if coders is None else self._stored(CodingFilter.of(None, None, coders)).coders
        return self._base.counts_by_code(transcript_id, stored)

    def coders(self, transcript_ids: Iterable[int] | None = None) -> list[str]:
        if not self._renamed:
            return self._base.coders(transcript_ids)
        return sorted(self._renamed.get(c, c) for c in self._base.coders(transcript_ids))

    def coder_counts(self) -> list[CoderCount]:
        if not self._renamed:
            return self._base.coder_counts()
        counts = [
            CoderCount(self._renamed.get(r.coder, r.coder), r.transcript_id, r.transcript, r.codings)
            for r in self._base.coder_counts()
        ]
        return sorted(counts, key=lambda r: (r.coder, r.transcript_id))

    def rows(self, tid: int, flt: CodingFilter = ALL_CODINGS, *, named: bool = True) -> Iterator:
        """As :meth:`CodingStore.rows <qualcode.store.codings.CodingStore.rows>`."""
        view = self._view
        read = view.read(tid)
        flt = self._stored(flt)
        rows: Iterable[tuple] = self._base.rows(tid, flt, named=False)
        memo = view.memo
        if renamed := self._renamed:  # the copy's order: by its coders' names
            rows = sorted(((*r[:4], renamed.get(r[4], r[4]), *r[5:]) for r in rows), key=_ROW_ORDER)
        if read.moved:
            rows = list(rows)
            spans, inside = self._moved(read, flt, rows)
            text, first = read.text, read.first
            # Before the first name the copy keeps a coding's row as it was (its quote too).
            out = [
                (cid, ns, ne, code_id, coder, origin, memo(m) if m else m, quote if e <= first else text[ns:ne], created)
                for (cid, _, e, code_id, coder, origin, m, quote, created), (ns, ne) in zip(rows, spans, strict=True)
            ]
            if inside:  # else every offset moved by the same rule: their order stays
                out.sort(key=_ROW_ORDER)
            rows = out
        elif view._entities:
            rows = [(*r[:6], memo(r[6]), *r[7:]) if r[6] else r for r in rows]
        return map(CodingRow._make, rows) if named else iter(rows)

    def span_quotes(self, tid: int, flt: CodingFilter = ALL_CODINGS) -> Iterator[tuple[int, int, str, str]]:
        """As :meth:`CodingStore.span_quotes <qualcode.store.codings.CodingStore.span_quotes>`."""
        read = self._view.read(tid)
        flt = self._stored(flt)
        if not read.moved:
            return self._base.span_quotes(tid, flt)
        if read.tid in self._view._checked:
            rows = [(0, *r[:3], "", r[3]) for r in self._base.span_quotes(tid, flt)]
        else:  # whole rows: they are checked too
            rows = [(cid, s, e, c, who, q) for cid, s, e, c, who, _, _, q, _ in self._base.rows(tid, flt, named=False)]
        spans, inside = self._moved(read, flt, rows)
        text, first = read.text, read.first
        out = [(ns, ne, c, q if e <= first else text[ns:ne]) for (_, _, e, c, _, q), (ns, ne) in zip(rows, spans, strict=True)]
        if inside:
            out.sort(key=_SPAN_ORDER)
        return iter(out)

    def spans(self, tid: int, flt: CodingFilter = ALL_CODINGS) -> list[tuple[int, int, str]]:
        """As :meth:`CodingStore.spans <qualcode.store.codings.CodingStore.spans>`."""
        read = self._view.read(tid, text=False)
        flt = self._stored(flt)
        if not read.moved:
            return self._base.spans(tid, flt)
        # All of them with their ids and coders (checked too), from the same covering index.
        unfiltered = flt.code_ids is None and flt.coders is None
        rows: list[tuple] = self._base.span_keys(tid) if unfiltered else [(0, *r) for r in self._base.spans(tid, flt)]
        spans, inside = self._moved(read, flt, rows)
        out = [(ns, ne, r[3]) for r, (ns, ne) in zip(rows, spans, strict=True)]
        if inside:
            out.sort(key=_SPAN_ORDER)
        return out

    def _moved(self, read: _Read, flt: CodingFilter, rows: list[tuple]) -> tuple[list[tuple[int, int]], bool]:
        """The new spans of ``rows`` (``(id, start, end, code_id, coder, ...)`` by position)
        and whether one starts or ends inside a name. The transcript is checked for two
        codings falling on one span: with these rows when they are all of its codings, else
        with all of them read."""
        spans, inside = read.mapper.spans([(r[1], r[2]) for r in rows])
        if flt.code_ids is not None or flt.coders is not None:
            self._view.check(read)
        elif inside:  # two fall on one only where one starts or ends inside a name
            self._view.check(read, rows, spans)
        self._view._checked.add(read.tid)
        return spans, inside


class _Coders:
    """Who coded (their names and GUIDs, as stored: the copy keeps them; a coder who is
    personal data is renamed as the copy renames them)."""

    def __init__(self, store: Store, renamed: dict[str, str]) -> None:
        self._base, self._renamed = store.coders, renamed

    def names(self) -> list[str]:
        return sorted(self._renamed.get(n, n) for n in self._base.names())

    def guids(self) -> dict[str, str | None]:
        """As stored, a renamed coder's under the new name (a GUID it had stays)."""
        guids = {self._renamed.get(n, n): g for n, g in self._base.guids().items()}
        return {n: guids[n] for n in sorted(guids)}


class _Settings:
    """The settings an export reads, the project's creator in another tool renamed as the
    copy renames a coder who is personal data (only where there is one)."""

    def __init__(self, store: Store, renamed: dict[str, str]) -> None:
        self._base, self._renamed = store.settings, renamed

    def get(self, name: str) -> str | None:
        value = self._base.get(name)
        if name == PROJECT_CREATOR and value is not None:
            return self._renamed.get(value, value)
        return value


class _Ref:
    """A :class:`~qualcode.store.types.TranscriptRef` as the copy holds it: its content hash
    is read (the transcript pseudonymised) only when asked for, as the export writes
    the transcript's source, so that the first source is written before the others are read."""

    __slots__ = ("_view", "guid", "id", "imported_at", "name", "stored_hash", "updated_at")

    def __init__(self, view: PseudonymisedStore, ref: TranscriptRef, updated_at: str) -> None:
        self._view = view
        self.id, self.name, self.guid, self.stored_hash, self.imported_at = (
            ref.id,
            ref.name,
            ref.guid,
            ref.content_hash,
            ref.imported_at,
        )
        self.updated_at: str | None = updated_at

    @property
    def content_hash(self) -> str:
        return self._view.content_hash(self.id) or self.stored_hash


class _Exchange:
    """The REFI-QDA readings of the .qdpx export."""

    def __init__(self, view: PseudonymisedStore, store: Store) -> None:
        self._view = view
        self._base = base = store.exchange
        # Identities kept from an import, as stored (the copy does not change them), but for
        # their creators: a coder who is personal data is renamed.
        self.document_sets = base.document_sets

    def transcript_identities(self) -> dict[int, tuple[str | None, str | None]]:
        identities = self._base.transcript_identities()
        if renamed := self._view.coder_names:
            return {tid: (at, renamed.get(who, who) if who else who) for tid, (at, who) in identities.items()}
        return identities

    def empty_sources(self) -> list[EmptySource]:
        """As kept, with their creators renamed and their variable values pseudonymised as a transcript's."""
        view = self._view
        sources = self._base.empty_sources()
        if renamed := view.coder_names:
            sources = [replace(s, creator=renamed.get(s.creator, s.creator)) if s.creator else s for s in sources]
        for source in sources:
            source.attributes |= view.empty_attributes.get(source.guid, {})
        return sources

    def coding_rows(self, tid: int) -> Iterator[ExchangeRow]:
        """As :meth:`ExchangeStore.coding_rows <qualcode.store.exchange.ExchangeStore.coding_rows>`:
        at their new spans in span order, quoted as the copy quotes them, memos with the
        names replaced (such a coding changed now)."""
        view = self._view
        read = view.read(tid)
        rows: Iterable[tuple] = self._base.coding_rows(tid)
        memo, stamp = view.memo_changed, view.stamp
        if renamed := view.coder_names:  # the coder and the selection's creator; the copy's order
            rows = sorted(((*r[:4], renamed.get(r[4], r[4]), *r[5:11], renamed.get(r[11], r[11])) for r in rows), key=_ROW_ORDER)
        if read.moved:
            stored = list(rows)
            spans, inside = read.mapper.spans([(r[1], r[2]) for r in stored])
            if inside:  # two fall on one only where one starts or ends inside a name
                view.check(read, stored, spans)
            view._checked.add(tid)
            text, first = read.text, read.first
            # Before the first name the copy keeps a coding's row as it was (its quote too).
            moved = [
                (cid, ns, ne, code_id, coder, m, quote if e <= first else text[ns:ne], created, updated, sg, cg, sc)
                for (cid, _, e, code_id, coder, m, quote, created, updated, sg, cg, sc), (ns, ne) in zip(
                    stored, spans, strict=True
                )
            ]
            if inside:  # else every offset moved by the same rule: their order stays
                moved.sort(key=_ROW_ORDER)
            rows = moved
        if not view._entities:
            return iter(rows)
        return iter([self._memo(r, memo, stamp) if r[5] else r for r in rows])

    @staticmethod
    def _memo(row: tuple, memo: Callable[[str | None], tuple[str | None, bool]], stamp: str) -> tuple:
        new, changed = memo(row[5])
        return (*row[:5], new, *row[6:8], stamp, *row[9:]) if changed else row

    def turn_rows(self, tid: int) -> list[tuple[int, str | None, int, int, float | None, float | None]]:
        """As :meth:`ExchangeStore.turn_rows <qualcode.store.exchange.ExchangeStore.turn_rows>`:
        at their new offsets, speaker labels pseudonymised."""
        view = self._view
        return [u[:6] for u in view.turns(view.read(tid, text=False))]


@contextmanager
def pseudonymised_project(project: Project, key: KeyStore) -> Iterator[Project]:
    """The project as a pseudonymised copy of it would read, for the segments exports
    (:class:`PseudonymisedStore`; the project and the key are not changed). Its store's
    ``reported`` lists the attributes that are personal data or name someone."""
    view = Project(project.root)
    store = PseudonymisedStore(project.store, key)
    view.__dict__["store"] = store  # stands in for the project's store
    book, store.codebook_names = pseudonymised_codebook(project.codebook, store.replace_names)
    view.__dict__["codebook"] = book
    yield view


def pseudonymised_codebook(book: Codebook, replace_names: Callable[[str], str]) -> tuple[Codebook, list[str]]:
    """``book`` with the names in its texts replaced (descriptions, criteria and examples,
    which are often quotes: "Bep Schouten zegt: er komt niemand"), and the names found;
    ``book`` itself when they name no one. Codes' ids and names are the codebook's words."""
    found: list[str] = []

    def clean(text: str) -> str:
        new = replace_names(text)
        if new != text:
            found.append(text)
        return new

    copy = deepcopy(book)
    copy.description = clean(copy.description)
    for code in copy.walk():
        code.description = clean(code.description)
        code.include = [clean(t) for t in code.include]
        code.exclude = [clean(t) for t in code.exclude]
        code.examples = [clean(t) for t in code.examples]
    for code_set in copy.sets:
        code_set.description = clean(code_set.description)
    return (copy, found) if found else (book, [])
