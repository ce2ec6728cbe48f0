"""Speaker-turn recognition in plain text: label conventions, timestamps, spans, false positives."""

from __future__ import annotations

import pytest

from qualcode.ingest import parse_turns, scan_turns
from qualcode.model import Turn


def assert_well_formed(text: str, turns: list[Turn]) -> None:
    """Spans lie in the text, are ordered, hold content without outer whitespace."""
    previous_end = 0
    for number, turn in enumerate(turns, start=1):
        assert turn.index == number
        assert previous_end <= turn.start < turn.end <= len(text)
        content = text[turn.start : turn.end]
        assert content == content.strip(), repr(content)
        assert turn.role is None
        previous_end = turn.end


def turns_of(text: str) -> list[tuple[str | None, str]]:
    turns = parse_turns(text)
    assert_well_formed(text, turns)
    return [(t.speaker, text[t.start : t.end]) for t in turns]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "I: Hoe lang doet u dit werk al?\nR: Een jaar of zes.\nI: En daarvoor?\nR1: Ik werkte in de zorg.",
            [
                ("I", "Hoe lang doet u dit werk al?"),
                ("R", "Een jaar of zes."),
                ("I", "En daarvoor?"),
                ("R1", "Ik werkte in de zorg."),
            ],
        ),
        (
            "Interviewer: Vertel eens.\nRespondent: Nou, het begon in 2015.",
            [("Interviewer", "Vertel eens."), ("Respondent", "Nou, het begon in 2015.")],
        ),
        (
            "Moderator: Wie wil beginnen?\nP2: Ik wel.\nP3: Daarna ik.",
            [("Moderator", "Wie wil beginnen?"), ("P2", "Ik wel."), ("P3", "Daarna ik.")],
        ),
        (
            "Begeleider 1: Hoe ziet de pauze eruit?\nLeerling 4: Beetje hangen.\nBegeleider 1: Altijd?\nLeerling 4: Meestal wel.",
            [
                ("Begeleider 1", "Hoe ziet de pauze eruit?"),
                ("Leerling 4", "Beetje hangen."),
                ("Begeleider 1", "Altijd?"),
                ("Leerling 4", "Meestal wel."),
            ],
        ),
        (
            "De voorzitter:\nHet woord is aan mevrouw Bergkamp.\n\nMevrouw Bergkamp (D66):\nDank u wel, voorzitter.\n\n"
            "Minister De Jonge:\nIk ontraad de motie.",
            [
                ("De voorzitter", "Het woord is aan mevrouw Bergkamp."),
                ("Mevrouw Bergkamp (D66)", "Dank u wel, voorzitter."),
                ("Minister De Jonge", "Ik ontraad de motie."),
            ],
        ),
        (
            "Interviewer: Wie was daarbij?\nMevrouw Jansen: Mijn buurvrouw en ik.",
            [("Interviewer", "Wie was daarbij?"), ("Mevrouw Jansen", "Mijn buurvrouw en ik.")],
        ),
        (
            "INTERVIEWER: Hoe bent u hier terechtgekomen?\nMEVROUW A: Via de moskee.",
            [("INTERVIEWER", "Hoe bent u hier terechtgekomen?"), ("MEVROUW A", "Via de moskee.")],
        ),
        (
            "**Interviewer:** Dank voor uw tijd.\n**Fatima**: Graag gedaan.\n**Interviewer:** Begin maar.\n**Fatima**: Goed.",
            [
                ("Interviewer", "Dank voor uw tijd."),
                ("Fatima", "Graag gedaan."),
                ("Interviewer", "Begin maar."),
                ("Fatima", "Goed."),
            ],
        ),
        (
            "interviewer: hoe oud ben je?\nrespondent: zestien.\ninterviewer: en je broer?\nrespondent: achttien.",
            [
                ("interviewer", "hoe oud ben je?"),
                ("respondent", "zestien."),
                ("interviewer", "en je broer?"),
                ("respondent", "achttien."),
            ],
        ),
    ],
    ids=[
        "I-R-R1",
        "interviewer-respondent",
        "moderator-P",
        "numbered-roles",
        "parliament",
        "titled-name-once",
        "capitals",
        "markdown-bold",
        "lower-case-roles",
    ],
)
def test_ingest_turns_label_conventions(text: str, expected: list[tuple[str, str]]) -> None:
    assert turns_of(text) == expected


