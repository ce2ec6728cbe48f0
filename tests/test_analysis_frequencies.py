"""Frequencies against numbers worked out by hand (see analysis_fixture for the text)."""

from __future__ import annotations

import pytest
from analysis_fixture import open_project

from qualcode.analysis import (
    MISSING,
    Cancelled,
    Measures,
    frequencies,
    frequency_json,
    frequency_rows,
    select,
)
from qualcode.analysis.frequencies import stretches
from qualcode.analysis.source import Ticker
from qualcode.errors import QualcodeError
from qualcode.project import Project
from qualcode.words import packed, word_marks


@pytest.fixture
def project(tmp_path) -> Project:
    p = open_project(tmp_path / "p")
    yield p
    p.close()


def totals(table) -> dict[str, tuple[int, int, int, int, int]]:
    return {r.code.id: (r.total.codings, r.total.segments, r.total.transcripts, r.total.words, r.total.chars) for r in table.rows}


def test_analysis_frequencies_roll_up_and_count_overlaps_once(project):
    table = frequencies(project.store, project.codebook)
    assert table.total.transcripts == 4
    assert table.total.words == 23 + 10 + 4 + 3
    #                 codings segments transcripts words chars
    assert totals(table) == {
        # c1+c2 overlap: one stretch "Wij helpen ouders. Café “De Brug”" (6 words, 33 chars);
        # c4 (4 words, 22 chars); c7 in t2 (2 words, 12 chars)
        "rol": (4, 3, 2, 12, 67),
        "rol_org": (2, 2, 1, 7, 40),  # c1, c4
        "rol_prof": (2, 2, 2, 7, 41),  # c2, c7
        "kracht": (3, 3, 2, 17, 94),  # c3 (6 w, 28 c), c8 (4 w, 22 c), c6 (7 w, 44 c)
        "map": (0, 0, 0, 0, 0),  # a folder without codings is still listed
        "sub": (0, 0, 0, 0, 0),
        MISSING: (1, 1, 1, 4, 19),  # codings of codes that left the codebook: kept
        "oud": (1, 1, 1, 4, 19),
    }
    oud = table.row("oud").code
    assert (oud.path, oud.name, oud.depth, oud.missing) == ("(missing)/oud", "Oude code", 1, True)
    assert [r.code.id for r in table.rows][:4] == ["rol", "rol_org", "rol_prof", "kracht"]  # codebook order


def test_analysis_frequencies_shares_and_coverage(project):
    table = frequencies(project.store, project.codebook)
    rol = table.row("rol").total
    assert table.total.share(rol) == pytest.approx(2 / 4)
    assert table.total.coverage(rol) == pytest.approx(12 / 40)


def test_analysis_frequencies_by_attribute_side_by_side_with_empty_group(project):
    table = frequencies(project.store, project.codebook, by="type")
    assert [(g.name, g.transcripts, g.words) for g in table.groups] == [
        ("gemengd", 1, 3),  # t4: no codings at all, still a group
        ("org", 1, 23),
        ("prof", 2, 14),  # t2 + t3 (t3 uncoded counts in the denominator)
    ]
    rol = table.row("rol")
    assert rol.in_group("gemengd") == Measures()
    assert rol.in_group("org") == Measures(codings=3, segments=2, transcripts=1, words=10, chars=55)
    assert rol.in_group("prof") == Measures(codings=1, segments=1, transcripts=1, words=2, chars=12)
    prof = table.groups[2]
    assert prof.share(rol.in_group("prof")) == pytest.approx(0.5)  # 1 of 2 professional transcripts
    assert prof.coverage(rol.in_group("prof")) == pytest.approx(2 / 14)
    assert table.groups[0].share(rol.in_group("gemengd")) == 0.0
    # the groups add up to the total for a per-transcript grouping
    for row in table.rows:
        summed = Measures()
        for g in table.groups:
            summed.add(row.in_group(g.name))
        assert summed == row.total


