"""Damaged .vtt and .srt files: every word is kept, every damaged line is reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode import errors
from qualcode.errors import QualcodeError
from qualcode.ingest import read_transcript
from qualcode.ingest.subtitles import parse_time
from qualcode.model import Transcript


def read(tmp_path: Path, name: str, text: str | bytes) -> Transcript:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return read_transcript(path)


def turns(t: Transcript) -> list[tuple[str, float | None, float | None]]:
    return [(t.text[u.start : u.end], u.time_start, u.time_end) for u in t.turns]


def test_subtitles_malformed_cue_time_keeps_its_text_and_warns(tmp_path: Path) -> None:
    t = read(
        tmp_path,
        "x.vtt",
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nEen\n\n00:00:03.000 --> 00:00:0X.000\nTwee woorden\n\n"
        "00:00:05.000 --> 00:00:06.000\nDrie\n",
    )
    assert turns(t) == [("Een", 1.0, 2.0), ("Twee woorden", 3.0, None), ("Drie", 5.0, 6.0)]
    assert t.warnings == [
        "line 6: a cue time cannot be read: the text is kept, without that time ('00:00:0X.000': not a time like 00:01:02.500)"
    ]


@pytest.mark.parametrize(
    ("name", "cues", "says"),
    [
        (
            "x.vtt",
            "WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nEen.\n\n00:00:09.000 --> 00:00:08.000\nTwee.\n",
            "lines 3, 6: a cue ends before it starts: its end time is left out (line 3: 00:00:05.000 --> 00:00:02.000)",
        ),
        (
            "x.srt",
            "1\n00:00:05,000 --> 00:00:02,000\nEen.\n",
            "line 2: a cue ends before it starts: its end time is left out (00:00:05,000 --> 00:00:02,000)",
        ),
        (
            "x.vtt",
            "WEBVTT\n\n61:00.000 --> 61:05.000\nEen.\n",
            "line 3: a cue time cannot be read: the text is kept, without that time "
            "('61:00.000': minute 61, where minutes and seconds run from 00 to 59)",
        ),
        (
            "x.srt",
            "1\n00:00:01,000 --> 00:00:61,000\nEen.\n",
            "line 2: a cue time cannot be read: the text is kept, without that time "
            "('00:00:61,000': second 61, where minutes and seconds run from 00 to 59)",
        ),
    ],
)
def test_subtitles_impossible_times_are_said_with_the_line_and_what_is_wrong(
    tmp_path: Path, name: str, cues: str, says: str
) -> None:
    t = read(tmp_path, name, cues)
    assert t.warnings == [says]
    assert "Een." in t.text


def test_subtitles_cues_of_one_voice_out_of_order_are_not_one_turn_ending_before_it_starts(tmp_path: Path) -> None:
    t = read(
        tmp_path,
        "x.vtt",
        "WEBVTT\n\n00:00:05.000 --> 00:00:06.000\n<v Jan>Een.</v>\n\n00:00:01.000 --> 00:00:02.000\n<v Jan>Twee.</v>\n",
    )
    assert turns(t) == [("Een.", 5.0, 6.0), ("Twee.", 1.0, 2.0)]
    assert t.warnings == [
        "line 6: a cue starts before the turn of the same voice above it: kept as a turn of its own "
        "(00:00:01.000, the turn above at 00:00:05.000)"
    ]


@pytest.mark.parametrize(
    ("timing", "start", "end", "warning"),
    [
        ("00:00:05.000 --> 00:00:04.000", 5.0, None, "ends before it starts"),
        ("00:00:06.000 00:00:07.000", 6.0, 7.0, "has no '-->'"),
        ("00:00:06.000 - 00:00:07.000", 6.0, 7.0, "has no '-->'"),
        ("-00:00:01.000 --> 00:00:02.000", None, 2.0, "cannot be read"),
        ("00:75:00.000 --> 01:16:00.000", None, 4560.0, "cannot be read"),
        ("00:00:01.000 --> 00:00:61.000", 1.0, None, "cannot be read"),
        ("aa:bb:cc.ddd --> 00:00:02.000", None, 2.0, "cannot be read"),
        ("00:00:01.000 --> ", 1.0, None, "cannot be read"),
        ("00:00:01.000 --> 00:00:02.000 align:start position:10%", 1.0, 2.0, None),
        ("123:00:00.000 --> 124:00:00.500", 442800.0, 446400.5, None),
        ("00:01.000 --> 00:02.5", 1.0, 2.5, None),
    ],
)
def test_subtitles_timing_line_family(tmp_path: Path, timing: str, start, end, warning: str | None) -> None:
    t = read(tmp_path, "x.vtt", f"WEBVTT\n\n1\n{timing}\nDe woorden blijven.\n")
    assert turns(t) == [("De woorden blijven.", start, end)]
    if warning is None:
        assert t.warnings == []
    else:
        assert len(t.warnings) == 1 and t.warnings[0].startswith("line 4: ") and warning in t.warnings[0]


def test_subtitles_text_after_a_blank_line_inside_a_cue_is_kept(tmp_path: Path) -> None:
    t = read(tmp_path, "x.srt", "1\n00:00:01,000 --> 00:00:02,000\nEerste regel\n\ntweede regel na een lege regel\n")
    assert turns(t) == [("Eerste regel", 1.0, 2.0), ("tweede regel na een lege regel", None, None)]
    assert t.warnings == ["line 5: text outside any cue (a blank line inside a cue?): kept as a turn of its own, without a time"]


def test_subtitles_cues_without_blank_lines_between_them(tmp_path: Path) -> None:
    t = read(tmp_path, "x.srt", "1\n00:00:01,000 --> 00:00:02,000\nEen\n2\n00:00:03,000 --> 00:00:04,000\nTwee\n")
    assert turns(t) == [("Een", 1.0, 2.0), ("Twee", 3.0, 4.0)]
    assert t.warnings == []


@pytest.mark.parametrize("index", ["x", "1a", "", "- 3 -", "0001"])
def test_subtitles_srt_cue_numbers_of_any_shape(tmp_path: Path, index: str) -> None:
    head = f"{index}\n" if index else ""
    t = read(tmp_path, "x.srt", f"{head}00:00:01,000 --> 00:00:02,000\nHallo daar.\n")
    assert turns(t) == [("Hallo daar.", 1.0, 2.0)]


def test_subtitles_notes_styles_regions_and_empty_cues_are_not_text(tmp_path: Path) -> None:
    vtt = (
        "\ufeffWEBVTT - met titel\nKind: captions\n\nSTYLE\n::cue { color: red }\n\nREGION\nid:r1\n\n"
        "NOTE dit is een notitie\nover twee regels\n\n00:00:01.000 --> 00:00:02.000\n\n"
        "00:00:03.000 --> 00:00:04.000 region:r1\n<v Anna>Hallo &amp; welkom</v>\n\nNOTE\neinde\n"
    )
    t = read(tmp_path, "x.vtt", vtt)
    assert turns(t) == [("Hallo & welkom", 3.0, 4.0)]
    assert t.text == "Anna: Hallo & welkom"
    assert t.warnings == []


def test_subtitles_cue_glued_to_the_header(tmp_path: Path) -> None:
    t = read(tmp_path, "x.vtt", "WEBVTT\n00:00:01.000 --> 00:00:02.000\nEen\n")
    assert turns(t) == [("Een", 1.0, 2.0)]
    assert t.warnings == ["line 2: no blank line after the WEBVTT header: the cue below it is read anyway"]


def test_subtitles_less_than_signs_that_start_no_tag_are_text(tmp_path: Path) -> None:
    t = read(
        tmp_path, "x.srt", "1\n00:00:01,000 --> 00:00:02,000\n<i>Ik</i> heb <3 kinderen en a < b <font color=red>ja</font>\n"
    )
    assert turns(t) == [("Ik heb <3 kinderen en a < b ja", 1.0, 2.0)]


def test_subtitles_many_damaged_cues_make_one_short_warning(tmp_path: Path) -> None:
    cues = "".join(f"{n}\n00:00:0{n % 10}.000 --> 00:00:XX.000\nZin {n}.\n\n" for n in range(1, 41))
    t = read(tmp_path, "x.vtt", "WEBVTT\n\n" + cues)
    assert len(t.turns) == 40
    assert len(t.warnings) == 1
    assert t.warnings[0].startswith("lines 4, 8, 12,") and "and 28 more" in t.warnings[0]


@pytest.mark.parametrize(
    ("name", "text", "reason"),
    [
        ("x.vtt", "Dit is geen WebVTT\n\n00:00:01.000 --> 00:00:02.000\nHoi\n", "line 1 is not 'WEBVTT'"),
        ("x.vtt", "WEBVTT\n\nalleen tekst\n", "no cue timing line"),
        ("x.srt", "Dit is geen SRT-bestand.\n\nOok niet.\n", "no cue timing line"),
    ],
)
def test_subtitles_files_without_cues_are_refused_with_the_reason(tmp_path: Path, name: str, text: str, reason: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(QualcodeError) as caught:
        read_transcript(path)
    assert caught.value.code == errors.BAD_DOCUMENT.code
    assert reason in caught.value.message and name in caught.value.message


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("01:02:03.500", 3723.5), ("02:03,5", 123.5), ("00:00:00", 0.0), ("999999999:00:00.000", 999999999 * 3600.0)],
)
def test_subtitles_parse_time(value: str, seconds: float) -> None:
    assert parse_time(value) == seconds


@pytest.mark.parametrize(
    "value", ["", "1", "00:60.000", "61:00.000", "1:2:3:4", "1" * 5000 + ":00:00.000", "−00:01.000", "00:0X.000"]
)
def test_subtitles_parse_time_refuses(value: str) -> None:
    assert parse_time(value) is None
