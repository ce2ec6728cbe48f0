"""Co-occurrence (overlap and turn units) and the code x transcript matrix, by hand."""

from __future__ import annotations

import pytest
from analysis_fixture import open_project

from qualcode.analysis import code_matrix, cooccurrence, matrix_rows, select
from qualcode.project import Project


@pytest.fixture
def project(tmp_path) -> Project:
    p = open_project(tmp_path / "p")
    yield p
    p.close()


def as_dict(matrix) -> dict[tuple[str, str], int]:
    return {
        (r.id, c): v
        for r, row in zip(matrix.rows, matrix.cells, strict=True)
        for c, v in zip(matrix.columns, row, strict=True)
        if v
    }


def test_analysis_cooccurrence_overlap_counts_pairs_of_overlapping_codings(project):
    m = cooccurrence(project.store, project.codebook)
    # only codes with codings, as applied (no roll-up), missing code last
    assert m.columns == ["rol_org", "rol_prof", "kracht", "oud"]
    assert as_dict(m) == {
        # diagonal: codings per code
        ("rol_org", "rol_org"): 2, ("rol_prof", "rol_prof"): 2, ("kracht", "kracht"): 3, ("oud", "oud"): 1,
        ("rol_org", "rol_prof"): 1, ("rol_prof", "rol_org"): 1,  # c1 x c2
        ("rol_prof", "kracht"): 2, ("kracht", "rol_prof"): 2,  # c2 x c3, c7 inside c6
        ("rol_org", "kracht"): 1, ("kracht", "rol_org"): 1,  # c4 and c8: the same span
    }  # fmt: skip
    assert m.maximum == 2  # the largest off-diagonal cell (for shading)


def test_analysis_cooccurrence_turn_counts_turns_holding_both(project):
    m = cooccurrence(project.store, project.codebook, unit="turn")
    # t1 turn 2 {rol_org, rol_prof, kracht}; t1 turn 4 {rol_org, kracht, oud}; t2 turn 2 {kracht, rol_prof}
    assert as_dict(m) == {
        ("rol_org", "rol_org"): 2, ("rol_prof", "rol_prof"): 2, ("kracht", "kracht"): 3, ("oud", "oud"): 1,
        ("rol_org", "rol_prof"): 1, ("rol_prof", "rol_org"): 1,
        ("rol_org", "kracht"): 2, ("kracht", "rol_org"): 2,
        ("rol_prof", "kracht"): 2, ("kracht", "rol_prof"): 2,
        ("rol_org", "oud"): 1, ("oud", "rol_org"): 1,
        ("kracht", "oud"): 1, ("oud", "kracht"): 1,
    }  # fmt: skip


def test_analysis_cooccurrence_is_symmetric_and_follows_the_selection(project):
    only_t2 = select(project.store, project.codebook, transcripts=["t2"])
    m = cooccurrence(project.store, project.codebook, only_t2)
    assert m.columns == ["rol_prof", "kracht"]
    assert m.cells == [[1, 1], [1, 1]]


def test_analysis_code_matrix_by_transcript_rolls_up(project):
    m = code_matrix(project.store, project.codebook)
    assert m.columns == ["t1", "t2", "t3", "t4"]
    assert m.value("rol", "t1") == 2  # c1+c2 merged, c4
    assert m.value("rol", "t2") == 1
    assert m.value("kracht", "t3") == 0
    assert m.value("oud", "t1") == 1
    words = code_matrix(project.store, project.codebook, by="type", measure="words")
    assert words.columns == ["gemengd", "org", "prof"]
    assert words.value("kracht", "org") == 10
    columns, rows = matrix_rows(words)
    assert columns == ["code_id", "code_path", "code_name", "gemengd", "org", "prof"]
    assert rows[0] == ["rol", "rol", "Rolverwachtingen", 0, 10, 2]
