"""Reviewing candidates: accept, reject, change, add, always/never, undo.

Every decision is one journal entry in the key store (``pseudonymisation-key.db``), so
``undo`` puts back exactly what it changed; a call is one committed transaction, and so
are ``accept_many``/``reject_many`` (``accept 1 2 ... 2000``), which read the texts and
candidates once for all their decisions.

* **Accept** gives the candidate's name an entity in the key: a stable pseudonym
  (``[persoon 3]``) shared across the project; the other names of the same person
  ("Yvonne" of "Yvonne van Dijk") get the same one. Every other occurrence of the
  name in the project's transcripts (``Van Dijk``/``van Dijk``, ``Hatice's``,
  ``HATICE``) is accepted with it, except where the researcher rejected it.
* **Reject** leaves the text as it is; the span is never proposed again.
* **Always / never** decide a word for the whole project, now and for later runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import (
    PSEUDO_ALREADY_APPLIED,
    PSEUDO_BAD_SPAN,
    PSEUDO_BAD_TEXT,
    PSEUDO_NO_CANDIDATE,
    PSEUDO_NOT_FOUND,
    PSEUDO_NOTHING_TO_UNDO,
    PSEUDO_PSEUDONYM_TAKEN,
    PSEUDO_STALE,
    PSEUDO_UNKNOWN_PSEUDONYM,
    error,
)
from ..model import ACCEPTED, PENDING, REJECTED
from ..store import Store
from ..store.key import KEY_NAME, CandidateChange, CandidateRow, EntityRow, KeyStore
from ..termsafe import control_in_name, one_line
from .categories import CATEGORIES
from .context import KnownNames
from .patterns import SPELLED, SPELLING
from .project import check_category
from .words import INTERFIXES, dutch_words, name_words


@dataclass(slots=True)
class CandidateDecision:
    """What a decision did: the candidate, its entity (if accepted) and the other
    occurrences it accepted or rejected along."""

    action: str
    candidate_ids: list[int] = field(default_factory=list)
    entity: EntityRow | None = None
    also: int = 0  # other occurrences decided with it


def default_pseudonym(category: str, number: int) -> str:
    return f"[{CATEGORIES[category]} {number}]"


def stand_in_pseudonym(category: str, number: int) -> str:
    """The label an export writes for a name the key has no pseudonym for (yet): "[plaats A]",
    "[plaats B]", ... "[plaats AA]": each name its own, never one of the key's numbers."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"[{CATEGORIES[category]} {letters}]"


def applied_ids(store: Store, key: KeyStore) -> set[int]:
    """Transcripts whose project text is already the pseudonymised one."""
    # The stored hash of each text (unique), not the texts: two short queries however many there are.
    current = store.transcripts.hashes()
    return {tid for tid, applied in key.applied_hashes().items() if current.get(applied) == tid}


def still_named(store: Store, root: Path) -> int:
    """How many transcripts an export (without pseudonymising) would carry with the names the key
    holds: those ``apply`` has not switched to their pseudonymised text. 0 without a key or
    without an accepted name; the key is not created to find out."""
    path = Path(root) / KEY_NAME
    if not path.exists():
        return 0
    key = KeyStore(path)
    try:
        return len(set(store.transcripts.names()) - applied_ids(store, key)) if key.entities() else 0
    finally:
        key.close()


def detected_text(store: Store, key: KeyStore, tid: int, applied: set[int]) -> str | None:
    """The text a candidate's offsets count in: the transcript as detection read it, i.e.
    the original kept aside once ``apply`` switched it to the pseudonymised text (None when
    ``forget-originals`` removed that). ``applied`` is :func:`applied_ids`."""
    return key.original_text(tid) if tid in applied else store.transcripts.text(tid)


