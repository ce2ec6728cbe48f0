"""Hostile and damaged REFI-QDA input: clear errors or warnings, never a traceback, nothing half done."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import needs_shared
from test_refi_archive import TEXT, import_fails, snapshot
from test_refi_support import DATA, FEATURES_SOURCE, SAMPLES, coded_project, make_qdpx, new_project

from qualcode.cli import main
from qualcode.errors import QualcodeError
from qualcode.ingest import decode, normalise
from qualcode.refi.project_export import export_qdpx
from qualcode.refi.project_import import import_qdpx
from qualcode.refi.reading import MAX_CODE_DEPTH

FEATURES = (DATA / "features.qde").read_text(encoding="utf-8")


@pytest.fixture
def project(tmp_path):
    return new_project(tmp_path, codebook=None)


# --- source texts: the .txt importer's rules ------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"Hallo\x00wereld, een tekst met een NUL erin.\n",
        b"I: Hallo\nR: \x1b]0;gekaapt\x07\x1b[2J goed zo\n" + b"woorden " * 200,
        bytes(range(1, 32)) * 40,
        b"\xff\xfeH\x00a\x00l\x00l\x00o\x00",  # UTF-16 with a BOM
    ],
    ids=["nul", "one-escape-sequence", "binary", "utf16-bom"],
)
def test_refi_hardening_source_text_is_read_as_a_txt_transcript_would_be(project, tmp_path, data):
    qde = FEATURES.replace('startPosition="', 'startPosition="0" x="')  # keep positions harmless
    path = make_qdpx(tmp_path / "x.qdpx", qde, {FEATURES_SOURCE: data})
    try:
        expected = decode(data, Path("x.txt"))[0]
    except QualcodeError:
        expected = None
    if expected is None:
        error = import_fails(project, path, "QC442")
        assert "interview 1" in error.message and "sources/" in error.message
        return
    result = import_qdpx(project, path, default_coder="t")
    stored = project.store.transcripts.text(project.store.transcripts.id_by_name(result.transcripts[0]))
    assert stored == normalise(expected)


# --- qualcode/turns.json: shape checked, depth harmless -------------------------------------------


def _with_turns(tmp_path: Path, source: Path, turns_json: bytes) -> Path:
    out = tmp_path / "edited.qdpx"
    with zipfile.ZipFile(source) as a, zipfile.ZipFile(out, "w") as b:
        for name in a.namelist():
            b.writestr(name, turns_json if name == "qualcode/turns.json" else a.read(name))
    return out


@pytest.mark.parametrize("how", ["speaker-list", "speaker-nested", "sources-list", "bad-number", "nested-100000"])
def test_refi_hardening_malformed_turns_json_warns_and_finds_turns_again(tmp_path, how):
    source = coded_project(tmp_path)
    exported = tmp_path / "s.qdpx"
    export_qdpx(source, exported, user="anna")
    with zipfile.ZipFile(exported) as archive:
        data = json.loads(archive.read("qualcode/turns.json"))
    ((guid, entry),) = data["sources"].items()
    if how == "speaker-list":
        entry["turns"][0][1] = ["I", "R"]
    elif how == "speaker-nested":
        entry["turns"][0][1] = {"naam": {"diep": []}}
    elif how == "sources-list":
        data["sources"] = [entry]
    elif how == "bad-number":
        entry["turns"][0][2] = "nul"
    raw = json.dumps(data).encode()
    if how == "nested-100000":
        raw = raw.replace(b'"I"', b"[" * 100_000 + b"]" * 100_000, 1)
    edited = _with_turns(tmp_path, exported, raw)
    target = new_project(tmp_path, codebook=None, name="doel")
    result = import_qdpx(target, edited, default_coder="t")
    assert any("turns" in w and ("malformed" in w or "not readable" in w) for w in result.warnings), result.warnings
    tid = target.store.transcripts.id_by_name("int1")
    speakers = [t.speaker for t in target.store.transcripts.turns(tid)]
    assert speakers and all(isinstance(s, str) or s is None for s in speakers)
    assert len(target.store.codings.find()) == 4  # nothing else lost


# --- deep code trees -------------------------------------------------------------------------------


def _deep_qdc(depth: int) -> str:
    opening = "".join(f'<Code guid="00000000-0000-4000-8000-{n:012d}" name="Code {n}" isCodable="true">' for n in range(depth))
    return f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>{opening}{"</Code>" * depth}</Codes></CodeBook>'


@pytest.mark.parametrize("depth", [190, 5000])
def test_refi_hardening_deep_qdc_is_a_clear_error(tmp_path, depth):
    qdc = tmp_path / "diep.qdc"
    qdc.write_text(_deep_qdc(depth), encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["codebook", "import", str(qdc)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.exception
    assert f"more than {MAX_CODE_DEPTH} levels" in result.stderr or "nested more than" in result.stderr


def test_refi_hardening_deep_qdc_apply_dry_run_is_a_clear_error(tmp_path):
    project = coded_project(tmp_path)
    qdc = tmp_path / "diep.qdc"
    qdc.write_text(_deep_qdc(190), encoding="utf-8")
    result = CliRunner().invoke(main, ["--project", str(project.root), "codebook", "apply", "--dry-run", str(qdc)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.exception
    assert f"more than {MAX_CODE_DEPTH} levels" in result.stderr


def test_refi_hardening_code_tree_at_the_depth_limit_round_trips(tmp_path):
    qdc = tmp_path / "diep.qdc"
    qdc.write_text(_deep_qdc(MAX_CODE_DEPTH), encoding="utf-8")
    out = tmp_path / "diep.yaml"
    result = CliRunner().invoke(main, ["codebook", "import", str(qdc), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    again = CliRunner().invoke(main, ["codebook", "export", str(out)])
    assert again.exit_code == 0, again.stderr
    assert again.stdout.count("<Code ") == MAX_CODE_DEPTH


# --- duplicate selection GUIDs ----------------------------------------------------------------------


def test_refi_hardening_duplicate_selection_guids_are_reported_and_both_kept(project, tmp_path):
    first = FEATURES.index("<PlainTextSelection")
    guid_at = FEATURES.index('guid="', first) + 6
    guid = FEATURES[guid_at : guid_at + 36]
    second = FEATURES.index("<PlainTextSelection", first + 1)
    second_guid_at = FEATURES.index('guid="', second) + 6
    qde = FEATURES[:second_guid_at] + guid + FEATURES[second_guid_at + 36 :]
    path = make_qdpx(tmp_path / "x.qdpx", qde, {FEATURES_SOURCE: TEXT})
    baseline = import_qdpx(
        new_project(tmp_path, codebook=None, name="ref"),
        make_qdpx(tmp_path / "y.qdpx", FEATURES, {FEATURES_SOURCE: TEXT}),
        default_coder="t",
    )
    result = import_qdpx(project, path, default_coder="t")
    assert any(guid in w and "also used on line" in w for w in result.warnings)
    assert result.codings_added == baseline.codings_added


# --- a bare .qde (MAXQDA 24) and missing sources -------------------------------------------------------


def test_refi_hardening_bare_qde_with_its_sources_folder_imports(project, tmp_path):
    folder = tmp_path / "maxqda"
    (folder / "sources").mkdir(parents=True)
    (folder / "project.qde").write_text(FEATURES, encoding="utf-8")
    (folder / FEATURES_SOURCE).write_bytes(TEXT)
    result = import_qdpx(project, folder / "project.qde", default_coder="t")
    reference = import_qdpx(
        new_project(tmp_path, codebook=None, name="ref"),
        make_qdpx(tmp_path / "y.qdpx", FEATURES, {FEATURES_SOURCE: TEXT}),
        default_coder="t",
    )
    assert (len(result.transcripts), result.codings_added) == (len(reference.transcripts), reference.codings_added)


def test_refi_hardening_bare_qde_never_reads_through_a_link_out_of_its_folder(project, tmp_path):
    folder = tmp_path / "maxqda"
    (folder / "sources").mkdir(parents=True)
    (folder / "project.qde").write_text(FEATURES, encoding="utf-8")
    outside = tmp_path / "geheim.txt"
    outside.write_bytes(TEXT)
    (folder / FEATURES_SOURCE).symlink_to(outside)
    error = import_fails(project, folder / "project.qde", "QC443")
    assert "interview 1" in "\n".join(map(str, error.problems))


def test_refi_hardening_maxqda_qde_without_sources_lists_every_missing_one(project, tmp_path):
    needs_shared(SAMPLES)
    qde = tmp_path / "project.qde"
    shutil.copy(SAMPLES / "maxqda-24.7-paper_themes" / "project.qde", qde)
    before = snapshot(project)
    with pytest.raises(QualcodeError) as caught:
        import_qdpx(project, qde, default_coder="t")
    assert caught.value.code == "QC443"
    assert len(caught.value.problems) == 10
    assert any("'ICLS 2024 3-10'" in str(p) for p in caught.value.problems)
    assert snapshot(project) == before
    result = import_qdpx(project, qde, default_coder="t", skip_missing=True)
    assert result.transcripts == [] and result.codes_added == 307
    assert sum("is not there; skipped" in w for w in result.warnings) == 10


def test_refi_hardening_cli_imports_a_bare_qde_with_skip_missing_sources(tmp_path):
    needs_shared(SAMPLES)
    target = tmp_path / "doel"
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(target)]).exit_code == 0
    qde = SAMPLES / "maxqda-24.7-paper_themes" / "project.qde"
    refused = runner.invoke(main, ["--project", str(target), "import", str(qde)])
    assert (
        refused.exit_code == 1 and "10 source(s) are not there" in refused.stderr and "--skip-missing-sources" in refused.stderr
    )
    assert refused.stderr.count("refers to 'internal://") == 10
    done = runner.invoke(main, ["--project", str(target), "import", "--skip-missing-sources", str(qde)])
    assert done.exit_code == 0, done.stderr
    assert "codebook: wrote" in done.stdout and "(307 codes)" in done.stdout
