"""Personal data in interviews nobody tuned on (round 17).

Before: a name spelled out by the interviewer ("Y-I-L-M-A-Z") stayed, and deduce read the
spelling's last letter as an initial ("A. Fatima"); a person named after the body they
work for ("dokter Kok van Huisartsenpraktijk Poelenburg", "Jozef van de Sint-Albertuskerk")
was one name with it, and the organisation's candidate then won and the person stayed;
accepting names linked different people through one shared word ("Hatice Kaya" took the
pseudonym of "Hatice Demirci", "Ismail Demirci" that of his wife); the initial of an
accepted "A. Derya Yilmaz" made every transcript name with a lone "A" ("t_A") refused;
Belgian box numbers ("bus 3") stayed beside the replaced street; a car ("Opel Zafira"),
Koningsdag and "de Roemenen" were proposed as persons.
"""

from __future__ import annotations

import pytest
from pseudo_support import CODEBOOK, StubDetector, found

from qualcode.pseudonymise import apply as ap
from qualcode.pseudonymise import review
from qualcode.pseudonymise.runner import open_key, run_detection
from qualcode.store.key import EntityRow


@pytest.mark.parametrize("spelled", ["Y-I-L-M-A-Z", "y-i-l-m-a-z", "D E R Y A", "Y.I.L.M.A.Z."])
def test_a_name_spelled_out_letter_by_letter_is_a_person(spelled):
    got = found(f"I: {spelled}, toch? En Fatma met een t-m, e-mail?\nR: Ja.", detector=StubDetector({"Fatma": "person"}))
    assert ("person", spelled) in got
    assert not any(text in ("t-m", "e-mail") for _, text in got)


def test_initials_alone_stay_no_candidates():
    assert found("R: Mevrouw B. kwam, en K. ook, met A B C.", detector=StubDetector({})) == []


def test_the_last_letter_of_a_spelling_is_no_initial_of_the_next_name():
    got = found("R: Ja, F-A-T-M-A. Fatima is mijn schoonzus.", detector=StubDetector({"A. Fatima": "person"}))
    assert ("person", "F-A-T-M-A") in got and ("person", "Fatima") in got
    assert ("person", "A. Fatima") not in got


@pytest.mark.parametrize(
    "sentence, flags, person, body",
    [
        (
            "R: Eerst de huisarts, dokter Kok van Huisartsenpraktijk Poelenburg aan de Rosmolenstraat.",
            {},
            "Kok",
            ("organisation", "Poelenburg"),
        ),
        (
            "R: De pastoor, pater Jozef van de Sint-Albertuskerk in Winterslag, komt soms langs.",
            {"Jozef van de Sint-Albertuskerk": "person"},
            "Jozef",
            ("organisation", "Sint-Albertuskerk"),
        ),
        ("R: Ik ken Anna van de Vrouwenvereniging al lang.", {}, "Anna", ("organisation", "Vrouwenvereniging")),
    ],
)
def test_a_person_of_an_organisation_after_van_is_the_person_and_the_organisation(sentence, flags, person, body):
    got = found(sentence, detector=StubDetector(flags))
    assert ("person", person) in got
    assert body in got


def test_a_sentence_first_word_that_is_no_name_stays_outside_deduce_name():
    got = found("R: Jongens die niemand hebben. Neem Dylan, die is zestien.", detector=StubDetector({"Neem Dylan": "person"}))
    assert ("person", "Dylan") in got and ("person", "Neem Dylan") not in got


def test_a_belgian_box_number_belongs_to_the_address():
    got = found("R: Ik woon in de Vennestraat 112 bus 3, 3600 Genk.", detector=StubDetector({}))
    assert ("address", "Vennestraat 112 bus 3") in got


@pytest.mark.parametrize(
    "sentence",
    [
        "R: Wij hebben een oude Opel Zafira, en het busje is een Ford Transit.",
        "R: Op Koningsdag spelen we voor de ouderen.",
        "R: Er wonen Polen en Roemenen in de oude huisjes.",
    ],
)
def test_cars_holidays_and_peoples_are_no_persons(sentence):
    assert not any(category == "person" for category, _ in found(sentence, detector=StubDetector({})))


