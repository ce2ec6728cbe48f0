"""Property: the fast counting (C-level merging of spans) equals the definitions computed
the slow, obvious way on random projects: overlapping codings joined pairwise into
stretches, each stretch's words split out of the text."""

from __future__ import annotations

from collections import defaultdict
from contextlib import nullcontext
from itertools import combinations
from unittest.mock import patch

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcode.analysis import MISSING, NO_ROLE, NO_SPEAKER, OUTSIDE_TURNS, Selection, code_matrix, cooccurrence, frequencies
from qualcode.codebook import parse_codebook
from qualcode.model import Transcript, Turn
from qualcode.store import Store
from qualcode.store import codings as store_codings
from qualcode.words import Packing

CODEBOOK = """\
title: Eigenschap
codes:
  - id: a
    name: A
    children:
      - id: a1
        name: A1
      - id: a2
        name: A2
        children:
          - id: a2x
            name: A2x
  - id: b
    name: B
"""
CODES = ["a", "a1", "a2", "a2x", "b", "weg"]  # weg: in the store, not in the codebook
CODERS = ["anna", "bram"]
# Words and every kind of whitespace str.split() knows, runs of it included.
PIECES = ["de", "school", "Café", "“De", "Brug”", "–", " ", " ", "  ", "\n", "\n\n", "\t", "\u00a0", "\u2003"]


@st.composite
def projects(draw):
    """Transcripts (text, turns, attribute) and codings ``(transcript, start, end, code, coder)``."""
    transcripts = []
    for i in range(draw(st.integers(1, 3))):
        text = f"t{i}" + "".join(draw(st.lists(st.sampled_from(PIECES), max_size=40)))  # distinct texts
        cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=6))) | {0, len(text)})
        overlap = draw(st.sampled_from([0, 0, 4]))  # some turns run on into the next one (ends still ascending)
        turns: list[Turn] = []
        for start, end in zip(cuts, cuts[1:], strict=False):
            if draw(st.booleans()):  # some text stays outside every turn
                speaker = draw(st.sampled_from(["I", "R", "", None]))
                role = {"I": "interviewer", "R": "respondent"}.get(speaker)
                end = max(min(len(text), end + overlap), turns[-1].end if turns else 0)
                turns.append(Turn(len(turns) + 1, speaker, start, end, role=role))
        if len(turns) > 1 and draw(st.sampled_from([False, False, True])):  # a turn inside the one before
            turns[0] = Turn(1, turns[0].speaker, turns[0].start, len(text), role=turns[0].role)
        transcripts.append((f"t{i}", text, turns, draw(st.sampled_from(["x", "y", None]))))
    codings = set()
    for _ in range(draw(st.integers(0, 30))):
        t = draw(st.integers(0, len(transcripts) - 1))
        n = len(transcripts[t][1])
        start = draw(st.integers(0, n - 1))
        end = draw(st.integers(start + 1, min(n, start + 25)))
        codings.add((t, start, end, draw(st.sampled_from(CODES)), draw(st.sampled_from(CODERS))))
    return transcripts, sorted(codings)


def build(transcripts, codings) -> tuple[Store, object, dict[int, tuple]]:
    book, problems = parse_codebook(CODEBOOK)
    assert not problems
    store = Store()
    store.codes.sync(book)
    store.codes.ensure("weg", "Weg")
    ids = {}
    for i, (name, text, turns, value) in enumerate(transcripts):
        attributes = {"soort": value} if value else {}
        ids[i] = store.transcripts.add(Transcript(name, text, turns, attributes))
    for t, start, end, code, coder in codings:
        store.codings.add(ids[t], start, end, code, coder)
    return store, book, ids


def branch_of(book, code: str) -> list[str]:
    """The codes a coding of ``code`` counts for: itself and its ancestors, or (missing)."""
    if code not in book:
        return [code, MISSING]
    return [code, *(a.id for a in book.ancestors(code))]


