"""The SQLite store: migrations, round trips, transactions, codes that leave the codebook."""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing

import pytest
from conftest import database_before

from qualcode.codebook import Code, Codebook
from qualcode.errors import QualcodeError
from qualcode.model import SUGGESTED, Transcript, Turn
from qualcode.store import Store, migrations

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
    s.codes.sync(book("rol", "kracht"))
    return s


def test_store_migrations_are_recorded_and_idempotent(tmp_path):
    path = tmp_path / "q.db"
    with Store(path) as s:
        assert s.applied_migrations() == [name for name, _ in migrations.MIGRATIONS]
        assert migrations.pending(s._db) == []  # nothing left to do
        assert s._db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s._db.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


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
        migrations,
        "MIGRATIONS",
        [*migrations.MIGRATIONS, ("0099_broken", "CREATE TABLE half (x);\nTHIS IS NOT SQL;")],
    )
    with pytest.raises(sqlite3.OperationalError):
        Store(path)
    conn = sqlite3.connect(path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "half" not in tables
    assert "0099_broken" not in {r[0] for r in conn.execute("SELECT name FROM schema_migrations")}


def test_store_transcript_round_trip(store):
    tid = store.transcripts.add(transcript())
    back = store.transcripts.load(tid)
    assert back.text == TEXT
    assert [(t.index, t.speaker, t.start, t.end, t.time_start, t.role) for t in back.turns] == [
        (1, "I", 0, 32, 3.0, "interviewer"),
        (2, "R", 34, len(TEXT), None, "respondent"),
    ]
    assert back.attributes == {"respondent_type": "professional", "stad": "Utrecht"}
    assert store.transcripts.id_by_hash(transcript().content_hash) == tid
    summary = store.transcripts.summaries()[0]
    assert (summary.name, summary.turns, summary.words, summary.codings) == ("t1", 2, 14, 0)


def test_store_coding_round_trip_keeps_quote_and_provenance(store):
    tid = store.transcripts.add(transcript())
    coding = store.codings.add(tid, 34, 60, "rol", "anna", memo="let op", origin=SUGGESTED).coding
    back = store.codings.get(coding.id)
    assert (back.start, back.end, back.code_id, back.coder, back.memo, back.origin) == (
        34,
        60,
        "rol",
        "anna",
        "let op",
        "suggested",
    )
    assert back.quote == TEXT[34:60]
    assert back.created_at and back.updated_at


def test_store_same_coder_code_and_span_is_not_duplicated(store):
    tid = store.transcripts.add(transcript())
    first = store.codings.add(tid, 0, 10, "rol", "anna")
    again = store.codings.add(tid, 0, 10, "rol", "anna")
    assert first.inserted and not again.inserted and first.coding == again.coding
    assert len(store.codings.find(tid)) == 1
    store.codings.add(tid, 0, 10, "kracht", "anna")  # overlapping code on the same span is fine
    assert len(store.codings.find(tid)) == 2


def test_store_each_coder_has_their_own_coding_of_a_passage(store):
    tid = store.transcripts.add(transcript())
    anna = store.codings.add(tid, 0, 10, "rol", "anna").coding
    bert = store.codings.add(tid, 0, 10, "rol", "bert").coding
    assert anna.id != bert.id
    assert [c.coder for c in store.codings.find(tid, coders=["bert"])] == ["bert"]
    assert store.coders.names() == ["anna", "bert"]


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
    tid = store.transcripts.add(transcript())
    with pytest.raises(QualcodeError, match=message):
        store.codings.add(tid, start, end, "rol", "anna")


def test_store_remove_and_restore_coding(store):
    tid = store.transcripts.add(transcript())
    coding = store.codings.add(tid, 0, 10, "rol", "anna", memo="m").coding
    removed = store.codings.remove(coding.id)
    assert store.codings.find(tid) == []
    store.codings.restore(removed)
    back = store.codings.get(coding.id)
    assert (back.id, back.memo, back.created_at) == (coding.id, "m", coding.created_at)


def test_store_memo_set_and_clear(store):
    tid = store.transcripts.add(transcript())
    coding = store.codings.add(tid, 0, 10, "rol", "anna").coding
    before = store.codings.set_memo(coding.id, "eerste gedachte")
    assert before.memo is None
    assert store.codings.get(coding.id).memo == "eerste gedachte"
    store.codings.set_memo(coding.id, "")
    assert store.codings.get(coding.id).memo is None


def test_store_transaction_rolls_back_everything_on_error(store):
    tid = store.transcripts.add(transcript())
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.codings.add(tid, 0, 10, "rol", "anna")
            store.transcripts.add(transcript("t2", TEXT + " Nog meer."))
            raise RuntimeError("boom")
    assert store.codings.find() == []
    assert list(store.transcripts.names().values()) == ["t1"]


def test_store_codes_that_leave_the_codebook_keep_their_codings(store):
    tid = store.transcripts.add(transcript())
    store.codings.add(tid, 0, 10, "kracht", "anna")
    result = store.codes.sync(book("rol"))
    assert result.missing == ["kracht"]
    assert [c.id for c in store.codes.list()] == ["rol"]
    assert {c.id for c in store.codes.list(include_missing=True)} == {"rol", "kracht"}
    orphans = store.codings.orphaned()
    assert [(c.code_id, c.quote) for c in orphans] == [("kracht", TEXT[0:10])]
    # The code comes back: its codings are simply no longer orphans.
    result = store.codes.sync(book("rol", "kracht"))
    assert result.changed == ["kracht"]
    assert store.codings.orphaned() == []


def test_store_sync_reports_added_and_changed(store):
    result = store.codes.sync(Codebook(title="T", codes=[Code(id="rol", name="Rollen"), Code(id="nieuw", name="N")]))
    assert result.added == ["nieuw"]
    assert result.changed == ["rol"]
    assert result.missing == ["kracht"]


def test_store_coded_share_counts_overlap_once(store):
    tid = store.transcripts.add(transcript())
    store.codings.add(tid, 0, 10, "rol", "a")
    store.codings.add(tid, 5, 15, "kracht", "a")
    store.codings.add(tid, 40, 50, "rol", "a")
    assert store.transcripts.summaries()[0].coded_chars == 25


def test_store_coded_share_is_of_the_turns_text_not_of_labels(store):
    """Speaker labels and the blank lines between turns are never coded: every turn coded
    whole is the whole transcript coded (it was 75 of 77 characters, 97%; with labels, less)."""
    tid = store.transcripts.add(transcript())
    for turn in store.transcripts.load(tid).turns:
        store.codings.add(tid, turn.start, turn.end, "rol", "a")
    summary = store.transcripts.summaries()[0]
    assert summary.coded_chars < summary.chars
    assert summary.coded_share == 1.0
    store.codings.add(tid, 0, 16, "kracht", "a")  # inside what is coded already: no more covered
    assert store.transcripts.summaries()[0].coded_share == 1.0


def test_store_coded_share_of_half_the_turns_text(store):
    tid = store.transcripts.add(transcript())
    first, second = store.transcripts.load(tid).turns
    store.codings.add(tid, first.start, first.end, "rol", "a")
    codable = (first.end - first.start) + (second.end - second.start)
    assert store.transcripts.summaries()[0].coded_share == pytest.approx((first.end - first.start) / codable)


def test_store_committed_coding_survives_a_killed_process(tmp_path):
    path = tmp_path / "q.db"
    with Store(path) as s:
        s.codes.sync(book("rol"))
        s.transcripts.add(transcript())
    script = textwrap.dedent(
        f"""
        import os
        from qualcode.store import Store, migrations
        s = Store({str(path)!r})
        s.codings.add(1, 0, 10, "rol", "anna")
        os._exit(9)  # killed: no close, no cleanup
        """
    )
    result = subprocess.run([sys.executable, "-c", script])
    assert result.returncode == 9
    with Store(path) as s:
        assert [(c.start, c.end, c.code_id) for c in s.codings.find()] == [(0, 10, "rol")]


def test_store_settings(store):
    assert store.settings.get("x") is None
    store.settings.set("x", "1")
    store.settings.set("x", "2")
    assert store.settings.get("x") == "2"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "een",
        "  twee  woorden ",
        "tab\tgescheiden\nen regels",
        "café’s en “citaten”",
        "nbsp\xa0gescheiden",
        "em\u2003space",
        "x\u3000y",
    ],
)
def test_store_word_count_matches_str_split(text):
    from qualcode.model import Transcript, Turn, span_words

    assert span_words(text, [(0, len(text))]) == [len(text.split())]
    doubled = Transcript("t", f"{text}\n{text}", [Turn(1, None, 0, len(text)), Turn(2, None, len(text) + 1, 2 * len(text) + 1)])
    assert doubled.word_count == 2 * len(text.split())


