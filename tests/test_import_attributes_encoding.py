"""An attributes sheet Excel saved in Windows-1252, imported as a Flemish researcher does.

Found importing a folder: the sheet's error said "import it with --encoding cp1252", and
doing so gave the same error (--encoding never reached the sheet); in a folder of UTF-8
transcripts it could not have worked anyway, nor would the folder's next import.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from qualcode.cli import main


def project(tmp_path, transcript: bytes, sheet: bytes):
    root = tmp_path / "studie"
    assert CliRunner().invoke(main, ["init", str(root)]).exit_code == 0
    (root / "transcripts" / "a.txt").write_bytes(transcript)
    (root / "transcripts" / "attributes.csv").write_bytes(sheet)
    return root


def run(root, *args):
    return CliRunner().invoke(main, ["--project", str(root), *args])


def test_a_cp1252_sheet_beside_utf8_transcripts_says_to_save_it_as_utf8(tmp_path):
    root = project(tmp_path, "I: Café?\nR: Ja.\n".encode(), "file;land\r\na.txt;België\r\n".encode("cp1252"))
    result = run(root, "import", str(root / "transcripts"))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "attributes.csv: line 2" in result.stderr
    assert "hint: save the file again as UTF-8 (in Excel: Save As, then 'CSV UTF-8')" in result.stderr
    assert "--encoding" not in result.stderr  # it would misread the UTF-8 transcripts


def test_encoding_reads_the_sheet_that_comes_with_transcripts_in_that_encoding(tmp_path):
    root = project(tmp_path, "I: Café?\r\nR: Ja.\r\n".encode("cp1252"), "file;land\r\na.txt;België\r\n".encode("cp1252"))
    result = run(root, "import", "--encoding", "cp1252", str(root / "transcripts"))
    assert result.exit_code == 0, result.output
    assert "land=België" in run(root, "transcripts").output


def test_a_utf8_sheet_stays_utf8_beside_cp1252_transcripts(tmp_path):
    root = project(tmp_path, "I: Café?\r\nR: Ja.\r\n".encode("cp1252"), "file;land\r\na.txt;België\r\n".encode())
    result = run(root, "import", "--encoding", "cp1252", str(root / "transcripts"))
    assert result.exit_code == 0, result.output
    assert "land=België" in run(root, "transcripts").output


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_a_sheet_in_bomless_utf16_or_utf32_is_read_with_the_encoding_given(tmp_path, encoding):
    # Its ASCII is valid UTF-8 too (a NUL beside every letter): it was taken for a UTF-8
    # sheet and refused as "UTF-16 text without a byte-order mark", --encoding given or not.
    transcript = "I: Hoe gaat het?\nR: Goed.\n".encode(encoding)
    root = project(tmp_path, transcript, "file,land\na.txt,Nederland\n".encode(encoding))
    result = run(root, "import", "--encoding", encoding, str(root / "transcripts"))
    assert result.exit_code == 0, result.output
    assert "land=Nederland" in run(root, "transcripts").output


@pytest.mark.parametrize("encoding", ["punycode", "undefined"])
@pytest.mark.parametrize("which", ["transcript", "sheet"])
def test_a_codec_that_is_no_file_encoding_is_refused_without_a_traceback(tmp_path, encoding, which):
    # Python codecs, so not "unknown", but their decoding fails with a bare UnicodeError.
    transcript, sheet = b"I: Hoe?\nR: Goed.\n", "file,land\na.txt,België\n".encode("cp1252")
    if which == "transcript":
        transcript, sheet = "I: Café?\nR: Ja.\n".encode("cp1252"), b"file,land\na.txt,NL\n"
    root = project(tmp_path, transcript, sheet)
    result = run(root, "import", "--encoding", encoding, str(root / "transcripts"))
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert f"the codec '{encoding}' given with --encoding cannot read files" in result.stderr
    assert "hint: use a text encoding such as cp1252" in result.stderr
    assert "no transcripts yet" in run(root, "transcripts").output
