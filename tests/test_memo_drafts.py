"""A memo being written is kept as its draft while the researcher types: a closed terminal
or a killed process loses no memo text, and the next opening of the memo offers it back."""

from __future__ import annotations

from contextlib import closing

from conftest import database_before
from test_tui_support import SMALL_TRANSCRIPT, make_app, open_transcript
from textual.widgets import Label

from qualcode.cli import main
from qualcode.errors import QualcodeError
from qualcode.store import Store
from qualcode.tui.widgets import memo as memo_widget
from qualcode.tui.widgets.memo import MemoArea, MemoModal

SIZE = (120, 40)
TEXT = SMALL_TRANSCRIPT


def _coding(project):
    """The coding the tests write memos on ("Eerst", coded drempels (key h) at the cursor)."""
    (coding,) = project.store.codings.find()
    return coding


def _fresh(project):
    """What another process (the next start after a kill) reads from the project's store."""
    with Store(project.store.path) as other:
        return other.codings.draft(_coding(project).id)


# --- the store ----------------------------------------------------------------------------


def test_store_keeps_replaces_and_drops_a_coding_memo_draft(small_project):
    store = small_project.store
    tid = store.transcripts.names()
    (tid,) = list(tid)
    start = TEXT.index("Eerst")
    coding = store.codings.add(tid, start, start + 5, "drempels", "anna").coding
    assert store.codings.draft(coding.id) is None
    store.codings.keep_draft(coding.id, "eerste")
    store.codings.keep_draft(coding.id, "eerste versie")
    text, written = store.codings.draft(coding.id)
    assert text == "eerste versie" and written.endswith("+00:00")
    assert store.codings.drafts() == [(coding.id, "eerste versie")] == store.codings.drafts(tid)
    store.codings.drop_draft(coding.id)
    assert store.codings.draft(coding.id) is None and store.codings.drafts() == []


def test_a_removed_coding_takes_its_draft_along(small_project):
    store = small_project.store
    (tid,) = list(store.transcripts.names())
    coding = store.codings.add(tid, 0, 5, "drempels", "anna").coding
    store.codings.keep_draft(coding.id, "half af")
    store.codings.remove(coding.id)
    assert store.codings.drafts() == []


def test_a_project_of_migration_0016_gets_the_drafts_table(tmp_path):
    path = tmp_path / "q.db"
    with closing(database_before(path, "0017_memo_drafts")) as raw:
        raw.commit()
    with Store(path) as store:
        assert "0017_memo_drafts" in store.applied_migrations()
        assert store.codings.drafts() == []


# --- the coding screen --------------------------------------------------------------------


async def _memo_open(pilot):
    await pilot.press("right_curly_bracket", "h", "M")
    assert isinstance(pilot.app.screen, MemoModal)
    return pilot.app.screen


async def _type_draft(pilot, project, text):
    """Open the memo of the coding at the start, type ``text`` and wait until the store keeps it."""
    await _memo_open(pilot)
    await pilot.press(*text)
    for _ in range(500):  # at most 10 s: a loaded machine runs the timer late
        await pilot.pause(0.02)
        if (_fresh(project) or ("",))[0] == text:
            return
    raise AssertionError(f"no draft {text!r}: {_fresh(project)!r}")


async def test_typing_in_a_memo_is_in_the_store_before_it_is_saved(small_project, often):
    """Another connection (the next start after a kill -9) reads what was typed, unsaved."""
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        await open_transcript(pilot)
        await _type_draft(pilot, small_project, "eerste contact via de buurvrouw")
        assert _coding(small_project).memo is None  # not saved: a draft
        await pilot.press("ctrl+s")
        assert _coding(small_project).memo == "eerste contact via de buurvrouw"
        assert _fresh(small_project) is None  # saving ends the draft


async def test_the_next_opening_offers_the_draft_back(small_project, often):
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        await open_transcript(pilot)
        await _type_draft(pilot, small_project, "werk in uitvoering")
    # The app is gone without a save (as after a closed terminal): the draft stays.
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "M")
        modal = pilot.app.screen
        assert isinstance(modal, MemoModal)
        assert modal.query_one(MemoArea).text == "werk in uitvoering"
        notice = str(modal.query_one(".memo--restored", Label).render())
        assert "Not saved yet" in notice and "draft" in notice
        await pilot.press("escape")  # a restored draft is a change: Esc asks first
        assert pilot.app.screen is modal and modal.query_one("#memo-discard").display
        await pilot.press("ctrl+s")
        assert _coding(small_project).memo == "werk in uitvoering" and _fresh(small_project) is None


