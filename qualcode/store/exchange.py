"""What a REFI-QDA import keeps so that an export gives it back (refi branch).

Identity from another tool's file that qualcode's own model has no use for, but
that must survive import -> export: the GUIDs of selections and codings, who made a
selection, when and by whom a source was made, text sources without text, and sets
of documents. The project's name and dates are settings (``refi.project_*``); users
are the ``coders`` table (:class:`~.settings.CoderStore`, with their GUIDs).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from .db import Database
from .types import DocumentSet, EmptySource, ExchangeRow


class ExchangeStore:
    """Tables of migration 0004_refi_identity."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # --- codings ---------------------------------------------------------------------------------

    def keep_coding_identities(self, rows: Iterable[tuple[int, int, int, str, str, str, str | None, str | None]]) -> None:
        """``(transcript_id, start, end, code_id, coder, selection_guid, coding_guid, selection_creator)`` per coding.

        A coding that already has an identity keeps it (importing the same file twice
        changes nothing).
        """
        with self._db.transaction() as db:
            db.executemany(
                "INSERT OR IGNORE INTO coding_identity (coding_id, selection_guid, coding_guid, selection_creator)"
                " SELECT id, ?, ?, ? FROM codings"
                " WHERE transcript_id = ? AND start = ? AND end = ? AND code_id = ? AND coder = ?",
                ((sel, cod, creator, tid, start, end, code, coder) for tid, start, end, code, coder, sel, cod, creator in rows),
            )

    def coding_rows(self, tid: int) -> Iterator[ExchangeRow]:
        """One transcript's codings with what an export writes, in span order, streamed.

        Plain tuples in the order of :class:`ExchangeCoding`'s fields (an export reads
        every coding; most need no field by name).
        """
        cursor = self._db.execute(
            "SELECT c.id, c.start, c.end, c.code_id, c.coder, c.memo, c.quote, c.created_at, c.updated_at,"
            " i.selection_guid, i.coding_guid, i.selection_creator"
            " FROM codings c LEFT JOIN coding_identity i ON i.coding_id = c.id"
            " WHERE c.transcript_id = ? ORDER BY c.start, c.end, c.code_id, c.coder",
            (tid,),
        )
        return cursor

    def turn_rows(self, tid: int) -> list[tuple[int, str | None, int, int, float | None, float | None]]:
        """One transcript's turns as ``(index, speaker, start, end, time_start, time_end)``, as
        ``qualcode/turns.json`` holds them (plain rows: an export writes every turn)."""
        return self._db.execute(
            "SELECT idx, speaker, start, end, time_start, time_end FROM turns WHERE transcript_id = ? ORDER BY idx", (tid,)
        ).fetchall()

    # --- sources -----------------------------------------------------------------------------------

    def keep_transcript_identity(self, tid: int, created_at: str | None, creator: str | None) -> None:
        """When and by whom the transcript's source was made in the tool it came from (first import wins)."""
        with self._db.transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO transcript_identity (transcript_id, created_at, creator) VALUES (?, ?, ?)",
                (tid, created_at, creator),
            )

    def transcript_identities(self) -> dict[int, tuple[str | None, str | None]]:
        """Transcript id -> (created_at, creator) of its source."""
        return {
            r[0]: (r[1], r[2]) for r in self._db.execute("SELECT transcript_id, created_at, creator FROM transcript_identity")
        }

    def keep_empty_source(self, source: EmptySource) -> bool:
        """Keep a text source without text (and its variable values); False if one with its GUID is kept already."""
        attributes = json.dumps(source.attributes, ensure_ascii=False) if source.attributes else None
        with self._db.transaction() as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO empty_sources (guid, name, created_at, creator, attributes) VALUES (?, ?, ?, ?, ?)",
                (source.guid, source.name, source.created_at, source.creator, attributes),
            )
            return bool(cur.rowcount)

    def set_empty_source_attributes(self, guid: str, attributes: dict[str, str]) -> None:
        """Replace the variable values of the source without text ``guid`` (pseudonymise apply)."""
        with self._db.transaction() as db:
            db.execute(
                "UPDATE empty_sources SET attributes = ? WHERE guid = ?",
                (json.dumps(attributes, ensure_ascii=False) if attributes else None, guid),
            )

    def empty_sources(self) -> list[EmptySource]:
        rows = self._db.execute("SELECT guid, name, created_at, creator, attributes FROM empty_sources ORDER BY name")
        return [EmptySource(guid, name, at, who, json.loads(values) if values else {}) for guid, name, at, who, values in rows]

    # --- document sets -----------------------------------------------------------------------------

    def keep_document_set(self, document_set: DocumentSet) -> None:
        """Keep a set of documents; one kept before under its GUID gains the new members."""
        with self._db.transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO document_sets (guid, name, description) VALUES (?, ?, ?)",
                (document_set.guid, document_set.name, document_set.description),
            )
            db.executemany(
                "INSERT OR IGNORE INTO document_set_members (set_guid, source_guid) VALUES (?, ?)",
                ((document_set.guid, member) for member in document_set.members),
            )

    def document_sets(self) -> list[DocumentSet]:
        members: dict[str, list[str]] = {}
        for set_guid, source_guid in self._db.execute("SELECT set_guid, source_guid FROM document_set_members ORDER BY rowid"):
            members.setdefault(set_guid, []).append(source_guid)
        rows = self._db.execute("SELECT guid, name, description FROM document_sets ORDER BY name")
        return [DocumentSet(guid, name, description, members.get(guid, [])) for guid, name, description in rows]
