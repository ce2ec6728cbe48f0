"""The turn the store keeps with each coding (migration 0013_coding_turn): computed as the
statistics define it, forgotten whenever a coding moves or a turn changes, found from
the turns where it is not computed, and frequencies by speaker that add up per turn only
where that is exact."""

from __future__ import annotations

import csv
import io
import sqlite3
from contextlib import closing

import pytest
from conftest import database_before

from qualcode.analysis import frequencies
from qualcode.codebook import parse_codebook
from qualcode.model import Transcript, Turn
from qualcode.reanchor import Placement
from qualcode.store import Store
from qualcode.store.codings import turn_places

CODEBOOK = """\
title: Beurten
codes:
  - id: a
    name: A
  - id: b
    name: B
"""
TEXT = "Hoe gaat het? Goed, zegt zij. En de school? Die helpt ons. Verder niets."


def _turn(i: int, speaker: str | None, start: int, end: int) -> Turn:
    return Turn(i, speaker, start, end, role={"I": "interviewer", "R": "respondent"}.get(speaker or ""))


# Turns with a gap before the first, between turns 2 and 3 and after the last.
TURNS = [_turn(1, "I", 2, 13), _turn(2, "R", 14, 28), _turn(3, None, 30, 43), _turn(4, "R", 44, 58)]


def _rows(turns: list[Turn]) -> list[tuple[int, int, str | None, str | None]]:
    return [(t.start, t.end, t.speaker, t.role) for t in turns]


@pytest.mark.parametrize(
    ("span", "place"),
    [
        ((0, 2), (1, None, None)),  # before the first turn
        ((2, 13), (1, "I", "interviewer")),  # exactly a turn
        ((5, 20), (0, "I", "interviewer")),  # starts in one turn, reaches into the next
        ((13, 14), (1, None, None)),  # between two turns
        ((13, 16), (0, "R", "respondent")),  # from a gap into a turn: counted in that turn
        ((29, 35), (0, None, None)),  # into a turn without a speaker
        ((31, 40), (1, None, None)),
        ((60, 65), (1, None, None)),  # after the last turn
    ],
)
def test_turn_places_first_turn_overlapped_and_fit(span, place):
    assert turn_places(_rows(TURNS), [span]) == [place]


def test_turn_places_nothing_fits_where_turn_ends_do_not_ascend():
    nested = [_turn(1, "I", 0, 70), _turn(2, "R", 5, 9), _turn(3, "R", 10, 14)]
    assert [fit for fit, *_ in turn_places(_rows(nested), [(10, 14), (8, 12), (0, 3)])] == [0, 0, 0]
    assert turn_places([], [(0, 5)]) == [(1, None, None)]  # no turns: every span lies outside


@pytest.fixture
def store(tmp_path):
    book, _ = parse_codebook(CODEBOOK)
    with Store(tmp_path / "q.db") as store:
        store.codes.sync(book)
        tid = store.transcripts.add(Transcript("t", TEXT, TURNS, {}))
        for start, end in ((0, 2), (2, 13), (5, 20), (13, 16), (31, 40), (60, 65)):
            store.codings.add(tid, start, end, "a", "anna")
        yield store


def _kept(store: Store) -> list[tuple]:
    with sqlite3.connect(store._db.path) as raw:
        return raw.execute("SELECT start, end, turn_fit, turn_speaker, turn_role FROM codings ORDER BY start").fetchall()


def _expected(store: Store) -> list[tuple]:
    spans = [(s, e) for s, e, *_ in _kept(store)]
    turns = _rows(store.transcripts.turns(1))
    return [(s, e, *place) for (s, e), place in zip(spans, turn_places(turns, spans), strict=True)]


def test_coding_turn_kept_with_every_new_coding(store):
    assert _kept(store) == _expected(store)
    assert [row[2:] for row in _kept(store)][:3] == [(1, None, None), (1, "I", "interviewer"), (0, "I", "interviewer")]


def test_coding_turn_computed_again_after_a_move_or_a_turn_change(store):
    store.codings.relocate(  # (13, 16) moves within turn 2, as a re-import may move it
        1,
        TEXT,
        [Placement(c, *((15, 20) if c.start == 13 else (c.start, c.end)), "moved") for c in store.codings.find(1)],
    )
    assert _kept(store) == _expected(store)
    assert (15, 20, 1, "R", "respondent") in _kept(store)
    assert store.transcripts.apply_roles(lambda speaker, _: "respondent") == 2  # the turns of I and of no one
    assert _kept(store) == _expected(store)
    assert {row[4] for row in _kept(store)} == {"respondent", None}


