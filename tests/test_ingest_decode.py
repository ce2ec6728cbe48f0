"""Decoding and normalising transcript bytes: encodings, BOMs, binary files, errors."""

from __future__ import annotations

import codecs
import io
import unicodedata
import zipfile
from pathlib import Path

import pytest

from qualcode import errors
from qualcode.errors import QualcodeError
from qualcode.ingest import decode, normalise, read_transcript

PATH = Path("interview.txt")


def _raises(msg: errors.Msg, data: bytes, encoding: str | None = None) -> QualcodeError:
    with pytest.raises(QualcodeError) as info:
        decode(data, PATH, encoding)
    assert info.value.code == msg.code, info.value.message
    return info.value


@pytest.mark.parametrize(
    ("data", "expected_encoding"),
    [
        ("I: Hé daar’".encode(), "utf-8"),
        (codecs.BOM_UTF8 + "I: Hé daar’".encode(), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + "I: Hé daar’".encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + "I: Hé daar’".encode("utf-16-be"), "utf-16"),
        (codecs.BOM_UTF32_LE + "I: Hé daar’".encode("utf-32-le"), "utf-32"),
    ],
    ids=["utf8", "utf8-bom", "utf16-le-bom", "utf16-be-bom", "utf32-le-bom"],
)
def test_ingest_decode_detects_bom_and_utf8(data: bytes, expected_encoding: str) -> None:
    text, used = decode(data, PATH, None)
    assert normalise(text) == "I: Hé daar’"
    assert used == expected_encoding


def test_ingest_decode_cp1252_without_encoding_names_file_and_offset() -> None:
    data = "R: Het café is dicht".encode("cp1252")  # "R: Het caf" is 10 bytes: é (0xe9) is at offset 10
    exc = _raises(errors.UNDECODABLE, data)
    assert "interview.txt" in exc.message
    assert "offset 10" in exc.message
    assert "0xe9" in exc.message
    assert "--encoding cp1252" in (exc.hint or "")


def test_ingest_decode_undecodable_names_line_column_and_shows_the_cp1252_reading() -> None:
    data = "I: Hoe gaat het?\nR: Het café is “dicht”.".encode("cp1252")
    exc = _raises(errors.UNDECODABLE, data)
    assert "line 2, column 11:" in exc.message  # "R: Het caf" is 10 characters of line 2
    assert "line 2 would be 'R: Het café is “dicht”.'" in (exc.hint or "")
    assert "--encoding cp1252" in (exc.hint or "")


def test_ingest_decode_undecodable_not_cp1252_does_not_suggest_cp1252() -> None:
    data = b"I: ok\nR: caf\xe9 \x81"  # 0x81 is unassigned in cp1252
    exc = _raises(errors.UNDECODABLE, data)
    assert "line 2, column 7:" in exc.message
    assert "would be" not in (exc.hint or "") and "cp1252" in (exc.hint or "") and "--encoding cp1252" not in (exc.hint or "")
    assert "(0xe9)" in (exc.hint or "") and "--encoding NAME" in (exc.hint or "")


@pytest.mark.parametrize(
    ("data", "where", "says"),
    [
        (
            "I: Hé daar\nR: ja ".encode() + b"\xed\xa0\x80" + " oké".encode(),
            "line 2, column 7:",
            "(0xed 0xa0 0x80) are an encoded surrogate (U+D800)",
        ),
        (b"I: Hoi\nR: ja \xed\xb3\xbf ok", "line 2, column 7:", "(0xed 0xb3 0xbf) are an encoded surrogate (U+DCFF)"),
        (
            "I: Hé daar\nR: zo".encode() + b"\xe2\x80" + " oké".encode(),
            "line 2, column 6:",
            "(0xe2 0x80) are a character cut off",
        ),
        ("R: één, twee".encode() + b" \xc0\xaf", "line 1, column 14:", "(0xc0) are a byte that never occurs in UTF-8"),
    ],
    ids=["surrogate", "surrogate-in-ascii", "cut-off", "never-utf8"],
)
def test_ingest_decode_damaged_utf8_names_the_bytes_and_does_not_suggest_cp1252(data: bytes, where: str, says: str) -> None:
    exc = _raises(errors.UNDECODABLE, data)
    assert where in exc.message
    assert says in (exc.hint or "")
    assert "would garble" in (exc.hint or "") and "would be" not in (exc.hint or "")


