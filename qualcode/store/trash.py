"""The trash: what a researcher removed, kept as it was until it is restored or emptied.

Three kinds of removal land here, each as one item:

* ``transcript`` - a transcript with every row that hangs off it (turns,
  attributes, codings, detached codings, suggestions, and whatever another table
  keeps about it or its codings);
* ``codings`` - codings removed with ``qualcode uncode``;
* ``detached`` - detached codings discarded after a re-import.

An item holds the removed rows table by table, column by column (JSON), and is
found again by walking the schema's foreign keys, so a table added by a later
migration is kept and restored too. Restoring gives the rows back their ids:
coding ids are never reused (AUTOINCREMENT), so they are always free; any other
id that was given to a newer row in the meantime (a transcript imported after the
removal) is replaced by a new one, and every reference to it follows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..errors import NO_CODING, NO_DETACHED, NOT_IN_TRASH, TRASH_CONFLICT, TRASH_NEEDS_TRANSCRIPT, error
from .codings import joined_memo, refresh_summaries
from .db import Database, inserted_id, json_ids, now
from .transcripts import write_unit_bounds
from .trashed import holding

TRANSCRIPT = "transcript"
CODINGS = "codings"
DETACHED = "detached"


@dataclass(slots=True)
class TrashItem:
    """One removal, as the trash lists it."""

    id: int
    kind: str
    transcript: str
    codings: int
    removed_by: str | None
    removed_at: str


@dataclass(slots=True)
class Restored:
    """What a restore put back."""

    item: TrashItem
    transcript_id: int
    codings: int = 0
    detached: int = 0
    skipped: int = 0  # codings that are there again already (same span, code and coder)
    renumbered: list[str] = field(default_factory=list)  # tables whose ids had been taken meanwhile


_ITEM_COLUMNS = "id, kind, transcript, codings, removed_by, removed_at"


class TrashStore:
    """Put removed rows aside, list them, restore them, empty the trash."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # --- putting things in ----------------------------------------------------------------

    def put_transcript(self, tid: int, removed_by: str | None = None) -> TrashItem:
        """Remove a transcript and everything on it; all of it is kept in one trash item."""
        with self._db.transaction() as db:
            name = db.scalar("SELECT name FROM transcripts WHERE id = ?", (tid,))
            if name is None:
                raise KeyError(tid)
            tables: dict[str, list[dict]] = {"transcripts": self._rows("transcripts", "id", [tid])}
            direct = [(t, c) for t, c, _ in _references(db, "transcripts")]
            for table, column in direct:
                tables.setdefault(table, []).extend(self._rows(table, column, [tid]))
            coding_ids = [r["id"] for r in tables.get("codings", [])]
            for table, column, on_delete in _references(db, "codings"):
                if table not in tables and on_delete != "SET NULL":
                    tables[table] = self._rows(table, column, coding_ids)
            held = len(coding_ids) + len(tables.get("detached_codings", []))
            # Rows that refer to codings go first, the transcript's own row last.
            for table, column, _ in _references(db, "codings"):
                if table != "codings" and table not in dict(direct):
                    db.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT value FROM json_each(?))", (json_ids(coding_ids),))
            for table, column in sorted(direct, key=lambda tc: tc[0] == "codings"):
                db.execute(f"DELETE FROM {table} WHERE {column} = ?", (tid,))
            db.execute("DELETE FROM transcripts WHERE id = ?", (tid,))
            return self._add(TRANSCRIPT, name, held, tables, removed_by)

    def put_codings(self, coding_ids: Iterable[int], removed_by: str | None = None) -> TrashItem:
        """Remove codings (of one transcript) and keep them, e.g. for ``qualcode uncode``."""
        ids = list(coding_ids)
        with self._db.transaction() as db:
            rows = self._rows("codings", "id", ids)
            if len(rows) != len(ids):
                missing = sorted(set(ids) - {r["id"] for r in rows})
                raise error(NO_CODING, id=missing[0])
            tables = {"codings": rows}
            for table, column, on_delete in _references(db, "codings"):
                if on_delete == "SET NULL":
                    db.execute(
                        f"UPDATE {table} SET {column} = NULL WHERE {column} IN (SELECT value FROM json_each(?))", (json_ids(ids),)
                    )
                else:
                    tables[table] = self._rows(table, column, ids)
                    db.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT value FROM json_each(?))", (json_ids(ids),))
            db.execute("DELETE FROM codings WHERE id IN (SELECT value FROM json_each(?))", (json_ids(ids),))
            tids = {r["transcript_id"] for r in rows}
            refresh_summaries(db, tids)
            return self._add(CODINGS, self._names(tids), len(rows), tables, removed_by)

    def put_detached(self, detached_ids: Iterable[int], removed_by: str | None = None) -> TrashItem:
        """Discard detached codings (kept here, restorable as detached codings)."""
        ids = list(detached_ids)
        with self._db.transaction() as db:
            rows = self._rows("detached_codings", "id", ids)
            if len(rows) != len(ids):
                missing = sorted(set(ids) - {r["id"] for r in rows})
                raise error(NO_DETACHED, id=missing[0])
            db.execute("DELETE FROM detached_codings WHERE id IN (SELECT value FROM json_each(?))", (json_ids(ids),))
            names = self._names({r["transcript_id"] for r in rows})
            return self._add(DETACHED, names, len(rows), {"detached_codings": rows}, removed_by)

    # --- reading ----------------------------------------------------------------------------

    def items(self) -> list[TrashItem]:
        """Everything in the trash, newest first."""
        return [TrashItem(*r) for r in self._db.execute(f"SELECT {_ITEM_COLUMNS} FROM trash ORDER BY id DESC")]

    def holds_transcripts(self) -> bool:
        """Whether a removed transcript is in the trash."""
        return self._db.one("SELECT 1 FROM trash WHERE kind = ? LIMIT 1", (TRANSCRIPT,)) is not None

    def get(self, item_id: int) -> TrashItem:
        row = self._db.one(f"SELECT {_ITEM_COLUMNS} FROM trash WHERE id = ?", (item_id,))
        if row is None:
            raise error(NOT_IN_TRASH, id=item_id)
        return TrashItem(*row)

    def holding_coding(self, coding_id: int) -> TrashItem | None:
        """The trash item that holds coding ``coding_id`` (removed by uncode or with its transcript), if any."""
        found = holding(self._db, "codings", coding_id)
        return None if found is None else self.get(found[0])

    # --- restoring and emptying ----------------------------------------------------------

    def restore(self, item_id: int) -> Restored:
        """Put an item's rows back where they were (one transaction) and take it out of the trash."""
        with self._db.transaction() as db:
            item = self.get(item_id)
            tables: dict[str, list[dict]] = json.loads(db.scalar("SELECT payload FROM trash WHERE id = ?", (item_id,)))
            result = Restored(item, transcript_id=0)
            if item.kind == TRANSCRIPT:
                self._restore_transcript(item, tables, result)
            else:
                self._restore_rows(item, tables, result)
            db.execute("DELETE FROM trash WHERE id = ?", (item_id,))
            if result.transcript_id:
                refresh_summaries(db, (result.transcript_id,))
            return result

    def move_code(self, old_id: str, new_id: str) -> int:
        """Give what the trash holds of ``old_id`` (codings, detached codings, suggestions) the
        code ``new_id``, as :meth:`CodingStore.move <qualcode.store.codings.CodingStore.move>`
        does in the project: a transcript or coding restored after a rename or a merge of codes
        comes back under the code it has now, not as a code that left the codebook. Returns
        how many trashed codings moved. Joins the caller's transaction."""
        moved = 0
        with self._db.transaction() as db:
            needle = json.dumps(old_id, ensure_ascii=False)  # a cheap filter: items that may hold the code
            for item_id, payload in db.execute("SELECT id, payload FROM trash WHERE instr(payload, ?) > 0", (needle,)).fetchall():
                tables: dict[str, list[dict]] = json.loads(payload)
                count = _move_code(tables, old_id, new_id)
                if count is None:
                    continue
                moved += count
                db.execute(
                    "UPDATE trash SET payload = ?, codings = ? WHERE id = ?",
                    (json.dumps(tables, ensure_ascii=False), len(tables.get("codings", [])), item_id),
                )
        return moved

    def purge(self, item_ids: Iterable[int] | None = None) -> int:
        """Delete items from the trash for good (all of them with None); returns how many."""
        with self._db.transaction() as db:
            if item_ids is None:
                return db.execute("DELETE FROM trash").rowcount
            ids = list(item_ids)
            for item_id in ids:
                self.get(item_id)  # an unknown id is an error, not a silent no-op
            return db.execute("DELETE FROM trash WHERE id IN (SELECT value FROM json_each(?))", (json_ids(ids),)).rowcount

    # --- helpers ------------------------------------------------------------------------------

    def _rows(self, table: str, column: str, values: list) -> list[dict]:
        cur = self._db.execute(f"SELECT * FROM {table} WHERE {column} IN (SELECT value FROM json_each(?))", (json_ids(values),))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur]

    def _names(self, tids: set[int]) -> str:
        return ", ".join(sorted(self._db.scalar("SELECT name FROM transcripts WHERE id = ?", (t,), str(t)) for t in tids))

    def _add(self, kind: str, transcript: str, codings: int, tables: dict, removed_by: str | None) -> TrashItem:
        stamp = now()
        cur = self._db.execute(
            "INSERT INTO trash (kind, transcript, codings, payload, removed_by, removed_at) VALUES (?, ?, ?, ?, ?, ?)",
            (kind, transcript, codings, json.dumps(tables, ensure_ascii=False), removed_by, stamp),
        )
        return TrashItem(inserted_id(cur), kind, transcript, codings, removed_by, stamp)

    def _restore_transcript(self, item: TrashItem, tables: dict[str, list[dict]], result: Restored) -> None:
        db = self._db
        (row,) = tables.pop("transcripts")
        for column, what in (("name", "name"), ("content_hash", "text")):
            other = db.scalar(f"SELECT name FROM transcripts WHERE {column} = ?", (row[column],))
            if other is not None:
                raise error(TRASH_CONFLICT, id=item.id, name=row["name"], what=what, other=other)
        remap: dict[str, dict] = {}
        result.transcript_id = self._insert("transcripts", row, remap, result)
        self._insert_tables(tables, remap, result)
        write_unit_bounds(db, result.transcript_id, row["text"], [(t["start"], t["end"]) for t in tables.get("turns", [])])

    def _restore_rows(self, item: TrashItem, tables: dict[str, list[dict]], result: Restored) -> None:
        db = self._db
        tids = {r["transcript_id"] for rows in tables.values() for r in rows if "transcript_id" in r}
        for tid in sorted(tids):
            if db.scalar("SELECT 1 FROM transcripts WHERE id = ?", (tid,)) is None:
                raise error(TRASH_NEEDS_TRANSCRIPT, id=item.id, name=item.transcript)
        result.transcript_id = min(tids, default=0)
        self._insert_tables(tables, {}, result)
        for coding in tables.get("codings", []):
            if coding.get("suggestion_id") is not None:  # the link that was set to NULL on removal
                db.execute(
                    "UPDATE suggestions SET coding_id = ? WHERE id = ? AND coding_id IS NULL",
                    (coding["id"], coding["suggestion_id"]),
                )
        if len(tids) > 1:
            refresh_summaries(db, tids)

    def _insert_tables(self, tables: dict[str, list[dict]], remap: dict[str, dict], result: Restored) -> None:
        for table in _dependency_order(self._db, tables):
            for row in tables[table]:
                if table == "codings" and self._coding_exists(row, remap):
                    result.skipped += 1
                    continue
                self._insert(table, row, remap, result)
                if table == "codings":
                    result.codings += 1
                elif table == "detached_codings":
                    result.detached += 1
        suggestions = remap.get("suggestions")
        if suggestions:  # codings.suggestion_id is a plain number, not a foreign key: follow by hand
            for coding in tables.get("codings", []):
                if coding.get("suggestion_id") in suggestions:
                    self._db.execute(
                        "UPDATE codings SET suggestion_id = ? WHERE id = ?", (suggestions[coding["suggestion_id"]], coding["id"])
                    )

    def _coding_exists(self, row: dict, remap: dict[str, dict]) -> bool:
        tid = remap.get("transcripts", {}).get(row["transcript_id"], row["transcript_id"])
        return (
            self._db.one(
                "SELECT 1 FROM codings WHERE transcript_id = ? AND start = ? AND end = ? AND code_id = ? AND coder = ?",
                (tid, row["start"], row["end"], row["code_id"], row["coder"]),
            )
            is not None
        )

    def _insert(self, table: str, row: dict, remap: dict[str, dict], result: Restored) -> int:
        """Insert one row as it was (references remapped); a taken id gets a new one. Returns its id."""
        db = self._db
        columns = [c for c in _columns(db, table) if c in row]
        values = dict(row)
        for column, target in _foreign_keys(db, table):
            if column in values and values[column] in remap.get(target, {}):
                values[column] = remap[target][values[column]]
        if "code_id" in values:  # the code may have been forgotten while nothing used it
            db.execute(
                "INSERT INTO codes (id, name, position, in_codebook) VALUES (?, ?, 1000000, 0) ON CONFLICT(id) DO NOTHING",
                (values["code_id"], values["code_id"]),
            )
        if "id" in values and db.one(f"SELECT 1 FROM {table} WHERE id = ?", (values["id"],)) is not None:
            old = values.pop("id")
            columns.remove("id")
            cur = db.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                [values[c] for c in columns],
            )
            remap.setdefault(table, {})[old] = inserted_id(cur)
            if table not in result.renumbered:
                result.renumbered.append(table)
            return inserted_id(cur)
        cur = db.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [values[c] for c in columns],
        )
        return int(values["id"]) if "id" in values else inserted_id(cur)


