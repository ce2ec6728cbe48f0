"""The SQLite store: migrations, round trips, transactions, codes that leave the codebook."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap

import pytest

from qualcode import store as store_module
from qualcode.codebook import Code, Codebook
from qualcode.errors import QualcodeError
from qualcode.model import SUGGESTED, Transcript, Turn
from qualcode.store import Store

TEXT = "Wij verwachten veel van het CJG.\n\nZe verwijzen door naar ons. Dat werkt goed."


def transcript(name: str = "t1", text: str = TEXT) -> Transcript:
    return Transcript(
        name=name,
        text=text,
        turns=[Turn(1, "I", 0, 32, 3.0, None, "interviewer"), Turn(2, "R", 34, len(text), None, None, "respondent")],
        attributes={"respondent_type": "professional", "stad": "Utrecht"},
        source_format="txt",
        source_hash="abc",
    )


def book(*ids: str) -> Codebook:
    return Codebook(title="T", codes=[Code(id=i, name=i.title(), key=None) for i in ids])


@pytest.fixture
def store() -> Store:
    s = Store(":memory:")
    s.sync_codes(book("rol", "kracht"))
    return s


def test_store_migrations_are_recorded_and_idempotent(tmp_path):
    path = tmp_path / "q.db"
    with Store(path) as s:
        assert s.applied_migrations() == [name for name, _ in store_module.MIGRATIONS]
        assert s.migrate() == []  # nothing left to do
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_store_refuses_a_database_from_a_newer_version(tmp_path):
    path = tmp_path / "q.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO schema_migrations VALUES ('9999_future', 'now')")
    conn.commit()
    conn.close()
    with pytest.raises(QualcodeError, match="newer qualcode"):
        Store(path)


def test_store_refuses_a_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "q.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(QualcodeError, match="not a qualcode database"):
        Store(path)


def test_store_failed_migration_leaves_nothing_behind(tmp_path, monkeypatch):
    path = tmp_path / "q.db"
    Store(path).close()
    monkeypatch.setattr(
        store_module,
        "MIGRATIONS",
        [*store_module.MIGRATIONS, ("0099_broken", "CREATE TABLE half (x);\nTHIS IS NOT SQL;")],
    )
    with pytest.raises(sqlite3.OperationalError):
        Store(path)
    conn = sqlite3.connect(path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "half" not in tables
    assert "0099_broken" not in {r[0] for r in conn.execute("SELECT name FROM schema_migrations")}


def test_store_transcript_round_trip(store):
    tid = store.add_transcript(transcript())
    back = store.load_transcript(tid)
    assert back.text == TEXT
    assert [(t.index, t.speaker, t.start, t.end, t.time_start, t.role) for t in back.turns] == [
        (1, "I", 0, 32, 3.0, "interviewer"),
        (2, "R", 34, len(TEXT), None, "respondent"),
    ]
    assert back.attributes == {"respondent_type": "professional", "stad": "Utrecht"}
    assert store.transcript_id_by_hash(transcript().content_hash) == tid
    summary = store.summaries()[0]
    assert (summary.name, summary.turns, summary.words, summary.codings) == ("t1", 2, 14, 0)


def test_store_coding_round_trip_keeps_quote_and_provenance(store):
    tid = store.add_transcript(transcript())
    coding = store.add_coding(tid, 34, 60, "rol", "anna", memo="let op", origin=SUGGESTED)
    back = store.get_coding(coding.id)
    assert (back.start, back.end, back.code_id, back.coder, back.memo, back.origin) == (34, 60, "rol", "anna", "let op", "suggested")
    assert back.quote == TEXT[34:60]
    assert back.created_at and back.updated_at


def test_store_same_code_same_span_is_not_duplicated(store):
    tid = store.add_transcript(transcript())
    first = store.add_coding(tid, 0, 10, "rol", "anna")
    second = store.add_coding(tid, 0, 10, "rol", "bert")
    assert first.id == second.id
    assert len(store.codings(tid)) == 1
    store.add_coding(tid, 0, 10, "kracht", "anna")  # overlapping code on the same span is fine
    assert len(store.codings(tid)) == 2


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (-1, 5, "span -1:5 starts before the beginning of transcript 't1'"),
        (-9, -2, "span -9:-2 starts before the beginning"),
        (5, 5, "span 5:5 is empty"),
        (10, 3, "span 10:3 is reversed"),
        (0, len(TEXT) + 1, f"span 0:{len(TEXT) + 1} reaches past the end of transcript 't1'"),
    ],
)
def test_store_rejects_spans_outside_the_text(store, start, end, message):
    tid = store.add_transcript(transcript())
    with pytest.raises(QualcodeError, match=message):
        store.add_coding(tid, start, end, "rol", "anna")


def test_store_remove_and_restore_coding(store):
    tid = store.add_transcript(transcript())
    coding = store.add_coding(tid, 0, 10, "rol", "anna", memo="m")
    removed = store.remove_coding(coding.id)
    assert store.codings(tid) == []
    store.restore_coding(removed)
    back = store.get_coding(coding.id)
    assert (back.id, back.memo, back.created_at) == (coding.id, "m", coding.created_at)


def test_store_memo_set_and_clear(store):
    tid = store.add_transcript(transcript())
    coding = store.add_coding(tid, 0, 10, "rol", "anna")
    before = store.set_memo(coding.id, "eerste gedachte")
    assert before.memo is None
    assert store.get_coding(coding.id).memo == "eerste gedachte"
    store.set_memo(coding.id, "")
    assert store.get_coding(coding.id).memo is None


def test_store_transaction_rolls_back_everything_on_error(store):
    tid = store.add_transcript(transcript())
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.add_coding(tid, 0, 10, "rol", "anna")
            store.add_transcript(transcript("t2", TEXT + " Nog meer."))
            raise RuntimeError("boom")
    assert store.codings() == []
    assert list(store.transcript_names().values()) == ["t1"]


def test_store_codes_that_leave_the_codebook_keep_their_codings(store):
    tid = store.add_transcript(transcript())
    store.add_coding(tid, 0, 10, "kracht", "anna")
    result = store.sync_codes(book("rol"))
    assert result.missing == ["kracht"]
    assert [c.id for c in store.codes()] == ["rol"]
    assert {c.id for c in store.codes(include_missing=True)} == {"rol", "kracht"}
    orphans = store.orphaned_codings()
    assert [(c.code_id, c.quote) for c in orphans] == [("kracht", TEXT[0:10])]
    # The code comes back: its codings are simply no longer orphans.
    result = store.sync_codes(book("rol", "kracht"))
    assert result.changed == ["kracht"]
    assert store.orphaned_codings() == []


def test_store_sync_reports_added_and_changed(store):
    result = store.sync_codes(Codebook(title="T", codes=[Code(id="rol", name="Rollen"), Code(id="nieuw", name="N")]))
    assert result.added == ["nieuw"]
    assert result.changed == ["rol"]
    assert result.missing == ["kracht"]


def test_store_coded_share_counts_overlap_once(store):
    tid = store.add_transcript(transcript())
    store.add_coding(tid, 0, 10, "rol", "a")
    store.add_coding(tid, 5, 15, "kracht", "a")
    store.add_coding(tid, 40, 50, "rol", "a")
    assert store.summaries()[0].coded_chars == 25


def test_store_committed_coding_survives_a_killed_process(tmp_path):
    path = tmp_path / "q.db"
    with Store(path) as s:
        s.sync_codes(book("rol"))
        s.add_transcript(transcript())
    script = textwrap.dedent(
        f"""
        import os
        from qualcode.store import Store
        s = Store({str(path)!r})
        s.add_coding(1, 0, 10, "rol", "anna")
        os._exit(9)  # killed: no close, no cleanup
        """
    )
    result = subprocess.run([sys.executable, "-c", script])
    assert result.returncode == 9
    with Store(path) as s:
        assert [(c.start, c.end, c.code_id) for c in s.codings()] == [(0, 10, "rol")]


def test_store_settings(store):
    assert store.setting("x") is None
    store.set_setting("x", "1")
    store.set_setting("x", "2")
    assert store.setting("x") == "2"


@pytest.mark.parametrize(
    "text",
    ["", "een", "  twee  woorden ", "tab\tgescheiden\nen regels", "café’s en “citaten”", "nbsp\xa0gescheiden", "em\u2003space", "x\u3000y"],
)
def test_store_word_count_matches_str_split(text):
    from qualcode.model import count_words

    assert count_words([text]) == len(text.split())
    assert count_words([text, text]) == 2 * len(text.split())
