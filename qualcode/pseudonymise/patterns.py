"""Dutch and Flemish patterns that deduce leaves out or gets wrong in interviews.

deduce was made for medical records: it knows Dutch numbers, dates written with
digits and names from its lists. Interviews also say ages and dates in words
(``een zoon van dertien``, ``op maandag 8 april``), use Belgian phone numbers,
postcodes and national register numbers, and name streets without a house number.
Each function takes the text and returns candidates; they are pure regular
expressions (fast: the whole set costs a fraction of deduce's own time).
"""

from __future__ import annotations

import re

from .categories import Candidate

_UNITS = "een|één|twee|drie|vier|vijf|zes|zeven|acht|negen"
_TEENS = "tien|elf|twaalf|dertien|veertien|vijftien|zestien|zeventien|achttien|negentien"
_TENS = "twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig"
# 1-99 written out ("eenentwintig", "vierendertig", "vijfenzestig") or in digits; a toddler's
# "anderhalf", "tweeënhalf".
NUMBER = rf"(?:\d{{1,3}}|(?:(?:{_UNITS})[eë]n)?(?:{_TENS})|{_TEENS}|anderhalf|(?:{_UNITS})[eë]nhalf|{_UNITS})"
_UNIT_WORDS = r"jaar|jaren|maanden|maand|weken|week|dagen"

_BE = r"(?:ben|is|was|werd|word|wordt|zijn|waren)"
# Words that may follow "ik ben N (jaar)" when N is an age ("ik ben 41 jaar en ..."),
# as opposed to a duration ("ik ben acht jaar vrijwilliger").
# Without punctuation (speech recognition) a new sentence's subject ends it too: "ze is
# negenenveertig ze werkt", "sara is elf die zit".
_AFTER_AGE = r"(?=\s*(?:[.,;:!?)]|$|\s(?:en|maar|dus|want|toen|nu|hoor|geworden|oud(?!-)|of zo|ofzo|ik|hij|ze|zij|die)\b))"
_KIN = (
    r"zoon|zoontje|dochter|dochtertje|kind|kindje|kinderen|meisje|meid|jongen|jongetje|baby|tiener|puber|"
    r"broer|broertje|zus|zusje|moeder|vader|man|vrouw|papa|mama|jongeman|vrouwtje|mannetje|neef|nicht|kleinkind|"
    r"mevrouw|meneer|mijnheer|dame|heer|oma|opa|cliënt|cliënte|patiënt|patiënte|bewoner|bewoonster|buurvrouw|buurman"
)

