"""The .qdpx writer's second thread (DeflatingZip) and the export's inner loop.

* DeflatingZip writes the entries zipfile writes, in order, whatever the pieces;
* an error in the thread (a full disk) reaches the caller as itself, and the export
  reports it as QC416 (cannot write) with nothing left behind;
* an interrupted export stops the thread and leaves the old file and no temporary one;
* a selection's name and the GUIDs derived from a key's prefix are what they were;
* the inner loop's narrow strings (UTF-8 bytes as Latin-1) encode to the UTF-8 of what they stand for.
"""

from __future__ import annotations

import errno
import io
import re
import threading
import uuid
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_refi_support import coded_project

from qualcode.codebook import GUID_NAMESPACE
from qualcode.errors import DISK_FULL, QualcodeError
from qualcode.refi import project_export
from qualcode.refi.archive import DeflatingZip
from qualcode.refi.guids import derived_guid, hex_guid, key_prefix
from qualcode.refi.project_export import _narrow, _narrow_name, _selection_name, export_qdpx
from qualcode.refi.xmlwrite import XmlWriter


def _entries(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None  # every CRC checks
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def test_deflating_zip_writes_what_zipfile_writes():
    big = bytes(range(256)) * 9000  # over 2 MB: several pieces, and data the deflater must work on
    handle = io.BytesIO()
    with DeflatingZip(handle, level=3, limit=1 << 20) as archive:
        archive.writestr("sources/a.txt", "één 😀\n".encode())
        with archive.open("project.qde") as entry:
            for start in range(0, len(big), 1 << 20):
                entry.write(big[start : start + (1 << 20)])
        archive.writestr("sources/empty.txt", b"")
        with archive.open("qualcode/turns.json") as entry:
            entry.write(b"{}")
    assert _entries(handle.getvalue()) == [
        ("sources/a.txt", "één 😀\n".encode()),
        ("project.qde", big),
        ("sources/empty.txt", b""),
        ("qualcode/turns.json", b"{}"),
    ]
    info = zipfile.ZipFile(io.BytesIO(handle.getvalue())).getinfo("project.qde")
    assert info.compress_type == zipfile.ZIP_DEFLATED and info.compress_size < len(big) // 10


def test_deflating_zip_hands_an_error_of_its_thread_to_the_caller():
    class Full(io.BytesIO):
        def write(self, data):
            if self.tell() > 4096:
                raise OSError(errno.ENOSPC, "No space left on device")
            return super().write(data)

    threads = threading.active_count()
    with pytest.raises(OSError) as caught:  # raised at a later write or at the end
        with DeflatingZip(Full(), level=3, limit=1) as archive:
            for n in range(50):
                archive.writestr(f"sources/{n}.txt", bytes(range(256)) * 400)
    assert caught.value.errno == errno.ENOSPC
    assert threading.active_count() == threads  # the thread has ended


def test_export_on_a_full_disk_is_a_clear_error_and_leaves_nothing(tmp_path, monkeypatch):
    project = coded_project(tmp_path)
    target = tmp_path / "out.qdpx"

    def full(self, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(zipfile._ZipWriteFile, "write", full)  # what the thread calls for every piece
    with pytest.raises(QualcodeError) as caught:
        export_qdpx(project, target, user="anna")
    assert caught.value.code == DISK_FULL.code  # its own hint: free space (round 21)
    assert "No space left on device" in caught.value.message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["studie"]


def test_interrupted_export_stops_the_thread_and_keeps_the_old_file(tmp_path, monkeypatch):
    project = coded_project(tmp_path)
    target = tmp_path / "out.qdpx"
    target.write_bytes(b"old")

    def interrupted(*_args):
        raise KeyboardInterrupt

    monkeypatch.setattr(project_export, "_write_turns", interrupted)  # after the sources and the XML
    threads = threading.active_count()
    with pytest.raises(KeyboardInterrupt):
        export_qdpx(project, target, user="anna")
    assert threading.active_count() == threads
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.qdpx", "studie"]


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=90))
def test_selection_name_folds_white_space_and_cuts_at_60(quote):
    folded = " ".join(quote.split())
    assert _selection_name(quote) == (folded if len(folded) <= 60 else folded[:59] + "…")


