"""Transcripts, their turns and case attributes."""

from __future__ import annotations

import sys
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from itertools import chain
from operator import itemgetter
from pathlib import Path

from ..errors import MEMO_CODING_GONE, QualcodeError, error
from ..model import INTERVIEWER, Transcript, Turn, span_words
from ..termsafe import one_line
from ..text import SENTENCE_RULES, content_spans, sentences_in
from .codings import fill_words
from .db import Database, inserted_id, json_ids, now
from .drafts import UNCHECKED, DraftTable, refuse_changed_meanwhile
from .trashed import removed
from .types import TranscriptInfo, TranscriptRef, TranscriptSummary

_TURN_COLUMNS = "idx, speaker, start, end, time_start, time_end, role"  # Turn's field order
_INSERT_TURNS = "INSERT INTO turns (transcript_id, idx, speaker, role, start, end, time_start, time_end, words) VALUES "
_TURN_VALUES = "(?, ?, ?, ?, ?, ?, ?, ?, ?)"
_TURNS_AT_ONCE = 100  # 900 parameters: below 999, the most an older SQLite takes in one statement


# What a coding can cover: the characters of the turns (speaker labels, timestamps and a
# title outside every turn are none of them), or the whole text of one without turns
# (turn_chars NULL). The transcripts list's coded share is of these, as the statistics'
# coverage is of the turns' words.
_CODABLE_CHARS = "coalesce(turn_chars, chars)"