def test_ingest_turns_label_alone_with_paragraphs_below() -> None:
    text = (
        "Interviewer:\n\nHoe is het begonnen?\n\n"
        "Respondent:\n\nIn 2016 kwamen de eerste gezinnen.\n\nWe hadden toen nog geen ruimte.\n\n"
        "Interviewer:\nEn nu?"
    )
    assert turns_of(text) == [
        ("Interviewer", "Hoe is het begonnen?"),
        ("Respondent", "In 2016 kwamen de eerste gezinnen.\n\nWe hadden toen nog geen ruimte."),
        ("Interviewer", "En nu?"),
    ]


def test_ingest_turns_capital_labels_without_colon_skip_title_block() -> None:
    text = (
        "TRANSCRIPTIE INTERVIEW\nSAMIRA EL AMRANI\n12 MAART 2024\nVERSIE 0.3\nCONCEPT\n\n"
        "INTERVIEWER\nWat doet u als vrijwilliger?\n\n"
        "SAMIRA\nIk geef taalles.\n\nTwee avonden per week.\n\n"
        "INTERVIEWER\nSinds wanneer?\n\n"
        "SAMIRA\nSinds 2019."
    )
    scan = scan_turns(text)
    assert [(t.speaker, text[t.start : t.end]) for t in scan.turns] == [
        ("INTERVIEWER", "Wat doet u als vrijwilliger?"),
        ("SAMIRA", "Ik geef taalles.\n\nTwee avonden per week."),
        ("INTERVIEWER", "Sinds wanneer?"),
        ("SAMIRA", "Sinds 2019."),
    ]
    assert scan.speakers == ["INTERVIEWER", "SAMIRA"]
    assert any("lines 1-5" in w for w in scan.warnings)


@pytest.mark.parametrize(
    ("line", "seconds"),
    [
        ("[00:01:23] Interviewer: Hoe gaat het?", 83.0),
        ("Interviewer [00:01:23]: Hoe gaat het?", 83.0),
        ("Interviewer: [00:01:23] Hoe gaat het?", 83.0),
        ("00:01:23 Interviewer: Hoe gaat het?", 83.0),
        ("(01:23) Interviewer: Hoe gaat het?", 83.0),
        ("[1:02:03] Interviewer: Hoe gaat het?", 3723.0),
        ("[00:01:23.5] Interviewer: Hoe gaat het?", 83.5),
        ("Interviewer (00:01:23): Hoe gaat het?", 83.0),
        ("00:01:23 - Interviewer: Hoe gaat het?", 83.0),
    ],
)
def test_ingest_turns_timestamps_parsed_and_left_out_of_span(line: str, seconds: float) -> None:
    text = f"{line}\nRespondent: Goed."
    turns = parse_turns(text)
    assert [(t.speaker, text[t.start : t.end]) for t in turns] == [("Interviewer", "Hoe gaat het?"), ("Respondent", "Goed.")]
    assert turns[0].time_start == seconds
    assert turns[1].time_start is None


@pytest.mark.parametrize("stamp", ["[12:99:99]", "[01:60:00]", "[00:00:60]", "12:34:99"])
def test_ingest_turns_impossible_timestamp_is_no_time_not_another(stamp: str) -> None:
    """Seconds (or the minutes of h:mm:ss) of 60 or more: the turn is still found, without a
    time, instead of one carried over into the next minute (12:99:99 was read as 13:40:39)."""
    text = f"{stamp} Interviewer: Hoe gaat het?\n[00:01:10] Respondent: Goed."
    turns = parse_turns(text)
    assert [(t.speaker, text[t.start : t.end], t.time_start) for t in turns] == [
        ("Interviewer", "Hoe gaat het?", None),
        ("Respondent", "Goed.", 70.0),
    ]


