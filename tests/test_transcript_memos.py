"""A transcript's own memo (about the interview as a whole): the store, the CLI, the app,
REFI-QDA both ways (a source's <Description>, a document memo in other tools), the trash
and pseudonymisation."""

from __future__ import annotations

import json
import zipfile
from contextlib import closing
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from conftest import database_before
from pseudo_support import StubDetector, make_pseudo_project
from test_pseudonymise_cli import accept_all
from test_refi_support import assert_valid, coded_project, make_qdpx, new_project
from test_tui_support import make_app, open_transcript, wait_until

from qualcode.cli import main, pseudo_cmds
from qualcode.store import Store
from qualcode.tui.screens.transcripts import TranscriptsScreen
from qualcode.tui.widgets.memo import MemoArea, MemoModal
from qualcode.tui.widgets.rows import RowTable

NS = "{urn:QDA-XML:project:1.0}"
MEMO = "Afgenomen in het buurthuis; tolk aanwezig. <stil> & rustig"


def run(root, *args, input=None):
    return CliRunner().invoke(main, ["--project", str(root), "--coder", "anna", *args], input=input)


def _only(store) -> int:
    (tid,) = list(store.transcripts.names())
    return tid


# --- the store ----------------------------------------------------------------------------


def test_store_sets_lists_and_clears_a_transcript_memo(small_project):
    store = small_project.store
    tid = _only(store)
    assert store.transcripts.memo(tid) is None and store.transcripts.memos() == {}
    assert store.transcripts.set_memo(tid, MEMO) is None
    assert store.transcripts.memo(tid) == MEMO == store.transcripts.load(tid).memo
    assert store.transcripts.memos() == {tid: MEMO}
    assert store.transcripts.set_memo(tid, "") == MEMO  # '' removes it
    assert store.transcripts.memo(tid) is None and store.transcripts.memos() == {}


def test_store_keeps_and_ends_a_transcript_memo_draft_and_a_removed_transcript_takes_it(small_project):
    store = small_project.store
    tid = _only(store)
    store.transcripts.keep_draft(tid, "half")
    store.transcripts.keep_draft(tid, "half af")
    assert store.transcripts.draft(tid)[0] == "half af" and store.transcripts.drafts() == {tid: "half af"}
    store.transcripts.drop_draft(tid)
    assert store.transcripts.draft(tid) is None
    store.transcripts.keep_draft(tid, "weg")
    with store.transaction():
        store.trash.put_transcript(tid, removed_by="anna")
    assert store.transcripts.drafts() == {}


def test_a_project_of_migration_0017_gets_transcript_memos(tmp_path):
    path = tmp_path / "q.db"
    with closing(database_before(path, "0018_transcript_memos")) as raw:
        raw.commit()
    with Store(path) as store:
        assert "0018_transcript_memos" in store.applied_migrations()
        assert store.transcripts.memos() == {} and store.transcripts.drafts() == {}


def test_the_list_of_memos_reads_no_text(small_project):
    """The column comes after the text: the memos are read from their own index."""
    plan = small_project.store._db.execute(
        "EXPLAIN QUERY PLAN SELECT id, memo FROM transcripts INDEXED BY transcripts_memos WHERE memo IS NOT NULL"
    ).fetchall()
    assert "COVERING INDEX transcripts_memos" in str(plan)


# --- the command line ------------------------------------------------------------------------


def test_cli_sets_shows_and_clears_a_transcript_memo(small_project):
    root = small_project.root
    name = next(iter(small_project.store.transcripts.names().values()))
    small_project.close()
    r = run(root, "transcripts", "memo", name, MEMO)
    assert r.exit_code == 0 and r.output.strip() == MEMO
    assert run(root, "transcripts", "memo", name).output.strip() == MEMO
    listed = json.loads(run(root, "transcripts", "--format", "json").output)
    assert [row["transcript_memo"] for row in listed] == [MEMO]  # in the listing's data formats too
    r = run(root, "transcripts", "memo", name, "--clear", input="n\n")
    assert r.exit_code != 0 and "clear it?" in r.output
    assert run(root, "transcripts", "memo", name).output.strip() == MEMO  # not cleared
    r = run(root, "transcripts", "memo", name, "--clear", "-y")
    assert r.exit_code == 0 and f"cleared the memo of transcript '{name}'" in r.output
    assert run(root, "transcripts", "memo", name).output.strip() == ""
    r = run(root, "transcripts", "memo", name, "x", "--clear")
    assert r.exit_code == 2 and "not both" in r.output