def stale_candidates(text: str, candidates: Iterable[CandidateRow]) -> list[CandidateRow]:
    """The candidates whose text is not (any longer) at their place in ``text``, the text they
    were detected in: the transcript was reimported since, or the key is another project's."""
    return [c for c in candidates if text[c.start : c.end] != c.text]


def refuse_stale(name: str, text: str, candidates: Iterable[CandidateRow]) -> None:
    """PSEUDO_STALE when a candidate of transcript ``name`` is not where it was found."""
    stale = stale_candidates(text, candidates)
    if stale:
        c = stale[0]
        raise error(
            PSEUDO_STALE, count=len(stale), name=name, id=c.id, text=c.text, start=c.start, end=c.end, now=text[c.start : c.end]
        )


def _candidate(key: KeyStore, candidate_id: int) -> CandidateRow:
    row = key.candidate(candidate_id)
    if row is None:
        raise error(PSEUDO_NO_CANDIDATE, id=candidate_id)
    return row


def _not_applied(session: _Session, tid: int) -> None:
    if tid in session.applied:
        raise error(PSEUDO_ALREADY_APPLIED, name=session.store.transcripts.names().get(tid, tid))


def _same_person(key: KeyStore, category: str, text: str) -> EntityRow | None:
    """An entity this name belongs to: the same name, the name it spells ("Y-I-L-M-A-Z"),
    or a person's full name that contains it as its first name or surname (or is contained
    in it), unless that person has a full name this one cannot be: "Hatice Kaya" is not
    the "Hatice" of "Hatice Demirci", "Ismail Demirci" not the "Demirci" of "Hatice Demirci"."""
    found = key.find_entity(category, text)
    if found is not None or category != "person":
        return found
    if SPELLED.fullmatch(text):
        text = SPELLING.sub("", text)
        if (found := key.find_entity(category, text)) is not None:
            return found
    words = _name_words(text)
    if not words:
        return None
    people = [e for e in key.entities() if e.category == "person"]
    full_names: dict[str, list[list[str]]] = {}
    for entity in people:
        if len(other := _name_words(entity.original)) > 1:
            full_names.setdefault(entity.pseudonym, []).append(other)
    for entity in people:
        other = _name_words(entity.original)
        if not (_contiguous(words, other) or _contiguous(other, words) or set(words) == set(other)):
            continue
        if len(words) > 1 and not all(_one_name(words, name) for name in full_names.get(entity.pseudonym, [])):
            continue
        return entity
    return None


def _name_words(name: str) -> list[str]:
    return [w.casefold() for w in name.split() if w.casefold() not in INTERFIXES]


def _one_name(words: list[str], other: list[str]) -> bool:
    """Whether two full names can be one person's: one holds the other ("Hatice Demirci",
    "mevrouw Hatice Demirci") or both have the same words ("Demirci Hatice")."""
    return _contiguous(words, other) or _contiguous(other, words) or set(words) == set(other)


def _contiguous(part: list[str], whole: list[str]) -> bool:
    n = len(part)
    return 0 < n <= len(whole) and any(whole[i : i + n] == part for i in range(len(whole) - n + 1))


def _names_of(text: str, category: str) -> KnownNames:
    """A name and, for a person, its parts: what :func:`_occurrences` looks for."""
    names = KnownNames()
    names.add(text, category)
    if category == "person":
        # "Hatice" and "mevrouw Yilmaz" are Hatice Yilmaz too (not a part that is a
        # Dutch word: the "Roos" of "Roos van der Heijden" may be a rose).
        parts = KnownNames()
        parts.add_person(text)
        for part in parts.names:
            if part.casefold() not in dutch_words() or " " in part:
                names.add(part, category)
    return names


def _needles(names: KnownNames) -> list[str] | None:
    """Strings one of which every match of ``names`` contains (a word that is not an
    interfix, as written or in capitals), so that a text without any is not searched;
    None when a name has no such word."""
    out = []
    for name in names.names:
        word = next((w for w in name.split() if w.casefold() not in INTERFIXES), None)
        if word is None:
            return None
        out += [word, word.upper()]
    return out


