"""Page numbers, running footers and a header block of 'Label: value' lines are not turns."""

from __future__ import annotations

import pytest

from qualcode.ingest import scan_turns


def said(text: str) -> list[tuple[str | None, str]]:
    return [(t.speaker, text[t.start : t.end]) for t in scan_turns(text).turns]


@pytest.mark.parametrize(
    "page_line",
    [
        "Pagina 1 van 3",
        "pagina 2",
        "Page 4 of 9",
        "- 2 -",
        "2",
        "  12  ",
        "3/10",
        "Blz. 5",
        "Vertrouwelijk – project X\t\tPagina 3",
    ],
)
def test_a_page_line_after_a_turn_is_left_out_of_it_with_a_warning(page_line: str) -> None:
    text = f"I: Hoe gaat het?\nR: Goed.\n{page_line}\nI: Fijn."
    assert said(text) == [("I", "Hoe gaat het?"), ("R", "Goed."), ("I", "Fijn.")]
    warnings = scan_turns(text).warnings
    assert any("line 3" in w and "page" in w for w in warnings), warnings


@pytest.mark.parametrize("answer", ["3", "12", "2/3"])
def test_a_number_alone_below_a_label_is_the_answer_not_a_page(answer: str) -> None:
    text = f"INTERVIEWER\nHoeveel kinderen heeft u?\n\nRESPONDENT\n{answer}\n\nINTERVIEWER\nEn hoe oud zijn ze?\n"
    assert said(text)[1] == ("RESPONDENT", answer)
    assert not any("page" in w for w in scan_turns(text).warnings)


def test_a_page_line_at_the_end_of_the_file_is_not_part_of_the_last_turn() -> None:
    text = "Moderator: Dank jullie wel.\nD1: Graag.\nModerator: Tot ziens.\n\nPagina 1 van 1\n"
    assert said(text)[-1] == ("Moderator", "Tot ziens.")


def test_a_page_line_inside_a_turn_stays_and_is_explained_with_its_line() -> None:
    text = "I: Wat gebeurde er?\nR: Ik kwam in een pleeggezin, later\nPagina 1\nwerd het permanent.\nI: Hoe was dat?"
    scan = scan_turns(text)
    assert [(t.speaker) for t in scan.turns] == ["I", "R", "I"]
    r = scan.turns[1]
    assert text[r.start : r.end].endswith("werd het permanent.")  # the continuation stays in the turn
    assert any("line 3" in w and "inside" in w for w in scan.warnings), scan.warnings


@pytest.mark.parametrize(
    "line",
    ["R: Dat staat op pagina 3", "Zie pagina 2 van het rapport.", "In 2015 kwam ik hier.", "12 jaar, denk ik."],
)
def test_text_that_mentions_a_page_or_a_number_is_still_part_of_the_turn(line: str) -> None:
    text = f"I: Waar staat dat?\nR: Eerst dit.\n{line}"
    turns = said(text)
    assert line.removeprefix("R: ") in turns[-1][1]


def test_page_lines_in_an_unlabelled_monologue_are_left_out() -> None:
    text = "Eerst vertel ik over mijn jeugd.\n\n- 2 -\n\nDaarna over mijn werk."
    assert said(text) == [(None, "Eerst vertel ik over mijn jeugd."), (None, "Daarna over mijn werk.")]


HEADER_IR = (
    "Transcript interview 4\nProject: Mantelzorg\nDatum: 12 maart 2024\n"
    "Interviewer: Sanne de Vries\nRespondent: R1 (vrouw, 54)\n\n"
    "I: Goedemiddag, kunt u zich voorstellen?\nR1: Ja hoor, ik ben Els.\nI: Dank u."
)
HEADER_FOCUS = (
    "Focusgroep 2\nModerator: Marloes, notulist: Kees\n\nModerator: Welkom allemaal.\nD1: Dank je.\nModerator: Wie begint?"
)
HEADER_WORD = (
    "Transcript interview 12\n\nInterviewer: Sanne de Vries\n\nRespondent: Els (R4)\n\nI: Hoe gaat het?\n\nR: Goed.\n\nI: Fijn."
)


@pytest.mark.parametrize(
    ("text", "first", "lines"),
    [
        (HEADER_IR, ("I", "Goedemiddag, kunt u zich voorstellen?"), "lines 1-5"),
        (HEADER_FOCUS, ("Moderator", "Welkom allemaal."), "lines 1-2"),
        (HEADER_WORD, ("I", "Hoe gaat het?"), "lines 1, 3, 5"),
    ],
)
def test_a_header_block_naming_who_took_part_is_not_a_turn(text: str, first: tuple[str, str], lines: str) -> None:
    scan = scan_turns(text)
    assert said(text)[0] == first
    assert "Sanne de Vries" not in scan.speakers and "Interviewer" not in scan.speakers
    assert any(w.startswith(lines) for w in scan.warnings), scan.warnings


