"""The document model, layout and span index behind the coding screen (no app)."""

from __future__ import annotations

import random

import pytest
from rich.cells import cell_len

from qualcode.history import CodingChange
from qualcode.model import Coding, Turn
from qualcode.text import text_blocks
from qualcode.tui.document.layout import HEADER, TEXT, Layout, grapheme_after, grapheme_before
from qualcode.tui.document.model import CodeStyle, DocumentModel, assign_lanes, near_duplicate
from qualcode.tui.document.spans import SpanIndex


def model_of(text: str, turns: list[Turn], codings: list[Coding] = ()) -> DocumentModel:
    codes = {"a": CodeStyle("a", "A", "#ff0000"), "b": CodeStyle("b", "B", "#00ff00")}
    return DocumentModel(1, "t", text, text_blocks(text, turns), codes, {c.id: c for c in codings})


def coding(cid: int, start: int, end: int, code: str = "a") -> Coding:
    return Coding(cid, 1, start, end, code, "x", "")


def test_tui_blocks_keep_headings_outside_turns_and_drop_labels():
    text = "Interview in Gent\n\nInterviewer: Hoi.\n\nR: Dag."
    turns = [Turn(1, "Interviewer", 32, 36, role="interviewer"), Turn(2, "R", 41, 45, role="respondent")]
    assert text[32:36] == "Hoi." and text[41:45] == "Dag."
    blocks = text_blocks(text, turns)
    assert [(text[b.start : b.end], b.turn is not None) for b in blocks] == [
        ("Interview in Gent", False),
        ("Hoi.", True),
        ("Dag.", True),
    ]


def test_tui_blocks_without_turns_show_the_whole_text():
    blocks = text_blocks("  Alleen tekst.\n", [])
    assert [(b.start, b.end, b.turn) for b in blocks] == [(2, 15, None)]


def test_tui_layout_wraps_at_words_and_keeps_every_offset():
    text = "een twee drie vier vijf zes zeven acht negen tien"
    model = model_of(text, [Turn(1, "R", 0, len(text))])
    layout = Layout(model, 12)
    lines = [text[layout.starts[i] : layout.ends[i]] for i in range(layout.height) if layout.kinds[i] == TEXT]
    assert "".join(lines) == text
    assert all(len(line.rstrip()) <= 12 for line in lines)
    assert layout.kinds[0] == HEADER
    for offset in range(len(text) + 1):
        line, cell = layout.position(offset)
        assert layout.offset_at(line, cell) == offset


def test_tui_layout_hard_line_breaks_inside_a_turn():
    text = "Eerste alinea.\n\nTweede alinea."
    model = model_of(text, [Turn(1, "R", 0, len(text))])
    layout = Layout(model, 40)
    texts = [text[layout.starts[i] : layout.ends[i]] for i in range(layout.height) if layout.kinds[i] == TEXT]
    assert texts == ["Eerste alinea.\n", "\n", "Tweede alinea."]


@pytest.mark.parametrize(
    "text",
    [
        "Ik 😀 ben blij 中文字 hier en daar 👨‍👩‍👧 familie en 🇳🇱 vlag ❤️ hart e\u0301cht.",
        "中文" * 30,
    ],
)
def test_tui_layout_wide_characters_map_cells_and_offsets(text):
    model = model_of(text, [Turn(1, "R", 0, len(text))])
    layout = Layout(model, 15)
    for i in range(layout.height):
        if layout.kinds[i] == TEXT:
            drawn = text[layout.starts[i] : layout.ends[i]].rstrip(" ")
            assert cell_len(drawn) <= 15, drawn
    # Every grapheme start survives offset -> (line, cell) -> offset.
    pos = 0
    while pos < len(text):
        line, cell = layout.position(pos)
        assert layout.offset_at(line, cell) == pos, (pos, text[pos])
        assert cell == cell_len(text[layout.starts[line] : pos])
        pos = grapheme_after(text, pos, len(text))


def test_tui_grapheme_steps_do_not_split_clusters():
    text = "a👨‍👩‍👧b"
    assert grapheme_after(text, 1, len(text)) == len(text) - 1
    assert grapheme_before(text, len(text) - 1, 0) == 1
    assert grapheme_after(text, 0, len(text)) == 1


