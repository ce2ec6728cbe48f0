"""Pending suggestions in the coding screen and review mode, through Pilot.

Most tests put suggestions in the store directly (``replace_pending_suggestions``,
what a run stores) so they stay fast; one test runs the real spaCy runner on a
tiny transcript through the app's worker. Every check of the store goes through a
second connection, and every wait is on the app's workers, never a sleep.
"""

from __future__ import annotations

import threading

from test_suggest_support import REVIEW_CONFIG
from test_tui_support import (
    SMALL_CODEBOOK,
    SMALL_TRANSCRIPT,
    make_app,
    make_project,
    open_transcript,
    settle,
)

from qualcode.model import ACCEPTED, PENDING, REJECTED, SUGGESTED
from qualcode.session_history import SessionHistory, SuggestionDecision
from qualcode.store import Store
from qualcode.tui.screens.coding_suggestions import CURRENT, MARK, OVERLAY
from qualcode.tui.widgets.picker import CodePicker

SIZE = (96, 28)
TEXT = SMALL_TRANSCRIPT
BANG = "Eerst was ik bang."
VERTROUW = "Nu vertrouw ik haar."
SCHAMEN = "Die schamen zich."


def span(sentence: str) -> tuple[int, int]:
    start = TEXT.index(sentence)
    return start, start + len(sentence)


def suggest(project, *items: tuple[str, str, float | None, str]) -> list[int]:
    """Store pending suggestions ``(sentence, code, score, reason)`` as a run would; their ids."""
    store = project.store
    tid = next(iter(store.transcripts.names()))
    proposals = [
        (*span(sentence), code, "rules" if score is None else "learned", score, reason) for sentence, code, score, reason in items
    ]
    store.suggestions.replace_pending(tid, proposals)
    return [s.id for s in store.suggestions.find(tid)]


THREE = (
    (BANG, "drempels", None, "matched keyword 'bang'"),
    (VERTROUW, "vertrouwen", 0.81, "learned from 9 coded sentences (score 0.81)"),
    (SCHAMEN, "drempels", None, "matched lemma 'schamen'"),
)


def stored_codings(project) -> list[tuple[str, str, str, int | None]]:
    """(quote, code, origin, suggestion id) of every coding, through a second connection."""
    with Store(project.db_path) as other:
        return [(c.quote, c.code_id, c.origin, c.suggestion_id) for c in other.codings.find()]


def statuses(project) -> dict[str, str]:
    """Each suggestion's status by its text, through a second connection."""
    with Store(project.db_path) as other:
        return {TEXT[s.start : s.end]: s.status for s in other.suggestions.find()}


def status_of(screen) -> str:
    return "\n".join(str(screen.query_one(f"#coding-{part}").render()) for part in ("here", "where"))


def review_panel(screen) -> str:
    return str(screen.query_one("#coding-review").render())


def line_with(screen, sentence: str) -> str:
    """The drawn text of the document line holding ``sentence``'s start (margin included)."""
    layout = screen.document.layout_
    return screen.document.render_document_line(layout.line_of(span(sentence)[0])).text


async def test_tui_review_pending_suggestions_are_drawn_apart_from_codings(small_project):
    suggest(small_project, *THREE)
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        overlay = screen.document.overlays[OVERLAY]
        assert [(s, e) for s, e, _ in overlay.spans.spans] == [span(BANG), span(VERTROUW), span(SCHAMEN)]
        assert screen.model.codings == {}  # not codings
        style = overlay.style(overlay.spans.at(span(BANG)[0]))
        assert style.underline and style.bgcolor is None  # underlined in the code's colour, not filled
        assert MARK in line_with(screen, BANG)[:6]  # a mark in the margin
        await pilot.press("right_curly_bracket")  # the cursor on "Eerst was ik bang."
        assert "suggested: Drempels voor gezinnen · matched keyword 'bang'" in status_of(screen)
        await pilot.press("P")  # hide them
        assert OVERLAY not in screen.document.overlays and MARK not in line_with(screen, BANG)[:6]
        assert "suggested" not in status_of(screen).split("\n")[0]
        await pilot.press("P")
        assert OVERLAY in screen.document.overlays


