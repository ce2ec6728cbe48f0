"""Reading whole files: dispatch, metadata, front matter, .docx, .vtt and .srt."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import docx
import pytest

from qualcode import errors
from qualcode.errors import QualcodeError
from qualcode.ingest import read_transcript
from qualcode.model import Transcript

DATA = Path(__file__).parent / "data" / "ingest"


def assert_well_formed(t: Transcript) -> None:
    previous_end = 0
    for number, turn in enumerate(t.turns, start=1):
        assert turn.index == number
        assert previous_end <= turn.start < turn.end <= len(t.text)
        content = t.text[turn.start : turn.end]
        assert content == content.strip()
        assert turn.role is None
        previous_end = turn.end


def spans(t: Transcript) -> list[tuple[str | None, str]]:
    assert_well_formed(t)
    return [(turn.speaker, t.text[turn.start : turn.end]) for turn in t.turns]


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def expect_error(msg: errors.Msg, path: Path, **kwargs) -> QualcodeError:
    with pytest.raises(QualcodeError) as info:
        read_transcript(path, **kwargs)
    assert info.value.code == msg.code, info.value.message
    return info.value


# --- dispatch and metadata -------------------------------------------------------


def test_ingest_read_sets_metadata(tmp_path: Path) -> None:
    raw = b"I: Goedemorgen.\r\nR: Goedemorgen!\r\n"
    path = write(tmp_path, "03_focusgroep.TXT", raw)
    t = read_transcript(path)
    assert t.name == "03_focusgroep"
    assert t.source_path == path
    assert t.source_format == "txt"
    assert t.source_hash == hashlib.sha256(raw).hexdigest()
    assert t.encoding == "utf-8"
    assert t.text == "I: Goedemorgen.\nR: Goedemorgen!"
    assert t.attributes == {}
    assert t.id is None


def test_ingest_read_name_override(tmp_path: Path) -> None:
    t = read_transcript(write(tmp_path, "x.txt", "I: Hoi."), name="interview-7")
    assert t.name == "interview-7"


def test_ingest_read_encoding_option(tmp_path: Path) -> None:
    path = write(tmp_path, "win.txt", "I: Wat is uw rol?\r\nR: Ik ben sleutelpersoon, zo’n beetje de brug.".encode("cp1252"))
    expect_error(errors.UNDECODABLE, path)
    t = read_transcript(path, encoding="cp1252")
    assert t.encoding == "cp1252"
    assert spans(t)[1] == ("R", "Ik ben sleutelpersoon, zo’n beetje de brug.")


@pytest.mark.parametrize(
    ("name", "msg"),
    [
        ("notes.pdf", errors.UNSUPPORTED_FORMAT),
        ("notes.doc", errors.UNSUPPORTED_FORMAT),
        ("README", errors.UNSUPPORTED_FORMAT),
        ("missing.txt", errors.FILE_NOT_FOUND),
    ],
)
def test_ingest_read_unsupported_or_missing(tmp_path: Path, name: str, msg: errors.Msg) -> None:
    exc = expect_error(msg, tmp_path / name)
    assert name in exc.message


def test_ingest_read_directory_named_txt(tmp_path: Path) -> None:
    (tmp_path / "map.txt").mkdir()
    expect_error(errors.UNREADABLE_FILE, tmp_path / "map.txt")


@pytest.mark.parametrize(
    ("name", "data", "msg"),
    [
        ("leeg.txt", b"", errors.EMPTY_FILE),
        ("spaties.md", b"  \n\n \t", errors.EMPTY_FILE),
        ("nul.txt", b"I: hoi\x00\x00", errors.BINARY_FILE),
        ("plaatje.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", errors.NOT_PLAIN_TEXT),
        ("alleen_front_matter.md", b"---\ngemeente: Gent\n---\n\n", errors.NO_TEXT),
        ("nul.vtt", b"WEBVTT\n\x00", errors.BINARY_FILE),
        ("leeg.vtt", b"", errors.EMPTY_FILE),
        ("geen_cues.vtt", b"WEBVTT\n\nNOTE alleen een notitie\n", errors.NO_TEXT),
    ],
)
def test_ingest_read_bad_text_files(tmp_path: Path, name: str, data: bytes, msg: errors.Msg) -> None:
    exc = expect_error(msg, write(tmp_path, name, data))
    assert name in exc.message


def test_ingest_read_docx_renamed_txt_suggests_renaming(tmp_path: Path) -> None:
    path = tmp_path / "interview.docx"
    _docx(["I: Hoi."]).save(path)
    renamed = path.rename(tmp_path / "interview.txt")
    exc = expect_error(errors.NOT_PLAIN_TEXT, renamed)
    assert "Word (.docx)" in exc.message
    assert "rename it to .docx" in (exc.hint or "")


def test_ingest_read_only_headings_warns(tmp_path: Path) -> None:
    t = read_transcript(write(tmp_path, "kop.md", "# Interview\n\n## Deel 1\n"))
    assert t.turns == []
    assert any("no turns" in w for w in t.warnings)


# --- front matter ------------------------------------------------------------------


def test_ingest_front_matter_committed_fixture() -> None:
    t = read_transcript(DATA / "zelforganisatie_frontmatter.md")
    assert t.attributes == {
        "respondent_type": "migrantenorganisatie",
        "gemeente": "Rotterdam",
        "interviewdatum": "2024-03-12",
        "talen": "Tigrinya, Nederlands, Engels",
        "tolk": "true",
    }
    assert t.text.startswith("# Interview zelforganisatie")
    assert spans(t) == [
        ("INTERVIEWER", "Kunt u vertellen hoe de vereniging is ontstaan?"),
        (
            "MEVROUW A",
            "Wij begonnen in 2016 met een paar moeders in een huiskamer.\n"
            "Later kregen we een ruimte van de gemeente.\n\n"
            "Nu komen er elke zaterdag zo'n veertig kinderen.",
        ),
        ("INTERVIEWER", "Wat is daarbij het moeilijkst?"),
        ("MEVROUW A", "Bijvoorbeeld: de subsidie moet elk jaar opnieuw worden aangevraagd."),
    ]


def test_ingest_front_matter_key_given_twice_is_warned_with_both_lines(tmp_path: Path) -> None:
    raw = "---\ninterviewer: Noor\nstad: Gent\ninterviewer: Karim\n---\nI: Hoi.\nR: Dag.\n"
    t = read_transcript(write(tmp_path, "p.md", raw.encode()))
    assert t.attributes == {"interviewer": "Karim", "stad": "Gent"}  # as before: the later value
    assert "line 4: front matter 'interviewer' is given twice (first on line 2): this one is used" in t.warnings


def test_ingest_front_matter_in_txt_with_crlf_and_bom(tmp_path: Path) -> None:
    raw = "\ufeff---\r\nrespondent_type: professional\r\nleeftijd: 41\r\n---\r\nI: Hoi.\r\nR: Dag.\r\n"
    t = read_transcript(write(tmp_path, "p.txt", raw.encode()))
    assert t.attributes == {"respondent_type": "professional", "leeftijd": "41"}
    assert t.text == "I: Hoi.\nR: Dag."


@pytest.mark.parametrize(
    ("front", "line"),
    [
        ("respondent_type: professional\ngemeente: Gent: Oost\n", 3),
        ("respondent_type: professional\ngemeente: Gent\ntalen: [open\n", 4),
        ("- een lijst\n- geen mapping\n", 2),
        ("gewoon een zin\n", 2),
    ],
    ids=["colon-in-value", "unclosed-bracket", "list", "scalar"],
)
def test_ingest_front_matter_errors_name_the_line(tmp_path: Path, front: str, line: int) -> None:
    exc = expect_error(errors.BAD_FRONT_MATTER, write(tmp_path, "fm.md", f"---\n{front}---\nI: Hoi.\n"))
    assert f"fm.md:{line}:" in exc.message


def test_ingest_front_matter_without_closing_line_is_text(tmp_path: Path) -> None:
    t = read_transcript(write(tmp_path, "hr.md", "---\n\nI: Hoi.\nR: Dag."))
    assert t.attributes == {}
    assert [s for s, _ in spans(t)] == ["I", "R"]
    assert any("no closing '---'" in w for w in t.warnings)


def test_ingest_f4_fixture_times_and_spans() -> None:
    t = read_transcript(DATA / "f4_wijkteam.txt")
    assert spans(t) == [
        ("I", "Wanneer komen gezinnen bij het wijkteam?"),
        ("B", "Meestal via school of de huisarts. Soms ook via de moskee."),
        ("I", "En lukt dat contact?"),
        ("B", "Niet altijd. Er is schaamte, en de taal.\nDan helpt een sleutelpersoon."),
    ]
    assert [turn.time_end for turn in t.turns] == [4.0, 11.0, 14.0, 23.0]
    assert any("line 1 " in w for w in t.warnings)


# --- .docx -------------------------------------------------------------------------


def _docx(paragraphs: list[str], table: list[list[str]] | None = None, heading: str | None = None):
    document = docx.Document()
    if heading:
        document.add_heading(heading, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    return document


def test_ingest_docx_paragraphs_heading_and_turns(tmp_path: Path) -> None:
    document = _docx(
        ["I: Hoe kwam u bij de opvoedingswinkel?", "", "R: Via een buurvrouw.", "Zij ging er al jaren heen."],
        heading="Interview opvoedingswinkel",
    )
    document.paragraphs[-1].add_run().add_break()
    document.paragraphs[-1].add_run("Nu ik ook.")
    path = tmp_path / "winkel.docx"
    document.save(path)
    t = read_transcript(path)
    assert t.source_format == "docx"
    assert t.encoding is None
    assert t.text.startswith("# Interview opvoedingswinkel\n\nI: Hoe kwam")
    assert t.warnings == []  # a heading is structure, not stray text
    assert spans(t) == [
        ("I", "Hoe kwam u bij de opvoedingswinkel?"),
        ("R", "Via een buurvrouw.\n\nZij ging er al jaren heen.\nNu ik ook."),
    ]


def test_ingest_docx_table_rows_become_labelled_turns(tmp_path: Path) -> None:
    document = _docx(
        ["Transcript in tabelvorm"],
        table=[["Interviewer", "Wat doet het Huis van het Kind?"], ["Respondent", "Het brengt diensten samen."]],
    )
    document.add_paragraph("Interviewer: En daarna?")
    path = tmp_path / "tabel.docx"
    document.save(path)
    t = read_transcript(path)
    assert spans(t) == [
        ("Interviewer", "Wat doet het Huis van het Kind?"),
        ("Respondent", "Het brengt diensten samen."),
        ("Interviewer", "En daarna?"),
    ]


def test_ingest_docx_table_with_time_column(tmp_path: Path) -> None:
    document = _docx([], table=[["00:00:05", "I", "Welkom."], ["00:00:09", "R", "Dank u."]])
    path = tmp_path / "tijd.docx"
    document.save(path)
    t = read_transcript(path)
    assert [(s, c) for s, c in spans(t)] == [("I", "Welkom."), ("R", "Dank u.")]
    assert [turn.time_start for turn in t.turns] == [5.0, 9.0]


def test_ingest_docx_nfc_and_no_labels(tmp_path: Path) -> None:
    document = _docx(["Eerste alinea over het cafe\u0301.", "Tweede alinea."])
    path = tmp_path / "monoloog.docx"
    document.save(path)
    t = read_transcript(path)
    assert spans(t) == [(None, "Eerste alinea over het café."), (None, "Tweede alinea.")]


def _valid_docx_bytes() -> bytes:
    buffer = io.BytesIO()
    _docx(["I: Hoi.", "R: Dag."]).save(buffer)
    return buffer.getvalue()


def _with_broken_xml() -> bytes:
    source = zipfile.ZipFile(io.BytesIO(_valid_docx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "word/document.xml":
                content = content[: len(content) // 2]
            target.writestr(item, content)
    return out.getvalue()


def _zip_with(*names: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in names:
            target.writestr(name, "<x/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "msg", "hint"),
    [
        (b"I: Dit is gewoon tekst.\n", errors.BAD_DOCUMENT, "rename it to .txt"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, errors.BAD_DOCUMENT, "save it as .docx"),
        (_valid_docx_bytes()[:3000], errors.BAD_DOCUMENT, "damaged"),
        (_with_broken_xml(), errors.BAD_DOCUMENT, "damaged"),
        (_zip_with("notes.txt"), errors.BAD_DOCUMENT, "damaged"),
        (_zip_with("[Content_Types].xml", "xl/workbook.xml"), errors.BAD_DOCUMENT, "Excel workbook"),
        (b"", errors.EMPTY_FILE, ""),
    ],
    ids=["plain-text", "old-doc", "truncated", "broken-xml", "zip-not-docx", "xlsx-renamed", "empty"],
)
def test_ingest_docx_broken_files(tmp_path: Path, data: bytes, msg: errors.Msg, hint: str) -> None:
    exc = expect_error(msg, write(tmp_path, "kapot.docx", data))
    assert "kapot.docx" in exc.message
    assert hint in (exc.hint or "")


def test_ingest_docx_without_text(tmp_path: Path) -> None:
    path = tmp_path / "leeg.docx"
    _docx(["", "  "]).save(path)
    expect_error(errors.NO_TEXT, path)


# --- .vtt and .srt -----------------------------------------------------------------

VTT = """WEBVTT
Kind: captions