def test_ingest_decode_bytes_that_are_neither_utf8_nor_cp1252_text_get_no_cp1252_hint() -> None:
    data = b"R: \xb9\xe8\xf8\xfd\xa0\xa0"  # a run of symbols and letters: no Dutch in cp1252
    exc = _raises(errors.UNDECODABLE, data)
    assert "--encoding cp1252" not in (exc.hint or "") and "--encoding NAME" in (exc.hint or "")


def test_ingest_decode_cp1252_with_encoding_decodes_accents_and_quotes() -> None:
    data = "R: Het café, zo’n plek.".encode("cp1252")
    text, used = decode(data, PATH, "cp1252")
    assert text == "R: Het café, zo’n plek."
    assert used == "cp1252"


def test_ingest_decode_invalid_utf8_after_bom_counts_bom_bytes() -> None:
    data = codecs.BOM_UTF8 + b"abc\xff"
    exc = _raises(errors.UNDECODABLE, data)
    assert "offset 6" in exc.message


@pytest.mark.parametrize(
    "data",
    [b"", b"   \n\t\r\n", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\n\n", codecs.BOM_UTF16_LE + " \n".encode("utf-16-le")],
    ids=["zero-bytes", "whitespace", "bom-only", "bom-and-newlines", "utf16-whitespace"],
)
def test_ingest_decode_empty_file(data: bytes) -> None:
    exc = _raises(errors.EMPTY_FILE, data)
    assert "interview.txt" in exc.message


def test_ingest_decode_nul_byte_is_binary_with_offset() -> None:
    exc = _raises(errors.BINARY_FILE, b"I: hallo\x00\x01\x02")
    assert "offset 8" in exc.message


def test_ingest_decode_nul_byte_is_binary_with_forced_encoding() -> None:
    exc = _raises(errors.BINARY_FILE, b"I: hallo\x00", "latin-1")
    assert "offset 8" in exc.message


def _docx_like_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "kind", "hint"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "PNG image", "OCR"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF", "copy the text"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20, "old Word (.doc)", "save it as .docx"),
        (b"{\\rtf1\\ansi Hallo}", "RTF", "rename it to .rtf"),
        (_docx_like_zip(), "Word (.docx)", "rename it to .docx"),
        (b"PK\x03\x04garbage", "zip archive", "unpack"),
    ],
    ids=["png", "pdf", "doc", "rtf", "docx-renamed", "zip"],
)
def test_ingest_decode_known_binary_formats_get_a_helpful_hint(data: bytes, kind: str, hint: str) -> None:
    exc = _raises(errors.NOT_PLAIN_TEXT, data)
    assert kind in exc.message
    assert "interview.txt" in exc.message
    assert hint in (exc.hint or "")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_ingest_decode_utf16_without_bom_suggests_encoding(codec: str) -> None:
    data = "I: Hé, hoe gaat het?\nR: Goed.".encode(codec)
    exc = _raises(errors.NOT_PLAIN_TEXT, data)
    assert "UTF-16" in exc.message
    assert f"--encoding {codec}" in (exc.hint or "")
    text, used = decode(data, PATH, codec)
    assert text.startswith("I: Hé")
    assert used == codec


@pytest.mark.parametrize("name", ["nope-1252", "rot13"])
def test_ingest_decode_unknown_encoding(name: str) -> None:
    exc = _raises(errors.UNKNOWN_ENCODING, b"I: hallo", name)
    assert name in exc.message


def test_ingest_decode_forced_encoding_is_strict() -> None:
    exc = _raises(errors.WRONG_ENCODING, b"I: hallo\xff", "ascii")
    assert "offset 8" in exc.message and "--encoding" in exc.message
    assert "cp1252" in exc.hint and "leave out --encoding" in exc.hint


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\ufeffI: hoi", "I: hoi"),
        ("I: hoi\r\nR: dag\r\n", "I: hoi\nR: dag"),
        ("I: hoi\rR: dag\r", "I: hoi\nR: dag"),
        ("I: hoi\n\n\n  \t\n", "I: hoi"),
        ("  I: hoi  \n\tR: dag", "  I: hoi  \n\tR: dag"),
        ("R: cafe\u0301 en e\u0301e\u0301n", "R: café en één"),
    ],
    ids=["bom", "crlf", "lone-cr", "trailing-whitespace", "inner-whitespace-kept", "nfd-to-nfc"],
)
def test_ingest_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected
    assert unicodedata.is_normalized("NFC", normalise(raw))


