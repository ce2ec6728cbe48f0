"""Where cursor moves and selection steps lead: the Navigator, without an app."""

from __future__ import annotations

import pytest

from qualcode.model import Turn
from qualcode.text import text_blocks
from qualcode.tui.document.layout import Layout
from qualcode.tui.document.model import CodeStyle, DocumentModel
from qualcode.tui.document.navigator import MOVES, Navigator
from qualcode.tui.document.spans import SpanIndex

TEXT = "I: Hoe begon het? Vertel eens.\nR: Eerst was ik bang. Ik kende niemand.\nI: En nu?\nR: Nu gaat het goed."


def turns() -> list[Turn]:
    out, offset = [], 0
    for number, line in enumerate(TEXT.split("\n"), 1):
        out.append(Turn(number, line[0], offset + 3, offset + len(line), role="interviewer" if line[0] == "I" else "respondent"))
        offset += len(line) + 1
    return out


def navigator(width: int = 80, blocks: list[int] | None = None) -> Navigator:
    model = DocumentModel(1, "t", TEXT, text_blocks(TEXT, turns()), {"a": CodeStyle("a", "A", "#ff0000")})
    return Navigator(model, Layout(model, width, blocks))


def at(pos: int | None, length: int = 10) -> str | None:
    return None if pos is None else TEXT[pos : pos + length]


def test_tui_navigator_moves_by_character_word_sentence_and_turn():
    nav = navigator()
    start = TEXT.index("Hoe")
    assert at(nav.char_right(start)) == "oe begon h"
    assert at(nav.word_right(start)) == "begon het?"
    assert at(nav.sentence_next(start)) == "Vertel een"
    assert at(nav.turn_next(start)) == "Eerst was "
    bang = TEXT.index("Ik kende")
    assert at(nav.sentence_prev(bang)) == "Eerst was "
    assert at(nav.word_left(bang)) == "bang. Ik k"
    assert at(nav.turn_prev(bang)) == "Eerst was "  # the start of this turn first
    assert at(nav.turn_prev(TEXT.index("Eerst"))) == "Hoe begon "  # then the previous one


def test_tui_navigator_crosses_turns_but_never_lands_on_a_speaker_label():
    nav = navigator()
    end_of_first = TEXT.index("eens.") + len("eens.")
    following = nav.char_right(end_of_first)
    assert at(following) == "Eerst was "  # over "\nR: " in one step
    assert nav.char_left(following) == end_of_first
    assert at(nav.document_start(0)) == "Hoe begon " and nav.document_end(0) == len(TEXT)


def test_tui_navigator_keeps_the_column_while_moving_up_and_down():
    nav = navigator(width=12)
    start = TEXT.index("Eerst") + 4  # "Eerst was ik" wraps: the cursor in column 4
    down, goal = nav.vertical(start, 1, None)
    assert goal == 4 and nav.layout.position(down)[1] == 4
    back, goal = nav.vertical(down, -1, goal)
    assert back == start and goal == 4


def test_tui_navigator_skips_turns_a_code_filter_hides():
    nav = navigator(blocks=[0, 3])  # only the first and the last turn are shown
    start = TEXT.index("Hoe")
    assert at(nav.turn_next(start)) == "Nu gaat he"
    assert at(nav.sentence_next(TEXT.index("Vertel"))) == "Nu gaat he"
    assert not nav.shown(TEXT.index("Eerst"))


def test_tui_navigator_grows_a_selection_away_from_its_anchor():
    nav = navigator()
    eerst, ik = TEXT.index("Eerst"), TEXT.index("Ik kende")
    assert nav.extend_by_sentence(eerst, ik - 1) == TEXT.index("niemand.") + len("niemand.")
    assert nav.extend_by_sentence(ik, ik) == TEXT.index("niemand.") + len("niemand.")
    assert at(nav.extend_by_turn(eerst, ik)) == "\nI: En nu?"  # to the end of this turn
    assert at(nav.extend_by_turn(ik, ik - 3)) == "Eerst was "  # backwards: to its start


def test_tui_navigator_finds_the_next_and_previous_span():
    spans = SpanIndex([(5, 10, 1), (20, 25, 2)])
    assert Navigator.span_after(spans, 5) == 20 and Navigator.span_after(spans, 20) is None
    assert Navigator.span_before(spans, 20) == 5 and Navigator.span_before(spans, 5) is None


@pytest.mark.parametrize("move", MOVES)
def test_tui_navigator_every_move_stays_inside_the_shown_text(move):
    nav = navigator(width=14)
    for pos in range(0, len(TEXT) + 1, 3):
        pos = nav.model.clamp(pos)
        target = nav.target(move, pos)
        assert target is None or nav.shown(target), (move, pos, target)


def test_tui_navigator_refuses_an_unknown_move():
    with pytest.raises(ValueError):
        navigator().target("teleport", 0)
