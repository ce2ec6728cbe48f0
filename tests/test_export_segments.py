"""The long and wide segment exports on the hand-made fixture, read back with csv."""

from __future__ import annotations

import csv
import io

import pytest
from analysis_fixture import MEMO, T2, open_project

from qualcode.analysis import select
from qualcode.export import CsvStyle, CsvWriter, export_segments, export_wide, segment_columns, wide_columns
from qualcode.project import Project

STANDARD = CsvStyle()


@pytest.fixture
def project(tmp_path) -> Project:
    p = open_project(tmp_path / "p")
    yield p
    p.close()


def export(project, fn=export_segments, style=STANDARD, **kwargs) -> tuple[int, list[dict[str, str]]]:
    buffer = io.StringIO(newline="")
    n = fn(project.store, project.codebook, CsvWriter(buffer, style), **kwargs)
    text = buffer.getvalue().removeprefix("\ufeff")
    return n, list(csv.DictReader(io.StringIO(text, newline=""), delimiter=style.delimiter))


def test_export_segments_one_row_per_coding_with_every_column(project):
    n, rows = export(project)
    assert n == len(rows) == 8
    assert list(rows[0]) == segment_columns(["type"])
    assert list(rows[0])[:4] == ["coding_id", "transcript", "type", "speaker"]
    t2 = [r for r in rows if r["transcript"] == "t2"]
    assert [r["code_id"] for r in t2] == ["kracht", "rol_prof"]  # by start offset
    whole = t2[0]
    assert (
        whole | {"created_at": ""}
        == {
            "coding_id": "6",
            "transcript": "t2",
            "type": "prof",
            "speaker": "R",
            "role": "respondent",
            "turn": "2",
            "turn_end": "2",
            "time_start": "5.5",
            "time_end": "30.25",
            "start": "22",
            "end": "66",
            "line_start": "2",
            "line_end": "3",  # the turn runs over two lines
            "code_id": "kracht",
            "code_path": "kracht",
            "code_name": "Eigen kracht",
            "coder": "anna",
            "origin": "manual",
            "memo": "'" + MEMO,  # starts with '=': neutralised
            "text": "'" + T2[22:66],  # starts with '-': neutralised; quotes, ';', ',' and '\n' survive
            "created_at": "",
        }
    )
    assert t2[1]["origin"] == "suggested" and t2[1]["code_path"] == "rol/rol_prof"


def test_export_segments_raw_text_and_excel_dialect(project):
    _, rows = export(project, style=CsvStyle(excel=True, neutralise=False))
    whole = next(r for r in rows if r["coding_id"] == "6")
    assert whole["text"] == T2[22:66]
    assert whole["memo"] == MEMO
    assert (whole["time_start"], whole["time_end"]) == ("5,5", "30,25")


def test_export_segments_keeps_codings_of_missing_codes(project):
    _, rows = export(project)
    oud = [r for r in rows if r["code_id"] == "oud"]
    assert [(r["code_path"], r["code_name"], r["text"]) for r in oud] == [("(missing)/oud", "Oude code", "Soms – niet altijd.")]
    assert (oud[0]["turn"], oud[0]["line_start"], oud[0]["time_start"]) == ("4", "4", "")


def test_export_segments_filters(project):
    def ids(**kwargs):
        selection = select(project.store, project.codebook, **kwargs)
        return [r["coding_id"] for r in export(project, selection=selection)[1]]

    assert ids(codes=["rol"]) == ["1", "2", "4", "7"]  # rol_org and rol_prof
    assert ids(transcripts=["t2"]) == ["6", "7"]
    assert ids(where=["type=org"], codes=["kracht"]) == ["3", "8"]
    assert ids(where=["type=gemengd"]) == []


def test_export_wide_span_unit_one_row_per_distinct_span(project):
    n, rows = export(project, export_wide)
    assert n == len(rows) == 7  # 8 codings; c4 and c8 share a span
    codes = ["rol", "rol_org", "rol_prof", "kracht", "map", "sub", "oud"]
    assert list(rows[0]) == wide_columns(["type"], codes)
    shared = next(r for r in rows if r["text"] == "Het CJG verwijst door.")
    # rol_org + kracht on one span; the parent 'rol' is rolled up
    assert [shared[c] for c in codes] == ["1", "1", "0", "1", "0", "0", "0"]
    missing = next(r for r in rows if r["text"] == "Soms – niet altijd.")
    assert [missing[c] for c in codes] == ["0", "0", "0", "0", "0", "0", "1"]


def test_export_wide_turn_unit_lists_every_turn(project):
    n, rows = export(project, export_wide, unit="turn")
    assert n == 10  # 4 + 2 + 2 + 2 turns, coded or not
    t1_turn2 = next(r for r in rows if (r["transcript"], r["turn"]) == ("t1", "2"))
    assert [t1_turn2[c] for c in ("rol", "rol_org", "rol_prof", "kracht", "oud")] == ["1", "1", "1", "1", "0"]
    assert t1_turn2["text"] == "Wij helpen ouders. Café “De Brug” is ons thuis."
    t3 = [r for r in rows if r["transcript"] == "t3"]
    assert len(t3) == 2 and all(r["rol"] == r["kracht"] == "0" for r in t3)


