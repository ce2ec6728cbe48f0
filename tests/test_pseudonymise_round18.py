"""Personal data in interviews nobody tuned on (round 18).

Before: a name the text also wrote in lower case inside an e-mail address or a handle
("Zarghuna" beside "zarghuna.a@outlook.be") was read as an ordinary word and stayed.
"""

from __future__ import annotations

import csv
import io

import pytest
from pseudo_support import StubDetector, cli_project, found
from pseudo_support import cli as run

from qualcode.project import Project


def test_a_name_written_in_an_e_mail_address_is_still_a_name():
    text = (
        "I: Wil je je voorstellen?\n"
        "R: Mijn naam is Zarghuna. Ik kom uit Mazar. Zeg maar dag Zarghuna.\n"
        "I: Je e-mailadres?\n"
        "R: Het is zarghuna.a@outlook.be, of op Instagram zarghuna_mz.\n"
    )
    got = found(text, detector=StubDetector({}))
    assert got.count(("person", "Zarghuna")) == 2


def test_a_word_the_text_writes_in_lower_case_is_still_no_name():
    text = "R: Ik zeg Blockchain, want blockchain is overal. Dat weet jij ook.\n"
    assert ("person", "Blockchain") not in found(text, detector=StubDetector({}))


# A transcript of speech recognition (Otter, Teams): names in the labels, none in capitals in the text.
ASR = (
    "Sarah Vermeulen  0:02\n"
    "oké het rode bolletje staat aan dus welkom yonas ik ben sarah en bedankt dat je tijd maakt voor dit gesprek over vaders\n\n"
    "Yonas Tesfamariam  0:15\n"
    "ja geen probleem ik ben blij dat iemand het vraagt aan de papa's want meestal vragen ze het aan de mama's\n\n"
    "Sarah Vermeulen  0:22\n"
    "kun je jezelf eens voorstellen je naam en waar je vandaan komt en hoe je kinderen heten\n\n"
    "Yonas Tesfamariam  0:28\n"
    "mijn naam is yonas tesfamariam gebremedhin dat zijn drie namen en mijn kinderen heten selam tesfamariam en"
    " daniel en de jongste is hanna en mijn vriend heet mohammed al-hamwi die woont twee huizen verder\n"
)


def test_caseless_speech_finds_the_names_its_speaker_labels_tell():
    got = found(ASR, detector=StubDetector({}))
    texts = [text for category, text in got if category == "person"]
    assert "yonas" in texts  # the label's first name, said in lower case
    assert any("tesfamariam" in t and "gebremedhin" in t for t in texts)  # and the name after it
    assert "selam" in texts or "selam tesfamariam" in texts  # a first name before the label's surname
    assert any(t.startswith("mohammed") and "al-hamwi" in t for t in texts)  # after "heet"
    assert not any(t in ("vaders", "kinderen", "namen", "jongste") for t in texts)


TYPED = (
    "I: Hoe heten de kinderen?\n"
    "R: Nilofar is negen en Farid is twaalf. Roos is de buurvrouw, ze heeft een roos in haar tuin.\n"
    "I: En op school?\n"
    "R: nilofar is stil op school maar thuis praat ze de hele dag en juf zegt dat ze goed kan tekenen en"
    " farid speelt voetbal en de buurvrouw heeft een roos in haar tuin staan die heel mooi is\n"
)


def test_a_name_found_where_the_text_has_capitals_is_found_in_a_turn_written_without():
    got = found(TYPED, detector=StubDetector({"Nilofar": "person", "Farid": "person", "Roos": "person"}))
    assert ("person", "nilofar") in got and ("person", "farid") in got
    assert ("person", "roos") not in got  # a Dutch word stays one in lower case


def _asr_project(tmp_path, monkeypatch):
    root = cli_project(tmp_path, monkeypatch, ASR)
    assert run(root, "pseudonymise", "detect").exit_code == 0
    listed = run(root, "pseudonymise", "list", "--format", "csv")
    ids = [row["id"] for row in csv.DictReader(io.StringIO(listed.stdout))]
    assert run(root, "pseudonymise", "accept", *ids).exit_code == 0
    return root