def test_coding_turn_forgotten_by_every_turn_write_and_by_a_copied_row(store):
    with sqlite3.connect(store._db.path) as raw:

        def unknown() -> int:
            return raw.execute("SELECT count(*) FROM codings WHERE turn_fit IS NULL").fetchone()[0]

        for sql in (
            "UPDATE turns SET speaker = 'X' WHERE idx = 2",
            "UPDATE turns SET end = 29 WHERE idx = 2",
            "DELETE FROM turns WHERE idx = 4",
            "INSERT INTO turns (transcript_id, idx, speaker, role, start, end) VALUES (1, 4, 'R', NULL, 44, 58)",
        ):
            raw.execute("UPDATE codings SET turn_fit = 1")
            raw.execute(sql)
            assert unknown() == 6, sql
        raw.execute("UPDATE codings SET turn_fit = 1")
        raw.execute("UPDATE codings SET end = 3 WHERE start = 0")
        assert unknown() == 1
        raw.execute(
            "INSERT INTO codings (transcript_id, start, end, code_id, coder, quote, created_at, updated_at, turn_fit,"
            " turn_speaker) VALUES (1, 3, 4, 'a', 'bram', 'x', '', '', 1, 'R')"
        )
        assert unknown() == 2  # a value brought along by an insert is not trusted


