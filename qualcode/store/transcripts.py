"""Transcripts, their turns and case attributes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from operator import itemgetter
from pathlib import Path

from ..model import Transcript, Turn
from ..words import Packing
from .db import Database, inserted_id, joined_ints, json_ids, now
from .types import SpeakerInfo, TranscriptInfo, TranscriptRef, TranscriptSummary, TurnColumns

_TURN_COLUMNS = "idx, speaker, start, end, time_start, time_end, role"  # Turn's field order


_FEW_LABELS = 16  # turn_columns numbers this many distinct labels in SQL


class TranscriptStore:
    """The transcripts table and what hangs off it (turns, attributes)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # --- writing ----------------------------------------------------------------------

    def add(self, t: Transcript, *, content_hash: str | None = None, words: int | None = None) -> int:
        """Insert a transcript with its turns and attributes; returns its id (also set on ``t``).

        ``content_hash`` and ``words``: ``t.content_hash`` and ``t.word_count`` if the
        caller has computed them already (hashing and counting a long text is not free).
        """
        with self._db.transaction() as db:
            cur = db.execute(
                "INSERT INTO transcripts (name, source_path, source_format, source_hash, content_hash, encoding,"
                " text, words, guid, imported_at, chars, turn_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    t.name,
                    str(t.source_path) if t.source_path else None,
                    t.source_format,
                    t.source_hash,
                    t.content_hash if content_hash is None else content_hash,
                    t.encoding,
                    t.text,
                    t.word_count if words is None else words,
                    t.guid,
                    now(),
                    len(t.text),
                    len(t.turns),
                ),
            )
            tid = inserted_id(cur)
            self._write_turns(tid, t.turns, t.text)
            self._write_attributes(tid, t.attributes)
        t.id = tid
        return tid

    def _write_turns(self, tid: int, turns: Iterable[Turn], text: str, words: Iterable[int] | None = None) -> None:
        # Each turn's words as the statistics count them (``--by speaker``: coverage),
        # unless the caller counted them already.
        turns = list(turns)
        if words is None:
            words = [len(text[u.start : u.end].split()) for u in turns]
        self._db.executemany(
            "INSERT INTO turns (transcript_id, idx, speaker, role, start, end, time_start, time_end, words)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (tid, u.index, u.speaker, u.role, u.start, u.end, u.time_start, u.time_end, n)
                for u, n in zip(turns, words, strict=True)
            ],
        )

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

    def set_source_hash(self, tid: int, source_hash: str | None) -> None:
        with self._db.transaction() as db:
            db.execute("UPDATE transcripts SET source_hash = ?, updated_at = ? WHERE id = ?", (source_hash, now(), tid))

    def replace_content(self, tid: int, new: Transcript, *, turn_words: list[int] | None = None) -> str:
        """Store an edited version's text, hashes, turns and attributes; returns the old text.

        Only the transcript's own rows: the codings and suggestions on it are moved by
        the caller in the same transaction (see :meth:`Store.replace_text`). ``turn_words``:
        the turns' words, when the caller counted them already.
        """
        words = new.word_count if turn_words is None else sum(turn_words)
        with self._db.transaction() as db:
            old_text = self.text(tid)
            db.execute(
                "UPDATE transcripts SET text = ?, content_hash = ?, source_hash = ?, encoding = ?, words = ?,"
                " chars = ?, turn_count = ?, updated_at = ? WHERE id = ?",
                (
                    new.text,
                    new.content_hash,
                    new.source_hash,
                    new.encoding,
                    words,
                    len(new.text),
                    len(new.turns),
                    now(),
                    tid,
                ),
            )
            db.execute("DELETE FROM turns WHERE transcript_id = ?", (tid,))
            self._write_turns(tid, new.turns, new.text, turn_words)
            self._write_attributes(tid, new.attributes)
        return old_text

    def apply_roles(self, role_of: Callable[[str | None], str]) -> int:
        """Give every turn the role ``role_of(speaker)`` says; returns how many turns changed.

        The role is stored once, at import, and every reader (statistics, exports, the
        coding screen, suggestions) uses the stored one; this re-applies a changed
        ``interviewer_speakers`` setting to what was imported before.
        """
        with self._db.transaction() as db:
            speakers = [r[0] for r in db.execute("SELECT DISTINCT speaker FROM turns")]
            before = db.changes
            for speaker in speakers:
                role = role_of(speaker)
                if speaker is None:
                    db.execute("UPDATE turns SET role = ? WHERE speaker IS NULL AND role IS NOT ?", (role, role))
                else:
                    db.execute("UPDATE turns SET role = ? WHERE speaker = ? AND role IS NOT ?", (role, speaker, role))
            return db.changes - before

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

    def turn_spans(self, transcript_ids: Iterable[int] | None = None) -> Iterator[tuple[int, list[tuple[int, int]]]]:
        """``(transcript id, [(start, end) of each turn])`` by transcript id, turns in order; a
        transcript without turns is left out. One query for all (an agreement study needs
        every transcript's turns before its first figure)."""
        sql, params = "SELECT transcript_id, start, end FROM turns", []
        if transcript_ids is not None:
            sql, params = sql + " WHERE transcript_id IN (SELECT value FROM json_each(?))", [json_ids(transcript_ids)]
        current: int | None = None
        spans: list[tuple[int, int]] = []
        for tid, start, end in self._db.execute(sql + " ORDER BY transcript_id, idx", params):
            if tid != current:
                if current is not None:
                    yield current, spans
                current, spans = tid, []
            spans.append((start, end))
        if current is not None:
            yield current, spans

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

    # --- column reads for statistics (stats3 branch) --------------------------------------------

    def longest_turn(self) -> int:
        """The largest offset at which a turn ends (a bound for :class:`~qualcode.words.Packing`)."""
        return self._db.scalar("SELECT max(end) FROM turns", (), 0)

    def turn_columns(self, first: int, last: int, packing: Packing, label: str) -> TurnColumns:
        """The turns of transcripts ``first`` .. ``last`` packed as ``packing`` packs codings,
        with ``label`` (``"speaker"`` or ``"role"``) and their words per label.

        With a few distinct labels (the usual case: interviewer and respondent), SQLite
        numbers them and joins the columns into one text each, as ``codings.code_columns``
        does: a row object per turn cost more than the rest of the work.
        """
        if label not in ("speaker", "role"):
            raise ValueError(f"no turn label {label!r}")
        where = f"transcript_id BETWEEN {first:d} AND {last:d}"  # integers of our own making
        offset = f"(transcript_id - {first:d}) * {packing.stride:d}"
        start_key, end_key = f"{offset} + start * {packing.scale:d} + {packing.pad:d}", f"{offset} + end * {packing.scale:d}"
        named = [r[0] for r in self._db.execute(f"SELECT DISTINCT {label} FROM turns WHERE {where} AND {label} IS NOT NULL")]
        if len(named) <= _FEW_LABELS:
            named.sort()
            cases = "".join(f"WHEN {label} = ? THEN {i} " for i in range(1, len(named) + 1))
            number = f"CASE {cases}ELSE 0 END" if named else "0"  # 0: no label
            row = self._db.one(
                "SELECT group_concat(s), group_concat(e), group_concat(k), max(end) FROM"
                # ORDER BY in a subquery of an aggregate is kept: the texts join the turns in order
                f" (SELECT {start_key} AS s, {end_key} AS e, {number} AS k, end FROM turns WHERE {where}"
                " ORDER BY transcript_id, idx)",
                named,
            )
            assert row is not None  # an aggregate query always yields one row
            starts, ends, numbers = joined_ints(row[0]), joined_ints(row[1]), joined_ints(row[2])
            labels = [None, *named]
            columns = TurnColumns(starts, ends, list(map(labels.__getitem__, numbers)), {})
            longest = row[3] or 0
        else:
            rows = self._db.execute(
                f"SELECT {start_key}, {end_key}, {label}, end FROM turns WHERE {where} ORDER BY transcript_id, idx"
            ).fetchall()
            starts, ends = list(map(itemgetter(0), rows)), list(map(itemgetter(1), rows))
            columns = TurnColumns(starts, ends, list(map(itemgetter(2), rows)), {})
            longest = max(map(itemgetter(3), rows), default=0)
        if longest > packing.chars:
            raise ValueError("the packing does not reach the last turn's end: size it with longest_turn()")
        uncounted = set()
        for tid, value, total, missing in self._db.execute(
            f"SELECT transcript_id, {label}, sum(words), count(*) - count(words) FROM turns WHERE {where}"
            f" GROUP BY transcript_id, {label}"
        ):
            columns.words.setdefault(tid, {})[value] = total
            if missing:
                uncounted.add(tid)
        for tid in uncounted:  # counted from the text, as turn_layout does
            columns.words[tid] = self.turn_layout(tid, label)[3]
        return columns

    def text(self, tid: int) -> str:
        row = self._db.one("SELECT text FROM transcripts WHERE id = ?", (tid,))
        if row is None:
            raise KeyError(tid)
        return row[0]

    def load(self, tid: int) -> Transcript:
        """The stored transcript with its text, turns and attributes."""
        row = self._db.one(
            "SELECT name, text, source_path, source_format, source_hash, encoding, guid FROM transcripts WHERE id = ?",
            (tid,),
        )
        if row is None:
            raise KeyError(tid)
        name, text, source_path, source_format, source_hash, encoding, guid = row
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
            " imported_at, source_hash FROM transcripts ORDER BY name"
        ).fetchall()
        attrs = self.all_attributes()
        return [TranscriptSummary(*r, attributes=attrs.get(r[0], {})) for r in rows]

    def speakers(self) -> list[SpeakerInfo]:
        """Every speaker label with its stored role, its turns and the transcripts it speaks in."""
        rows = self._db.execute(
            "SELECT speaker, role, count(*), count(DISTINCT transcript_id) FROM turns GROUP BY speaker, role ORDER BY speaker"
        )
        return [SpeakerInfo(*r) for r in rows]

    # --- REFI-QDA exchange (refi branch) ------------------------------------------------------

    def refs(self) -> list[TranscriptRef]:
        """Every transcript's identity and dates, without its text, by name."""
        rows = self._db.execute("SELECT id, name, guid, content_hash, imported_at, updated_at FROM transcripts ORDER BY name")
        return [TranscriptRef(*row) for row in rows]

    def last_change(self) -> str | None:
        """When a transcript or coding was last added or changed (ISO 8601), or None in an empty project."""
        return self._db.scalar(
            "SELECT nullif(max(coalesce((SELECT max(max(imported_at, coalesce(updated_at, ''))) FROM transcripts), ''),"
            " coalesce((SELECT max(updated_at) FROM codings), '')), '')"
        )


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
