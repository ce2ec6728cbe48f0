"""Word lists the detector consults: Dutch vocabulary and what is never personal data.

* The Dutch vocabulary (411,000 word forms) comes from the lemma tables that
  ``spacy-lookups-data`` ships, read directly as JSON (no spaCy import, ~0.2 s, once).
  It tells a common word ("mooi", "roos", "bakker") from a name nobody says as a word.
* ``data/not_personal.txt``: countries, languages, holidays, public services, brands.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
from functools import cache
from importlib import resources
from pathlib import Path

from .patterns import STREET_END


def _table(name: str) -> dict:
    folder = resources.files("spacy_lookups_data") / "data"
    with (folder / name).open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as f:
        return json.load(f)


@cache
def _lemma_tables() -> tuple[dict[str, str], dict[str, list[str]]]:
    return _table("nl_lemma_lookup.json.gz"), _table("nl_lemma_index.json.gz")


@cache
def finite_verbs() -> frozenset[str]:
    """Dutch verb forms other than participles ("sprak", "belt", "woonde"): after a name
    at a sentence's start they make it the subject ("Dirk sprak langzaam")."""
    lookup, index = _lemma_tables()
    verbs = set(index.get("verb", []))
    return frozenset(
        form
        for form, lemma in lookup.items()
        if lemma in verbs and form != lemma and not (form.startswith("ge") and form.endswith(("d", "t", "en")))
    )


@cache
def dutch_words() -> frozenset[str]:
    """Every lower-case Dutch word form and lemma in spaCy's Dutch lookup tables."""
    lookup, index = _lemma_tables()
    words: set[str] = set(lookup)
    words.update(lookup.values())
    for forms in index.values():
        words.update(forms)
    words.update(_deduce_whitelist())
    words.update(FUNCTION_WORDS)
    return frozenset(words)


@cache
def english_words() -> frozenset[str]:
    """Lower-case English nouns, adjectives, adverbs and verbs (spaCy's English lemma index):
    the jargon Dutch speakers capitalise ("Slack", "Scrum", "Library", "Workshop")."""
    return frozenset(w for forms in _table("en_lemma_index.json.gz").values() for w in forms if w.isalpha())


@cache
def name_words() -> frozenset[str]:
    """Case-folded first names and surnames from deduce's name lists, each surname also by
    its last word ("de Vries" -> "vries")."""
    names = first_names() | _deduce_list("names", ("lst_surname",))  # the first names' list read once
    return frozenset(names | {n.split()[-1] for n in names})


@cache
def nouns() -> frozenset[str]:
    """Dutch nouns and their forms ("moeder", "moeders", "fiets")."""
    lookup, index = _lemma_tables()
    lemmas = set(index.get("noun", []))
    return frozenset(lemmas | {form for form, lemma in lookup.items() if lemma in lemmas})


@cache
def first_names() -> frozenset[str]:
    """Case-folded first names from deduce's list."""
    return frozenset(_deduce_list("names", ("lst_first_name",)))


@cache
def place_names() -> frozenset[str]:
    """Case-folded Dutch place names of one word, and the first word of longer ones
    ("krimpen" of "Krimpen aan den IJssel"), from deduce's lists."""
    names = _deduce_list("locations/lst_placename", ("lst_residence", "lst_municipality"))
    return frozenset(n.split()[0] for n in names if n[:1].isalpha())


@cache
def stop_words() -> frozenset[str]:
    """deduce's Dutch stop words ("aan", "dan", "door", "van"): some are first names of its lists too."""
    return frozenset(_deduce_list("whitelist", ("lst_stop_word",)))


def _deduce_whitelist() -> set[str]:
    """deduce's own stop words and common words."""
    return _deduce_list("whitelist", ("lst_stop_word", "lst_common_word"))


