"""Property: the word positions the store keeps with every coding and turn (migration
0008_coding_words) always equal what splitting the current text gives, whatever
sequence of writes a project goes through: codings added one by one or in bulk,
removed and restored, trashed and restored, moved to another code, transcripts
re-imported after an edit (re-anchored) or rewritten exactly (pseudonymised),
transcripts trashed and restored, detached codings re-attached."""

from __future__ import annotations

import sqlite3
import tempfile
from bisect import bisect_left, bisect_right
from pathlib import Path

from conftest import database_before
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcode.codebook import parse_codebook
from qualcode.model import Coding, Transcript, Turn
from qualcode.reanchor import reanchor
from qualcode.store import Store
from qualcode.words import FEW, SCALE, chars_and_words, packed, word_bounds, word_marks

CODEBOOK = """\
title: Woorden
codes:
  - id: a
    name: A
    children:
      - id: a1
        name: A1
  - id: b
    name: B
"""
CODES = ["a", "a1", "b"]
# Words and whitespace str.split() knows (including separators and NEL), runs of it included.
PIECES = ["de", "school", "Café", "“De", "Brug”", "–", " ", "  ", "\n", "\t", "\u00a0", "\u2003", "\x1c", "\x85", "\u3000"]
OPS = ["add", "add", "add_many", "remove", "undo", "trash", "untrash", "move", "edit", "exact", "reattach", "drop", "undrop"]


def texts():
    return st.lists(st.sampled_from(PIECES), min_size=1, max_size=30).map("".join)


@st.composite
def scripts(draw):
    start_texts = [f"t{i} " + draw(texts()) for i in range(draw(st.integers(1, 2)))]
    steps = draw(st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, 10**6), texts()), max_size=25))
    return start_texts, steps


def turns_of(text: str, seed: int) -> list[Turn]:
    """A few turns over the text (some text left outside them), decided by ``seed``."""
    cuts = sorted({0, len(text), *(seed * k % (len(text) + 1) for k in (3, 7, 11))})
    return [
        Turn(i + 1, "IR"[i % 2], a, b, role=("interviewer", "respondent")[i % 2])
        for i, (a, b) in enumerate(zip(cuts, cuts[1:], strict=False))
        if (seed >> i) & 1 or i == 0
    ]


def shifted(pos: int, at: int, by: int, *, end: bool) -> int:
    """An offset after inserting ``by`` characters at ``at`` (an end that touches ``at`` stays)."""
    return pos + by if (pos > at if end else pos >= at) else pos


def check(store: Store, db: Path) -> None:
    """Every stored position is the one the current text gives, and none is missing."""
    for tid in store.transcripts.names():
        text = store.transcripts.text(tid)
        rows = store.codings.packed_spans(tid)
        spans = [(c.start, c.end) for c in sorted(store.codings.find(tid), key=lambda c: (c.start, c.end, c.code_id, c.coder))]
        assert [r[:2] for r in rows] == [packed(a, b, *m) for (a, b), m in zip(spans, word_marks(text, spans), strict=True)]
        for opening, closing, _code in rows:  # one span is one stretch
            start, end = opening // SCALE, closing // SCALE
            assert chars_and_words(closing - opening, 1) == (end - start, len(text[start:end].split()))
        starts, ends, labels, words = store.transcripts.turn_layout(tid, "speaker")
        expected: dict[str | None, int] = dict.fromkeys(labels, 0)
        for a, b, label in zip(starts, ends, labels, strict=True):
            expected[label] += len(text[a:b].split())
        assert words == expected
    with sqlite3.connect(db) as raw:  # the store filled them in (else statistics fall back to the text)
        missing = raw.execute("SELECT count(*) FROM codings WHERE words_before IS NULL OR words_through IS NULL").fetchone()
        assert missing == (0,)
        assert raw.execute("SELECT count(*) FROM turns WHERE words IS NULL").fetchone() == (0,)