@pytest.mark.parametrize("quote", ["a  b", " a", "a ", "a\u00a0b", "a\u2028b", "a\x1cb", "a\tb", "", " " * 70, "x" * 61])
def test_selection_name_white_space_of_every_kind(quote):
    folded = " ".join(quote.split())
    assert _selection_name(quote) == (folded if len(folded) <= 60 else folded[:59] + "…")


def test_guids_derived_from_a_prefix_are_those_derived_at_once():
    import hashlib

    for kind, first, rest in [("selection", "a-b", (0, 17, "rol", "anna")), ("coding", "Émile 😀", (3, 4, "x", "y"))]:
        key = "\x1f".join(map(str, rest)).encode()
        name = "\x1f".join([kind, first, *map(str, rest)])
        expected = str(uuid.uuid5(GUID_NAMESPACE, name))
        assert hex_guid(hashlib.sha1(key_prefix(kind, first) + key).hexdigest()) == expected
        assert derived_guid(kind, first, *rest) == expected


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=90))
def test_narrow_is_the_utf8_of_the_text(text):
    narrow = _narrow(text)
    assert all(ord(ch) < 256 for ch in narrow)
    assert narrow.encode("latin-1") == text.encode("utf-8")


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=90))
def test_narrow_name_is_the_escaped_selection_name(quote):
    writer = XmlWriter(io.BytesIO())
    expected = writer.attr_value(_selection_name(quote)).encode("utf-8")
    assert _narrow_name(quote, writer.attr_value).encode("latin-1") == expected


@pytest.mark.parametrize("quote", ['a "b" & <c>', "é" * 61, "x" * 60, "x" * 61 + "&", "a\x1bb", "a\rb", " a", "😀 " * 40])
def test_narrow_name_of_quotes_that_need_work(quote):
    writer = XmlWriter(io.BytesIO())
    expected = writer.attr_value(_selection_name(quote)).encode("utf-8")
    assert _narrow_name(quote, writer.attr_value).encode("latin-1") == expected


def test_every_plain_coding_keeps_its_own_dates(tmp_path):
    # Coded by hand, every coding has dates of its own (the export keeps a source's dates only).
    from qualcode.model import Coding

    project = coded_project(tmp_path)
    store = project.store
    tid = store.transcripts.id_by_name("int1")
    text = store.transcripts.text(tid)
    dates = {}
    for n in range(6):
        start = 10 * n
        created = f"2023-0{n + 1}-0{n + 1}T10:0{n}:00+00:00"
        updated = created if n % 2 else f"2024-0{n + 1}-01T09:00:0{n}+00:00"
        store.codings.add_many(
            [Coding(None, tid, start, start + 5, "rol", "carla", text[start : start + 5], None, "manual", created, updated)]
        )
        dates[(start, start + 5)] = (created[:19] + "Z", updated[:19] + "Z")
    export_qdpx(project, tmp_path / "out.qdpx", user="anna")
    qde = zipfile.ZipFile(tmp_path / "out.qdpx").read("project.qde").decode()
    found = {}
    for m in re.finditer(
        r'<PlainTextSelection [^>]*startPosition="(\d+)" endPosition="(\d+)"[^>]*creatingUser="[^"]*" creationDateTime="([^"]+)" modifyingUser="[^"]*" modifiedDateTime="([^"]+)">\n\s*<Coding [^>]*creationDateTime="([^"]+)"',
        qde,
    ):
        start, end, created, modified, coding_created = m.groups()
        assert created == coding_created
        found[(int(start), int(end))] = (created, modified)
    assert {span: found[span] for span in dates} == dates