# Age patterns, each tried only where its anchor word occurs (found with str.find,
# which is much faster than letting a regular expression scan the whole text):
# ``(anchor, pattern matched at the anchor, required text before the anchor)``.
_COUNTED = (
    r"kinderen|kids|jongens|meisjes|zonen|zoons|dochters|broers|zussen|kleinkinderen|mensen|vrouwen|mannen|"
    r"gezinnen|personen|ouders|of|tot|à"
)
# An age said as an ordinal after "sinds mijn", "vanaf haar", "op zijn", "tot hun".
_AGE_ORDINAL = (
    rf"(?:(?:{_UNITS})[eë]n(?:{_TENS})ste|(?:{_TENS})ste|eerste|tweede|derde|vierde|vijfde|zesde|zevende|achtste|"
    rf"negende|tiende|elfde|twaalfde|dertiende|veertiende|vijftiende|zestiende|zeventiende|achttiende|negentiende|"
    rf"\d{{1,2}}(?:ste|de|e))"
)
_AFTER_ORDINAL_AGE = r"in|bij|naar|op|al|en|maar|dus|want|toen|heb|had|ben|was|woon|woonde|ik|hij|ze|zij|jaar|levensjaar"
_SINCE_BEFORE = re.compile(r"\b(?:sinds|vanaf|op|tot|na|rond|voor)\s+$", re.I)
_KIN_BEFORE = re.compile(rf"\b(?:{_KIN})(?:,?\s+[A-Z][\w'’-]+,?)?\s+$", re.I)
AGE_AT = [
    # "een zoon van dertien", "zoontje van drie jaar", "haar dochter Elif van veertien"
    # (not "een moeder van vier kinderen": a count of people)
    (
        " van ",
        re.compile(rf"van\s+(?P<age>{NUMBER}(?:\s+(?:{_UNIT_WORDS}))?)\b(?!\s+(?:{_COUNTED})\b)", re.I),
        _KIN_BEFORE,
    ),
    # "ik ben 41 jaar en", "hij is nu negen.", "ze is net twee geworden", "was zes maanden"
    *(
        (
            f" {verb} ",
            re.compile(
                # "was ik zeventien": the subject after the verb
                rf"{verb}\s+(?:(?:ik|hij|ze|zij)\s+)?(?:(?:nu|pas|net|bijna|al|ongeveer|inmiddels|toen|destijds|daar|ook|zelf)\s+)?"
                rf"(?P<age>{NUMBER}(?:\s+(?:jaar|maanden|maand|weken)(?:\s+oud)?)?){_AFTER_AGE}",
                re.I,
            ),
            None,
        )
        for verb in ("ben", "is", "was", "werd", "word", "wordt", "zijn", "waren")
    ),
    # "toen hij vijftien was", "toen ik 12 jaar was"
    (
        "toen ",
        re.compile(rf"toen\s+(?:ik|hij|zij|ze|je|we|wij)\s+(?P<age>{NUMBER}(?:\s+jaar)?)\s+(?:was|waren|werd)\b", re.I),
        None,
    ),
    # "leeftijd van 12"
    ("leeftijd", re.compile(rf"leeftijd\s+van\s+(?P<age>{NUMBER}(?:\s+jaar)?)\b", re.I), None),
    # "sinds mijn negentiende", "vanaf haar twaalfde", "op zijn 16e" (not "sinds mijn eerste baan")
    *(
        (
            f" {whose} ",
            re.compile(
                rf"{whose}\s+(?P<age>{_AGE_ORDINAL})(?=\s*(?:[.,;:!?)]|$|\s(?:{_AFTER_ORDINAL_AGE})\b))",
                re.I,
            ),
            _SINCE_BEFORE,
        )
        for whose in ("mijn", "zijn", "haar", "hun")
    ),
]
# Patterns that end at their anchor: tried in a window just before it.
AGE_BEFORE = [
    # ", twintig jaar," after a name; "een meisje, zestien jaar, alleen gekomen"
    (" jaar", re.compile(rf"(?<=,)\s(?P<age>{NUMBER}\s+jaar(?:\s+oud)?)(?=\s*[,.;)])", re.I)),
    # "dertienjarige", "13-jarige"
    ("jarig", re.compile(rf"\b(?P<age>{NUMBER}-?jarige?n?)\b", re.I)),
    # "15 jaar oud", "zes maanden oud"
    (" oud", re.compile(rf"\b(?P<age>{NUMBER}\s+(?:jaar|maanden)\s+oud)\b", re.I)),
]

AGE_LIST_NEXT = re.compile(
    rf",?\s+(?:of\s+)?(?P<age>{NUMBER}(?:\s+jaar)?)\b(?=\s*(?:[.,;:!?)]|$|\s(?:en|maar|ze|zij|hij|die)\b))", re.I
)
# An age said after a name, between commas: "Sayed, negentien, hij is", "Mo, zeventien.";
# or, as speech without punctuation says it, after "die is" or "van": "ilayda die is
# vijftien dan emir van elf" (not before a unit: "van elf uur", "die is tien euro").
AGE_AFTER_NAME = re.compile(
    rf"(?:(?:[ \t]+(?:voluit|dus|toen|nu))?,[ \t]+(?P<age>{NUMBER}(?:[ \t]+jaar)?)(?=[ \t]*[,.;)])"
    rf"|[ \t]+(?:die[ \t]+is|van)[ \t]+(?P<spoken>{NUMBER}(?:[ \t]+jaar)?)\b"
    r"(?![ \t]+(?:uur|euro|procent|minuten|keer|kilo|dagen|weken|maanden|tot|of)\b))",
    re.I,
)

