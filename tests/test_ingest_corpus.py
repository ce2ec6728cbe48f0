"""Real Dutch transcripts from /work/shared/corpus-nl (read in place, never copied)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qualcode.ingest import read_transcript
from qualcode.model import Transcript

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus-nl"

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"real-transcript corpus not found at {CORPUS}")


def read(prefix: str, suffix: str) -> Transcript:
    matches = sorted(CORPUS.glob(f"{prefix}*{suffix}"))
    if not matches:
        pytest.skip(f"no {prefix}*{suffix} in {CORPUS}")
    t = read_transcript(matches[0])
    previous_end = 0
    for number, turn in enumerate(t.turns, start=1):
        assert turn.index == number
        assert previous_end <= turn.start < turn.end <= len(t.text)
        content = t.text[turn.start : turn.end]
        assert content == content.strip()
        previous_end = turn.end
    return t


def test_ingest_corpus_01_capital_labels_alone_on_their_line() -> None:
    t = read("01_", ".txt")
    assert len(t.turns) == 32
    assert [turn.speaker for turn in t.turns] == ["INTERVIEWER", "MARVIN"] * 16
    assert t.text[t.turns[0].start : t.turns[0].end] == "Zou je iets willen vertellen over de stage die je nu loopt?"
    # The title block is not a turn, and no turn swallows a label.
    assert "VERSIE 0.2" not in "".join(t.text[x.start : x.end] for x in t.turns)
    assert all("\nINTERVIEWER\n" not in t.text[x.start : x.end] for x in t.turns)


def test_ingest_corpus_02_markdown_monologue_one_turn_per_paragraph() -> None:
    t = read("02_", ".md")
    paragraphs = [p for p in re.split(r"\n\s*\n", t.text) if p.strip() and not p.lstrip().startswith("#")]
    # The title block (a blockquote with '\' line breaks) is read as Markdown: structure, not a turn.
    assert paragraphs[0] == "Marvin Zwolsman\n2 Jan. 2019\nVersie 1.0\nFinal"
    assert [t.text[x.start : x.end] for x in t.turns] == paragraphs[1:]
    assert {turn.speaker for turn in t.turns} == {None}
    assert not any(mark in t.text[x.start : x.end] for x in t.turns for mark in ("#", "\\", "> "))


def test_ingest_corpus_03_parliament_speakers() -> None:
    t = read("03_", ".txt")
    assert len(t.turns) == 25
    speakers = {turn.speaker for turn in t.turns}
    assert {"De voorzitter", "Mevrouw Bergkamp (D66)", "Minister De Jonge", "De heer Hijink (SP)"} <= speakers
    motion = next(t.text[x.start : x.end] for x in t.turns if x.speaker == "Mevrouw Bergkamp (D66)")
    assert "constaterende dat" in motion and motion.endswith("en gaat over tot de orde van de dag.")


def test_ingest_corpus_07b_vtt_single_voice_merges_into_one_turn() -> None:
    t = read("07b_", ".vtt")
    assert len(t.turns) == 1
    turn = t.turns[0]
    assert turn.speaker == "test_spk"
    assert (turn.time_start, turn.time_end) == (0.5, 101.397)
    content = t.text[turn.start : turn.end]
    cues = re.findall(r"<v test_spk>(.*)", CORPUS.joinpath(next(p.name for p in CORPUS.glob("07b_*.vtt"))).read_text())
    assert len(cues) == 9
    assert content == "\n".join(c.strip() for c in cues)


def test_ingest_corpus_08_focus_group_one_turn_per_line() -> None:
    t = read("08_", ".txt")
    assert len(t.turns) == 71
    speakers = {turn.speaker for turn in t.turns}
    assert speakers == {"Begeleider 1", "Begeleider 2"} | {f"Leerling {n}" for n in range(1, 7)}
