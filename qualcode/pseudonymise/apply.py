"""Replacing accepted personal data by pseudonyms without breaking the coding.

The replacements are known exactly (accepted spans -> their entity's pseudonym), so
every offset is mapped exactly rather than searched for again by its quote:

* an offset before a replacement stays; after it, it shifts by the difference in
  length; inside it, a start goes to the pseudonym's start and an end to its end, so
  a coding that began or ended inside a name still covers the whole pseudonym;
* codings, suggestions (pending ones too) and turns move that way, quotes are taken
  from the new text; nothing is detached;
* a speaker label that holds an accepted name ("MARVIN") is replaced as well;
* memos and attributes are checked for the same names and reported, and changed
  only on request.

``apply`` switches the project to the pseudonymised text and keeps the originals in
the key store (removable with ``forget``); ``pseudonymised_view`` gives the same
text and mapping on the fly for exports.
"""

from __future__ import annotations

import bisect
import re
import shlex
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from ..errors import (
    PSEUDO_COLLAPSE,
    PSEUDO_NAMED_LABEL,
    PSEUDO_NAMED_TRANSCRIPT,
    PSEUDO_NOT_APPLIED,
    PSEUDO_PENDING,
    PSEUDO_PENDING_EXPORT,
    error,
)
from ..model import ACCEPTED, PENDING, Coding, Transcript, Turn, sha256_text, stored_id
from ..project import DB_NAME, Project
from ..store import Store, now
from ..store.key import EntityRow, KeyStore, OriginalRow
from ..termsafe import first_of, one_line
from .categories import CATEGORIES
from .context import KnownNames, label_names
from .detect import ATTRIBUTE_CATEGORIES
from .review import applied_ids, refuse_stale, stand_in_pseudonym
from .words import INTERFIXES, dutch_words


@dataclass(frozen=True, slots=True)
class Replacement:
    start: int
    end: int
    pseudonym: str


class OffsetMapper:
    """Maps offsets of the original text to the pseudonymised one (see the module doc)."""

    def __init__(self, replacements: list[Replacement]) -> None:
        self.replacements = replacements
        self.starts = [r.start for r in replacements]
        self.ends = [r.end for r in replacements]
        shifts, total, firsts, lasts = [], 0, [], []
        for r in replacements:
            firsts.append(r.start + total)  # where the pseudonym starts in the new text
            lasts.append(r.start + total + len(r.pseudonym))  # and ends
            total += len(r.pseudonym) - (r.end - r.start)
            shifts.append(total)
        self.shifts = shifts  # cumulative shift after each replacement
        self._firsts, self._lasts = firsts, lasts

    def start(self, offset: int) -> int:
        return self._map(offset, self._firsts)  # inside a name: its start

    def end(self, offset: int) -> int:
        return self._map(offset, self._lasts)  # inside a name: its end

    def _map(self, offset: int, inside: list[int]) -> int:
        """``offset`` in the new text; within a name, its entry of ``inside``."""
        i = bisect.bisect_left(self.starts, offset) - 1  # the last replacement starting before it
        if i < 0:
            return offset
        return inside[i] if offset < self.ends[i] else offset + self.shifts[i]

    def spans(self, spans: Iterable[tuple[int, int]]) -> tuple[list[tuple[int, int]], bool]:
        """Many spans mapped at once (an export maps every coding), and whether a start or
        an end lay inside a name: only then can two spans fall on one, or two spans in
        position order change places (elsewhere every offset shifts as the one before)."""
        starts, ends, shifts, firsts, lasts = self.starts, self.ends, self.shifts, self._firsts, self._lasts
        bisect_left = bisect.bisect_left
        out, inside = [], False
        for start, end in spans:
            i = bisect_left(starts, start) - 1
            if i >= 0:
                if start < ends[i]:
                    start, inside = firsts[i], True
                else:
                    start += shifts[i]
            i = bisect_left(starts, end) - 1
            if i >= 0:
                if end < ends[i]:
                    end, inside = lasts[i], True
                else:
                    end += shifts[i]
            out.append((start, end))
        return out, inside


def replace_all(text: str, replacements: list[Replacement]) -> str:
    """``text`` with the ``replacements`` (in position order) made."""
    parts, pos = [], 0
    for r in replacements:
        parts.append(text[pos : r.start])
        parts.append(r.pseudonym)
        pos = r.end
    parts.append(text[pos:])
    return "".join(parts)


