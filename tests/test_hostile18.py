"""Round 18's hostile inputs: memo drafts, interviewers per transcript, REFI-QDA both ways."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from test_memo_drafts import SIZE, _coding, _memo_open
from test_tui_support import make_app, open_transcript, wait_until

from qualcode.cli import main
from qualcode.errors import QualcodeError
from qualcode.project import load_config
from qualcode.store import Store
from qualcode.tui.widgets.memo import MemoArea, MemoModal


async def test_typing_in_the_memo_of_a_coding_another_process_removed(small_project, often):
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        await open_transcript(pilot)
        await _memo_open(pilot)
        with Store(small_project.store.path) as other:
            other.codings.remove(_coding(small_project).id)
        await pilot.press(*"half af")
        for _ in range(500):  # the draft's write comes after DRAFT_EVERY (late on a loaded machine)
            await pilot.pause(0.02)
            if any(n.title == "QC237" for n in pilot.app._notifications):
                break
        said = [n.message for n in pilot.app._notifications if n.title == "QC237"]
        assert len(said) == 1 and "was removed while its memo was being written" in said[0]
        assert isinstance(pilot.app.screen, MemoModal)  # what is typed stays on screen to copy
        await pilot.press(*" en verder")
        await pilot.pause(0.2)
        assert len([n for n in pilot.app._notifications if n.title == "QC237"]) == 1  # said once
        await pilot.press("ctrl+s")
        await pilot.pause(0.1)
        assert any(n.title == "QC302" for n in pilot.app._notifications)  # the save says so too


def test_the_store_keeps_no_draft_for_a_removed_coding(small_project):
    store = small_project.store
    (tid,) = list(store.transcripts.names())
    coding = store.codings.add(tid, 0, 5, "drempels", "anna").coding
    store.codings.remove(coding.id)
    with pytest.raises(QualcodeError) as caught:
        store.codings.keep_draft(coding.id, "half af")
    assert caught.value.code == "QC237" and store.codings.drafts() == []


# --- interviewers per transcript ------------------------------------------------------------


@pytest.mark.parametrize(
    ("entries", "said"),
    [
        ("  a: [Spreker 1]\n  b: [Spreker 2]\n  a: [Spreker 2]", "line 5: 'a' is given twice (first on line 3)"),
        ("  a: [Spreker 1]\n  'a': [Spreker 2]", "line 4: 'a' is given twice (first on line 3)"),
        ("  a: [Spreker 1]\n  b: null", "line 4: interviewers of 'b' must be a list of speaker labels, e.g. [Spreker 2]"),
        ("  a: {Spreker 1: x}", "line 3: interviewers of 'a' must be a list of speaker labels"),
        ("  a: [Spreker 1, null]", "line 3: interviewers of 'a': the label null must be text"),
        ("  a: [yes]", "line 3: interviewers of 'a': the label true must be text"),
        ("  2019: [I]", "line 3: interviewers: the transcript name 2019 must be text: write it in quotes ('2019')"),
    ],
)
def test_each_bad_interviewers_entry_is_named_with_its_line(tmp_path, entries, said):
    """A transcript named twice was taken silently (YAML keeps the last entry); a bad entry
    was 'interviewers must map ...' at the line of `interviewers:`, not the entry's."""
    (tmp_path / "qualcode.yaml").write_text(f"# mijn project\ninterviewers:\n{entries}\n", encoding="utf-8")
    with pytest.raises(QualcodeError) as caught:
        load_config(tmp_path)
    assert said in caught.value.message and caught.value.code == "QC005"


def test_a_transcript_is_not_renamed_onto_another_names_interviewers(tmp_path):
    from test_interviewers_per_transcript import import_ab, roles, run

    root = tmp_path / "p"
    assert CliRunner().invoke(main, ["init", str(root)]).exit_code == 0
    import_ab(root)
    config = root / "qualcode.yaml"
    with config.open("a", encoding="utf-8") as out:
        out.write('interviewers: {"ghost": ["Spreker 2"]}\n')
    before = config.read_bytes()
    result = run(root, "transcripts", "rename", "a", "ghost")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "names the interviewers of 'ghost', which no transcript is called" in result.stderr
    assert config.read_bytes() == before and {name for name, _ in roles(root)} == {"a", "b"}
    assert load_config(root).interviewers == {"ghost": ["Spreker 2"]}