async def test_tui_review_walks_in_reading_order_with_counts_and_scrolls(small_project):
    suggest(small_project, *THREE)
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("E")
        assert screen.reviewing
        assert screen.document.cursor == span(BANG)[0]
        assert [(s, e) for s, e, _ in screen.document.overlays[CURRENT].spans.spans] == [span(BANG)]
        panel = review_panel(screen)
        assert "Suggestion 1 of 3 pending" in panel and "Drempels voor gezinnen" in panel
        assert "why: matched keyword 'bang'" in panel
        assert screen.tree.highlighted_code == "drempels"  # its definition is in the details panel
        await pilot.press("greater_than_sign")  # skip
        assert screen.document.cursor == span(VERTROUW)[0]
        assert "Suggestion 2 of 3 pending" in review_panel(screen) and "score 0.81" in review_panel(screen)
        await pilot.press("greater_than_sign", "greater_than_sign")  # past the last: back to the first
        assert screen.document.cursor == span(BANG)[0]
        await pilot.press("less_than_sign")
        assert screen.document.cursor == span(SCHAMEN)[0]
        assert stored_codings(small_project) == [] and set(statuses(small_project).values()) == {PENDING}
        await pilot.press("escape")
        assert not screen.reviewing and CURRENT not in screen.document.overlays
        assert "Review stopped: 0 accepted, 0 rejected, 3 still pending" in status_of(screen)


async def test_tui_review_most_likely_first(small_project):
    suggest(
        small_project,
        (BANG, "drempels", 0.35, "rule: matched keyword 'bang'"),
        (VERTROUW, "vertrouwen", 0.81, "learned from 9 coded sentences (score 0.81)"),
        (SCHAMEN, "drempels", 0.6, "rule: matched lemma 'schamen'"),
    )
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("E", "L")  # review, then: the most likely first
        assert "Reviewing the most likely suggestions first" in status_of(screen)
        await pilot.press("escape", "E")  # a new review in that order starts at the best one
        assert screen.document.cursor == span(VERTROUW)[0]
        assert "Suggestion 1 of 3 pending" in review_panel(screen)
        await pilot.press("greater_than_sign")
        assert screen.document.cursor == span(SCHAMEN)[0]  # 0.6 before 0.35
        assert "Suggestion 2 of 3 pending" in review_panel(screen)
        await pilot.press("greater_than_sign")
        assert screen.document.cursor == span(BANG)[0]
        await pilot.press("L", "greater_than_sign")  # back to reading order: after BANG comes VERTROUW
        assert screen.document.cursor == span(VERTROUW)[0]


async def test_tui_review_starts_at_the_suggestion_from_the_cursor_on(small_project):
    suggest(small_project, *THREE)
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "right_parenthesis", "E")
        assert screen.document.cursor == span(VERTROUW)[0]


async def test_tui_review_accept_is_stored_before_the_next_key(small_project):
    suggest(small_project, *THREE)
    app = make_app(small_project, coder="Ilse")
    seen: list = []
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        original = type(screen).action_decide

        def spy(this, decision):
            if decision == "skip":
                seen.append(stored_codings(small_project))
            original(this, decision)

        screen.action_decide = spy.__get__(screen)
        bang_id = screen.suggestions.rows[0].id
        await pilot.press("E", "A", "greater_than_sign")
        assert seen == [[(BANG, "drempels", SUGGESTED, bang_id)]]
        with Store(small_project.db_path) as other:
            row = other.suggestions.get(bang_id)
            assert row.status == ACCEPTED and row.decided_by == "Ilse" and row.coding_id is not None
            assert other.codings.get(row.coding_id).coder == "Ilse"
        # The coding shows like any coding; the suggestion is no longer drawn as one.
        assert [c.code_id for c in screen.model.codings_at(span(BANG)[0])] == ["drempels"]
        assert bang_id not in screen.document.overlays[OVERLAY].spans.span_of
        assert "Suggestion 2 of 2 pending" in review_panel(screen)  # skipped from the 1st to the 2nd
        assert "1 accepted, 0 rejected" in review_panel(screen)


