"""Codings added in bulk (an import) with their word positions and turns written at once
(:meth:`CodingStore.new_codings`) are stored exactly as codings added one write at a time."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcode.codebook import parse_codebook
from qualcode.model import Coding, Transcript, Turn
from qualcode.store import Store

CODEBOOK = "title: T\ncodes:\n  - id: a\n    name: A\n  - id: b\n    name: B\n"
PIECES = ["de", "school", "Café", "“De", " ", "  ", "\n", "\t", "\u00a0", "\x85"]
TRIGGERS = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"


def _turns(text: str, seed: int) -> list[Turn]:
    cuts = sorted({0, len(text), *(seed * k % (len(text) + 1) for k in (3, 7, 11))})
    return [
        Turn(i + 1, "IR"[i % 2], a, b, role=("interviewer", "respondent")[i % 2])
        for i, (a, b) in enumerate(zip(cuts, cuts[1:], strict=False))
        if (seed >> i) & 1 or i == 0
    ]


def _store(folder: str, name: str, texts: list[str]) -> tuple[Store, Path]:
    path = Path(folder) / f"{name}.db"
    store = Store(path)
    book, problems = parse_codebook(CODEBOOK)
    assert not problems
    store.codes.sync(book)
    for i, text in enumerate(texts):
        store.transcripts.add(Transcript(f"t{i}", text, _turns(text, i + 3), {}))
    return store, path


def _codings(texts: list[str], picks: list[tuple[int, int, int, int]]) -> list[Coding]:
    out = []
    for n, (which, start, length, who) in enumerate(picks):
        tid = which % len(texts) + 1
        text = texts[tid - 1]
        begin = start % len(text)
        end = min(len(text), begin + 1 + length)
        coder, code = ("anna", "bram", "cees")[who % 3], "ab"[n % 2]
        out.append(Coding(None, tid, begin, end, code, coder, "", memo=None, created_at=f"2024-01-0{1 + n % 9}T10:00:00+00:00"))
    return out


def _rows(path: Path) -> tuple[list, list]:
    with sqlite3.connect(path) as raw:
        return raw.execute("SELECT * FROM codings ORDER BY id").fetchall(), raw.execute(TRIGGERS).fetchall()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.lists(st.sampled_from(PIECES), min_size=1, max_size=25).map("".join), min_size=1, max_size=3),
    st.lists(st.tuples(st.integers(0, 5), st.integers(0, 999), st.integers(0, 12), st.integers(0, 5)), max_size=40),
    st.integers(0, 40),
)
def test_store_new_codings_are_stored_as_codings_added_one_write_at_a_time(texts, picks, split):
    texts = [f"{i} {text}" for i, text in enumerate(texts)]  # transcripts' texts differ
    codings = _codings(texts, sorted(picks, key=lambda p: p[0] % len(texts)))  # transcript by transcript, as an import
    with tempfile.TemporaryDirectory() as folder:
        plain, plain_path = _store(folder, "plain", texts)
        bulk, bulk_path = _store(folder, "bulk", texts)
        with plain:
            added = plain.codings.add_many(codings[:split]) + plain.codings.add_many(codings)  # the second adds the rest
        with bulk:
            with bulk.transaction(), bulk.codings.new_codings():
                added_in_bulk = bulk.codings.add_many(codings[:split]) + bulk.codings.add_many(codings)
        assert added_in_bulk == added
        rows, triggers = _rows(bulk_path)
        assert (rows, triggers) == _rows(plain_path)  # the same rows, and the triggers back as they were
        with sqlite3.connect(bulk_path) as raw:  # every one has its positions and turn
            assert raw.execute("SELECT count(*) FROM codings WHERE words_before IS NULL OR turn_fit IS NULL").fetchone() == (0,)


def test_store_new_codings_an_error_puts_the_triggers_back_with_the_rollback(tmp_path):
    store, path = _store(str(tmp_path), "s", ["x de school"])
    with store:
        before = _rows(path)
        with pytest.raises(RuntimeError), store.transaction(), store.codings.new_codings():
            store.codings.add_many([Coding(None, 1, 2, 4, "a", "anna", "")])
            assert store.codings._placing
            raise RuntimeError("stop")
        assert _rows(path) == before
        assert not store.codings._placing
        added = store.codings.add_many([Coding(None, 1, 2, 4, "a", "anna", "")])
        assert added == 1
    with sqlite3.connect(path) as raw:  # written as any coding: its word positions filled in after
        assert raw.execute("SELECT words_before, words_through, turn_fit FROM codings").fetchall() == [(1, 2, 1)]