def test_a_label_whose_name_was_accepted_in_lower_case_is_replaced(tmp_path, monkeypatch):
    root = _asr_project(tmp_path, monkeypatch)
    result = run(root, "pseudonymise", "apply")
    assert result.exit_code == 0, result.output
    labels = {row[1] for row in Project(root).store.transcripts.turn_rows(1)}
    assert not any("Yonas" in label or "Tesfamariam" in label for label in labels), labels
    # "Sarah" was said, "Vermeulen" only in the label: the apply says what is left, as it is left.
    assert "the speaker label 'Sarah Vermeulen' names someone no accepted name covers: it stays as '[persoon" in result.stderr
    assert "Vermeulen'" in result.stderr


@pytest.mark.parametrize(
    ("sentence", "number"),
    [
        ("R: Wij wonen in de Lambrechtshoekenlaan. Op nummer 207, op het derde verdiep.\n", "nummer 207"),
        ("R: Ik woon in Eisden, in de Pauwengraaf, nummer 18. Al zes jaar.\n", "nummer 18"),
        ("R: Sinds 2012 in de Leuvensestraat nummer drieënveertig met mijn vrouw.\n", "nummer drieënveertig"),
    ],
)
def test_a_house_number_said_apart_from_its_street_is_an_address(sentence, number):
    assert ("address", number) in found(sentence, detector=StubDetector({}))


def test_a_number_after_no_street_is_no_address():
    got = found(
        "R: Ze zat op school nummer 112 in de klas van juf Evi, en nummer twee was haar vriendin.\n", detector=StubDetector({})
    )
    assert not any(category == "address" for category, _ in got)


@pytest.mark.parametrize(
    ("said", "code"), [("de postcode is 2170.", "2170"), ("Postcode 3630. Het is", "3630"), ("postcode: 9000", "9000")]
)
def test_a_belgian_postcode_said_without_its_town_is_a_postcode(said, code):
    assert ("postcode", code) in found(f"R: Ik woon daar al lang, {said} Ja.\n", detector=StubDetector({}))


def test_a_social_media_account_written_without_its_at_sign_is_a_handle():
    text = (
        "R: Ze heeft een account, shanaya.dlwt, met vijfduizend volgers. Op Instagram heet ze daar"
        " sahar.ahmadzai.hh. Op TikTok zit ook een zekere mo_zaandam, o.a. met t.v.-filmpjes.\n"
    )
    got = found(text, detector=StubDetector({}))
    assert {"shanaya.dlwt", "sahar.ahmadzai.hh", "mo_zaandam"} <= {text for category, text in got if category == "url"}
    assert not any(text in ("o.a", "o.a.", "t.v") for _, text in got)


@pytest.mark.parametrize("word", ["Inburgering", "WIA-uitkering", "Regering"])
def test_a_word_ending_in_ering_is_no_ring_road(word):
    assert not any(
        category == "address" for category, _ in found(f"R: Dat ging over de {word} en zo.\n", detector=StubDetector({}))
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "R: Mijn kinderen spreken Limburgs, zoals een Limburgse mijnwerker.\n",
        "R: Ze is een echte Antwerpse, ze spreekt Antwerps.\n",
        "R: De Rotterdammers en de Amsterdammer zeiden het ook.\n",
        "R: Merci, dat is goed.\n",
    ],
)
def test_the_speech_and_people_of_a_region_are_no_one(sentence):
    assert found(sentence, detector=StubDetector({})) == []


def test_a_number_plate_in_lower_case_is_an_id():
    got = found("R: we rijden met zijn toyota met de nummerplaat 1-kvb-482 naar zaventem en terug\n", detector=StubDetector({}))
    assert ("id", "1-kvb-482") in got


def test_caseless_speech_finds_saints_and_organisations_named_after_their_kind():
    text = (
        "R: ja ze werkt als vrijwilliger in het woonzorgcentrum sint-jozef en daniel is geboren in het az sint-lucas"
        " en we woonden vier jaar in sint-amandsberg vlak bij het park en de kinderen gingen daar graag naar school\n"
    )
    got = {t for _, t in found(text, detector=StubDetector({}))}
    assert {"sint-jozef", "sint-lucas", "sint-amandsberg"} <= got, got