def test_ingest_turns_minutes_of_a_long_recording_may_pass_59() -> None:
    assert parse_turns("[95:30] R: Nog één ding.")[0].time_start == 95 * 60 + 30


def test_ingest_turns_timestamp_range_sets_end() -> None:
    turns = parse_turns("[00:01:23 - 00:01:40] R: Klopt.")
    assert (turns[0].time_start, turns[0].time_end) == (83.0, 100.0)


def test_ingest_turns_timestamp_line_before_label_sets_start() -> None:
    text = "[00:00:05]\nI: Welkom.\n\n[00:00:09]\nR: Dank u.\n\n[00:00:12]"
    turns = parse_turns(text)
    assert [(t.speaker, text[t.start : t.end], t.time_start) for t in turns] == [
        ("I", "Welkom.", 5.0),
        ("R", "Dank u.", 9.0),
    ]


def test_ingest_turns_f4_trailing_timestamp_sets_end() -> None:
    text = "I: Wie geht het? #00:00:05-6#\n\nR: Gut, danke. #00:00:08-2#\n\nI: Und sonst? #00:00:10-0#"
    turns = parse_turns(text)
    assert [(text[t.start : t.end], t.time_end) for t in turns] == [
        ("Wie geht het?", 5.0),
        ("Gut, danke.", 8.0),
        ("Und sonst?", 10.0),
    ]
    # f4 times a turn at its end: the next one starts then (the first has no start time).
    assert [t.time_start for t in turns] == [None, 5.0, 8.0]


def test_ingest_turns_span_covers_lines_and_paragraphs_until_next_label() -> None:
    text = "I: Eerste regel\nloopt door.\n\nTweede alinea.   \n\n\nR: Antwoord.  "
    turns = parse_turns(text)
    assert text[turns[0].start : turns[0].end] == "Eerste regel\nloopt door.\n\nTweede alinea."
    assert turns[0].start == 3
    assert text[turns[1].start : turns[1].end] == "Antwoord."


def test_ingest_turns_without_labels_one_per_paragraph() -> None:
    text = "# Transcriptie\n\nEerste alinea\nover twee regels.\n\n## Deel 2\nTweede alinea.\n\n[00:10:00] Derde alinea."
    scan = scan_turns(text)
    assert not scan.labelled
    assert [(t.speaker, text[t.start : t.end], t.time_start) for t in scan.turns] == [
        (None, "Eerste alinea\nover twee regels.", None),
        (None, "Tweede alinea.", None),
        (None, "Derde alinea.", 600.0),
    ]
    assert scan.warnings == ["no speaker labels found: one turn per paragraph"]


def test_ingest_turns_text_before_first_label_is_not_a_turn() -> None:
    text = (
        "Interview 7, wijkcentrum De Linde\nDatum: 3 maart 2024\nLocatie: Utrecht\nDuur: 48 minuten\n\n"
        "I: Fijn dat u er bent.\nR: Graag."
    )
    assert turns_of(text) == [("I", "Fijn dat u er bent."), ("R", "Graag.")]