class TranscriptStore:
    """The transcripts table and what hangs off it (turns, attributes)."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._drafts = DraftTable(db, "transcript_memo_drafts", "transcript_id", "transcripts")

    # --- writing ----------------------------------------------------------------------

    def add(
        self, t: Transcript, *, content_hash: str | None = None, words: int | None = None, turn_words: list[int] | None = None
    ) -> int:
        """Insert a transcript with its turns and attributes; returns its id (also set on ``t``).

        ``content_hash``, ``words`` and ``turn_words`` (each turn's words, see
        :func:`~qualcode.model.span_words`): ``t.content_hash``, ``t.word_count`` and the
        turns' counts if the caller has computed them already (hashing and counting a long
        text is not free).
        """
        if turn_words is None:
            turn_words = span_words(t.text, [(u.start, u.end) for u in t.turns])
        with self._db.transaction() as db:
            cur = db.execute(
                "INSERT INTO transcripts (name, source_path, source_format, source_hash, content_hash, encoding,"
                " text, words, guid, imported_at, chars, turn_count, turn_chars, memo)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    t.name,
                    str(t.source_path) if t.source_path else None,
                    t.source_format,
                    t.source_hash,
                    t.content_hash if content_hash is None else content_hash,
                    t.encoding,
                    t.text,
                    sum(turn_words) if words is None else words,  # the turns' words are the transcript's
                    t.guid,
                    now(),
                    len(t.text),
                    len(t.turns),
                    _turn_chars(t.turns),
                    t.memo or None,
                ),
            )
            tid = inserted_id(cur)
            self._write_turns(tid, t.turns, turn_words)
            write_unit_bounds(db, tid, t.text, [(u.start, u.end) for u in t.turns])
            self._write_attributes(tid, t.attributes)
        t.id = tid
        return tid

    @contextmanager
    def new_transcripts(self) -> Iterator[None]:
        """Add many new transcripts (an import) with the turns' insert triggers dropped, and
        made again once at the end. Only :meth:`add` may write turns inside.

        Those triggers clear what a transcript added by :meth:`add` has none of yet (its
        agreement units, written after its turns; the turn fit of its codings): a trigger
        run per turn for nothing. The indexes stay: built again at the end they cost about
        what they cost updated per turn, and SQLite's sort would hold every turn in memory.
        Joins the caller's transaction; on an error the triggers come back with the rollback.
        """
        with self._db.set_aside("trigger", "turns", ("turns_coding_turn_added", "unit_bounds_turn_added")):
            yield

    def _write_turns(self, tid: int, turns: list[Turn], words: list[int]) -> None:
        # Each turn's words as the statistics count them (``--by speaker``: coverage).
        rows = [
            (tid, u.index, u.speaker, u.role, u.start, u.end, u.time_start, u.time_end, n)
            for u, n in zip(turns, words, strict=True)
        ]
        # _TURNS_AT_ONCE turns per statement, the rest one by one: each statement (through
        # the turn triggers) costs its own journal and run, ~40% of a turn written alone.
        whole = len(rows) - len(rows) % _TURNS_AT_ONCE
        if whole:
            self._db.executemany(
                _INSERT_TURNS + ", ".join([_TURN_VALUES] * _TURNS_AT_ONCE),
                [tuple(chain.from_iterable(rows[i : i + _TURNS_AT_ONCE])) for i in range(0, whole, _TURNS_AT_ONCE)],
            )
        self._db.executemany(_INSERT_TURNS + _TURN_VALUES, rows[whole:])

    def _write_attributes(self, tid: int, attributes: dict[str, str]) -> None:
        self._db.executemany(
            "INSERT INTO attributes (transcript_id, name, value) VALUES (?, ?, ?)"
            " ON CONFLICT(transcript_id, name) DO UPDATE SET value = excluded.value",
            [(tid, k, str(v)) for k, v in attributes.items()],
        )

    def set_attributes(self, tid: int, attributes: dict[str, str]) -> None:
        """Set (add or overwrite) case attributes of a transcript."""
        with self._db.transaction():
            self._write_attributes(tid, attributes)

    def touch(self, tid: int) -> None:
        """Mark a transcript as changed now (its pseudonymised version, where the text stays)."""
        with self._db.transaction() as db:
            db.execute("UPDATE transcripts SET updated_at = ? WHERE id = ?", (now(), tid))

    def rename(self, tid: int, name: str) -> None:
        """Give a transcript another name (its text, codings and source are unchanged)."""
        with self._db.transaction() as db:
            db.execute("UPDATE transcripts SET name = ?, updated_at = ? WHERE id = ?", (name, now(), tid))

    # --- the transcript's memo (migration 0018_transcript_memos) ------------------------

    def memo(self, tid: int) -> str | None:
        """The memo on a transcript as a whole, if it has one."""
        row = self._db.one("SELECT memo FROM transcripts WHERE id = ?", (tid,))
        if row is None:
            raise KeyError(tid)
        return row[0] or None

    def set_memo(self, tid: int, memo: str | None, *, was: object = UNCHECKED) -> str | None:
        """Set (or clear, with None or '') a transcript's memo; returns the memo it had.
        ``was``: the memo the writer started from; MEMO_CHANGED_MEANWHILE (nothing written)
        when the stored one is another (written meanwhile in another window or by a command)."""
        with self._db.transaction() as db:
            try:
                before = self.memo(tid)
            except KeyError:  # removed meanwhile (another window, a command)
                raise self._gone(tid) from None
            refuse_changed_meanwhile(before, was, what=f"transcript '{one_line(self.name(tid))}'", key="I, or M in the list")
            db.execute("UPDATE transcripts SET memo = ?, updated_at = ? WHERE id = ?", (memo or None, now(), tid))
        return before

    def memos(self) -> dict[int, str]:
        """Every transcript's memo, by transcript id (those without one left out; read from
        the index of memos, without reading a text)."""
        return dict(self._db.execute("SELECT id, memo FROM transcripts INDEXED BY transcripts_memos WHERE memo IS NOT NULL"))

    def set_memos(self, memos: Mapping[int, str | None]) -> None:
        """Give transcripts new memos at once (pseudonymisation replacing names in them)."""
        stamp = now()
        with self._db.transaction() as db:
            db.executemany(
                "UPDATE transcripts SET memo = ?, updated_at = ? WHERE id = ?",
                [(memo or None, stamp, tid) for tid, memo in memos.items()],
            )

    def keep_draft(self, tid: int, text: str, *, wait: bool = True) -> None:
        """Keep what is being written in a transcript's memo (replacing the draft before);
        MEMO_CODING_GONE when the transcript was removed meanwhile. ``wait=False``:
        STORE_BUSY at once while another process writes (the app tries again)."""
        if not self._drafts.keep(tid, text, wait=wait):
            raise self._gone(tid)

    def _gone(self, tid: int) -> QualcodeError:
        """MEMO_CODING_GONE for transcript ``tid``, named as the trash has it."""
        return error(MEMO_CODING_GONE, what=removed(self._db, "transcripts", tid))

    def draft(self, tid: int) -> tuple[str, str] | None:
        """The draft of a transcript's memo, as ``(text, written_at)``, if there is one."""
        return self._drafts.get(tid)

    def drop_draft(self, tid: int, text: str | None = None, *, wait: bool = True) -> None:
        """End a transcript memo's draft (the memo was saved or its changes discarded); with
        ``text``, only if the draft is still that text. ``wait``: as for :meth:`keep_draft`."""
        self._drafts.drop(tid, text, wait=wait)

    def drafts(self) -> dict[int, str]:
        """The drafts of transcripts' memos, by transcript id."""
        return dict(self._drafts.all())

    def set_drafts(self, drafts: dict[int, str]) -> None:
        """Give transcript memo drafts new texts (pseudonymisation replacing names in them too)."""
        self._drafts.set(drafts)

    def set_source_hash(self, tid: int, source_hash: str | None) -> None:
        with self._db.transaction() as db:
            db.execute("UPDATE transcripts SET source_hash = ?, updated_at = ? WHERE id = ?", (source_hash, now(), tid))

    def replace_content(self, tid: int, new: Transcript, *, turn_words: list[int] | None = None, units: bool = True) -> str:
        """Store an edited version's text, hashes, turns and attributes; returns the old text.

        Only the transcript's own rows: the codings and suggestions on it are moved by
        the caller in the same transaction (see :meth:`Store.replace_text`). ``turn_words``:
        the turns' words, when the caller counted them already. ``units=False`` leaves the
        agreement units (sentences) to be computed when read, for a copy that is thrown away.
        """
        words = new.word_count if turn_words is None else sum(turn_words)
        with self._db.transaction() as db:
            old_text = self.text(tid)
            db.execute(
                "UPDATE transcripts SET text = ?, content_hash = ?, source_hash = ?, encoding = ?, words = ?,"
                " chars = ?, turn_count = ?, turn_chars = ?, updated_at = ? WHERE id = ?",
                (
                    new.text,
                    new.content_hash,
                    new.source_hash,
                    new.encoding,
                    words,
                    len(new.text),
                    len(new.turns),
                    _turn_chars(new.turns),
                    now(),
                    tid,
                ),
            )
            db.execute("DELETE FROM turns WHERE transcript_id = ?", (tid,))
            spans = [(u.start, u.end) for u in new.turns]
            self._write_turns(tid, new.turns, span_words(new.text, spans) if turn_words is None else turn_words)
            if units:
                write_unit_bounds(db, tid, new.text, spans)
            self._write_attributes(tid, new.attributes)
        return old_text

    def apply_roles(self, role_of: Callable[[str | None, str], str]) -> int:
        """Give every turn the role ``role_of(speaker, transcript name)`` says; returns how
        many turns changed.

        The role is stored once, at import, and every reader (statistics, exports, the
        coding screen, suggestions) uses the stored one; this re-applies a changed
        ``interviewer_speakers`` (or ``interviewers``) setting to what was imported before.
        """
        with self._db.transaction() as db:
            pairs = db.execute(
                "SELECT DISTINCT u.transcript_id, t.name, u.speaker FROM turns u JOIN transcripts t ON t.id = u.transcript_id"
            ).fetchall()
            changed = 0
            for tid, name, speaker in pairs:
                role = role_of(speaker, name)
                # The statement's own rows (a cursor's rowcount), not those of the triggers it fires.
                # "+speaker": by the transcript's turns, not the speaker index (which holds every
                # transcript's "I": a scan of all of them per transcript, 8 s at 1,000 interviews).
                cur = db.execute(
                    "UPDATE turns SET role = ? WHERE transcript_id = ? AND +speaker IS ? AND role IS NOT ?",
                    (role, tid, speaker, role),
                )
                changed += cur.rowcount
            if changed:
                fill_words(db)  # the codings of the changed turns know their new role at once
            return changed

    # --- reading ----------------------------------------------------------------------

    def id_by_hash(self, content_hash: str) -> int | None:
        return self._db.scalar("SELECT id FROM transcripts WHERE content_hash = ?", (content_hash,))

    def by_source_hash(self, source_hash: str) -> tuple[int, str, str | None] | None:
        """``(id, name, encoding)`` of a transcript imported from exactly these bytes, or None.

        Lets an import skip reading a file it has seen before (sha256 of the raw bytes).
        """
        row = self._db.one("SELECT id, name, encoding FROM transcripts WHERE source_hash = ? ORDER BY id LIMIT 1", (source_hash,))
        return (row[0], row[1], row[2]) if row else None

    def id_by_name(self, name: str) -> int | None:
        return self._db.scalar("SELECT id FROM transcripts WHERE name = ?", (name,))

    def names(self) -> dict[int, str]:
        """Every transcript's id and name, by name."""
        return {r[0]: r[1] for r in self._db.execute("SELECT id, name FROM transcripts ORDER BY name")}

    def name(self, tid: int) -> str:
        """The transcript's name (its id as text if there is no such transcript)."""
        return self._db.scalar("SELECT name FROM transcripts WHERE id = ?", (tid,), default=str(tid))

    def hashes(self) -> dict[str, int]:
        """Content hash → transcript id, for recognising texts already imported."""
        return {r[0]: r[1] for r in self._db.execute("SELECT content_hash, id FROM transcripts")}

    def source_paths(self) -> dict[int, str | None]:
        return {r[0]: r[1] for r in self._db.execute("SELECT id, source_path FROM transcripts")}

    def attributes(self, tid: int) -> dict[str, str]:
        return {
            r[0]: r[1]
            for r in self._db.execute("SELECT name, value FROM attributes WHERE transcript_id = ? ORDER BY name", (tid,))
        }

    def all_attributes(self) -> dict[int, dict[str, str]]:
        out: dict[int, dict[str, str]] = {}
        for tid, name, value in self._db.execute("SELECT transcript_id, name, value FROM attributes ORDER BY name"):
            out.setdefault(tid, {})[name] = value
        return out

    def attribute_names(self) -> list[str]:
        """Every attribute name used by any transcript, sorted."""
        return [r[0] for r in self._db.execute("SELECT DISTINCT name FROM attributes ORDER BY name")]

    def turns(self, tid: int) -> list[Turn]:
        rows = self._db.execute(f"SELECT {_TURN_COLUMNS} FROM turns WHERE transcript_id = ? ORDER BY idx", (tid,))
        return [Turn(*row) for row in rows]

    def turn_rows(self, tid: int) -> list[tuple[int, str | None, int, int, float | None, float | None, str | None]]:
        """The turns as plain tuples in :class:`~qualcode.model.Turn`'s field order, by index:
        for the segments export, which places every coding or writes every turn (an object
        per turn cost it more than the read)."""
        return self._db.execute(f"SELECT {_TURN_COLUMNS} FROM turns WHERE transcript_id = ? ORDER BY idx", (tid,)).fetchall()

    def turn_layout(self, tid: int, label: str) -> tuple[list[int], list[int], list[str | None], dict[str | None, int]]:
        """The turns' starts, ends and ``label`` (``"speaker"`` or ``"role"``), by index, and
        their words per label (summed by SQLite: a transcript has hundreds of turns).

        Words are counted from the text where the store has not counted them (see
        migration 0008). Lists rather than a row per turn: statistics bisect them.
        """
        if label not in ("speaker", "role"):
            raise ValueError(f"no turn label {label!r}")
        rows = self._db.execute(f"SELECT start, end, {label} FROM turns WHERE transcript_id = ? ORDER BY idx", (tid,)).fetchall()
        if not rows:
            return [], [], [], {}
        starts, ends, labels = map(list, zip(*rows, strict=True))
        sums = self._db.execute(
            f"SELECT {label}, sum(words), count(*) - count(words) FROM turns WHERE transcript_id = ? GROUP BY {label}", (tid,)
        ).fetchall()
        if any(missing for _, _, missing in sums):
            text = self.text(tid)
            words: dict[str | None, int] = dict.fromkeys(labels, 0)
            for a, b, value in rows:
                words[value] += len(text[a:b].split())
            return starts, ends, labels, words
        return starts, ends, labels, {value: total for value, total, _ in sums}

    # --- words per speaker or role, for statistics (migration 0013) ----------------------------

    def label_words(self, label: str, transcript_ids: Iterable[int] | None = None) -> list[tuple[str | None, int, int]]:
        """``(label, transcript_id, words)``: the words of the turns of each speaker (``label``
        ``"speaker"``) or role in each transcript (of ``transcript_ids``, or every one), by
        label and transcript.

        Summed from the ``turns_speakers`` (``turns_roles``) index without a sort; words are
        counted from the text where the store has not counted them, as :meth:`turn_layout` does.
        """
        if label not in ("speaker", "role"):
            raise ValueError(f"no turn label {label!r}")
        where, params = "", []
        if transcript_ids is not None:
            where, params = " WHERE transcript_id IN (SELECT value FROM json_each(?))", [json_ids(transcript_ids)]
        # In the index's order (a speaker's turns by role first): a speaker's roles are added up here.
        group = "speaker, role" if label == "speaker" else "role"
        rows = self._db.execute(
            f"SELECT {label}, transcript_id, sum(words), count(*) - count(words) FROM turns INDEXED BY turns_{label}s{where}"
            f" GROUP BY {group}, transcript_id",
            params,
        ).fetchall()
        sums: dict[tuple[str | None, int], list[int]] = {}
        for value, tid, words, missing in rows:
            found = sums.setdefault((value, tid), [0, 0])
            found[0] += words or 0
            found[1] += missing
        counted: dict[int, dict[str | None, int]] = {}
        for (_, tid), (_, missing) in sums.items():
            if missing and tid not in counted:
                counted[tid] = self.turn_layout(tid, label)[3]
        return [(value, tid, counted[tid][value] if tid in counted else words) for (value, tid), (words, _) in sums.items()]

    def text(self, tid: int) -> str:
        row = self._db.one("SELECT text FROM transcripts WHERE id = ?", (tid,))
        if row is None:
            raise KeyError(tid)
        return row[0]

    def load(self, tid: int) -> Transcript:
        """The stored transcript with its text, turns and attributes."""
        row = self._db.one(
            "SELECT name, text, source_path, source_format, source_hash, encoding, guid, memo FROM transcripts WHERE id = ?",
            (tid,),
        )
        if row is None:
            raise KeyError(tid)
        name, text, source_path, source_format, source_hash, encoding, guid, memo = row
        return Transcript(
            name=name,
            text=text,
            turns=self.turns(tid),
            attributes=self.attributes(tid),
            source_path=Path(source_path) if source_path else None,
            source_format=source_format,
            source_hash=source_hash,
            encoding=encoding,
            id=tid,
            guid=guid,
            memo=memo or None,
        )

    def infos(self, transcript_ids: Iterable[int] | None = None) -> list[TranscriptInfo]:
        """Id, name, words and characters of the given (default: all) transcripts, by name."""
        sql = "SELECT id, name, words, chars FROM transcripts"
        params: tuple = ()
        if transcript_ids is not None:
            sql += " WHERE id IN (SELECT value FROM json_each(?))"
            params = (json_ids(transcript_ids),)
        return [TranscriptInfo(*r) for r in self._db.execute(sql + " ORDER BY name", params)]

    def summaries(self) -> list[TranscriptSummary]:
        """Every transcript with its turn, word and coding counts, by name."""
        rows = self._db.execute(
            "SELECT id, name, source_path, source_format, turn_count, words, chars, coding_count, coded_chars,"
            f" {_CODABLE_CHARS}, imported_at, source_hash FROM transcripts ORDER BY name"
        ).fetchall()
        attrs = self.all_attributes()
        return [TranscriptSummary(*r, attributes=attrs.get(r[0], {})) for r in rows]

    def speakers_by_transcript(self) -> list[tuple[str, str | None, str | None, int]]:
        """``(transcript name, speaker, stored role, turns)`` for every speaker of every
        transcript, by transcript name then first turn."""
        rows = self._db.execute(
            "SELECT t.name, u.speaker, u.role, count(*) FROM turns u JOIN transcripts t ON t.id = u.transcript_id"
            " GROUP BY u.transcript_id, u.speaker, u.role ORDER BY t.name, min(u.idx)"
        )
        return [(r[0], r[1], r[2], r[3]) for r in rows]

    def without_interviewer(self, transcript_ids: Iterable[int] | None = None) -> list[str]:
        """The names of the transcripts (of ``transcript_ids``, default all) with two or more
        speakers none of whom is stored as an interviewer: their questions count as answers."""
        rows = self._db.execute(
            "SELECT t.id, t.name FROM transcripts t JOIN turns u ON u.transcript_id = t.id GROUP BY t.id"
            " HAVING count(DISTINCT u.speaker) > 1 AND sum(u.role IS ?) = 0 ORDER BY t.name",
            (INTERVIEWER,),
        ).fetchall()
        wanted = None if transcript_ids is None else set(transcript_ids)
        return [name for tid, name in rows if wanted is None or tid in wanted]

    def speaker_transcripts(self) -> dict[str, int]:
        """Every speaker label with the first transcript (by id) it speaks in."""
        rows = self._db.execute("SELECT speaker, min(transcript_id) FROM turns WHERE speaker IS NOT NULL GROUP BY speaker")
        return {r[0]: r[1] for r in rows}

    # --- units for agreement (agree4 branch; migration 0012_sentence_bounds) ------------------

    def turn_bounds(self, transcript_ids: Iterable[int]) -> Iterator[tuple[int, array, array]]:
        """``(transcript id, starts, ends)`` of the content spans of each of ``transcript_ids``
        (:func:`~qualcode.text.content_spans`: its non-empty turns in order, or its whole
        text), in the order given, read one transcript at a time."""
        return self._unit_bounds(transcript_ids, sentences=False)

    def sentence_bounds(self, transcript_ids: Iterable[int]) -> Iterator[tuple[int, array, array]]:
        """``(transcript id, starts, ends)`` of the sentences of each of ``transcript_ids``
        (:func:`~qualcode.text.sentences_in` its content spans), in the order given, read
        one transcript at a time."""
        return self._unit_bounds(transcript_ids, sentences=True)

    def stored_units(self, tid: int) -> tuple[array, array, array, array] | None:
        """The starts and ends of a transcript's content spans and of their sentences, as
        stored (None when they are not, or under other rules: nothing is computed here)."""
        row = self._db.execute(
            "SELECT turn_starts, turn_ends, sentence_starts, sentence_ends FROM unit_bounds WHERE transcript_id = ? AND rules = ?",
            (tid, SENTENCE_RULES),
        ).fetchone()
        return None if row is None else (_ints(row[0]), _ints(row[1]), _ints(row[2]), _ints(row[3]))

    def _unit_bounds(self, transcript_ids: Iterable[int], *, sentences: bool) -> Iterator[tuple[int, array, array]]:
        # As stored, or computed from the text where they are not (stored under other rules, or
        # not yet). One primary-key read each, as the caller goes: an agreement study reads its
        # transcripts' units again for each pass instead of holding them all.
        columns = "sentence_starts, sentence_ends" if sentences else "turn_starts, turn_ends"
        sql = f"SELECT {columns} FROM unit_bounds WHERE transcript_id = ? AND rules = ?"
        for tid in dict.fromkeys(transcript_ids):
            row = self._db.execute(sql, (tid, SENTENCE_RULES)).fetchone()
            if row is not None:
                yield tid, _ints(row[0]), _ints(row[1])
            else:
                content, in_sentences = units_of_text(self._db, tid)
                spans = in_sentences if sentences else content
                yield tid, array("i", map(itemgetter(0), spans)), array("i", map(itemgetter(1), spans))

    # --- REFI-QDA exchange (refi branch) ------------------------------------------------------

    def refs(self) -> list[TranscriptRef]:
        """Every transcript's identity and dates, without its text, by name."""
        rows = self._db.execute("SELECT id, name, guid, content_hash, imported_at, updated_at FROM transcripts ORDER BY name")
        return [TranscriptRef(*row) for row in rows]

    def last_change(self, changed_at: str | None = None) -> str | None:
        """When a transcript or coding was last added or changed (ISO 8601), or None in an empty project.
        ``changed_at``: as it would read had every transcript changed then (a pseudonymised copy)."""
        return self._db.scalar(
            "SELECT nullif(max(coalesce((SELECT max(max(imported_at, coalesce(?, updated_at, ''))) FROM transcripts), ''),"
            " coalesce((SELECT max(updated_at) FROM codings), '')), '')",
            (changed_at,),
        )