def _names_pattern(entities: list[EntityRow]) -> tuple[KnownNames, dict[str, str]]:
    names = KnownNames()
    pseudonyms: dict[str, str] = {}
    for e in entities:
        names.add(e.original, e.category)
        pseudonyms[e.original.casefold()] = e.pseudonym
    for e in entities:
        if e.category != "person":
            continue
        # "Hatice" of "Hatice Yilmaz" (as accept found them), unless it is a name on its own.
        parts = KnownNames()
        parts.add_person(e.original)
        for part in parts.names:
            if part.casefold() not in pseudonyms and (part.casefold() not in dutch_words() or " " in part):
                names.add(part, "person")
                pseudonyms[part.casefold()] = e.pseudonym
    for e in entities:
        if e.category in _CUT_CATEGORIES:
            for cut in _cut_forms(e.original):
                if cut.casefold() not in pseudonyms:
                    names.add(cut, e.category)
                    pseudonyms[cut.casefold()] = e.pseudonym
    return names, pseudonyms


# A memo quoting a stretch of text that was cut inside a place's or an organisation's name
# of several words ("en Haag" of "Den Haag", "Kind en Ge" of "Kind en Gezin") names it all
# the same. Its parts on their own are not replaced: most are ordinary words ("Haag",
# "Kind", "Vrouwen", "College"), and a Dutch capitalises them at the start of a sentence.
_CUT_CATEGORIES = frozenset({"place", "organisation"})


def _cut_forms(name: str) -> list[str]:
    """``name`` cut inside its first word (the rest whole) or inside its last word (the
    rest whole): only a quote's edge cuts a name like that, and the cut form still
    holds a whole word of it and a word boundary, so ordinary text hardly ever reads so."""
    words = name.split()
    if len(words) < 2:
        return []
    first, rest = words[0], " ".join(words[1:])
    head, last = " ".join(words[:-1]), words[-1]
    return [f"{first[i:]} {rest}" for i in range(1, len(first))] + [f"{head} {last[:i]}" for i in range(1, len(last))]


_SHOWN_NAMES = 5  # transcripts named in a refusal; the rest are counted


class _Names:
    """The entities' names as one pattern, built once per run (rebuilt when an entity is added)."""

    def __init__(self, entities: list[EntityRow]) -> None:
        self.entities = entities
        self.by_name = _ByName(entities)
        self._built: tuple[int, KnownNames, dict[str, str]] | None = None
        self._speakers: dict[str, str] = {}

    def get(self) -> tuple[KnownNames, dict[str, str]]:
        if self._built is None or self._built[0] != len(self.entities):
            self._built = (len(self.entities), *_names_pattern(self.entities))
            self._speakers.clear()
        return self._built[1], self._built[2]

    def speaker(self, label: str) -> str:
        """A speaker label pseudonymised (the same few labels recur in every turn)."""
        self.get()  # drops the labels done with fewer entities
        if (done := self._speakers.get(label)) is None:
            done = self._speakers[label] = self.replace(label)[0]
        return done

    def replace(self, text: str) -> tuple[str, list[str]]:
        """``text`` with every occurrence of the names replaced, and the names found."""
        names, pseudonyms = self.get()
        found = names.find(text)
        reps = [Replacement(c.start, c.end, pseudonyms[" ".join(c.text.split()).casefold()]) for c in found]
        return replace_all(text, _joined(text, reps)), [c.text for c in found]


class _ByName:
    """The entities by their name, case and spacing aside (the first of each in the list),
    brought up to date as entities are appended: an attribute's value is looked up here
    (was: compared with every entity, 8,000 values of 1,000 interviews 4 s)."""

    def __init__(self, entities: list[EntityRow]) -> None:
        self.entities = entities
        self._index: dict[str, EntityRow] = {}
        self._done = 0

    def get(self, name: str) -> EntityRow | None:
        if self._done < len(self.entities):
            for e in self.entities[self._done :]:
                self._index.setdefault(_folded(e.original), e)
            self._done = len(self.entities)
        return self._index.get(_folded(name))


def replace_names(text: str, entities: list[EntityRow]) -> tuple[str, list[str]]:
    """``text`` with every occurrence of the entities' names replaced, and the names found."""
    return _Names(entities).replace(text)


@dataclass(slots=True)
class View:
    """A transcript as it reads pseudonymised, with the mapping of its offsets."""

    text: str
    turns: list[Turn]
    mapper: OffsetMapper
    replaced: int


def pseudonymised_view(
    t: Transcript, key: KeyStore, entities: list[EntityRow] | None = None, names: _Names | None = None
) -> View:
    """The pseudonymised text of a stored transcript (its accepted candidates), on the fly."""
    rows = [(u.index, u.speaker, u.start, u.end, u.time_start, u.time_end, u.role) for u in t.turns]
    assert t.id is not None
    text, moved, mapper = pseudonymised_rows(t.id, t.text, rows, key, entities, names, name=t.name)
    return View(text, t.turns if moved is None else [Turn(*u) for u in moved], mapper, len(mapper.replacements))


TurnRow = tuple[int, str | None, int, int, float | None, float | None, str | None]  # Turn's fields, in order