async def test_tui_review_reject_is_remembered_and_moves_on(small_project):
    suggest(small_project, *THREE)
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("E", "X")
        assert statuses(small_project)[BANG] == REJECTED
        assert stored_codings(small_project) == []
        assert screen.document.cursor == span(VERTROUW)[0]
        assert "Rejected: Drempels voor gezinnen" in status_of(screen)
        # A new run proposing the same span and code again leaves it rejected and hidden.
        suggest(small_project, *THREE)
        app_store = small_project.store
        assert [app_store.suggestions.get(i).status for i in (s.id for s in app_store.suggestions.find())] == [
            REJECTED,
            PENDING,
            PENDING,
        ]
        screen.suggestions.reload()
        assert [(s, e) for s, e, _ in screen.document.overlays[OVERLAY].spans.spans] == [span(VERTROUW), span(SCHAMEN)]


async def test_tui_review_accept_with_another_code_through_the_picker(small_project):
    suggest(small_project, *THREE)
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("E", "C")  # which code? the panel asks; the list is one key away
        assert "Accept with which code?" in review_panel(screen)
        await pilot.press("enter")
        assert isinstance(pilot.app.screen, CodePicker)
        await pilot.press(*"kracht van het gezin", "enter")
        await pilot.pause()
        assert pilot.app.screen is screen
        [(quote, code, origin, sid)] = stored_codings(small_project)
        assert (quote, code, origin) == (BANG, "kracht_gezin", SUGGESTED)
        with Store(small_project.db_path) as other:
            assert other.suggestions.get(sid).status == ACCEPTED
            assert other.suggestions.get(sid).code_id == "drempels"  # what was suggested stays on record
        assert screen.document.cursor == span(VERTROUW)[0]


async def test_tui_review_a_code_key_alone_applies_nothing_c_then_the_key_accepts_with_it(small_project):
    suggest(small_project, *THREE)
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("E", "greater_than_sign", "h")  # a code key alone, on "Nu vertrouw ik haar."
        assert stored_codings(small_project) == [] and statuses(small_project)[VERTROUW] == PENDING
        assert "C first: C h accepts it as Drempels voor gezinnen" in status_of(screen)
        await pilot.press("C", "h")
        assert stored_codings(small_project)[0][:3] == (VERTROUW, "drempels", SUGGESTED)
        assert "Accepted: Drempels voor gezinnen" in status_of(screen)
        await pilot.press("C", "greater_than_sign")  # not a code's key: the choice is dropped, nothing else
        assert statuses(small_project)[SCHAMEN] == PENDING and "Suggestion 2 of 2" in review_panel(screen)
        assert "No other code chosen" in status_of(screen)
        await pilot.press("C", "escape")  # Esc steps out of the choice, not out of review
        assert screen.reviewing and "which code" not in review_panel(screen)
        await pilot.press("ctrl+z")
        assert "Undone: acceptance of the suggestion Drempels voor gezinnen" in status_of(screen)


async def test_tui_review_letters_decide_in_either_case_even_when_a_code_has_that_key(tmp_path):
    """The issue's slip: the footer says "A accept" and a code's key is "a"; lower-case a must accept."""
    codebook = SMALL_CODEBOOK.replace("key: v", "key: a").replace("key: h", "key: x").replace('key: "2"', "key: c")
    project = make_project(tmp_path / "p", {"gesprek.txt": SMALL_TRANSCRIPT}, codebook)
    try:
        suggest(project, *THREE)
        async with make_app(project).run_test(size=SIZE) as pilot:
            screen = await open_transcript(pilot)
            await pilot.press("E", "a")  # accept "Eerst was ik bang." as drempels, not code it vertrouwen (key a)
            assert stored_codings(project)[0][:3] == (BANG, "drempels", SUGGESTED)
            await pilot.press("x")  # reject "Nu vertrouw ik haar.", not code it drempels (key x)
            assert statuses(project)[VERTROUW] == REJECTED and len(stored_codings(project)) == 1
            await pilot.press("c", "c")  # other code, then the code with key c (kracht)
            assert stored_codings(project)[1][:3] == (SCHAMEN, "kracht", SUGGESTED)
            assert not screen.reviewing  # all decided
            await pilot.press("right_curly_bracket", "a")  # review over: a is a code key again
            assert [c[1] for c in stored_codings(project)][-1] == "vertrouwen"
    finally:
        project.close()


