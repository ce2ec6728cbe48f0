"""Reading .rtf transcripts (f4transkript's own format): text, escapes, turns, damaged files."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode import errors
from qualcode.errors import QualcodeError
from qualcode.ingest import read_transcript

F4 = (
    rb"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fnil\fcharset0 Arial;}}{\colortbl ;\red255\green0\blue0;}"
    rb"{\*\generator f4transkript;}\viewkind4\uc1\pard\f0\fs22"
    b"\n"
    rb"I: Hoe verloopt de co\'f6rdinatie met het wijkteam? #00:00:05-3#\par"
    b"\n"
    rb"\par"
    b"\n"
    rb"B: Goed, h\'e9. We hebben een \u8220?ouderkamer\u8221? in het caf\'e9. #00:00:12-1#\par"
    b"\n"
    rb"\par"
    b"\n"
    rb"I: En de {\b gemeente}? #00:00:20-0#\par"
    b"\n"
    rb"{\pict\pngblip 89504e470d0a1a0a0000}"
    rb"B: Die komt soms langs. #00:00:31-7#\par}"
)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_rtf_from_f4_reads_turns_times_and_escaped_characters(tmp_path):
    t = read_transcript(write(tmp_path, "interview.rtf", F4))
    said = [(turn.speaker, t.text[turn.start : turn.end], turn.time_end) for turn in t.turns]
    assert said == [
        ("I", "Hoe verloopt de coördinatie met het wijkteam?", 5.0),
        ("B", "Goed, hé. We hebben een “ouderkamer” in het café.", 12.0),
        ("I", "En de gemeente?", 20.0),
        ("B", "Die komt soms langs.", 31.0),
    ]
    assert "89504e47" not in t.text  # a picture's data is no text
    assert t.source_format == "rtf" and t.encoding == "cp1252"


def test_rtf_code_page_named_by_the_file_decides_its_escapes(tmp_path):
    data = rb"{\rtf1\ansi\ansicpg1250 R: Bu\'9aka \'e8ekala.\par}"  # Central European: š, č
    t = read_transcript(write(tmp_path, "pools.rtf", data))
    assert t.text == "R: Buška čekala." and t.encoding == "cp1250"


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "the file is empty"),
        (b"I: dit is gewone tekst\n", "does not start with '{\\rtf'"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document, not an RTF file"),
    ],
    ids=["empty", "plain-text", "pdf"],
)
def test_rtf_that_is_no_rtf_gets_a_clear_error(tmp_path, data, says):
    with pytest.raises(QualcodeError) as caught:
        read_transcript(write(tmp_path, "kapot.rtf", data))
    assert "kapot.rtf" in caught.value.message and says in caught.value.message


def test_rtf_bytes_outside_the_code_page_are_kept_visible_with_a_warning(tmp_path):
    data = rb"{\rtf1\ansi R: caf\'81 open.\par}"  # 0x81 is no character in Windows-1252
    t = read_transcript(write(tmp_path, "raar.rtf", data))
    assert t.text == "R: caf\ufffd open."
    assert any("are not cp1252" in w for w in t.warnings)


def test_rtf_damaged_or_hostile_structure_reads_without_hanging(tmp_path):
    nested = b"{\\rtf1 " + b"{" * 20_000 + b"R: diep" + b"}" * 20_000 + b"}"
    t = read_transcript(write(tmp_path, "diep.rtf", nested))
    assert "diep" in t.text
    unclosed = rb"{\rtf1\ansi I: Hoe gaat het?\par R: Goed.\par"  # the closing brace is missing
    t = read_transcript(write(tmp_path, "open.rtf", unclosed))
    assert [turn.speaker for turn in t.turns] == ["I", "R"]


def test_rtf_with_only_formatting_has_no_text(tmp_path):
    with pytest.raises(QualcodeError) as caught:
        read_transcript(write(tmp_path, "leeg.rtf", rb"{\rtf1\ansi{\fonttbl{\f0 Arial;}}\par\par}"))
    assert caught.value.code == errors.NO_TEXT.code


def test_rtf_hyperlink_reads_as_its_words_and_unclosed_fields_do_not_hang(tmp_path):
    link = rb'{\rtf1\ansi R: Kijk op {\field{\*\fldinst{HYPERLINK "https://cjg.nl"}}{\fldrslt{\ul de website}}} van het CJG.\par}'
    assert read_transcript(write(tmp_path, "link.rtf", link)).text == "R: Kijk op de website van het CJG."
    # striprtf's hyperlink regex took hours on this (nested ".*" over one long line).
    hostile = b"{\\rtf1 R: begin " + b"{\\field{\\*\\fldinst{" * 20_000 + b"}"
    assert read_transcript(write(tmp_path, "velden.rtf", hostile)).text.startswith("R: begin")


def test_rtf_from_word_leaves_out_its_metadata_styles_and_theme(tmp_path):
    data = (
        rb"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\froman\fcharset0 Times New Roman;}}"
        rb"{\stylesheet{\ql \f0\fs22 \snext0 Normal;}}{\*\rsidtbl \rsid1205861}"
        rb"{\info{\title Interview 3}{\author Lotte Jansen}{\operator Lotte Jansen}{\company Universiteit Utrecht}}"
        b"\n"
        rb"\pard\plain \ql \f0\fs22 {\b\insrsid1205861 I:}{\insrsid1205861  Hoe ben je bij de zelforganisatie"
        b"\n"
        rb" terechtgekomen?\par }{\b\insrsid1205861 R:}{\insrsid1205861  Via mijn tante.\par }"
        rb"{\*\themedata 504b030414000600080000002100e9de0fbfff}{\*\datastore 0105000002000000}"
        rb"{\*\latentstyles\lsdstimax376{\lsdlockedexcept \lsdqformat1 Normal;}}}"
    )
    t = read_transcript(write(tmp_path, "word.rtf", data))
    assert t.text == "I: Hoe ben je bij de zelforganisatie terechtgekomen?\nR: Via mijn tante."
    assert "Lotte" not in t.text and "Utrecht" not in t.text  # the document's author is no part of the interview
