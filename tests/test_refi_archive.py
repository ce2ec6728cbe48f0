"""Bad .qdpx input: clear catalogue errors, and nothing written to the project."""

from __future__ import annotations

import sqlite3
import stat
import zipfile
from contextlib import closing
from pathlib import Path

import pytest
from test_refi_support import (
    DATA,
    FEATURES_SOURCE,
    features_qdpx,
    make_qdpx,
    new_project,
)

from qualcode.errors import QualcodeError, Report
from qualcode.refi import archive as archive_module
from qualcode.refi.archive import QdpxArchive
from qualcode.refi.project_export import export_qdpx
from qualcode.refi.project_import import import_qdpx

FEATURES = (DATA / "features.qde").read_text(encoding="utf-8")
TEXT = (DATA / "features-1.txt").read_bytes()


def snapshot(project) -> tuple:
    """Everything an import could change: the codebook files and the store's rows."""
    files = {p.name: p.read_bytes() for p in sorted((project.root / "codebooks").iterdir())}
    with closing(sqlite3.connect(project.db_path)) as conn:
        rows = tuple(
            tuple(tuple(r) for r in conn.execute(f"SELECT * FROM {table} ORDER BY 1"))
            for table in ("transcripts", "codings", "codes", "turns", "attributes")
        )
    return files, rows


def import_fails(project, path: Path, code: str) -> QualcodeError:
    before = snapshot(project)
    with pytest.raises(QualcodeError) as caught:
        import_qdpx(project, path, default_coder="tester")
    assert caught.value.code == code, caught.value
    assert snapshot(project) == before, "a failed import changed the project"
    return caught.value


@pytest.fixture
def project(tmp_path):
    project = new_project(tmp_path)
    project.codebook  # noqa: B018 - sync the codebook, as any command would
    return project


def test_refi_archive_not_a_zip(project, tmp_path):
    path = tmp_path / "x.qdpx"
    path.write_text("dit is geen zip")
    error = import_fails(project, path, "QC405")
    assert "not a .qdpx archive" in error.message


def test_refi_archive_missing_file(project, tmp_path):
    import_fails(project, tmp_path / "nergens.qdpx", "QC405")


def test_refi_archive_without_project_qde(project, tmp_path):
    path = make_qdpx(tmp_path / "x.qdpx", "", {"sources/a.txt": "tekst"})
    error = import_fails(project, path, "QC406")
    assert "sources/a.txt" in error.message


def test_refi_archive_other_qde_name_is_tolerated(tmp_path):
    path = tmp_path / "x.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Mijn project.qde", FEATURES)
        archive.writestr(FEATURES_SOURCE, TEXT)
    report = Report()
    with QdpxArchive(path, report) as opened:
        assert opened.project_entry() == "Mijn project.qde"
    assert "no project.qde" in report.warnings[0]


def test_refi_archive_missing_source_file(project, tmp_path):
    path = make_qdpx(tmp_path / "x.qdpx", FEATURES)
    error = import_fails(project, path, "QC443")
    listed = "\n".join(map(str, error.problems))
    assert "interview 1" in listed and "internal://aaaaaaaa" in listed


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        ("../../etc/passwd", "climbs out"),
        ("sources/../../x.txt", "climbs out"),
        ("/etc/passwd", "absolute"),
        ("C:/Windows/win.ini", "absolute"),
        ("..\\..\\evil.txt", "climbs out"),
    ],
)
def test_refi_archive_paths_escaping_the_archive(project, tmp_path, entry, reason):
    path = make_qdpx(tmp_path / "x.qdpx", FEATURES, {FEATURES_SOURCE: TEXT, entry: "x"})
    error = import_fails(project, path, "QC408")
    assert reason in error.message


@pytest.mark.filterwarnings("ignore:Duplicate name:UserWarning")  # the archive is made with a twin on purpose
@pytest.mark.parametrize("twin", ["project.qde", "Project.QDE", "./project.qde", "sources//x.txt", "Sources\\X.txt"])
def test_refi_archive_an_entry_held_twice_is_refused(project, tmp_path, twin):
    """Two entries of one name (as a reader looks names up) let two programs read different
    copies: refused, naming it, before anything is imported."""
    path = make_qdpx(tmp_path / "x.qdpx", FEATURES, {FEATURES_SOURCE: TEXT, "sources/x.txt": "x"})
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(twin, "<Project/>")
    error = import_fails(project, path, "QC408")
    assert f"'{twin}'" in error.message and "twice" in error.message


def _link_entry(name: str, target: str) -> tuple[zipfile.ZipInfo, str]:
    """A zip entry that is a symbolic link (Unix mode S_IFLNK) pointing at ``target``."""
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target


@pytest.mark.parametrize("entry", [FEATURES_SOURCE, "project.qde", "sources/extra.txt"])
def test_refi_archive_a_symbolic_link_entry_is_refused(project, tmp_path, entry):
    """A link entry's bytes are the path it points to: read as a source they replaced its text
    (codings dropped as 'empty'), and unpacked it points anywhere. Refused, naming it."""
    files = {name: data for name, data in {"project.qde": FEATURES, FEATURES_SOURCE: TEXT}.items() if name != entry}
    path = make_qdpx(tmp_path / "x.qdpx", "", files)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(*_link_entry(entry, "/etc/passwd"))
    error = import_fails(project, path, "QC408")
    assert f"'{entry}'" in error.message and "symbolic link" in error.message


def test_refi_archive_reference_escaping_the_archive(project, tmp_path):
    qde = FEATURES.replace("internal://aaaaaaaa-0000-4000-8000-000000000001.txt", "internal://../../../etc/passwd")
    path = make_qdpx(tmp_path / "x.qdpx", qde, {FEATURES_SOURCE: TEXT})
    error = import_fails(project, path, "QC408")
    assert "interview 1" in error.message