async def test_tui_review_undo_and_redo_of_an_accept_and_a_reject(small_project):
    suggest(small_project, *THREE)
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("E", "A", "X")
        assert statuses(small_project) == {BANG: ACCEPTED, VERTROUW: REJECTED, SCHAMEN: PENDING}
        await pilot.press("ctrl+z")  # the reject
        assert statuses(small_project)[VERTROUW] == PENDING
        assert screen.document.cursor == span(VERTROUW)[0] and screen.reviewing
        assert "Undone: rejection of the suggestion Vertrouwen" in status_of(screen)
        await pilot.press("ctrl+z")  # the accept: its coding goes too
        assert statuses(small_project)[BANG] == PENDING and stored_codings(small_project) == []
        assert screen.model.codings == {}
        assert "Suggestion 1 of 3 pending" in review_panel(screen)
        assert "0 accepted, 0 rejected" in review_panel(screen)
        assert screen.document.cursor == span(BANG)[0]
        await pilot.press("ctrl+y")
        assert statuses(small_project)[BANG] == ACCEPTED
        assert [c[:3] for c in stored_codings(small_project)] == [(BANG, "drempels", SUGGESTED)]
        assert len(screen.model.codings) == 1


async def test_tui_review_undo_follows_the_order_of_codings_and_decisions(small_project):
    suggest(small_project, *THREE)
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        # Code "Ik kende niemand..." by hand, then accept a suggestion, then code by hand again.
        await pilot.press("right_curly_bracket", "right_parenthesis", "2")
        await pilot.press("ctrl+home", "E", "A", "escape")
        await pilot.press("ctrl+end", "o")
        assert [c[1] for c in stored_codings(small_project)] == ["drempels", "kracht", "kracht_gezin"]
        await pilot.press("ctrl+z")
        assert [c[1] for c in stored_codings(small_project)] == ["drempels", "kracht"]
        await pilot.press("ctrl+z")
        assert [c[1] for c in stored_codings(small_project)] == ["kracht"]
        assert statuses(small_project)[BANG] == PENDING
        await pilot.press("ctrl+z", "ctrl+z")
        assert stored_codings(small_project) == []
        assert "Nothing to undo" in status_of(screen)


async def test_tui_review_keys_do_nothing_outside_review_and_the_end_is_announced(small_project):
    suggest(small_project, *THREE[:2])
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "A", "X", "greater_than_sign")
        assert stored_codings(small_project) == [] and set(statuses(small_project).values()) == {PENDING}
        footer_keys = {b.binding.id for b in screen.active_bindings.values() if b.enabled}
        assert "review" in footer_keys and "review_accept" not in footer_keys
        await pilot.press("E")
        footer_keys = {b.binding.id for b in screen.active_bindings.values() if b.enabled}
        assert {"review_accept", "review_reject", "review_skip", "review_other_code"} <= footer_keys
        await pilot.press("A", "A")
        assert not screen.reviewing
        assert "All suggestions in this transcript decided: 2 accepted, 0 rejected" in status_of(screen)
        await pilot.press("E")
        assert not screen.reviewing and "No pending suggestions in this transcript" in status_of(screen)