def test_store_coding_ids_are_never_reused(store):
    tid = store.transcripts.add(transcript())
    first = store.codings.add(tid, 0, 10, "rol", "anna").coding
    store.codings.remove(first.id)
    second = store.codings.add(tid, 0, 10, "rol", "anna").coding
    assert second.id > first.id


def test_store_summaries_follow_every_change_and_count_overlaps_once(store):
    tid = store.transcripts.add(transcript())
    summary = lambda: store.transcripts.summaries()[0]  # noqa: E731
    assert (summary().chars, summary().turns, summary().codings, summary().coded_chars) == (len(TEXT), 2, 0, 0)
    a = store.codings.add(tid, 0, 10, "rol", "anna").coding
    store.codings.add(tid, 5, 20, "kracht", "anna")  # overlaps a: 0..20 covered
    store.codings.add(tid, 5, 20, "kracht", "bert")  # another coder, same span: still 0..20
    store.codings.add(tid, 40, 50, "rol", "anna")
    assert (summary().codings, summary().coded_chars) == (4, 30)
    store.codings.remove(a.id)
    assert (summary().codings, summary().coded_chars) == (3, 25)
    store.codings.restore(a)
    assert (summary().codings, summary().coded_chars) == (4, 30)


def test_store_find_overlapping_and_by_coder(store):
    tid = store.transcripts.add(transcript())
    store.codings.add(tid, 0, 10, "rol", "anna")
    store.codings.add(tid, 10, 20, "kracht", "bert")
    store.codings.add(tid, 30, 40, "rol", "bert")
    assert [c.start for c in store.codings.find(tid, overlapping=(9, 11))] == [0, 10]
    assert [c.start for c in store.codings.find(tid, overlapping=(20, 30))] == []
    assert [c.start for c in store.codings.find(coders=["bert"], code_ids=["rol"])] == [30]
    assert store.codings.counts_by_code(coders=["bert"]) == {"kracht": 1, "rol": 1}


