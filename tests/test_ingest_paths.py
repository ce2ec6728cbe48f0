"""Expanding import arguments into transcript files and sidecars."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode import errors
from qualcode.errors import QualcodeError, Report
from qualcode.ingest import SUPPORTED_SUFFIXES, expand_paths
from qualcode.ingest.reader import READERS


def touch(folder: Path, *names: str) -> None:
    for name in names:
        (folder / name).write_text("I: hoi\n")


def test_ingest_paths_supported_suffixes_match_readers() -> None:
    assert set(SUPPORTED_SUFFIXES) == set(READERS) == {".txt", ".md", ".docx", ".vtt", ".srt", ".rtf"}


def test_ingest_paths_directory_sorted_non_recursive_with_sidecars(tmp_path: Path) -> None:
    touch(
        tmp_path,
        "b.docx",
        "a.txt",
        "C.MD",
        "d.vtt",
        "e.srt",
        "attributes.csv",
        "codings.csv",
        "notes.pdf",
        ".hidden.txt",
        "~$b.docx",
    )
    (tmp_path / "sub").mkdir()
    touch(tmp_path / "sub", "deeper.txt")
    report = Report()
    transcripts, sidecars = expand_paths([tmp_path], report)
    assert [p.name for p in transcripts] == ["C.MD", "a.txt", "b.docx", "d.vtt", "e.srt"]
    assert sidecars == [tmp_path / "attributes.csv", tmp_path / "codings.csv"]
    # A sub-folder is not imported, but said so: transcripts kept in one were silently missed.
    assert len(report.warnings) == 2
    assert "notes.pdf" in report.warnings[0]
    assert report.warnings[1].endswith("sub: skipped, a folder (sub-folders are not imported: name it to import it)")


def test_ingest_paths_explicit_files_and_duplicates(tmp_path: Path) -> None:
    touch(tmp_path, "a.txt", "b.txt", "kenmerken.csv", "codings.csv")
    transcripts, sidecars = expand_paths(
        [tmp_path / "b.txt", str(tmp_path / "a.txt"), tmp_path, tmp_path / "kenmerken.csv", tmp_path / "codings.csv"]
    )
    assert [p.name for p in transcripts] == ["b.txt", "a.txt"]
    assert [p.name for p in sidecars] == ["codings.csv", "kenmerken.csv"]


@pytest.mark.parametrize(("name", "msg"), [("notes.pdf", errors.UNSUPPORTED_FORMAT), ("weg.txt", errors.FILE_NOT_FOUND)])
def test_ingest_paths_explicit_errors(tmp_path: Path, name: str, msg: errors.Msg) -> None:
    touch(tmp_path, "notes.pdf")
    with pytest.raises(QualcodeError) as info:
        expand_paths([tmp_path / name])
    assert info.value.code == msg.code
    assert name in info.value.message
