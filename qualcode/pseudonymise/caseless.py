"""Text written without capitals: automatic speech recognition, chat, quick notes.

"ik heb met fatima van het wijkteam gebeld" gives detection nothing to go on: deduce
and the proper-noun rules read a name by its capital. For such a text detection reads
a *recased* copy in which the words that are names by evidence start with a capital:

* a first name or surname of deduce's lists, or a Dutch place name, that is no Dutch
  word ("fatima", "yilmaz", "barendrecht"; not "bakker", "roos");
* a street by its ending ("putselaan", "hilledijk");
* the word after a title or a relative ("imam abdelkader", "mevrouw de bruin", "haar
  dochter zuzia"), after a first name ("fatima bouzid", "jeroen de graaf") or after
  "in", "uit", "naar" ("uit nador"), when it is no Dutch word (or, after an interfix, a
  surname of the lists); after a title, a relative or "ik ben" a first name of the lists
  that is a Dutch word too ("juf iris", "collega fleur", "ik ben roos van den heuvel");
  after "uit" and "naar" an English word too ("uit mogadishu"); after a surname, an
  interfix and a word that is none ("lopes da graça");
* a name beside the kind of organisation ("café de vriendschap", "albeda college"),
  its article too ("café De Vriendschap", "slagerij Al Baraka").

Only the case of a first letter changes (never a letter whose capital is longer, such
as "ß"), a line break inside a turn becomes a space (a subtitle cue's line ends no
sentence: "slagerij\nal baraka") and the space between two names that cannot be one a
comma ("anouk anouk", "afrikaanderwijk yasmina"), so the copy has the text's length and
every offset found in it holds in the text. A text counts as caseless when hardly any of
its words start with a capital; a text written with capitals is read as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .context import AREA_TEAMS, CAPITALISED, ORG_WORDS, PRONOMINAL_ADVERB, Region
from .patterns import NUMBER, STREET_END
from .words import (
    FUNCTION_WORDS,
    INTERFIXES,
    RELATIVES,
    TITLES,
    dutch_words,
    english_words,
    first_names,
    name_words,
    nouns,
    ordinary_compound,
    ordinary_word,
    place_names,
    stop_words,
)

# At most this share of a caseless text's words starts with a capital (a text with
# capitals has one at every sentence's start: ~1 word in 12).
MAX_CAPITALISED_SHARE = 0.02
MIN_WORDS = 20

_WORD = re.compile(r"[^\W\d_][\w'’]*(?:-[\w'’]+)*")
_STREET = re.compile(rf"[^\W\d_]{{3,}}(?:{STREET_END})")
_PLACE_BEFORE = frozenset({"in", "uit", "naar", "vanuit", "richting"})
# A street whose name is a Dutch word of the tables ("kruisstraat", "kastanjelaan", "dorpsstraat"):
# an address after "in/op/aan/bij/... de" or before its number ("de kastanjelaan honderdvierentwintig"),
# not a kind of street ("in een zijstraat", "de winkelstraat").
_WORD_STREET = re.compile(r"[^\W\d_]{3,}(?:straat|laan|plein|dreef|kade|gracht|singel|steenweg)")
_STREET_KINDS = frozenset({"zijstraat", "woonstraat", "winkelstraat", "achterstraat", "hoofdstraat", "doorgaande"})
_AT_STREET = frozenset({"in", "op", "aan", "bij", "naar", "langs", "via", "was", "is", "adres"})
_HOUSE_NUMBER_WORD = re.compile(rf"\d{{1,4}}[a-z]?|(?:{NUMBER}|\w*honderd\w*)")
# After these a word English has too is a place still ("uit mogadishu"; "in shape" is none).
_FROM_OR_TO = frozenset({"uit", "naar", "vanuit", "richting"})
# Titles a surname follows ("meneer hoorn", "mevrouw bakker"): a surname of the lists is the
# name there even when it is a Dutch word.
_SURNAME_TITLES = frozenset({"meneer", "mijnheer", "mevrouw", "heer", "dhr", "mw"})
# After these "in" says where one lives or was born: an English word is a place there too
# ("ik ben geboren in paramaribo").
_LIVING = frozenset({"geboren", "woon", "woont", "wonen", "woonde", "woonden", "opgegroeid"})
# First names of the lists that are words said after a relative or "ik ben" as the words
# they are ("mijn dochter wil", "ik ben klaar", "mijn zoon mee").
# (deduce's stop words are none either: "aan", "dan", "door", "men", "onder").
_NOT_A_FIRST_NAME_HERE = frozenset({"klaar", "mee", "ay", "will"})
_SURNAME_LINKS = INTERFIXES - {"in", "op", "te"}
_GENITIVE = re.compile(r"['’]s?$")
_NAMING = frozenset({"heet", "heette", "noemde", "heten"})
_ARTICLES = frozenset({"de", "het", "'t", "al", "el"})
# Kinds of organisation a name follows ("café de vriendschap", "basisschool de globetrotter").
_KIND_BEFORE = (
    ORG_WORDS
    | AREA_TEAMS
    | {"slagerij", "kapsalon", "garage", "koffiehuis", "theehuis", "eetcafé", "snackbar", "az", "uz", "cgg"}
)
# Kinds whose next word is the name, even a Dutch word: "stichting lumens", "vzw kolonie".
_NAMING_KINDS = frozenset({"stichting", "vzw"})
# A kind of organisation in a compound: "woonzorgcentrum sint-jozef", "groepspraktijk de vaart".
_KIND_END = re.compile(r"\w{3,}(?:centrum|praktijk|school|college|kliniek|ziekenhuis|vereniging|club)")
# A saint's name is a name of a place, a school, a hospital or a church: "sint-amandsberg", "az sint-lucas".
_SAINT = re.compile(r"sint-\w{3}")
_NAMED_KIND_AFTER = frozenset("college lyceum gymnasium atheneum academie ziekenhuis".split())
# Kinds of organisation a name precedes ("albeda college", "al ouma moskee", "maasstad ziekenhuis").
_KIND_AFTER = frozenset(
    "college lyceum gymnasium atheneum academie moskee kerk tempel ziekenhuis kliniek school basisschool".split()
)


def caseless(text: str, region: Region) -> bool:
    """Whether the speech in ``text`` is written (nearly) without capitals."""
    # Every transcript is asked: a text with capitals is told early. A word and the
    # character after it take two characters at least, so more capitals than the share of
    # half the characters are more than the share of the words.
    enough = MAX_CAPITALISED_SHARE * (sum(end - start for start, end in region.spans) + 1) / 2
    capitals = 0
    for start, end in region.spans:
        for _ in CAPITALISED.finditer(text, start, end):
            capitals += 1
            if capitals > enough:
                return False
    words = sum(len(_WORD.findall(text, start, end)) for start, end in region.spans)
    return words >= MIN_WORDS and capitals <= words * MAX_CAPITALISED_SHARE


def caseless_part(text: str, region: Region) -> Region | None:
    """The part of ``region`` written without capitals: all of it, or the turns that are
    (a passage of speech recognition in a typed transcript), or None."""
    if caseless(text, region):
        return region
    spans = [span for span in region.spans if caseless(text, Region([span]))]
    return Region(spans) if spans else None


def known_words(names: Iterable[tuple[str, str]], *, first_names_too: bool = False) -> dict[str, str]:
    """The words of ``names`` (text, category) a caseless text's words are read as, case-folded,
    by category: no Dutch word ("roos", "bollen"), no interfix, none of two letters. With
    ``first_names_too`` a person's first name of the lists that is a Dutch word too counts
    ("bas", "roos": the names found in this text by their evidence, "collega bas")."""
    out: dict[str, str] = {}
    for text, category in names:
        for word in _WORD.findall(text):
            folded = word.casefold()
            if len(folded) > 2 and folded not in INTERFIXES and folded not in TITLES:
                if not _dutch(folded) or (first_names_too and category == "person" and _first_name_word(folded)):
                    out.setdefault(folded, category)
    return out


def _first_name_word(folded: str) -> bool:
    """A first name of the lists that may be the name where it is a Dutch word too ("roos",
    "bas", "fleur"), not a word said there as the word ("wil", "klaar")."""
    return (
        len(folded) > 2
        and folded in first_names()
        and folded not in FUNCTION_WORDS
        and folded not in INTERFIXES
        and folded not in _NOT_A_FIRST_NAME_HERE
        and folded not in stop_words()
    )


def _plain(folded: str) -> bool:
    """A Dutch or English word, not a name: "erin", "mensen", "youtuber"."""
    return ordinary_word(folded) or folded in english_words() or bool(PRONOMINAL_ADVERB.fullmatch(folded))


def _dutch(folded: str) -> bool:
    """A Dutch word (an English one may be a name here: "baraka", "globetrotter"), an
    adjective's inflected form the tables lack too ("nieuwe", "grote": not the first word
    of the place "Nieuwe-Pekela")."""
    if ordinary_word(folded) or PRONOMINAL_ADVERB.fullmatch(folded):
        return True
    stem = folded[:-1]
    return (
        len(folded) > 4
        and folded.endswith("e")
        and (stem in dutch_words() or (stem[-2] in "aeou" and stem[-3] not in "aeiou" and stem[:-1] + stem[-2:] in dutch_words()))
    )


def _listed_name(folded: str) -> bool:
    """A name of deduce's lists that is no Dutch word. A first name may be an English word
    too ("fatima"); a surname that is one ("page", "will") is read as the word, and so is
    a short place name ("appen")."""
    if _dutch(folded):
        return False
    if folded in first_names() or _STREET.fullmatch(folded):
        return True
    if folded in english_words():
        return False
    return folded in name_words() or (len(folded) >= 6 and folded in place_names())


def recased(text: str, region: Region, known: dict[str, str] | None = None) -> str:
    """``text`` with the first letter of each word that is a name by evidence capitalised
    (see the module doc), the words of ``known`` names too (see :func:`known_words`: a
    speaker label's "Yonas Tesfamariam" is "yonas" in the text); the same length as ``text``.
    A name found by its evidence at one place is a name at its others: "haar dochter zuzia
    ... dus zuzia vertaalt alles" (else the bare one reads as an ordinary word)."""
    known = known or {}
    copy, evident = _recased(text, region, known)
    if evident.keys() - known.keys():
        copy, _ = _recased(text, region, {**evident, **known})
    return copy


def _recased(text: str, region: Region, known: dict[str, str]) -> tuple[str, dict[str, str]]:
    """The copy, and the words it capitalised by evidence (by category) that are names
    wherever they stand: no Dutch word, or a first name found after a title or a relative."""
    chars = list(text)
    evident: dict[str, str] = {}
    for start, end in region.spans:
        words = list(_WORD.finditer(text, start, end))
        up = [False] * len(words)
        place = [False] * len(words)  # marked as a place: "uit nador", a listed place, a street
        folded = [_GENITIVE.sub("", w.group().casefold()) for w in words]  # "nelson's" is "nelson"
        for i, f in enumerate(folded):
            if f in known:
                up[i] = True
                place[i] = known[f] == "place"
            elif len(f) > 2 and _listed_name(f) and not (i and folded[i - 1] == "ik" and _first_person(f)):
                up[i] = True
                place[i] = f not in name_words()
            elif (_first_name_word(f) or (len(f) > 2 and not _plain(f))) and _introduced(folded, i + 1):
                up[i] = True  # "bas is mijn collega", "sterre dat is de dochter van nelson"
            elif _first_name_word(f) and _surname_follows(folded, i + 1):
                up[i] = True  # "fleur de bruijn" (not "roos van de buurt")
        for i, f in enumerate(folded):
            said = f == "ben" and i and folded[i - 1] == "ik"  # "ik ben roos": not "ik ben klaar"
            if f in _NAMING or (f == "is" and i and folded[i - 1] == "naam") or said:
                # "ik heet yonas", "mijn naam is mohammed al-hamwi": a first name of the lists
                # that is a Dutch word of the tables too, or any word that is none.
                j = i + 1
                if j < len(words) and len(folded[j]) > 2 and folded[j] not in TITLES:
                    listed = _first_name_word(folded[j]) if said else folded[j] in first_names()
                    up[j] |= listed or not _plain(folded[j])
            if f in TITLES or f in RELATIVES:
                _mark_name_after(folded, up, i + 1, first_name_word=True)
                j = i + 1
                if f in _SURNAME_TITLES and j < len(words) and _surname_word(folded[j]):
                    up[j] = True  # "meneer hoorn de wiskundeleraar"
            elif up[i] and (f in first_names() or known.get(f) == "person"):
                _mark_name_after(folded, up, i + 1)
            elif up[i] and i + 2 < len(words) and folded[i + 1] in _SURNAME_LINKS and not _plain(folded[i + 2]):
                up[i + 2] = len(folded[i + 2]) > 2  # "lopes da graça", "warsame abdi"
            elif f in _PLACE_BEFORE:
                # "uit nador", "in de afrikaanderwijk" (not "in het sorteercentrum")
                j = i + 1 + (i + 1 < len(words) and folded[i + 1] in {"de", "het"})
                if j < len(words) and len(folded[j]) > 3 and folded[j] not in TITLES:
                    # A listed place that English has too is one here: "in rotterdam".
                    listed = len(folded[j]) >= 6 and folded[j] in place_names() and not _dutch(folded[j])
                    if (
                        (f in _FROM_OR_TO or (i and folded[i - 1] in _LIVING))
                        and not _dutch(folded[j])
                        and not ordinary_compound(folded[j])
                    ):
                        listed = True  # "uit mogadishu", "naar leicester" (not "naar de koffieochtend")
                    if listed or not _plain(folded[j]):
                        up[j] |= listed or not ordinary_compound(folded[j])
                        place[j] = up[j]
            elif f == "de" and i + 1 < len(words) and _street_word(folded, i + 1):
                up[i + 1] = place[i + 1] = True  # "bij de kruisstraat", "de kastanjelaan honderdvierentwintig"
            elif f in {"al", "el"} and i + 1 < len(words) and len(folded[i + 1]) > 3 and not _dutch(folded[i + 1]):
                up[i + 1] = True  # an Arabic article before a name: "el idrissi", "al baraka"
            if f in _KIND_BEFORE or _KIND_END.fullmatch(f):
                _mark_kind_name(folded, up, i + 1)
            up[i] |= bool(_SAINT.match(f))
            if f in _KIND_AFTER and i > 0 and len(folded[i - 1]) > 2 and not _plain(folded[i - 1]):
                up[i - 1] = True
                up[i] |= f in _NAMED_KIND_AFTER  # "Albeda College" (but "de Fatih moskee")
                up[i - 2] |= i > 1 and folded[i - 2] in {"al", "el"}  # "Al Ouma moskee"
        for i in range(len(words) - 2):
            # A choice of places: "uit mogadishu of kismayo" (a word that is no Dutch or English
            # word: not "in rotterdam of zo"; not after "en": "in rotterdam en tesfay zei").
            if place[i] and up[i] and folded[i + 1] == "of" and len(folded[i + 2]) > 3:
                if not _plain(folded[i + 2]) and folded[i + 2] not in TITLES and not up[i + 2]:
                    up[i + 2] = place[i + 2] = True
        for i in range(len(words) - 1, 0, -1):
            # The first name before a known surname: "selam tesfamariam" of "Yonas Tesfamariam".
            if up[i] and known.get(folded[i]) == "person" and not up[i - 1] and len(folded[i - 1]) > 2:
                up[i - 1] = not _plain(folded[i - 1]) and folded[i - 1] not in TITLES
        for f, u, p in zip(folded, up, place, strict=True):
            if u and f not in known and f not in TITLES and f not in INTERFIXES and (not _dutch(f) or _first_name_word(f)):
                evident.setdefault(f, "place" if p else "person")
        for word, u in zip(words, up, strict=True):
            first = word.group()[0]
            if u and len(first.upper()) == 1:
                chars[word.start()] = first.upper()
        for i in range(1, len(words)):
            # Two names side by side where a sentence ended unseen: "anouk anouk janssen" (said
            # twice), "in de afrikaanderwijk yasmina wil": a comma keeps them apart.
            a, b = words[i - 1], words[i]
            if up[i - 1] and up[i] and b.start() == a.end() + 1 and text[a.end()] == " ":
                if folded[i - 1] == folded[i] or (place[i - 1] and folded[i] in first_names()):
                    chars[a.end()] = ","
        for k in range(start, end):
            if chars[k] == "\n":
                chars[k] = " "  # a line ends a cue, not a sentence: "slagerij\nal baraka"
    return "".join(chars), evident


def _street_word(folded: list[str], i: int) -> bool:
    """Whether the word at ``i`` (after "de") is a street whose name is a Dutch word, by what
    stands around it: "bij de kruisstraat", "de kastanjelaan honderdvierentwintig"."""
    f = folded[i]
    if f in _STREET_KINDS or not _WORD_STREET.fullmatch(f) or not _dutch(f):
        return False
    return (i > 1 and folded[i - 2] in _AT_STREET) or (
        i + 1 < len(folded) and _HOUSE_NUMBER_WORD.fullmatch(folded[i + 1]) is not None
    )


def _surname_follows(folded: list[str], i: int) -> bool:
    """Whether interfixes and a surname of the lists that is no Dutch word follow from ``i``."""
    j = i
    while j < len(folded) and folded[j] in _SURNAME_LINKS:
        j += 1
    return i < j < len(folded) and folded[j] in name_words() and not _dutch(folded[j])


_DETERMINERS = frozenset({"mijn", "de", "zijn", "haar", "onze", "ons", "hun", "een"})


def _introduced(folded: list[str], i: int) -> bool:
    """Whether the words from ``i`` say who the word before is: "is mijn collega", "dat is
    de dochter van nelson", "die is de juf"."""
    if i + 1 < len(folded) and folded[i] in {"dat", "die"}:
        i += 1
    if i + 1 >= len(folded) or folded[i] != "is":
        return False
    j = i + 1 + (folded[i + 1] in _DETERMINERS)
    return j < len(folded) and (folded[j] in RELATIVES or folded[j] in TITLES)


def _mark_name_after(folded: list[str], up: list[bool], i: int, *, first_name_word: bool = False) -> None:
    """Mark the name that starts at word ``i``: a word that is no Dutch word ("fatima
    bouzid", "imam abdelkader"), after interfixes a surname of the lists too ("kees van
    dijk", "mevrouw de bruin"; not "fatima van het wijkteam"); with ``first_name_word``
    (after a title or a relative) a first name that is a Dutch word too ("juf iris")."""
    j = i
    while j < len(folded) and folded[j] in INTERFIXES:
        j += 1
    if j >= len(folded) or len(folded[j]) < 2 or folded[j] in TITLES:
        return
    word = folded[j]
    if (not _plain(word) and not _verb_form(word)) or (j > i and word in name_words()):
        up[j] = True
    elif (
        first_name_word
        and j == i
        and (_first_name_word(word) or (len(word) == 2 and word in first_names() and word not in _NOT_A_FIRST_NAME_HERE))
    ):
        up[j] = True  # "juf iris", "kleinzoon mo"


def _surname_word(folded: str) -> bool:
    """A surname of the lists that may be the name after "meneer" though it is a Dutch word
    ("hoorn", "bakker"), not a word said there ("meneer zei", "mevrouw die")."""
    return (
        len(folded) > 2
        and folded in name_words()
        and folded not in FUNCTION_WORDS
        and folded not in INTERFIXES
        and folded not in stop_words()
        and not _verb_form(folded)
    )


def _first_person(word: str) -> bool:
    """A verb as "ik" says it: "ken" (kennen), "werk" (werken): "ik ken niemand" names no Ken."""
    return ordinary_word(word + "en") or ordinary_word(word + word[-1] + "en")


_DOUBLED_VOWEL = re.compile(r"(aa|ee|oo|uu)(?=[^aeiou]$)")


# Past tenses of strong verbs the tables lack: "hatice kwam hier binnen" holds no surname.
_STRONG_PAST = frozenset(
    "kwam kwamen zaten nam namen gaven moest moesten wist wisten vroeg vroegen sliep sliepen hing hingen "
    "viel vielen hield hielden riep riepen trok trokken sloeg sloegen zweeg droeg droegen".split()
)


# Present tenses of irregular verbs the tables lack: "bas gaat volgend jaar" holds no surname.
_IRREGULAR_PRESENT = frozenset("gaat staat slaat doet ziet heeft hoeft kan mag zal wil moet weet".split())


def _verb_form(word: str) -> bool:
    """A verb the tables have only as its infinitive: "werkt" (werken), "speelt" (spelen),
    "wordt" (worden): "saba werkt zij ook" holds no surname; a strong verb's past ("kwam"),
    an irregular present ("gaat")."""
    if word in _STRONG_PAST or word in _IRREGULAR_PRESENT:
        return True
    if len(word) < 4 or not word.endswith("t"):
        return False
    stem = word[:-1]
    return ordinary_word(stem + "en") or ordinary_word(_DOUBLED_VOWEL.sub(lambda m: m.group()[0], stem) + "en")


def _mark_kind_name(folded: list[str], up: list[bool], i: int) -> None:
    """After a kind of organisation: its name, after an article a noun too ("café de
    vriendschap", "bakkerij de korenschoof", "slagerij al baraka")."""
    article = i < len(folded) and folded[i] in _ARTICLES
    j = i + article
    if j >= len(folded) or len(folded[j]) < 3:
        return
    word = folded[j]
    # After the article any word but a short one the tables miss ("de hele dag"); after
    # "stichting" or "vzw" a Dutch word too ("stichting lumens"), but no verb or function
    # word ("de stichting heeft", "stichting voor").
    named = (
        not article
        and i > 0
        and folded[i - 1] in _NAMING_KINDS
        and len(word) > 3
        and word not in FUNCTION_WORDS
        and word not in stop_words()
        and not _verb_form(word)
    )
    if named or (not article and not _plain(word)) or (article and (word in nouns() or (len(word) > 4 and not _dutch(word)))):
        up[j] = True
        up[i] |= article  # the article is the name's: "café De Vriendschap", "slagerij Al Baraka"
