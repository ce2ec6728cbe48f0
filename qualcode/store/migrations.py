"""Named schema migrations, each applied once in its own transaction and recorded.

A database from a newer qualcode (an unknown migration name) is refused rather than
guessed at. Migrations that rebuild a table run with foreign keys off and check
them before committing (SQLite's documented 12-step table change).
"""

from __future__ import annotations

from ..errors import STORE_FOREIGN, STORE_NEWER, STORE_READ_ONLY_UPGRADE, error
from ..termsafe import first_of
from .db import Database, now

MIGRATIONS: list[tuple[str, str]] = [
    (
        "0001_initial",
        """
        CREATE TABLE transcripts (
            id            INTEGER PRIMARY KEY,
            name          TEXT NOT NULL UNIQUE,
            source_path   TEXT,
            source_format TEXT NOT NULL,
            source_hash   TEXT,
            content_hash  TEXT NOT NULL UNIQUE,
            encoding      TEXT,
            text          TEXT NOT NULL,
            words         INTEGER NOT NULL DEFAULT 0,
            guid          TEXT,
            imported_at   TEXT NOT NULL
        );
        CREATE TABLE turns (
            transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
            idx           INTEGER NOT NULL,
            speaker       TEXT,
            role          TEXT,
            start         INTEGER NOT NULL,
            end           INTEGER NOT NULL,
            time_start    REAL,
            time_end      REAL,
            PRIMARY KEY (transcript_id, idx),
            CHECK (0 <= start AND start <= end)
        ) WITHOUT ROWID;
        CREATE TABLE attributes (
            transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
            name          TEXT NOT NULL,
            value         TEXT NOT NULL,
            PRIMARY KEY (transcript_id, name)
        ) WITHOUT ROWID;
        CREATE TABLE codes (
            id          TEXT PRIMARY KEY,
            name        TEXT NOT NULL,
            parent_id   TEXT,
            color       TEXT,
            key         TEXT,
            position    INTEGER NOT NULL DEFAULT 0,
            guid        TEXT,
            in_codebook INTEGER NOT NULL DEFAULT 1
        );
        CREATE TABLE codings (
            id            INTEGER PRIMARY KEY,
            transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE RESTRICT,
            start         INTEGER NOT NULL,
            end           INTEGER NOT NULL,
            code_id       TEXT NOT NULL REFERENCES codes(id) ON UPDATE CASCADE ON DELETE RESTRICT,
            coder         TEXT NOT NULL,
            memo          TEXT,
            origin        TEXT NOT NULL DEFAULT 'manual' CHECK (origin IN ('manual', 'suggested')),
            quote         TEXT NOT NULL,
            suggestion_id INTEGER,
            created_at    TEXT NOT NULL,
            updated_at    TEXT NOT NULL,
            CHECK (0 <= start AND start < end)
        );
        CREATE UNIQUE INDEX codings_unique ON codings (transcript_id, start, end, code_id);
        CREATE INDEX codings_code ON codings (code_id);
        CREATE TABLE suggestions (
            id            INTEGER PRIMARY KEY,
            transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
            start         INTEGER NOT NULL,
            end           INTEGER NOT NULL,
            code_id       TEXT NOT NULL REFERENCES codes(id) ON UPDATE CASCADE ON DELETE RESTRICT,
            suggester     TEXT NOT NULL,
            score         REAL,
            reason        TEXT,
            status        TEXT NOT NULL DEFAULT 'pending'
                          CHECK (status IN ('pending', 'accepted', 'rejected')),
            coding_id     INTEGER REFERENCES codings(id) ON DELETE SET NULL,
            decided_by    TEXT,
            created_at    TEXT NOT NULL,
            decided_at    TEXT
        );
        -- One row per span and code ever proposed: a rejected one is never proposed again.
        CREATE UNIQUE INDEX suggestions_unique ON suggestions (transcript_id, start, end, code_id);
        CREATE INDEX suggestions_status ON suggestions (status);
        CREATE TABLE settings (
            name  TEXT PRIMARY KEY,
            value TEXT
        );
        """,
    ),
    (
        "0002_detached_codings",
        """
        -- Codings whose text disappeared when a transcript was re-imported: kept, never dropped.
        CREATE TABLE detached_codings (
            id            INTEGER PRIMARY KEY,
            transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE RESTRICT,
            old_start     INTEGER NOT NULL,
            old_end       INTEGER NOT NULL,
            code_id       TEXT NOT NULL REFERENCES codes(id) ON UPDATE CASCADE ON DELETE RESTRICT,
            coder         TEXT NOT NULL,
            memo          TEXT,
            origin        TEXT NOT NULL,
            quote         TEXT NOT NULL,
            created_at    TEXT NOT NULL,
            updated_at    TEXT NOT NULL,
            detached_at   TEXT NOT NULL,
            reason        TEXT NOT NULL
        );
        ALTER TABLE transcripts ADD COLUMN updated_at TEXT;
        """,
    ),
    (
        "0003_team_and_summaries",
        """
        -- Codings: one per span, code AND coder (several coders code one passage), and
        -- AUTOINCREMENT so the id of a removed coding is never given to another one.
        CREATE TABLE codings_new (
            id            INTEGER PRIMARY KEY AUTOINCREMENT,
            transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE RESTRICT,
            start         INTEGER NOT NULL,
            end           INTEGER NOT NULL,
            code_id       TEXT NOT NULL REFERENCES codes(id) ON UPDATE CASCADE ON DELETE RESTRICT,
            coder         TEXT NOT NULL,
            memo          TEXT,
            origin        TEXT NOT NULL DEFAULT 'manual' CHECK (origin IN ('manual', 'suggested')),
            quote         TEXT NOT NULL,
            suggestion_id INTEGER,
            created_at    TEXT NOT NULL,
            updated_at    TEXT NOT NULL,
            CHECK (0 <= start AND start < end)
        );
        INSERT INTO codings_new SELECT id, transcript_id, start, end, code_id, coder, memo, origin, quote,
            suggestion_id, created_at, updated_at FROM codings;
        DROP TABLE codings;
        ALTER TABLE codings_new RENAME TO codings;
        CREATE UNIQUE INDEX codings_unique ON codings (transcript_id, start, end, code_id, coder);
        CREATE INDEX codings_code ON codings (code_id);
        CREATE INDEX codings_coder ON codings (coder);

        -- Coders: everyone who coded or decided, with a stable GUID for REFI-QDA users.
        CREATE TABLE coders (
            name       TEXT PRIMARY KEY,
            guid       TEXT UNIQUE,
            created_at TEXT NOT NULL
        );
        INSERT OR IGNORE INTO coders (name, created_at)
            SELECT coder, min(created_at) FROM codings GROUP BY coder;
        INSERT OR IGNORE INTO coders (name, created_at)
            SELECT coder, min(created_at) FROM detached_codings GROUP BY coder;
        INSERT OR IGNORE INTO coders (name, created_at)
            SELECT decided_by, coalesce(min(decided_at), min(created_at)) FROM suggestions
            WHERE decided_by IS NOT NULL GROUP BY decided_by;

        -- What the transcripts list shows, kept up to date by the store instead of
        -- being summed over every coding at start-up.
        ALTER TABLE transcripts ADD COLUMN chars INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE transcripts ADD COLUMN turn_count INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE transcripts ADD COLUMN coding_count INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE transcripts ADD COLUMN coded_chars INTEGER NOT NULL DEFAULT 0;
        UPDATE transcripts SET
            turn_count = (SELECT count(*) FROM turns u WHERE u.transcript_id = transcripts.id);
        """,
    ),
    (
        "0004_source_hash_index",
        """
        -- An import looks files up by the hash of their bytes before reading them.
        CREATE INDEX transcripts_source_hash ON transcripts (source_hash);
        """,
    ),
    (
        "0005_team_consensus_and_aside",
        """
        -- Settled disagreements between two coders (team coding): which consensus
        -- codings each decision added, so that undoing it removes exactly those.
        CREATE TABLE consensus_decisions (
            key           TEXT NOT NULL,
            first_coder   TEXT NOT NULL,
            second_coder  TEXT NOT NULL,
            transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
            decision      TEXT NOT NULL CHECK (decision IN ('first', 'second', 'both', 'neither', 'adjusted')),
            coding_ids    TEXT NOT NULL DEFAULT '[]',
            decided_by    TEXT NOT NULL,
            decided_at    TEXT NOT NULL,
            PRIMARY KEY (key, first_coder, second_coder)
        );
        -- Codings a merge could not place (transcript or code missing here): kept, never dropped.
        CREATE TABLE merge_aside (
            id              INTEGER PRIMARY KEY,
            origin          TEXT NOT NULL,
            transcript_name TEXT NOT NULL,
            content_hash    TEXT NOT NULL,
            start           INTEGER NOT NULL,
            end             INTEGER NOT NULL,
            code_id         TEXT NOT NULL,
            coder           TEXT NOT NULL,
            memo            TEXT,
            quote           TEXT NOT NULL,
            created_at      TEXT,
            reason          TEXT NOT NULL,
            set_aside_at    TEXT NOT NULL
        );
        CREATE UNIQUE INDEX merge_aside_unique ON merge_aside (content_hash, start, end, code_id, coder);
        """,
    ),
    (
        # refi branch: what a REFI-QDA import keeps so that an export gives it back.
        "0006_refi_identity",
        """
        -- The selection and coding a coding came from in another tool's file (their GUIDs
        -- and the selection's creating user, when not the coder): one row per such coding.
        CREATE TABLE coding_identity (
            coding_id         INTEGER PRIMARY KEY REFERENCES codings(id) ON DELETE CASCADE,
            selection_guid    TEXT NOT NULL,
            coding_guid       TEXT,
            selection_creator TEXT
        );
        -- When and by whom a transcript's source was made in the tool it came from.
        CREATE TABLE transcript_identity (
            transcript_id INTEGER PRIMARY KEY REFERENCES transcripts(id) ON DELETE CASCADE,
            created_at    TEXT,
            creator       TEXT
        );
        -- Text sources without any text (NVivo for Mac writes them): nothing to code, kept for re-export.
        CREATE TABLE empty_sources (
            guid       TEXT PRIMARY KEY,
            name       TEXT NOT NULL,
            created_at TEXT,
            creator    TEXT
        );
        -- Sets of documents (MAXQDA's document sets); members are source GUIDs.
        CREATE TABLE document_sets (
            guid        TEXT PRIMARY KEY,
            name        TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE document_set_members (
            set_guid    TEXT NOT NULL REFERENCES document_sets(guid) ON DELETE CASCADE,
            source_guid TEXT NOT NULL,
            PRIMARY KEY (set_guid, source_guid)
        );
        """,
    ),
    (
        "0007_trash",
        """
        -- What a researcher removed (a transcript with everything on it, codings, detached
        -- codings), kept as it was so it can be restored; emptied only on request.
        CREATE TABLE trash (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            kind        TEXT NOT NULL CHECK (kind IN ('transcript', 'codings', 'detached')),
            transcript  TEXT NOT NULL,  -- the transcript's name when it was removed
            codings     INTEGER NOT NULL DEFAULT 0,  -- codings (and detached codings) held
            payload     TEXT NOT NULL,  -- JSON: the removed rows, table by table
            removed_by  TEXT,
            removed_at  TEXT NOT NULL
        );
        -- The id a detached coding had, given back when it is re-attached.
        ALTER TABLE detached_codings ADD COLUMN coding_id INTEGER;
        """,
    ),
    (
        "0008_coding_words",
        """
        -- Word positions (qualcode/words.py), so statistics count coded words without
        -- splitting the text: the words of [start, end) are words_through - words_before.
        -- Only the store computes them from the current text (fill_words); NULL means
        -- "not computed", and readers then count from the text.
        ALTER TABLE codings ADD COLUMN words_before INTEGER;
        ALTER TABLE codings ADD COLUMN words_through INTEGER;
        ALTER TABLE turns ADD COLUMN words INTEGER;
        -- Read with the spans, from the index alone (a lookup per coding costs 1.5x).
        CREATE INDEX codings_words ON codings (transcript_id, start, end, code_id, coder, words_before, words_through);
        -- Whatever moves a span or changes a text makes its positions "not computed"
        -- (values brought along by an insert, e.g. from the trash, are not trusted).
        CREATE TRIGGER codings_words_inserted AFTER INSERT ON codings
            WHEN NEW.words_before IS NOT NULL OR NEW.words_through IS NOT NULL
        BEGIN
            UPDATE codings SET words_before = NULL, words_through = NULL WHERE id = NEW.id;
        END;
        CREATE TRIGGER codings_words_moved AFTER UPDATE OF transcript_id, start, end ON codings
        BEGIN
            UPDATE codings SET words_before = NULL, words_through = NULL WHERE id = NEW.id;
        END;
        CREATE TRIGGER turns_words_moved AFTER UPDATE OF transcript_id, start, end ON turns
        BEGIN
            UPDATE turns SET words = NULL WHERE transcript_id = NEW.transcript_id AND idx = NEW.idx;
        END;
        CREATE TRIGGER transcripts_words_text AFTER UPDATE OF text ON transcripts
        BEGIN
            UPDATE codings SET words_before = NULL, words_through = NULL WHERE transcript_id = NEW.id;
            UPDATE turns SET words = NULL WHERE transcript_id = NEW.id;
        END;
        """,
    ),
    (
        "0009_stats",
        """
        -- Statistics read the codings per code (store.codings.code_columns) from this
        -- index alone, without a sort; it also serves every look-up by code, so the
        -- index on code_id alone goes.
        CREATE INDEX codings_code_words ON codings (code_id, transcript_id, start, end, coder, words_before, words_through);
        DROP INDEX codings_code;
        -- The transcripts' sizes without their rows: words and chars come after the text
        -- in a row, so reading them walked every text's overflow pages.
        CREATE INDEX transcripts_sizes ON transcripts (name, id, words, chars);
        """,
    ),
    (
        "0010_review_order",
        """
        -- Listings that stream at study scale, read from covering indexes (issue #16):
        -- `suggestions --order score` in its order (the most likely first, then reading
        -- order; NULL scores count as 0), so rows come as they are read, not after a sort
        -- (it replaces the index on status alone);
        CREATE INDEX suggestions_review_order
            ON suggestions (status, coalesce(score, 0.0) DESC, transcript_id, start, end, code_id);
        -- which coders coded which transcripts with which codes (it replaces the index on
        -- the coder alone). One code's codings across the project in position order, for
        -- agreement code by code, come from codings_code_words (0009_stats).
        CREATE INDEX codings_by_coder ON codings (coder, transcript_id, code_id);
        DROP INDEX codings_coder;
        DROP INDEX suggestions_status;
        """,
    ),
    (
        "0012_sentence_bounds",
        """
        -- Every transcript's units for agreement (issue #16), so a study starts without
        -- reading every turn and splitting every turn into sentences: its content spans
        -- (qualcode.text.content_spans: the non-empty turns in order, or the whole text) and
        -- its sentences (qualcode.text.sentences_in them), each as two arrays of 32-bit
        -- little-endian integers; rules is the splitter's version (text.SENTENCE_RULES).
        -- Only the store writes them, from the current text and turns; a missing row means
        -- "not computed", and readers then compute them. No foreign key: the trash keeps a
        -- transcript's rows without them, and they are computed again.
        CREATE TABLE unit_bounds (
            transcript_id   INTEGER PRIMARY KEY,
            rules           INTEGER NOT NULL,
            turn_starts     BLOB NOT NULL,
            turn_ends       BLOB NOT NULL,
            sentence_starts BLOB NOT NULL,
            sentence_ends   BLOB NOT NULL
        );
        -- Whatever changes a text or its turns drops its units.
        CREATE TRIGGER unit_bounds_transcript_gone AFTER DELETE ON transcripts
        BEGIN
            DELETE FROM unit_bounds WHERE transcript_id = OLD.id;
        END;
        CREATE TRIGGER unit_bounds_text AFTER UPDATE OF id, text ON transcripts
        BEGIN
            DELETE FROM unit_bounds WHERE transcript_id IN (OLD.id, NEW.id);
        END;
        CREATE TRIGGER unit_bounds_turn_added AFTER INSERT ON turns
        BEGIN
            DELETE FROM unit_bounds WHERE transcript_id = NEW.transcript_id;
        END;
        CREATE TRIGGER unit_bounds_turn_gone AFTER DELETE ON turns
        BEGIN
            DELETE FROM unit_bounds WHERE transcript_id = OLD.transcript_id;
        END;
        CREATE TRIGGER unit_bounds_turn_moved AFTER UPDATE OF transcript_id, start, end ON turns
        BEGIN
            DELETE FROM unit_bounds WHERE transcript_id IN (OLD.transcript_id, NEW.transcript_id);
        END;
        """,
    ),
    (
        "0013_coding_turn",
        """
        -- The turn each coding is counted in when statistics group by speaker or role (the
        -- first turn it overlaps: store.codings.turn_places), kept with the coding so that
        -- grouping reads no turns and looks up none per coding (issue #16): its speaker
        -- and role (NULL outside every turn), and turn_fit: 1 when the coding lies within
        -- that turn (or between two turns) and the ends of the transcript's turns ascend,
        -- so that such codings of different turns never overlap; 0 otherwise; NULL when
        -- not computed. Only the store computes them
        -- (fill_words); readers compute them where turn_fit is NULL.
        ALTER TABLE codings ADD COLUMN turn_fit INTEGER;
        ALTER TABLE codings ADD COLUMN turn_speaker TEXT;
        ALTER TABLE codings ADD COLUMN turn_role TEXT;
        -- Read with the codings per code, from the index alone (store.codings.code_columns).
        DROP INDEX codings_code_words;
        CREATE INDEX codings_code_words ON codings (
            code_id, transcript_id, start, end, coder, words_before, words_through, turn_fit, turn_speaker, turn_role
        );
        -- A transcript's codings whose turn is (not) known, found with a seek: a changed turn
        -- forgets them without reading each of the transcript's codings once per turn
        -- written, and a new coding is given its turn without reading the others.
        CREATE INDEX codings_turn_fit ON codings (transcript_id, turn_fit);
        -- The words and transcripts of each speaker (role), and the speakers with their roles
        -- (`qualcode speakers`), without sorting every turn.
        CREATE INDEX turns_speakers ON turns (speaker, role, transcript_id, words);
        CREATE INDEX turns_roles ON turns (role, transcript_id, words);
        -- Whatever moves a coding or changes a turn makes the coding's turn "not computed"
        -- (values brought along by an insert, e.g. from the trash, are not trusted).
        CREATE TRIGGER codings_turn_inserted AFTER INSERT ON codings WHEN NEW.turn_fit IS NOT NULL
        BEGIN
            UPDATE codings SET turn_fit = NULL WHERE id = NEW.id;
        END;
        CREATE TRIGGER codings_turn_moved AFTER UPDATE OF transcript_id, start, end ON codings
        BEGIN
            UPDATE codings SET turn_fit = NULL WHERE id = NEW.id;
        END;
        CREATE TRIGGER turns_coding_turn_added AFTER INSERT ON turns
        BEGIN
            UPDATE codings SET turn_fit = NULL WHERE transcript_id = NEW.transcript_id AND turn_fit IS NOT NULL;
        END;
        CREATE TRIGGER turns_coding_turn_gone AFTER DELETE ON turns
        BEGIN
            UPDATE codings SET turn_fit = NULL WHERE transcript_id = OLD.transcript_id AND turn_fit IS NOT NULL;
        END;
        CREATE TRIGGER turns_coding_turn_changed AFTER UPDATE OF transcript_id, idx, speaker, role, start, end ON turns
        BEGIN
            UPDATE codings SET turn_fit = NULL
                WHERE transcript_id IN (OLD.transcript_id, NEW.transcript_id) AND turn_fit IS NOT NULL;
        END;
        """,
    ),
    (
        "0014_turn_added_when_known",
        """
        -- A turn added to a transcript makes the turn of its codings "not computed" (0013)
        -- only where one is known, looked up first in codings_turn_fit: an import adds a
        -- transcript's hundreds of turns before it has any coding, and the UPDATE cost ~2 us
        -- per turn even when it changed nothing (a tenth of a fresh import). The same effect.
        DROP TRIGGER turns_coding_turn_added;
        CREATE TRIGGER turns_coding_turn_added AFTER INSERT ON turns
            WHEN EXISTS (SELECT 1 FROM codings WHERE transcript_id = NEW.transcript_id AND turn_fit IS NOT NULL)
        BEGIN
            UPDATE codings SET turn_fit = NULL WHERE transcript_id = NEW.transcript_id AND turn_fit IS NOT NULL;
        END;
        """,
    ),
    (
        "0015_transcript_summaries",
        """
        -- Every column of a transcript but its text, by name: the transcripts list (its
        -- counts and sizes), an export's sources and the last change come from this index
        -- alone. The columns after the text in a row (words, chars, the counts, the dates,
        -- the GUID) are reached only by walking that text's overflow pages: ~15 us a
        -- transcript, every text read to list names (issue #16, at 2x and 5x the corpus).
        -- It holds transcripts_sizes (0009_stats) as its first columns, which it replaces.
        CREATE INDEX transcripts_summaries ON transcripts (
            name, id, words, chars, turn_count, coding_count, coded_chars, imported_at, updated_at, guid,
            source_path, source_format, source_hash, content_hash);
        DROP INDEX transcripts_sizes;
        """,
    ),
    (
        "0016_codings_last_change",
        """
        -- When a coding was last added or changed, read from the end of this index: the last
        -- change of a project (Store.transcripts.last_change, once per .qdpx export) read every
        -- coding's row, 145 ms at 5x the corpus (issue #16).
        CREATE INDEX codings_updated ON codings (updated_at);
        """,
    ),
    (
        "0017_memo_drafts",
        """
        -- What a researcher is writing in a coding's memo, kept while they type: a closed
        -- terminal or a killed process loses no memo text (the next opening offers it back).
        -- Saving or discarding the memo ends its draft; a deleted coding takes it along.
        CREATE TABLE memo_drafts (
            coding_id  INTEGER PRIMARY KEY REFERENCES codings(id) ON DELETE CASCADE,
            text       TEXT NOT NULL,
            written_at TEXT NOT NULL
        );
        """,
    ),
    (
        "0018_transcript_memos",
        """
        -- A memo on a transcript as a whole (what other tools call a document memo or comment,
        -- REFI-QDA's <Description> of a source), and its draft while it is being written.
        -- The column comes after the text (in its overflow pages): the index answers which
        -- transcripts have a memo, and what it says, without reading a text.
        ALTER TABLE transcripts ADD COLUMN memo TEXT;
        CREATE INDEX transcripts_memos ON transcripts (memo) WHERE memo IS NOT NULL;
        CREATE TABLE transcript_memo_drafts (
            transcript_id INTEGER PRIMARY KEY REFERENCES transcripts(id) ON DELETE CASCADE,
            text          TEXT NOT NULL,
            written_at    TEXT NOT NULL
        );
        """,
    ),
    (
        "0019_turn_chars",
        """
        -- The characters of a transcript's turns (NULL without turns: its whole text counts):
        -- what a coding can cover, the transcripts list's coded share's denominator. Kept
        -- with the other summaries in their index, so the list still reads no turn (summed
        -- over the turns at every listing it cost 12 ms at 1,000 interviews).
        ALTER TABLE transcripts ADD COLUMN turn_chars INTEGER;
        UPDATE transcripts SET turn_chars = (SELECT sum(u.end - u.start) FROM turns u WHERE u.transcript_id = transcripts.id);
        DROP INDEX transcripts_summaries;
        CREATE INDEX transcripts_summaries ON transcripts (
            name, id, words, chars, turn_count, turn_chars, coding_count, coded_chars, imported_at, updated_at, guid,
            source_path, source_format, source_hash, content_hash);
        """,
    ),
    (
        "0020_empty_source_attributes",
        """
        -- The variable values of a text source without text (its own and its cases'), as a
        -- JSON object {attribute: value}: an export writes its case again (NULL: none).
        ALTER TABLE empty_sources ADD COLUMN attributes TEXT;
        """,
    ),
]