def test_code_columns_labels_from_the_store_or_from_the_turns(store):
    def read(label: str) -> list[tuple]:
        [batch] = list(store.codings.code_columns(turn_label=label))
        [column] = batch.codes
        p = batch.packing
        starts = [(o - p.pad) // p.scale for o in column.openings]
        assert column.labels is not None
        return sorted(zip(starts, column.labels, strict=True)) + [("reaching", column.reaching)]

    stored = {label: read(label) for label in ("speaker", "role")}
    assert stored["speaker"] == [(0, None), (2, "I"), (5, "I"), (13, "R"), (31, None), (60, None), ("reaching", 2)]
    with sqlite3.connect(store._db.path) as raw:
        raw.execute("UPDATE codings SET turn_fit = NULL, turn_speaker = 'stale' WHERE start IN (5, 31)")
    assert {label: read(label) for label in ("speaker", "role")} == stored
    [batch] = list(store.codings.code_columns())
    assert batch.codes[0].labels is None  # without a turn label: none read
    with pytest.raises(ValueError, match="no turn label"):
        next(store.codings.code_columns(turn_label="coder"))


def test_label_words_per_label_and_transcript_as_turn_layout(store):
    # R speaks in two roles here (as an import may have stored them): one speaker, its words added up.
    turns = [_turn(1, "R", 0, 20), _turn(2, "", 21, 30), Turn(3, "R", 31, 43, role="interviewer")]
    tid2 = store.transcripts.add(Transcript("u", TEXT + " 2", turns, {}))
    for label in ("speaker", "role"):
        want = [(value, tid, words) for tid in (1, tid2) for value, words in store.transcripts.turn_layout(tid, label)[3].items()]
        assert sorted(store.transcripts.label_words(label), key=repr) == sorted(want, key=repr)
    assert store.transcripts.label_words("speaker", [tid2]) == [("", tid2, 2), ("R", tid2, 4 + 3)]
    with sqlite3.connect(store._db.path) as raw:  # a row another version wrote: words not counted
        raw.execute("UPDATE turns SET words = NULL WHERE transcript_id = 1")
    assert ("R", 1, store.transcripts.turn_layout(1, "speaker")[3]["R"]) in store.transcripts.label_words("speaker")
    with pytest.raises(ValueError, match="no turn label"):
        store.transcripts.label_words("coder")


def test_frequencies_by_speaker_totals_exact_where_turns_nest(tmp_path):
    # Turn ends 70, 9, 14 do not ascend: a coding counted in turn 1 (I) overlaps one counted
    # in turn 3 (R). Added up per speaker they would be two segments; the branch is one.
    book, _ = parse_codebook(CODEBOOK)
    with Store(tmp_path / "q.db") as store:
        store.codes.sync(book)
        nested = [_turn(1, "I", 0, 70), _turn(2, "R", 5, 9), _turn(3, "R", 10, 14)]
        tid = store.transcripts.add(Transcript("t", TEXT, nested, {}))
        store.codings.add(tid, 8, 12, "a", "anna")
        store.codings.add(tid, 10, 14, "a", "anna")
        table = frequencies(store, book, by="speaker")
        a = table.row("a")
        assert (a.total.codings, a.total.segments, a.total.chars) == (2, 1, 6)
        assert {name: (m.codings, m.segments) for name, m in a.groups.items()} == {"I": (1, 1), "R": (1, 1)}


def test_frequencies_by_speaker_a_coding_reaching_into_the_next_turn(store):
    # (5, 20) starts in I's turn and reaches into R's, where (13, 16) lies: one stretch in all.
    book, _ = parse_codebook(CODEBOOK)
    table = frequencies(store, book, by="speaker")
    a = table.row("a")
    assert (a.total.codings, a.total.segments, a.total.transcripts) == (6, 4, 1)
    assert {name: (m.codings, m.segments) for name, m in a.groups.items()} == {
        "I": (2, 1),
        "R": (1, 1),
        # (0, 2) and (60, 65), and (31, 40) in turn 3, which has neither speaker nor role (import
        # gives every turn a role: read as outside every turn): nobody's words, nor the next speaker's
        "(outside turns)": (3, 3),
    }
    # (no speaker): turn 3's words, without codings
    assert [(g.name, g.transcripts) for g in table.groups] == [("I", 1), ("R", 1), ("(no speaker)", 1), ("(outside turns)", 1)]


def test_coding_turn_forgotten_by_an_added_turn_after_the_upgrade_to_0014(tmp_path):
    """A project of migration 0013 gets the trigger that looks before it writes (0014), and a
    turn added to a transcript still forgets its codings' turns, and only theirs."""
    path = tmp_path / "q.db"
    with closing(database_before(path, "0014_turn_added_when_known")) as raw:
        raw.commit()
    book, _ = parse_codebook(CODEBOOK)
    with Store(path) as store:
        assert "0014_turn_added_when_known" in store.applied_migrations()
        store.codes.sync(book)
        coded = store.transcripts.add(Transcript("t", TEXT, TURNS, {}))
        other = store.transcripts.add(Transcript("u", TEXT + " ", TURNS, {}))
        for tid in (coded, other):
            store.codings.add(tid, 2, 13, "a", "anna")
    with sqlite3.connect(path) as raw:
        trigger = raw.execute("SELECT sql FROM sqlite_master WHERE name = 'turns_coding_turn_added'").fetchone()[0]
        assert "WHEN EXISTS" in trigger

        def fits() -> list[tuple]:
            return raw.execute("SELECT transcript_id, turn_fit FROM codings ORDER BY transcript_id").fetchall()

        assert fits() == [(coded, 1), (other, 1)]
        raw.execute(
            "INSERT INTO turns (transcript_id, idx, speaker, role, start, end) VALUES (?, 5, 'R', NULL, 59, 60)", (coded,)
        )
        assert fits() == [(coded, None), (other, 1)]
        raw.execute(
            "INSERT INTO turns (transcript_id, idx, speaker, role, start, end) VALUES (?, 6, 'R', NULL, 60, 61)", (coded,)
        )
        assert fits() == [(coded, None), (other, 1)]


def test_frequencies_a_heading_coded_alone_is_nobodys_and_not_the_next_speakers(tmp_path, runner):
    """A heading coded alone was counted under "(no speaker)", beside the paragraphs of a transcript
    without speaker labels; it is nobody's words (a researcher counting what the respondents said
    wants it neither there nor under the speaker after it): a group of its own, as `show` names it."""
    from qualcode.cli import main

    root = tmp_path / "p"
    assert runner.invoke(main, ["init", str(root)]).exit_code == 0
    (root / "transcripts" / "a.md").write_text(
        "# Interview met Sara\n\nI: Hoe begon het?\nR: Eerst was ik bang.\n\n## Deel 2: de school\n\nR: Die schamen zich.\n",
        encoding="utf-8",
    )
    (root / "transcripts" / "b.txt").write_text("Een alinea zonder spreker.\n\nNog een.\n", encoding="utf-8")
    assert runner.invoke(main, ["--project", str(root), "import", str(root / "transcripts")]).exit_code == 0

    def code(*args: str) -> None:
        result = runner.invoke(main, ["--project", str(root), "code", *args])
        assert result.exit_code == 0, result.output

    code("a", "voorbeeld", "--text", "## Deel 2: de school")
    code("a", "voorbeeld", "--text", "Eerst was ik bang.")
    code("b", "voorbeeld", "--text", "Een alinea zonder spreker.")
    groups = {}
    for by in ("speaker", "role"):
        result = runner.invoke(main, ["--project", str(root), "stats", "frequencies", "--by", by, "--long", "--format", "csv"])
        assert result.exit_code == 0, result.output
        groups[by] = {
            r["group"]: r["segments"] for r in csv.DictReader(io.StringIO(result.stdout)) if r["code_id"] == "voorbeeld"
        }
    # The heading: outside every turn, with no words of its own (it is nobody's turn).
    assert groups["speaker"] == {"I": "0", "R": "1", "(no speaker)": "1", "(outside turns)": "1"}
    assert groups["role"] == {"interviewer": "0", "respondent": "2", "(outside turns)": "1"}  # b's paragraph: a respondent's