def test_cli_names_an_unknown_transcript_and_a_kept_draft(small_project):
    root = small_project.root
    store = small_project.store
    tid = _only(store)
    store.transcripts.keep_draft(tid, "nog niet bewaard")
    name = store.transcripts.name(tid)
    small_project.close()
    r = run(root, "transcripts", "memo", "bestaat_niet")
    assert r.exit_code != 0 and "bestaat_niet" in r.output and "Traceback" not in r.output
    r = run(root, "transcripts", "memo", name)
    assert r.exit_code == 0 and "unsaved draft" in r.output and "nog niet bewaard" in r.output


# --- REFI-QDA ----------------------------------------------------------------------------------


def _sources(qdpx) -> list:
    with zipfile.ZipFile(qdpx) as archive:
        xml = archive.read("project.qde")
    assert_valid(xml, "project")
    return list(ElementTree.fromstring(xml).iter(f"{NS}TextSource"))


def test_export_writes_the_memo_as_the_source_description_and_an_import_brings_it_back(tmp_path):
    project = coded_project(tmp_path)
    tid = _only(project.store)
    project.store.transcripts.set_memo(tid, MEMO)
    project.close()
    qdpx = tmp_path / "out.qdpx"
    r = run(project.root, "export", "qdpx", "-o", str(qdpx))
    assert r.exit_code == 0 and "1 transcript memo(s)" in r.output, r.output
    (source,) = _sources(qdpx)
    assert source[0].tag == f"{NS}Description" and source[0].text == MEMO  # first, as the schema orders it
    other = new_project(tmp_path, name="ander")
    other.close()
    r = run(other.root, "import", str(qdpx))
    assert r.exit_code == 0 and "1 transcript memo(s)" in r.output, r.output
    with Store(other.root / "qualcode.db") as store:
        assert store.transcripts.memo(_only(store)) == MEMO
    assert "source description" not in r.output  # no longer among what is not kept


def test_a_source_description_and_its_notes_become_the_transcript_memo_once(tmp_path):
    guid = "aaaaaaaa-0000-4000-8000-00000000000a"
    note = "bbbbbbbb-0000-4000-8000-00000000000b"
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p">
  <Sources>
    <TextSource guid="{guid}" name="gesprek" plainTextPath="internal://{guid}.txt">
      <Description>Document memo uit ATLAS.ti</Description>
      <NoteRef targetGUID="{note}"/>
    </TextSource>
  </Sources>
  <Notes>
    <Note guid="{note}" name="n"><PlainTextContent>Tweede gesprek met deze moeder</PlainTextContent></Note>
  </Notes>