# A hospital or school named by its acronym and name ("AZ Groeninge", "ZNA Middelheim",
# "ROC Mondriaan", "UZ Gent") or by an acronym of its own ("UZA", "UMCG"): it points to
# where someone is treated or taught. (The kinds alone, "het ROC", "een AZ", are no one's.)
ACRONYM_KINDS = ("AZ ", "UZ ", "ZNA ", "GZA ", "ROC ", "UMC ", "MUMC", "OLV ", "HZA ")
ACRONYM_ORGANISATION = re.compile(
    r"\b(?:(?:AZ|UZ|ZNA|GZA|ROC|UMC|OLV|HZA)[ \t]+(?:(?:de|het|van|Sint)[ \t-]+)?[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+)?"
    r"|(?:UZA|UMCG|LUMC|UMCU|MUMC\+?|VUmc|AMC|OLVG|ZOL|UZB|GZA|ZNA|AZMM)\b)"
)
ACRONYM_NAMES = ("UZA", "UMCG", "LUMC", "UMCU", "MUMC", "VUmc", "AMC", "OLVG", "ZOL", "UZB", "GZA", "ZNA", "AZMM")

_MONTHS = (
    r"januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    r"feb|mrt|apr|aug|sept|sep|okt|nov|dec"
)
_DAYS = r"maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag"
# A day said as an ordinal: "de derde oktober", "op eenentwintigste juni".
_ORDINAL = (
    rf"(?:(?:{_UNITS})[eë]n(?:twintig|dertig)ste|twintigste|dertigste|eerste|tweede|derde|vierde|vijfde|zesde|"
    rf"zevende|achtste|negende|tiende|elfde|twaalfde|dertiende|veertiende|vijftiende|zestiende|zeventiende|"
    rf"achttiende|negentiende)"
)
# A year said in words: "negentienhonderd zesenzeventig", "tweeduizend negentien".
_YEAR_WORDS = rf"(?:negentienhonderd|tweeduizend|twee\s+duizend)(?:\s+(?:en\s+)?(?:{NUMBER})\b)?"
# "(maandag) 8 april (2024)", "3 november 2023", "12 mrt", "vijftien maart negentienhonderd
# zesenzeventig": tried before each month name.
MONTH_NAMES = tuple(_MONTHS.split("|"))
DATE_WORDS = re.compile(
    rf"\b(?:(?:{_DAYS})\s+)?(?:\d{{1,2}}|{NUMBER}|{_ORDINAL})(?:e|ste|de)?\s+(?:{_MONTHS})\b(?:\s+(?:(?:'|’)?\d{{2,4}}\b|{_YEAR_WORDS}))?",
    re.I,
)
# a year of birth: "geboren in 1996", "geboortejaar 1985"
BIRTH_YEAR = re.compile(
    r"(?:geboren|geboortejaar|geboortedatum|bouwjaar)\s*(?:in|op|:)?\s*(?:\d{1,2}\s+\w+\s+)?(?P<date>(?:19|20)\d{2})\b", re.I
)
# "in 1978 geboren", "1996 geboren": the year before the word
BIRTH_YEAR_BEFORE = re.compile(r"\b(?P<date>(?:19|20)\d{2})\s+geboren\b", re.I)
# numeric dates deduce may miss: 4-11-79, 15.05.2024
NUMERIC_DATE = re.compile(r"\b\d{1,2}[-./]\d{1,2}[-./](?:\d{4}|\d{2})\b")

# Service lines, Dutch and Belgian: 0800 (free), 0900/0906/0909 (paid): no one's number.
SERVICE_NUMBER = re.compile(r"0(?:800|90[069])(?!\d)")
PHONE_PATTERNS = [
    # international: +31 10 4852019, 0032 9 123 45 67
    re.compile(r"(?<![\w+])(?:\+|00)3[12][\s-]?(?:\(0\))?\d(?:[\s-]?\d){7,9}\b"),
    # national, 9-10 digits in groups: 06 41 55 29 87, 03 270 11 45, 0478/12.34.56, 020-6174432
    re.compile(r"(?<![\w.-])0\d{1,3}(?:[\s/.-]?\d{2,4}){2,4}\b"),
]

