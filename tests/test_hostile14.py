"""Hostile inputs on what changed since the last sweep (hostile14): the learned model saved in
the project (damaged, cut short, edited, of a codebook since changed, impossible to save)."""

from __future__ import annotations

import json
import shutil

import numpy
import pytest

from qualcode.cli.base import main
from qualcode.errors import QualcodeError
from qualcode.suggest import run_suggestions, training
from qualcode.suggest.combined import Calibration, CodeCalibration
from qualcode.suggest.learned import WEIGHTS, LearnedModel, train

# Sentences as lemma lists: 'taart' only in code a, 'bus' only in code b (as test_suggest_learned).
A = [["ik", "bak", "taart"], ["de", "taart", "zijn", "lekker"], ["taart", "met", "room"], ["wij", "eten", "taart"]] * 3
B = [["de", "bus", "zijn", "laat"], ["met", "de", "bus", "naar", "school"], ["bus", "rijden", "niet"]] * 3
NONE = [["het", "regenen", "vandaag"], ["wij", "gaan", "naar", "huis"]] * 4


@pytest.fixture(scope="module")
def small_model() -> LearnedModel:
    model = train([*A, *B, *NONE], [{"a"}] * len(A) + [{"b"}] * len(B) + [set()] * len(NONE), codings=30, max_coding_id=30)
    model.info.calibration = Calibration({"a": CodeCalibration("a", hints={"matched keyword 'x'": [3, 1]})}, 4).to_dict()
    return model


def _edit_meta(folder, **changes) -> None:
    meta = folder / "meta.json"
    data = json.loads(meta.read_text(encoding="utf-8"))
    data.update(changes)
    meta.write_text(json.dumps(data), encoding="utf-8")


def _edit_weights(folder, **changes) -> None:
    with numpy.load(folder / WEIGHTS) as saved:
        arrays = {**saved, **changes}
    with (folder / WEIGHTS).open("wb") as handle:
        numpy.savez(handle, **arrays)


WEIGHT_DAMAGE = {
    "empty (numpy: EOFError, click's bare 'Aborted!')": lambda f: (f / WEIGHTS).write_bytes(b""),
    "weights as text": lambda f: _edit_weights(f, weights=numpy.load(f / WEIGHTS)["weights"].astype(str)),
    "feature ids as floats (64-bit hashes lose bits)": lambda f: _edit_weights(
        f, keys=numpy.load(f / WEIGHTS)["keys"].astype(float)
    ),
    "bias of two dimensions": lambda f: _edit_weights(f, bias=numpy.load(f / WEIGHTS)["bias"][None, :]),
    "weights infinite (every sentence proposed)": lambda f: _edit_weights(
        f, weights=numpy.full_like(numpy.load(f / WEIGHTS)["weights"], numpy.inf)
    ),
    "a bias not a number": lambda f: _edit_weights(f, bias=numpy.full_like(numpy.load(f / WEIGHTS)["bias"], numpy.nan)),
}
META_DAMAGE = {
    "a list": lambda f: (f / "meta.json").write_text("[1, 2]", encoding="utf-8"),
    "max_coding_id as text (compared with ids in SQL)": lambda f: _edit_meta(f, max_coding_id="abc"),
    "codes as text": lambda f: _edit_meta(f, codes="abc"),
    "sentences as true": lambda f: _edit_meta(f, sentences=True),
    "calibration a list (AttributeError)": lambda f: _edit_meta(f, calibration=[1]),
    "calibration of a code without its name (TypeError)": lambda f: _edit_meta(
        f, calibration={"codes": {"a": {"threshold": 0.5}}, "folds": 2}
    ),
    "calibration threshold as text": lambda f: _edit_meta(
        f, calibration={"codes": {"a": {"code": "a", "threshold": "hoog"}}, "folds": 2}
    ),
    "calibration hint without its counts": lambda f: _edit_meta(
        f, calibration={"codes": {"a": {"code": "a", "hints": {"matched keyword 'x'": [3]}}}, "folds": 2}
    ),
    "calibration folds as text": lambda f: _edit_meta(f, calibration={"codes": {}, "folds": "z"}),
    "calibration threshold below 0 (every sentence proposed)": lambda f: _edit_meta(
        f, calibration={"codes": {"a": {"code": "a", "source": "learned", "threshold": -1}}, "folds": 2}
    ),
    "calibration hint count below 0": lambda f: _edit_meta(
        f, calibration={"codes": {"a": {"code": "a", "hints": {"matched keyword 'x'": [-3, 1]}}}, "folds": 2}
    ),
}