def _occurrences(
    names: KnownNames, texts: Iterable[tuple[int, str]], turn_spans: Callable[[int], list[tuple[int, int]]]
) -> list[tuple[int, int, int, str]]:
    """Every occurrence ``(transcript id, start, end, text)`` of ``names`` in the turns of ``texts``."""
    needles = _needles(names)
    out = []
    for tid, text in texts:
        if needles is not None and not any(n in text for n in needles):
            continue
        found = names.find(text)
        if not found:
            continue
        spans = turn_spans(tid) or [(0, len(text))]
        for c in found:
            if any(s <= c.start and c.end <= e for s, e in spans):
                out.append((tid, c.start, c.end, c.text))
    return out


class _Session:
    """What decisions read, read once for a run of them (``accept 1 2 ... 2000``): the
    transcripts already pseudonymised, the texts searched for names, each name's
    occurrences, and the candidates by span, kept up to date as decisions change them."""

    def __init__(self, store: Store, key: KeyStore) -> None:
        self.store = store
        self.key = key
        self.applied = applied_ids(store, key)
        self._texts: dict[int, str] | None = None
        self._spans: dict[int, list[tuple[int, int]]] = {}
        self._found: dict[tuple[str, str], list[tuple[int, int, int, str]]] = {}
        self._rows: dict[int, dict[tuple[int, int], CandidateRow]] | None = None
        self._by_id: dict[int, CandidateRow] = {}

    def _turn_spans(self, tid: int) -> list[tuple[int, int]]:
        if tid not in self._spans:
            self._spans[tid] = [(u.start, u.end) for u in self.store.transcripts.turns(tid)]
        return self._spans[tid]

    def occurrences(self, text: str, category: str) -> list[tuple[int, int, int, str]]:
        """Every occurrence of a name in the transcripts not yet switched to pseudonymised text."""
        if (text, category) not in self._found:
            if self._texts is None:
                self._texts = {
                    tid: self.store.transcripts.text(tid) for tid in self.store.transcripts.names() if tid not in self.applied
                }
            self._found[text, category] = _occurrences(_names_of(text, category), self._texts.items(), self._turn_spans)
        return self._found[text, category]

    def settle(self, text: str, category: str) -> None:
        """Forget the occurrences of a name that are now accepted or rejected at their very
        span: later decisions in this session pass them by. (No decision makes a candidate
        pending again; one that moves a candidate, ``accept --span``, is alone in its session.)"""
        found = self._found.get((text, category))
        if found:
            self._found[text, category] = [
                o for o in found if (same := self.rows(o[0]).get((o[1], o[2]))) is None or same.status == PENDING
            ]

    def rows(self, tid: int) -> dict[tuple[int, int], CandidateRow]:
        """The transcript's candidates by span, as the decisions so far left them."""
        if self._rows is None:
            self._rows = {}
            for c in self.key.candidates():
                self._rows.setdefault(c.transcript_id, {})[c.start, c.end] = c
                self._by_id[c.id] = c
        return self._rows.get(tid, {})

    def decide(self, action: str, changes: Sequence[CandidateChange], **kwargs) -> list[int]:
        ids = self.key.decide(action, changes, **kwargs)
        if self._rows is not None:
            for cid in ids:
                if (old := self._by_id.pop(cid, None)) is not None:
                    del self._rows[old.transcript_id][old.start, old.end]
                new = self.key.candidate(cid)
                assert new is not None  # written just now, in this transaction
                self._rows.setdefault(new.transcript_id, {})[new.start, new.end] = new
                self._by_id[cid] = new
        return ids