def test_a_rename_whose_settings_edit_fails_leaves_the_store_as_it_was(tmp_path, monkeypatch):
    from test_interviewers_per_transcript import import_ab, roles, run

    from qualcode.errors import CONFIG_NOT_EDITABLE, error
    from qualcode.project import Project

    root = tmp_path / "p"
    assert CliRunner().invoke(main, ["init", str(root)]).exit_code == 0
    import_ab(root)
    assert run(root, "speakers", "--interviewer", "Spreker 2", "--transcript", "b").exit_code == 0

    def refused(self, old, new):
        raise error(CONFIG_NOT_EDITABLE, path=root / "qualcode.yaml", key="interviewers", value="{}", reason="read-only")

    monkeypatch.setattr(Project, "rename_in_settings", refused)
    result = run(root, "transcripts", "rename", "b", "interview_02")
    assert result.exit_code == 1 and "read-only" in result.stderr
    assert {name for name, _ in roles(root)} == {"a", "b"}  # the name in the store is unchanged too


def test_a_rename_the_store_refuses_leaves_qualcode_yaml_as_it_was(tmp_path, monkeypatch):
    """qualcode.yaml was edited first: with the store busy (another process writing), the
    transcript kept its name and its interviewers went to the new name, lost to it."""
    from test_interviewers_per_transcript import import_ab, run

    from qualcode.errors import QualcodeError
    from qualcode.store.transcripts import TranscriptStore

    root = tmp_path / "p"
    assert CliRunner().invoke(main, ["init", str(root)]).exit_code == 0
    import_ab(root)
    assert run(root, "speakers", "--interviewer", "Spreker 2", "--transcript", "b").exit_code == 0
    before = (root / "qualcode.yaml").read_bytes()

    def busy(self, tid, name):
        raise QualcodeError("the project's database is locked by another process")

    monkeypatch.setattr(TranscriptStore, "rename", busy)
    result = run(root, "transcripts", "rename", "b", "interview_02")
    assert result.exit_code == 1 and "locked" in result.stderr
    assert (root / "qualcode.yaml").read_bytes() == before
    assert load_config(root).interviewers == {"b": ["Spreker 2"]}


# --- REFI-QDA import -----------------------------------------------------------------------------


def test_a_source_with_both_a_path_and_a_different_inline_text_says_which_was_read(tmp_path):
    """REFI-QDA: 'either PlainTextContent or plainTextPath MUST be filled, not both'. Given
    both, with different texts, the import took the file's without a word."""
    from test_refi_support import DATA, FEATURES_SOURCE, make_qdpx, new_project

    from qualcode.refi.project_import import import_qdpx

    qde = (DATA / "features.qde").read_text(encoding="utf-8")
    opening = qde.index(">", qde.index('<TextSource guid="aaaaaaaa-0000-4000-8000-000000000001"')) + 1
    text = "I: Hallo daar, hoe gaat het met u vandaag?\nR: Goed hoor, dank u wel voor de vraag.\n"
    both = qde[:opening] + "<PlainTextContent>Een heel andere tekst.</PlainTextContent>" + qde[opening:]
    project = new_project(tmp_path, codebook=None)
    result = import_qdpx(project, make_qdpx(tmp_path / "both.qdpx", both, {FEATURES_SOURCE: text}), default_coder="t")
    said = [w for w in result.warnings if "both plainTextPath and <PlainTextContent>" in w]
    assert len(said) == 1 and "'interview 1'" in said[0] and "(22 characters) is left out" in said[0]
    stored = project.store.transcripts.text(project.store.transcripts.id_by_name("interview 1"))
    assert stored.startswith("I: Hallo daar")
    same = qde[:opening] + f"<PlainTextContent>{text}</PlainTextContent>" + qde[opening:]
    other = new_project(tmp_path, codebook=None, name="zelfde")
    result = import_qdpx(other, make_qdpx(tmp_path / "same.qdpx", same, {FEATURES_SOURCE: text}), default_coder="t")
    assert not [w for w in result.warnings if "PlainTextContent" in w]  # the same text twice: nothing to say


# --- two windows on one memo ---------------------------------------------------------------------


