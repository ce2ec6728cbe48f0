"""Agreement figures of small team cases through the CLI, checked by hand and against the
``krippendorff`` package: adjacent spans of one code, a nested span, a coder who coded nothing
in a transcript (missing there, not absent), and MAXQDA's segment table."""

from __future__ import annotations

import json

import krippendorff
import numpy as np
import pytest
from click.testing import CliRunner
from test_cli import CODEBOOK, TRANSCRIPT

from qualcode.cli import main

SECOND = "I: Nog iets?\nR: Nee, dat was het wel. Dank u.\n"
# The turns' text (labels excluded) of int1 and int2: int1's 197 characters, int2's 4 turns in all.
TURNS_1 = [(3, 30), (34, 151), (155, 173), (177, 212)]


@pytest.fixture
def project(tmp_path):
    runner = CliRunner()
    root = tmp_path / "studie"
    assert runner.invoke(main, ["init", str(root)]).exit_code == 0
    (root / "codebooks" / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    (root / "transcripts" / "int1.txt").write_text(TRANSCRIPT, encoding="utf-8")
    (root / "transcripts" / "int2.txt").write_text(SECOND, encoding="utf-8")
    assert runner.invoke(main, ["--project", str(root), "import", str(root / "transcripts")]).exit_code == 0
    return root


def code(root, lines):
    csv = root / "codings.csv"
    csv.write_text("transcript,code,span,coder\n" + "".join(f"{line}\n" for line in lines), encoding="utf-8")
    result = CliRunner().invoke(main, ["--project", str(root), "code", "--from", str(csv)])
    assert result.exit_code == 0, result.stderr


def agreement(root, *args):
    result = CliRunner().invoke(main, ["--project", str(root), "agreement", "--format", "json", *args])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    return data, {(r["scope"], r["code"] or r["transcript"]): r for r in data["rows"]}


def alpha(matrix):
    return krippendorff.alpha(reliability_data=np.array(matrix, dtype=float), level_of_measurement="nominal")


def test_team_agreement_characters_adjacent_and_nested_spans(project):
    """anna codes two adjacent spans where bram codes one (the same characters: full agreement);
    bram's 'kracht' lies inside anna's (18 of her 35 characters)."""
    code(project, [
        "int1,rol,34:70,anna", "int1,rol,70:114,anna", "int1,rol,34:114,bram",
        "int1,kracht,177:212,anna", "int1,kracht,194:212,bram",
    ])  # fmt: skip
    data, rows = agreement(project, "--coders", "anna,bram", "--transcript", "int1")
    units = sum(end - start for start, end in TURNS_1)
    assert units == 197 and rows[("code", "rol")]["units"] == units
    rol = rows[("code", "rol")]
    assert (rol["agreement"], rol["cohen_kappa"], rol["krippendorff_alpha"]) == (1.0, 1.0, 1.0)
    # kracht by hand: 18 both, 17 anna only, 0 bram only, 162 neither
    po = (18 + 162) / 197
    pe = (35 / 197) * (18 / 197) + (162 / 197) * (179 / 197)
    kracht = rows[("code", "kracht")]
    assert kracht["agreement"] == pytest.approx(po, abs=1e-6)
    assert kracht["cohen_kappa"] == pytest.approx((po - pe) / (1 - pe), abs=1e-6)
    first = [0] * 197
    second = [0] * 197
    for i in range(162, 197):  # the characters of turn 4 (177:212) are units 162..196
        first[i] = 1
    for i in range(162 + 17, 197):
        second[i] = 1
    assert kracht["krippendorff_alpha"] == pytest.approx(alpha([first, second]), abs=1e-6)
    # Overall: every (character, code) pair of the codes compared is one decision.
    compared = [r["code"] for r in data["rows"] if r["scope"] == "code"]
    assert sorted(compared) == ["kracht", "rol"]
    rol_first = [1 if 27 <= i < 27 + 80 else 0 for i in range(197)]  # 34:114: turn 2 starts at unit 27
    assert sum(rol_first) == 80
    overall = rows[("overall", "")]
    assert overall["units"] == 2 * 197
    assert overall["krippendorff_alpha"] == pytest.approx(alpha([rol_first + first, rol_first + second]), abs=1e-6)


def test_team_agreement_turns_three_coders_one_missing_in_a_transcript(project):
    """bram coded nothing in int2: his values there are missing, not 'absent'; no Cohen's kappa
    for three coders; percent agreement over the pairs of coders who both coded the unit."""
    code(project, [
        "int1,kracht,177:212,anna", "int1,kracht,177:212,bram", "int1,rol,34:60,bram",
        "int2,kracht,18:30,anna", "int1,rol,34:60,cas", "int2,rol_cjg,18:30,cas",
    ])  # fmt: skip
    data, rows = agreement(project, "--coders", "anna,bram,cas", "--unit", "turn")
    assert data["transcripts"] == ["int1", "int2"] and rows[("code", "kracht")]["units"] == 6
    nan = float("nan")

    def matrix(anna, bram, cas):  # units: int1's turns 1-4, int2's turns 1-2
        rows = []
        for coded in (anna, bram, cas):
            rows.append([1 if u in coded else 0 for u in range(6)])
        rows[1][4:] = [nan, nan]
        return rows

    kracht = rows[("code", "kracht")]
    assert kracht["cohen_kappa"] is None
    assert kracht["krippendorff_alpha"] == pytest.approx(alpha(matrix({3, 5}, {3}, set())), abs=1e-6)
    # pairs: int1 4 units x 3 pairs, int2 2 units x 1 pair (anna-cas) = 14; disagreeing: turn 4 of
    # int1 with cas (2 pairs), turn 2 of int2 (1 pair)
    assert kracht["agreement"] == pytest.approx(11 / 14, abs=1e-6)
    rol = rows[("code", "rol")]
    assert rol["krippendorff_alpha"] == pytest.approx(alpha(matrix(set(), {1}, {1})), abs=1e-6)
    cjg = rows[("code", "rol_cjg")]
    assert cjg["krippendorff_alpha"] == pytest.approx(alpha(matrix(set(), set(), {5})), abs=1e-6)


def test_team_agreement_segments_adjacent_spans_against_one(project):
    """MAXQDA's criterion: anna's two adjacent parts cover 45% and 55% of bram's span: unmatched at
    the default 90%, matched at --overlap 45; kappa after Brennan & Prediger with q = 2 codes."""
    code(project, [
        "int1,rol,34:70,anna", "int1,rol,70:114,anna", "int1,rol,34:114,bram",
        "int1,kracht,177:212,anna", "int1,kracht,177:212,bram",
    ])  # fmt: skip
    _, rows = agreement(project, "--coders", "anna,bram", "--unit", "segment")
    overall = rows[("overall", "")]
    counts = [overall[k] for k in ("anna_segments", "anna_matched", "bram_segments", "bram_matched")]
    assert counts == [3, 1, 2, 1]
    assert overall["agreement"] == pytest.approx(2 / 5)
    assert overall["kappa_bp"] == pytest.approx((2 / 5 - 1 / 2) / (1 - 1 / 2))
    _, rows = agreement(project, "--coders", "anna,bram", "--unit", "segment", "--overlap", "45")
    overall = rows[("overall", "")]
    assert [overall[k] for k in ("anna_matched", "bram_matched")] == [3, 2]
    assert (overall["agreement"], overall["kappa_bp"]) == (1.0, 1.0)