def _move_code(tables: dict[str, list[dict]], old_id: str, new_id: str) -> int | None:
    """:meth:`TrashStore.move_code` on one item's rows, in place: a coding that would twin one of
    ``new_id`` (same transcript, span and coder) becomes that one, its memo added; its
    suggestion follows it and its identity row goes, as in the store. None: nothing held ``old_id``."""
    codings = tables.get("codings", [])
    if not any(r.get("code_id") == old_id for rows in tables.values() for r in rows):
        return None

    def key(row: dict, code_id: str) -> tuple:
        return (row["transcript_id"], row["start"], row["end"], code_id, row["coder"])

    twins = {key(r, new_id): r for r in codings if r["code_id"] == new_id}
    became: dict[int, tuple[dict, str | None]] = {}  # a moved coding's id -> its twin's row, and its memo before
    kept, moved = [], 0
    for row in codings:
        if row["code_id"] == old_id:
            twin = twins.get(key(row, new_id))
            if twin is not None:
                became[row["id"]] = (twin, twin.get("memo"))
                twin["memo"] = joined_memo(twin.get("memo"), row.get("memo"))
                continue
            row["code_id"] = new_id
            twins[key(row, new_id)] = row
            moved += 1
        kept.append(row)
    if "codings" in tables:
        tables["codings"] = kept
    if "coding_identity" in tables:
        tables["coding_identity"] = [r for r in tables["coding_identity"] if r.get("coding_id") not in became]
    if "memo_drafts" in tables:  # a merged coding's draft goes to its twin, as in the store (CodingStore._carry_draft)
        drafts = {r["coding_id"]: r for r in tables["memo_drafts"]}
        for gone, (twin, memo) in became.items():
            if (draft := drafts.pop(gone, None)) is not None:
                own = drafts.get(twin["id"])
                text = joined_memo(own["text"] if own else memo, draft["text"]) or ""
                drafts[twin["id"]] = {**(own or draft), "coding_id": twin["id"], "text": text}
        tables["memo_drafts"] = list(drafts.values())
    suggested = {(r["transcript_id"], r["start"], r["end"]) for r in tables.get("suggestions", []) if r["code_id"] == new_id}
    suggestions = []
    for row in tables.get("suggestions", []):
        if row["code_id"] == old_id:
            if (row["transcript_id"], row["start"], row["end"]) in suggested:
                continue  # one for the target on the same span stands
            row["code_id"] = new_id
        if row.get("coding_id") in became:
            row["coding_id"] = became[row["coding_id"]][0]["id"]
        suggestions.append(row)
    if "suggestions" in tables:
        tables["suggestions"] = suggestions
    for row in tables.get("detached_codings", []):
        if row["code_id"] == old_id:
            row["code_id"] = new_id
    return moved