async def test_a_memo_saved_in_another_window_meanwhile_is_not_overwritten(small_project, often):
    """Two windows on one memo: the second save replaced the first's memo without a word."""
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        await open_transcript(pilot)
        await _memo_open(pilot)
        with Store(small_project.store.path) as other:  # the other window saves its memo
            other.codings.set_memo(_coding(small_project).id, "van de andere kant")
        await pilot.press(*"mijn versie")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: any(n.title == "QC239" for n in pilot.app._notifications))
        (said,) = [n.message for n in pilot.app._notifications if n.title == "QC239"]
        assert "was changed in another window" in said and "'van de andere kant'" in said
        assert _coding(small_project).memo == "van de andere kant"
        assert small_project.store.codings.draft(_coding(small_project).id)[0] == "mijn versie"  # kept
        # Opened again, the draft is offered over the memo now stored; saving it is a choice.
        await pilot.press("M")
        assert isinstance(pilot.app.screen, MemoModal)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: _coding(small_project).memo == "mijn versie")
        assert small_project.store.codings.draft(_coding(small_project).id) is None


async def test_saving_a_memo_leaves_another_windows_newer_draft(small_project, often):
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        await open_transcript(pilot)
        await _memo_open(pilot)
        await pilot.press(*"eerste")
        cid = _coding(small_project).id
        await wait_until(pilot, lambda: (small_project.store.codings.draft(cid) or ("",))[0] == "eerste")
        with Store(small_project.store.path) as other:  # the other window types after it
            other.codings.keep_draft(cid, "tweede, nog niet bewaard")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: _coding(small_project).memo == "eerste")
        assert small_project.store.codings.draft(cid)[0] == "tweede, nog niet bewaard"


def test_two_users_of_one_name_are_pointed_out(tmp_path):
    """Coders are told apart by name: two REFI-QDA users called 'Anna' became one coder
    without a word (their codings one coder's, the same span twice one coding)."""
    from test_refi_support import DATA, FEATURES_SOURCE, make_qdpx, new_project

    from qualcode.refi.project_import import import_qdpx

    qde = (DATA / "features.qde").read_text(encoding="utf-8").replace('name="Bert"/>', 'name="Anna"/>')
    text = "I: Hallo daar, hoe gaat het met u vandaag?\nR: Goed hoor, dank u wel voor de vraag.\n"
    project = new_project(tmp_path, codebook=None)
    result = import_qdpx(project, make_qdpx(tmp_path / "twee.qdpx", qde, {FEATURES_SOURCE: text}), default_coder="t")
    said = [w for w in result.warnings if "is called 'Anna' as the user on line 7 is" in w]
    assert len(said) == 1 and "line 8: user 0000000b-0000-4000-8000-00000000000b" in said[0]


def test_check_names_interviewers_entries_that_make_nobody_an_interviewer(tmp_path):
    """A transcript's name or a label misspelt under interviewers: changed no role, silently."""
    from test_interviewers_per_transcript import import_ab, run

    root = tmp_path / "p"
    assert CliRunner().invoke(main, ["init", str(root)]).exit_code == 0
    import_ab(root)
    with (root / "qualcode.yaml").open("a", encoding="utf-8") as out:
        out.write('interviewers: {"a": ["Spreker 1", "Spreker 3"], "b": [" spreker 2 "], "interview_9": ["I"]}\n')
    result = run(root, "check")
    assert result.exit_code == 0, result.output
    assert "interviewers: names 1 transcript(s) no transcript is called: interview_9" in result.stdout
    assert "interviewers: names 1 label(s) nobody speaks in that transcript: 'Spreker 3' in a" in result.stdout


# --- a memo draft goes with its coding -----------------------------------------------------------


def test_a_draft_goes_with_a_coding_detached_by_a_reimport(runner, tmp_path):
    """A re-import that detached the coding cascaded its unsaved memo away (the memo stayed)."""
    from conftest import cli_project
    from test_cli_daily import CODEBOOK, TRANSCRIPT, codings_json, ok, run

    project = cli_project(runner, tmp_path / "studie", CODEBOOK, {"int1.txt": TRANSCRIPT})
    ok(run(runner, project, "code", "int1", "kracht", "--text", "eigen kracht", "--memo", "mooi"))
    with Store(project / "qualcode.db") as store:
        store.codings.keep_draft(1, "mooi, en nog half af")
    source = project / "transcripts" / "int1.txt"
    source.write_text(
        TRANSCRIPT.replace("De ouders hebben veel eigen kracht.", "Ouders kunnen zelf heel veel."), encoding="utf-8"
    )
    ok(run(runner, project, "reimport", "int1"))
    ok(run(runner, project, "codings", "reattach", "1", "--text", "zelf heel veel"))
    (coding,) = codings_json(runner, project)
    assert coding["memo"] == "mooi, en nog half af"  # the draft holds the memo as last edited (else both: test_reanchor)