async def test_discarding_the_changes_ends_the_draft(small_project, often):
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await _type_draft(pilot, small_project, "toch niet")
        await pilot.press("escape", "escape")
        assert pilot.app.screen is screen
        assert _fresh(small_project) is None and _coding(small_project).memo is None
        await pilot.press("M")  # nothing is offered back
        assert pilot.app.screen.query_one(MemoArea).text == "" and not pilot.app.screen.query(".memo--restored")


async def test_leaving_the_app_without_saving_ends_the_draft(small_project, often):
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        await open_transcript(pilot)
        await _type_draft(pilot, small_project, "weg ermee")
        await pilot.press("ctrl+q", "ctrl+q")  # asked, then confirmed
        assert not pilot.app.is_running
    assert _fresh(small_project) is None


async def test_a_save_that_fails_keeps_every_typed_character(small_project, monkeypatch):
    """The draft is written before the memo: what was typed in the last second is not lost."""
    monkeypatch.setattr(memo_widget, "DRAFT_EVERY", 60.0)  # no timed write at all

    async with make_app(small_project).run_test(size=SIZE) as pilot:
        await open_transcript(pilot)

        def refuse(*args, **kwargs):
            raise QualcodeError("the project is busy", "try again")

        monkeypatch.setattr(type(pilot.app.history), "set_memo", refuse)
        await _memo_open(pilot)
        await pilot.press(*"net getypt", "ctrl+s")
        await pilot.pause()
        assert _coding(small_project).memo is None
        assert _fresh(small_project)[0] == "net getypt"


async def test_a_draft_equal_to_the_saved_memo_is_not_offered(small_project):
    """Stopped between saving the memo and ending its draft: nothing to offer back."""
    store = small_project.store
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "h", "M", *"klaar", "ctrl+s")
        store.codings.keep_draft(_coding(small_project).id, "klaar")
        await pilot.press("M")
        modal = pilot.app.screen
        assert modal.query_one(MemoArea).text == "klaar" and not modal.query(".memo--restored")
        assert store.codings.draft(_coding(small_project).id) is None


# --- the command line ---------------------------------------------------------------------


def test_memo_command_says_an_unsaved_draft_is_kept(small_project, runner):
    store = small_project.store
    (tid,) = list(store.transcripts.names())
    coding = store.codings.add(tid, 0, 5, "drempels", "anna", memo="oud").coding
    store.codings.keep_draft(coding.id, "nieuwe tekst die nog niet bewaard is")
    r = runner.invoke(main, ["--project", str(small_project.root), "memo", str(coding.id)])
    assert r.exit_code == 0 and r.stdout == "oud\n"
    assert "unsaved draft" in r.stderr and "nieuwe tekst" in r.stderr and "M on the coding" in r.stderr
    store.codings.drop_draft(coding.id)
    r = runner.invoke(main, ["--project", str(small_project.root), "memo", str(coding.id)])
    assert "draft" not in r.stderr


def test_check_points_out_unsaved_memo_drafts(small_project, runner):
    store = small_project.store
    (tid,) = list(store.transcripts.names())
    coding = store.codings.add(tid, 0, 5, "drempels", "anna").coding
    assert "unsaved draft" not in runner.invoke(main, ["--project", str(small_project.root), "check"]).output
    store.codings.keep_draft(coding.id, "half af")
    r = runner.invoke(main, ["--project", str(small_project.root), "check"])
    assert r.exit_code == 0  # a note, not a problem
    assert "1 memo(s) have an unsaved draft" in r.output and f"coding(s) {coding.id})" in r.output


async def test_the_list_of_overlapping_codings_says_which_has_a_draft(small_project, often):
    """After a kill -9 mid-memo, M where two codings overlap asked 'Memo on which coding?' with
    nothing to tell which one the draft was on: the other one opened with no draft, as if lost."""
    from textual.widgets import OptionList

    from qualcode.tui import strings as S
    from qualcode.tui.widgets.choose import ChooseCodingModal

    async with make_app(small_project).run_test(size=SIZE) as pilot:
        await open_transcript(pilot)
        await _type_draft(pilot, small_project, "half af")  # then the app is killed
    drafted = _coding(small_project).id
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "v")  # a second coding over the same sentence
        await pilot.pause()
        await pilot.press("M")
        await pilot.pause()
        modal = pilot.app.screen
        assert isinstance(modal, ChooseCodingModal)
        options = modal.query_one(OptionList)
        said = {
            options.get_option_at_index(i).id: str(options.get_option_at_index(i).prompt) for i in range(options.option_count)
        }
        assert len(said) == 2
        assert S.CHOOSE_DRAFT in said[str(drafted)]
        assert all(S.CHOOSE_DRAFT not in text for key, text in said.items() if key != str(drafted))