def _deduce_list(group: str, lists: tuple[str, ...]) -> set[str]:
    """The case-folded items of deduce's lookup lists ``group/list`` (read as files: importing
    deduce is slow); empty without deduce."""
    spec = importlib.util.find_spec("deduce")
    if spec is None or not spec.submodule_search_locations:
        return set()
    folder = Path(spec.submodule_search_locations[0]) / "data" / "lookup" / "src" / group
    words: set[str] = set()
    for name in lists:
        path = folder / name / "items.txt"
        if path.is_file():
            words.update(line.strip().casefold() for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return words


# Adverbs, conjunctions and interjections that start spoken sentences; the lemma
# tables hold content words only.
FUNCTION_WORDS = frozenset(
    """daarna daarvoor daarom daardoor daarmee daarin daarop daarbij daarover daaraan daarnaast daarentegen
    toen dus maar ook nou ja jawel nee neen oké ok okee eerst later nu soms vaak altijd nooit meestal
    misschien eigenlijk gewoon echt zeker natuurlijk inderdaad precies tja hm hmm eh ehm uh ah oh o
    ach nouja kijk zeg hè he hoor toch wel niet niks niets iets alles iedereen niemand allemaal sommigen
    alleen samen verder bovendien trouwens tenminste ondertussen inmiddels intussen eindelijk gelukkig
    helaas vroeger vandaag gisteren morgen straks zo zoals omdat want terwijl hoewel als wanneer waar
    waarom wat wie welke hoe hier daar ergens overal dan dat dit die deze het een de en of of dat
    sinds tot voor na tijdens zonder met door over onder boven naast tussen bij da's 't 's""".split()
)


@cache
def _not_personal_text() -> str:
    return (resources.files(__package__) / "data" / "not_personal.txt").read_text(encoding="utf-8")


def _entries(text: str) -> frozenset[str]:
    return frozenset(line.strip().casefold() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@cache
def not_personal() -> frozenset[str]:
    """Case-folded names that are never personal data (see ``data/not_personal.txt``)."""
    return _entries(_not_personal_text())


@cache
def car_makes() -> frozenset[str]:
    """Case-folded car makes (the never-personal names under ``# car makes``): a make and
    its model ("Opel Zafira") are no one's name."""
    section = _not_personal_text().partition("\n# car makes")[2].partition("\n#")[0]
    return _entries(section.partition("\n")[2])


@cache
def countries() -> frozenset[str]:
    """Case-folded countries and regions (the never-personal names under ``# countries ...``
    and ``# more countries ...``): the neighbours of a city in a list ("Soedan, Khartoum")."""
    sections = re.split(r"\n(?=#)", _not_personal_text())
    return frozenset().union(*(_entries(s.partition("\n")[2]) for s in sections if re.match(r"# (?:more )?countries", s)))


@cache
def not_personal_pattern() -> re.Pattern:
    """The never-personal names as one pattern, to find them inside runs of capitals
    ("met Kind en Gezin natuurlijk")."""
    names = sorted((n for n in not_personal() if " " in n or "-" in n), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w-])", re.I)


@cache
def not_personal_words() -> frozenset[str]:
    """The words of the never-personal names of several words ("kind", "gezin")."""
    return frozenset(w for n in not_personal() if " " in n or "-" in n for w in re.split(r"[\s-]+", n))


def ordinary_word(word: str) -> bool:
    """A lower-case Dutch word of the lookup tables, or a plural of one they miss
    (``gezinnen``, ``moeders``, ``vrouwen``)."""
    words = dutch_words()
    if word in words:
        return True
    if word.endswith("s") and len(word) > 4 and word[:-1] in words:
        return True
    stem = word[:-2] if word.endswith("en") else ""
    return len(stem) > 3 and (stem in words or (stem[-1] == stem[-2] and stem[:-1] in words))


MIN_COMPOUND_HEAD = 4  # shortest never-personal name a compound starts with (Roma, Gent)
MIN_COMPOUND_TAIL = 5  # shortest word after it ("WhatsAppgroep"; not "Romanus", "Brusselmans", "Turkenburg")
_STREET = re.compile(rf"(?:{STREET_END})$")  # "Surinameplein" is an address


def not_personal_compound(word: str) -> bool:
    """A never-personal name joined to ordinary words is no name either: "Roma-gezinnen",
    "Roma-vzw", "Marokko-reis" (lower case after the hyphen), "WhatsAppgroepen" (an
    ordinary Dutch word after it). "Romanus" stays a name ("nus" is no word), and so
    does a street ("Surinameplein", "Marokkostraat")."""
    if " " in word or _STREET.search(word.casefold()):
        return False
    head, hyphen, tail = word.partition("-")
    if hyphen:
        return head.casefold() in not_personal() and tail.replace("-", "").isalpha() and tail.islower()
    folded = word.casefold()
    names = not_personal()
    # Heads no longer than the longest name: a 100,000-letter word was cut at every letter
    # (each cut copying the head: quadratic, 2.6 s; a megabyte some minutes).
    return any(
        folded[:cut] in names and word[cut:].islower() and ordinary_word(folded[cut:])
        for cut in range(MIN_COMPOUND_HEAD, min(len(folded) - MIN_COMPOUND_TAIL, longest(names)) + 1)
    )


@cache
def longest(table: frozenset[str]) -> int:
    """The length of the longest word of one of the tables here (made once per table)."""
    return max(map(len, table), default=0)


def ordinary_word_reach() -> int:
    """The length of the longest word :func:`ordinary_word` can accept (a plural of the longest
    of the tables': ``-en`` after a doubled letter)."""
    return longest(dutch_words()) + 3


def ordinary_compound(folded: str) -> bool:
    """Two Dutch words joined: "sorteercentrum", "kookmiddag", "opvoedcursus" (not a name
    the tables miss). ``folded`` is case-folded."""
    # Heads no longer than a word can be: a 100,000-letter word was cut at every letter (quadratic).
    return any(
        ordinary_word(folded[:cut]) and ordinary_word(folded[cut:])
        for cut in range(3, min(len(folded) - 3, ordinary_word_reach() + 1))
    )


# Adjectives of nationality and origin: Turkse, Marokkaanse, Somalische, Eritrese,
# Nederlandse, Vlaamse, Molukse, Poolse, Oekraïense, Bulgaarse; peoples: Libanezen,
# Congolezen, Pakistanen, Afghanen, Nederlander, Brabander. (Not names ending in -se:
# Denise, Louise; nor Vriezen, Virtanen.)
NATIONALITY = re.compile(
    r"(?:aanse|aamse|aarse|landse|ische|sche|kse|[^i]ese|oolse|aalse|ijnse|eense|iaanse|ïense)$|(?:aans|isch|iërs?|ees)$"
    r"|(?:an|in|ol|al|ug|ar|on)ezen$|(?:st|gh|kk|ik|ic|et)anen$|(?:nederl|brab)anders?$"
)

# Interfixes of Dutch and Flemish surnames, and particles of Arabic and Turkish ones:
# written in lower case inside a sentence ("van Dijk") and capitalised at its start.
INTERFIXES = frozenset(
    "van de der den het ter ten te op in 't la le du da di del della von vd v/d el al bin ibn ben bint".split()
)

# Relatives and neighbours whose name follows ("haar dochter zuzia", "mijn buurvrouw ayaan").
RELATIVES = frozenset(
    """dochter dochtertje zoon zoontje broer broertje zus zusje kleinzoon kleindochter kleinkind neef nicht
    buurvrouw buurman vriendin vriend schoonmoeder schoonvader schoonzus zwager man vrouw
    begeleider begeleidster coördinator vrijwilliger vrijwilligster wijkagent mentor voogd docent leerkracht
    verpleegkundige huisarts directeur directrice kleine oudste jongste middelste""".split()
)

# Titles and forms of address kept in front of a pseudonym ("meneer [persoon 3]").
TITLES = frozenset(
    "meneer mevrouw mw mw. dhr dhr. mr mr. dr dr. juf juffrouw meester dokter zuster broeder collega "
    "hoca imam abba abuna pastoor dominee pater oom tante opa oma mama papa mijnheer heer "
    # forms of address of Somali, Ghanaian and Indonesian speakers: "Hooyo Faadumo", "Auntie Grace", "Pak Hendrik"
    "hooyo auntie aunty uncle pastor opanin pak bapak ibu "
    "minister staatssecretaris wethouder burgemeester kamerlid professor prof prof. drs drs. ir ir. ing ing.".split()
)
