"""Pseudonymised exports on the fly: the project read as a pseudonymised copy of it would read.

An export with ``--pseudonymise`` used to read a copy of the database that
:func:`~.apply.apply` (``keep_originals=False``) had rewritten first, every transcript
before the first row. :class:`PseudonymisedStore` gives an export the same readings
from the project itself, a transcript at a time, worked out when the export first
reads it (its text, turns and offset mapping as :func:`~.apply.pseudonymised_view`
gives them, from :func:`~.apply.pseudonymised_rows`):

* codings at their mapped spans, in the copy's order, quoted from the new text (a
  coding that ends before the first name keeps its stored quote, as the copy's row
  does), memos with the names replaced;
* turns at their mapped offsets, speaker labels pseudonymised;
* attributes replaced as ``apply`` replaces them, for every transcript before the
  first row (``--where`` and the notes the command prints need them);
* a transcript that ``apply`` switched already reads as it is, its memos and
  attributes replaced.

Only the readings the segments exports make are offered: anything else raises
``AttributeError`` rather than read a name the export should not see.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from operator import itemgetter

from ..model import Turn
from ..project import Project
from ..store import CodingFilter, CodingRow, Store
from ..store.key import KeyStore
from ..store.types import ALL_CODINGS
from .apply import (
    OffsetMapper,
    TurnRow,
    _attribute_names,
    _Names,
    check_collapse,
    pseudonymised_attributes,
    pseudonymised_rows,
    refuse_pending,
)
from .review import applied_ids

_ROW_ORDER = itemgetter(1, 2, 3, 4)  # (start, end, code_id, coder) of a CodingRow tuple
_SPAN_ORDER = itemgetter(0, 1, 2)  # (start, end, code_id)


@dataclass(slots=True)
class _Read:
    """One transcript as the copy holds it."""

    tid: int
    text: str
    turns: list[TurnRow]
    mapper: OffsetMapper
    first: int  # the text before this offset is as it was (and so are the codings ending there)
    moved: bool  # the text or the turns change (else only memos can)
    checked: bool  # its codings were checked for two falling on one span


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
        attributes = store.transcripts.all_attributes()
        _attribute_names(store, key, entities, list(names), create=False, stand_in=True, attributes=attributes)
        self._store, self._key, self._entities = store, key, entities
        self._pattern = _Names(entities)
        self.reported: list[tuple[str, str, list[str]]] = []
        self.attributes: dict[int, dict[str, str]] = {}
        for tid, name in names.items():
            if (values := attributes.get(tid)) is not None:
                changed = pseudonymised_attributes(
                    name, values, key, entities, self._pattern, self.reported, create=False, export=True
                )
                self.attributes[tid] = {**values, **changed}
        self._read: _Read | None = None  # the transcript being exported (one at a time: memory stays flat)
        self.transcripts = _Transcripts(self, store)
        self.codings = _Codings(self, store)
        self.codes = store.codes
        self.settings = store.settings

    def read(self, tid: int) -> _Read:
        """The transcript as the copy holds it (the last one read is kept)."""
        if self._read is not None and self._read.tid == tid:
            return self._read
        base = self._store.transcripts
        text, turns = base.text(tid), base.turn_rows(tid)
        moved: list[TurnRow] | None = None
        if tid in self._done:
            mapper = OffsetMapper([])
        else:
            text, moved, mapper = pseudonymised_rows(tid, text, turns, self._key, self._entities, self._pattern)
        reps = mapper.replacements
        first = reps[0].start if reps else len(text)
        self._read = _Read(tid, text, turns if moved is None else moved, mapper, first, moved is not None, moved is None)
        return self._read

    def memo(self, memo: str | None) -> str | None:
        """A coding's memo with the names replaced (as it is where it names no one)."""
        if not memo or not self._entities:
            return memo
        new, found = self._pattern.replace(memo)
        return new if found else memo

    def check(self, read: _Read, codings: list[tuple] | None = None, spans: list[tuple[int, int]] | None = None) -> None:
        """Refuse, as the copy does, when two codings of one code and coder fall on one span.
        ``codings``: all of the transcript's (CodingRow tuples, by position) and ``spans``
        their new spans; else they are read."""
        if read.checked:
            return
        read.checked = True
        if codings is None:
            codings = self._store.codings.span_keys(read.tid)
            spans, inside = read.mapper.spans([(r[1], r[2]) for r in codings])
            if not inside:  # two spans fall on one only where one of them starts or ends inside a name
                return
        assert spans is not None
        moved = ((r[0], s, e, r[3], r[4]) for r, (s, e) in zip(codings, spans, strict=True))
        check_collapse(self._store.transcripts.name(read.tid), moved)


class _Transcripts:
    """The transcript readings of an export."""

    def __init__(self, view: PseudonymisedStore, store: Store) -> None:
        self._view = view
        base = store.transcripts
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

    def turns(self, tid: int) -> list[Turn]:
        return [Turn(*u) for u in self._view.read(tid).turns]

    def turn_rows(self, tid: int) -> list[tuple[int, str | None, int, int, float | None, float | None, str | None]]:
        return list(self._view.read(tid).turns)


class _Codings:
    """The coding readings of an export (counts as stored: none is dropped or added)."""

    def __init__(self, view: PseudonymisedStore, store: Store) -> None:
        self._view = view
        self._base = base = store.codings
        self.count, self.coders, self.code_ids, self.coder_counts = base.count, base.coders, base.code_ids, base.coder_counts

    def rows(self, tid: int, flt: CodingFilter = ALL_CODINGS, *, named: bool = True) -> Iterator:
        """As :meth:`CodingStore.rows <qualcode.store.codings.CodingStore.rows>`."""
        view = self._view
        read = view.read(tid)
        rows: Iterable[tuple] = self._base.rows(tid, flt, named=False)
        memo = view.memo
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
        if not read.moved:
            return self._base.span_quotes(tid, flt)
        if read.checked:
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
        read = self._view.read(tid)
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
        read.checked = True
        return spans, inside


@contextmanager
def pseudonymised_project(project: Project, key: KeyStore) -> Iterator[Project]:
    """The project as a pseudonymised copy of it would read, for the segments exports
    (:class:`PseudonymisedStore`; the project and the key are not changed). Its store's
    ``reported`` lists the attributes that are personal data or name someone."""
    view = Project(project.root)
    view.__dict__["store"] = PseudonymisedStore(project.store, key)  # stands in for the project's store
    yield view