def run(store: Store, book, op: str, n: int, piece: str, removed: list[Coding]) -> None:
    names = store.transcripts.names()
    if not names:
        if op == "undrop" and store.trash.items():
            store.trash.restore(store.trash.items()[0].id)
        return
    tids = sorted(names)
    tid = tids[n % len(tids)]
    text = store.transcripts.text(tid)
    codings = store.codings.find(tid)
    start = n % len(text)
    end = min(len(text), start + 1 + n // 7 % 20)
    code, coder = CODES[n % 3], ("anna", "bram")[n // 3 % 2]
    if op == "add":
        store.codings.add(tid, start, end, code, coder)
    elif op == "add_many":
        spans = [((start + k * 5) % len(text), k) for k in range(4)]
        store.codings.add_many(Coding(None, tid, s, min(len(text), s + 1 + k), CODES[k % 3], coder, "") for s, k in sorted(spans))
    elif op == "remove" and codings:
        removed.append(store.codings.remove(codings[n % len(codings)].id))
    elif op == "undo" and removed:
        coding = removed.pop()
        if coding.transcript_id in names and store.codings.find(coding.transcript_id) is not None:
            try:
                store.codings.restore(coding)
            except Exception:  # its place was taken again (QC306) or its text changed: not this test's concern
                pass
    elif op == "trash" and codings:
        store.trash.put_codings([codings[n % len(codings)].id])
    elif op == "untrash" and store.trash.items():
        try:
            store.trash.restore(store.trash.items()[0].id)
        except Exception:  # a conflict the trash refuses with an error: nothing changed
            pass
    elif op == "move":
        store.codings.move(CODES[n % 3], CODES[(n + 1) % 3])
    elif op in ("edit", "exact"):
        at = n % (len(text) + 1)
        new_text = text[:at] + piece + text[at:]
        new_turns = [
            Turn(u.index, u.speaker, shifted(u.start, at, len(piece), end=False), shifted(u.end, at, len(piece), end=True),
                 role=u.role)
            for u in store.transcripts.turns(tid)
        ]  # fmt: skip
        new = Transcript(names[tid], new_text, new_turns, store.transcripts.attributes(tid), id=tid)
        if op == "edit":
            store.replace_text(tid, new, reanchor(text, new_text, codings))
        else:
            spans = [
                (c.id, shifted(c.start, at, len(piece), end=False), shifted(c.end, at, len(piece), end=True)) for c in codings
            ]
            store.replace_text_exactly(new, spans, [])
    elif op == "reattach":
        detached = store.codings.detached()
        if detached:
            d = detached[n % len(detached)]
            length = len(store.transcripts.text(d.transcript_id))
            a = n % length
            store.codings.reattach(d.id, a, min(length, a + 3))
    elif op == "drop":
        store.trash.put_transcript(tid)
    elif op == "undrop" and store.trash.items():
        try:
            store.trash.restore(store.trash.items()[0].id)
        except Exception:
            pass


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scripts())
def test_store_words_positions_stay_exact_through_every_write(script):
    start_texts, steps = script
    book, problems = parse_codebook(CODEBOOK)
    assert not problems
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "qualcode.db"
        with Store(db) as store:
            store.codes.sync(book)
            for i, text in enumerate(start_texts):
                store.transcripts.add(Transcript(f"t{i}", text, turns_of(text, i + 5), {}))
            removed: list[Coding] = []
            check(store, db)
            for op, n, piece in steps:
                run(store, book, op, n, piece, removed)
                check(store, db)


EVERY_SPACE = [chr(c) for c in range(0x110000) if chr(c).isspace()]  # all that str.split() splits on


@given(st.lists(st.sampled_from([*PIECES, "a", "b", *EVERY_SPACE]), max_size=30).map("".join))
def test_store_words_bounds_are_the_words_str_split_finds(text):
    starts, ends = word_bounds(text)
    assert [text[a:b] for a, b in zip(starts, ends, strict=True)] == text.split()
    for a in range(len(text)):
        for b in range(a + 1, len(text) + 1):
            ((before, through),) = word_marks(text, [(a, b)])
            assert through - before == len(text[a:b].split())


@given(st.lists(st.sampled_from([*PIECES, "a", "b", *EVERY_SPACE]), max_size=30).map("".join))
def test_store_words_marks_of_a_few_spans_equal_the_marks_from_every_words_bounds(text):
    # A code key marks its one coding by counting the words before it; a back-fill marks
    # many from the bounds of every word. Both must give the same numbers, at every offset.
    spans = [(a, b) for a in range(len(text) + 1) for b in range(a, len(text) + 1)]
    starts, ends = word_bounds(text)
    expected = [(bisect_right(ends, a), bisect_left(starts, b)) for a, b in spans]
    assert [word_marks(text, [span])[0] for span in spans] == expected  # one at a time: counted
    assert word_marks(text, spans * (FEW + 1)) == expected * (FEW + 1)  # many at once: from the bounds


def _database_before_0008(path: Path, text: str) -> None:
    """A project as qualcode wrote it before the word positions (every migration up to 0007)."""
    conn = database_before(path, "0008_coding_words")
    conn.execute(
        "INSERT INTO transcripts (id, name, source_format, content_hash, text, imported_at) VALUES (1, 't1', 'txt', 'h', ?, 'then')",
        (text,),
    )
    conn.execute("INSERT INTO turns VALUES (1, 1, 'I', 'interviewer', 0, 9, NULL, NULL)")
    conn.execute("INSERT INTO turns VALUES (1, 2, 'R', 'respondent', 10, ?, NULL, NULL)", (len(text),))
    conn.execute("INSERT INTO codes (id, name) VALUES ('a', 'A')")
    for cid, start, end in [(1, 0, 10), (2, 4, 17), (3, 12, len(text))]:
        conn.execute(
            "INSERT INTO codings (id, transcript_id, start, end, code_id, coder, quote, created_at, updated_at)"
            " VALUES (?, 1, ?, ?, 'a', 'anna', 'q', 'then', 'then')",
            (cid, start, end),
        )
    conn.commit()
    conn.close()


def test_store_words_older_project_gets_its_positions_when_opened(tmp_path):
    text = "De school\u00a0en de  buurt –\nwerken samen"
    path = tmp_path / "q.db"
    _database_before_0008(path, text)
    with Store(path) as store:
        assert "0008_coding_words" in store.applied_migrations()
        check(store, path)
        words = [chars_and_words(closing - opening, 1)[1] for opening, closing, _ in store.codings.packed_spans(1)]
        assert words == [2, 3, 5]  # "De school", "hool en de", ".. samen"


def test_store_words_missing_positions_are_counted_from_the_text(tmp_path):
    # Positions the store has not computed (a row another version wrote) are never trusted
    # as zero: the readers count from the text, and the statistics stay the same.
    from qualcode.analysis import frequencies

    text = "De school\u00a0en de  buurt –\nwerken samen"
    path = tmp_path / "q.db"
    book, _ = parse_codebook(CODEBOOK)
    with Store(path) as store:
        store.codes.sync(book)
        tid = store.transcripts.add(Transcript("t1", text, [Turn(1, "I", 0, 9), Turn(2, "R", 10, len(text))], {}))
        for start, end, code in [(0, 10, "a1"), (4, 17, "a"), (12, len(text), "b")]:
            store.codings.add(tid, start, end, code, "anna")
        before = frequencies(store, book, by="speaker")
        spans = store.codings.packed_spans(tid)
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE codings SET words_before = NULL")
        raw.execute("UPDATE turns SET words = NULL")
    with Store(path) as store:
        assert store.codings.packed_spans(tid) == spans
        assert store.transcripts.turn_layout(tid, "speaker")[3] == {"I": len(text[0:9].split()), "R": len(text[10:].split())}
        assert frequencies(store, book, by="speaker") == before


def test_store_words_code_columns_without_positions_or_with_a_stale_length(tmp_path):
    # The statistics' per-code reading (code_columns) computes positions the store has not
    # computed from the text, and repacks when a coding lies beyond the stored length.
    from qualcode.analysis import frequencies

    text = "De school\u00a0en de  buurt \u2013\nwerken samen"
    path = tmp_path / "q.db"
    book, _ = parse_codebook(CODEBOOK)
    with Store(path) as store:
        store.codes.sync(book)
        for name in ("t1", "t2"):
            turns = [Turn(1, "I", 0, 9), Turn(2, "R", 10, len(text))]
            tid = store.transcripts.add(Transcript(name, text + name, turns, {}))  # texts differ: one import each
            for start, end, code in [(0, 10, "a1"), (4, 17, "a"), (12, len(text), "b"), (9, 10, "a1")]:
                store.codings.add(tid, start, end, code, "anna")
        before = [frequencies(store, book, by=by) for by in (None, "transcript")]
        assert before[0].row("a").total.words == 2 * len(text[0:17].split())  # in both transcripts
    for change in ("UPDATE codings SET words_through = NULL WHERE code_id = 'a'", "UPDATE transcripts SET chars = 3"):
        with sqlite3.connect(path) as raw:
            raw.execute(change)
        with Store(path) as store:
            assert [frequencies(store, book, by=by) for by in (None, "transcript")] == before, change
