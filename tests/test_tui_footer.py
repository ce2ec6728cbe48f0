"""Every screen's keys at 80x24: the footer shows whole keys, ends with ? (which lists every key),
puts the keys of the mode that is on first, and a dialog shows its own keys, not those beneath it."""

from __future__ import annotations

from rich.table import Table
from test_tui_disagreements import open_review, study
from test_tui_review import THREE, suggest
from test_tui_support import make_app, open_transcript, settle

from qualcode.tui import keymap
from qualcode.tui import strings as S
from qualcode.tui.screens import SCREENS, screen_class
from qualcode.tui.screens.help import help_renderable

NARROW = (80, 24)


def footer(app) -> list[tuple[str, int, int]]:
    """(action, first column, column after) of each key the screen's footer shows."""
    return [(key.action, key.region.x, key.region.right) for key in app.screen.query("FooterKey")]


def actions(app) -> list[str]:
    return [action for action, _, _ in footer(app)]


def assert_whole(app) -> None:
    keys = footer(app)
    assert keys, "no keys in the footer"
    assert all(right <= NARROW[0] for _, _, right in keys), keys  # none cut at the edge
    assert "app.help" in actions(app)  # ? lists what did not fit


async def test_tui_footer_every_screen_at_80_columns_shows_whole_keys_and_help(small_project):
    """At 80 columns the statistics screen's footer stopped at 'u Un' (t, r, c, ? and more cut off),
    and in review mode 'A Accept X Reject > Ski' was all of the decisions there was room for."""
    suggest(small_project, *THREE)
    study(small_project)
    app = make_app(small_project)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        assert_whole(app)  # the transcripts list
        await open_transcript(pilot)
        assert_whole(app)
        await pilot.press("E")  # review mode: its decisions first
        await pilot.pause()
        assert_whole(app)
        shown = actions(app)
        assert shown[:5] == ["decide('accept')", "decide('reject')", "decide('skip')", "decide('other_code')", "decide('order')"]
        await pilot.press("escape", "ctrl+t")
        await settle(pilot)
        assert_whole(app)
        assert "next_coder" in actions(app)  # c was in no footer
        await pilot.press("escape", "ctrl+r")
        await settle(pilot)
        assert_whole(app)
        await pilot.press("escape")
        await open_review(pilot)
        assert_whole(app)
        assert {"settle_first", "settle_second", "settle_both", "settle_neither", "next_disagreement"} <= set(actions(app))


async def test_tui_footer_a_dialog_shows_its_own_keys_not_the_coding_screens(small_project):
    """With the memo dialog or the code list open, the footer beneath still offered 'space Sentence
    T Turn ⏎ Code… del Uncode', keys that do nothing while the dialog is open."""
    app = make_app(small_project)
    async with app.run_test(size=NARROW) as pilot:
        coding = await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "space", "v")  # a coding to write a memo on
        await pilot.press("M")
        await pilot.pause()
        assert type(app.screen).__name__ == "MemoModal"
        assert set(actions(app)) == {"save", "cancel"}  # Ctrl+S, Esc: nothing of the screen beneath
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "CodePicker"
        assert set(actions(app)) == {"cancel"}
        await pilot.press("ctrl+t")  # the app's keys wait while a dialog is open
        await pilot.pause()
        assert type(app.screen).__name__ == "CodePicker"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is coding and "select_sentence" in actions(app)


async def test_tui_footer_help_lists_the_keys_of_every_screen(small_project):
    """A key left out of the footer must be in the help screen: the pseudonymisation review's
    keys (j/k, E extend left) were in neither."""
    app = make_app(small_project)
    async with app.run_test(size=NARROW):
        tables = [part for part in help_renderable(app, small_project.codebook).renderables if isinstance(part, Table)]
    listed_ids = {str(cell) for table in tables for cell in table.columns[0]._cells}
    described = [[str(cell) for cell in table.columns[-1]._cells] for table in tables]
    for name in SCREENS:
        if name == "help":
            continue  # Esc or ? again closes it: said in its footer
        bindings = screen_class(name).BINDINGS
        own = [b.tooltip or b.description for b in bindings if b.id not in keymap.BY_ID]
        if own:
            assert own in described, f"the {name} screen's own keys are not in the help screen"
        assert {b.id for b in bindings if b.id in keymap.BY_ID} <= listed_ids


async def test_tui_footer_help_opens_with_the_keys_of_the_screen_it_came_from(small_project):
    """At 80x24 the statistics screen's keys (those its footer has no room for) came after five
    screens of other keys in the help; they come first there now, and so do each screen's."""
    app = make_app(small_project)

    async def first_title() -> str:
        await pilot.press("question_mark")
        await pilot.pause()
        body = app.screen.query_one("#help-text").content
        titles = [str(part.title) for part in body.renderables if isinstance(part, Table)]
        title = next(t for t in titles if t != S.HELP_LEFT_OUT)  # after what the footer had no room for
        await pilot.press("escape")
        await pilot.pause()
        return title

    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        assert await first_title() == "Transcripts list"
        await open_transcript(pilot)
        assert await first_title() == "Coding screen"
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert (await first_title()).startswith("Statistics screen")