async def test_tui_review_drops_a_code_filter_that_hides_the_suggestion(small_project):
    suggest(small_project, *THREE)
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "v", "F")  # only the turns with segments of Vertrouwen
        assert screen.filter_code == "vertrouwen"
        await pilot.press("E", "greater_than_sign")  # the first, then the second (same turn: shown)
        assert screen.filter_code == "vertrouwen" and screen.document.cursor == span(VERTROUW)[0]
        await pilot.press("greater_than_sign")  # "Die schamen zich." is in a turn the filter hides
        assert screen.filter_code is None and screen.document.cursor == span(SCHAMEN)[0]


async def test_tui_review_a_suggestion_decided_elsewhere_is_reported(small_project):
    ids = suggest(small_project, *THREE)
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("E")
        with Store(small_project.db_path) as other:  # a CLI command in another terminal
            other.suggestions.reject(ids[0], "someone")
        await pilot.press("A")
        assert any(n.title == "QC704" for n in pilot.app._notifications)
        assert stored_codings(small_project) == []
        assert screen.document.cursor == span(VERTROUW)[0]  # re-read: the next pending one


async def test_tui_review_coding_by_hand_hides_a_suggestion_it_covers(small_project):
    suggest(small_project, *THREE)
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "h")  # "Eerst was ik bang." coded as suggested, by hand
        assert [(s, e) for s, e, _ in screen.document.overlays[OVERLAY].spans.spans] == [span(VERTROUW), span(SCHAMEN)]
        await pilot.press("ctrl+z")
        assert len(screen.document.overlays[OVERLAY].spans) == 3


# --- the session history itself (no app) -------------------------------------------------


def test_tui_review_session_history_interleaves_codings_and_decisions(small_project):
    ids = suggest(small_project, *THREE)
    store = small_project.store
    tid = next(iter(store.transcripts.names()))
    history = SessionHistory(store, small_project.codebook)
    history.apply(tid, *span(SCHAMEN), ["kracht"], "a")
    accepted = history.accept(ids[0], "a", "kracht_gezin")
    assert isinstance(accepted, SuggestionDecision) and accepted.code_id == "kracht_gezin" and len(accepted.added) == 1
    history.reject(ids[1], "a")
    assert len(history) == 3
    undone = history.undo()
    assert isinstance(undone, SuggestionDecision) and undone.undo and undone.suggestion.status == PENDING
    undone = history.undo()
    assert undone.removed == accepted.added and store.suggestions.get(ids[0]).status == PENDING
    assert history.undo().kind == "apply" and store.codings.find() == []
    assert history.undo() is None
    assert history.redo().kind == "apply"
    redone = history.redo()
    assert redone.added[0].code_id == "kracht_gezin" and store.suggestions.get(ids[0]).coding_id == redone.added[0].id
    # A new action drops what could be redone (the reject).
    history.apply(tid, *span(BANG), ["vertrouwen"], "a")
    assert not history.can_redo and history.redo() is None


def test_tui_review_session_history_accept_of_an_already_coded_span_links_and_undoes_nothing(small_project):
    ids = suggest(small_project, *THREE)
    store = small_project.store
    tid = next(iter(store.transcripts.names()))
    history = SessionHistory(store, small_project.codebook)
    # Coded outside the session (the CLI, an import): the suggestion is still pending.
    human = store.codings.add(tid, *span(BANG), "drempels", "a").coding
    decision = history.accept(ids[0], "a")  # the same coder: another coder's acceptance is their own coding
    assert decision.added == () and decision.unchanged[0].id == human.id
    history.undo()
    assert [c.id for c in store.codings.find()] == [human.id]  # the human coding stays
    assert store.suggestions.get(ids[0]).status == PENDING