# --- units for agreement (agree4 branch; migration 0012_sentence_bounds) ----------------------

Spans = list[tuple[int, int]]


def _turn_chars(turns: list[Turn]) -> int | None:
    """The characters of the turns (None without turns: see _CODABLE_CHARS)."""
    return sum(u.end - u.start for u in turns) if turns else None


def write_unit_bounds(db: Database, tid: int, text: str, turns: Iterable[tuple[int, int]]) -> None:
    """Store a transcript's content spans and sentences, from its current ``text`` and
    ``turns`` (after the turns are written: writing a turn drops them)."""
    content = content_spans(turns, len(text))
    _store_units(db, tid, content, sentences_in(text, content))


def fill_unit_bounds(db: Database) -> None:
    """Store the units of every transcript that lacks them (or has them under other rules)."""
    sql = "SELECT id FROM transcripts WHERE id NOT IN (SELECT transcript_id FROM unit_bounds WHERE rules = ?)"
    for tid in [r[0] for r in db.execute(sql, (SENTENCE_RULES,))]:
        _store_units(db, tid, *units_of_text(db, tid))


def units_of_text(db: Database, tid: int) -> tuple[Spans, Spans]:
    """A transcript's content spans and sentences, computed from its text and turns."""
    text = db.scalar("SELECT text FROM transcripts WHERE id = ?", (tid,), "")
    content = content_spans(db.execute("SELECT start, end FROM turns WHERE transcript_id = ?", (tid,)).fetchall(), len(text))
    return content, sentences_in(text, content)