def pseudonymised_rows(
    tid: int,
    text: str,
    turns: list[TurnRow],
    key: KeyStore,
    entities: list[EntityRow] | None = None,
    names: _Names | None = None,
    *,
    name: str,
) -> tuple[str, list[TurnRow] | None, OffsetMapper]:
    """:func:`pseudonymised_view` of a transcript's text and turns as plain rows: the new
    text, the new turns (None where they stay as they are) and the mapping of offsets."""
    entities = entities if entities is not None else key.entities()
    names = names if names is not None else _Names(entities)
    mapper = OffsetMapper(find_replacements(tid, text, [(u[2], u[3]) for u in turns], key, entities, names, name))
    return replace_all(text, mapper.replacements), moved_turns(turns, mapper, names), mapper


def find_replacements(
    tid: int,
    text: str,
    turns: list[tuple[int, int]],
    key: KeyStore,
    entities: list[EntityRow],
    names: _Names,
    name: str,
) -> list[Replacement]:
    """What :func:`pseudonymised_rows` replaces in a transcript's ``text`` (named ``name``) with
    turns at ``turns`` (start, end): its accepted candidates and the speaker labels that are
    names, in position order, none overlapping another. A candidate whose text is no longer at
    its place is refused (:func:`refuse_stale`): its pseudonym would cut into other words."""
    by_id = {e.id: e for e in entities}
    accepted = key.candidates(tid, [ACCEPTED])
    refuse_stale(name, text, accepted)
    reps = [Replacement(c.start, c.end, by_id[c.entity_id].pseudonym) for c in accepted if c.entity_id in by_id]
    # Speaker labels lie outside the turns, where candidates never are: a label that is
    # a name the key holds ("MARVIN") is replaced as well.
    pattern, pseudonyms = names.get()
    for c in pattern.find_within(text, _outside_turns(turns, len(text))):
        reps.append(Replacement(c.start, c.end, pseudonyms[c.text.casefold()]))
    return _joined(text, _without_overlaps(sorted(reps, key=lambda r: (r.start, -r.end))))


def moved_turns(turns: list[TurnRow], mapper: OffsetMapper, names: _Names) -> list[TurnRow] | None:
    """The turns of :func:`pseudonymised_rows` at their new offsets, speaker labels
    pseudonymised (None where they stay as they are)."""
    speakers = {label: names.speaker(label) if label else label for label in {u[1] for u in turns}}
    if not mapper.replacements and all(label == new for label, new in speakers.items()):
        return None  # nothing to replace: the turns stay as they are
    spans = mapper.spans([(u[2], u[3]) if u[3] > u[2] else (u[2], u[2]) for u in turns])[0]
    return [
        (index, speakers[speaker], a, b if u_end > u_start else mapper.start(u_end), time_start, time_end, role)
        for (index, speaker, u_start, u_end, time_start, time_end, role), (a, b) in zip(turns, spans, strict=True)
    ]