def test_ingest_normalise_nfd_file_offsets_refer_to_nfc_text(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "I: Wat vond u van het café?\r\nR: Heel gezellig, één keer per week.\r\n")
    path = tmp_path / "nfd.txt"
    path.write_bytes(nfd.encode())
    transcript = read_transcript(path)
    assert transcript.text == "I: Wat vond u van het café?\nR: Heel gezellig, één keer per week."
    spans = [transcript.text[t.start : t.end] for t in transcript.turns]
    assert spans == ["Wat vond u van het café?", "Heel gezellig, één keer per week."]


@pytest.mark.parametrize("bom", [codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE], ids=["le", "be"])
def test_ingest_read_utf16_file_with_crlf(tmp_path: Path, bom: bytes) -> None:
    codec = "utf-16-le" if bom == codecs.BOM_UTF16_LE else "utf-16-be"
    path = tmp_path / "utf16.txt"
    path.write_bytes(bom + "I: Hoe gaat het?\r\nR: Prima, dank je.\r\n".encode(codec))
    transcript = read_transcript(path)
    assert transcript.encoding == "utf-16"
    assert transcript.text == "I: Hoe gaat het?\nR: Prima, dank je."
    assert [t.speaker for t in transcript.turns] == ["I", "R"]


def test_ingest_decode_random_bytes_are_binary_not_cp1252(tmp_path: Path) -> None:
    import random

    rng = random.Random(3)
    data = bytes(rng.choice([b for b in range(1, 256)]) for _ in range(2000))  # no NUL byte
    with pytest.raises(QualcodeError) as info:
        decode(data, tmp_path / "x.txt", None)
    assert "binary" in info.value.message


# --- a forced code page on a UTF-8 file ----------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "wrong"),
    [("cp1252", "OkÃ©,"), ("latin-1", "OkÃ©,"), ("mac-roman", "Ok√©,"), ("iso8859-15", "OkÃ©,"), ("cp850", "Ok├®,")],
)
def test_ingest_decode_code_page_on_utf8_is_refused(encoding: str, wrong: str) -> None:
    exc = _raises(errors.ENCODING_MISREAD, "I: Hoe gaat het?\nR: Oké, prima.\n".encode(), encoding)
    assert f"line 2: '{wrong}' instead of 'Oké,'" in exc.message
    assert "leave out --encoding" in exc.hint


def test_ingest_decode_code_page_that_cannot_even_read_the_utf8_is_refused_the_same_way() -> None:
    # '”' is E2 80 9D in UTF-8, and 0x9D means nothing in cp1252.
    exc = _raises(errors.ENCODING_MISREAD, "R: “Oké” zei ze.".encode(), "cp1252")
    assert "is UTF-8 text" in exc.message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "UTF-16BE", "utf-32", "utf_32_le"])
@pytest.mark.parametrize("written", ["cp1252", "utf-8"])
def test_ingest_decode_a_wide_encoding_on_one_byte_text_is_refused(encoding: str, written: str) -> None:
    """cp1252 read as UTF-16 gave CJK-looking nonsense, imported without a word."""
    data = "Interviewer: Hoe gaat het met het café?\nRespondent: Goed, dank je wel.\n".encode(written)
    data += b" " * (-len(data) % 4)  # a length each wide codec can decode
    with pytest.raises(QualcodeError) as info:
        decode(data, PATH, encoding)
    # UTF-8 says so itself; UTF-32 cannot even decode these bytes; cp1252 as UTF-16 is caught by its missing zeros.
    expected = {"utf-8": errors.ENCODING_MISREAD, "cp1252": errors.NOT_WIDE_TEXT}[written]
    if "32" in encoding and written == "cp1252":
        expected = errors.WRONG_ENCODING
    assert info.value.code == expected.code, info.value.message
    assert "--encoding" in info.value.hint


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("R: Oké".encode("cp1252"), "cp1252"),  # really cp1252: not UTF-8, read as asked
        (b"R: gewoon ASCII", "latin-1"),  # every code page reads ASCII alike
        ("R: Oké".encode(), "utf-8"),
        ("R: Oké".encode("utf-16-le"), "utf-16-le"),  # NUL bytes: what --encoding is for
    ],
    ids=["cp1252", "ascii", "utf-8", "utf-16"],
)
def test_ingest_decode_forced_encoding_that_fits_is_used(data: bytes, encoding: str) -> None:
    text, used = decode(data, PATH, encoding)
    assert text.startswith("R: ")
