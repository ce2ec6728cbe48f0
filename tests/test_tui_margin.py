"""The margins beside the text: code keys and bars in lanes, code names right of the text (no app)."""

from __future__ import annotations

from qualcode.history import CodingChange
from qualcode.model import Coding, Turn
from qualcode.text import text_blocks
from qualcode.tui.document.layout import TEXT, Layout
from qualcode.tui.document.margin import BAR, MORE, NO_KEY, Margin
from qualcode.tui.document.model import CodeStyle, DocumentModel

WORDS = "een twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien vijftien zestien"
CODES = {
    "a": CodeStyle("a", "Afspraken", "#ff0000", "a"),
    "b": CodeStyle("b", "Beleid", "#00ff00", "b"),
    "n": CodeStyle("n", "Zonder toets", "#0000ff", None),
    "gone": CodeStyle("gone", "Vervallen", "#808080", None, in_codebook=False),
}


def coding(cid: int, start: int, end: int, code: str = "a", coder: str = "anna") -> Coding:
    return Coding(cid, 1, start, end, code, coder, WORDS[start:end])


def margin(codings: list[Coding], width: int = 20, **options) -> Margin:
    model = DocumentModel(1, "t", WORDS, text_blocks(WORDS, [Turn(1, "R", 0, len(WORDS))]), CODES, {c.id: c for c in codings})
    return Margin(model, Layout(model, width), **options)


def text_lines(m: Margin) -> list[int]:
    return [line for line in range(m.layout.height) if m.layout.kinds[line] == TEXT]


def test_tui_margin_shows_the_key_on_the_first_line_and_a_bar_below():
    m = margin([coding(1, 0, 40)])
    first, second, *_ = text_lines(m)
    [mark] = m.marks(first)
    assert (mark.glyph, mark.color, mark.first) == ("a", "#ff0000", True)
    [mark] = m.marks(second)
    assert (mark.glyph, mark.first) == (BAR, False)


def test_tui_margin_overlapping_codings_read_as_keys_side_by_side():
    m = margin([coding(1, 0, 30), coding(2, 4, 13, "b"), coding(3, 9, 20, "n")])
    first = text_lines(m)[0]
    assert [(k.lane, k.glyph) for k in m.marks(first)] == [(0, "a"), (1, "b"), (2, NO_KEY)]


def test_tui_margin_more_codings_than_lanes_end_in_a_plus():
    m = margin([coding(i, 0, 10 + i, "a") for i in range(1, 7)], lanes=4)
    marks = m.marks(text_lines(m)[0])
    assert [k.glyph for k in marks][-1] == MORE and len(marks) == 4


def test_tui_margin_bars_can_tell_coders_apart():
    m = margin(
        [coding(1, 0, 40, coder="anna"), coding(2, 0, 40, "b", coder="bram")], glyph=lambda c: "┃" if c.coder == "bram" else BAR
    )
    second = text_lines(m)[1]
    assert [k.glyph for k in m.marks(second)] == [BAR, "┃"]


def test_tui_margin_names_stack_below_when_several_start_on_one_line():
    m = margin([coding(1, 0, 8), coding(2, 4, 13, "b"), coding(3, 4, 9, "gone")])
    lines = text_lines(m)
    first = [(label.text, label.displaced) for label in m.labels(lines[0])]
    second = [(label.text, label.displaced, label.in_codebook) for label in m.labels(lines[1])]
    third = [(label.text, label.displaced) for label in m.labels(lines[2])]
    assert first == [("Afspraken", False)]
    assert second == [("Beleid", True, True)]
    assert third == [("Vervallen", True)]


def test_tui_margin_names_that_do_not_fit_the_turn_are_counted():
    short = margin([coding(i, 0, 3 + i) for i in range(1, 5)], width=200)  # one line for four names
    [line] = text_lines(short)
    labels = short.labels(line)
    assert [label.text for label in labels] == ["Afspraken", f"{MORE}3"]


def test_tui_margin_follows_a_change_of_codings():
    m = margin([coding(1, 0, 8)])
    first = text_lines(m)[0]
    assert [label.text for label in m.labels(first)] == ["Afspraken"]
    m.model.apply_change(CodingChange("apply", added=(coding(2, 0, 8, "b"),)))
    assert [label.text for label in m.labels(first)] == ["Afspraken"]
    assert [label.text for label in m.labels(text_lines(m)[1])] == ["Beleid"]
    m.model.apply_change(CodingChange("remove", removed=(coding(1, 0, 8),)))
    assert [label.text for label in m.labels(first)] == ["Beleid"]
