"""Team commands through click's runner: coders, blind, agreement, disagreements."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from test_cli import CODEBOOK, TRANSCRIPT

from qualcode.cli import main

RESPONSE = TRANSCRIPT.index("Wij verwachten")
SENTENCE_END = TRANSCRIPT.index("serieus nemen.") + len("serieus nemen.")
KRACHT = TRANSCRIPT.index("De ouders hebben")


@pytest.fixture
def team(tmp_path, runner) -> Path:
    """One transcript coded by anna and bram: they differ in boundaries and in one code."""
    root = tmp_path / "studie"
    assert runner.invoke(main, ["init", str(root)]).exit_code == 0
    (root / "codebooks" / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    (root / "transcripts" / "int1.txt").write_text(TRANSCRIPT, encoding="utf-8")
    assert runner.invoke(main, ["--project", str(root), "import", str(root / "transcripts")]).exit_code == 0
    for coder, code, span in [
        ("anna", "rol", f"{RESPONSE}:{SENTENCE_END}"),
        ("bram", "rol", f"{RESPONSE + 4}:{SENTENCE_END}"),
        ("anna", "kracht", f"{KRACHT}:{KRACHT + 20}"),
    ]:
        result = runner.invoke(main, ["--project", str(root), "--coder", coder, "code", "int1", code, "--span", span])
        assert result.exit_code == 0, result.output
    return root


def run(runner, root, *args, coder="anna"):
    return runner.invoke(main, ["--project", str(root), "--coder", coder, *args])


def test_team_cli_coders_lists_counts_per_transcript(runner, team):
    result = run(runner, team, "coders", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows == [["coder", "transcript", "codings"], ["anna", "int1", "2"], ["bram", "int1", "1"]]
    assert "you code as 'anna'" in result.stderr


def test_team_cli_agreement_json_states_the_unit(runner, team):
    result = run(runner, team, "agreement", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["unit"] == "character" and data["coders"] == ["anna", "bram"]
    assert "Unit: character" in data["statement"]
    overall = next(r for r in data["rows"] if r["scope"] == "overall")
    assert 0 < overall["agreement"] < 1
    assert {r["code"] for r in data["rows"] if r["scope"] == "code"} == {"rol", "kracht"}


def test_team_cli_agreement_table_shows_undefined_and_the_statement(runner, team):
    result = run(runner, team, "agreement", "--unit", "turn", "--code", "kracht")
    assert result.exit_code == 0, result.stderr
    # Per turn: only anna applied kracht (one turn of four): kappa is 0, alpha defined.
    assert "Unit: speaker turn" in result.stdout
    csv_out = run(runner, team, "agreement", "--unit", "segment", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(csv_out.stdout)))
    rol = next(r for r in rows if r["code"] == "rol")
    assert rol["kappa_bp"] == "NA"  # one code alone: Brennan & Prediger's kappa is undefined
    assert rol["anna_segments"] == "1" and rol["anna_matched"] == "1"  # 4 chars of 46 off: > 90 %
    assert "at least 90%" in csv_out.stderr


def test_team_cli_agreement_bad_input_is_a_clear_error(runner, team):
    result = run(runner, team, "agreement", "--coders", "anna,cor")
    assert result.exit_code == 1
    assert "no coder 'cor'" in result.stderr and "anna, bram" in result.stderr
    result = run(runner, team, "agreement", "--unit", "segment", "--overlap", "0")
    assert result.exit_code == 1 and "--overlap 0" in result.stderr and "percentage from 1 to 100" in result.stderr
    result = run(runner, team, "agreement", "--coders", "anna")
    assert result.exit_code == 1 and "at least two" in result.stderr
    assert "Traceback" not in result.output


def test_team_cli_disagreements_lists_both_versions(runner, team):
    result = run(runner, team, "disagreements", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["kind"], r["anna"], r["bram"]) for r in rows] == [
        ("boundaries", f"rol {RESPONSE}:{SENTENCE_END}", f"rol {RESPONSE + 4}:{SENTENCE_END}"),
        ("only-first", f"kracht {KRACHT}:{KRACHT + 20}", "-"),
    ]
    assert rows[0]["text"].startswith("Wij verwachten")
    assert "2 disagreement(s) between anna and bram, 0 settled" in result.stderr


def test_team_cli_disagreements_say_which_transcripts_one_coder_alone_coded(runner, team, tmp_path):
    """A transcript only anna coded is not compared (bram has not started there): the listing
    says so, with the transcript and the coder; it left out her codings there without a word."""
    second = tmp_path / "int2.txt"
    second.write_text("I: Nog iets?\nR: Nee, dat was het wel. Dank u.\n", encoding="utf-8")
    assert run(runner, team, "import", str(second)).exit_code == 0
    assert run(runner, team, "code", "int2", "kracht", "--turn", "2").exit_code == 0
    result = run(runner, team, "disagreements", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert {r["transcript"] for r in csv.DictReader(io.StringIO(result.stdout))} == {"int1"}
    assert "left out, 1 transcript(s) coded by one of them only (the other has not started there): int2 (anna)" in (result.stderr)
    result = run(runner, team, "disagreements", "--transcript", "int1")
    assert "left out" not in result.stderr


def test_team_cli_disagreements_of_a_team_of_three_ask_which_two(runner, team):
    """A third coder: disagreements and settle say they compare two at a time and how to name
    them (it said 'needs at least two of them' while four were there)."""
    assert run(runner, team, "code", "int1", "kracht", "--span", f"{KRACHT}:{KRACHT + 20}", coder="cor").exit_code == 0
    for args in (["disagreements"], ["settle", "abc", "--keep", "first"]):
        result = run(runner, team, *args)
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert "at least two" not in result.stderr
        assert "two coders at a time, not 3 (anna, bram, cor)" in result.stderr
        assert "--coders anna,bram" in result.stderr
    result = run(runner, team, "disagreements", "--coders", "anna,bram,cor")
    assert result.exit_code == 1 and "not 3 (anna, bram, cor)" in result.stderr
    result = run(runner, team, "disagreements", "--coders", "bram,cor", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert "between bram and cor" in result.stderr


def test_team_cli_blind_mode_hides_other_coders_in_listings(runner, team):
    assert "blind mode on" in run(runner, team, "blind", "on").stdout
    listed = run(runner, team, "codings", "--format", "csv", coder="bram")
    coders = {r["coder"] for r in csv.DictReader(io.StringIO(listed.stdout))}
    assert coders == {"bram"} and "blind mode" in listed.stderr
    assert "blind mode off" in run(runner, team, "blind", "off").stdout
    listed = run(runner, team, "codings", "--format", "csv", coder="bram")
    assert {r["coder"] for r in csv.DictReader(io.StringIO(listed.stdout))} == {"anna", "bram"}


def test_team_cli_settle_keep_span_undo_and_recompute(runner, team):
    listed = list(csv.DictReader(io.StringIO(run(runner, team, "disagreements", "--format", "csv").stdout)))
    boundaries, only_anna = listed[0]["key"], listed[1]["key"]
    result = run(runner, team, "settle", boundaries, "--keep", "second")
    assert result.exit_code == 0, result.stderr
    assert "1 coding(s) for 'consensus'" in result.stderr and "1 disagreement(s) left" in result.stderr
    result = run(runner, team, "settle", only_anna, "--span", f"{KRACHT}:{KRACHT + 10}")
    assert result.exit_code == 0, result.stderr
    consensus = run(runner, team, "codings", "--format", "csv")
    rows = [r for r in csv.DictReader(io.StringIO(consensus.stdout)) if r["coder"] == "consensus"]
    assert sorted((r["code"], int(r["start"]), int(r["end"])) for r in rows) == [
        ("kracht", KRACHT, KRACHT + 9),  # "De ouders " trimmed like any coded span
        ("rol", RESPONSE + 4, SENTENCE_END),
    ]
    listed = list(csv.DictReader(io.StringIO(run(runner, team, "disagreements", "--format", "csv").stdout)))
    assert [r["settled"] for r in listed] == ["second", "adjusted"]
    # Agreement against the consensus coder.
    data = json.loads(run(runner, team, "agreement", "--coders", "bram,consensus", "--format", "json").stdout)
    assert data["coders"] == ["bram", "consensus"]
    result = run(runner, team, "settle", only_anna, "--undo")
    assert "undone: 1 consensus coding(s) removed" in result.stderr
    result = run(runner, team, "settle", "nope", "--keep", "first")
    assert result.exit_code == 1 and "no disagreement 'nope'" in result.stderr
    result = run(runner, team, "settle", boundaries)
    assert result.exit_code == 2  # usage: one of --keep, --span, --undo


def test_team_cli_coder_filter_on_listings_exports_and_stats(runner, team):
    listed = run(runner, team, "codings", "--coders", "bram", "--format", "csv")
    assert {r["coder"] for r in csv.DictReader(io.StringIO(listed.stdout))} == {"bram"}
    exported = run(runner, team, "export", "segments", "--coders", "anna")
    assert exported.exit_code == 0, exported.stderr
    assert {r["coder"] for r in csv.DictReader(io.StringIO(exported.stdout))} == {"anna"}
    assert "counting the codings of: anna" in exported.stderr
    stats = run(runner, team, "stats", "frequencies", "--format", "csv")
    assert stats.exit_code == 0, stats.stderr
    assert "2 coders (anna, bram)" in stats.stderr and "--coders" in stats.stderr
    only = run(runner, team, "stats", "frequencies", "--coders", "bram", "--format", "json")
    assert "counting the codings of: bram" in only.stderr
    wrong = run(runner, team, "stats", "cooccurrence", "--coders", "cor")
    assert wrong.exit_code == 1 and "no coder 'cor'" in wrong.stderr


def test_team_cli_the_several_coders_note_says_what_the_figures_count(runner, team):
    """anna and bram coded one sentence with rol: codings 2, segments 1, and bram's rol overlaps
    anna's: the note said 'a passage two coders coded counts once per coder' for every
    command, true of the codings only."""
    assert run(runner, team, "code", "int1", "kracht", "--span", f"{RESPONSE}:{RESPONSE + 20}", coder="bram").exit_code == 0
    freq = run(runner, team, "stats", "frequencies", "--format", "csv")
    row = next(r for r in csv.DictReader(io.StringIO(freq.stdout)) if r["code_id"] == "rol")
    assert (row["codings"], row["segments"]) == ("2", "1")
    assert "once per coder" not in freq.stderr
    assert "codings count each coder's coding, segments, words and coverage count text" in freq.stderr
    pairs = run(runner, team, "stats", "cooccurrence", "--format", "csv")
    row = next(r for r in csv.DictReader(io.StringIO(pairs.stdout)) if r["code_id"] == "rol")
    assert row["kracht"] == "2"  # anna's rol and bram's rol, each with bram's kracht
    assert "also when two coders made them" in pairs.stderr
    turns = run(runner, team, "stats", "cooccurrence", "--unit", "turn", "--format", "csv")
    assert "whichever coders coded them" in turns.stderr
    long = run(runner, team, "export", "segments")
    assert "a row per coding" in long.stderr
    wide = run(runner, team, "export", "segments", "--wide")
    assert "1 where any of them coded it" in wide.stderr


def test_team_cli_listings_for_the_report_take_excel(runner, team):
    """The agreement figures, disagreements, quotes (codings) and transcripts open in Dutch
    Excel as the statistics do: BOM, ';', decimal commas. They had only RFC 4180 CSV, which
    Excel opens in one column, with 'één' garbled and 0.75 read as 75."""
    assert run(runner, team, "memo", "1", "één; twee").exit_code == 0
    for args in (
        ["agreement", "--unit", "turn"],
        ["disagreements"],
        ["codings"],
        ["transcripts"],
    ):
        result = run(runner, team, *args, "--excel")
        assert result.exit_code == 0, (args, result.output)
        assert result.stdout.startswith("\ufeff"), args
        header = result.stdout[1:].splitlines()[0]
        assert ";" in header and "," not in header, args
    figures = run(runner, team, "agreement", "--unit", "turn", "--excel").stdout
    overall = next(line for line in figures.splitlines() if line.startswith("overall"))
    assert "," in overall and "." not in overall  # decimal commas
    quotes = run(runner, team, "codings", "--excel").stdout
    assert '"één; twee"' in quotes  # the memo whole, in one cell
    result = run(runner, team, "agreement", "--excel", "--format", "json")
    assert result.exit_code == 2 and "--excel writes CSV" in result.output


def test_team_cli_comparing_with_one_coder_says_how_a_second_one_comes_in(runner, tmp_path):
    """One coder so far: the hint said 'name them with --coders A,B (coders in this project:
    anna)', which no --coders can satisfy; it says how a second coder's codings come in."""
    root = tmp_path / "alleen"
    assert runner.invoke(main, ["init", str(root)]).exit_code == 0
    (root / "codebooks" / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    (root / "transcripts" / "int1.txt").write_text(TRANSCRIPT, encoding="utf-8")
    assert runner.invoke(main, ["--project", str(root), "import", str(root / "transcripts")]).exit_code == 0
    for args in (["agreement"], ["disagreements"]):
        result = run(runner, root, *args)
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert "0 coded in this project so far" in result.stderr and "--coder NAME" in result.stderr
    assert run(runner, root, "code", "int1", "rol", "--span", f"{RESPONSE}:{SENTENCE_END}").exit_code == 0
    result = run(runner, root, "agreement")
    assert result.exit_code == 1
    assert "1 coded in this project so far (anna)" in result.stderr and "qualcode merge" in result.stderr
    assert "--coders A,B" not in result.stderr


def test_team_cli_settle_span_wider_than_the_disagreement_is_said_and_into_other_turns_refused(runner, team):
    """`settle --span` took any span that shared text with the disagreement: '...:2000' typed for
    '...:200' coded the interviewer's next question and more as consensus, and said only
    'settled (adjusted): 3 coding(s)'."""
    listed = list(csv.DictReader(io.StringIO(run(runner, team, "disagreements", "--format", "csv").stdout)))
    boundaries = listed[0]["key"]  # rol: anna from RESPONSE, bram from RESPONSE + 4, to SENTENCE_END
    end_of_text = len(TRANSCRIPT.rstrip())
    result = run(runner, team, "settle", boundaries, "--span", f"{RESPONSE}:{end_of_text}")
    assert result.exit_code == 1
    assert "reaches beyond the turn(s) of disagreement" in result.stderr and "add --wider" in result.stderr
    consensus = [r for r in csv.DictReader(io.StringIO(run(runner, team, "codings", "--format", "csv").stdout))]
    assert not [r for r in consensus if r["coder"] == "consensus"]  # nothing written
    # Within its turn the team may widen it: said, with how far.
    turn_end = TRANSCRIPT.index("kennen.") + len("kennen.")
    result = run(runner, team, "settle", boundaries, "--span", f"{RESPONSE}:{turn_end}")
    assert result.exit_code == 0, result.stderr
    assert f"0 character(s) before, {turn_end - SENTENCE_END} after" in result.stderr
    result = run(runner, team, "settle", boundaries, "--span", f"{RESPONSE}:{SENTENCE_END}")
    assert result.exit_code == 0 and "beyond" not in result.stderr  # the disagreement's own span: nothing to say
    result = run(runner, team, "settle", boundaries, "--span", f"{RESPONSE}:{end_of_text}", "--wider")
    assert result.exit_code == 0, result.stderr
    assert "3 coding(s) for 'consensus'" in result.stderr and "beyond disagreement" in result.stderr
    assert run(runner, team, "settle", boundaries, "--keep", "first", "--wider").exit_code == 2  # --wider goes with --span