def test_tui_review_session_history_a_coding_settles_the_suggestions_it_makes_redundant(small_project):
    """The issue's count mismatch: a suggestion covered by a coding of its code is resolved at once."""
    store = small_project.store
    tid = next(iter(store.transcripts.names()))
    start, end = span(BANG)
    proposals = [(start, end, "drempels", "rules", None, "r"), (start, end, "vertrouwen", "learned", 0.9, "l"),
                 (start, end - 5, "drempels", "learned", 0.8, "l")]  # fmt: skip
    store.suggestions.replace_pending(tid, proposals)
    ids = {(s.end, s.code_id): s.id for s in store.suggestions.find(tid)}
    bang, trust, shorter = ids[end, "drempels"], ids[end, "vertrouwen"], ids[end - 5, "drempels"]
    history = SessionHistory(store, small_project.codebook)
    decision = history.accept(trust, "a", "drempels")  # the vertrouwen one, accepted as drempels
    assert decision.code_id == "drempels"
    assert {s.id: s.status for s in store.suggestions.find(tid)} == {bang: ACCEPTED, trust: ACCEPTED, shorter: ACCEPTED}
    assert store.suggestions.get(bang).coding_id == decision.added[0].id
    assert store.suggestions.pending_by_transcript() == {}  # the list, the CLI and the screen agree: none left
    history.undo()  # everything it settled is open again
    assert {s.status for s in store.suggestions.find(tid)} == {PENDING}
    history.redo()
    assert {s.status for s in store.suggestions.find(tid)} == {ACCEPTED}
    history.undo()
    applied = history.apply(tid, start, end, ["drempels"], "a")  # coding by hand settles them too
    assert {s.id: s.status for s in store.suggestions.find(tid)} == {bang: ACCEPTED, trust: PENDING, shorter: ACCEPTED}
    assert store.suggestions.get(shorter).decided_by == "a"
    history.undo()
    assert applied.added and {s.status for s in store.suggestions.find(tid)} == {PENDING}


def test_tui_review_session_history_drops_a_decision_changed_elsewhere(small_project):
    ids = suggest(small_project, *THREE)
    store = small_project.store
    history = SessionHistory(store, small_project.codebook)
    history.reject(ids[0], "a")
    store.suggestions.reopen(ids[0])  # undone outside the session
    store.suggestions.accept(ids[0], "b")
    try:
        history.undo()
    except Exception as exc:  # noqa: BLE001 - the error is the point
        assert getattr(exc, "code", None) == "QC800" and "it is accepted now" in str(exc)
    else:
        raise AssertionError("expected QC800")
    assert not history.can_undo and not history.can_redo


# --- running suggestions and training in the app's worker ----------------------------------

HINTED_CODEBOOK = SMALL_CODEBOOK.replace("    key: v\n", "    key: v\n    hints:\n      lemmas: [vertrouwen]\n", 1).replace(
    "    key: h\n", "    key: h\n    hints:\n      keywords: [bang]\n      lemmas: [schamen]\n", 1
)


def gate_runs(monkeypatch) -> threading.Event:
    """Hold the real suggestion runner at its first progress report until the event is set."""
    import qualcode.suggest

    gate = threading.Event()
    real = qualcode.suggest.run_suggestions

    def gated(root, ids, *, progress, should_cancel):
        def held(done, total, what):
            gate.wait(10)
            progress(done, total, what)

        return real(root, ids, progress=held, should_cancel=should_cancel)

    monkeypatch.setattr(qualcode.suggest, "run_suggestions", gated)
    return gate


async def test_tui_review_run_suggestions_in_a_worker_then_review(tmp_path, monkeypatch):
    """The real runner (spaCy loads in the worker); a rejected one is not proposed again."""
    import sys

    project = make_project(tmp_path / "p", {"gesprek.txt": SMALL_TRANSCRIPT}, HINTED_CODEBOOK, REVIEW_CONFIG)
    gate = gate_runs(monkeypatch)
    try:
        app = make_app(project)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_transcript(pilot)
            assert screen.suggestions.rows == []
            await pilot.press("G")
            assert app.jobs.running  # the key returned at once; the run goes on in the worker
            assert screen.query_one("#coding-job").has_class("-active")
            await pilot.press("right_curly_bracket")  # the screen answers meanwhile
            assert screen.document.cursor == span(BANG)[0]
            gate.set()
            await settle(pilot)
            assert not app.jobs.running and not screen.query_one("#coding-job").has_class("-active")
            assert "spacy" in sys.modules
            found = {(TEXT[r.start : r.end], r.code_id) for r in screen.suggestions.rows}
            assert {(BANG, "drempels"), (SCHAMEN, "drempels"), (VERTROUW, "vertrouwen")} <= found
            assert "suggestion(s) pending in 1 transcript(s)" in status_of(screen)
            await pilot.press("E", "X")  # reject "Eerst was ik bang." / drempels
            count = len(screen.suggestions.rows)
            await pilot.press("G")
            await settle(pilot)
            assert len(screen.suggestions.rows) == count
            assert (BANG, "drempels") not in {(TEXT[r.start : r.end], r.code_id) for r in screen.suggestions.rows}
    finally:
        project.close()