</Project>"""
    qdpx = make_qdpx(tmp_path / "in.qdpx", qde, {f"sources/{guid}.txt": "I: Hoe gaat het?\nR: Goed.\n"})
    project = new_project(tmp_path)
    project.close()
    r = run(project.root, "import", str(qdpx))
    assert r.exit_code == 0, r.output
    assert "not attached to a coding" not in r.output  # the note is used, not reported as left out
    memo = "Document memo uit ATLAS.ti\n\nTweede gesprek met deze moeder"
    with Store(project.root / "qualcode.db") as store:
        assert store.transcripts.memo(_only(store)) == memo
    r = run(project.root, "import", str(qdpx))  # the same text again: the memo is not doubled
    assert r.exit_code == 0, r.output
    with Store(project.root / "qualcode.db") as store:
        assert store.transcripts.memo(_only(store)) == memo


def test_a_removed_transcript_comes_back_from_the_trash_with_its_memo(tmp_path):
    make_pseudo_project(tmp_path / "studie").close()
    root = tmp_path / "studie"
    run(root, "transcripts", "memo", "int2", MEMO)
    assert run(root, "transcripts", "remove", "int2").exit_code == 0
    r = run(root, "trash", "restore", "1")
    assert r.exit_code == 0, r.output
    assert run(root, "transcripts", "memo", "int2").output.strip() == MEMO


# --- pseudonymisation --------------------------------------------------------------------------


@pytest.fixture
def pseudo_root(tmp_path, monkeypatch):
    project = make_pseudo_project(tmp_path / "studie")
    store = project.store
    tid = store.transcripts.id_by_name("int2")
    store.transcripts.set_memo(tid, "Hatice Yilmaz wilde niet op de foto")
    store.transcripts.keep_draft(tid, "Hatice Yilmaz belt terug")
    project.close()
    stub = StubDetector({"Hatice Yilmaz": "person", "Marieke": "person", "06-12345678": "phone"})
    monkeypatch.setattr(pseudo_cmds, "load_detector", lambda: stub)
    root = tmp_path / "studie"
    assert run(root, "pseudonymise", "detect").exit_code == 0
    accept_all(root)
    return root


def _memo_and_draft(root) -> tuple[str, str]:
    with Store(root / "qualcode.db") as store:
        tid = store.transcripts.id_by_name("int2")
        return store.transcripts.memo(tid), store.transcripts.draft(tid)[0]


def test_apply_reports_names_in_a_transcript_memo_and_replaces_them_when_asked(pseudo_root):
    r = run(pseudo_root, "pseudonymise", "apply")
    assert r.exit_code == 0 and "int2: its own memo names Hatice Yilmaz (pass --replace-memos" in r.output, r.output
    assert _memo_and_draft(pseudo_root) == ("Hatice Yilmaz wilde niet op de foto", "Hatice Yilmaz belt terug")


def test_apply_replace_memos_replaces_the_memo_and_its_draft_and_restore_brings_the_memo_back(pseudo_root):
    r = run(pseudo_root, "pseudonymise", "apply", "--replace-memos")
    assert r.exit_code == 0 and "its own memo names Hatice Yilmaz (replaced)" in r.output, r.output
    memo, draft = _memo_and_draft(pseudo_root)
    assert "Hatice" not in memo and memo.endswith("wilde niet op de foto") and memo.startswith("[persoon")
    assert "Hatice" not in draft and draft.endswith("belt terug")
    r = run(pseudo_root, "pseudonymise", "restore", "int2")
    assert r.exit_code == 0, r.output
    assert _memo_and_draft(pseudo_root)[0] == "Hatice Yilmaz wilde niet op de foto"


def test_a_pseudonymised_export_replaces_the_names_in_a_transcript_memo(pseudo_root, tmp_path):
    qdpx = tmp_path / "shared.qdpx"
    r = run(pseudo_root, "export", "qdpx", "-o", str(qdpx), "--pseudonymise")
    assert r.exit_code == 0, r.output
    descriptions = [s[0].text for s in _sources(qdpx) if len(s) and s[0].tag == f"{NS}Description"]
    assert len(descriptions) == 1 and "Hatice" not in descriptions[0] and "wilde niet op de foto" in descriptions[0]
    assert _memo_and_draft(pseudo_root)[0] == "Hatice Yilmaz wilde niet op de foto"  # the project keeps it


# --- the app -------------------------------------------------------------------------------------


async def test_m_in_the_transcripts_list_writes_the_highlighted_transcripts_memo(small_project, often):
    tid = _only(small_project.store)
    async with make_app(small_project).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(pilot.app.screen, TranscriptsScreen)
        await pilot.press("M")
        modal = pilot.app.screen
        assert isinstance(modal, MemoModal) and "the interview as a whole" in modal.heading
        await pilot.press(*"tolk aanwezig")
        for _ in range(500):  # the draft is kept while typing (a kill now loses nothing)
            await pilot.pause(0.02)
            with Store(small_project.store.path) as other:
                if (other.transcripts.draft(tid) or ("",))[0] == "tolk aanwezig":
                    break
        else:
            raise AssertionError("no draft kept")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, TranscriptsScreen)
        assert small_project.store.transcripts.memo(tid) == "tolk aanwezig"
        assert small_project.store.transcripts.draft(tid) is None
        table = pilot.app.screen.query_one(RowTable)  # the list shows the start of each memo
        assert table.get_row(str(tid))[table.get_column_index("Memo")] == "tolk aanwezig"


async def test_i_on_the_coding_screen_opens_the_transcripts_memo_and_esc_asks_first(small_project):
    tid = _only(small_project.store)
    small_project.store.transcripts.set_memo(tid, "eerder")
    async with make_app(small_project).run_test(size=(120, 40)) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("I")
        modal = pilot.app.screen
        assert isinstance(modal, MemoModal) and modal.query_one(MemoArea).text == "eerder"
        await pilot.press(*" en later", "escape")
        assert pilot.app.screen is modal  # a change: Esc asks first
        await pilot.press("escape")
        assert pilot.app.screen is screen
        assert small_project.store.transcripts.memo(tid) == "eerder"
        await pilot.press("I", *" nieuw", "ctrl+s")  # the cursor starts at the memo's end
        await pilot.pause()
        assert small_project.store.transcripts.memo(tid) == "eerder nieuw"
        assert pilot.app.screen is screen


def test_check_lists_the_transcripts_whose_memo_has_an_unsaved_draft(small_project):
    store = small_project.store
    tid = _only(store)
    name = store.transcripts.name(tid)
    store.transcripts.keep_draft(tid, "half af")
    small_project.close()
    r = run(small_project.root, "check")
    assert "1 transcript memo(s) have an unsaved draft" in r.output and name in r.output, r.output


# --- team work: merging another coder's project ---------------------------------------------------


def test_merge_adds_their_transcript_memo_to_ours_once_and_never_over_it(tmp_path):
    import shutil

    make_pseudo_project(tmp_path / "anna").close()
    shutil.copytree(tmp_path / "anna", tmp_path / "bram")
    anna, bram = tmp_path / "anna", tmp_path / "bram"
    run(anna, "transcripts", "memo", "int1", "Anna: rustig gesprek")
    run(bram, "transcripts", "memo", "int1", "Bram: moeder was moe")
    run(bram, "transcripts", "memo", "int2", "Bram: kort")
    r = run(anna, "merge", str(bram), "--dry-run")
    assert r.exit_code == 0 and "would add theirs to 2 transcript(s)' memo" in r.output, r.output
    assert run(anna, "transcripts", "memo", "int1").output.strip() == "Anna: rustig gesprek"
    r = run(anna, "merge", str(bram))
    assert r.exit_code == 0 and "added theirs to 2 transcript(s)' memo" in r.output, r.output
    assert run(anna, "transcripts", "memo", "int1").output.strip() == "Anna: rustig gesprek\n\nBram: moeder was moe"
    assert run(anna, "transcripts", "memo", "int2").output.strip() == "Bram: kort"
    r = run(anna, "merge", str(bram))  # twice: nothing more
    assert r.exit_code == 0 and "transcript memos" not in r.output
    assert run(anna, "transcripts", "memo", "int1").output.strip() == "Anna: rustig gesprek\n\nBram: moeder was moe"


# --- a bare folder (as the bundled sample) imports transcripts/ on first use only ------------------


def test_removing_every_transcript_of_a_bare_folder_does_not_import_them_again(small_project):
    """The next command after removing the last transcript imported transcripts/ again
    ("created qualcode.db and imported 1 transcript(s)"), so the trash could not restore it."""
    root = small_project.root
    name = next(iter(small_project.store.transcripts.names().values()))
    small_project.close()
    assert not (root / "qualcode.yaml").exists()  # bare: imported on first use
    assert run(root, "transcripts", "remove", name).exit_code == 0
    r = run(root, "transcripts")
    assert "imported" not in r.output and "no transcripts yet" in r.output, r.output
    r = run(root, "trash", "restore", "1")
    assert r.exit_code == 0, r.output
    assert name in run(root, "transcripts").output


# --- a transcript opens where the coder left it, also after a restart ---------------------------


async def test_a_transcript_opens_where_the_coder_left_it_after_a_restart(small_project):
    async with make_app(small_project).run_test(size=(120, 40)) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "right_curly_bracket")
        left_at = screen.document.cursor
        assert left_at > 0
        await pilot.press("ctrl+q")  # quitting keeps the position (as going back to the list does)
    async with make_app(small_project).run_test(size=(120, 40)) as pilot:
        screen = await open_transcript(pilot)
        assert screen.document.cursor == left_at
    async with make_app(small_project, coder="bram").run_test(size=(120, 40)) as pilot:
        screen = await open_transcript(pilot)  # another coder's own positions: from the start
        assert screen.document.cursor < left_at


async def test_the_list_highlights_the_transcript_opened_last_after_a_restart(tmp_path):
    """After a restart the list highlighted the first transcript, whatever the coder worked on last:
    Enter opened another interview than the one left off (at its own saved position)."""
    project = make_pseudo_project(tmp_path / "studie")
    second = str(project.store.transcripts.id_by_name("int2"))
    async with make_app(project).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert pilot.app.screen.query_one(RowTable).cursor_key != second  # the first row at a first start
        await open_transcript(pilot, "int2")
        await pilot.press("right_curly_bracket", "ctrl+q")
    async with make_app(project).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert pilot.app.screen.query_one(RowTable).cursor_key == second
        await open_transcript(pilot, "int1")
        await pilot.press("ctrl+o", "ctrl+q")
    async with make_app(project).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert pilot.app.screen.query_one(RowTable).cursor_key != second  # int1 now
    project.close()


async def test_letters_typed_straight_after_m_in_the_list_go_into_the_memo(small_project):
    """ "G" is the list's key for suggestions: typed fast after M it is the memo's first letter."""
    tid = _only(small_project.store)
    async with make_app(small_project).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("M", *"Goed gesprek", "ctrl+s")
        await pilot.pause()
        assert small_project.store.transcripts.memo(tid) == "Goed gesprek"
        assert not pilot.app.jobs.running  # no suggestion run was started


def test_show_names_the_transcripts_memo_above_its_turns(small_project):
    root = small_project.root
    name = next(iter(small_project.store.transcripts.names().values()))
    small_project.close()
    run(root, "transcripts", "memo", name, "regel een\nregel twee")
    lines = run(root, "show", name).output.splitlines()
    assert lines[1] == "memo: regel een regel twee"


async def test_a_transcript_memo_saved_in_another_window_meanwhile_is_not_overwritten(small_project, often):
    """As a coding's memo (hostile18): the second save does not replace the first's without a word."""
    store = small_project.store
    tid = _only(store)
    async with make_app(small_project).run_test(size=(120, 40)) as pilot:
        await open_transcript(pilot)
        await pilot.press("I")
        assert isinstance(pilot.app.screen, MemoModal)
        with Store(store.path) as other:  # the other window (or `qualcode transcripts memo`) saves
            other.transcripts.set_memo(tid, "van de andere kant")
        await pilot.press(*"mijn versie", "ctrl+s")
        await wait_until(pilot, lambda: any(n.title == "QC239" for n in pilot.app._notifications))
        (said,) = [n.message for n in pilot.app._notifications if n.title == "QC239"]
        assert "the memo of transcript" in said and "'van de andere kant'" in said
        assert store.transcripts.memo(tid) == "van de andere kant"
        assert store.transcripts.draft(tid)[0] == "mijn versie"  # kept, offered at the next opening
        await pilot.press("I")
        assert pilot.app.screen.query_one(MemoArea).text == "mijn versie"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: store.transcripts.memo(tid) == "mijn versie")


async def test_typing_in_the_memo_of_a_transcript_removed_meanwhile_says_so_once(tmp_path, often):
    project = make_pseudo_project(tmp_path / "studie")
    store = project.store
    tid = store.transcripts.id_by_name("int2")
    async with make_app(project).run_test(size=(120, 40)) as pilot:
        await open_transcript(pilot, "int1")
        await pilot.press("ctrl+o")
        table = pilot.app.screen.query_one(RowTable)
        table.move_cursor(table.keys.index(str(tid)))
        await pilot.press("M")
        assert isinstance(pilot.app.screen, MemoModal)
        with Store(store.path) as other, other.transaction():
            other.trash.put_transcript(tid, removed_by="bram")
        await pilot.press(*"nog even")
        await wait_until(pilot, lambda: any(n.title == "QC237" for n in pilot.app._notifications))
        await pilot.press(*" meer")
        await pilot.pause(0.3)
        said = [n.message for n in pilot.app._notifications if n.title == "QC237"]
        item = store.trash.items()[0].id
        # it said 'transcript 2': an id the user sees nowhere; now the name, and where it is kept
        assert len(said) == 1 and f"transcript 'int2' (trash item {item}) was removed while its memo" in said[0]
        assert isinstance(pilot.app.screen, MemoModal)  # still open: the text can be copied
    project.close()


# --- a question nobody can answer --------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (["memo", "1", "--clear"], "clearing the memo of coding 1"),
        (["transcripts", "memo", "int1", "--clear"], "clearing the memo of transcript 'int1'"),
        (["trash", "empty"], "emptying the trash"),
    ],
)
def test_a_question_without_an_answer_stops_with_what_to_do_not_a_bare_aborted(tmp_path, args, what):
    """A script (no terminal) got click's bare "Aborted!"; a no now says it was cancelled."""
    make_pseudo_project(tmp_path / "studie").close()
    root = tmp_path / "studie"
    assert run(root, "code", "int1", "vertrouwen", "--turn", "2", "--memo", "m").exit_code == 0
    run(root, "transcripts", "memo", "int1", "m")
    run(root, "transcripts", "remove", "int2")
    r = run(root, *args, input="")  # the input ends before an answer
    assert r.exit_code == 1 and "Aborted" not in r.output, r.output
    assert f"{what}: nothing done, as nobody answered" in r.output and "--yes" in r.output
    r = run(root, *args, input="n\n")
    assert r.exit_code == 1 and f"cancelled: {what} not done" in r.output, r.output
    r = run(root, *args, input="y\n")
    assert r.exit_code == 0, r.output