@pytest.mark.parametrize("damage", list(WEIGHT_DAMAGE))
def test_hostile14_damaged_weights_are_the_clear_unreadable_error(small_model, tmp_path, damage):
    folder = tmp_path / ".qualcode" / "model"
    small_model.save(folder)
    WEIGHT_DAMAGE[damage](folder)
    saved = training.read_saved(tmp_path)
    assert saved.problem == "" and saved.info is not None
    with pytest.raises(QualcodeError) as caught:
        LearnedModel.load(folder, info=saved.info)
    assert caught.value.code == "QC706" and "\n" not in caught.value.message


@pytest.mark.parametrize("damage", list(META_DAMAGE))
def test_hostile14_damaged_meta_data_is_told_once_read(small_model, tmp_path, damage):
    folder = tmp_path / ".qualcode" / "model"
    small_model.save(folder)
    META_DAMAGE[damage](folder)
    saved = training.read_saved(tmp_path)  # read once per run: the reason is kept for the run to tell
    assert saved.info is None and saved.calibration == Calibration()
    assert saved.problem.startswith(f"the learned model in {folder} cannot be read: ") and "\n" not in saved.problem


def test_hostile14_a_sound_model_reads_back_the_same(small_model, tmp_path):
    small_model.save(tmp_path / ".qualcode" / "model")
    saved = training.read_saved(tmp_path)
    assert saved.problem == "" and saved.info == small_model.info
    assert saved.calibration == Calibration.from_dict(small_model.info.calibration)
    assert training.read_saved(tmp_path / "none") == training.Saved()  # no model yet: nothing to say


@pytest.fixture(scope="module")
def trained_sample(tmp_path_factory, _sample_template):
    """The sample project's saved model (trained once for the tests below)."""
    from qualcode.project import Project

    template, _ = _sample_template
    folder = tmp_path_factory.mktemp("trained") / "sample"
    shutil.copytree(template, folder)
    project = Project.open(folder)
    training.train_model(project)
    project.close()
    return folder / ".qualcode" / "model"


@pytest.fixture
def sample_with_model(sample_project, trained_sample):
    shutil.copytree(trained_sample, sample_project.root / ".qualcode" / "model")
    return sample_project


def _first(project) -> list[int]:
    return [min(project.store.transcripts.names())]


@pytest.mark.parametrize(
    "damage",
    ["empty (numpy: EOFError, click's bare 'Aborted!')", "calibration a list (AttributeError)", "calibration threshold as text"],
)
def test_hostile14_a_suggestion_run_retrains_a_damaged_model_and_says_so(sample_with_model, damage):
    folder = sample_with_model.root / ".qualcode" / "model"
    {**WEIGHT_DAMAGE, **META_DAMAGE}[damage](folder)
    summary = run_suggestions(sample_with_model, _first(sample_with_model))
    [warning] = summary.warnings
    assert "cannot be read" in warning and warning.endswith("trained a new one") and summary.trained
    assert training.read_saved(sample_with_model.root).problem == ""  # a sound model in its place
    assert LearnedModel.load(folder).info.codes == summary.model.codes


async def test_hostile14_the_coding_screens_run_retrains_a_damaged_model_and_coding_goes_on(sample_with_model):
    from test_tui_support import make_app, open_transcript, settle

    WEIGHT_DAMAGE["empty (numpy: EOFError, click's bare 'Aborted!')"](sample_with_model.root / ".qualcode" / "model")
    app = make_app(sample_with_model)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("G")
        await settle(pilot)
        assert not app.jobs.running and screen.suggestions.rows  # the run went on with a new model
        (warning,) = [n.message for n in app._notifications if n.severity == "warning"]
        assert "cannot be read" in warning and "trained a new one" in warning
        assert not [n for n in app._notifications if n.severity == "error"]


def test_hostile14_a_rules_only_run_says_a_damaged_calibration_is_not_used(sample_with_model):
    META_DAMAGE["calibration threshold as text"](sample_with_model.root / ".qualcode" / "model")
    summary = run_suggestions(sample_with_model, _first(sample_with_model), learned=False)
    assert any("cannot be read" in w and "hint precisions are not used" in w for w in summary.warnings)