ID_PATTERNS = [
    # BSN-like: 9 digits, also grouped 1234.56.782, 123 456 789, 123.456.789
    re.compile(r"(?<![\w.-])(?:\d{9}|\d{4}[.\s]\d{2}[.\s]\d{3}|\d{3}[.\s]\d{3}[.\s]\d{3})(?![\w-])"),
    # Belgian national register number 85.07.30-033.28, also as on the eID card's back and
    # as people say it: 850730 033 28, 850730-033-28, 85 07 30 033 28
    re.compile(r"\b\d{2}\.\d{2}\.\d{2}-\d{3}\.\d{2}\b"),
    re.compile(r"(?<![\w.,-])(?:\d{6}|\d{2} \d{2} \d{2})[ -]\d{3}[ -]\d{2}(?![\w-]|[.,]\d)"),
    # bank accounts (IBAN), compact or in groups of four: NL91ABNA0417164300, BE68 5390 0754 7034
    re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,3})?\b(?<=\d)"),
    # long numbers (client, V-number, file numbers): 7-12 digits not starting with 0
    re.compile(r"(?<![\w.,-])[1-9]\d{6,11}(?![\w-]|[.,]\d)"),
    # case and file numbers of letters, a year and a serial: LP-2023-0581, JR 2023/0417, VT-2022-118734
    # (not a season: "EK 2024-2025")
    re.compile(r"(?<![\w/-])[A-Z]{1,4}[- ]?(?:19|20)\d{2}[-/](?!(?:19|20)\d{2}(?!\d))\d{3,7}(?![\w/-])"),
]

POSTCODE_PATTERNS = [
    # Dutch: 3083 KP, 3504AC (not "2024 EN" style words: the letters must be upper case)
    re.compile(r"\b[1-9]\d{3}\s?(?!SA|SD|SS)[A-Z]{2}\b"),
    # Belgian: four digits after a comma or at a line start, before a town: ", 9000 Gent"
    re.compile(r"(?:(?<=, )|(?<=^))[1-9]\d{3}(?=\s[A-Z][a-zé]+)", re.M),
]
# A Belgian postcode said as such, without its town: "de postcode is 2170", "Postcode 3630."
POSTCODE_SAID = re.compile(r"(?i:postcode)(?:\s+(?:is|was)\s+|:?\s*)(?P<code>[1-9]\d{3})(?!\d|\s?[A-Z]{2}\b)")
# A house number said apart from its street or place: "In de Peperstraat. Op nummer 54", "in de
# Pauwengraaf, nummer 18", "leuvensestraat nummer drieënveertig".
HOUSE_NUMBER = re.compile(
    rf"[\s,.;:]*(?:(?:[Oo]p|[Ee]n)\s+)?(?P<number>(?:[Hh]uis)?[Nn]ummer\s+(?:\d{{1,4}}(?:\s?[a-zA-Z]\b)?|{NUMBER}\b))"
)
# A social media account named without its "@": "een account, shanaya.dlwt,", "op Instagram
# heet ze sahar.ahmadzai.hh", "op TikTok mo_zaandam" (a word of a dot or an underscore: no
# "t.v." or "o.a.", no e-mail address or link).
HANDLE_WORDS = ("instagram", "tiktok", "snapchat", "facebook", "twitter", "account", "insta ", "gebruikersnaam", "handle")
BARE_HANDLE = re.compile(r"(?<![\w@./-])(?=[a-z0-9_.]*[a-z]{3})[a-z0-9_]+(?:[._][a-z0-9_]+)+(?![\w@-]|\.\w)")