# --- the transcripts list's coded share, kept ready (0019_turn_chars) ------------------------------


def test_a_project_of_migration_0018_gets_its_turns_characters_kept_for_the_list(tmp_path):
    """user18's coded share (of the turns' characters) summed the turns at every listing
    (12 ms at 1,000 interviews); now a column, filled by the upgrade, in the summaries' index."""
    path = tmp_path / "q.db"
    with closing(database_before(path, "0019_turn_chars")) as raw:
        raw.execute(
            "INSERT INTO transcripts (id, name, source_format, content_hash, text, imported_at, chars)"
            " VALUES (1, 't1', 'txt', 'h', 'I: Vraag?\nR: Antwoord.', 'then', 22)"
        )
        raw.execute("INSERT INTO turns (transcript_id, idx, speaker, start, end) VALUES (1, 1, 'I', 3, 9), (1, 2, 'R', 13, 22)")
        raw.execute(
            "INSERT INTO transcripts (id, name, source_format, content_hash, text, imported_at, chars)"
            " VALUES (2, 't2', 'txt', 'h2', 'Geen beurten hier.', 'then', 18)"
        )
        raw.commit()
    with Store(path) as store:
        assert "0019_turn_chars" in store.applied_migrations()
        assert {s.name: s.codable_chars for s in store.transcripts.summaries()} == {"t1": 6 + 9, "t2": 18}
        plan = " ".join(
            str(r[-1]) for r in store._db.execute("EXPLAIN QUERY PLAN SELECT turn_chars FROM transcripts ORDER BY name")
        )
    assert "COVERING INDEX transcripts_summaries" in plan  # no text, no turn read to list them


