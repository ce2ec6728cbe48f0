"""A .docx is a zip: its sizes are capped before python-docx inflates anything (shared ZipGuard)."""

from __future__ import annotations

import io
import stat
import struct
import zipfile
from pathlib import Path

import docx
import pytest

from qualcode import errors
from qualcode.errors import QualcodeError
from qualcode.ingest import read_transcript
from qualcode.ingest import word as word_module
from qualcode.zipsafe import ZipGuard, ZipLimits


def _docx_bytes(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _with_document_xml(data: bytes, padding: int) -> bytes:
    """The same package with ``padding`` spaces added inside document.xml (compresses ~1000x)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "word/document.xml":
                content = content.replace(b"<w:body>", b"<w:body>" + b" " * padding, 1)
            target.writestr(item.filename, content)
    return out.getvalue()


def _read_error(tmp_path: Path, data: bytes) -> QualcodeError:
    path = tmp_path / "bom.docx"
    path.write_bytes(data)
    with pytest.raises(QualcodeError) as caught:
        read_transcript(path)
    return caught.value


@pytest.mark.filterwarnings("ignore:Duplicate name:UserWarning")  # the package is made with a twin on purpose
def test_docx_limits_a_part_held_twice_is_refused(tmp_path: Path) -> None:
    data = io.BytesIO(_docx_bytes(["I: Hallo.", "R: Dag."]))
    with zipfile.ZipFile(data, "a") as package:
        package.writestr("word/document.xml", "<w:document/>")
    exc = _read_error(tmp_path, data.getvalue())
    assert exc.code == errors.BAD_DOCUMENT.code
    assert "'word/document.xml'" in exc.message and "twice" in exc.message


@pytest.mark.parametrize("part", ["word/document.xml", "word/styles.xml"])
def test_docx_limits_a_symbolic_link_part_is_refused(tmp_path: Path, part: str) -> None:
    """A link entry's bytes are the path it points to, not a part: refused, naming it."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_docx_bytes(["I: Hallo.", "R: Dag."]))) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            if item.filename != part:
                target.writestr(item.filename, source.read(item.filename))
        link = zipfile.ZipInfo(part)
        link.create_system = 3
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        target.writestr(link, "/etc/passwd")
    exc = _read_error(tmp_path, out.getvalue())
    assert exc.code == errors.BAD_DOCUMENT.code
    assert f"'{part}'" in exc.message and "symbolic link" in exc.message


def test_docx_limits_parts_named_with_backslashes_are_refused_saying_so(tmp_path: Path) -> None:
    """Some Windows tools write 'word\\document.xml': python-docx then said only "no relationship of type"."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_docx_bytes(["I: Hallo.", "R: Dag."]))) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item.filename.replace("/", "\\"), source.read(item.filename))
    exc = _read_error(tmp_path, out.getvalue())
    assert exc.code == errors.BAD_DOCUMENT.code
    assert "backslashes" in exc.message and "\\" in exc.message and "save it again" in exc.hint


def test_docx_limits_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    bomb = _with_document_xml(_docx_bytes(["I: Hallo.", "R: Dag."]), 8 * 1024 * 1024)
    assert len(bomb) < 100_000  # 8 MiB of XML in a small file
    exc = _read_error(tmp_path, bomb)
    assert exc.code == errors.DOCX_BOMB.code
    assert "word/document.xml" in exc.message and "bom.docx" in exc.message and "zip bomb" in exc.message


def test_docx_limits_a_part_over_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(word_module, "LIMITS", ZipLimits(max_entries=100, max_entry_bytes=20_000, max_total_bytes=10**9))
    exc = _read_error(tmp_path, _docx_bytes(["R: " + "lang verhaal " * 3000]))
    assert exc.code == errors.DOCX_TOO_BIG.code
    assert "word/document.xml" in exc.message and "the limit is 20000" in exc.message


def test_docx_limits_the_total_of_all_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(word_module, "LIMITS", ZipLimits(max_entries=100, max_entry_bytes=10**9, max_total_bytes=5_000))
    exc = _read_error(tmp_path, _docx_bytes(["I: Hallo."]))
    assert exc.code == errors.DOCX_TOO_BIG.code


def test_docx_limits_too_many_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(word_module, "LIMITS", ZipLimits(max_entries=3, max_entry_bytes=10**9, max_total_bytes=10**9))
    exc = _read_error(tmp_path, _docx_bytes(["I: Hallo."]))
    assert exc.code == errors.BAD_DOCUMENT.code and "entries, more than the 3 allowed" in exc.message


def test_docx_limits_a_header_that_understates_the_size(tmp_path: Path) -> None:
    data = bytearray(_docx_bytes(["I: Hallo.", "R: " + "Dag. " * 2000]))
    # Forge the central directory entry of document.xml: declare 100 bytes uncompressed.
    name = b"word/document.xml"
    at = data.find(name, data.find(b"PK\x01\x02")) - 46
    assert data[at : at + 4] == b"PK\x01\x02"
    struct.pack_into("<I", data, at + 24, 100)
    exc = _read_error(tmp_path, bytes(data))
    assert exc.code == errors.BAD_DOCUMENT.code  # never more than the 100 declared bytes are inflated


def test_docx_limits_a_normal_document_reads(tmp_path: Path) -> None:
    path = tmp_path / "gewoon.docx"
    path.write_bytes(_docx_bytes(["I: Hoe gaat het?", "R: " + "Goed, dank u. " * 5000]))
    t = read_transcript(path)
    assert [turn.speaker for turn in t.turns] == ["I", "R"]


def test_zipsafe_guard_reads_within_the_declared_size() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.txt", "x" * 5000)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        guard = ZipGuard(
            "t.zip", ZipLimits(10, 10_000, 6_000), errors.DOCX_TOO_BIG, errors.DOCX_BOMB, errors.BAD_DOCUMENT, kind="zip", hint=""
        )
        info = archive.getinfo("a.txt")
        assert guard.read(archive, info) == b"x" * 5000
        with pytest.raises(QualcodeError) as caught:  # a second read would pass the 6,000-byte total
            guard.read(archive, info)
    assert caught.value.code == errors.DOCX_TOO_BIG.code