def test_a_draft_goes_with_a_coding_merged_into_its_twin(small_project):
    """merge-codes: a coding whose twin (same span, coder) has the target code is merged into
    it, memos joined; its unsaved memo draft was cascaded away."""
    store = small_project.store
    (tid,) = list(store.transcripts.names())
    moved = store.codings.add(tid, 0, 5, "drempels", "anna").coding
    twin = store.codings.add(tid, 0, 5, "vertrouwen", "anna", memo="eerder").coding
    store.codings.keep_draft(moved.id, "half af")
    store.codings.move("drempels", "vertrouwen")
    assert store.codings.draft(twin.id)[0] == "eerder\n\nhalf af"  # saved as it stands: both texts kept


# --- a memo written while another process writes the store ---------------------------------------


async def test_a_draft_written_while_another_process_writes_is_kept_once_it_is_done(small_project, often):
    """Each draft write waited BUSY_TIMEOUT (10 s) for the other process, the app standing
    still (six letters typed took a minute), and a failed write was never tried again:
    once the other process was done, the store had no draft."""
    import sqlite3

    async with make_app(small_project).run_test(size=SIZE) as pilot:
        await open_transcript(pilot)
        await _memo_open(pilot)
        other = sqlite3.connect(small_project.store.path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another process writing: a long import, say
        try:
            await pilot.press(*"abc")
            await pilot.pause(0.2)
            await pilot.press(*"def")
            await pilot.pause(0.2)
        finally:
            other.execute("COMMIT")
            other.close()
        cid = _coding(small_project).id
        await wait_until(pilot, lambda: (small_project.store.codings.draft(cid) or ("",))[0] == "abcdef")
        assert isinstance(pilot.app.screen, MemoModal)


async def test_a_memo_the_store_cannot_take_stays_on_screen(small_project, often, monkeypatch):
    from qualcode.errors import STORE_BUSY, error
    from qualcode.session_history import SessionHistory

    def busy(self, coding_id, memo, *, was=None):
        raise error(STORE_BUSY, path="qualcode.db", seconds=10)

    monkeypatch.setattr(SessionHistory, "set_memo", busy)
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        await open_transcript(pilot)
        await _memo_open(pilot)
        await pilot.press(*"niet kwijt")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: any(n.title == "QC009" for n in pilot.app._notifications))
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, MemoModal))
        assert pilot.app.screen.query_one(MemoArea).text == "niet kwijt"


# --- header words ---------------------------------------------------------------------------------


def test_a_header_word_that_speaks_again_and_again_is_a_speaker():
    """'Gemeente:' at a meeting (the municipality speaking) became no label once header words
    were: its three turns went into the moderator's and the mosque's turns."""
    from qualcode.ingest import parse_turns

    meeting = (
        "Moderator: Welkom allemaal. Wie begint?\nGemeente: Wij zien dat de wachtlijsten groeien.\n"
        "Moskee: Wij merken dat ouders de weg niet vinden.\nGemeente: Daarom willen we samenwerken.\n"
        "Notulist: Mag ik dat even noteren?\nModerator: Natuurlijk.\nNotulist: Dank je.\nGemeente: Graag.\n"
        "Moskee: Wij ook.\n"
    )
    assert [t.speaker for t in parse_turns(meeting)] == [
        "Moderator", "Gemeente", "Moskee", "Gemeente", "Notulist", "Moderator", "Notulist", "Gemeente", "Moskee",
    ]  # fmt: skip
    header = "Notulist: Daan\nGemeente: Utrecht\nOrganisatie: CJG\n\nI: Hoe gaat het?\nR: Goed, dank je.\n"
    assert [t.speaker for t in parse_turns(header)] == ["I", "R"]  # once, in a header: no speaker


def test_a_turkish_capital_initial_at_the_start_ends_no_sentence():
    """'İ' is two characters in lower case: 'İ.' opening a text was no initial, and its full
    stop ended a sentence (the property test of test_text found 'İ. MR' when run alone)."""
    from qualcode.text import sentence_spans

    text = "İ. Yılmaz zei het. Ja."
    assert sentence_spans(text) == [(0, 18), (19, 22)]