@pytest.mark.parametrize("command", [["memo", "1"], ["transcripts", "memo", "int1"]])
def test_a_memo_may_start_with_a_dash_but_a_mistyped_option_is_refused(tmp_path, command):
    """ "- eerste punt" and "-2 punten" were refused as unknown options (noticed by user18)."""
    make_pseudo_project(tmp_path / "studie").close()
    root = tmp_path / "studie"
    assert run(root, "code", "int1", "vertrouwen", "--turn", "2").exit_code == 0
    for memo in ("- eerste punt", "-2 punten"):
        r = run(root, *command, memo)
        assert r.exit_code == 0 and r.output.strip() == memo, r.output
    r = run(root, *command, "--cleer")
    assert r.exit_code == 2 and "no such option: --cleer" in r.output
    assert run(root, *command).output.strip() == "-2 punten"  # not written


async def test_ctrl_z_takes_back_the_transcripts_memo_not_the_coding_before_it(small_project):
    """user19: a coding, then the transcript's memo, then Ctrl+Z: the coding went, the memo stayed."""
    store = small_project.store
    tid = _only(store)
    async with make_app(small_project).run_test(size=(120, 40)) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "h")  # a coding
        assert len(store.codings.find(tid)) == 1
        await pilot.press("I", *"rumoerig", "ctrl+s")
        await pilot.pause()
        assert store.transcripts.memo(tid) == "rumoerig"
        await pilot.press("ctrl+z")
        assert store.transcripts.memo(tid) is None and len(store.codings.find(tid)) == 1
        assert "Undone: the transcript's memo" in str(screen.query_one("#coding-where").render())
        await pilot.press("ctrl+y")
        assert store.transcripts.memo(tid) == "rumoerig"
        await pilot.press("ctrl+z", "ctrl+z")  # then the coding, in the order they were made
        assert store.transcripts.memo(tid) is None and store.codings.find(tid) == []
        await pilot.press("ctrl+y")
        with Store(store.path) as other:  # the memo written meanwhile elsewhere: the redo does not overwrite it
            other.transcripts.set_memo(tid, "van de andere kant")
        await pilot.press("ctrl+y")
        assert store.transcripts.memo(tid) == "van de andere kant"
        assert any(n.title == "QC310" and "cannot redo 'transcript_memo'" in n.message for n in pilot.app._notifications)
        await pilot.press("ctrl+o", "M", *"; tolk", "ctrl+s")  # from the list too
        await pilot.pause()
        assert store.transcripts.memo(tid) == "van de andere kant; tolk"
        await pilot.press("ctrl+z")
        assert store.transcripts.memo(tid) == "van de andere kant"
