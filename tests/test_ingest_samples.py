"""The sample project's own transcripts (transcripts/) import cleanly, with the intended speakers."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.errors import Report
from qualcode.ingest import expand_paths, lookup_attributes, read_attributes_csv, read_transcript

SAMPLES = Path(__file__).resolve().parents[1] / "transcripts"

EXPECTED = {  # turns and speakers, counted by hand from the files
    "01_al_amal_vrijwilliger.txt": (28, {"I", "R"}),
    "02_cjg_wijkcoach.txt": (36, {"Interviewer", "Respondent"}),
    "03_focusgroep_sleutelpersonen.txt": (49, {"Moderator", "P1", "P2", "P3", "P4", "P5"}),
    "04_huis_van_het_kind_gent.vtt": (30, {"Interviewer", "Respondent"}),
    "05_opvoedingswinkel_antwerpen.docx": (32, {"Interviewer", "Mevrouw De Smet"}),
    "06_zelforganisatie_eritrees.md": (28, {"INTERVIEWER", "MEVROUW A"}),
}

EXPECTED_SPEAKERS = {
    "01_al_amal_vrijwilliger.txt": {"I", "R"},
    "02_cjg_wijkcoach.txt": {"Interviewer", "Respondent"},
    "03_focusgroep_sleutelpersonen.txt": {"Moderator", "P1", "P2", "P3", "P4", "P5"},
    "04_huis_van_het_kind_gent.vtt": {"Interviewer", "Respondent"},
    "06_zelforganisatie_eritrees.md": {"INTERVIEWER", "MEVROUW A"},
}


def sample(name: str) -> Path:
    path = SAMPLES / name
    if not path.is_file():
        pytest.skip(f"sample transcript {name} not present")
    return path


@pytest.mark.parametrize(("name", "speakers"), sorted(EXPECTED_SPEAKERS.items()))
def test_ingest_samples_speakers(name: str, speakers: set[str]) -> None:
    t = read_transcript(sample(name))
    assert {turn.speaker for turn in t.turns} == speakers
    assert len(t.turns) >= 10
    assert t.warnings == []


@pytest.mark.parametrize(("name", "expected"), sorted(EXPECTED.items()))
def test_ingest_samples_turn_counts(name: str, expected: tuple[int, set[str]]) -> None:
    t = read_transcript(sample(name))
    assert (len(t.turns), {turn.speaker for turn in t.turns}) == expected
    assert 600 <= t.word_count <= 2000


def test_ingest_samples_timestamps_in_02() -> None:
    t = read_transcript(sample("02_cjg_wijkcoach.txt"))
    times = [turn.time_start for turn in t.turns]
    assert None not in times
    assert times == sorted(times)


def test_ingest_samples_docx_has_interviewer_and_one_respondent() -> None:
    t = read_transcript(sample("05_opvoedingswinkel_antwerpen.docx"))
    speakers = {turn.speaker for turn in t.turns}
    assert "Interviewer" in speakers and len(speakers) == 2


def test_ingest_samples_attributes_cover_every_transcript() -> None:
    if not SAMPLES.is_dir():
        pytest.skip("no transcripts/ directory")
    report = Report()
    transcripts, sidecars = expand_paths([SAMPLES], report)
    if not sidecars:
        pytest.skip("no attributes.csv in transcripts/")
    table = read_attributes_csv(sidecars[0])
    for path in transcripts:
        assert lookup_attributes(table, path), f"{path.name} has no row in attributes.csv"