async def test_tui_review_a_run_can_be_cancelled(tmp_path, monkeypatch):
    project = make_project(
        tmp_path / "p", {"a.txt": SMALL_TRANSCRIPT, "b.txt": SMALL_TRANSCRIPT.replace("bang", "boos")}, HINTED_CODEBOOK
    )
    gate = gate_runs(monkeypatch)
    try:
        app = make_app(project)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("G", "ctrl+g")  # from the transcripts list: every transcript
            assert app.jobs.state.cancelling
            assert "cancelling" in str(app.screen.query_one("#transcripts-job .job--hint").render())
            gate.set()
            await settle(pilot)
            assert not app.jobs.running
            summary = str(app.screen.query_one("#transcripts-summary").render())
            assert "cancelled after 0 transcript(s)" in summary
            await pilot.press("ctrl+g")  # nothing to cancel: the key is off
            assert not app.jobs.running
    finally:
        project.close()


async def test_tui_review_a_run_says_why_it_proposes_little_before_the_hints_are_checked(tmp_path):
    # The default threshold (0.3): one untried hint (0.25) is not proposed, and the run says so on screen.
    project = make_project(tmp_path / "p", {"a.txt": SMALL_TRANSCRIPT}, HINTED_CODEBOOK)
    try:
        app = make_app(project)
        async with app.run_test(size=(120, 20)) as pilot:
            await pilot.pause()
            await pilot.press("G")
            await settle(pilot)
            with Store(project.db_path) as other:
                assert other.suggestions.find() == []
            (note,) = [n.message for n in app._notifications if "checked the codebook's hints" in n.message]
            assert "one hint alone scores 0.25, below suggestion_threshold 0.3" in note
            assert "there is no learned model yet" in note and "no learned suggestions yet" not in note  # one note, not two
    finally:
        project.close()


async def test_tui_review_transcripts_screen_suggests_for_the_listed_and_counts(tmp_path):
    project = make_project(
        tmp_path / "p", {"a.txt": SMALL_TRANSCRIPT, "b.txt": "I: Vraag?\nR: Ik was bang.\n"}, HINTED_CODEBOOK, REVIEW_CONFIG
    )
    try:
        app = make_app(project)
        async with app.run_test(size=(120, 20)) as pilot:
            await pilot.pause()
            await pilot.press("slash", "b", "enter", "G")  # only the listed transcript
            await settle(pilot)
            with Store(project.db_path) as other:
                assert {s.transcript_id for s in other.suggestions.find()} == {2}
            table = app.screen.query_one("#transcripts-table")
            assert str(table.get_row("2")[table.get_column_index("Suggested")]) == "1"
            summary = str(app.screen.query_one("#transcripts-summary").render())
            assert "1 pending suggestions" in summary and "1 suggestion(s) pending in 1 transcript(s)" in summary
    finally:
        project.close()


async def test_tui_review_retrain_from_the_palette_reports_too_little_coding(small_project):
    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        names = {c.name: c for c in app.palette_commands(app.screen)}
        assert {"Retrain the learned model", "Suggest codes for all transcripts", "Statistics"} <= set(names)
        names["Retrain the learned model"].run()
        assert app.jobs.running
        await settle(pilot)
        assert not app.jobs.running
        assert any(n.title == "QC705" for n in app._notifications)  # nothing to learn from yet