@pytest.mark.parametrize(
    "inner",
    [
        "Bijvoorbeeld: een collega die je helpt met de formulieren.",
        "Let op: dit is vertrouwelijk.",
        "NB: de naam is veranderd.",
        "Voordelen:\n- sneller\n- dichterbij",
        "Hij zei: kom maar langs.",
        "Wat ik bedoel:\ndat het niet vanzelf gaat.",
        "Drie dingen: tijd, geld en vertrouwen.",
        "constaterende dat de cliëntondersteuner wettelijk verankerd is;\nverzoekt de regering:\nen gaat over tot de orde van de dag.",
        "Het Buurthuis: daar komen we samen.",
        "OK\nprima.",
        "Vraag 3:\nwat zou helpen?",
        "Datum: 12 maart\nDatum: 19 maart",
        "DEEL 2\nen dan verder.",
    ],
    ids=[
        "bijvoorbeeld",
        "let-op",
        "nb",
        "single-word-alone",
        "lowercase",
        "lowercase-alone",
        "lowercase-inline",
        "motion",
        "once-capitalised",
        "short-caps",
        "numbered-once",
        "repeated-stopword",
        "caps-section",
    ],
)
def test_ingest_turns_no_false_speakers(inner: str) -> None:
    text = f"I: Wat bedoelt u precies?\nR: Nou, kijk.\n{inner}\nI: Dank u."
    turns = turns_of(text)
    assert [s for s, _ in turns] == ["I", "R", "I"]
    assert turns[1][1] == f"Nou, kijk.\n{inner}"


def test_ingest_turns_question_answer_labels_when_repeated() -> None:
    text = "Vraag: Hoe lang woont u hier?\nAntwoord: Tien jaar.\nVraag: En bevalt het?\nAntwoord: Ja."
    assert [s for s, _ in turns_of(text)] == ["Vraag", "Antwoord", "Vraag", "Antwoord"]


def test_ingest_turns_timestamped_name_once_is_a_speaker() -> None:
    text = (
        "[00:12:31] Interviewer: En hoe gaat het thuis?\n[00:12:40] Zoon: Mam, mag ik een koekje?\n[00:12:44] Respondent: Straks."
    )
    assert [s for s, _ in turns_of(text)] == ["Interviewer", "Zoon", "Respondent"]


def test_ingest_turns_role_code_with_space() -> None:
    assert [s for s, _ in turns_of("I 1: Vraag.\nR 2: Antwoord.")] == ["I 1", "R 2"]


def test_ingest_turns_repeated_name_is_a_speaker() -> None:
    text = "Fatima: Ik kwam in 2015.\nYusuf: Ik later.\nFatima: Met mijn dochter.\nYusuf: Alleen."
    assert [s for s, _ in turns_of(text)] == ["Fatima", "Yusuf", "Fatima", "Yusuf"]


def test_ingest_turns_empty_labelled_turn_is_dropped() -> None:
    text = "I:\nR: Ik begin gewoon.\nI: Goed."
    assert turns_of(text) == [("R", "Ik begin gewoon."), ("I", "Goed.")]


def test_ingest_turns_heading_ends_a_turn() -> None:
    text = "I: Vraag een.\nR: Antwoord een.\n\n## Deel 2\n\nI: Vraag twee.\nR: Antwoord twee."
    assert turns_of(text) == [("I", "Vraag een."), ("R", "Antwoord een."), ("I", "Vraag twee."), ("R", "Antwoord twee.")]


def test_ingest_turns_offsets_are_code_points_with_emoji_and_accents() -> None:
    text = "I: Hoe voelde dat? 😊\nR: Één woord: geweldig 👍🏽."
    turns = parse_turns(text)
    assert text[turns[1].start : turns[1].end] == "Één woord: geweldig 👍🏽."


def test_ingest_turns_unicode_whitespace_is_not_content() -> None:
    text = "I:\u2003Hoe gaat het?\u2003\nR:\u00a0Goed.\n\u2003\nI: Fijn."
    assert turns_of(text) == [("I", "Hoe gaat het?"), ("R", "Goed."), ("I", "Fijn.")]


def test_ingest_turns_empty_text() -> None:
    assert parse_turns("") == []


TEAMS_OLD = """\
0:0:0.0 --> 0:0:4.650
Lotte Jansen
Goedemiddag, fijn dat je tijd hebt. Kun je vertellen wat je doet?

0:0:5.230 --> 0:0:15.300
Samira El Amrani
Ik ben vrijwilliger bij een vrouwenorganisatie in Utrecht.
We organiseren koffieochtenden.

0:0:16.0 --> 0:0:19.0
Lotte Jansen
Hoe ben je daar terechtgekomen?

0:0:19.500 --> 0:0:25.10
Samira El Amrani
Via mijn buurvrouw.
"""


