"""Project settings kept in the database (name → text value), and the coders."""

from __future__ import annotations

from .db import Database, now

PROJECT_CREATOR = "refi.project_creator"  # who made the project in the tool a REFI-QDA import came from
# The staged codebook file that replaces the codebook: written in the transaction of a codebook
# change and cleared once the file is in place (see Project.staged_codebook).
PENDING_CODEBOOK = "codebook.pending"


class SettingStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, name: str, default: str | None = None) -> str | None:
        return self._db.scalar("SELECT value FROM settings WHERE name = ?", (name,), default)

    def set(self, name: str, value: str | None) -> None:
        with self._db.transaction() as db:
            db.execute(
                "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                (name, value),
            )

    def delete(self, name: str) -> None:
        with self._db.transaction() as db:
            db.execute("DELETE FROM settings WHERE name = ?", (name,))


class CoderStore:
    """Everyone who coded or decided in this project, with an optional REFI-QDA user GUID."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def names(self) -> list[str]:
        return [r[0] for r in self._db.execute("SELECT name FROM coders ORDER BY name")]

    def guids(self) -> dict[str, str | None]:
        """Coder name → GUID (None where none was given yet)."""
        return {r[0]: r[1] for r in self._db.execute("SELECT name, guid FROM coders ORDER BY name")}

    def rename(self, names: dict[str, str]) -> None:
        """Rename coders (old -> new, no new name taken) wherever a coder is named: for a
        throw-away copy that an export reads (a coder who is personal data)."""
        with self._db.transaction() as db:
            for old, new in names.items():
                db.execute("UPDATE coders SET name = ? WHERE name = ?", (new, old))
                db.execute("UPDATE codings SET coder = ? WHERE coder = ?", (new, old))
                db.execute("UPDATE coding_identity SET selection_creator = ? WHERE selection_creator = ?", (new, old))
                db.execute("UPDATE consensus_decisions SET first_coder = ? WHERE first_coder = ?", (new, old))
                db.execute("UPDATE consensus_decisions SET second_coder = ? WHERE second_coder = ?", (new, old))
                db.execute("UPDATE merge_aside SET coder = ? WHERE coder = ?", (new, old))
                db.execute("UPDATE detached_codings SET coder = ? WHERE coder = ?", (new, old))
                # Who made a source or the project in another tool (a REFI-QDA import).
                db.execute("UPDATE transcript_identity SET creator = ? WHERE creator = ?", (new, old))
                db.execute("UPDATE empty_sources SET creator = ? WHERE creator = ?", (new, old))
                db.execute("UPDATE settings SET value = ? WHERE name = ? AND value = ?", (new, PROJECT_CREATOR, old))

    def ensure(self, name: str, guid: str | None = None) -> None:
        """Register a coder (keeping an existing GUID; setting one where there was none)."""
        with self._db.transaction() as db:
            db.execute(
                "INSERT INTO coders (name, guid, created_at) VALUES (?, ?, ?)"
                " ON CONFLICT(name) DO UPDATE SET guid = coalesce(coders.guid, excluded.guid)",
                (name, guid, now()),
            )