# What a database is, by its first migration: a file of the one kind opened as the other is named.
KINDS = {"0001_initial": "a qualcode project database", "0001_key": "a pseudonymisation key"}


def applied(db: Database, kind: str = KINDS["0001_initial"]) -> list[str]:
    """Names of the migrations this database has (an empty read-only database has none).
    A database without them that holds tables is another program's (STORE_FOREIGN, as
    ``kind`` was expected)."""
    if db.one("SELECT 1 FROM sqlite_master WHERE name = 'schema_migrations'") is None:
        _refuse_other_tables(db, kind)
        if db.read_only:
            return []
    if not db.read_only:
        db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    return [r[0] for r in db.execute("SELECT name FROM schema_migrations ORDER BY name")]


def pending(db: Database, schema: list[tuple[str, str]] | None = None) -> list[str]:
    """Names of the known migrations this database lacks; refuses a newer database."""
    schema = MIGRATIONS if schema is None else schema
    first = schema[0][0]
    done = applied(db, KINDS.get(first, "a qualcode database"))
    if done and first not in done:
        # Another kind's database (a key opened as a project, or the other way round) or another
        # program's: its migrations are not "newer", and ours would be written on top of its data.
        other = KINDS.get(done[0], "")
        reason = f"it is {other}" if other else f"its schema ({done[0]}, ...) is not qualcode's"
        raise error(STORE_FOREIGN, path=db.shown, kind=KINDS.get(first, "a qualcode database"), reason=reason)
    known = {name for name, _ in schema}
    for name in done:
        if name not in known:
            raise error(STORE_NEWER, path=db.shown, name=name)
    return [name for name, _ in schema if name not in done]