def test_store_apply_roles_re_applies_a_changed_interviewer_rule(store):
    tid = store.transcripts.add(transcript())
    assert [t.role for t in store.transcripts.turns(tid)] == ["interviewer", "respondent"]
    changed = store.transcripts.apply_roles(lambda speaker, _: "interviewer" if speaker in ("I", "R") else "respondent")
    assert changed == 1
    assert [t.role for t in store.transcripts.turns(tid)] == ["interviewer", "interviewer"]
    assert store.transcripts.apply_roles(lambda speaker, _: "interviewer") == 0  # nothing left to change


def _version_2_database(path) -> None:
    """A database as qualcode wrote it before team coding (migrations 0001 and 0002)."""
    conn = database_before(path, migrations.MIGRATIONS[2][0])
    conn.execute(
        "INSERT INTO transcripts (id, name, source_format, content_hash, text, imported_at) VALUES (1, 't1', 'txt', 'h', ?, 'then')",
        (TEXT,),
    )
    conn.execute("INSERT INTO turns VALUES (1, 1, 'I', 'interviewer', 0, 32, NULL, NULL)")
    conn.execute("INSERT INTO codes (id, name) VALUES ('rol', 'Rol')")
    for cid, start, end, coder in [(1, 0, 10, "anna"), (7, 5, 20, "bert")]:
        conn.execute(
            "INSERT INTO codings (id, transcript_id, start, end, code_id, coder, quote, created_at, updated_at)"
            " VALUES (?, 1, ?, ?, 'rol', ?, 'q', 'then', 'then')",
            (cid, start, end, coder),
        )
    conn.execute(
        "INSERT INTO suggestions (transcript_id, start, end, code_id, suggester, status, coding_id, decided_by, created_at)"
        " VALUES (1, 5, 20, 'rol', 'rules', 'accepted', 7, 'carla', 'then')"
    )
    conn.commit()
    conn.close()