def accept(
    store: Store,
    key: KeyStore,
    candidate_id: int,
    by: str,
    *,
    category: str | None = None,
    pseudonym: str | None = None,
    span: tuple[int, int] | None = None,
) -> CandidateDecision:
    """Accept a candidate (optionally in another category, with the researcher's own
    pseudonym, or with its span changed) and every other occurrence of its name."""
    return _accept(_Session(store, key), candidate_id, by, category=category, pseudonym=pseudonym, span=span)


def accept_many(
    store: Store, key: KeyStore, candidate_ids: Iterable[int], by: str, *, category: str | None = None
) -> list[CandidateDecision]:
    """Accept candidates one after the other, as :func:`accept` does each, in one
    transaction: all of them are stored, or none (when one fails)."""
    session = _Session(store, key)
    with key.batch():
        return [_accept(session, cid, by, category=category) for cid in candidate_ids]


def _accept(
    session: _Session,
    candidate_id: int,
    by: str,
    *,
    category: str | None = None,
    pseudonym: str | None = None,
    span: tuple[int, int] | None = None,
) -> CandidateDecision:
    store, key = session.store, session.key
    row = _candidate(key, candidate_id)
    _not_applied(session, row.transcript_id)
    category = check_category(category or row.category)
    start, end = span or (row.start, row.end)
    text = store.transcripts.text(row.transcript_id)
    if not 0 <= start < end <= len(text):
        raise error(PSEUDO_BAD_SPAN, start=start, end=end, name=store.transcripts.names()[row.transcript_id], length=len(text))
    return _accept_text(session, row.transcript_id, start, end, text[start:end], category, by, pseudonym, row)


def _accept_text(
    session: _Session,
    tid: int,
    start: int,
    end: int,
    name: str,
    category: str,
    by: str,
    pseudonym: str | None,
    row: CandidateRow | None,
    *,
    action: str = "accept",
    word: tuple[str, str, str | None] | None = None,
) -> CandidateDecision:
    key = session.key
    if pseudonym is not None:
        check_text(pseudonym, "the pseudonym", "'Yasmina' or '[persoon 3]'")
    entity = _same_person(key, category, name)
    new_entity = None
    if entity is None:
        number = key.next_number(category)
        chosen = pseudonym is not None
        pseudonym = pseudonym or default_pseudonym(category, number)
        _check_free(key, pseudonym, category, name)
        new_entity = (category, name, pseudonym, number, chosen)
        entity_id = -1
    else:
        entity_id = entity.id
        if entity.original.casefold() != name.casefold():
            # another name of the same entity: its own row, the same pseudonym
            new_entity = (category, name, entity.pseudonym, entity.number, entity.chosen)
            entity_id = -1
    changes = []
    if row is not None:
        changes.append(CandidateChange(row.id, tid, start, end, category, name, row.source, ACCEPTED, entity_id))
    else:
        changes.append(CandidateChange(None, tid, start, end, category, name, "researcher", ACCEPTED, entity_id))
    also = 0
    # A name, a number, a link is the same data wherever it occurs; an age or a date is not
    # ("vijftien" is also "vijftien jaar vrijwilliger").
    others = session.occurrences(name, category) if category not in _EACH_ON_ITS_OWN else []
    for otid, s, e, found in others:
        if (otid, s, e) == (tid, start, end):
            continue
        rows = session.rows(otid)
        same = rows.get((s, e))
        if same is not None and same.status != PENDING and (row is None or same.id != row.id):
            continue  # the researcher said no here, or it is accepted already (the usual case, looked up at once)
        overlapping = sorted(
            (c for c in rows.values() if c.start < e and s < c.end and (row is None or c.id != row.id)),
            key=lambda c: (c.start, c.end),
        )
        if any(c.status == REJECTED and (c.start, c.end) == (s, e) for c in overlapping):
            continue  # the researcher said no here
        if any(c.status == ACCEPTED and c.start <= s and e <= c.end for c in overlapping):
            continue  # already inside an accepted name ("Yvonne" of "Yvonne van Dijk")
        if any(_other_full_name(c, s, e) for c in overlapping):
            continue  # a part inside a longer name still to decide: "Demirci" of "Ismail Demirci" is his
        same = next((c for c in overlapping if (c.start, c.end) == (s, e)), None)
        if same is not None:
            changes.append(CandidateChange(same.id, otid, s, e, category, found, same.source, ACCEPTED, entity_id))
        else:
            # a pending candidate overlapping it differently gives way to the accepted name
            for c in overlapping:
                if c.status == PENDING:
                    changes.append(_with_status(c, REJECTED))
            changes.append(CandidateChange(None, otid, s, e, category, found, "same name", ACCEPTED, entity_id))
        also += 1
    ids = session.decide(action, changes, new_entity=new_entity, word=word, by=by)
    session.settle(name, category)
    chosen_entity = key.find_entity(category, name)
    return CandidateDecision(action, ids, chosen_entity, also)