def _store_units(db: Database, tid: int, content: Spans, sentences: Spans) -> None:
    db.execute(
        "INSERT OR REPLACE INTO unit_bounds (transcript_id, rules, turn_starts, turn_ends, sentence_starts, sentence_ends)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (tid, SENTENCE_RULES, *(_blob(map(itemgetter(i), spans)) for spans in (content, sentences) for i in (0, 1))),
    )


def _blob(values: Iterable[int]) -> bytes:
    # Offsets fit 32 bits: SQLite holds no text of more than a billion bytes.
    packed = array("i", values)
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


def _ints(blob: bytes) -> array:
    values = array("i")
    values.frombytes(blob)
    if sys.byteorder == "big":
        values.byteswap()
    return values


def fill_turn_words(db: Database) -> None:
    """Count the words of every turn that lacks them (migration 0008 on an older project)."""
    tids = [r[0] for r in db.execute("SELECT DISTINCT transcript_id FROM turns WHERE words IS NULL")]
    for tid in tids:
        text = db.scalar("SELECT text FROM transcripts WHERE id = ?", (tid,), "")
        rows = db.execute("SELECT idx, start, end FROM turns WHERE transcript_id = ? AND words IS NULL", (tid,)).fetchall()
        db.executemany(
            "UPDATE turns SET words = ? WHERE transcript_id = ? AND idx = ?",
            [(len(text[start:end].split()), tid, idx) for idx, start, end in rows],
        )
