"""Text without capitals (automatic speech recognition) and what speech says aloud.

Before, a transcript written all in lower case lost nearly every name: deduce and the
proper-noun rules read a name by its capital ("ik heb met fatima van het wijkteam gebeld").
"""

from __future__ import annotations

import pytest
from pseudo_support import StubDetector, found

from qualcode.pseudonymise import DetectionContext, detect, engine
from qualcode.pseudonymise.caseless import caseless, recased
from qualcode.pseudonymise.context import Region
from qualcode.pseudonymise.patterns import find_patterns

# Enough words that the text counts as written without capitals.
_FILL = " en toen zijn we samen naar huis gegaan want het was al laat en iedereen was moe"


def _recased(text: str) -> str:
    return recased(text, Region.of(text, []))


@pytest.mark.parametrize(
    "said, read",
    [
        ("ik heb met fatima bouzid gebeld", "ik heb met Fatima Bouzid gebeld"),
        ("toen kwam meneer van dijk langs", "toen kwam meneer van Dijk langs"),
        ("met jeroen de graaf", "met Jeroen de Graaf"),
        ("we praten met imam abdelkader", "we praten met imam Abdelkader"),
        ("en mevrouw de bruin van de gemeente", "en mevrouw de Bruin van de gemeente"),
        ("de mannen van café de vriendschap", "de mannen van café De Vriendschap"),
        ("mijn vader had slagerij al baraka", "mijn vader had slagerij Al Baraka"),
        ("hij zat op het albeda college", "hij zat op het Albeda College"),
        ("ze komt uit nador en woont in barendrecht", "ze komt uit Nador en woont in Barendrecht"),
        ("op de putselaan bij de bakker", "op de Putselaan bij de bakker"),
    ],
)
def test_recased_capitalises_the_names_only(said, read):
    assert _recased(said) == read


@pytest.mark.parametrize(
    "said",
    [
        "ik werk in het sorteercentrum bij de bakker",  # a compound of Dutch words is no place
        "in de moskee de hele dag en in de bakkerij de hele ochtend",
        "fatima van het wijkteam",  # after a first name only a name, not "het wijkteam"
        "we gaan erin en dan appen we",  # a pronominal adverb; a short place name that is a verb
    ],
)
def test_recased_leaves_ordinary_words(said):
    assert _recased(said).casefold() == said
    assert [w for w in _recased(said).split() if w[0].isupper()] == [w for w in ["Fatima"] if w.casefold() in said.split()]


def test_recased_keeps_every_offset_and_reads_a_cue_line_as_going_on():
    text = "straße van fatima\nal baraka"
    out = _recased(text)
    assert len(out) == len(text)
    assert out == "straße van Fatima al Baraka"
    assert _recased("ßelma yilmaz") == "ßelma Yilmaz"  # no capital that is two letters ("SS")


@pytest.mark.parametrize(
    "said, read",
    [
        ("via anouk anouk janssen", "via Anouk,Anouk Janssen"),  # said twice: two names
        ("in de afrikaanderwijk yasmina wil", "in de Afrikaanderwijk,Yasmina wil"),  # a place, then a name
        ("met fatima bouzid", "met Fatima Bouzid"),  # one name
    ],
)
def test_recased_keeps_two_names_side_by_side_apart(said, read):
    assert _recased(said) == read


def test_detect_leaves_a_service_line_deduce_reads_as_a_phone():
    stub = StubDetector({"0800 98 809": "phone", "06-12345678": "phone"})
    got = found("Bel 0800 98 809 of mij op 06-12345678.", detector=stub)
    assert got == [("phone", "06-12345678")]


def test_caseless_only_for_text_without_capitals():
    lower = "ik heb met fatima gebeld" + _FILL
    cased = "Ik heb met Fatima gebeld. En toen zijn we samen naar huis gegaan. Het was al laat en iedereen was moe."
    assert caseless(lower, Region.of(lower, []))
    assert not caseless(cased, Region.of(cased, []))
    assert not caseless("ja nee", Region.of("ja nee", []))  # too short to tell


def test_detect_reads_a_caseless_text_through_its_capitals():
    # The stub flags a capitalised name, as deduce does: the old code found nothing here.
    stub = StubDetector({"Fatima Bouzid": "person"})
    text = "ik heb met fatima bouzid van het wijkteam gebeld" + _FILL
    assert ("person", "fatima bouzid") in found(text, detector=stub)


def test_detect_of_a_cased_text_is_unchanged():
    stub = StubDetector({"Fatima Bouzid": "person"})
    text = "Ik heb met fatima bouzid van het wijkteam gebeld. En toen zijn we samen naar huis gegaan."
    assert found(text, detector=stub) == []


@pytest.mark.parametrize(
    "said, category, expected",
    [
        (
            "haar mail is f punt bouzid apenstaartje wijkteamrotterdam punt nl als je",
            "email",
            "f punt bouzid apenstaartje wijkteamrotterdam punt nl",
        ),
        ("stuur het naar bilal punt elidrissi at gmail punt com of", "email", "bilal punt elidrissi at gmail punt com"),
        (
            "belt me op nul vier zeven vijf twaalf vierendertig zesenvijftig",
            "phone",
            "nul vier zeven vijf twaalf vierendertig zesenvijftig",
        ),
        (
            "app me op nul zes een twee drie vier vijf zes zeven acht dan",
            "phone",
            "nul zes een twee drie vier vijf zes zeven acht",
        ),
        ("geboren op vijftien maart negentienhonderd zesenzeventig in", "date", "vijftien maart negentienhonderd zesenzeventig"),
        ("toen was ik zeventien en toen moest ik", "age", "zeventien"),
        ("ze is negenenveertig ze werkt nu", "age", "negenenveertig"),
        ("sara is elf die zit nog op school", "age", "elf"),
    ],
)
def test_patterns_find_what_speech_says_aloud(said, category, expected):
    assert (category, expected) in [(c.category, c.text) for c in find_patterns(said)]


@pytest.mark.parametrize(
    "said",
    [
        "het scheelt nul komma vijf procent",
        "we stonden met nul twee drie vier achter",  # four digits: no phone number
        "kijk op de site van de gemeente punt",
        "het is vijf die kwamen",  # "waren" counts people
    ],
)
def test_patterns_leave_other_number_words(said):
    assert [c for c in find_patterns(said) if c.category in ("phone", "email")] == []


@pytest.mark.deduce
def test_caseless_real_deduce_finds_the_names_of_speech_recognition():
    detector = engine.DeduceDetector(engine.load())
    text = (
        "ik en mijn zus hatice en dan ook meneer yilmaz van de moskee in de sleepstraat "
        "mijn dochter elif is zeven en ja met lieve de clercq die belt me soms op "
        "nul vier zeven vijf twaalf vierendertig zesenvijftig en postnl brengt de pakjes"
    )
    cands = detect(text, [], DetectionContext.build(), detector)
    got = {(c.category, c.text) for c in cands}
    assert {("person", "hatice"), ("person", "yilmaz"), ("address", "sleepstraat"), ("person", "elif")} <= got
    assert ("person", "lieve de clercq") in got
    assert ("phone", "nul vier zeven vijf twaalf vierendertig zesenvijftig") in got
    assert all(c.text == text[c.start : c.end] for c in cands)  # the text's own words
    assert not any("postnl" in c.text for c in cands)