@pytest.mark.parametrize(
    "text",
    [
        # the interview starts at once, without punctuation (speech recognition's style)
        "Interview 3\n\nI: goedemiddag\nR: hallo\nI: hoe gaat het",
        "Interview 3\nDatum: 3 mei\n\nI: Goedemiddag\nR: Hallo\nI: Hoe gaat het?",
        "I: Goedemiddag Els\nR: Goedemiddag.\nI: Hoe gaat het?",
        "Interviewer: Welkom\nRespondent: Dank je\nInterviewer: Zullen we?",
    ],
)
def test_short_opening_turns_stay_turns(text: str) -> None:
    turns = scan_turns(text).turns
    assert turns[0].speaker in ("I", "Interviewer")
    assert text[turns[0].start : turns[0].end] in ("goedemiddag", "Goedemiddag", "Goedemiddag Els", "Welkom")


def test_an_opening_turn_that_goes_on_below_is_no_header() -> None:
    text = "Titel\nInterviewer: Eerste regel\nloopt door\n\nRespondent: Antwoord.\nI: Dank u."
    assert said(text)[0] == ("Interviewer", "Eerste regel\nloopt door")


@pytest.mark.parametrize("dash", [" - ", " – ", " | "])
def test_a_name_then_a_dash_and_a_timestamp_is_a_label(dash: str) -> None:
    text = f"Sanne{dash}00:00:01\nGoedemiddag.\n\nPieter{dash}00:00:03\nHallo.\n\nSanne{dash}00:00:05\nZullen we?\n\nPieter{dash}00:00:07\nJa."
    turns = scan_turns(text).turns
    assert [(t.speaker, text[t.start : t.end], t.time_start) for t in turns][:2] == [
        ("Sanne", "Goedemiddag.", 1.0),
        ("Pieter", "Hallo.", 3.0),
    ]


def test_a_name_in_bold_on_its_own_paragraph_in_word_is_a_speaker(tmp_path) -> None:
    import docx

    from qualcode.ingest import read_transcript

    document = docx.Document()
    document.add_paragraph("Interview 5")
    for who, what in [
        ("Sanne", "Hoe vaak komt u hier?"),
        ("Marieke van Dam", "Elke dinsdag."),
        ("Sanne", "Waarom?"),
        ("Marieke van Dam", "De kaartclub."),
    ]:
        document.add_paragraph().add_run(who).bold = True
        document.add_paragraph(what)
    document.add_paragraph().add_run("Let wel").bold = True  # a bold phrase once: no speaker
    document.add_paragraph("Einde.")
    path = tmp_path / "vet.docx"
    document.save(path)
    t = read_transcript(path)
    assert [(turn.speaker, t.text[turn.start : turn.end]) for turn in t.turns][:3] == [
        ("Sanne", "Hoe vaak komt u hier?"),
        ("Marieke van Dam", "Elke dinsdag."),
        ("Sanne", "Waarom?"),
    ]
    assert {turn.speaker for turn in t.turns} == {"Sanne", "Marieke van Dam"}


def test_a_label_that_occurs_once_is_explained_with_its_line() -> None:
    text = "I: Wie woont er bij u?\nR: Mijn dochter.\nDochter: Ik ben hier even, hoor.\nR: Al twee jaar.\nI: Dank u."
    scan = scan_turns(text)
    assert [t.speaker for t in scan.turns] == ["I", "R", "R", "I"]
    assert any(w.startswith("line 3") and "'Dochter:'" in w for w in scan.warnings), scan.warnings


@pytest.mark.parametrize(
    "line", ["Nou: dat is lastig.", "Ze zei: Ik kom niet.", "Vaste lasten: huur en energie.", "Opmerking: Zie boven."]
)
def test_a_colon_in_what_was_said_gets_no_label_warning(line: str) -> None:
    text = f"I: Hoe gaat het?\nR: Goed.\n{line}\nI: Dank u."
    assert not any("once" in w for w in scan_turns(text).warnings)


def test_a_once_label_warning_names_what_to_do() -> None:
    text = "I: Wie?\nR: Mijn dochter.\nDochter Els:\nIk ben hier even.\nR: Ja.\nI: Dank u."
    scan = scan_turns(text)
    assert [t.speaker for t in scan.turns] == ["I", "R", "Dochter Els", "R", "I"]  # the fix the warning names works


def test_a_header_whose_values_are_the_speakers_labels_is_not_a_turn() -> None:
    text = (
        "Onderzoek X\nDatum interview: 14 mei\nInterviewer: IV\nRespondent: R07\nDuur: 52 minuten\nPagina 1 van 4\n\n"
        "INTERVIEWER\nFijn dat u tijd heeft.\nR07\nGraag.\nINTERVIEWER\nDank u.\nR07\nGraag gedaan."
    )
    scan = scan_turns(text)
    assert [t.speaker for t in scan.turns] == ["INTERVIEWER", "R07", "INTERVIEWER", "R07"]
    assert any(w.startswith("lines 3-4 name who took part") for w in scan.warnings), scan.warnings