def test_hostile14_a_code_renamed_since_training_retrains_the_model(sample_with_model, runner):
    root = sample_with_model.root
    result = runner.invoke(main, ["--project", str(root), "codebook", "rename", "vertrouwen_opbouwen", "vertrouwen_bouwen"])
    assert result.exit_code == 0, result.output
    sample_with_model.reload_codebook()
    summary = run_suggestions(sample_with_model, _first(sample_with_model))
    assert summary.trained and any("'vertrouwen_opbouwen' is no longer a code" in n for n in summary.notes)
    assert "vertrouwen_bouwen" in summary.model.codes and "vertrouwen_opbouwen" not in summary.model.codes


def test_hostile14_a_model_that_cannot_be_saved_warns_a_run_and_refuses_train(sample_project, runner):
    root = sample_project.root
    (root / ".qualcode").mkdir(exist_ok=True)
    shutil.rmtree(root / ".qualcode")
    (root / ".qualcode").write_text("not a folder", encoding="utf-8")
    summary = run_suggestions(sample_project, _first(sample_project))
    assert summary.trained and summary.added  # the run goes on with the model it trained
    assert any("cannot save the learned model" in w for w in summary.warnings)
    result = runner.invoke(main, ["--project", str(root), "suggest", "--train"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "error: cannot save the learned model" in result.output and "QC966" not in result.output
    assert (root / ".qualcode").read_text(encoding="utf-8") == "not a folder"


def test_hostile14_a_model_folder_that_was_a_file_leaves_nothing_aside(sample_project):
    root = sample_project.root
    (root / ".qualcode").mkdir(exist_ok=True)
    (root / ".qualcode" / "model").write_text("x", encoding="utf-8")
    summary = run_suggestions(sample_project, _first(sample_project))
    assert summary.trained and any("cannot be read" in w for w in summary.warnings)
    assert sorted(p.name for p in (root / ".qualcode").iterdir()) == ["model"]


# --- spacy_model in qualcode.yaml: a folder that is not (or no longer) a pipeline -------------------------------

SPACY_FOLDERS = {
    "config.cfg not a config (confection's ConfigValidationError)": {"config.cfg": "not a config {{\n", "meta.json": "{}"},
    "config.cfg empty (ValueError E985)": {"config.cfg": "", "meta.json": '{"lang": "nl", "name": "x", "version": "0.0.1"}'},
    "config.cfg incomplete": {
        "config.cfg": '[nlp]\nlang = "nl"\npipeline = ["tok2vec"]\n[components]\n[components.tok2vec]\nfactory = "tok2vec"\n',
        "meta.json": '{"lang": "nl", "name": "x", "version": "0.0.1"}',
    },
    "meta.json not JSON": {"config.cfg": '[nlp]\nlang = "nl"\n', "meta.json": "{x"},
    "no meta.json (OSError E053)": {"config.cfg": '[nlp]\nlang = "nl"\n'},
}


@pytest.mark.parametrize("case", [*SPACY_FOLDERS, "a file", "no such folder"])
def test_hostile14_a_spacy_model_path_that_is_no_pipeline_is_a_clear_one_line_error(tmp_path, case):
    from qualcode.suggest.pipeline import load_pipeline

    path = tmp_path / "pijplijn"
    if case == "a file":
        path.write_bytes(b"\xff\xfe\x00")
    elif case != "no such folder":
        path.mkdir()
        for name, text in SPACY_FOLDERS[case].items():
            (path / name).write_text(text, encoding="utf-8")
    with pytest.raises(QualcodeError) as caught:
        load_pipeline(str(path))
    assert caught.value.code == "QC967" and "\n" not in caught.value.message
    assert caught.value.message.startswith(
        f"the spaCy pipeline '{path}' named by spacy_model in qualcode.yaml cannot be loaded: "
    )
    assert "spacy download" not in caught.value.hint  # a folder cannot be downloaded


def test_a_relative_spacy_model_path_is_read_from_the_project_folder(tmp_path, monkeypatch):
    # `spacy_model: ./pijplijnen/nl` was looked for in the folder the command ran from.
    from qualcode.project import load_config

    root = tmp_path / "project"
    root.mkdir()
    (root / "qualcode.yaml").write_text("spacy_model: ./pijplijnen/nl\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert load_config(root).spacy_model == str(root / "pijplijnen" / "nl")
    (root / "qualcode.yaml").write_text("spacy_model: nl_core_news_sm\n", encoding="utf-8")
    assert load_config(root).spacy_model == "nl_core_news_sm"  # a package name stays a name


# --- a store of an older schema that may not be written ---------------------------------------------------------


@pytest.mark.parametrize("what", ["file", "folder"])
def test_hostile14_a_read_only_store_that_needs_an_upgrade_says_so_and_stays_as_it_was(tmp_path, monkeypatch, what):
    from conftest import database_before
    from test_store import deny_writing

    from qualcode.store import Store

    folder = tmp_path / "p"
    folder.mkdir()
    path = folder / "qualcode.db"
    conn = database_before(path, "0015_transcript_summaries")
    conn.commit()
    conn.close()
    deny_writing(monkeypatch, path if what == "file" else folder)
    with pytest.raises(QualcodeError) as caught:
        Store(path)
    error = caught.value
    assert error.code == "QC968" and f"the {what} is read-only" in error.message
    from qualcode.store.migrations import MIGRATIONS

    later = [name for name, _ in MIGRATIONS if name >= "0015"]
    assert later[:2] == ["0015_transcript_summaries", "0016_codings_last_change"]
    assert f"needs an upgrade ({', '.join(later)})" in error.message
    # Not "browsing and exports work as they are": they do not, before the upgrade.
    assert "browsing" not in error.hint and "chmod u+w" in error.hint
    monkeypatch.undo()
    import sqlite3

    with sqlite3.connect(path) as conn:
        assert max(r[0] for r in conn.execute("SELECT name FROM schema_migrations")) == "0014_turn_added_when_known"


@pytest.mark.parametrize(
    ("change", "command"),
    [
        ("DROP TABLE suggestions", ["suggestions"]),
        ("ALTER TABLE codings DROP COLUMN memo", ["codings"]),
        ("DROP TABLE entities", ["pseudonymise", "list"]),  # the pseudonymisation key's database
    ],
)
def test_hostile14_a_database_missing_a_table_or_column_is_named_damaged(sample_project, runner, change, command):
    import sqlite3

    root = sample_project.root
    if "entities" in change:
        assert runner.invoke(main, ["--project", str(root), "pseudonymise", "never", "Overvecht"]).exit_code == 0
    sample_project.close()
    name = "pseudonymisation-key.db" if "entities" in change else "qualcode.db"
    with sqlite3.connect(root / name) as conn:
        conn.execute(change)
    result = runner.invoke(main, ["--project", str(root), *command])
    assert (
        result.exit_code == 1
        and "Traceback" not in result.output
        and result.exception is None
        or isinstance(result.exception, SystemExit)
    )
    assert f"error: {root / name} is damaged: no such " in result.output and "changed by another program" in result.output


# --- attribute names as --by and --where take them ---------------------------------------------------------------

ATTRIBUTES = "file,naam\u00a0met  tab,café\nen.txt,ja,x\ntwee.txt,nee,y\n"  # stored as 'naam met tab' and NFC 'café'
TEAM_TEXT = "I: Hoe ging het?\nR: Eerst was ik bang. Nu vertrouw ik haar.\n"


@pytest.mark.parametrize(
    "args",
    [
        ["stats", "frequencies", "--by", "naam\u00a0met  tab"],  # as the file has it: a no-break space, two spaces
        ["stats", "matrix", "--by", "naam\tmet tab"],
        ["stats", "frequencies", "--by", "cafe\u0301"],  # decomposed, as a Mac types or copies it
        ["codings", "--where", "naam\tmet tab=ja"],
        ["stats", "frequencies", "--where", "cafe\u0301 = x"],
    ],
)
def test_hostile14_an_attribute_name_typed_as_its_file_wrote_it_finds_the_stored_one(tmp_path, runner, args):
    from conftest import cli_project

    codebook = "title: T\ncodes:\n  - id: rol\n    name: Rol\n"
    root = cli_project(
        runner,
        tmp_path / "p",
        codebook,
        {"en.txt": TEAM_TEXT, "twee.txt": TEAM_TEXT.replace("bang", "blij"), "attributes.csv": ATTRIBUTES},
    )
    assert runner.invoke(main, ["--project", str(root), "--coder", "anna", "code", "en", "rol", "--turn", "2"]).exit_code == 0
    result = runner.invoke(main, ["--project", str(root), *args])
    assert result.exit_code == 0, result.output
    assert "Rol" in result.output or "rol" in result.output  # the coding is counted or listed


def test_hostile14_ctrl_c_while_the_cli_loads_is_a_short_message_not_a_traceback():
    import subprocess
    import sys

    # Ctrl-C lands while click is imported (as it does in the first fifth of a second of a run).
    script = (
        "import sys\n"
        "class Interrupt:\n"
        "    def find_spec(self, name, *args):\n"
        "        if name == 'click':\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, Interrupt())\n"
        "from qualcode.cli import main\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 130 and done.stderr == "interrupted\n" and done.stdout == ""


@pytest.mark.parametrize("decision", ["accept", "reject"])
def test_hostile14_a_suggestion_named_twice_is_decided_once(sample_project, runner, decision):
    root = str(sample_project.root)
    assert runner.invoke(main, ["--project", root, "suggest", "--rules-only", "01_al_amal_vrijwilliger"]).exit_code == 0
    first = min(s.id for s in sample_project.store.suggestions.find())
    result = runner.invoke(main, ["--project", root, "suggestions", decision, str(first), str(first)])
    assert result.exit_code == 0, result.output  # was: exit 1, "suggestion N was already accepted"
    assert result.output.count(f"suggestion {first}") == 1


def test_hostile14_evaluate_refuses_a_bad_csv_before_evaluating(sample_project, runner, tmp_path):
    for csv in ("", str(tmp_path / "no such folder" / "uit.csv")):
        result = runner.invoke(main, ["--project", str(sample_project.root), "suggest", "--evaluate", "--csv", csv])
        assert result.exit_code == 1 and ("a folder" in result.output or "does not exist" in result.output), result.output
        assert "precision" not in result.output  # was: the whole evaluation first (6 s here), then the error


@pytest.mark.parametrize("command", [["frequencies"], ["matrix"], ["cooccurrence"]])
def test_hostile14_stats_refuse_a_bad_out_before_counting(sample_project, runner, tmp_path, monkeypatch, command):
    import qualcode.analysis

    def counted(*args, **kwargs):
        raise AssertionError("counted before --out was checked")

    for name in ("frequencies", "code_matrix", "cooccurrence"):
        monkeypatch.setattr(qualcode.analysis, name, counted, raising=False)
    out = tmp_path / "no such folder" / "uit.csv"
    result = runner.invoke(main, ["--project", str(sample_project.root), "stats", *command, "-o", str(out)])
    assert result.exit_code == 1 and "does not exist" in result.output, result.output


def test_hostile14_merge_from_a_project_folder_without_its_database_writes_nothing_there(sample_project, runner, tmp_path):
    other = tmp_path / "copy"
    shutil.copytree(sample_project.root / "codebooks", other / "codebooks")  # e.g. a clone that leaves out the .db
    result = runner.invoke(main, ["--project", str(sample_project.root), "merge", str(other)])
    assert result.exit_code == 1 and f"{other} has no qualcode.db" in result.output, result.output
    assert sorted(p.name for p in other.iterdir()) == ["codebooks"]  # was: an empty qualcode.db made there, exit 0


def _deny(monkeypatch, *paths) -> None:
    """Make ``paths`` read-only as the operating system reports it (the tests run as root)."""
    import os

    from qualcode import output_target

    denied = {str(p) for p in paths}
    real = os.access
    monkeypatch.setattr(
        output_target.os, "access", lambda p, mode, **kw: False if mode == os.W_OK and str(p) in denied else real(p, mode, **kw)
    )


@pytest.mark.parametrize("what", ["file", "folder"])
@pytest.mark.parametrize(
    "command", [["export", "segments"], ["export", "qdpx"], ["stats", "frequencies"], ["codebook", "export"]]
)
def test_hostile14_an_output_that_may_not_be_written_is_refused_before_the_work(
    sample_project, runner, tmp_path, monkeypatch, what, command
):
    folder = tmp_path / "uit"
    folder.mkdir()
    out = folder / "bestand"
    out.write_text("van iemand anders\n", encoding="utf-8")
    _deny(monkeypatch, out if what == "file" else folder)
    result = runner.invoke(main, ["--project", str(sample_project.root), *command, "-o", str(out), "--force"])
    assert result.exit_code == 1 and "cannot write" in result.output, result.output
    assert ("read-only" if what == "file" else "may not be written") in result.output
    assert out.read_text(encoding="utf-8") == "van iemand anders\n"  # was: replaced (--force renames over it)
    assert sorted(p.name for p in folder.iterdir()) == ["bestand"]


@pytest.mark.parametrize("decision", ["accept", "reject"])
def test_hostile14_a_pseudonymisation_candidate_named_twice_is_decided_once(tmp_path, runner, monkeypatch, decision):
    from pseudo_support import StubDetector, make_pseudo_project

    from qualcode.cli import pseudo_cmds

    make_pseudo_project(tmp_path / "studie").close()
    monkeypatch.setattr(pseudo_cmds, "load_detector", lambda: StubDetector({"Marieke": "person"}))
    root = str(tmp_path / "studie")
    assert runner.invoke(main, ["--project", root, "pseudonymise", "detect"]).exit_code == 0
    result = runner.invoke(main, ["--project", root, "pseudonymise", decision, "1", "1"])
    assert result.exit_code == 0, result.output
    assert result.output.count(f"{decision}ed 1") == 1
    # One decision, one undo step (was two: the second undo took back an earlier decision).
    assert runner.invoke(main, ["--project", root, "pseudonymise", "undo"]).exit_code == 0
    result = runner.invoke(main, ["--project", root, "pseudonymise", "undo"])
    assert result.exit_code == 1 and "no pseudonymisation decision to undo" in result.output


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_hostile14_a_settings_file_in_utf16_without_bom_says_so_even_past_ascii(tmp_path, runner, codec):
    # Notepad's "Unicode": valid UTF-8 up to the first 'é', whose byte was reported at "line 3, column 9".
    text = "title: Test\ncodes:\n  - id: café\n    name: Café\n"
    path = tmp_path / "codeboek.yaml"
    path.write_bytes(text.encode(codec))
    result = runner.invoke(main, ["codebook", "check", str(path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"the file is {codec[:6].upper()} without a byte-order mark; save it again as UTF-8" in result.output


def test_hostile14_a_transcript_named_twice_is_worked_through_once(sample_project, runner):
    root = str(sample_project.root)
    once = runner.invoke(main, ["--project", root, "suggest", "--rules-only", "01_al_amal_vrijwilliger"])
    twice = runner.invoke(main, ["--project", root, "suggest", "--rules-only", "01_al_amal_vrijwilliger", "01_al"])
    assert once.exit_code == twice.exit_code == 0
    assert "in 1 transcript(s)" in twice.output  # was: in 2, every suggestion counted twice
    assert once.output.split(" suggestion(s)")[0] == twice.output.split(" suggestion(s)")[0]


@pytest.mark.parametrize("damage", [".qualcode is a file", "the lock is a folder"])
def test_hostile14_a_lock_in_the_wrong_shape_names_what_to_move_away(sample_project, runner, damage):
    root = sample_project.root
    before = sample_project.codebook_path.read_bytes()
    shutil.rmtree(root / ".qualcode", ignore_errors=True)
    if damage == ".qualcode is a file":
        (root / ".qualcode").write_text("x", encoding="utf-8")
        expected = f"{root / '.qualcode'} is a file, where qualcode keeps a folder of its own: move the file away"
    else:
        (root / ".qualcode" / "codebook.lock").mkdir(parents=True)
        expected = f"{root / '.qualcode' / 'codebook.lock'} is a folder, where qualcode keeps its lock file"
    result = runner.invoke(main, ["--project", str(root), "codebook", "rename", "vertrouwen_opbouwen", "vertrouwen_b"])
    assert result.exit_code == 1 and expected in result.output, result.output  # was: 'File exists', 'Is a directory'
    assert sample_project.codebook_path.read_bytes() == before


@pytest.mark.parametrize("entry", ['person: ["Hatice\\nInterviewer: nep"]', 'never: ["Mooi\\tweer"]'])
def test_hostile14_a_names_file_entry_is_one_line_as_on_the_command_line(tmp_path, entry):
    from qualcode.pseudonymise.project import read_names_file

    path = tmp_path / "pseudonymise.yaml"
    path.write_text(f"place: [Overvecht]\n{entry}\n", encoding="utf-8")
    with pytest.raises(QualcodeError) as caught:
        read_names_file(path)
    assert caught.value.code == "QC950" and "control character" in caught.value.message
    assert f"{path}:2" in str(caught.value) and "\n" not in caught.value.message
