"""The units the store keeps for agreement (migration 0012_sentence_bounds: each
transcript's content spans and sentences) are always those the current text and turns
give: through every kind of write, when missing, when made under other rules, and in an
older project when it is opened. Agreement reads them and gives the figures it gave when
it read every turn and split it itself."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_store_words_properties import CODEBOOK, run, scripts, turns_of
from test_team_study import all_spans, project  # noqa: F401 - the fixture

from qualcode.agreement import CHARACTER, SENTENCE, TURN, Document, compute, document_units
from qualcode.agreement.runs import Regions, Units
from qualcode.agreement.units import stored_units, units_of
from qualcode.codebook import parse_codebook
from qualcode.model import Coding, Transcript, Turn
from qualcode.store import Store
from qualcode.store.transcripts import _ints
from qualcode.team.study import project_agreement
from qualcode.text import SENTENCE_RULES, content_spans, sentences_in

TEXT = "I: Hoe ging dat? Vertel.\nR: Nou, bijv. de school. Ik ben nu... acht jaar hier (lacht). Ja!\nI: En toen?"
TURNS = [Turn(1, "I", 3, 24), Turn(2, "R", 28, 87), Turn(3, "I", 91, 100)]


def stored(path: Path) -> dict[int, tuple[int, list[tuple[int, int]], list[tuple[int, int]]]]:
    """Each stored row: its rules, content spans and sentences."""
    with sqlite3.connect(path) as raw:
        rows = raw.execute("SELECT * FROM unit_bounds").fetchall()
    return {tid: (rules, _spans(a, b), _spans(c, d)) for tid, rules, a, b, c, d in rows}


def _spans(starts: bytes, ends: bytes) -> list[tuple[int, int]]:
    return list(zip(_ints(starts), _ints(ends), strict=True))


def read(store: Store, tids) -> dict[int, tuple[list[tuple[int, int]], list[tuple[int, int]]]]:
    """The content spans and sentences the store gives for each transcript."""
    turns = {tid: list(zip(a, b, strict=True)) for tid, a, b in store.transcripts.turn_bounds(tids)}
    return {tid: (turns[tid], list(zip(a, b, strict=True))) for tid, a, b in store.transcripts.sentence_bounds(tids)}


def expected(store: Store, tid: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    text = store.transcripts.text(tid)
    content = content_spans([(u.start, u.end) for u in store.transcripts.turns(tid)], len(text))
    return content, sentences_in(text, content)


def test_sentence_bounds_kept_on_add_are_the_agreement_units(tmp_path):
    path = tmp_path / "q.db"
    with Store(path) as store:
        tid = store.transcripts.add(Transcript("t", TEXT, TURNS, {}))
        bare = store.transcripts.add(Transcript("zonder beurten", "Geen beurten. Wel zinnen.", [], {}))
        units = document_units(TEXT, TURNS, SENTENCE)
        assert [TEXT[a:b] for a, b in units][:4] == [
            "Hoe ging dat?",
            "Vertel.",
            "Nou, bijv. de school.",
            "Ik ben nu... acht jaar hier (lacht).",
        ]
        turns = document_units(TEXT, TURNS, TURN)
        assert read(store, [tid, bare]) == {tid: (turns, units), bare: ([(0, 25)], [(0, 13), (14, 25)])}
    assert set(stored(path)) == {tid, bare}


def test_sentence_bounds_dropped_by_every_change_of_text_or_turns_and_split_again(tmp_path):
    path = tmp_path / "q.db"
    with Store(path) as store:
        tid = store.transcripts.add(Transcript("t", TEXT, TURNS, {}))
        other = store.transcripts.add(Transcript("u", TEXT + " ", TURNS, {}))
    changes = [
        "UPDATE transcripts SET text = text || ' Nog een zin.' WHERE id = {tid}",
        "UPDATE turns SET end = end - 4 WHERE transcript_id = {tid} AND idx = 2",
        "DELETE FROM turns WHERE transcript_id = {tid} AND idx = 3",
        "INSERT INTO turns (transcript_id, idx, start, end) VALUES ({tid}, 9, 91, 100)",
        "UPDATE turns SET role = 'x' WHERE transcript_id = {tid}",  # not a change of place: kept
    ]
    for sql in changes:
        with Store(path) as store:
            store.transcripts.replace_content(tid, Transcript("t", TEXT, TURNS, {}))  # stored again
        assert set(stored(path)) == {tid, other}
        with sqlite3.connect(path) as raw:
            raw.execute(sql.format(tid=tid))
        assert set(stored(path)) == ({tid, other} if "role" in sql else {other})
        with Store(path) as store:
            assert read(store, [tid, other]) == {tid: expected(store, tid), other: expected(store, other)}
    with Store(path) as store:
        store.trash.put_transcript(tid)
        assert set(stored(path)) == {other}
        store.trash.restore(store.trash.items()[0].id)
        restored = next(iter(set(store.transcripts.names()) - {other}))
        assert read(store, [restored]) == {restored: expected(store, restored)}
        assert stored(path)[restored][1:] == expected(store, restored)  # stored again with it
        assert expected(store, restored)[1] == document_units(TEXT, TURNS, SENTENCE)


def test_sentence_bounds_under_other_rules_are_not_read(tmp_path):
    path = tmp_path / "q.db"
    with Store(path) as store:
        tid = store.transcripts.add(Transcript("t", TEXT, TURNS, {}))
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE unit_bounds SET rules = ?, turn_starts = x'', sentence_starts = x''", (SENTENCE_RULES - 1,))
    with Store(path) as store:
        assert read(store, [tid]) == {tid: (document_units(TEXT, TURNS, TURN), document_units(TEXT, TURNS, SENTENCE))}


def test_sentence_bounds_older_project_gets_them_when_opened(tmp_path):
    path = tmp_path / "q.db"
    with Store(path) as store:
        tid = store.transcripts.add(Transcript("t", TEXT, TURNS, {}))
    with sqlite3.connect(path) as raw:  # as qualcode wrote it before 0012
        raw.executescript(
            "DROP TABLE unit_bounds; DELETE FROM schema_migrations WHERE name = '0012_sentence_bounds';"
            + "".join(
                f"DROP TRIGGER {name};"
                for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE name LIKE 'unit_bounds_%'")
            )
        )
    with Store(path) as store:
        assert "0012_sentence_bounds" in store.applied_migrations()
    assert set(stored(path)) == {tid}
    with Store(path) as store:
        assert read(store, [tid]) == {tid: expected(store, tid)}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scripts())
def test_sentence_bounds_stay_exact_through_every_write(script):
    """The writes of the word-position property test (codings added, moved, trashed;
    transcripts re-imported, pseudonymised, trashed and restored): every stored row is
    the current text's, and every transcript's units read are."""
    start_texts, steps = script
    book, _ = parse_codebook(CODEBOOK)
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "qualcode.db"
        with Store(db) as store:
            store.codes.sync(book)
            for i, text in enumerate(start_texts):
                store.transcripts.add(Transcript(f"t{i}", text + ". Zin twee. En drie", turns_of(text, i + 5), {}))
            removed: list[Coding] = []
            for op, n, piece in steps:
                before = sorted(store.transcripts.names())
                run(store, book, op, n, piece, removed)
                tids = list(store.transcripts.names())
                truth = {tid: expected(store, tid) for tid in tids}
                assert read(store, tids) == truth
                kept = stored(db)
                for tid, (rules, content, sentences) in kept.items():
                    assert rules == SENTENCE_RULES and (content, sentences) == truth[tid]
                if op in ("edit", "exact") and before:  # a rewritten transcript's are stored with it
                    assert before[n % len(before)] in kept


spans_lists = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 12)).map(lambda p: (p[0], p[0] + p[1])), max_size=12)


@given(spans_lists, st.integers(0, 80), st.sampled_from([CHARACTER, TURN]))
def test_sentence_bounds_stored_units_equal_those_of_the_turns(turns, length, unit):
    """Units built from the content spans (touching ones merged only for characters) are
    those :func:`units_of` gives; for characters the regions are apart, not touching."""
    content = content_spans(turns, length)
    built = stored_units([a for a, _ in content], [b for _, b in content], unit)
    reference = units_of(content, unit, str)
    if unit == CHARACTER:
        assert isinstance(built, Regions)
        want = Regions(reference)
        assert (list(built.starts), list(built.ends), list(built.before)) == (
            list(want.starts),
            list(want.ends),
            list(want.before),
        )
        assert (built.total, built.first, built.last) == (want.total, want.first, want.last)
    else:
        assert isinstance(built, Units) and list(zip(built.starts, built.ends, strict=True)) == reference


@pytest.mark.parametrize("coders", [["anna", "bram"], ["anna", "bram", "chen"]])
def test_sentence_bounds_agreement_by_sentence_same_whether_stored_or_split(project, coders):  # noqa: F811
    store = project.store
    documents = [
        Document(tid, name, document_units(store.transcripts.text(tid), store.transcripts.turns(tid), SENTENCE))
        for tid, name in store.transcripts.names().items()
    ]
    split = compute(all_spans(project), documents, coders, unit=SENTENCE)
    assert project_agreement(project, coders=coders, unit=SENTENCE).rows == split.rows
    store.transcripts._db.execute("DELETE FROM unit_bounds")  # as a project whose rows are not made yet
    assert project_agreement(project, coders=coders, unit=SENTENCE).rows == split.rows
