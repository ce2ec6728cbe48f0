"""A tiny project whose statistics are worked out by hand in the tests.

Codebook: ``rol`` (children ``rol_org``, ``rol_prof``), ``kracht``, folder ``map``
(child ``sub``); plus ``oud``, a code that left the codebook but keeps one coding.

t1 (type=org, 23 words)::

    I: Wat doet u?                                          turn 1 (3 words)
    R: Wij helpen ouders. Café “De Brug” is ons thuis.      turn 2 (9 words)
    I: En het CJG?                                          turn 3 (3 words)
    R: Het CJG verwijst door. Soms – niet altijd.           turn 4 (8 words)

    c1 rol_org  "Wij helpen ouders."                  18 chars, 3 words
    c2 rol_prof "helpen ouders. Café “De Brug”"       29 chars, 5 words (overlaps c1 and c3)
    c3 kracht   "Café “De Brug” is ons thuis."        28 chars, 6 words
    c4 rol_org  "Het CJG verwijst door."              22 chars, 4 words
    c8 kracht   "Het CJG verwijst door."              the same span as c4
    c5 oud      "Soms – niet altijd."                 19 chars, 4 words (code missing)

t2 (type=prof, 10 words), with timestamps::

    I: Wat verwacht u?                                      turn 1 (3 words), 0.0-5.5 s
    R: -Ja, "zeker"; toch?                                  turn 2 (7 words, two lines), 5.5-30.25 s
    Tweede regel, met komma.

    c6 kracht   the whole of turn 2                    44 chars, 7 words; memo starts with "="
    c7 rol_prof "Tweede regel"                         12 chars, 2 words (inside c6)

t3 (type=prof, 4 words) and t4 (type=gemengd, 3 words) have no codings.
"""

from __future__ import annotations

from pathlib import Path

from qualcode.codebook import load_codebook
from qualcode.model import Transcript, Turn
from qualcode.project import Project
from qualcode.store import Store

CODEBOOK = """\
title: Toets
codes:
  - id: rol
    name: Rolverwachtingen
    children:
      - id: rol_org
        name: Rol van de organisatie
      - id: rol_prof
        name: Rol van de professional
  - id: kracht
    name: Eigen kracht
  - id: map
    name: Map
    codable: false
    children:
      - id: sub
        name: Sub
"""

T1 = (
    "I: Wat doet u?\n"
    "R: Wij helpen ouders. Café “De Brug” is ons thuis.\n"
    "I: En het CJG?\n"
    "R: Het CJG verwijst door. Soms – niet altijd.\n"
)
T2 = 'I: Wat verwacht u?\nR: -Ja, "zeker"; toch?\nTweede regel, met komma.\n'
T3 = "I: Hallo?\nR: Geen codes hier.\n"
T4 = "I: Dag.\nR: Tot ziens.\n"
MEMO = '=HYPERLINK("http://example.org")'


def _turns(text: str, times: list[tuple[float | None, float | None]] | None = None) -> list[Turn]:
    """Turns from 'X: ' labels at line starts; a line without a label continues the turn."""
    turns: list[Turn] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        content = line.rstrip("\n")
        if content[:3] in ("I: ", "R: "):
            speaker = content[0]
            role = "interviewer" if speaker == "I" else "respondent"
            turns.append(Turn(len(turns) + 1, speaker, offset + 3, offset + len(content), role=role))
        else:
            turns[-1].end = offset + len(content)
        offset += len(line)
    for turn, (start, end) in zip(turns, times or [], strict=False):
        turn.time_start, turn.time_end = start, end
    return turns


def _span(text: str, quote: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(quote, start + 1)
    return start, start + len(quote)


def open_project(root: Path) -> Project:
    """Build the project in ``root`` and open it, codebook loaded ('oud' is then missing)."""
    project = Project.open(build(root))
    project.reload_codebook()
    return project


def build(root: Path) -> Path:
    """Write the project (codebook YAML and qualcode.db) into ``root``; return root."""
    (root / "codebooks").mkdir(parents=True)
    (root / "codebooks" / "toets.yaml").write_text(CODEBOOK, encoding="utf-8")
    book = load_codebook(root / "codebooks" / "toets.yaml")
    with Store(root / "qualcode.db") as store:
        store.codes.sync(book)
        store.codes.ensure("oud", "Oude code")  # in the store, not in the codebook
        ids = {}
        for name, text, attrs, times in (
            ("t1", T1, {"type": "org"}, None),
            ("t2", T2, {"type": "prof"}, [(0.0, 5.5), (5.5, 30.25)]),
            ("t3", T3, {"type": "prof"}, None),
            ("t4", T4, {"type": "gemengd"}, None),
        ):
            ids[name] = store.transcripts.add(Transcript(name, text, _turns(text, times), attrs))
        t1, t2 = ids["t1"], ids["t2"]
        add = store.codings.add
        add(t1, *_span(T1, "Wij helpen ouders."), "rol_org", "anna")
        add(t1, *_span(T1, "helpen ouders. Café “De Brug”"), "rol_prof", "anna")
        add(t1, *_span(T1, "Café “De Brug” is ons thuis."), "kracht", "bram")
        add(t1, *_span(T1, "Het CJG verwijst door."), "rol_org", "anna")
        add(t1, *_span(T1, "Soms – niet altijd."), "oud", "anna")
        add(t2, *_span(T2, '-Ja, "zeker"; toch?\nTweede regel, met komma.'), "kracht", "anna", memo=MEMO)
        add(t2, *_span(T2, "Tweede regel"), "rol_prof", "anna", origin="suggested")
        add(t1, *_span(T1, "Het CJG verwijst door."), "kracht", "bram")
    return root