def _refuse_other_tables(db: Database, kind: str) -> None:
    """STORE_FOREIGN for a database without qualcode's migrations table that holds tables: another
    program's SQLite file (or a damaged one), which the migrations would fill with qualcode's
    tables beside its own (or fail on, where a name is the same)."""
    sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!' ORDER BY name"
    tables = [r[0] for r in db.execute(sql)]
    if tables:
        reason = f"it holds tables ({first_of(tables, 5)}) but not the record of changes every qualcode database has"
        raise error(STORE_FOREIGN, path=db.shown, kind=kind, reason=reason)


def migrate(db: Database, after=None, schema: list[tuple[str, str]] | None = None) -> list[str]:
    """Apply the migrations this database lacks; return their names.

    ``after(db, name)`` runs inside each migration's transaction, for data changes
    that are easier in Python than in SQL. ``schema``: another kind of database's
    migrations (the pseudonymisation key's), instead of the project's.
    """
    schema = MIGRATIONS if schema is None else schema
    todo = pending(db, schema)
    if todo and db.read_only:
        # Not STORE_READ_ONLY: its "browsing and exports work as they are" is not so here.
        raise error(STORE_READ_ONLY_UPGRADE, path=db.shown, what=db.read_only, names=", ".join(todo))
    conn = db.conn
    for name, sql in schema:
        if name not in todo:
            continue
        conn.execute("PRAGMA foreign_keys = OFF")  # a no-op inside a transaction: set it first
        try:
            # executescript runs the whole script; BEGIN ... COMMIT make it atomic.
            conn.executescript(f"BEGIN IMMEDIATE;\n{sql}")
            if after is not None:
                after(db, name)
            broken = conn.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"migration {name} broke foreign keys: {broken[:5]}")
            conn.execute("INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)", (name, now()))
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        finally:
            conn.execute("PRAGMA foreign_keys = ON")
    return todo