# Number plates, Dutch and Belgian: 12-ABC-3, AB-123-C, 1-ABC-123 (letters and digits, 6 or 7 in all;
# in lower case as speech recognition writes them: "1-kvb-482").
PLATE = re.compile(
    r"(?<![\w-])(?:[A-Z]{1,3}|[a-z]{1,3}|\d{1,3})-(?:[A-Z]{1,3}|[a-z]{1,3}|\d{1,3})-(?:[A-Z]{1,3}|[a-z]{1,3}|\d{1,3})(?![\w-])"
)
# A name spelled out letter by letter, as an interviewer checks it: "Y-I-L-M-A-Z", "D-E-R-Y-A",
# "y-i-l-m-a-z", "D E R Y A", "Y.I.L.M.A.Z." (four letters at least when not in capitals with hyphens).
_CAP = "A-ZÀ-ÖØ-Þ"
SPELLED = re.compile(
    rf"(?<![\w.-])(?:[{_CAP}](?:-[{_CAP}]){{2,}}|[a-zß-öø-ÿ](?:-[a-zß-öø-ÿ]){{3,}}|[{_CAP}](?: [{_CAP}]){{3,}}|[{_CAP}]\.(?:[{_CAP}]\.){{3,}})(?![\w-])"
)
SPELLING = re.compile(r"[-. ]")  # what joins the letters of a spelled name
# A social media handle (not an e-mail address): @mamasranang_zo
HANDLE = re.compile(r"(?<![\w.@])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?(?![\w@])")
# A number named by what it numbers: "dossiernummer 2023-0456-XB", "klantnummer: AB12345".
NUMBER_WORDS = (
    "dossiernummer",
    "klantnummer",
    "cliëntnummer",
    "clientnummer",
    "referentienummer",
    "kenmerk",
    "zaaknummer",
    "registratienummer",
    "lidnummer",
    "polisnummer",
    "v-nummer",
    "vreemdelingennummer",
    "rijksregisternummer",
    "burgerservicenummer",
    "bsn",
    "paspoortnummer",
    "rekeningnummer",
    "kentekennummer",
    "kenteken",
)
# The number may follow a comma and come in groups of digits: "zijn V-nummer, 2710 4483 55".
FILE_NUMBER = re.compile(
    rf"(?:{'|'.join(re.escape(w) for w in NUMBER_WORDS)})\s*(?:is|was|:)?,?\s*"
    r"(?P<id>\d{2,6}(?:[ \t]\d{2,6}){1,4}(?![\w-]|[.,]\d)|(?=[\w./-]*\d)[A-Z0-9][\w./-]{2,}[A-Za-z0-9])",
    re.I,
)
# "mijn oudste (19)", "Rachid (34)": an age in brackets after a person.
AGE_IN_BRACKETS = re.compile(
    rf"(?:\b(?:{_KIN}|oudste|jongste|middelste)|\b[A-Z][a-zà-ÿ]+)\s+\((?P<age>\d{{1,2}})(?:\s+jaar)?\)",
)
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# Said aloud, as speech recognition writes it: "f punt bouzid apenstaartje wijkteamrotterdam
# punt nl", "bilal at gmail punt com" (the domain ends in a known top-level domain). At most
# six parts before the "at" and four after it, each a word of at most 64 characters: unbounded,
# a run of "a punt at punt ..." was read to its end from every word (100,000 characters 7 s,
# quadratic).
SPOKEN_EMAIL = re.compile(
    r"\b[\w-]{1,64}(?:\s+(?:punt|streepje|underscore)\s+[\w-]{1,64}){0,6}\s+(?:apenstaartje|at)\s+[\w-]{1,64}"
    r"(?:\s+punt\s+[\w-]{1,64}){0,4}\s+punt\s+(?:nl|be|com|org|net|eu|info|nu|fr|de)\b",
    re.I,
)
# A phone number said digit by digit or in pairs: "nul zes een twee drie vier vijf zes zeven
# acht", "nul vier zeven vijf twaalf vierendertig zesenvijftig" (9-11 digits in all).
SPOKEN_PHONE = re.compile(rf"\bnul(?:[\s,-]+(?:nul|{NUMBER})\b){{4,12}}", re.I)
_SPOKEN_TWO_DIGITS = re.compile(rf"(?:{_TEENS}|(?:(?:{_UNITS})[eë]n)?(?:{_TENS}))", re.I)


def spoken_digits(said: str) -> int:
    """How many digits the number words of ``said`` stand for ("twaalf": two)."""
    return sum(1 + bool(_SPOKEN_TWO_DIGITS.fullmatch(w)) for w in re.split(r"[\s,-]+", said) if w)


URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"')\]]+[^\s<>\"').,;:!?\]]|\b[\w-]+\.(?:nl|be|com|org|eu|net)/[^\s<>\"')]*[\w/]")

# Streets by their ending (deduce knows Dutch streets only with a house number or
# from its list): "Van Karnebeekstraat", "Zambesidreef", "Pieter Calandlaan 212". A street's
# word is at most 80 characters: unbounded, every word of a long hyphenated run was read to
# the run's end (100,000 characters of "AB-AB-..." took 40 s, quadratic). So is each word
# before it ("Van", "Pieter"): a run like "A'A'A'..." is a word start at every "A". A Belgian
# address has its box after the number: "Vennestraat 112 bus 3".
STREET_END = (
    r"straat|weg|laan|plein|dreef|kade|gracht|singel|baan|dijk|steeg|pad|hof|bocht|plantsoen|"
    r"boulevard|markt|wal|erf|burgwal|steenweg|lei|dreve|(?<!e)ring"
)
# (Not "-ering": "Inburgering", "WIA-uitkering", "Regering" are no ring roads.)
STREET = re.compile(
    rf"\b(?:[A-Z][\w'’]{{0,80}}\s+(?:(?:van|de|der|den|het|ter|ten|'t)\s+)*){{0,3}}"
    rf"[A-Z][\w'’-]{{0,80}}(?:{STREET_END})(?:-[A-Z][a-z]+)?\b(?:\s+\d{{1,4}}(?:\s?[a-zA-Z]\b)?(?:[-/](?:\d+|[IVX]+\b|hs\b|bis\b))?(?:,?\s+bus\s+\d{{1,4}}[a-zA-Z]?\b)?)?"
)
POSTBUS = re.compile(r"\b[Pp]ostbus\s+\d{1,6}\b")


def _occurrences(text: str, needles: tuple[str, ...]) -> list[int]:
    """Every position of every needle (str.find: a fast C search, unlike a regex scan)."""
    out = []
    for needle in needles:
        i = text.find(needle)
        while i >= 0:
            out.append(i)
            i = text.find(needle, i + 1)
    out.sort()
    return out


def _windows(positions: list[int], before: int, after: int, size: int) -> list[tuple[int, int]]:
    """Merged windows ``[p - before, p + after)`` around the positions."""
    out: list[tuple[int, int]] = []
    for p in positions:
        lo, hi = max(0, p - before), min(size, p + after)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(hi, out[-1][1]))
        else:
            out.append((lo, hi))
    return out


_DIGITS = tuple("0123456789")
_DOMAINS = (".nl", ".be", ".com", ".org", ".eu", ".net", ".info", ".nu", ".fr", ".de")
_URL_ANCHORS = ("www.", "http", ".nl/", ".be/", ".com/", ".org/", ".eu/", ".net/")


