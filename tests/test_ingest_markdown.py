"""Markdown read as Markdown: no markup in turns, the title block is structure, offsets sound."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.ingest import read_transcript
from qualcode.model import Transcript


def read(tmp_path: Path, text: str) -> Transcript:
    path = tmp_path / "interview.md"
    path.write_text(text, encoding="utf-8")
    return read_transcript(path)


def turns(t: Transcript) -> list[tuple[str | None, str]]:
    for turn in t.turns:
        assert 0 <= turn.start < turn.end <= len(t.text)
    return [(turn.speaker, t.text[turn.start : turn.end]) for turn in t.turns]


TRANSCRIPT = """\
---
respondent_type: professional
---
# Interview 3

> **Interview 3** — gemeente Utrecht
> Respondent: R3
> Interviewer: Anna

**I:** Hoe \\*echt\\* was het? Zeg het *eerlijk*.

**R3:** Nou, het was &amp; bleef __lastig__.
- eerst de school
- dan het CJG

1990. Toen begon het.

> En toen zei de juf: "kom maar".

I: En [naam](geanonimiseerd) dan?

R3: Die zei `niks` en <gelach> lachte.
"""


def test_markdown_markup_stays_out_of_turns(tmp_path: Path) -> None:
    t = read(tmp_path, TRANSCRIPT)
    assert t.attributes == {"respondent_type": "professional"}
    assert turns(t) == [
        ("I", "Hoe *echt* was het? Zeg het eerlijk."),
        (
            "R3",
            'Nou, het was & bleef lastig.\n\neerst de school\ndan het CJG\n\n1990. Toen begon het.\n\nEn toen zei de juf: "kom maar".',
        ),
        ("I", "En [naam](geanonimiseerd) dan?"),
        ("R3", "Die zei niks en <gelach> lachte."),
    ]
    assert t.warnings == []


def test_markdown_title_block_is_structure_not_a_turn(tmp_path: Path) -> None:
    t = read(tmp_path, TRANSCRIPT)
    assert t.text.startswith("# Interview 3\n\nInterview 3 — gemeente Utrecht\nRespondent: R3\nInterviewer: Anna\n\nI: ")
    assert "Respondent" not in {turn.speaker for turn in t.turns}
    assert all("Anna" not in text for _, text in turns(t))


def test_markdown_quotes_that_are_the_whole_transcript_are_turns(tmp_path: Path) -> None:
    t = read(tmp_path, "> I: Hoe gaat het?\n>\n> R: Goed.\n")
    assert turns(t) == [("I", "Hoe gaat het?"), ("R", "Goed.")]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("I: a \\_b\\_ c\nR: d", [("I", "a _b_ c"), ("R", "d")]),
        ("* I: een\n* R: twee\n", [("I", "een"), ("R", "twee")]),
        ("+ I: een\n\n+ R: twee\n", [("I", "een"), ("R", "twee")]),
        ("I: regel een  \nregel twee\\\nregel drie\nR: ja", [("I", "regel een\nregel twee\nregel drie"), ("R", "ja")]),
        ("I: Snake_case_woord en 2*3*4\nR: ja", [("I", "Snake_case_woord en 234"), ("R", "ja")]),
        ("I: mevrouw *** zei dat\nR: ja", [("I", "mevrouw *** zei dat"), ("R", "ja")]),
        ("I: Café &eacute; &#233; &#x1F600;\nR: ja", [("I", "Café é é 😀"), ("R", "ja")]),
        ("[lacht]: ja\n\nI: hoi\nR: ja", [("I", "hoi"), ("R", "ja")]),
    ],
    ids=["escapes", "star-list", "loose-plus-list", "hard-breaks", "intraword", "stars", "entities", "reference-like"],
)
def test_markdown_family(tmp_path: Path, source: str, expected: list) -> None:
    assert turns(read(tmp_path, source)) == expected


def test_markdown_text_before_the_first_label_is_reported_with_file_lines(tmp_path: Path) -> None:
    t = read(tmp_path, "---\nx: 1\n---\n\nEen inleiding\nover twee regels.\n\n**I:** Hoi.\n\n**R:** Dag.\n")
    assert t.warnings == ["lines 5-6 are not part of any speaker turn (text before the first speaker label or after a heading)"]
    assert "[lacht]: ja" in read(tmp_path, "[lacht]: ja\n\nI: hoi\nR: ja").text  # a link definition is words here


def test_markdown_code_blocks_and_html_keep_their_words(tmp_path: Path) -> None:
    # An HTML block is kept as written: "<gelach>" alone on a line is one, and it is words.
    t = read(tmp_path, "I: hoi\n\n    R: ingesprongen antwoord\n\n<gelach>\n\n```\nI: in een fence\n```\n")
    assert turns(t) == [("I", "hoi"), ("R", "ingesprongen antwoord\n\n<gelach>"), ("I", "in een fence")]


def test_markdown_combining_marks_split_by_markup_are_normalised(tmp_path: Path) -> None:
    t = read(tmp_path, "I: e*\u0301*n\nR: ja\n")
    assert turns(t)[0] == ("I", "én")
