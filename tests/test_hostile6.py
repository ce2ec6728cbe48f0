"""Hostile inputs, round 6: families an adversarial sweep found through the CLI.

Each test runs what a user would and checks the exit code, a clear message that
names the file (and line where there is one), no traceback, and nothing written.
The corpus generator these came from is described in the round's report; the
inputs are made here, small, so that nothing large is committed.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from test_hostile_inputs import CODEBOOK, assert_clean, opened, snapshot

from qualcode.cli import main
from qualcode.errors import QualcodeError
from qualcode.ingest.decode import NotUtf8, decoded, sniff_non_text
from qualcode.ingest.paths import FileTooBig, read_bytes, read_limited, read_stream
from qualcode.project import Project

TEXT = "I: Hoe gaat het met de samenwerking?\nR: Goed, we vertrouwen elkaar.\nI: Dank je.\n"


def small_project(tmp_path: Path) -> Path:
    """A project with one three-turn interview imported (round 7's tests start from it too)."""
    root = tmp_path / "studie"
    Project.init(root).close()
    (root / "codebooks" / "codebook.yaml").write_text(CODEBOOK)
    (root / "transcripts" / "gewoon.txt").write_text(TEXT)
    assert run(root, "import", str(root / "transcripts")).exit_code == 0
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return small_project(tmp_path)


def run(root: Path, *args: str, stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(main, ["--project", str(root), *args], input=stdin)


def fails(result: Result, *says: str) -> None:
    """Exit 1, every fragment in the output, no traceback."""
    assert_clean(result)
    assert result.exit_code == 1, result.output
    for fragment in says:
        assert fragment in result.output, (fragment, result.output)


# --- paths that are not plain files, names that are not UTF-8 ---------------------------


def test_hostile6_pipe_and_device_are_named_not_missing_and_never_read(project: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pijp.txt"
    os.mkfifo(fifo)  # reading it would block forever
    device = tmp_path / "nul.txt"
    device.symlink_to("/dev/zero")  # reading it would never end
    before = snapshot(project)
    for path in (fifo, device):
        fails(run(project, "import", str(path)), f"{path}: cannot read the file: it is a device, a pipe or a socket, not a file")
    fails(run(project, "code", "--from", str(device)), "it is a device, a pipe or a socket, not a file")
    assert snapshot(project) == before


def test_hostile6_dangling_link_and_link_loop_say_what_they_are(project: Path, tmp_path: Path) -> None:
    dangling = tmp_path / "weg.txt"
    dangling.symlink_to(tmp_path / "bestaat_niet.txt")
    loop = tmp_path / "rond.txt"
    loop.symlink_to(tmp_path / "rond2.txt")
    (tmp_path / "rond2.txt").symlink_to(loop)
    fails(run(project, "import", str(dangling)), f"it is a link to {tmp_path / 'bestaat_niet.txt'}, which does not exist")
    fails(run(project, "import", str(loop)), "it is a link that leads back to itself")


def test_hostile6_file_name_that_is_not_utf8_is_refused_before_anything_is_stored(project: Path, tmp_path: Path) -> None:
    folder = tmp_path / "map"
    folder.mkdir()
    (folder / os.fsdecode(b"caf\xe9.txt")).write_text(TEXT)  # a Latin-1 name, as old zip tools leave them
    before = snapshot(project)
    fails(run(project, "import", str(folder)), "the file name", "caf\\xe9.txt' is not valid UTF-8 (byte 0xe9)")
    assert snapshot(project) == before


@pytest.mark.parametrize(
    "args",
    [
        ("import", "--name", "caf\udce9", "PATH"),
        ("--coder", "caf\udce9", "code", "gewoon", "vertrouwen", "--turn", "2"),
        ("code", "gewoon", "vertrouwen", "--turn", "2", "--memo", "caf\udce9"),
    ],
)
def test_hostile6_argument_that_is_not_utf8_is_refused(project: Path, args: tuple[str, ...]) -> None:
    # A terminal in Latin-1 passes é as byte 0xe9; Python keeps it as a lone surrogate,
    # which SQLite cannot store: it failed with a traceback deep inside.
    args = tuple(str(project / "transcripts" / "gewoon.txt") if a == "PATH" else a for a in args)
    before = snapshot(project)
    fails(run(project, *args), "the argument 'caf\\xe9' is not valid UTF-8 (byte 0xe9)")
    assert snapshot(project) == before


def test_hostile6_output_file_with_such_a_name_is_still_written(project: Path, tmp_path: Path) -> None:
    out = tmp_path / os.fsdecode(b"uit\xe9.csv")
    result = run(project, "export", "segments", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.exists()


def test_hostile6_transcript_reference_of_non_ascii_digits_is_no_number(project: Path) -> None:
    fails(run(project, "show", "²"), "no transcript named '²'")


# --- nothing to import ------------------------------------------------------------------


def test_hostile6_folder_without_anything_to_import_is_an_error(project: Path, tmp_path: Path) -> None:
    empty = tmp_path / "leeg"
    empty.mkdir()
    nested = tmp_path / "genest"
    (nested / "2024").mkdir(parents=True)
    (nested / "2024" / "int1.txt").write_text(TEXT)
    (nested / "notities.pdf").write_bytes(b"%PDF-1.4")
    before = snapshot(project)
    fails(run(project, "import", str(empty)), f"nothing to import in {empty}", "not in its sub-folders")
    fails(run(project, "import", str(nested)), f"nothing to import in {nested}")
    assert snapshot(project) == before
    # With something to import, the sub-folder is named in a warning instead of being passed over.
    (nested / "int2.txt").write_text(TEXT.replace("Dank", "Bedankt"))
    result = run(project, "import", str(nested))
    assert result.exit_code == 0, result.output
    assert "2024: skipped, a folder (sub-folders are not imported: name it to import it)" in result.output


# --- size limits: fail fast, no memory blow-up ---------------------------------------------


def test_hostile6_reads_are_capped(tmp_path: Path) -> None:
    big = tmp_path / "groot.txt"
    big.write_bytes(b"R: ja\n" * 100)
    with pytest.raises(FileTooBig):
        read_limited(big, 599)
    assert read_limited(big, 600) == b"R: ja\n" * 100
    huge = tmp_path / "groot.csv"
    huge.write_bytes(b"x" * (1024 * 1024 + 1))
    with pytest.raises(QualcodeError) as caught:
        read_bytes(huge, 1024 * 1024, noun="a codings file", hint="split it")
    assert caught.value.code == "QC417"
    assert str(caught.value) == f"{huge}: the file is larger than the 1 MB qualcode reads as a codings file"
    assert caught.value.hint == "split it"
    with pytest.raises(QualcodeError) as caught:
        read_stream(io.BytesIO(b"x" * 101), "<stdin>", 100, noun="a codings file", hint="split it")
    assert caught.value.code == "QC417"
    with pytest.raises(IsADirectoryError):
        read_limited(tmp_path, 100)


def test_hostile6_reads_past_a_size_that_lies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file that grew after its size was read (or says 0, as /proc does) is read whole, and
    still refused past the limit: the size only sizes the first read."""
    grown = tmp_path / "gegroeid.txt"
    grown.write_bytes(b"R: ja\n" * 100)
    real_stat = os.stat

    def small(path, *args, **kwargs):
        info = real_stat(path, *args, **kwargs)
        return os.stat_result((*info[:6], 10 if Path(path) == grown else info.st_size, *info[7:10]))

    monkeypatch.setattr(os, "stat", small)
    assert read_limited(grown, 600) == b"R: ja\n" * 100
    with pytest.raises(FileTooBig):
        read_limited(grown, 599)


def test_hostile6_settings_files_that_are_devices_or_folders(project: Path, tmp_path: Path) -> None:
    zero = tmp_path / "nul.yaml"
    zero.symlink_to("/dev/zero")
    fails(run(project, "codebook", "check", str(zero)), f"cannot read codebook {zero}: it is a device, a pipe or a socket")
    (project / "pseudonymise.yaml").mkdir()
    fails(run(project, "pseudonymise", "detect"), "pseudonymise.yaml:1: cannot read the file: it is a folder, not a file")
    (project / "pseudonymise.yaml").rmdir()
    (project / "qualcode.yaml").unlink()
    (project / "qualcode.yaml").mkdir()
    fails(run(project, "transcripts"), "qualcode.yaml: cannot read the file: it is a folder, not a file")


# --- CSV and JSON lines --------------------------------------------------------------------


def test_hostile6_quote_left_open_does_not_swallow_the_rest_of_the_csv(project: Path, tmp_path: Path) -> None:
    folder = tmp_path / "map"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT)
    (folder / "b.txt").write_text(TEXT.replace("Dank", "Bedankt"))
    (folder / "attributes.csv").write_text('file,leeftijd\na.txt,"34\nb.txt,35\n')
    before = snapshot(project)
    fails(run(project, "import", str(folder)), 'attributes.csv:2: a quote (") opened on this line is never closed')
    (folder / "attributes.csv").write_text('file,leeftijd\na.txt,"34"x\n')
    fails(run(project, "import", str(folder)), "attributes.csv:2: cannot read the CSV")
    assert snapshot(project) == before


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("twee.csv", "transcript,code,code_id,turn\ngewoon,vertrouwen,x,2\n", "'code' and 'code_id' both give the code"),
        ("twee.csv", "file,transcript,code,turn\nx,gewoon,vertrouwen,2\n", "'file' and 'transcript' both give the transcript"),
        ("twee.jsonl", '{"transcript": "gewoon", "code": "x", "code": "vertrouwen", "turn": 2}\n', "'code' is given twice"),
        ("getal.jsonl", '{"transcript": "gewoon", "code": "vertrouwen", "turn": ' + "9" * 5000 + "}\n", "a number with too many"),
        ("diep.jsonl", '{"transcript": ' + "[" * 50_000 + "]" * 50_000 + "}\n", "values nested too deep"),
        ("lijst.json", '[{"transcript": "gewoon", "code": "vertrouwen", "turn": 2}]\n', "this is a JSON array"),
        ("streep.csv", "transcript,code,turn\ngewoon,vertrouwen,1_0\n", "turn must be a whole number, not '1_0'"),
    ],
    ids=["code-twice", "transcript-twice", "json-key-twice", "json-huge-number", "json-deep", "json-array", "underscore"],
)
def test_hostile6_codings_file_ambiguities_are_refused(project: Path, tmp_path: Path, name: str, content: str, says: str) -> None:
    path = tmp_path / name
    path.write_text(content)
    before = snapshot(project)
    fails(run(project, "code", "--from", str(path)), says)
    assert snapshot(project) == before


def test_hostile6_codings_file_in_cp1252_hint_has_no_option_that_does_not_exist(project: Path, tmp_path: Path) -> None:
    path = tmp_path / "codes.csv"
    path.write_bytes("transcript,code,turn,memo\ngewoon,vertrouwen,2,\u201cja\u201d\n".encode("cp1252"))
    result = run(project, "code", "--from", str(path))
    fails(result, "not valid UTF-8", "save the file again as UTF-8")
    assert "--encoding" not in result.output  # `code --from` has no such option


# --- YAML: control characters, UTF-16 without BOM, GUIDs, qualcode.yaml -----------------------


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (CODEBOOK.encode() + b"\x00", "line 6, column 1: control character U+0000, which YAML does not allow; a NUL byte"),
        (
            CODEBOOK.encode("utf-16-le"),
            "line 1, column 2: control character U+0000, which YAML does not allow; the file is UTF-16 without",
        ),
        (CODEBOOK.replace("Vertrouwen", "Ver\x1btrouwen").encode(), "line 4, column 14: control character U+001B"),
    ],
    ids=["nul", "utf16-without-bom", "escape"],
)
def test_hostile6_yaml_with_control_characters_is_located(project: Path, data: bytes, says: str) -> None:
    (project / "codebooks" / "codebook.yaml").write_bytes(data)
    fails(run(project, "codebook", "check"), "codebook.yaml: " + says)
    fails(run(project, "transcripts"), says)  # every command loads the codebook


def test_hostile6_decoded_keeps_what_yaml_allows() -> None:
    assert decoded("a: \u0085 \t\r\n".encode()) == "a: \u0085 \t\r\n"
    with pytest.raises(NotUtf8, match=r"U\+007F"):
        decoded(b"a: \x7f\n")


@pytest.mark.parametrize(
    ("codes", "says"),
    [
        ("    guid: nietguid\n", "codebook.yaml:6:11: guid 'nietguid' of code 'vertrouwen' is not a GUID"),
        (
            "    guid: 11111111-1111-1111-1111-111111111111\n  - id: ander\n    name: Ander\n"
            "    guid: '{11111111-1111-1111-1111-111111111111}'\n",
            "codebook.yaml:9:11: guid {11111111-1111-1111-1111-111111111111} of code 'ander' is also the guid of code"
            " 'vertrouwen' (line 6)",
        ),
    ],
    ids=["malformed", "shared"],
)
def test_hostile6_codebook_guids_are_checked(project: Path, codes: str, says: str) -> None:
    (project / "codebooks" / "codebook.yaml").write_text(CODEBOOK + codes)
    fails(run(project, "codebook", "check"), says)


def test_hostile6_configuration_problems_name_their_line(project: Path) -> None:
    (project / "qualcode.yaml").write_text("# instellingen\nsuggestion_threshold: true\n")
    fails(run(project, "transcripts"), "qualcode.yaml: line 2: suggestion_threshold must be a number from 0 to 1")
    (project / "qualcode.yaml").write_text("spacy_model: nl_core_news_sm\nkleur: rood\n")
    fails(run(project, "transcripts"), "qualcode.yaml: line 2: unknown key 'kleur'")


# --- zips: encrypted entries, password-protected Office files --------------------------------


def _encrypted(data: bytes) -> bytes:
    """The archive with every entry flagged as encrypted (general purpose bit 0)."""
    out = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = out.find(signature)
        while at >= 0:
            out[at + offset] |= 1
            at = out.find(signature, at + 4)
    return bytes(out)


def test_hostile6_encrypted_zip_entries_are_named(project: Path, tmp_path: Path) -> None:
    exported = tmp_path / "p.qdpx"
    assert run(project, "export", "qdpx", "-o", str(exported)).exit_code == 0
    locked = tmp_path / "slot.qdpx"
    locked.write_bytes(_encrypted(exported.read_bytes()))
    fails(run(project, "import", str(locked)), "is encrypted (the archive is protected with a password)")
    document = io.BytesIO()
    with zipfile.ZipFile(document, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    docx = tmp_path / "slot.docx"
    docx.write_bytes(_encrypted(document.getvalue()))
    fails(run(project, "import", str(docx)), "'[Content_Types].xml' is encrypted")


def test_hostile6_password_protected_word_file_is_not_called_an_old_doc(project: Path, tmp_path: Path) -> None:
    # Word keeps a protected .docx as an OLE container holding an "EncryptedPackage" stream.
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + "EncryptedPackage".encode("utf-16-le") + bytes(100)
    assert sniff_non_text(data) is not None and sniff_non_text(data)[0] == "a password-protected Office document"
    path = tmp_path / "beveiligd.docx"
    path.write_bytes(data)
    fails(run(project, "import", str(path)), "a password-protected Office document", "remove the password")


# --- REFI-QDA ---------------------------------------------------------------------------------


def _qdpx(project: Path, tmp_path: Path, edit, name: str) -> Path:
    exported = tmp_path / "bron.qdpx"
    if not exported.exists():
        assert run(project, "code", "gewoon", "vertrouwen", "--turn", "2").exit_code == 0
        assert run(project, "export", "qdpx", "-o", str(exported)).exit_code == 0
    with zipfile.ZipFile(exported) as archive:
        parts = [(info.filename, archive.read(info)) for info in archive.infolist()]
    out = tmp_path / name
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry, data in parts:
            archive.writestr(entry, edit(data) if entry == "project.qde" else data)
    return out


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    root = tmp_path / "leeg"
    Project.init(root).close()
    return root


def test_hostile6_qde_declaring_an_unknown_encoding(project: Path, fresh: Path, tmp_path: Path) -> None:
    path = _qdpx(project, tmp_path, lambda qde: qde.replace(b'encoding="utf-8"', b'encoding="klingon"', 1), "x.qdpx")
    fails(
        run(fresh, "import", str(path)), "project.qde:1:1: not well-formed XML", "names an encoding that does not exist (klingon)"
    )


@pytest.mark.parametrize(
    ("positions", "says"),
    [
        (lambda s, e: (e, s), "ends before it starts; read as"),
        (lambda s, e: (-5, e), "starts before the beginning of 'gewoon' (a negative position); cut at the start"),
    ],
    ids=["reversed", "negative"],
)
def test_hostile6_odd_selections_are_said_as_they_are(project: Path, fresh: Path, tmp_path: Path, positions, says: str) -> None:
    def edit(qde: bytes) -> bytes:
        def swap(match: re.Match[bytes]) -> bytes:
            start, end = positions(int(match.group(1)), int(match.group(2)))
            return b'startPosition="%d" endPosition="%d"' % (start, end)

        return re.sub(rb'startPosition="(\d+)" endPosition="(\d+)"', swap, qde, count=1)

    result = run(fresh, "import", str(_qdpx(project, tmp_path, edit, "x.qdpx")))
    assert result.exit_code == 0, result.output
    assert says in result.output
    assert "reaches past the end" not in result.output
    with opened(fresh) as opened_project:
        (coding,) = opened_project.store.codings.find()
        assert 0 <= coding.start < coding.end


def test_hostile6_selection_position_is_ascii_digits_and_shown_short(project: Path, fresh: Path, tmp_path: Path) -> None:
    huge = _qdpx(
        project, tmp_path, lambda qde: re.sub(rb'startPosition="\d+"', b'startPosition="' + b"9" * 5000 + b'"', qde), "h.qdpx"
    )
    result = run(fresh, "import", str(huge))
    fails(result, "startPosition '99999", "(5,000 characters)' is not a whole number")
    arabic = _qdpx(project, tmp_path, lambda qde: re.sub(rb'startPosition="\d+"', 'startPosition="٣"'.encode(), qde), "a.qdpx")
    fails(run(fresh, "import", str(arabic)), "startPosition '٣' is not a whole number")


def test_hostile6_word_file_with_a_doctype_is_refused_not_read_with_text_missing(project: Path, tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("I: vraag")
    document.add_paragraph("R: antwoord")
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    head, _, body = parts["word/document.xml"].partition(b"?>")
    entity = b'<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    parts["word/document.xml"] = head + b"?>" + entity + body.replace(b"antwoord", b"&x;")
    path = tmp_path / "entiteit.docx"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    before = snapshot(project)
    # Before: imported with the R turn silently gone (python-docx drops the entity).
    fails(run(project, "import", str(path)), "'word/document.xml' declares a DOCTYPE (entities), which Word never writes")
    assert snapshot(project) == before


def test_hostile6_front_matter_list_with_a_python_tag_is_left_out(project: Path, tmp_path: Path) -> None:
    path = tmp_path / "tag.md"
    path.write_text("---\nfunctie: !!python/object/apply:os.system ['echo hoi']\nplaats: Gent\n---\n" + TEXT)
    result = run(project, "import", str(path))
    assert result.exit_code == 0, result.output
    assert "front matter 'functie' is not a single value: left out" in result.output
    with opened(project) as opened_project:
        attributes = opened_project.store.transcripts.all_attributes()
    assert {"plaats": "Gent"} in attributes.values()


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("? [a]\n: [b]\n", "pseudonymise.yaml:1: a category must be a name, not a list or mapping"),
        ("person: [!!python/name:os.system x]\n", "pseudonymise.yaml:1: 'person' must be a list of names"),
    ],
    ids=["list-as-category", "tagged-name"],
)
def test_hostile6_names_file_with_odd_yaml(project: Path, content: str, says: str) -> None:
    (project / "pseudonymise.yaml").write_text(content)
    fails(run(project, "pseudonymise", "detect"), says)


@pytest.mark.parametrize(
    "args",
    [
        ("memo", "9" * 23),
        ("uncode", "--id", "9" * 23),
        ("trash", "restore", "9" * 23),
        ("suggestions", "accept", "9" * 23),
        ("pseudonymise", "accept", "9" * 23),
        ("code", "gewoon", "vertrouwen", "--turn", "9" * 23),
    ],
    ids=["memo", "uncode", "trash", "suggestions", "pseudonymise", "code"],
)
def test_hostile6_number_too_large_for_an_id_is_a_usage_error(project: Path, args: tuple[str, ...]) -> None:
    # Before: OverflowError (Python int too large to convert to SQLite INTEGER), a traceback.
    result = run(project, *args)
    assert_clean(result)
    assert result.exit_code == 2, result.output
    assert f"{'9' * 23} is too large: no id or number here has more than 18 digits" in result.output


DUTCH = "I: Hoe gaat het?\nR: Goed, we vertrouwen elkaar \u201cecht\u201d \u2014 zeker weten.\n"


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (DUTCH.encode("utf-16-le"), "this is UTF-16 text without a byte-order mark"),  # curly quotes: not pure Latin-1
        (DUTCH.encode("utf-32-le"), "this is UTF-32 text without a byte-order mark"),
        (codecs.BOM_UTF16_LE + DUTCH.encode("utf-16-le") + b"A", "its byte-order mark says UTF-16, but the bytes after it"),
        (
            codecs.BOM_UTF16_LE + "R: ".encode("utf-16-le") + b"\x00\xd8" + "x\n".encode("utf-16-le"),
            "the file is cut off or damaged",
        ),
    ],
    ids=["utf16-without-bom", "utf32-without-bom", "utf16-cut-off", "utf16-lone-surrogate"],
)
def test_hostile6_unicode_without_or_with_a_broken_bom_is_named_not_binary(
    project: Path, tmp_path: Path, data: bytes, says: str
) -> None:
    path = tmp_path / "int.txt"
    path.write_bytes(data)
    result = run(project, "import", str(path))
    fails(result, says)
    assert "looks like a binary file" not in result.output


@pytest.mark.parametrize("kind", ["device", "folder", "pipe"])
def test_hostile6_database_that_is_not_a_file_is_named(project: Path, tmp_path: Path, kind: str) -> None:
    """qualcode.db replaced by a link to a device, a folder or a pipe: a clear error,
    never SQLite's 'disk I/O error' traceback or a read that never ends."""
    db = project / "qualcode.db"
    for leftover in project.glob("qualcode.db*"):
        leftover.unlink()
    if kind == "device":
        db.symlink_to("/dev/zero")
    elif kind == "folder":
        db.mkdir()
    else:
        os.mkfifo(db)
    fails(run(project, "transcripts"), "is not a qualcode database", "not a file")