def test_store_migrates_a_version_2_database_keeping_every_coding(tmp_path):
    path = tmp_path / "q.db"
    _version_2_database(path)
    with Store(path) as s:
        assert [(c.id, c.start, c.coder) for c in s.codings.find()] == [(1, 0, "anna"), (7, 5, "bert")]
        assert s.suggestions.find()[0].coding_id == 7  # the link survived the table's rebuild
        assert s.coders.names() == ["anna", "bert", "carla"]
        summary = s.transcripts.summaries()[0]
        assert (summary.chars, summary.turns, summary.codings, summary.coded_chars) == (len(TEXT), 1, 2, 20)
        assert s.codings.add(1, 30, 32, "rol", "anna").coding.id == 8  # after the highest id ever used


def deny_writing(monkeypatch, *paths) -> None:
    """Make ``paths`` read-only as the operating system reports it.

    chmod alone cannot do it here: the tests run as root, who may write anything; a
    read-only mount or another user's file looks like this to qualcode.
    """
    import os

    from qualcode.store import db

    denied = {str(p) for p in paths}
    real = os.access
    monkeypatch.setattr(db.os, "access", lambda p, mode: False if mode == os.W_OK and str(p) in denied else real(p, mode))


def test_store_read_only_file_can_be_browsed_and_says_why_it_cannot_be_written(tmp_path, monkeypatch):
    path = tmp_path / "q.db"
    with Store(path) as s:
        s.codes.sync(book("rol"))
        tid = s.transcripts.add(transcript())
        s.codings.add(tid, 0, 10, "rol", "anna")
    deny_writing(monkeypatch, path)
    with Store(path) as s:
        assert s.read_only == "file"
        assert len(s.codings.find()) == 1 and s.transcripts.summaries()[0].codings == 1
        with pytest.raises(QualcodeError) as caught:
            s.codings.add(tid, 12, 20, "rol", "anna")
        assert caught.value.code == "QC008" and "read-only" in caught.value.message and "file" in caught.value.message
        assert s.codes.sync(book("rol", "nieuw")).skipped  # out of date, left as it is


def test_store_read_only_folder_is_named_as_the_reason(tmp_path, monkeypatch):
    folder = tmp_path / "p"
    folder.mkdir()
    path = folder / "q.db"
    with Store(path) as s:
        s.codes.sync(book("rol"))
        s.transcripts.add(transcript())
    for leftover in folder.glob("q.db-*"):
        leftover.unlink()  # closed cleanly: no -wal/-shm, as a copied project would be
    deny_writing(monkeypatch, folder)
    with Store(path) as s:
        assert s.read_only == "folder"
        assert list(s.transcripts.names().values()) == ["t1"]
        with pytest.raises(QualcodeError, match="folder"):
            s.settings.set("x", "1")


def test_store_spans_and_quotes_are_right_in_a_text_with_a_nul_character(store):
    text = "Voor\x00na: de wijk en de moskee."
    tid = store.transcripts.add(Transcript("nul", text, [Turn(1, None, 0, len(text))]))
    coding = store.codings.add(tid, 9, len(text), "rol", "anna").coding
    assert coding.quote == text[9:]
    assert store.transcripts.summaries()[0].chars == len(text)
    with pytest.raises(QualcodeError):
        store.codings.add(tid, 0, len(text) + 1, "rol", "anna")


def test_store_erase_freed_pages_leaves_no_replaced_text_in_the_file(tmp_path):
    path = tmp_path / "q.db"
    secret = "Fatima-Oubaha-" * 2000  # spans many pages
    with Store(path) as s:
        tid = s.transcripts.add(transcript("t1", secret))
        s.transcripts.replace_content(tid, transcript("t1", "[persoon 1] " * 10))
        leaked = b"".join(p.read_bytes() for p in tmp_path.glob("q.db*"))
        assert b"Fatima-Oubaha" in leaked  # what SQLite leaves behind on its own
        s.erase_freed_pages()
        assert b"Fatima-Oubaha" not in b"".join(p.read_bytes() for p in tmp_path.glob("q.db*"))


