"""The statistics' column reads (``codings.code_columns``, ``transcripts.label_words``)
against the plain per-transcript reads they stand in for."""

from __future__ import annotations

import sqlite3

import pytest

from qualcode.codebook import parse_codebook
from qualcode.model import Transcript, Turn
from qualcode.store import Store

CODEBOOK = """\
title: Kolommen
codes:
  - id: a
    name: A
  - id: b
    name: B
"""
TEXT = "De school en de buurt werken samen aan opvoeding, zegt zij. Ja. En verder?  Niets meer."


def _turns(labels: list[str | None], text: str) -> list[Turn]:
    """One turn per label over consecutive stretches of ``text``; the last stretch is empty
    (a turn without words), a few characters before the first turn left outside."""
    size = (len(text) - 3) // len(labels)
    cuts = [3 + i * size for i in range(len(labels))] + [len(text)]
    cuts[-2] = cuts[-1]  # the last turn is empty: no words
    return [
        Turn(i + 1, label, a, b, role=None if label is None else ("interviewer" if label == "I" else "respondent"))
        for i, (label, a, b) in enumerate(zip(labels, cuts, cuts[1:], strict=False))
    ]


@pytest.fixture
def store(tmp_path):
    book, _ = parse_codebook(CODEBOOK)
    with Store(tmp_path / "q.db") as store:
        store.codes.sync(book)
        layouts = [
            ["I", "R", None, "I", "R"],  # unlabelled turn in the middle
            ["R", "R", "R"],  # one label only
            [None, None],  # no labels at all
            ["I", "X", "R", "Y"],  # labels the others lack; "Y" has no words
        ]
        for i, labels in enumerate(layouts):
            tid = store.transcripts.add(Transcript(f"t{i}", TEXT + f" {i}", _turns(labels, TEXT + f" {i}"), {}))
            store.codings.add(tid, 0, 10, "a", "anna")
        yield store


@pytest.mark.parametrize("label", ["speaker", "role"])
def test_label_words_as_turn_layout_every_label_listed(store, label):
    got: dict[int, dict[str | None, int]] = {}
    for value, tid, words in store.transcripts.label_words(label):
        got.setdefault(tid, {})[value] = words
    assert got == {tid: store.transcripts.turn_layout(tid, label)[3] for tid in sorted(store.transcripts.names())}
    assert got[4]["Y" if label == "speaker" else "respondent"] >= 0  # a label with no words is listed


def test_label_words_many_labels(tmp_path):
    # Every distinct label (of many) is its own group, from one read of the index.
    book, _ = parse_codebook(CODEBOOK)
    with Store(tmp_path / "q.db") as store:
        store.codes.sync(book)
        labels = [f"S{i:02d}" for i in range(20)] + [None]
        text = " ".join(["woord"] * 200)
        tid = store.transcripts.add(Transcript("veel", text, _turns(labels, text), {}))
        got = {value: words for value, _, words in store.transcripts.label_words("speaker")}
        assert got == store.transcripts.turn_layout(tid, "speaker")[3]
        assert len(got) == 21


def test_code_columns_hold_every_coding_with_its_word_positions(store, tmp_path):
    # The json arrays give each coding's opening and closing; unpacked, they are the rows.
    store.codings.add(2, 5, 30, "b", "bram")
    store.codings.add(2, 12, 20, "a", "bram")
    [batch] = list(store.codings.code_columns())
    p = batch.packing
    got = []
    for column in batch.codes:
        assert column.codings == len(column.openings) == len(column.closings)
        for opening, closing in zip(column.openings, column.closings, strict=True):
            slot, rest = divmod(opening, p.stride)
            start, before = divmod(rest - p.pad, p.scale)
            end, through = divmod(closing - slot * p.stride, p.scale)
            got.append((batch.first + slot, start, end, column.code_id, before, through))
    with sqlite3.connect(store._db.path) as raw:
        rows = raw.execute("SELECT transcript_id, start, end, code_id, words_before, words_through FROM codings").fetchall()
    assert sorted(got) == sorted(rows)
    assert len(rows) == 6


def test_span_columns_every_coding_once_in_start_order_whatever_the_stored_lengths(store):
    # The offsets keep transcripts apart even when a stored length is stale (too short).
    store.codings.add(2, 5, 30, "b", "bram")
    store.codings.add(3, 1, 12, "b", "bram")

    def read() -> list[tuple[int, int, int, str]]:
        got = []
        for batch in store.codings.span_columns():
            assert batch.openings == sorted(batch.openings)
            for opening, closing, code in zip(batch.openings, batch.closings, batch.code_ids, strict=True):
                slot, start = divmod(opening, batch.stride)
                got.append((slot, start, closing - slot * batch.stride, code))
        return got

    want = [(0, 0, 10, "a"), (1, 0, 10, "a"), (1, 5, 30, "b"), (2, 0, 10, "a"), (2, 1, 12, "b"), (3, 0, 10, "a")]
    assert read() == want
    with sqlite3.connect(store._db.path) as raw:
        raw.execute("UPDATE transcripts SET chars = 3")
    assert read() == want


def test_coders_every_name_once_in_binary_order(tmp_path):
    # Read by seeking from one name to the next: the same list as DISTINCT over every coding.
    book, _ = parse_codebook(CODEBOOK)
    with Store(tmp_path / "q.db") as store:
        store.codes.sync(book)
        assert store.codings.coders() == []
        tid = store.transcripts.add(Transcript("t", TEXT, _turns(["I", "R"], TEXT), {}))
        names = ["bram", "Anna", "anna", "Émile", "b", "anna", "bram", "zoë", "a b"]
        for i, coder in enumerate(names):
            store.codings.add(tid, i, i + 5, "a", coder)
        assert store.codings.coders() == sorted(set(names))
        assert store.codings.coders([tid]) == sorted(set(names))