def test_tui_review_app_modules_leave_suggest_and_spacy_unimported():
    """The suggest package (~25 ms) loads with the first transcript, in its worker; spaCy only in a run."""
    import subprocess
    import sys

    code = (
        "import sys, qualcode.tui.app, qualcode.tui.screens.transcripts, qualcode.tui.screens.coding;"
        "print(sorted(m for m in ('qualcode.suggest', 'spacy', 'thinc') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


async def test_tui_review_a_run_that_fails_unexpectedly_is_reported_and_coding_goes_on(tmp_path, monkeypatch):
    # Any error but the user errors killed the worker and with it the app (Textual ends on a
    # worker's exception): a full disk or a bug in a run ended the coding session.
    import qualcode.suggest

    project = make_project(tmp_path / "p", {"a.txt": SMALL_TRANSCRIPT}, HINTED_CODEBOOK)

    def broken(*args, **kwargs):
        raise RuntimeError("schijf vol")

    monkeypatch.setattr(qualcode.suggest, "run_suggestions", broken)
    try:
        app = make_app(project)
        async with app.run_test(size=SIZE) as pilot:
            await open_transcript(pilot)
            await pilot.press("G")
            await settle(pilot)
            assert app.is_running and not app.jobs.running
            (shown,) = [n for n in app._notifications if n.severity == "error"]
            assert (
                shown.title == "QC973"
                and "the suggestion run stopped on an unexpected error (RuntimeError: schijf vol)" in shown.message
            )
            log = project.root / ".qualcode" / "last-error.txt"
            assert str(log) in shown.message and "RuntimeError: schijf vol" in log.read_text(encoding="utf-8")
            await pilot.press("space", "v")  # coding goes on
            await pilot.pause()
            assert len(project.store.codings.find()) == 1
    finally:
        project.close()


# A reason as the combined suggester writes it (user19 saw it cut after "the learned model does not").
LONG_REASON = (
    "rule: matched keyword 'bang'; this hint was right in 0 of 1 coded sentences; the learned model does not"
    " object (score 0.09); learned from 20 coded sentences: its hint in the previous sentence, 'gezin' in the"
    " question, 'hulp' in the question (score 0.17)"
)


def panel_lines(screen) -> list[str]:
    """The review panel's lines as drawn (its top border is not in its content)."""
    panel = screen.query_one("#coding-review")
    return [panel.render_line(y).text.strip() for y in range(panel.size.height)]


async def test_tui_review_panel_wraps_the_reason_and_keeps_its_keys_line(small_project):
    """The why line is what one decides by: wrapped onto up to three lines, never cut at one."""
    suggest(small_project, (BANG, "drempels", 0.21, LONG_REASON))
    async with make_app(small_project).run_test(size=(160, 40)) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("E")
        await pilot.pause()
        lines = panel_lines(screen)
        assert lines[0].startswith("Suggestion 1 of 1 pending")
        assert " ".join(" ".join(lines[1:-1]).split()) == "why: " + LONG_REASON  # all of it
        assert lines[-1].startswith("A accept")
    async with make_app(small_project).run_test(size=SIZE) as pilot:  # narrow: three lines, then "…"
        screen = await open_transcript(pilot)
        await pilot.press("E")
        await pilot.pause()
        lines = panel_lines(screen)
        assert len(lines) == 5 and lines[0].startswith("Suggestion 1 of 1 pending")
        assert lines[1].startswith("why: rule: matched keyword 'bang';") and lines[3].endswith("…")
        assert lines[-1].startswith("A accept")


async def test_tui_review_panel_names_the_order_key_and_what_it_switches_to(small_project):
    suggest(small_project, *THREE)
    async with make_app(small_project).run_test(size=(160, 40)) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("E")
        assert "L most likely first" in review_panel(screen)
        await pilot.press("L")
        assert "L reading order" in review_panel(screen)