def labels(app) -> dict[str, str]:
    """The footer's keys: action → label."""
    return {key.action: key.description for key in app.screen.query("FooterKey")}


async def test_tui_footer_e_in_review_mode_says_it_stops_the_review(small_project):
    """In review mode E stops the review, but the footer labelled it 'Review' (at 80 columns it
    was not shown at all): it says 'Stop review' there, beside the decisions, and 'Review' again
    after. L says the order it switches to."""
    suggest(small_project, *THREE)
    app = make_app(small_project)
    async with app.run_test(size=NARROW) as pilot:
        await open_transcript(pilot)
        review = keymap.BY_ID["review"].action
        assert labels(app)[review] == "Review"
        await pilot.press("E")
        await pilot.pause()
        assert app.screen.reviewing
        assert labels(app)[review] == "Stop review"
        assert_whole(app)
        order = keymap.BY_ID["review_order"].action  # it said 'Order': which one, to or from?
        assert labels(app)[order] == "Likely first"
        await pilot.press("L")
        await pilot.pause()
        assert labels(app)[order] == "Reading order"
        assert_whole(app)
        assert review in actions(app)  # E still fits beside the longer label
        await pilot.press("E")
        await pilot.pause()
        assert not app.screen.reviewing
        assert labels(app)[review] == "Review"


async def test_tui_footer_help_starts_with_every_key_the_footer_had_no_room_for(small_project):
    """At 80x24 the statistics screen's footer leaves out r, t, the tab keys, ^o and ^z; in the help
    they came three pages down (r) or later (^o, ^z, after the statistics screen's wrapped table).
    The help now starts with exactly the keys the screen accepts and its footer does not show, one
    line each, all on its first page."""
    from rich.console import Console

    app = make_app(small_project)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        in_footer = set(actions(app))
        accepted = {b.action for _, b, enabled, tip in app.screen.active_bindings.values() if enabled and tip}
        await pilot.press("question_mark")
        await pilot.pause()
        body = app.screen.query_one("#help-text").content
        first = next(part for part in body.renderables if isinstance(part, Table))
        assert str(first.title) == S.HELP_LEFT_OUT
        listed = [str(cell) for cell in first.columns[0]._cells]
        for key in ("r", "t", "1", "4", "^o", "^z", "^y", "^r"):
            assert key in listed, (key, listed)
        assert "e" not in listed  # in the footer
        assert len(listed) == len(accepted - in_footer)  # every key accepted: in the footer or here
        lines = Console(width=NARROW[0] - 4).render_lines(first, pad=False)
        assert len(lines) <= app.screen.query_one("#help-body").size.height  # on the first page


async def test_tui_footer_space_and_t_say_they_extend_a_selection(small_project):
    """A selection stays after coding it (for a second code), and then Space extends it by a
    sentence: pressed to select the next sentence, it coded two turns with the next code key,
    while the footer said 'space Sentence'. With a selection it says '+Sentence' and '+Turn'."""
    app = make_app(small_project)
    async with app.run_test(size=NARROW) as pilot:
        await open_transcript(pilot)
        sentence, turn = keymap.BY_ID["select_sentence"].action, keymap.BY_ID["select_turn"].action
        assert (labels(app)[sentence], labels(app)[turn]) == ("Sentence", "Turn")
        await pilot.press("right_curly_bracket", "space", "v")  # select a sentence, code it
        await pilot.pause()
        assert app.screen.document.selection is not None  # kept, for another code
        assert (labels(app)[sentence], labels(app)[turn]) == ("+Sentence", "+Turn")
        assert_whole(app)
        await pilot.press("escape")
        await pilot.pause()
        assert (labels(app)[sentence], labels(app)[turn]) == ("Sentence", "Turn")


def assert_cut_with_a_sign(app, selector: str) -> None:
    """A one-line status longer than its line ends in '…' (it stopped mid-word, with no sign)."""
    widget = app.screen.query_one(selector)
    said = str(widget.render())
    assert len(said) > widget.content_size.width, (selector, said)  # the case under test
    assert widget.render_line(0).text.rstrip().endswith("…"), (selector, widget.render_line(0).text)


async def test_tui_footer_one_line_statuses_say_where_they_are_cut(small_project):
    """At 80 columns the transcripts list's summary stopped at '· 1 pending suggestions · 4' (the
    codes, the coder: gone, with no sign). The other screens' one-line statuses (segments,
    disagreements, pseudonymisation) have the same style."""
    app = make_app(small_project, coder="a-coder-with-a-rather-long-name-for-this-line")
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+z")  # 'Nothing to undo │ ' before the summary
        await pilot.pause()
        assert_cut_with_a_sign(app, "#transcripts-summary")