def _outside_turns(turns: list[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """The stretches of a text of ``length`` characters that no turn covers (speaker
    labels, line breaks): only there is the text searched for the key's names, as
    the turns' names are the candidates accepted in them."""
    stretches, reach = [], 0  # reach: the furthest end of the turns so far
    for start, end in sorted(turns):
        if start > reach:
            stretches.append((reach, start))
        reach = max(reach, end)
    if length > reach:
        stretches.append((reach, length))
    return stretches


_SPACE_BETWEEN = re.compile(r"[ \t]*\n?[ \t]*")


def _joined(text: str, reps: list[Replacement]) -> list[Replacement]:
    """``reps`` (in order, none overlapping) with the parts of one name side by side made one:
    "Gebremeskel Senait" (surname first) or "Senait" at a subtitle line's end and
    "Gebremeskel" below were "[persoon 1] [persoon 1]", which tells the name had two parts."""
    out: list[Replacement] = []
    for r in reps:
        last = out[-1] if out else None
        if last is not None and last.pseudonym == r.pseudonym and _SPACE_BETWEEN.fullmatch(text, last.end, r.start):
            out[-1] = Replacement(last.start, r.end, r.pseudonym)
        else:
            out.append(r)
    return out


def _without_overlaps(reps: list[Replacement]) -> list[Replacement]:
    out: list[Replacement] = []
    for r in reps:
        if out and r.start < out[-1].end:
            continue
        out.append(r)
    return out


def refuse_pending(key: KeyStore, names: dict[int, str], transcript_ids: set[int], *, export: bool) -> None:
    """Refuse (before anything is written) while candidates in ``transcript_ids`` are unreviewed."""
    pending = [c for c in key.candidates(statuses=[PENDING]) if c.transcript_id in transcript_ids]
    if pending:
        where = sorted({names[c.transcript_id] for c in pending})
        shown = first_of(where, _SHOWN_NAMES)
        # An export has no --ignore-pending: its refusal says what to do instead.
        raise error(PSEUDO_PENDING_EXPORT if export else PSEUDO_PENDING, count=len(pending), names=shown)


def names_in_transcript_names(names: dict[int, str], entities: list[EntityRow]) -> list[tuple[str, str]]:
    """``(transcript name, accepted name)`` where a transcript's own name holds an accepted
    name, compared word by word whatever the case and separators ("interview_hatice_yilmaz",
    "Gesprek Hatice"): an export would show it, whatever the text says. A person's first
    name and surname count alone too, unless they are Dutch words (as :func:`_names_pattern`)."""
    wanted: dict[tuple[str, ...], str] = {}
    for e in entities:
        forms = [e.original]
        if e.category == "person":
            parts = KnownNames()
            parts.add_person(e.original)
            forms += [p for p in parts.names if " " in p or p.casefold() not in dutch_words()]
        for form in forms:
            seq = tuple(_NAME_WORD.findall(form.casefold()))
            # Not a form of initials or of a number of one or two digits: the "A." of "A.
            # Yilmaz" is no name in "t_A", an age "11" none in "2024-11_rotterdam".
            if seq and not all(len(w) == 1 or (w.isdigit() and len(w) < 3) for w in seq):
                wanted.setdefault(seq, e.original)
    found = []
    for name in sorted(names.values()):
        words = _NAME_WORD.findall(name.casefold())
        hits = {
            original
            for seq, original in wanted.items()
            for i in range(len(words) - len(seq) + 1)
            if tuple(words[i : i + len(seq)]) == seq
        }
        found += [(name, original) for original in sorted(hits)]
    return found


_NAME_WORD = re.compile(r"[^\W_]+")  # the words of a name, split at spaces, underscores, hyphens, dots


def refuse_named_transcripts(names: dict[int, str], entities: list[EntityRow]) -> None:
    """Refuse a pseudonymised export while a transcript's name holds an accepted name."""
    if found := names_in_transcript_names(names, entities):
        shown = first_of([f"'{n}' ({o})" for n, o in found], _SHOWN_NAMES, "; ")
        # The hint's command runs as shown: a name with a space is quoted.
        first = shlex.quote(one_line(found[0][0]))
        raise error(PSEUDO_NAMED_TRANSCRIPT, count=len({n for n, _ in found}), names=shown, first=first)


def unnamed_labels(store: Store, key: KeyStore, entities: list[EntityRow]) -> list[tuple[str, str, int]]:
    """``(label, name, transcript id)`` of the speaker labels that are names (``HATICE``,
    ``Respondent (Fatima)``) which no accepted name covers, nor a ``never`` word: labels are
    never candidates, so a name said only as a label has no pseudonym."""
    never = {word.casefold() for word, decision, _ in key.words() if decision == "never"}
    pattern = _Names(entities)
    out = []
    for label, tid in sorted(store.transcripts.speaker_transcripts().items()):
        for name in sorted(label_names([Turn(0, label, 0, 0)])):
            if name.casefold() not in never and label_left(pattern, label, name) is not None:
                out.append((label, name, tid))
    return out


def label_left(names: _Names | list[EntityRow], label: str, name: str) -> str | None:
    """``label`` as the key's names replace it while a word of ``name`` (a name it holds)
    is left in it ("[persoon 2] Vermeulen" of "Sarah Vermeulen"), else None."""
    pattern = names if isinstance(names, _Names) else _Names(names)
    replaced = pattern.speaker(label)
    left = set(_NAME_WORD.findall(replaced.casefold()))
    return replaced if any(w in left for w in _NAME_WORD.findall(name.casefold()) if w not in INTERFIXES) else None


def label_span(store: Store, label: str, name: str, tid: int) -> str:
    """``START:END`` of ``name`` where ``label`` first stands in transcript ``tid`` (for `add --span`)."""
    text = store.transcripts.text(tid)
    before = 0
    for row in store.transcripts.turn_rows(tid):
        if row[1] == label:
            # Searched case-blind in the text itself: a case-folded copy can differ in length ("ß").
            found = re.compile(re.escape(name), re.IGNORECASE).search(text, before, row[2])
            return f"{found.start()}:{found.end()}" if found else "START:END"
        before = row[3]
    return "START:END"


def refuse_named_labels(store: Store, key: KeyStore, entities: list[EntityRow], names: dict[int, str]) -> None:
    """Refuse a pseudonymised export while a speaker label names someone no pseudonym covers."""
    found = unnamed_labels(store, key, entities)
    if not found:
        return
    label, name, tid = found[0]
    span = label_span(store, label, name, tid)
    shown = first_of([f"'{one_line(lab)}' ({one_line(names.get(t, str(t)))})" for lab, _, t in found], _SHOWN_NAMES, "; ")
    raise error(
        PSEUDO_NAMED_LABEL,
        count=len(found),
        labels=shown,
        transcript=shlex.quote(one_line(names.get(tid, str(tid)))),  # the hint's commands run as shown
        span=span,
        name=shlex.quote(one_line(name)),
    )


def check_collapse(name: str, moved: Iterable[tuple[int, int, int, str, str]]) -> None:
    """Refuse when two codings ``(id, new start, new end, code_id, coder)`` of one code and
    coder fall on one span (the store's unique key); in position order before the move."""
    seen: dict[tuple[int, int, str, str], int] = {}
    for cid, s, e, code_id, coder in moved:
        other = seen.setdefault((s, e, code_id, coder), cid)
        if other != cid:
            raise error(PSEUDO_COLLAPSE, name=name, ids=f"{other} and {cid}", code=code_id)


def pseudonymised_attributes(
    name: str,
    attributes: dict[str, str],
    key: KeyStore,
    entities: list[EntityRow],
    pattern: _Names,
    reported: list[tuple[str, str, list[str]]],
    *,
    create: bool,
    export: bool,
) -> dict[str, str]:
    """The attributes of transcript ``name`` that change, with their new values; each one
    that is personal data or names someone is added to ``reported`` as ``(name, attribute,
    names)``. ``create``: a personal attribute without an entity gets one in the key;
    ``export``: without one it is written as its category's label."""
    changed = {}
    for attr, value in attributes.items():
        category = ATTRIBUTE_CATEGORIES.get(attr.casefold())
        if category is not None:
            # "interviewer: Noor Hendriks" is personal data whether or not the text names her.
            entity = _attribute_entity(key, entities, pattern.by_name, category, value, create=create)
            reported.append((name, attr, [value]))
            if entity is not None:
                changed[attr] = entity.pseudonym
            elif export:  # no pseudonym in the key yet, so none at all
                changed[attr] = f"[{CATEGORIES[category]}]"
            continue
        new_value, found = pattern.replace(value)
        if found:
            reported.append((name, attr, found))
            changed[attr] = new_value
    return changed


def coder_pseudonyms(coders: Iterable[str], attributes: Iterable[dict[str, str]], entities: list[EntityRow]) -> dict[str, str]:
    """Coder name -> the name an export writes, for the coders who are personal data: a
    coder named as a personal attribute's value ("interviewer: Lotte Verhoeven") or as an
    entity of the key gets that entity's pseudonym (``entities`` holds the stand-ins of
    :func:`_attribute_names` too), else the attribute's category label, as the attribute
    is written. Two coders never share a name (agreement is counted per coder): a name
    already taken is numbered ("[persoon] 2"). Other coders (the research team) stay."""
    names = sorted(set(coders))
    if not names:
        return {}
    personal: dict[str, str] = {}
    for values in attributes:
        for attr, value in values.items():
            category = ATTRIBUTE_CATEGORIES.get(attr.casefold())
            if category is not None:
                personal.setdefault(_folded(value), f"[{CATEGORIES[category]}]")
    for e in entities:  # an entity's pseudonym wins over the category label
        personal[_folded(e.original)] = e.pseudonym
    found = {name: personal[f] for name in names if (f := _folded(name)) in personal}
    taken = set(names)  # a pseudonym never takes a stored coder's name: the copy renames in place
    out: dict[str, str] = {}
    for name, pseudonym in found.items():
        new, number = pseudonym, 2
        while new in taken:
            new, number = f"{pseudonym} {number}", number + 1
        taken.add(new)
        out[name] = new
    return out


def _folded(name: str) -> str:
    return " ".join(name.split()).casefold()


@dataclass(slots=True)
class PseudonymApplyResult:
    transcripts: dict[str, int] = field(default_factory=dict)  # name -> replacements
    already: list[str] = field(default_factory=list)  # switched before (memos and attributes only)
    codings_moved: int = 0
    suggestions_moved: int = 0
    # (transcript, coding id or None for the transcript's own memo, names)
    memos: list[tuple[str, int | None, list[str]]] = field(default_factory=list)
    attributes: list[tuple[str, str, list[str]]] = field(default_factory=list)  # (transcript, attribute, names)
    memos_replaced: bool = False
    attributes_replaced: bool = False
    coders: dict[str, str] = field(default_factory=dict)  # coder -> pseudonym (exports: personal data)


def apply(
    store: Store,
    key: KeyStore,
    *,
    transcript_ids: list[int] | None = None,
    ignore_pending: bool = False,
    replace_memos: bool = False,
    replace_attributes: bool = False,
    keep_originals: bool = True,
) -> PseudonymApplyResult:
    """Switch transcripts to their pseudonymised text; the originals go to the key store.

    Refuses (before writing anything) while candidates are unreviewed, unless
    ``ignore_pending``, and when two codings of one code would fall on one span.
    ``keep_originals=False`` is for a throw-away copy (exports on the fly), made by
    :meth:`Store.scratch_copy`: there each transcript is written as soon as it is
    worked out (a refusal leaves a copy that is thrown away), all in one transaction,
    with the codings' word positions, and one whose text has no name to replace is
    not rewritten at all.
    """
    names = store.transcripts.names()
    wanted = list(transcript_ids or names)
    # Already switched: their text stays; their memos and attributes can still be done.
    done = applied_ids(store, key)
    if not ignore_pending:
        refuse_pending(key, names, set(wanted) - done, export=not keep_originals)
    entities = key.entities()
    attributes = store.transcripts.all_attributes()
    _attribute_names(
        store,
        key,
        entities,
        wanted,
        create=replace_attributes and keep_originals,
        stand_in=not keep_originals,
        attributes=attributes,
    )
    pattern = _Names(entities)
    result = PseudonymApplyResult(memos_replaced=replace_memos, attributes_replaced=replace_attributes)

    def plan(tid: int) -> _Plan:
        t = store.transcripts.load(tid)
        view = View(t.text, t.turns, OffsetMapper([]), 0) if tid in done else pseudonymised_view(t, key, entities, pattern)
        unchanged = not keep_originals and not view.replaced and view.turns == t.turns
        codings: list[Coding] = []  # whole, for the originals kept in the key
        if unchanged:  # nothing moves: only the memos are read (for names in them)
            spans, moved, suggestions = [], [], []
            memo_rows = store.codings.memos(tid)
        else:
            if keep_originals:
                codings = store.codings.find(transcript_id=tid)
                spans = [(stored_id(c), c.start, c.end, c.code_id, c.coder, c.memo) for c in codings]
            else:
                spans = store.codings.spans_with_memos(tid)
            start, end = view.mapper.start, view.mapper.end
            moved = [(cid, start(s), end(e)) for cid, s, e, *_ in spans]
            check_collapse(
                t.name,
                ((cid, s, e, code_id, coder) for (cid, _, _, code_id, coder, _), (_, s, e) in zip(spans, moved, strict=True)),
            )
            suggestions = [(s.id, start(s.start), end(s.end)) for s in store.suggestions.find(tid)]
            memo_rows = [(cid, memo) for cid, _, _, _, _, memo in spans if memo]

        def named(owner: int | None, text: str | None) -> str | None:
            """``text`` (a memo of coding ``owner``, None: of the transcript) with the names
            replaced, reported; None when it names no one."""
            if not text:
                return None
            new_text, found = pattern.replace(text)
            if not found:
                return None
            result.memos.append((t.name, owner, found))
            return new_text

        memos: dict[int, str | None] = {cid: new for cid, memo in memo_rows if (new := named(cid, memo)) is not None}
        # A memo still being written (its draft, kept while the researcher types) is a memo too.
        coding_drafts = store.codings.drafts(tid) if keep_originals else []
        drafts = {cid: new for cid, draft in coding_drafts if (new := named(cid, draft)) is not None}
        # The transcript's own memo (and its draft), as a coding's.
        own_draft = store.transcripts.draft(tid) if keep_originals else None
        own = (named(None, t.memo), named(None, own_draft[0] if own_draft else None))
        attributes = pseudonymised_attributes(
            t.name,
            t.attributes,
            key,
            entities,
            pattern,
            result.attributes,
            create=replace_attributes and keep_originals,
            export=not keep_originals,
        )
        return _Plan(t, view, unchanged, codings, spans, moved, suggestions, memos, drafts, attributes, *own)

    def write(p: _Plan) -> None:
        t = p.transcript
        # The original goes aside first: if the switch below fails, nothing is lost.
        if keep_originals and t.id not in done:
            key.save_original(
                OriginalRow(
                    stored_id(t),
                    t.name,
                    t.text,
                    [asdict(u) for u in t.turns],
                    dict(t.attributes),
                    {stored_id(c): c.memo for c in p.codings},
                    [(r.start, r.end, r.pseudonym) for r in p.view.mapper.replacements],
                    sha256_text(p.view.text),
                    now(),
                    t.memo if replace_memos and p.transcript_memo is not None else None,
                )
            )
        if p.unchanged:  # the same text: only what names a person changes
            store.transcripts.touch(stored_id(t))  # dated as every pseudonymised transcript is
            if replace_attributes and p.attributes:
                store.transcripts.set_attributes(stored_id(t), p.attributes)
            if replace_memos and p.memos:
                store.codings.set_memos(stored_id(t), p.memos)
            if replace_memos:
                _replace_own_memo(store, p)
        else:
            new = replace(
                t,
                text=p.view.text,
                turns=p.view.turns,
                attributes={**t.attributes, **p.attributes} if replace_attributes else t.attributes,
            )
            if keep_originals:
                with store.transaction():  # the text and the drafts' names switch together
                    store.replace_text_exactly(new, p.moved, p.suggestions, p.memos if replace_memos else None)
                    if replace_memos and p.drafts:
                        store.codings.set_drafts(p.drafts)
                    if replace_memos:
                        _replace_own_memo(store, p)
            else:  # a scratch copy (see pseudonymised_copy): the text before the first name stays
                reps = p.view.mapper.replacements
                first = reps[0].start if reps else len(t.text)
                store.rewrite_exactly(new, p.moved, p.suggestions, p.memos if replace_memos else {}, first)
                if replace_memos:
                    _replace_own_memo(store, p)
        if t.id in done:
            result.already.append(t.name)
        else:
            result.transcripts[t.name] = p.view.replaced
        result.codings_moved += sum(1 for (_, a, b, *_), (_, s, e) in zip(p.spans, p.moved, strict=True) if (s, e) != (a, b))
        result.suggestions_moved += len(p.suggestions)

    plans: list[_Plan] = []
    if keep_originals:
        # Every transcript is checked before anything is written.
        plans = [plan(tid) for tid in wanted]
        for p in plans:
            write(p)
    else:
        # A coder who is personal data (the interviewer coded) is renamed in the copy.
        result.coders = coder_pseudonyms(store.coders.names(), attributes.values(), entities)
        # A throw-away copy: one transcript at a time (memory stays flat), one transaction;
        # the copy is deleted after the export, so its free pages need no erasing. The
        # word indexes are set aside from the first transcript whose codings move.
        with store.transaction(), ExitStack() as aside:
            set_aside = False
            for tid in wanted:
                p = plan(tid)
                if not p.unchanged and not set_aside:
                    aside.enter_context(store.codings.word_indexes_set_aside())
                    set_aside = True
                write(p)
            if result.coders:
                store.coders.rename(result.coders)
    sources_changed = False
    if replace_attributes and transcript_ids is None:
        # The variable values of sources without text an import kept (an export writes them).
        for source in store.exchange.empty_sources():
            changed = pseudonymised_attributes(
                source.name,
                source.attributes,
                key,
                entities,
                pattern,
                result.attributes,
                create=keep_originals,
                export=not keep_originals,
            )
            if changed:
                if keep_originals:  # first into the key: a stop between the two writes loses nothing
                    key.save_source_original(source.guid, source.name, source.attributes)
                    sources_changed = True
                store.exchange.set_empty_source_attributes(source.guid, source.attributes | changed)
    if keep_originals and (plans or sources_changed):
        store.erase_freed_pages()  # the replaced originals must not linger in free pages
    return result


@dataclass(slots=True)
class _Plan:
    """What one transcript becomes (see :func:`apply`)."""

    transcript: Transcript
    view: View
    unchanged: bool  # the text and turns stay as they are (only in a throw-away copy)
    codings: list[Coding]  # only where the originals are kept
    spans: list[tuple[int, int, int, str, str, str | None]]  # (id, start, end, code_id, coder, memo) before
    moved: list[tuple[int, int, int]]
    suggestions: list[tuple[int, int, int]]
    memos: dict[int, str | None]
    drafts: dict[int, str]  # memo drafts with names replaced (only where the originals are kept)
    attributes: dict[str, str]
    transcript_memo: str | None  # the transcript's own memo with names replaced (None: it names no one)
    transcript_draft: str | None  # and its draft's (only where the originals are kept)


def _replace_own_memo(store: Store, p: _Plan) -> None:
    """The transcript's own memo and its draft with the names replaced (where they name someone)."""
    tid = stored_id(p.transcript)
    if p.transcript_memo is not None:
        store.transcripts.set_memos({tid: p.transcript_memo})
    if p.transcript_draft is not None:
        store.transcripts.set_drafts({tid: p.transcript_draft})


def _attribute_names(
    store: Store,
    key: KeyStore,
    entities: list[EntityRow],
    wanted: list[int],
    *,
    create: bool,
    stand_in: bool,
    attributes: dict[int, dict[str, str]] | None = None,
) -> None:
    """Make the names given only as personal attributes ("interviewer: Noor Hendriks") entities
    before any transcript is planned, so a memo or another attribute naming her is replaced
    too, whichever transcript is read first (``create``: in the key; ``stand_in``: for this
    run only, as a label of its own per name, "[plaats A]", which is what an export writes
    for the attribute).

    A value that is a plain Dutch word or has fewer than three letters ("nvt", "-") stays
    the attribute's alone: replaced everywhere it would break unrelated text.
    ``attributes``: every transcript's, when the caller has read them already.
    """
    chosen = set(wanted)
    stand_ins: Counter[str] = Counter()
    by_name = _ByName(entities)
    for tid, values in sorted((store.transcripts.all_attributes() if attributes is None else attributes).items()):
        if tid not in chosen:
            continue
        for attr, value in values.items():
            category = ATTRIBUTE_CATEGORIES.get(attr.casefold())
            if category is None or sum(ch.isalpha() for ch in value) < 3 or value.strip().casefold() in dutch_words():
                continue
            if _attribute_entity(key, entities, by_name, category, value, create=create) is None and stand_in:
                # Each name its own label ("[plaats A]", "[plaats B]"): one label for all would
                # make Den Haag and Vlamertinge one place in the export.
                stand_ins[category] += 1
                entities.append(EntityRow(0, category, value, stand_in_pseudonym(category, stand_ins[category]), 0, False))


def _attribute_entity(
    key: KeyStore, entities: list[EntityRow], by_name: _ByName, category: str, value: str, *, create: bool
) -> EntityRow | None:
    """The entity of an attribute's value (created when asked: the value is a name), its
    case and spacing aside ("lotte  claeys" is Lotte Claeys); ``by_name``: ``entities`` indexed."""
    found = by_name.get(value)
    if found is not None or not create:
        return found
    from .review import default_pseudonym

    number = key.next_number(category)
    key.decide("attribute", [], new_entity=(category, value, default_pseudonym(category, number), number, False))
    entity = key.find_entity(category, value)
    assert entity is not None  # just created
    entities.append(entity)
    return entity


@contextmanager
def pseudonymised_copy(project: Project, key: KeyStore, *, ignore_pending: bool = False) -> Iterator[Project]:
    """The project as it would be pseudonymised, in a temporary copy.

    The project itself and the key are not changed; attributes that are names are
    replaced only when the key already has a pseudonym for them (else: reported).
    Exports read the project as this copy would read instead, a transcript at a time
    (:mod:`.stream`); the copy is what they are tested against.
    """
    with tempfile.TemporaryDirectory(prefix="qualcode-pseudo-") as folder:
        copy = project.store.scratch_copy(Path(folder) / DB_NAME)
        try:
            result = apply(
                copy, key, ignore_pending=ignore_pending, replace_memos=True, replace_attributes=True, keep_originals=False
            )
            view = Project(project.root)
            view.__dict__["store"] = copy  # the copy stands in for the project's store
            view.pseudonymised = result  # type: ignore[attr-defined]  # the CLI reads it back; Project does not know the pseudonymiser
            yield view
        finally:
            copy.close()


def restore(store: Store, key: KeyStore, tid: int) -> None:
    """Put a transcript's original text back (codings, suggestions, memos and attributes too)."""
    original = key.originals().get(tid)
    if original is None or tid not in applied_ids(store, key):
        raise error(PSEUDO_NOT_APPLIED, name=store.transcripts.names().get(tid, tid))
    # The mapping back, from the replacements made when the text was switched.
    turns = [Turn(**u) for u in original.turns]
    back = _inverse(OffsetMapper([Replacement(*r) for r in original.replacements]))
    codings = [(stored_id(c), back.start(c.start), back.end(c.end)) for c in store.codings.find(transcript_id=tid)]
    suggestions = [(s.id, back.start(s.start), back.end(s.end)) for s in store.suggestions.find(tid)]
    memos = {c.id: original.memos.get(c.id, c.memo) for c in store.codings.find(transcript_id=tid) if c.id in original.memos}
    t = store.transcripts.load(tid)
    with store.transaction():
        store.replace_text_exactly(
            replace(t, text=original.text, turns=turns, attributes=dict(original.attributes)), codings, suggestions, memos
        )
        if original.transcript_memo is not None:
            store.transcripts.set_memo(tid, original.transcript_memo)
    key.drop_original(tid)


def restore_sources(store: Store, key: KeyStore) -> list[str]:
    """Put back the variable values of the sources without text that ``apply --replace-attributes``
    changed (kept in the key); returns their names. A source no longer in the project keeps its
    values in the key."""
    present = {source.guid for source in store.exchange.empty_sources()}
    restored = []
    for guid, (name, attributes) in key.source_originals().items():
        if guid in present:
            store.exchange.set_empty_source_attributes(guid, attributes)
            key.drop_source_original(guid)
            restored.append(name)
    return restored


def _inverse(mapper: OffsetMapper) -> OffsetMapper:
    """The mapping from the pseudonymised text back to the original."""
    reps = []
    for r in mapper.replacements:
        new_start = mapper.start(r.start)
        reps.append(Replacement(new_start, new_start + len(r.pseudonym), "\0" * (r.end - r.start)))
    return OffsetMapper(reps)


def forget_originals(key: KeyStore) -> int:
    """Remove the original texts kept aside; the project keeps its pseudonymised text."""
    return key.forget_originals()
