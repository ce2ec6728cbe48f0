"""Personal data in interviews nobody tuned on (round 19: tests/data/pseudo/heldout3).

Before: a name broken over a subtitle's lines was missed or split in two ("mijn
dochter\\nLuwam", "Senait\\nGebremeskel"); "abu Rami" left "abu", "Rasha al-Hamwi" left
"al-Hamwi"; "UZA" and "AZ Groeninge" were no organisation; an age after a name between
commas, after "was toen", or next in a list stayed; speech recognition read "kwam" as a
surname and "ik ken" as Ken; a transcript named "interview_abu_bakr" was said to name
"abu Rami".
"""

from __future__ import annotations

from types import SimpleNamespace

from pseudo_support import StubDetector, found

from qualcode.pseudonymise.apply import names_in_transcript_names
from qualcode.pseudonymise.context import KnownNames


def test_a_line_break_inside_a_turn_ends_no_sentence():
    text = (
        "DEELNEMER 1: Toen mijn dochter\nLuwam geboren werd, kwam er een verpleegster.\n"
        "DEELNEMER 2: Ik ben Senait\nGebremeskel, ik woon in Heule.\n"
        "DEELNEMER 3: Mijn zoon Kacper is\nvier jaar en hij speelt graag.\n"
    )
    got = found(text, detector=StubDetector({"Senait": "person", "Gebremeskel": "person"}))
    assert ("person", "Luwam") in got
    assert ("person", "Senait\nGebremeskel") in got  # one name, one pseudonym
    assert ("age", "vier jaar") in got


def test_a_blank_line_still_ends_a_paragraph():
    text = "R: Dat was het eerste deel\n\nToen kwam de tweede vraag.\n"
    assert [c for c in found(text, detector=StubDetector({})) if c[0] == "person"] == []


def test_arabic_particles_belong_to_the_name():
    text = (
        "R: Iedereen kent abu Rami, hij woont in Menen.\n"
        "R: Ik ben Rasha al-Hamwi, uit Syrië.\n"
        "R: De imam, Yusuf ould Brahim, vertrouwde ze.\n"
    )
    got = found(text, detector=StubDetector({"Rami": "person", "Rasha": "person", "Yusuf": "person", "Brahim": "person"}))
    persons = [t for c, t in got if c == "person"]
    assert "abu Rami" in persons and "Rasha al-Hamwi" in persons and "Yusuf ould Brahim" in persons
    assert "Rami" not in persons and "Rasha" not in persons


def test_hospitals_and_schools_named_by_an_acronym_are_organisations():
    text = (
        "R: Ze moest geopereerd worden in het UZA. Later ging ze naar ZNA Middelheim.\n"
        "R: Ik werk in de schoonmaak in AZ Groeninge en mijn zoon zit op het ROC Mondriaan.\n"
        "R: Het ROC belde, en het CLB en het OCMW ook.\n"
    )
    got = found(text, detector=StubDetector({}))
    orgs = [t for c, t in got if c == "organisation"]
    assert orgs == ["UZA", "ZNA Middelheim", "AZ Groeninge", "ROC Mondriaan"]


def test_ages_after_a_name_after_was_toen_and_next_in_a_list():
    text = (
        "R: Vorige maand kwam een jonge vader, Sayed, negentien, hij is alleen gekomen.\n"
        "R: Haar zoon Ilyas was toen vijftien en hij ging niet naar school.\n"
        "R: Die vrouwen zijn twintig, tweeëntwintig, ze kennen niemand.\n"
        "R: We waren met z'n vieren, twee, drie keer per week.\n"
    )
    got = found(text, detector=StubDetector({"Sayed": "person", "Ilyas": "person"}))
    ages = [t for c, t in got if c == "age"]
    assert ages == ["negentien", "vijftien", "twintig", "tweeëntwintig"]


ASR = (
    "<v spreker_2>ja die is ontstaan door één moeder hatice die kwam hier binnen met haar dochter en die zei ik ken"
    " niemand ik zit de hele dag alleen thuis en toen zei ayşe ja dan gaan we gewoon een groep beginnen en nu komen er"
    " elke week twintig vrouwen uit de wijk\n"
    "<v spreker_2>ik woon zelf in barendrecht maar ik werk in rotterdam zuid in de afrikaanderwijk bij het buurthuis\n"
)


def test_speech_recognition_reads_no_verb_as_a_name_and_finds_english_named_places():
    text = "\n".join(line.split(">", 1)[1] for line in ASR.splitlines())
    got = found("R: " + text.replace("\n", "\nR: ") + "\n", detector=StubDetector({}))
    texts = [t for _, t in got]
    assert ("person", "hatice") in got
    assert not any("kwam" in t or t == "ken" for t in texts)
    assert ("place", "rotterdam") in got


def test_a_father_of_name_is_no_name_of_its_parts():
    k = KnownNames()
    k.add_person("abu Rami")
    assert sorted(k.names) == ["abu Rami"]  # not "abu" (anyone's) nor "Rami" (his son)
    k = KnownNames()
    k.add_person("Abu Bakr Ouahabi")
    assert sorted(k.names) == ["Abu Bakr", "Abu Bakr Ouahabi", "Ouahabi"]
    entity = SimpleNamespace(original="abu Rami", category="person")
    named = names_in_transcript_names({1: "interview_abu_bakr", 2: "gesprek_rami", 3: "abu_rami_2024"}, [entity])
    assert named == [("abu_rami_2024", "abu Rami")]


def test_a_gold_mark_may_span_a_subtitle_line_break(tmp_path):
    from qualcode.pseudonymise.gold import read_gold_folder

    (tmp_path / "a.srt").write_text(
        "1\n00:00:01,000 --> 00:00:04,000\nDEELNEMER 1: Ik ben {{Senait\nGebremeskel|person}}, uit {{Heule|place}}.\n",
        encoding="utf-8",
    )
    [gold] = read_gold_folder(tmp_path)
    assert [(s.category, s.text) for s in gold.spans] == [("person", "Senait\nGebremeskel"), ("place", "Heule")]


def test_two_parts_of_one_name_side_by_side_get_one_pseudonym():
    from qualcode.pseudonymise.apply import replace_names
    from qualcode.store.key import EntityRow

    people = [EntityRow(1, "person", "Senait Gebremeskel", "[persoon 1]", 1, False)]
    assert replace_names("Mevrouw Gebremeskel Senait kwam.", people)[0] == "Mevrouw [persoon 1] kwam."
    assert replace_names("Senait, Senait Gebremeskel.", people)[0] == "[persoon 1], [persoon 1]."  # a comma parts them