def test_store_add_takes_hash_and_words_the_caller_computed(store):
    text = "I: Hoe gaat het?\nR: Goed, dank je."
    turns = [Turn(1, "I", 3, 16), Turn(2, "R", 20, 35)]
    plain = Transcript(name="gewoon", text=text, turns=turns)
    given = Transcript(name="gegeven", text=text + " ", turns=turns)
    store.transcripts.add(plain)
    store.transcripts.add(given, content_hash=given.content_hash, words=given.word_count)
    words = {info.name: info.words for info in store.transcripts.infos()}
    assert words == {"gegeven": 6, "gewoon": 6}
    assert store.transcripts.id_by_hash(plain.content_hash) == plain.id
    assert store.transcripts.id_by_hash(given.content_hash) == given.id


def test_store_summary_kept_by_single_writes_equals_a_full_recount():
    """add/remove/restore count themselves in and out (only the overlapping codings are read);
    after any sequence the transcript's summary is what a full recount gives."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from qualcode.store.codings import refresh_summaries

    spans = st.tuples(st.integers(0, len(TEXT) - 1), st.integers(1, 20)).map(lambda p: (p[0], min(len(TEXT), p[0] + p[1])))
    step = st.tuples(
        st.sampled_from(["add", "add", "remove", "undo"]), spans, st.sampled_from(["rol", "kracht"]), st.sampled_from("ab")
    )

    @settings(max_examples=150, deadline=None)
    @given(st.lists(step, max_size=25))
    def check(steps):
        s = Store(":memory:")
        s.codes.sync(book("rol", "kracht"))
        tid = s.transcripts.add(transcript())
        removed = []
        for kind, (start, end), code, coder in steps:
            present = s.codings.find(tid)
            if kind == "add":
                s.codings.add(tid, start, end, code, coder)
            elif kind == "remove" and present:
                removed.append(s.codings.remove(present[start % len(present)].id))
            elif kind == "undo" and removed:
                back = removed.pop()
                if not any(
                    (c.start, c.end, c.code_id, c.coder) == (back.start, back.end, back.code_id, back.coder) for c in present
                ):
                    s.codings.restore(back)  # (an undo finds the span coded again: History reports that conflict)
        kept = s.transcripts.summaries()[0]
        with s._db.transaction() as db:  # the store's own full recount, as after a migration
            refresh_summaries(db, (tid,))
        recounted = s.transcripts.summaries()[0]
        assert (kept.codings, kept.coded_chars) == (recounted.codings, recounted.coded_chars)
        s.close()

    check()


def test_store_replace_pending_keeps_ids_writes_changes_and_leaves_decided_rows(store):
    tid = store.transcripts.add(transcript())
    first = [(34, 60, "rol", "rules", 0.6, "a"), (61, 75, "kracht", "rules", 0.5, "b"), (34, 60, "kracht", "rules", 0.4, "c")]
    assert store.suggestions.replace_pending(tid, first) == (3, 0, 0)
    ids = {(s.start, s.end, s.code_id): s.id for s in store.suggestions.find(tid)}
    store.suggestions.reject(ids[(34, 60, "kracht")], "anna")
    again = [
        (34, 60, "rol", "rules", 0.6, "a"),  # unchanged
        (61, 75, "kracht", "rules+learned", 0.7, "b2"),  # changed
        (34, 60, "kracht", "rules", 0.9, "c2"),  # decided before: ignored
        (61, 75, "rol", "rules", 0.5, "d"),  # new
    ]
    assert store.suggestions.replace_pending(tid, again) == (1, 2, 0)
    rows = {(s.start, s.end, s.code_id): s for s in store.suggestions.find(tid)}
    assert {key: s.id for key, s in rows.items() if key in ids} == ids  # ids kept
    assert (rows[(61, 75, "kracht")].suggester, rows[(61, 75, "kracht")].score, rows[(61, 75, "kracht")].reason) == (
        "rules+learned",
        0.7,
        "b2",
    )
    assert (rows[(34, 60, "kracht")].status, rows[(34, 60, "kracht")].score, rows[(34, 60, "kracht")].reason) == (
        "rejected",
        0.4,
        "c",
    )
    assert rows[(61, 75, "rol")].status == "pending"
    assert store.suggestions.replace_pending(tid, again[:1]) == (0, 1, 2)
    assert sorted(s.code_id for s in store.suggestions.find(tid)) == ["kracht", "rol"]  # the rejected one stays


def test_store_place_moves_a_coding_onto_a_span_another_leaves_in_the_same_step(store):
    tid = store.transcripts.add(transcript())
    first = store.codings.add(tid, 0, 5, "rol", "anna").coding.id
    second = store.codings.add(tid, 10, 15, "rol", "anna").coding.id
    other = store.codings.add(tid, 20, 25, "kracht", "anna").coding.id
    # ``first`` takes the span ``second`` still holds: one at a time, the unique key would break.
    store.codings.place(tid, TEXT, [(first, 10, 15), (second, 20, 25), (other, 20, 25)], {first: "verplaatst"})
    moved = {c.id: (c.start, c.end, c.quote, c.memo) for c in store.codings.find(transcript_id=tid)}
    assert moved == {
        first: (10, 15, TEXT[10:15], "verplaatst"),
        second: (20, 25, TEXT[20:25], None),
        other: (20, 25, TEXT[20:25], None),
    }
    with pytest.raises(RuntimeError, match="1 coding"):  # a coding left without a span: nothing written
        store.codings.place(tid, TEXT, [(first, 0, 5), (second, 10, 15)], {})
    assert {c.id: c.start for c in store.codings.find(transcript_id=tid)} == {first: 10, second: 20, other: 20}


def test_store_export_reads_are_the_rows_and_turns_as_plain_tuples(store):
    from dataclasses import astuple

    from qualcode.store import CodingFilter

    tid = store.transcripts.add(transcript())
    other = store.transcripts.add(transcript("t2", TEXT + " Meer."))
    for start, end, code, coder in [
        (34, 60, "rol", "bram"),
        (0, 10, "kracht", "anna"),
        (34, 60, "kracht", "anna"),
        (0, 10, "rol", "b"),
    ]:
        store.codings.add(tid, start, end, code, coder)
    store.codings.add(other, 0, 5, "rol", "anna")
    assert store.transcripts.turn_rows(tid) == [astuple(t) for t in store.transcripts.turns(tid)]
    for flt in (CodingFilter(), CodingFilter.of(None, ["rol"], None), CodingFilter.of(None, None, ["anna", "b"])):
        rows = list(store.codings.rows(tid, flt))
        assert list(store.codings.span_quotes(tid, flt)) == [(r.start, r.end, r.code_id, r.quote) for r in rows]
    assert [r[:3] for r in store.codings.span_quotes(tid)] == [
        (0, 10, "kracht"),
        (0, 10, "rol"),
        (34, 60, "kracht"),
        (34, 60, "rol"),
    ]


@pytest.mark.parametrize("fails", [False, True])
def test_store_bulk_transaction_undoes_a_failed_statement_alone_and_restores_the_setting(tmp_path, fails):
    """A bulk transaction (an import's) keeps statement journals in memory: a statement that
    fails half-way is still undone alone, the rest commits or rolls back as a whole, and the
    connection's temp_store is as it was afterwards."""
    turn = Turn(1, "I", 0, 3)
    with Store(tmp_path / "q.db") as store:
        conn = store._db.conn
        before = conn.execute("PRAGMA temp_store").fetchone()[0]
        with pytest.raises(RuntimeError) if fails else contextlib.nullcontext():
            with store.transaction(bulk=True):
                assert conn.execute("PRAGMA temp_store").fetchone()[0] == 2  # MEMORY
                tid = store.transcripts.add(Transcript("t", "Ja. Nee.", [turn], {}))
                # One statement of two rows (through the turn triggers), the second breaking a CHECK.
                rows = (tid, 2, "R", None, 4, 8, None, None, 1, tid, 3, "R", None, 8, 2, None, None, 1)
                with pytest.raises(sqlite3.IntegrityError):
                    conn.execute("INSERT INTO turns VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
                assert [u.index for u in store.transcripts.turns(tid)] == [1]  # its first row is undone
                assert store.transcripts.stored_units(tid) is not None  # and what its triggers deleted is back
                if fails:
                    raise RuntimeError("stop")
        assert conn.execute("PRAGMA temp_store").fetchone()[0] == before
        assert [t.name for t in store.transcripts.infos()] == ([] if fails else ["t"])


@pytest.mark.parametrize("count", [0, 1, 99, 100, 101, 250])
def test_store_turns_written_a_hundred_at_a_time_come_back_as_given(tmp_path, count):
    """Turns are written a hundred per statement and the rest one by one: every turn, with
    its times, role and words, in order, whatever their number (also when a text is replaced)."""
    pieces = [f"w{i} x" for i in range(count)]
    text = "\n".join(pieces)
    starts = [sum(len(piece) + 1 for piece in pieces[:i]) for i in range(count)]
    turns = [
        Turn(i + 1, "I" if i % 2 else "R", start, start + len(pieces[i]), i * 1.1 if i % 3 else None, None, "respondent")
        for i, start in enumerate(starts)
    ]
    with Store(tmp_path / "q.db") as store:
        tid = store.transcripts.add(Transcript("t", text, turns, {}))
        assert store.transcripts.turns(tid) == turns
        starts, ends, labels, words = store.transcripts.turn_layout(tid, "speaker")
        assert (starts, ends, labels) == ([t.start for t in turns], [t.end for t in turns], [t.speaker for t in turns])
        assert sum(words.values()) == 2 * count
        fewer = turns[: count // 2]
        store.transcripts.replace_content(tid, Transcript("t", text + " ", fewer, {}))
        assert store.transcripts.turns(tid) == fewer


def test_store_transcript_listings_are_read_from_an_index_not_the_rows(tmp_path):
    """The transcripts list, an export's sources, the last change and the sizes never read a
    row of `transcripts`: the columns after its text (words, counts, dates, GUID) are reached
    only through every text's overflow pages, so listing names would read every text."""
    path = tmp_path / "q.db"
    with Store(path) as store:
        store.codes.sync(book("rol"))
        tid = store.transcripts.add(transcript())
        store.codings.add(tid, 34, 40, "rol", "anna")
        conn = store._db.conn
        statements: list[str] = []
        conn.set_trace_callback(statements.append)
        summaries, refs = store.transcripts.summaries(), store.transcripts.refs()
        last, infos = store.transcripts.last_change(), store.transcripts.infos()
        conn.set_trace_callback(None)
        reads = [s for s in statements if "FROM transcripts" in s]
        assert len(reads) >= 4
        for sql in reads:
            plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql)]
            scans = [step for step in plan if " transcripts " in f"{step} "]
            assert scans and all("COVERING INDEX transcripts_summaries" in step for step in scans), (sql, plan)
    assert [(s.name, s.turns, s.words, s.chars, s.codings, s.coded_chars, s.source_hash) for s in summaries] == [
        ("t1", 2, 14, len(TEXT), 1, 6, "abc")
    ]
    assert [(r.name, r.guid) for r in refs] == [("t1", None)]
    # The coding's time, or the import's when the clock did not tick between them.
    assert last is not None and last >= refs[0].imported_at
    assert [(i.name, i.words, i.chars) for i in infos] == [("t1", 14, len(TEXT))]


def test_store_upgrade_to_0015_replaces_the_sizes_index(tmp_path):
    """A project of migration 0014 gets the summaries index in place of the sizes one."""
    path = tmp_path / "q.db"
    with closing(database_before(path, "0015_transcript_summaries")) as raw:
        raw.commit()
    with Store(path) as store:
        assert "0015_transcript_summaries" in store.applied_migrations()
        store.transcripts.add(transcript())
        assert [s.name for s in store.transcripts.summaries()] == ["t1"]
    with sqlite3.connect(path) as raw:
        indexes = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'transcripts' AND type = 'index'")}
    assert "transcripts_summaries" in indexes and "transcripts_sizes" not in indexes


def test_store_upgrade_to_0016_reads_the_last_change_from_an_index(tmp_path):
    """A project of migration 0015 gets an index of its codings' change times; the last
    change is read from it and is the same: the latest coding's, or a transcript's."""
    path = tmp_path / "q.db"
    with closing(database_before(path, "0016_codings_last_change")) as raw:
        raw.commit()
    with Store(path) as store:
        assert "0016_codings_last_change" in store.applied_migrations()
        store.codes.sync(book("rol"))
        tid = store.transcripts.add(transcript())
        imported = store.transcripts.last_change()
        store.codings.add(tid, 0, 10, "rol", "anna")
        latest = store._db.scalar("SELECT max(updated_at) FROM codings")
        assert store.transcripts.last_change() == max(imported, latest)
        plan = " ".join(str(r[-1]) for r in store._db.execute("EXPLAIN QUERY PLAN SELECT max(updated_at) FROM codings"))
    assert "codings_updated" in plan  # not a scan of every coding's row