_EACH_ON_ITS_OWN = {"age", "date"}


def _other_full_name(c: CandidateRow, start: int, end: int) -> bool:
    """Whether a pending person candidate holds ``start:end`` inside a longer name of name
    words only ("Ismail Demirci"; not "Goedemorgen Hatice": once rejected, Hatice would stay)."""
    return (
        c.status == PENDING
        and c.category == "person"
        and c.start <= start
        and end <= c.end
        and c.end - c.start > end - start
        and all(w.casefold() in name_words() or w.casefold() in INTERFIXES for w in c.text.split())
    )


def check_text(value: str, what: str, example: str) -> str:
    """``value`` (a pseudonym the researcher chose, or a word for always/never) if it is text
    on one line, else PSEUDO_BAD_TEXT: a pseudonym goes into the transcripts, where a line
    break would start what reads as a turn of its own ("X\\nInterviewer: ...") and a control
    character cannot be shown or exported; a blank word would match nothing."""
    bad = control_in_name(value)
    if bad or not value.strip():
        reason = f"it holds the control character {bad}" if bad else "it is empty"
        raise error(PSEUDO_BAD_TEXT, what=what, shown=one_line(value), reason=reason, example=example)
    return value


def _check_free(key: KeyStore, pseudonym: str, category: str, name: str) -> None:
    for other in key.entities_by_pseudonym(pseudonym):
        if other.category != category or other.original.casefold() != name.casefold():
            raise error(PSEUDO_PSEUDONYM_TAKEN, pseudonym=pseudonym)


def _with_status(row: CandidateRow, status: str) -> CandidateChange:
    return CandidateChange(row.id, row.transcript_id, row.start, row.end, row.category, row.text, row.source, status, None)


def reject(store: Store, key: KeyStore, candidate_id: int, by: str) -> CandidateDecision:
    """Leave the text as it is here; the span is not proposed again."""
    return _reject(_Session(store, key), candidate_id, by)


def reject_many(store: Store, key: KeyStore, candidate_ids: Iterable[int], by: str) -> list[CandidateDecision]:
    """Reject candidates one after the other, in one transaction: all, or none (when one fails)."""
    session = _Session(store, key)
    with key.batch():
        return [_reject(session, cid, by) for cid in candidate_ids]


def _reject(session: _Session, candidate_id: int, by: str) -> CandidateDecision:
    row = _candidate(session.key, candidate_id)
    _not_applied(session, row.transcript_id)
    session.key.decide("reject", [_with_status(row, REJECTED)], by=by)
    return CandidateDecision("reject", [row.id])