@pytest.mark.parametrize("sep", [" ", "  ", " - "])
def test_a_timed_name_that_speaks_once_is_a_speaker_where_timed_names_are_the_labels(sep: str) -> None:
    text = (
        f"Sanne{sep}00:00:01\nGoedemiddag.\n\nPieter{sep}00:00:03\nHallo.\n\n"
        f"Sanne{sep}00:00:05\nZullen we beginnen?\n\nYusuf{sep}00:00:09\nJa."
    )
    assert [(s, t) for s, t in said(text)] == [
        ("Sanne", "Goedemiddag."),
        ("Pieter", "Hallo."),
        ("Sanne", "Zullen we beginnen?"),
        ("Yusuf", "Ja."),
    ]


def test_a_timed_name_line_once_in_a_colon_labelled_transcript_stays_text() -> None:
    text = "I: Wanneer was dat?\nR: Op een maandag.\nMaandag 10:00\nI: Dank u."
    assert [s for s, _ in said(text)] == ["I", "R", "I"]


def test_a_name_in_capitals_that_speaks_once_is_a_speaker_where_capital_names_are_the_labels() -> None:
    text = (
        "TRANSCRIPTIE INTERVIEW\n\nINTERVIEWER\nHoe gaat het?\n\nMARIEKE\nGoed.\n\n"
        "PARTNER\nZe is moe (lacht).\n\nINTERVIEWER\nDank u.\n\nMARIEKE\nGraag."
    )
    assert [s for s, _ in said(text)] == ["INTERVIEWER", "MARIEKE", "PARTNER", "INTERVIEWER", "MARIEKE"]


def test_a_name_taken_as_a_speaker_who_speaks_once_is_named_in_a_warning() -> None:
    text = (
        "INTERVIEWER\nWat vond u ervan?\n\nMARIEKE\nDat zeg ik je:\n\nNOOIT\n\nmeer.\n\nINTERVIEWER\nDank u.\n\nMARIEKE\nGraag."
    )
    assert any(w.startswith("line 7: 'NOOIT' speaks only once") for w in scan_turns(text).warnings)


def _pages(header: str, *, answer: str = "R: Nee.", below: str = "", pages: int = 4) -> str:
    body: list[str] = []
    for k in range(pages):
        body += [f"I: Vraag {k}a?", f"R: Antwoord {k}a, en", "dat gaat verder.", f"I: Vraag {k}b?", f"R: Antwoord {k}b."]
        body += ["I: Nog iets?", answer, below, "I: Oké?", "R: Nee.", header]
    return "\n".join(body) + "\nI: Einde?"


def test_a_running_header_without_a_page_number_on_every_page_is_left_out_with_a_warning() -> None:
    text = _pages("Project X – vertrouwelijk")
    scan = scan_turns(text)
    assert not any("vertrouwelijk" in text[t.start : t.end] for t in scan.turns)
    assert len(scan.turns) == 4 * 8 + 1
    assert any(
        w.startswith("lines 11, 22, 33, 44: 'Project X – vertrouwelijk' is repeated on every page") and "left out" in w
        for w in scan.warnings
    ), scan.warnings


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (_pages("Ja."), "Ja."),  # said: a sentence
        (_pages("Oké"), "Oké"),  # one word: an answer, not a title
        (_pages("Project X – vertrouwelijk", pages=2), "Project X – vertrouwelijk"),  # twice: no proof of pages
        ("\n\n".join(["R:\nKlopt helemaal\n", "I:\nEcht?\n", "R:\nKlopt helemaal\n", "I:\nZeker?\n"] * 3), "Klopt helemaal"),
    ],
    ids=["sentence", "one-word", "twice", "below-a-lone-label"],
)
def test_repeated_words_that_someone_says_stay_in_the_turns(text: str, kept: str) -> None:
    scan = scan_turns(text)
    assert sum(kept in text[t.start : t.end] for t in scan.turns) >= 2
    assert not any("repeated on every page" in w for w in scan.warnings)


@pytest.mark.parametrize(
    ("header", "named"),
    [
        ("Interviewer: Sanne de Vries", {"Sanne": "Interviewer: Sanne de Vries"}),
        ("Moderator: Sanne (UU), notulist: Kees", {"Sanne": "Moderator: Sanne (UU), notulist: Kees"}),
        ("Respondent: Sanne de Vries", {}),  # not the interviewer
        ("Interviewer: Pieter Smit", {}),  # nobody of that name speaks
    ],
)
def test_a_header_line_says_which_named_speaker_is_the_interviewer(header: str, named: dict[str, str]) -> None:
    text = f"{header}\nDatum: 3 mei\n\nSanne: Hoe woon je nu?\nYusuf: Klein.\nSanne: En later?\nYusuf: Groter.\n"
    scan = scan_turns(text)
    assert [t.speaker for t in scan.turns] == ["Sanne", "Yusuf", "Sanne", "Yusuf"]
    assert scan.interviewers == named
