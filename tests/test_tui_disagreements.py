"""Pilot tests of the disagreement review: settle with keys, undo, resume, the adjusted span."""

from __future__ import annotations

from test_tui_coding import SIZE
from test_tui_support import (
    SMALL_TRANSCRIPT,
    make_app,
    settle,
)

TEXT = SMALL_TRANSCRIPT


def span(phrase):
    start = TEXT.index(phrase)
    return start, start + len(phrase)


def study(project) -> None:
    """anna and bram: one agreed coding, one place with different codes, one with other boundaries."""
    store = project.store
    tid = next(iter(store.transcripts.names()))
    for phrase, code, coder in [
        ("Eerst was ik bang.", "drempels", "anna"),
        ("Eerst was ik bang.", "drempels", "bram"),
        ("Ik kende niemand bij het wijkteam.", "drempels", "anna"),
        ("Ik kende niemand bij het wijkteam.", "kracht", "bram"),
        ("Nu vertrouw ik haar.", "vertrouwen", "anna"),
        ("vertrouw ik haar.", "vertrouwen", "bram"),
    ]:
        store.codings.add(tid, *span(phrase), code, coder)


def consensus(project) -> list[tuple[str, str]]:
    return sorted((c.quote, c.code_id) for c in project.store.codings.find(coders=["consensus"]))


async def open_review(pilot):
    pilot.app.action_show_screen("disagreements")
    await pilot.pause()
    await settle(pilot)
    return pilot.app.screen


async def test_tui_disagreements_settle_with_keys_and_undo(small_project):
    study(small_project)
    async with make_app(small_project, coder="anna").run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        assert screen.SCREEN == "disagreements"
        # The agreed coding went to the consensus coder when the review opened.
        assert consensus(small_project) == [("Eerst was ik bang.", "drempels")]
        title = str(screen.query_one("#disagreements-title").render())
        assert "1 of 2" in title and "different codes" in title
        versions = str(screen.query_one("#disagreements-versions").render())
        assert "anna" in versions and "bram" in versions and "Ik kende niemand" in versions
        assert screen.document.selection == span("Ik kende niemand bij het wijkteam.")
        await pilot.press("B")  # keep bram's: kracht
        await settle(pilot)
        assert ("Ik kende niemand bij het wijkteam.", "kracht") in consensus(small_project)
        assert screen.index == 1  # moved on to the next unsettled place
        await pilot.press("less_than_sign")
        await settle(pilot)
        assert "Settled" in str(screen.query_one("#disagreements-versions").render())
        await pilot.press("greater_than_sign")
        await settle(pilot)
        await pilot.press("ctrl+z")  # the last decision, wherever the review is now
        await settle(pilot)
        assert screen.index == 0
        assert ("Ik kende niemand bij het wijkteam.", "kracht") not in consensus(small_project)
        assert "Not settled" in str(screen.query_one("#disagreements-versions").render())


async def test_tui_disagreements_adjusted_span_and_resume(small_project):
    study(small_project)
    async with make_app(small_project, coder="anna").run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        await pilot.press("K")  # both codes on the first place
        await settle(pilot)
        assert screen.index == 1
        # Narrow the selection to "Nu vertrouw ik" and settle with it.
        start, _ = span("Nu vertrouw ik haar.")
        screen.document.select(start, start + len("Nu vertrouw ik"))
        await pilot.press("enter")
        await settle(pilot)
        assert ("Nu vertrouw ik", "vertrouwen") in consensus(small_project)
    async with make_app(small_project, coder="bram").run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        assert screen.review.settled == 2
        assert "2 settled" in str(screen.query_one("#disagreements-title").render())


async def test_tui_disagreements_without_two_coders_says_so(small_project):
    async with make_app(small_project, coder="anna").run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        assert "at least two" in str(screen.query_one("#disagreements-title").render())


async def test_tui_disagreements_a_team_of_three_picks_the_pair_in_the_palette(small_project):
    """Three coders: the palette offers a review per pair that coded a transcript in common
    (it offered one review, which refused: '4 coders are here, pick two' with a --coders hint)."""
    study(small_project)
    store = small_project.store
    tid = next(iter(store.transcripts.names()))
    store.codings.add(tid, *span("Nu vertrouw ik haar."), "kracht", "cor")
    async with make_app(small_project, coder="anna").run_test(size=SIZE) as pilot:
        app = pilot.app
        reviews = [c for c in app.palette_commands(app.screen) if c.name.startswith("Review disagreements")]
        assert [c.name for c in reviews] == [
            "Review disagreements: anna and bram",
            "Review disagreements: anna and cor",
            "Review disagreements: bram and cor",
        ]
        reviews[1].run()
        await pilot.pause()
        await settle(pilot)
        screen = app.screen
        assert screen.SCREEN == "disagreements" and screen.review is not None
        assert (screen.review.first, screen.review.second) == ("anna", "cor")
        assert "cor" in str(screen.query_one("#disagreements-versions").render())
        assert screen.document.selection == span("Eerst was ik bang.")  # only anna coded it
        await pilot.press("A")  # keep anna's
        await settle(pilot)
        assert consensus(small_project) == [("Eerst was ik bang.", "drempels")]
        # Another pair from the palette replaces this review.
        next(c for c in app.palette_commands(app.screen) if c.name.endswith("anna and bram")).run()
        await pilot.pause()
        await settle(pilot)
        assert app.screen.SCREEN == "disagreements" and app.screen is not screen
        assert (app.screen.review.first, app.screen.review.second) == ("anna", "bram")
        assert sum(s.SCREEN == "disagreements" for s in app.screen_stack if hasattr(s, "SCREEN")) == 1