def add(
    store: Store,
    key: KeyStore,
    tid: int,
    by: str,
    *,
    category: str,
    text: str | None = None,
    span: tuple[int, int] | None = None,
    pseudonym: str | None = None,
) -> CandidateDecision:
    """Mark personal data the detection missed, by its text (first occurrence) or span; every occurrence follows."""
    check_category(category)
    session = _Session(store, key)
    _not_applied(session, tid)
    full = store.transcripts.text(tid)
    name = store.transcripts.names()[tid]
    if span is None:
        found = _occurrences(_names_of(text or "", category), [(tid, full)], session._turn_spans)
        if not text or not found:
            raise error(PSEUDO_NOT_FOUND, text=text or "", where=f"the turns of '{name}'")
        _, start, end, _ = found[0]
    else:
        start, end = span
        if not 0 <= start < end <= len(full):
            raise error(PSEUDO_BAD_SPAN, start=start, end=end, name=name, length=len(full))
    existing = next((c for c in key.candidates(tid) if (c.start, c.end) == (start, end)), None)
    return _accept_text(session, tid, start, end, full[start:end], category, by, pseudonym, existing, action="add")


def always(store: Store, key: KeyStore, word: str, category: str, by: str) -> CandidateDecision:
    """``word`` is personal data everywhere in this project: accepted at every occurrence."""
    check_text(word, "the word", "'Overvecht'")
    check_category(category)
    session = _Session(store, key)
    found = session.occurrences(word, category)
    if not found:
        # Remember it for transcripts imported later all the same.
        key.decide("always", [], word=(word, "always", category), by=by)
        return CandidateDecision("always")
    tid, start, end, text = found[0]
    existing = next((c for c in key.candidates(tid) if (c.start, c.end) == (start, end)), None)
    return _accept_text(
        session, tid, start, end, text, category, by, None, existing, action="always", word=(word, "always", category)
    )


def never(store: Store, key: KeyStore, word: str, by: str) -> CandidateDecision:
    """``word`` is never personal data in this project: its pending candidates are rejected."""
    check_text(word, "the word", "'Mooi'")
    folded = word.casefold()
    skip = applied_ids(store, key)
    changes = [
        _with_status(c, REJECTED)
        for c in key.candidates(statuses=[PENDING])
        if c.text.casefold() == folded and c.transcript_id not in skip
    ]
    ids = key.decide("never", changes, word=(word, "never", None), by=by)
    return CandidateDecision("never", ids, also=len(ids))


def undo(key: KeyStore) -> str:
    """Undo the last decision; returns what it was."""
    action = key.undo_last()
    if action is None:
        raise error(PSEUDO_NOTHING_TO_UNDO)
    return action


def rename(store: Store, key: KeyStore, old: str, new: str) -> int:
    """Use the researcher's own pseudonym for an entity (e.g. a fitting Dutch first name)."""
    check_text(new, "the pseudonym", "'Yasmina' or '[persoon 3]'")
    entities = key.entities_by_pseudonym(old)
    if not entities:
        raise error(PSEUDO_UNKNOWN_PSEUDONYM, pseudonym=old)
    ids = {e.id for e in entities}
    applied = applied_ids(store, key)
    used = {c.transcript_id for c in key.candidates(statuses=[ACCEPTED]) if c.entity_id in ids} & applied
    if used:
        # The text already reads the old pseudonym there: the key must stay true to it.
        raise error(PSEUDO_ALREADY_APPLIED, name=store.transcripts.names()[min(used)])
    if any(e.pseudonym == new for e in key.entities()) and new != old:
        raise error(PSEUDO_PSEUDONYM_TAKEN, pseudonym=new)
    return key.rename_pseudonym(old, new)


def decided_names(key: KeyStore) -> tuple[list[tuple[str, str]], list[str]]:
    """(name, category) of every accepted entity and always-word; and the never-words."""
    names = [(e.original, e.category) for e in key.entities()]
    never_words = []
    for word, decision, category in key.words():
        if decision == "always":
            names.append((word, category or "person"))
        else:
            never_words.append(word)
    return names, never_words


def pending_count(key: KeyStore, tids: Iterable[int] | None = None) -> int:
    wanted = None if tids is None else set(tids)
    return sum(1 for c in key.candidates(statuses=[PENDING]) if wanted is None or c.transcript_id in wanted)