def test_teams_transcript_with_the_time_range_above_the_name():
    scan = scan_turns(TEAMS_OLD)
    assert [(t.speaker, t.time_start) for t in scan.turns] == [
        ("Lotte Jansen", 0.0),
        ("Samira El Amrani", 5.23),
        ("Lotte Jansen", 16.0),
        ("Samira El Amrani", 19.5),
    ]
    assert TEAMS_OLD[scan.turns[1].start : scan.turns[1].end] == (
        "Ik ben vrijwilliger bij een vrouwenorganisatie in Utrecht.\nWe organiseren koffieochtenden."
    )


def test_bracketed_name_with_a_time_is_a_speaker_even_once():
    text = (
        "[Lotte Jansen] 10:02:11\nGoedemiddag, wat doe je?\n\n"
        "[Samira El Amrani] 10:02:20\nIk help ouders. [lacht] Echt.\n\n"
        "[Lotte Jansen] 10:03:05\nHoe dan?\n"
    )
    scan = scan_turns(text)
    assert [(t.speaker, t.time_start) for t in scan.turns] == [
        ("Lotte Jansen", 36131.0),
        ("Samira El Amrani", 36140.0),
        ("Lotte Jansen", 36185.0),
    ]
    assert text[scan.turns[1].start : scan.turns[1].end] == "Ik help ouders. [lacht] Echt."


def test_a_bracketed_word_alone_is_no_speaker_however_often():
    text = "I: Hoe ging dat?\n[ONVERSTAANBAAR]\nR: Goed.\n[ONVERSTAANBAAR]\nI: En toen?\n[PAUZE]\n[PAUZE]\n"
    assert [t.speaker for t in scan_turns(text).turns] == ["I", "R", "I"]


def test_a_name_below_a_time_line_needs_to_recur_like_any_bare_name():
    text = "0:0:1.0 --> 0:0:2.0\nVoorwoord\nDit is een lange inleiding over het project.\n"
    assert scan_turns(text).labelled is False


def test_teams_transcript_from_word_with_blank_lines_between_paragraphs():
    scan = scan_turns(TEAMS_OLD.replace("\n", "\n\n"))  # a .docx: every paragraph apart
    assert [t.speaker for t in scan.turns] == ["Lotte Jansen", "Samira El Amrani", "Lotte Jansen", "Samira El Amrani"]


def test_teams_names_written_surname_first():
    text = TEAMS_OLD.replace("\nLotte Jansen\n", "\nJansen, Lotte\n").replace("\nSamira El Amrani\n", "\nEl Amrani, Samira\n")
    scan = scan_turns(text)
    assert [t.speaker for t in scan.turns] == ["Jansen, Lotte", "El Amrani, Samira", "Jansen, Lotte", "El Amrani, Samira"]
    prose = "0:0:1.0 --> 0:0:2.0\nJa, dat klopt\nEn verder.\n\n0:0:3.0 --> 0:0:4.0\nJa, dat klopt\nNog meer.\n"
    assert scan_turns(prose).labelled is False  # words in lower case are no name


def test_teams_start_and_stop_lines_are_no_part_of_a_turn():
    text = (
        "Lotte Jansen heeft transcriptie gestart\n\n"
        "Lotte Jansen   0:03\nGoedemiddag, wat doe je?\n\n"
        "Samira El Amrani   0:09\nIk help ouders.\n\n"
        "Lotte Jansen   1:02\nHoe dan?\n\n"
        "Samira El Amrani   1:05\nMet brieven.\n\n"
        "Lotte Jansen stopped transcription\n"
    )
    turns = parse_turns(text)
    assert [text[t.start : t.end] for t in turns] == ["Goedemiddag, wat doe je?", "Ik help ouders.", "Hoe dan?", "Met brieven."]