def test_analysis_frequencies_by_speaker_and_role(project):
    table = frequencies(project.store, project.codebook, by="speaker")
    assert [(g.name, g.transcripts, g.words) for g in table.groups] == [("I", 4, 11), ("R", 4, 29)]
    assert table.row("kracht").in_group("I") == Measures()  # the interviewer: an empty group, shown
    assert table.row("kracht").in_group("R").segments == 3
    roles = frequencies(project.store, project.codebook, by="role")
    assert [g.name for g in roles.groups] == ["interviewer", "respondent"]
    assert roles.row("rol").in_group("respondent") == table.row("rol").in_group("R")


def test_analysis_frequencies_by_transcript(project):
    table = frequencies(project.store, project.codebook, by="transcript")
    assert [g.name for g in table.groups] == ["t1", "t2", "t3", "t4"]
    assert table.row("kracht").in_group("t1") == Measures(codings=2, segments=2, transcripts=1, words=10, chars=50)
    assert table.row("kracht").in_group("t3") == Measures()


def test_analysis_frequencies_unknown_grouping_names_the_options(project):
    with pytest.raises(QualcodeError) as exc:
        frequencies(project.store, project.codebook, by="typ")
    assert "cannot group by 'typ'" in exc.value.message
    assert "type" in exc.value.hint and "did you mean 'type'" in exc.value.hint


def test_analysis_frequencies_selection_where_and_transcript(project):
    only_prof = select(project.store, project.codebook, where=["type=prof"])
    table = frequencies(project.store, project.codebook, only_prof)
    assert table.total.transcripts == 2
    assert totals(table)["rol"] == (1, 1, 1, 2, 12)
    one = select(project.store, project.codebook, transcripts=["t1"])
    assert totals(frequencies(project.store, project.codebook, one))["kracht"] == (2, 2, 1, 10, 50)


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        ([(0, 4), (4, 8)], (2, 8, 2)),  # touching spans are two segments
        ([(0, 6), (2, 8)], (1, 8, 2)),  # overlapping: one stretch 0-8
        ([(0, 8), (2, 4)], (1, 8, 2)),  # nested
        ([(0, 8), (2, 4), (6, 12)], (1, 12, 3)),  # a chain merges into one
        ([(0, 3), (0, 3)], (1, 3, 1)),  # the same span twice (two codes of one branch)
    ],
)
def test_analysis_frequencies_stretches_segments(spans, expected):
    text = "aaa bbb ccc dd"
    numbers = [packed(a, b, *word_marks(text, [(a, b)])[0]) for a, b in spans]
    # The openings and the closings are sorted apart: no pairing is needed.
    assert stretches(sorted(n[0] for n in numbers), sorted(n[1] for n in numbers)) == expected


def test_analysis_frequencies_rows_wide_long_and_json(project):
    table = frequencies(project.store, project.codebook, by="type")
    columns, rows = frequency_rows(table)
    assert columns[:11] == [
        "code_id", "code_path", "code_name", "depth",
        "codings", "segments", "transcripts", "transcript_share", "words", "chars", "coverage",
    ]  # fmt: skip
    assert "segments_prof" in columns and "coverage_gemengd" in columns
    rol = dict(zip(columns, rows[0], strict=True))
    assert rol["transcript_share_prof"] == 0.5 and rol["coverage_prof"] == round(2 / 14, 4)
    assert rol["transcript_share_gemengd"] == 0.0

    columns, rows = frequency_rows(table, long=True)
    long_rows = [dict(zip(columns, r, strict=True)) for r in rows]
    assert len(long_rows) == len(table.rows) * 3
    assert {k: long_rows[0][k] for k in ("code_id", "group", "group_transcripts", "segments")} == {
        "code_id": "rol", "group": "gemengd", "group_transcripts": 1, "segments": 0,
    }  # fmt: skip

    data = frequency_json(table)
    assert data["groups"][2] == {"name": "prof", "transcripts": 2, "words": 14}
    assert data["codes"][0]["groups"]["org"]["segments"] == 2


def test_analysis_frequencies_reports_progress_and_can_be_cancelled(project):
    seen = []
    frequencies(project.store, project.codebook, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (8, 8)
    with pytest.raises(Cancelled):
        Ticker(None, lambda: True, 10, every=1).add()