def find_patterns(text: str) -> list[Candidate]:
    """Every candidate the Dutch patterns find in ``text`` (overlaps are resolved later).

    Each pattern is only tried near what it needs (a digit, an ``@``, its anchor word),
    so a long interview costs a few milliseconds, not a scan per pattern.
    """
    out: list[Candidate] = []
    size = len(text)

    def add(start: int, end: int, category: str) -> None:
        if end > start:
            out.append(Candidate(start, end, category, text[start:end], "pattern"))

    lower = text.lower()
    for i in _occurrences(text, ACRONYM_KINDS + ACRONYM_NAMES):
        m = ACRONYM_ORGANISATION.match(text, i)
        if m and (i == 0 or not text[i - 1].isalnum()):
            add(*m.span(), "organisation")
    for needle, pattern, before in AGE_AT:
        for i in _occurrences(lower, (needle,)):
            m = pattern.match(text, i + needle.startswith(" "))
            if m and (before is None or before.search(text, max(0, i - 40), i + 1)):
                add(*m.span("age"), "age")
    for needle, pattern in AGE_BEFORE:
        for lo, hi in _windows(_occurrences(lower, (needle,)), 40, 12, size):
            for m in pattern.finditer(text, lo, hi):
                add(*m.span("age"), "age")
    # The next age of a list: "die zijn twintig, tweeëntwintig", "hij is negen of tien".
    for c in [c for c in out if c.category == "age"]:
        m = AGE_LIST_NEXT.match(text, c.end)
        if m:
            add(*m.span("age"), "age")
    for lo, hi in _windows(_occurrences(lower, MONTH_NAMES), 40, 56, size):
        for m in DATE_WORDS.finditer(text, lo, hi):
            add(*m.span(), "date")
    for lo, hi in _windows(_occurrences(lower, ("geboren", "geboorte", "bouwjaar")), 0, 40, size):
        for m in BIRTH_YEAR.finditer(text, lo, hi):
            add(*m.span("date"), "date")
    for lo, hi in _windows(_occurrences(lower, (" geboren",)), 12, 9, size):
        for m in BIRTH_YEAR_BEFORE.finditer(text, lo, hi):
            add(*m.span("date"), "date")
    for lo, hi in _windows(_occurrences(lower, NUMBER_WORDS), 0, 48, size):
        for m in FILE_NUMBER.finditer(text, lo, hi):
            add(*m.span("id"), "id")
    for lo, hi in _windows(_occurrences(text, ("(",)), 40, 6, size):
        for m in AGE_IN_BRACKETS.finditer(text, lo, hi):
            add(*m.span("age"), "age")
    for lo, hi in _windows(_occurrences(text, _DIGITS), 30, 30, size):
        for m in NUMERIC_DATE.finditer(text, lo, hi):
            add(*m.span(), "date")
        for category, patterns in (("phone", PHONE_PATTERNS), ("id", ID_PATTERNS), ("postcode", POSTCODE_PATTERNS)):
            for p in patterns:
                for m in p.finditer(text, lo, hi):
                    if category == "phone" and not 9 <= sum(ch.isdigit() for ch in m.group()) <= 12:
                        continue
                    if category in ("phone", "id") and SERVICE_NUMBER.match(m.group()):
                        continue  # a free or paid service line ("0800 98 809"), no one's number
                    add(*m.span(), category)
        for m in POSTBUS.finditer(text, lo, hi):
            add(*m.span(), "address")
        for m in PLATE.finditer(text, lo, hi):
            plate = m.group().replace("-", "")
            if len(plate) in (6, 7) and not plate.isdigit() and not plate.isalpha():
                add(*m.span(), "id")
    for lo, hi in _windows(_occurrences(lower, ("postcode",)), 0, 30, size):
        for m in POSTCODE_SAID.finditer(text, lo, hi):
            add(*m.span("code"), "postcode")
    for lo, hi in _windows(_occurrences(lower, HANDLE_WORDS), 0, 60, size):
        for m in BARE_HANDLE.finditer(text, lo, hi):
            if not URL.match(m.group()) and not m.group().endswith(_DOMAINS):
                add(*m.span(), "url")
    for lo, hi in _windows(_occurrences(text, ("@",)), 64, 128, size):
        for m in EMAIL.finditer(text, lo, hi):
            add(*m.span(), "email")
        for m in HANDLE.finditer(text, lo, hi):
            add(*m.span(), "url")
    for lo, hi in _windows(_occurrences(lower, (" apenstaartje ", " at ")), 64, 96, size):
        for m in SPOKEN_EMAIL.finditer(text, lo, hi):
            add(*m.span(), "email")
    for lo, hi in _windows(_occurrences(lower, ("nul ",)), 0, 160, size):
        for m in SPOKEN_PHONE.finditer(text, lo, hi):
            if 9 <= spoken_digits(m.group()) <= 11:
                add(*m.span(), "phone")
    for lo, hi in _windows(_occurrences(lower, _URL_ANCHORS), 64, 200, size):
        for m in URL.finditer(text, lo, hi):
            add(*m.span(), "url")
    for m in STREET.finditer(text):
        add(*m.span(), "address")
    if "-" in text or " " in text or "." in text:
        for m in SPELLED.finditer(text):
            add(*m.span(), "person")
    return list(dict.fromkeys(out))