@pytest.mark.parametrize("scheme", ["absolute:///C:/Data/interview.txt", "relative:///interview.txt"])
def test_refi_archive_external_text_source(project, tmp_path, scheme):
    qde = FEATURES.replace("internal://aaaaaaaa-0000-4000-8000-000000000001.txt", scheme)
    path = make_qdpx(tmp_path / "x.qdpx", qde, {FEATURES_SOURCE: TEXT})
    error = import_fails(project, path, "QC412")
    assert scheme in error.message


def test_refi_archive_zip_bomb(project, tmp_path):
    bomb = b"\0" * (8 * 1024 * 1024)  # compresses about 1000 times
    path = make_qdpx(tmp_path / "x.qdpx", FEATURES, {FEATURES_SOURCE: bomb})
    error = import_fails(project, path, "QC410")
    assert "zip bomb" in error.message


def test_refi_archive_entry_over_the_size_limit(project, tmp_path, monkeypatch):
    monkeypatch.setattr(archive_module, "MAX_ENTRY_BYTES", 1000)
    path = make_qdpx(tmp_path / "x.qdpx", FEATURES + " " * 2000, {FEATURES_SOURCE: TEXT})
    error = import_fails(project, path, "QC409")
    assert "project.qde" in error.message


def test_refi_archive_header_that_lies_about_the_size(tmp_path):
    path = make_qdpx(tmp_path / "x.qdpx", "<Project/>" * 100)
    report = Report()
    with QdpxArchive(path, report) as opened:
        opened.entries["project.qde"].file_size = 10  # as a forged header would say
        with pytest.raises(QualcodeError) as caught:
            opened.read("project.qde")
    assert caught.value.code in ("QC405", "QC410")


def test_refi_archive_malformed_project_xml(project, tmp_path):
    path = make_qdpx(tmp_path / "x.qdpx", FEATURES.replace("</Users>", "</Userz>"), {FEATURES_SOURCE: TEXT})
    error = import_fails(project, path, "QC400")
    assert "x.qdpx/project.qde:" in error.message


def test_refi_archive_duplicate_source_guids(project, tmp_path):
    qde = FEATURES.replace(
        'guid="aaaaaaaa-0000-4000-8000-000000000002" name="notities"',
        'guid="AAAAAAAA-0000-4000-8000-000000000001" name="notities"',
    )
    path = make_qdpx(tmp_path / "x.qdpx", qde, {FEATURES_SOURCE: TEXT})
    error = import_fails(project, path, "QC404")
    assert "also the GUID of source 'interview 1'" in str(error.problems[0])


def test_refi_archive_source_that_is_not_utf8(project, tmp_path):
    path = make_qdpx(tmp_path / "x.qdpx", FEATURES, {FEATURES_SOURCE: "Vertrouwt u café".encode("cp1252")})
    error = import_fails(project, path, "QC415")
    assert "0xe9" in error.message


def test_refi_archive_bad_positions_are_located(project, tmp_path):
    path = make_qdpx(tmp_path / "x.qdpx", FEATURES.replace('startPosition="3"', 'startPosition="drie"'), {FEATURES_SOURCE: TEXT})
    error = import_fails(project, path, "QC404")
    assert "startPosition 'drie' is not a whole number" in str(error.problems[0])


def test_refi_archive_store_failure_puts_the_codebook_back(tmp_path, monkeypatch):
    project = new_project(tmp_path, codebook=None)  # untouched starter: the import writes a codebook
    project.codebook  # noqa: B018
    before = snapshot(project)

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(type(project.store.codings), "add_many", broken)
    with pytest.raises(RuntimeError):
        import_qdpx(project, features_qdpx(tmp_path), default_coder="tester")
    assert snapshot(project) == before


def test_refi_archive_write_is_atomic(tmp_path, monkeypatch):
    from test_refi_support import coded_project

    project = coded_project(tmp_path)
    target = tmp_path / "out.qdpx"
    target.write_bytes(b"old")

    class Boom(Exception):
        pass

    def explode(*_args, **_kwargs):
        raise Boom

    monkeypatch.setattr(zipfile.ZipFile, "writestr", explode)
    with pytest.raises(Boom):
        export_qdpx(project, target, user="anna")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.qdpx", "studie"]  # no temporary file left


def test_refi_archive_coding_of_an_undefined_code_is_reported_where_it_is(project, tmp_path):
    """A CodeRef to a GUID the file's codebook does not define cannot be imported: the
    warning counts it and says where (the selection's line and the GUID), the rest comes in."""
    qde = (DATA / "features.qde").read_text(encoding="utf-8")
    lost = "c0000002-0000-4000-8000-000000000002"
    broken = qde.replace(f'<CodeRef targetGUID="{lost}"/>', '<CodeRef targetGUID="ffffffff-0000-4000-8000-00000000000f"/>', 1)
    assert broken != qde
    lines = broken.splitlines()
    at = next(i for i, x in enumerate(lines) if "ffffffff-" in x)
    selection_line = max(i for i, x in enumerate(lines[:at], 1) if "<PlainTextSelection" in x)  # the one it is in
    path = make_qdpx(tmp_path / "x.qdpx", broken, {FEATURES_SOURCE: (DATA / "features-1.txt").read_bytes()})
    whole = import_qdpx(new_project(tmp_path / "whole"), features_qdpx(tmp_path), default_coder="tester")
    result = import_qdpx(project, path, default_coder="tester")
    [warning] = [w for w in result.warnings if "not in the project's codebook" in w]
    assert warning.startswith("1 coding(s)") and "ffffffff-0000-4000-8000-00000000000f" in warning
    assert f"line {selection_line}:" in warning
    assert result.codings_read == whole.codings_read - 1