def test_tui_span_index_point_and_range_queries():
    index = SpanIndex([(0, 10, "a"), (5, 15, "b"), (20, 30, "c")])
    assert index.at(4) == ("a",)
    assert index.at(5) == ("a", "b")
    assert index.at(15) == ()
    assert index.overlapping(9, 21) == ["a", "b", "c"]
    assert [s for s in index.segments(0, 30)] == [(0, 5, ("a",)), (5, 10, ("a", "b")), (10, 15, ("b",)), (20, 30, ("c",))]
    assert index.next_start(0) == (5, 15, "b") and index.prev_start(20) == (5, 15, "b")


def test_tui_span_index_incremental_matches_a_rebuild():
    rng = random.Random(3)
    spans = []
    index = SpanIndex()
    for i in range(300):
        start = rng.randrange(1000)
        span = (start, start + rng.randrange(1, 80), i)
        spans.append(span)
        index.add(*span)
    for span in rng.sample(spans, 120):
        spans.remove(span)
        index.remove(*span)
    rebuilt = SpanIndex(spans)
    assert index.spans == rebuilt.spans
    for pos in range(1100):
        assert index.at(pos) == rebuilt.at(pos), pos


def test_tui_model_change_mirrors_the_store_and_keeps_lanes_apart():
    text = "x" * 100
    model = model_of(text, [Turn(1, "R", 0, 100)], [coding(1, 0, 50)])
    model.apply_change(CodingChange("apply", added=(coding(2, 10, 20, "b"), coding(3, 60, 70))))
    assert [c.id for c in model.codings_at(15)] == [1, 2]
    assert model.lanes[1] != model.lanes[2]
    model.apply_change(CodingChange("remove", removed=(coding(1, 0, 50),)))
    assert [c.id for c in model.codings_at(15)] == [2]
    assert model.next_uncoded_respondent_turn(0) is None


def test_tui_lanes_reuse_free_columns():
    lanes = assign_lanes([coding(1, 0, 10), coding(2, 5, 15), coding(3, 12, 20)])
    assert lanes == {1: 0, 2: 1, 3: 0}


def test_tui_model_sentences_search_and_uncoded_turns():
    text = "I: Vraag?\nR: Een. Twee! Drie?\nI: Nog een?\nR: Vier."
    turns = [
        Turn(1, "I", 3, 9, role="interviewer"),
        Turn(2, "R", 13, 29, role="respondent"),
        Turn(3, "I", 33, 41, role="interviewer"),
        Turn(4, "R", 45, 50, role="respondent"),
    ]
    model = model_of(text, turns, [coding(1, 13, 17)])
    assert text[slice(*model.sentence_at(20))] == "Twee!"
    assert model.next_sentence(17) == (18, 23)
    assert model.search("EEN") == [(13, 16), (37, 40)]
    assert model.next_uncoded_respondent_turn(0).turn.index == 4


def test_tui_model_parts_cut_a_span_at_turns_and_leave_labels_out():
    text = "I: Hoe doe je dat?\nP1: Ik begin vroeg.\n[00:12] P2: Ik ook."
    turns = [Turn(1, "I", 3, 18), Turn(2, "P1", 23, 38), Turn(3, "P2", 51, 58)]
    assert (text[3:18], text[23:38], text[51:58]) == ("Hoe doe je dat?", "Ik begin vroeg.", "Ik ook.")
    model = model_of(text, turns)
    parts = model.parts(text.index("je dat"), text.index("ook") + 3)
    assert [text[s:e] for s, e in parts] == ["je dat?", "Ik begin vroeg.", "Ik ook"]
    assert model.parts(19, 23) == []  # only the label between two turns: nothing to code
    assert model.parts(5, 9) == [(5, 9)]


@pytest.mark.parametrize(
    ("a", "b", "near"),
    [
        ((0, 100), (0, 100), False),  # the same span is a duplicate, not a near one
        ((0, 100), (2, 100), True),
        ((0, 100), (10, 95), True),
        ((0, 100), (0, 70), False),
        ((0, 10), (20, 30), False),
    ],
)
def test_tui_model_near_duplicate_spans(a, b, near):
    assert near_duplicate(a, b) is near and near_duplicate(b, a) is near