def test_clubs_and_transport_are_no_persons_nor_a_surname_after_van():
    got = found(
        "R: Hij speelt bij KRC Genk en gaat met De Lijn. Ik woon in Genk. Jeugdtrainer Kees van Sparta helpt.",
        detector=StubDetector({"Kees van Sparta": "person"}),
    )
    assert ("person", "Kees") in got
    assert [text for _, text in got].count("Genk") == 1  # where she lives, not the club's
    assert not any("Sparta" in text or "Lijn" in text for _, text in got)


@pytest.mark.parametrize(
    "sentence, street",
    [
        ("R: Toen de Afsluitdijk kwam, was het over.", "Afsluitdijk"),
        ("R: Naar de Kerkstraat 5 ging ik elke dag.", "Kerkstraat 5"),
        ("R: Lange Nieuwstraat, daar woonde ze.", "Lange Nieuwstraat"),
    ],
)
def test_a_street_starts_after_the_sentence_words_before_it(sentence, street):
    assert ("address", street) in found(sentence, detector=StubDetector({}))


FAMILY = """\
I: Wie zorgt er voor uw moeder?
R: Hatice Demirci is mijn moeder, Ismail Demirci was mijn vader. Mijn vriendin Hatice Kaya helpt ook.
I: En uw eigen naam? Y-I-L-M-A-Z?
R: Ja, Fatma Yilmaz.
"""


def _project(tmp_path, text):
    """A project with one interview ``text`` and its key."""
    from qualcode.importing import import_paths
    from qualcode.project import Project

    root = tmp_path / "studie"
    (root / "codebooks").mkdir(parents=True)
    (root / "codebooks" / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    (root / "transcripts").mkdir()
    path = root / "transcripts" / "gesprek.txt"
    path.write_text(text, encoding="utf-8")
    project = Project(root)
    import_paths(project, [path], default_coder="test")
    return project, open_key(project.root)


@pytest.fixture
def family(tmp_path):
    project, key = _project(tmp_path, FAMILY)
    yield project, key
    key.close()
    project.close()


def _accept_all(project, key, texts):
    for text in texts:
        row = next(c for c in key.candidates() if c.text == text)
        if row.status == "pending":
            review.accept(project.store, key, row.id, "anna")
    return {c.text: key.entity(c.entity_id).pseudonym for c in key.candidates() if c.entity_id is not None}


NAMES = ["Hatice Demirci", "Ismail Demirci", "Hatice Kaya", "Fatma Yilmaz"]


def test_people_who_share_a_first_name_or_surname_keep_pseudonyms_of_their_own(family):
    project, key = family
    run_detection(project, StubDetector(dict.fromkeys(NAMES, "person")))
    pseudonym = _accept_all(project, key, NAMES)
    assert len({pseudonym[n] for n in NAMES}) == 4


def test_a_spelled_name_takes_the_pseudonym_of_the_name_it_spells(family):
    project, key = family
    run_detection(project, StubDetector(dict.fromkeys(NAMES, "person")))
    pseudonym = _accept_all(project, key, [*NAMES, "Y-I-L-M-A-Z"])
    assert pseudonym["Y-I-L-M-A-Z"] == pseudonym["Fatma Yilmaz"]


def test_an_initial_or_a_short_number_in_the_key_is_no_name_in_a_transcript_name():
    entities = [
        EntityRow(1, "person", "A. Derya Yilmaz", "[persoon 1]", 1, False),
        EntityRow(2, "age", "11", "[leeftijd 1]", 1, False),
    ]
    names = {1: "t_A", 2: "2024-11_gesprek", 3: "interview_yilmaz", 4: "derya"}
    assert ap.names_in_transcript_names(names, entities) == [
        ("derya", "A. Derya Yilmaz"),
        ("interview_yilmaz", "A. Derya Yilmaz"),
    ]


def test_a_part_inside_a_longer_candidate_of_other_words_is_still_accepted(tmp_path):
    project, key = _project(tmp_path, "I: Wat schreef u?\nR: Ik begon met Beste Hatice, en Hatice Yilmaz las het.\n")
    try:
        run_detection(project, StubDetector({"Beste Hatice": "person", "Hatice Yilmaz": "person"}))
        _accept_all(project, key, ["Hatice Yilmaz"])
        accepted = {c.text for c in key.candidates(statuses=["accepted"])}
    finally:
        key.close()
        project.close()
    assert "Hatice" in accepted  # rejecting "Beste Hatice" later must not leave her name