def stretches(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join spans that share a character, pairwise, until nothing changes (no sorting trick)."""
    groups = [[s] for s in spans]
    joined = True
    while joined:
        joined = False
        for i, j in combinations(range(len(groups)), 2):
            if any(s1 < e2 and s2 < e1 for s1, e1 in groups[i] for s2, e2 in groups[j]):
                groups[i] += groups.pop(j)
                joined = True
                break
    return [(min(s for s, _ in g), max(e for _, e in g)) for g in groups]


def expected(transcripts, codings, book, group_of) -> dict[tuple[str, str], tuple[int, int, int, int, int]]:
    """``(group, code) -> (codings, segments, transcripts, words, chars)``, straight from the definitions."""
    spans: dict[tuple[str, str, int], list[tuple[int, int]]] = defaultdict(list)
    for t, start, end, code, _coder in codings:
        for target in branch_of(book, code):
            spans[group_of(t, start, end), target, t].append((start, end))
    out: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for (group, target, t), found in spans.items():
        text = transcripts[t][1]
        joined = stretches(found)
        m = out[group, target]
        m[0] += len(found)
        m[1] += len(joined)
        m[2] += 1
        m[3] += sum(len(text[s:e].split()) for s, e in joined)
        m[4] += sum(e - s for s, e in joined)
    return {k: tuple(v) for k, v in out.items()}


def measured(table) -> dict[tuple[str, str], tuple[int, int, int, int, int]]:
    """The table's counts per group and code (the totals as group ``"(all)"``)."""
    out = {}
    for row in table.rows:
        for group, m in [("(all)", row.total), *row.groups.items()]:
            if m.codings:
                out[group, row.code.id] = (m.codings, m.segments, m.transcripts, m.words, m.chars)
    return out


def speaker_at(transcripts, t: int, start: int, end: int) -> str:
    """The speaker of the first turn the span overlaps (outside every turn: a group of its own)."""
    for turn in transcripts[t][2]:
        if turn.start < end and start < turn.end:
            return turn.speaker or (OUTSIDE_TURNS if _blank(turn) else NO_SPEAKER)
    return OUTSIDE_TURNS


def _blank(turn: Turn) -> bool:
    """A turn with neither speaker nor role reads as no turn (import gives every turn a role)."""
    return turn.speaker is None and turn.role is None


def _nested(turns: list[Turn]) -> bool:
    return any(a.end > b.end for a, b in zip(turns, turns[1:], strict=False))


def role_at(transcripts, t: int, start: int, end: int) -> str:
    """The role of the first turn the span overlaps (outside every turn: a group of its own)."""
    for turn in transcripts[t][2]:
        if turn.start < end and start < turn.end:
            return turn.role or (OUTSIDE_TURNS if _blank(turn) else NO_ROLE)
    return OUTSIDE_TURNS


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects(), st.sampled_from([None, ("anna",)]), st.booleans())
def test_analysis_counts_equal_the_definitions(project, coders, small_batches):
    transcripts, codings = project
    store, book, _ids = build(transcripts, codings)
    # small_batches: every transcript its own batch, and the codings' turns not computed by
    # the store (as a write that has not filled them in leaves them): found from the turns
    one_each = patch.object(Packing, "fitting", classmethod(lambda cls, chars, span: cls.of(chars, 1)))
    if small_batches:
        store._db.execute("UPDATE codings SET turn_fit = NULL")
    with one_each if small_batches else nullcontext():
        _check_counts(transcripts, codings, store, book, coders)


def _check_counts(transcripts, codings, store, book, coders):
    """Every grouping's counts (read in batches of transcripts as the store packs them) equal the definitions."""
    kept = [c for c in codings if coders is None or c[4] in coders]
    selection = Selection(coders=None if coders is None else frozenset(coders))
    groupings = {
        None: lambda t, s, e: "(all)",
        "transcript": lambda t, s, e: transcripts[t][0],
        "soort": lambda t, s, e: transcripts[t][3] or "(none)",
        "speaker": lambda t, s, e: speaker_at(transcripts, t, s, e),
        "role": lambda t, s, e: role_at(transcripts, t, s, e),
    }
    everything = expected(transcripts, kept, book, groupings[None])
    for by, group_of in groupings.items():
        if by == "soort" and all(t[3] is None for t in transcripts):
            continue  # no transcript has the attribute: an unknown grouping
        table = frequencies(store, book, selection, by=by)
        want = expected(transcripts, kept, book, group_of) | ({} if by is None else everything)
        got = measured(table)
        if by in ("speaker", "role") and any(_nested(t[2]) for t in transcripts):
            # The turn a coding counts in is not defined where turns nest (their ends do not
            # ascend); the totals still are, and every coding counts in one group.
            assert {k: v for k, v in got.items() if k[0] == "(all)"} == everything, by
            for row in table.rows:
                assert sum(m.codings for m in row.groups.values()) == row.total.codings
            continue
        assert got == want, by
    # the matrix without words counts the same segments and characters
    segments = code_matrix(store, book, selection, measure="segments")
    chars = code_matrix(store, book, selection, measure="chars")
    want = expected(transcripts, kept, book, groupings["transcript"])
    for matrix, k in ((segments, 1), (chars, 4)):
        for row, cells in zip(matrix.rows, matrix.cells, strict=True):
            for column, value in zip(matrix.columns, cells, strict=True):
                assert value == want.get((column, row.id), (0, 0, 0, 0, 0))[k]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects(), st.booleans())
def test_analysis_cooccurrence_equals_pairs_counted_one_by_one(project, small_batches):
    transcripts, codings = project
    store, book, _ids = build(transcripts, codings)
    diagonal: dict[str, int] = defaultdict(int)
    pairs: dict[tuple[str, str], int] = defaultdict(int)
    for c in codings:
        diagonal[c[3]] += 1
    for (t1, s1, e1, a, _), (t2, s2, e2, b, _) in combinations(codings, 2):
        if t1 == t2 and s1 < e2 and s2 < e1 and a != b:
            pairs[a, b] += 1
            pairs[b, a] += 1
    with patch.object(store_codings, "_COLUMN_BATCH", 1) if small_batches else nullcontext():  # a batch per transcript
        matrix = cooccurrence(store, book)
    assert [r.id for r in matrix.rows] == matrix.columns
    assert set(matrix.columns) == set(diagonal)
    for a, cells in zip(matrix.columns, matrix.cells, strict=True):
        for b, value in zip(matrix.columns, cells, strict=True):
            assert value == (diagonal[a] if a == b else pairs.get((a, b), 0))