NOTE gegenereerd

1
00:00:01.000 --> 00:00:04.000
<v Interviewer>Welkom bij het Huis van het Kind.

2
00:00:04.500 --> 00:00:06.000 align:start
<v Interviewer>Zullen we beginnen?

3
00:00:06.500 --> 00:00:09.250
<v.ouder Ouder 1>Ja, <i>graag</i>.
Ik ben moeder van drie &amp; werk hier.

00:00:10.000 --> 00:00:11.000
<v Interviewer>Mooi.</v>

00:00:12.000 --> 00:00:13.000
(gelach)

00:00:14.000 --> 00:00:15.000
Ouder 2: Ik ook!

00:00:16.000 --> 00:00:18.000
<v Interviewer>Eerst u.</v> <v Ouder 2>Goed.
"""


def test_ingest_vtt_voices_merge_and_unvoiced_cues(tmp_path: Path) -> None:
    t = read_transcript(write(tmp_path, "huis.vtt", VTT))
    assert t.source_format == "vtt"
    assert spans(t) == [
        ("Interviewer", "Welkom bij het Huis van het Kind.\nZullen we beginnen?"),
        ("Ouder 1", "Ja, graag.\nIk ben moeder van drie & werk hier."),
        ("Interviewer", "Mooi."),
        (None, "(gelach)"),
        ("Ouder 2", "Ik ook!"),
        ("Interviewer", "Eerst u."),
        ("Ouder 2", "Goed."),
    ]
    times = [(turn.time_start, turn.time_end) for turn in t.turns]
    assert times[0] == (1.0, 6.0)
    assert times[1] == (6.5, 9.25)
    assert times[-1] == (16.0, 18.0)
    assert t.text.startswith("Interviewer: Welkom bij het Huis van het Kind.\nZullen we beginnen?\n\nOuder 1: Ja, graag.")


def test_ingest_vtt_crlf_bom(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + VTT.replace("\n", "\r\n").encode()
    t = read_transcript(write(tmp_path, "huis.vtt", data))
    assert t.encoding == "utf-8-sig"
    assert len(t.turns) == 7


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("kapot.vtt", "Dit is geen WebVTT\n\n00:00:01.000 --> 00:00:02.000\nHoi\n", "WebVTT"),
        ("kapot.srt", "Dit is geen SRT-bestand.\n", "SubRip"),
    ],
)
def test_ingest_subtitles_malformed(tmp_path: Path, name: str, data: str, kind: str) -> None:
    exc = expect_error(errors.BAD_DOCUMENT, write(tmp_path, name, data))
    assert kind in exc.message
    assert name in exc.message
    assert "-->" in (exc.hint or "")


def test_ingest_srt_fixture() -> None:
    t = read_transcript(DATA / "huis_van_het_kind.srt")
    assert t.source_format == "srt"
    assert spans(t) == [
        ("INTERVIEWER", "Welkom bij het Huis van het Kind."),
        ("Ouder 1", "Dank u, fijn om hier te zijn."),
        (None, "(gelach)"),
    ]
    assert [(turn.time_start, turn.time_end) for turn in t.turns] == [(1.0, 3.5), (4.0, 7.25), (8.0, 9.0)]


def test_ingest_vtt_zoom_style_labels_merge_consecutive_cues(tmp_path: Path) -> None:
    vtt = (
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.000\nInterviewer: Hoe begon het?\n\n"
        "2\n00:00:03.500 --> 00:00:06.000\nFatima: Via de moskee.\n\n"
        "3\n00:00:06.000 --> 00:00:09.000\nFatima: Daarna kwam het CJG.\n\n"
        "4\n00:00:09.500 --> 00:00:10.000\nInterviewer: Oké.\n"
    )
    path = tmp_path / "zoom.vtt"
    path.write_text(vtt, encoding="utf-8")
    t = read_transcript(path)
    assert [(u.speaker, t.text[u.start : u.end], u.time_start, u.time_end) for u in t.turns] == [
        ("Interviewer", "Hoe begon het?", 1.0, 3.0),
        ("Fatima", "Via de moskee.\nDaarna kwam het CJG.", 3.5, 9.0),
        ("Interviewer", "Oké.", 9.5, 10.0),
    ]