# --- the schema, as SQLite describes it -------------------------------------------------------


def _tables(db: Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]


def _columns(db: Database, table: str) -> list[str]:
    return [r[1] for r in db.execute(f"PRAGMA table_info({table})")]


def _foreign_keys(db: Database, table: str) -> list[tuple[str, str]]:
    """``(column, referenced table)`` for each foreign key of ``table``."""
    return [(r[3], r[2]) for r in db.execute(f"PRAGMA foreign_key_list({table})")]


def _references(db: Database, target: str) -> list[tuple[str, str, str]]:
    """``(table, column, on_delete)`` of every foreign key that points at ``target``."""
    out = []
    for table in _tables(db):
        if table == "trash":
            continue
        for r in db.execute(f"PRAGMA foreign_key_list({table})"):
            if r[2] == target:
                out.append((table, r[3], r[6]))
    return out


def _dependency_order(db: Database, tables: dict[str, list[dict]]) -> list[str]:
    """The tables to insert, each after the tables its foreign keys point at."""
    todo = [t for t in tables if tables[t]]
    ordered: list[str] = []
    while todo:
        for table in todo:
            needs = {target for _, target in _foreign_keys(db, table)} & set(todo) - {table}
            if not needs:
                ordered.append(table)
                todo.remove(table)
                break
        else:  # a cycle: insert the rest as they come (foreign keys are checked at each insert)
            ordered += todo
            break
    return ordered