def test_export_wide_with_code_filter_has_only_those_columns(project):
    selection = select(project.store, project.codebook, codes=["rol"])
    n, rows = export(project, export_wide, selection=selection)
    assert list(rows[0])[-3:] == ["rol", "rol_org", "rol_prof"]
    assert n == 4


def test_export_columns_never_collide():
    assert wide_columns(["text", "type"], ["turn", "kracht"])[-2:] == ["code_turn", "kracht"]
    assert segment_columns(["speaker"])[2] == "attr_speaker"


def test_export_place_of_every_span_is_its_first_and_last_overlapped_turn(project):
    from qualcode.analysis.source import transcripts

    for view in transcripts(project.store):
        turns, size = view.turns, len(view.text)
        assert turns
        for start in range(0, size, 7):
            for end in range(start + 1, min(size, start + 400), 13):
                over = [t for t in turns if t.start < end and t.end > start]
                first, last = (over[0], over[-1]) if over else (None, None)
                expected = (
                    (first.speaker, first.role, first.index, last.index, first.time_start, last.time_end) if over else (None,) * 6
                )
                assert view.place(start, end) == expected, (view.name, start, end)


# --- awkward turns: empty, overlapping, none at all (the export's own place look-up) ----------------

T5 = 'Inleiding zonder spreker.\n=Int, "x": vraag een\n-R: antwoord, lang\nmet regel\nL: \nQ: laatste stuk tekst hier\n'
T5_TURNS = [  # (index, speaker, start, end, time_start, time_end, role): the store's turn rows
    (1, '=Int, "x"', 26, 50, 1.25, -3.5, None),  # formula-like speaker, a negative time
    (2, "-R", 54, 78, None, 12.0, "respondent"),
    (3, "L", 82, 82, 1e-7, 2e20, "interviewer"),  # empty
    (4, "Q", 70, 100, 7.0, None, "=rol"),  # overlaps turn 2
    (5, "Q", 100, 106, 0.1, 0.2, "=rol"),
]


@pytest.fixture
def awkward(project) -> Project:
    """The fixture plus t5 (the turns above) and t6 (no turns), each with codings in and outside turns."""
    from qualcode.model import Transcript, Turn

    store = project.store
    t5 = store.transcripts.add(Transcript("t5", T5, [Turn(*row) for row in T5_TURNS], {"type": "=x"}))
    t6 = store.transcripts.add(Transcript("t6", "Geen beurten hier.\nTweede regel.\n", [], {}))
    for start, end, code in [(0, 9, "kracht"), (5, 60, "rol_org"), (60, 90, "kracht"), (82, 84, "rol_prof"), (75, 107, "oud")]:
        store.codings.add(t5, start, end, code, "anna")
    store.codings.add(t6, 0, 4, "kracht", "anna")
    return project


def test_export_wide_turn_unit_on_empty_overlapping_and_missing_turns(awkward):
    _, rows = export(awkward, export_wide, unit="turn")
    t5 = [r for r in rows if r["transcript"] == "t5"]
    assert not [r for r in rows if r["transcript"] == "t6"]  # no turns, no rows
    place = ("speaker", "role", "turn", "turn_end", "time_start", "time_end")
    assert [tuple(r[c] for c in place) for r in t5] == [
        ('\'=Int, "x"', "", "1", "1", "1.25", "-3.5"),
        ("'-R", "respondent", "2", "2", "", "12.0"),
        ("", "", "", "", "", ""),  # the empty turn overlaps nothing, not even itself
        ("'-R", "respondent", "2", "4", "", ""),  # overlapping turn 2: its span reaches back into it
        ("Q", "'=rol", "5", "5", "0.1", "0.2"),
    ]
    flags = [(r["kracht"], r["rol_prof"], r["oud"]) for r in t5]
    assert [flags[k] for k in (0, 1, 4)] == [("0", "0", "0"), ("1", "0", "1"), ("0", "0", "1")]  # the turns in order


def test_export_long_place_on_awkward_turns_is_the_transcript_views(awkward):
    from qualcode.analysis.source import transcripts

    _, rows = export(awkward)
    views = {v.name: v for v in transcripts(awkward.store)}
    writer = CsvWriter(io.StringIO(newline=""))
    for r in (r for r in rows if r["transcript"] in ("t5", "t6")):
        expected = views[r["transcript"]].place(int(r["start"]), int(r["end"]))
        got = (r["speaker"], r["role"], r["turn"], r["turn_end"], r["time_start"], r["time_end"])
        assert list(got) == next(csv.reader([writer.fields(expected)])), r["coding_id"]
    assert [r["turn"] for r in rows if r["transcript"] == "t6"] == [""]
