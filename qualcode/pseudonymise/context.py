"""What the transcript and the project tell about personal data.

* **Proper nouns in context.** Dutch capitalises names, places and organisations and
  little else inside a sentence, so a capitalised word that does not start a sentence
  is a candidate. Its neighbours decide the category: an organisation word before or
  after it (``basisschool De Wilgenhoek``, ``de Mevlana moskee``), a place word or
  preposition before it (``in Borgerhout``, ``de wijk Nieuwland``), else a person.
  Countries, languages, nationalities, public services and acronyms are left out.
* **Speaker labels** are never candidates. A label that is itself a name (``MARVIN``,
  ``Hatice``), rather than a role (``Interviewer``, ``P1``, ``MEVROUW A``), makes that
  name a known name in the turns.
* **Known names**: from the front matter (``interviewer: Noor Hendriks``), the project's
  own list and decisions; every occurrence is found, in case and inflection variants
  (``Van Dijk``/``van Dijk``, ``Hatice's``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..model import Turn
from .categories import Candidate
from .words import (
    INTERFIXES,
    NATIONALITY,
    RELATIVES,
    TITLES,
    countries,
    dutch_words,
    english_words,
    finite_verbs,
    first_names,
    name_words,
    not_personal,
    not_personal_compound,
    not_personal_pattern,
    not_personal_words,
    nouns,
    ordinary_compound,
    ordinary_word,
)

# Lower-case words that join the capitalised words of one name ("Moeders van Morgen",
# "Naima El Amrani", "Roos van der Heijden"); not "en", "in", "op": they join two names.
_CONNECTORS = INTERFIXES - {"in", "op", "te"}
# A capitalised word, with inner hyphens and apostrophes (Sint-Jozef, Al-Hijra, O'Neil).
_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ"
CAPITALISED = re.compile(rf"(?<![\w'’-])[{_UPPER}][\w'’]*(?:-[\w'’]+)*")
# Starts with the character class (not a look-behind) so that the regex engine can
# skip quickly to the next capital; the character before is checked in Python.
# A run stays on its line: in cues, subtitles, lists and motions every line starts with a
# capital ("Balkenende\nNederland betaalt", "de Kamer,\nGehoord"), and one name rarely
# wraps (a name the project knows is still found across a line break: see _variants).
_PROPER_RUN = re.compile(
    # "'s-Hertogenbosch", "'t Zand": a place name may start with 's- or 't.
    rf"(?:['’][st][- ])?[{_UPPER}][\w'’]*(?:-[\w'’]+)*"
    rf"(?:(?:[^\S\n](?:{'|'.join(sorted((re.escape(i) for i in _CONNECTORS), key=len, reverse=True))}))*"
    rf"[^\S\n][{_UPPER}][\w'’]*(?:-[\w'’]+)*)*"
)
_INITIAL = re.compile(r"[^\W\d_]\.?")
_GENITIVE = re.compile(r"['’]s?$")
_WORD = re.compile(r"[\w'’]+(?:-[\w'’]+)*")
_SENTENCE_END = set(".!?:;…\"“”‘'()\n[]")

# Words naming a kind of organisation: before a name ("basisschool De Horizon", "vzw
# Anadolu Gent") or after it ("de Fatih moskee", "het Zuiderpark College").
ORG_WORDS = frozenset(
    """basisschool school scholengemeenschap college lyceum gymnasium atheneum academie moskee moskeevereniging
    kerk kerkgenootschap parochie gemeente congregatie tempel synagoge koranschool stichting vereniging
    vrouwenvereniging zelforganisatie migrantenorganisatie vzw buurthuis wijkcentrum jongerencentrum
    kinderopvang crèche creche peuterspeelzaal bso kinderdagverblijf sportclub voetbalclub club bedrijf
    schoonmaakbedrijf praktijk huisartsenpraktijk kliniek apotheek restaurant café cafe eethuis theehuis winkel supermarkt bakkerij
    centrum cultureel ontmoetingscentrum platform netwerk hogeschool universiteit schoolgemeenschap brouwerij
    obs cbs ikc sportschool boksschool chapel church camii cami masjid""".split()
)
# "gemeente" after a name is a congregation; before a name it is the municipality.
ORG_BEFORE_ONLY_EXCLUDED = frozenset({"gemeente", "centrum", "netwerk", "platform", "club", "winkel"})
AREA_TEAMS = frozenset({"wijkteam", "buurtteam"})  # named after their district: "Wijkteam Holtenbroek"
PLACE_WORDS = frozenset(
    "in uit naar te vanuit rond richting wijk stad dorp buurt dorpje stadje regio provincie deelgemeente "
    "stadsdeel gemeente woonplaats".split()
)
# Endings of Dutch and Flemish place names (Holtenbroek, Borgerhout, Ledeberg, Kanaleneiland).
PLACE_END = re.compile(
    r"(?:dam|burg|berg|bergen|broek|hout|veen|hoven|huizen|wijk|eiland|zijl|stad|dorp|heim|ingen|kerke|"
    r"kerk|vaart|meer|sluis|drecht|rode|gem|sel|plaats|haven|beek|loo|lo|horst|donk|poort)$"
)
# A name of one word that is an organisation by its ending: "Theresialyceum", "Logopediepraktijk",
# "Sint-Augustinusinstituut", "Sportcentrum (Feijenoord)", "(Koninklijke) Meelfabrieken"
# (not "-kerk": "Ouderkerk" is a place).
NAMED_ORG_END = re.compile(
    r"\w{3}(?:lyceum|atheneum|gymnasium|college|praktijk|moskee|school|instituut|centrum|fabrieken|fabriek)$"
)
# A compound ending in a kind of organisation or a street: "Sint-Albertuskerk", "Peperstraat".
_ORG_END = re.compile(r"\w{3}(?:kerk|moskee|school|college|praktijk|centrum|vereniging|stichting)$")
_ORG_OR_STREET_END = re.compile(rf"{_ORG_END.pattern[:-1]}|\w{{3}}(?:straat|laan|plein|dreef|kade|gracht|singel|steenweg)$")
_DIRECTION = re.compile(r"-(?:Noord|Zuid|Oost|West|Centrum)$|-(?:Noord|Zuid|Oost|West|Centrum)\b")
ROLE_LABEL = re.compile(
    r"(?:[a-z]{1,2}|[a-z]{1,3}\d+|.*\d.*|(?:mevrouw|meneer|mw|dhr|mr|de heer)\.?\s+[a-z]\.?|"
    r"(?:interview(?:er|ster|eres)?|int|respondent(?:e)?|moderat(?:or|ie|rice)|gespreksleid(?:er|ster)|"
    r"deelnemer|deelneemster|spreker|participant|geïnterviewde|onderzoek(?:er|ster)|begeleid(?:er|ster)|"
    r"facilitator|tolk|vraag|antwoord|leerling|student|docent|ouder|moeder|vader|man|vrouw|jongen|meisje|"
    r"kind|allen|iedereen|publiek|vrijwilliger|professional|sleutelpersoon|coördinator|medewerker|"
    r"verpleegkundige|wijkcoach|voorzitter|imam)(?:\s+\w+)?)",
    re.I,
)


# Where an organisation's name follows: an employer ("werkt bij Humanitas Leeuwarden"), a
# school ("zat op het Echnaton", "zit op de Technische Scholen Mechelen", "gestudeerd aan de
# PXL"), a body one is a member or the chair of ("voorzitter van de ...").
ORG_CONTEXT = re.compile(
    r"(?<![\w-])(?:(?:werk|werkt|werkte|werken|werkten|gewerkt|stage|solliciteert|solliciteerde)[ \t]+bij"
    r"|(?:zit|zat|zitten|zaten|gezeten)[ \t]+(?:nu[ \t]+|ook[ \t]+|toen[ \t]+)?op[ \t]+(?:de|het)"
    r"|(?:studeert|studeerde|studeren|gestudeerd|studie|opleiding)[ \t]+aan[ \t]+(?:de|het)"
    r"|(?:lid|voorzitter|bestuurslid|secretaris|penningmeester)[ \t]+van[ \t]+(?:de|het))[ \t]+$",
    re.I,
)
# A name in a list beside a country: "via Ethiopië, het kamp Mai Aini, dan Soedan, Khartoum, en Libië".
_COUNTRY_BEFORE = re.compile(r"([^\W\d_]+),[ \t]+$")
_COUNTRY_AFTER = re.compile(r",?[ \t]+(?:(?:en|of|dan|naar)[ \t]+)?([^\W\d_]+)")


_OR_BETWEEN = re.compile(r",?[ \t]+of[ \t]+")


def in_country_list(text: str, s: int, e: int) -> bool:
    """Whether the name at ``s``-``e`` stands in a list next to a country: "Soedan, Khartoum, en Libië"."""
    before = _COUNTRY_BEFORE.search(text, max(0, s - 40), s)
    after = _COUNTRY_AFTER.match(text, e, e + 40) if text[e : e + 1] == "," else None
    return any(m is not None and m.group(1).casefold() in countries() for m in (before, after))


def is_sentence_start(text: str, pos: int, floor: int = 0) -> bool:
    """Whether ``pos`` begins a sentence: only spaces since a full stop, colon, quote,
    bracket, line break or the start of the turn."""
    i = pos - 1
    while i >= floor and text[i] in " \t":
        i -= 1
    return i < floor or text[i] in _SENTENCE_END


def _common_compound(word: str) -> bool:
    last = word.rsplit("-", 1)[-1]
    return "-" in word and last.islower() and last in dutch_words()


def _is_common(word: str) -> bool:
    return word.casefold() in dutch_words()


def _skip_token(word: str) -> bool:
    """Capitalised words that are never a name on their own."""
    folded = word.casefold()
    if folded in not_personal() or folded in TITLES or folded == "ik" or not_personal_compound(word):
        return True
    if word.isupper() and len(word) <= 5:  # acronyms: CJG, GGD, OCMW, JGZ
        return True
    return bool(NATIONALITY.search(folded)) and len(folded) > 4


@dataclass(slots=True)
class Region:
    """The text of the turns (speech) as opposed to labels and timestamps."""

    spans: list[tuple[int, int]]

    @classmethod
    def of(cls, text: str, turns: Sequence[Turn]) -> Region:
        spans = [(t.start, t.end) for t in turns if t.end > t.start]
        return cls(spans or [(0, len(text))])

    def turn_start(self, pos: int) -> int:
        """Start of the turn containing ``pos`` (0 if none)."""
        lo, hi = 0, len(self.spans) - 1
        found = 0
        while lo <= hi:
            mid = (lo + hi) // 2
            if self.spans[mid][0] <= pos:
                found = self.spans[mid][0]
                lo = mid + 1
            else:
                hi = mid - 1
        return found

    def contains(self, start: int, end: int) -> bool:
        lo, hi = 0, len(self.spans) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            s, e = self.spans[mid]
            if end <= s:
                hi = mid - 1
            elif start >= e:
                lo = mid + 1
            else:
                return s <= start and end <= e
        return False


_QUOTES = "'‘’\"“”„«"


def _quoted_name(text: str, pos: int) -> bool:
    """Whether ``pos`` opens a name quoted after its kind: "café 'De Rots'", "basisschool
    “De Horizon”" (the quote starts no sentence there)."""
    if not pos or text[pos - 1] not in _QUOTES:
        return False
    m = re.search(rf"([\w-]+)\s+[{_QUOTES}]$", text[max(0, pos - 40) : pos])
    return m is not None and m.group(1).casefold() in ORG_WORDS


_FLEMISH_IK = re.compile(r"['’]k[ \t]+$")


def _after_flemish_ik(text: str, pos: int, floor: int) -> bool:
    """Whether ``pos`` follows a sentence's first word "'k" (Flemish "ik"): "'k Zat vroeger
    in de KVLV" capitalises the verb as a sentence's first word."""
    if not text[max(floor, pos - 8) : pos].rstrip(" \t").endswith(("'k", "’k")):
        return False  # the usual case, told without a regular expression (every run asks)
    m = _FLEMISH_IK.search(text, max(floor, pos - 8), pos)
    return m is not None and is_sentence_start(text, m.start(), floor)


def _previous_words(text: str, pos: int) -> tuple[str, str]:
    """The two words before ``pos`` (nearest first), case-folded; a quote is no word."""
    words = [w for w in re.findall(r"[\w'’-]+", text[max(0, pos - 60) : pos]) if w.strip("'’-")]
    words = [w.casefold() for w in words[-2:]]
    while len(words) < 2:
        words.insert(0, "")
    return words[1], words[0]


# "ik kom van Sliven", "mijn ouders komen van Al Hoceima", "ik ben van Lier" (Flemish: from),
# "van Bulgarije, van Sliven": "van" says where from, not a surname's start.
_FROM_VAN = re.compile(
    r"(?:\b(?:kom|komt|komen|kwam|kwamen|afkomstig|ben|zijn|is|was|waren|vertrokken|gevlucht)|"
    r"\bvan\s+[A-Z][\w'’-]*,)\s+van\s+$"
)


def from_place(text: str, pos: int) -> bool:
    """Whether the name at ``pos`` follows a "van" that says where someone comes from."""
    return _FROM_VAN.search(text, max(0, pos - 40), pos) is not None


def _next_word(text: str, pos: int) -> str:
    m = re.match(r"\s+([\w'’-]+)", text[pos : pos + 40])
    return m.group(1).casefold() if m else ""


def proper_nouns(text: str, region: Region) -> list[Candidate]:
    """Runs of capitalised words inside sentences, classified by their neighbours."""
    out: list[Candidate] = []
    spans, j = region.spans, 0
    lower = LowerWords(text)
    for m in _PROPER_RUN.finditer(text):
        start, end = m.span()
        if start and (text[start - 1].isalnum() or text[start - 1] in "_'’-" and m.group()[:1] not in "'’"):
            if not _quoted_name(text, start):
                continue  # a capital inside a word (not one after an opening quote: "café 'De Rots'")
        # The turns come in text order, and so do the runs: walk along them.
        while j < len(spans) and spans[j][1] <= start:
            j += 1
        if j == len(spans) or not (spans[j][0] <= start and end <= spans[j][1]):
            continue  # a speaker label
        sentence_start = (is_sentence_start(text, start, spans[j][0]) and not _quoted_name(text, start)) or _after_flemish_ik(
            text, start, spans[j][0]
        )
        if " " not in m.group() and (stem := _possessive(m.group())) and _next_word(text, end) in nouns():
            # "Ahmeds moeder": the name without its genitive s, at a sentence's start too.
            out.append(Candidate(start, start + len(stem), "person", stem, "context"))
            continue
        if sentence_start and " " not in m.group():
            # The usual case: a sentence's first word, alone. A name still when it is no word of
            # the language and a verb follows: "Tesfay belde me", "Senait kwam later" (names
            # deduce's lists lack); not "Kortom, ...", "Hiermee is ...", "Blockchain is ..."
            # beside "blockchain".
            if _unknown_subject(m.group(), text, end, lower):
                out.append(Candidate(start, end, "person", m.group(), "context"))
            continue
        words = list(_WORD.finditer(m.group()))
        if m.group()[:1] in "'’":  # "'s-Hertogenbosch", "'t Zand": one word with its article
            lead = re.match(r"['’][st][- ]\S+", m.group())
            assert lead is not None  # _PROPER_RUN starts so when it starts with an apostrophe
            words = [lead, *(w for w in words if w.start() >= lead.end())]
        org_first = sentence_start and len(words) > 2 and words[0].group().casefold() in ORG_WORDS
        if sentence_start and not org_first:
            # A sentence's first word is capitalised anyway: "Vooral", "Goeie", "Awel" are
            # no evidence of a name. A name there is found by deduce's lists, or at its
            # other occurrences once it is found inside a sentence.
            words = words[1:]
            # (An Arabic article starts the name: "In Al Hoceima", "Met El Amrani".)
            while words and words[0].group().casefold() in INTERFIXES - {"al", "el"}:
                words = words[1:]
        # "WhatsApp-groep", "Tigrinya-tolk": a compound ending in an ordinary word.
        words = [w for w in words if not _common_compound(w.group())]
        kind: str | None = None
        # Leading titles stay outside the span ("meneer [persoon 3]").
        while words and words[0].group().casefold() in TITLES:
            words = words[1:]
        # "mevrouw Jansen van het CJG", "Jan van de GGD": a person of a body that is no name
        # (an acronym, a public service); the name ends before "van".
        split = _split_at_van(words)
        if split and all(_skip_token(w.group()) for w in split[1] if w.group().casefold() not in INTERFIXES):
            words = split[0]
        elif split and body_after_van([w.group() for w in split[1]]) and split[0][0].group().casefold() not in ORG_WORDS:
            # "dokter Kok van Huisartsenpraktijk Poelenburg", "Jozef van de Sint-Albertuskerk",
            # "Fatma van de Peperstraat": a person, then the organisation or street after "van".
            person, words = split
            ps, pe = start + person[0].start(), start + person[-1].end()
            out.append(Candidate(ps, pe, "person", text[ps:pe], "context"))
            if len(words) == 1 and _ORG_OR_STREET_END.search(folded := words[0].group().casefold()):
                # "Vrouwenvereniging", "Sint-Albertuskerk"; "Peperstraat"
                kind = "organisation" if _ORG_END.search(folded) else "address"
        if len(words) > 1 and area_service(words[0].group()):
            # "OCMW van Antwerpen", "CJG Rotterdam", "Buurtteam Zuidoost": a public service
            # named after its area.
            words = words[1:]
            while words and words[0].group().casefold() in INTERFIXES:
                words = words[1:]
            kind = "place"
        if not words:
            continue
        head = words[0].group().casefold()
        tail = words[-1].group().casefold()
        if kind is None and len(words) > 1 and head in ORG_WORDS:
            kind = "organisation"  # "Jongerencentrum Het Anker", "Stichting Vrouwen Vooruit"
            if words[1].group().casefold() != "van":
                words = words[1:]  # (but "Hogeschool van Amsterdam" is one name)
        elif kind is None and len(words) > 1 and tail in ORG_WORDS:
            kind = "organisation"  # "Spieringshoek College"
        if kind is None and _next_word(text, start + words[-1].end()) in ORG_WORDS:
            # "hoca Osman van de Fatih moskee": a person of an organisation.
            split = _split_at_van(words)
            if split:
                person, words = split
                ps, pe = start + person[0].start(), start + person[-1].end()
                out.append(Candidate(ps, pe, "person", text[ps:pe], "context"))
                kind = "organisation"
        s = start + words[0].start()
        e = start + words[-1].end()
        genitive = _GENITIVE.search(text, s, e)
        if genitive and genitive.start() > s:
            e = genitive.start()  # "Fatima's zoon", "Ans' jas": the name without its genitive
        if kind is None and len(words) == 1 and words[0].group().isupper() and ORG_CONTEXT.search(text, max(0, s - 60), s):
            kind = "organisation"  # an acronym where a school or employer is named: "gestudeerd aan de PXL"
        if kind is None and all(_skip_token(w.group()) for w in words if w.group().casefold() not in INTERFIXES):
            continue
        if text[s:e].casefold() in not_personal():
            continue
        if near_not_personal(text, s, e):
            continue  # "Kind" of "met Kind en Gezin natuurlijk"
        before, before2 = _previous_words(text, s)
        after = _next_word(text, e)
        if kind is None:
            if (before in ORG_WORDS and before not in ORG_BEFORE_ONLY_EXCLUDED) or after in ORG_WORDS or _ORG_END.search(before):
                # "gezondheidscentrum Blixembosch", "voetbalvereniging Woenselse Boys" too
                kind = "organisation"
            elif before in TITLES:
                kind = "person"  # "meneer Van den Berg", "dokter Ter Horst": not a place for its ending
            elif (
                before == "of"
                and len(words) == 1
                and tail not in name_words()
                and out
                and out[-1].category == "place"
                and _OR_BETWEEN.fullmatch(text, out[-1].end, s)
            ):
                kind = "place"  # a choice of places: "uit Mogadishu of Kismayo"
            elif (
                before in PLACE_WORDS
                or (before == "van" and from_place(text, s))
                or (before in {"bij", "de", "het"} and before2 in PLACE_WORDS)  # "in de Kruiskamp"
                # "aan de Hillevliet" (not "aan het Pact": an ordinary word)
                or (before in {"de", "het"} and before2 in {"aan", "op", "langs"} and not _plain(words))
                or re.search(r"\b[1-9]\d{3}(?:\s?[A-Z]{2})?\s$", text[max(0, s - 9) : s])
                or PLACE_END.search(tail)
                or _DIRECTION.match(text, e)
                or _DIRECTION.search(words[-1].group())
            ):
                kind = "place"
            elif any(_is_common(w.group()) for w in words) and not _looks_like_name(words, before):
                # "Vier Windstreken", "De Kroon": ordinary words, capitalised, are a name of
                # something (an organisation, a building) more often than of a person.
                kind = "organisation" if words[0].group().casefold() in {"de", "het", "'t"} or len(words) > 1 else "person"
            else:
                kind = "person"
            if kind == "person" and len(words) == 1 and tail not in name_words() and in_country_list(text, s, e):
                kind = "place"  # "dan Soedan, Khartoum, en Libië" (an English word too: not dropped as one)
            # (After a relative a word is the name: "Zijn dochter Lama is zeventien".)
            if (
                kind == "person"
                and len(words) == 1
                and before not in TITLES | RELATIVES
                and _ordinary(words[0].group(), text, lower)
            ):
                continue
            if kind == "person" and words[0].group()[:1] in "'’":
                kind = "organisation"  # "'t Kabouterhuis", "'t Anker": no person's name has an article
        out.append(Candidate(s, e, kind, text[s:e], "context"))
    return out


# Words that start spoken sentences and that the lookup tables lack: adverbs, greetings,
# interjections (Flemish, and Arabic ones Dutch speakers use).
SENTENCE_STARTERS = frozenset(
    """kortom overigens nadien tenslotte uiteindelijk uiteraard vervolgens alleszins althans allicht nochtans tevens
    eveneens desondanks enfin oftewel immers evenwel daarnaast bijgevolg zodoende wellicht sindsdien voordien
    merci goeiemorgen goedemorgen goeiemiddag goedemiddag goedenavond goeienavond dankjewel dankuwel dankjulliewel
    awel allez amai ewa wallah wollah inshallah insjallah yallah mashallah masjallah alhamdulillah haha hahaha
    okee oke oki mja mjah tjah pff nou nouja jah neeh hoi doei allé alé ikzelf jijzelf hijzelf zijzelf wijzelf""".split()
)
# "hiermee", "daarin", "waarover": pronominal adverbs.
PRONOMINAL_ADVERB = re.compile(
    r"(?:hier|daar|waar|er)(?:mee|in|door|voor|bij|over|uit|na|aan|op|om|onder|tegen|naast|achter|van|toe|tussen|zonder|boven|langs|af)"
)


def subject_follows(text: str, end: int) -> bool:
    """Whether what follows ``end`` reads like a subject's sentence: a verb, a comma, "en"."""
    if _SUBJECT_FOLLOWS.match(text, end):
        return True
    m = re.match(r" ([a-zà-ÿ]+)\b", text[end : end + 30])
    return m is not None and m.group(1) in finite_verbs()


_SUBJECT_FOLLOWS = re.compile(
    r"(?:,|\s+(?:is|was|zegt|zei|heeft|had|komt|kwam|gaat|ging|belt|belde|woont|woonde|werkt|werkte|kan|kon|"
    r"moet|moest|wil|wilde|weet|wist|vertelt|vertelde|zit|zat|doet|deed|en|heet|vindt|vond|vroeg|vraagt)\b)"
)


class LowerWords:
    """The words a text writes in lower case (read when first asked)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._words: set[str] | None = None

    def __contains__(self, word: str) -> bool:
        if self._words is None:
            self._words = set(_LOWER_WORD.findall(self._text))
        return word in self._words


# Not a part of an e-mail address, a link or a handle: "zarghuna" of "zarghuna.a@outlook.be",
# "shanaya" of "shanaya.dlwt" is the name written in lower case, no ordinary word.
_LOWER_WORD = re.compile(r"(?<![\w'’@./-])[a-zà-öø-ÿ][\w'’]*+(?:-[\w'’]+)*+(?![@.]\w)")


def _ordinary(word: str, text: str, lower: LowerWords) -> bool:
    """A capitalised word, alone, that is no name: not a first name or surname in deduce's lists,
    and a word this text also writes in lower case ("Blockchain" beside "blockchain") or an
    English word ("Slack", "Scrum", "Library": jargon in Dutch speech, else taken for a person)."""
    folded = word.casefold()
    if folded in name_words():
        return False
    return folded in english_words() or folded in lower


def _unknown_subject(word: str, text: str, end: int, lower: LowerWords) -> bool:
    folded = word.casefold()
    return not (
        len(word) < 3
        or not word.isalpha()
        or word.isupper()
        or _dictionary_word(folded)
        or (ordinary_word(folded) and folded not in name_words())  # a plural the tables lack: "Studenten, vrouwen die"
        # two words joined, no name of the lists: "Opvoedcursus, taalcursus" (not "Dijkhuis belde")
        or (folded not in name_words() and ordinary_compound(folded))
        or folded in not_personal()
        or folded in TITLES
        or folded in SENTENCE_STARTERS
        or PRONOMINAL_ADVERB.fullmatch(folded)
        or not subject_follows(text, end)
        or folded in lower
    )


def area_service(word: str) -> bool:
    """A public service named after its area when a place follows: "OCMW (van Antwerpen)",
    "CJG (Rotterdam)", "Buurtteam (Zuidoost)"."""
    folded = word.casefold()
    return folded in not_personal() and (word.isupper() or folded in AREA_TEAMS)


def _possessive(word: str) -> str | None:
    """The first name of a genitive without an apostrophe ("Ahmeds" -> "Ahmed"), if ``word`` is
    one (not "Thomas", "Jos": names of their own; not "Dans": an ordinary word). Asked only
    before a noun ("Ahmeds moeder"; "Yonas zegt", "Yonas, twintig jaar" are Yonas)."""
    if len(word) < 4 or not word.endswith("s") or "-" in word:
        return None
    folded = word.casefold()
    stem = folded[:-1]
    if folded in name_words() or stem not in first_names() or stem in dutch_words() or folded in dutch_words():
        return None
    return word[:-1]


def _plain(words: list[re.Match]) -> bool:
    """One ordinary Dutch or English word, capitalised."""
    return len(words) == 1 and _dictionary_word(words[0].group().casefold())


def _dictionary_word(folded: str) -> bool:
    """A (case-folded) word of the Dutch or the English lookup tables."""
    return folded in dutch_words() or folded in english_words()


def near_not_personal(text: str, s: int, e: int) -> bool:
    """Whether the run overlaps a never-personal name (tried only when one of its words could be part of one)."""
    lo, hi = max(0, s - 40), min(len(text), e + 40)
    if not any(w.casefold() in not_personal_words() for w in _WORD.findall(text, lo, hi)):
        return False
    return any(n.start() < e and s < n.end() for n in not_personal_pattern().finditer(text, lo, hi))


def _split_at_van(words: list[re.Match]) -> tuple[list[re.Match], list[re.Match]] | None:
    """Split "Osman van de Fatih" into the person and the organisation after "van (de)"."""
    for i, w in enumerate(words[1:-1], start=1):
        if w.group() == "van":
            j = i + 1
            while j < len(words) and words[j].group() in {"de", "het", "der", "den"}:
                j += 1
            if j < len(words) and i > 0:
                return words[:i], words[j:]
    return None


def body_after_van(words: list[str]) -> bool:
    """What follows "van (de, het)" is an organisation or a street, no surname: "Huisartsenpraktijk
    Poelenburg", "het CJG Rotterdam-Rijnmond", "de Sint-Albertuskerk", "de Peperstraat" (not
    "de Kerk", "Dijk": surnames)."""
    if not words:
        return False
    if len(words) > 1 and (words[0].casefold() in ORG_WORDS or area_service(words[0])):
        return True
    return bool(_ORG_OR_STREET_END.search(words[-1].casefold()))


def _looks_like_name(words: list[re.Match], before: str) -> bool:
    """Titled, or a word that is no ordinary Dutch word, or a first name and more: Flemish
    surnames are ordinary words with a capital interfix ("Koen De Smet", "Jan De Vos")."""
    if before in TITLES or any(not _is_common(w.group()) for w in words):
        return True
    return len(words) > 1 and words[0].group().casefold() in first_names() and words[0].group().casefold() not in INTERFIXES


_PARTY = re.compile(r"(?<!\s)\s*\([^()]*\)")  # from a run of spaces' start only: linear
_BRACKETED = re.compile(r"\(([^()]*)\)\.?\s*$")
_ARTICLES = frozenset({"de", "het", "een"})


def label_names(turns: Iterable[Turn]) -> set[str]:
    """Speaker labels that are names (``MARVIN``, ``Hatice``), as they would be written in a sentence."""
    names = set()
    for t in turns:
        label = _PARTY.sub("", t.speaker or "").strip()  # "Mevrouw Bergkamp (D66)": the party is no name
        label = label.rstrip(". ")  # "R. (Fatima)", "Interviewer (Lotte).": a role still
        if not label or ROLE_LABEL.fullmatch(label):
            # "Respondent (Fatima)": after a role, what the brackets hold is the speaker's name.
            inner = _BRACKETED.search(t.speaker or "") if label else None
            if inner is not None:
                words = inner.group(1).split()
                if words and all(w[:1].isupper() or w.casefold() in INTERFIXES for w in words):
                    if not all(_skip_token(w) or w.casefold() in INTERFIXES for w in words):
                        names.add(" ".join(w.capitalize() if w.isupper() else w for w in words))
            continue
        words, titled = label.split(), False
        # "Mevrouw De Smet": the name is "De Smet"; "De heer Hijink": "Hijink"; "De voorzitter": a role.
        while words and (words[0].casefold().rstrip(".") in TITLES or (words[0].casefold() in _ARTICLES and len(words) > 1)):
            if words[0].casefold() in _ARTICLES and words[1].casefold().rstrip(".") not in TITLES:
                break  # "De Smet", "De Vries": the article belongs to the surname
            words, titled = words[1:], titled or words[0].casefold().rstrip(".") in TITLES
        bare = words[1:] if len(words) > 1 and words[0].casefold() in _ARTICLES else words
        if not words or ROLE_LABEL.fullmatch(" ".join(bare)):
            continue
        # After a title ("Staatssecretaris Blokhuis") or as a surname with its interfix ("Van Dijk",
        # "De Smet"), ordinary words are a name; else a label of ordinary words is a role ("Moeder").
        named = titled or (len(words) > 1 and words[0].casefold() in INTERFIXES)
        if not named and all(_is_common(w) or _skip_token(w) for w in words):
            continue
        names.add(" ".join(w.capitalize() if w.isupper() else w for w in words))
    return names


# A first name made of a particle and a name: "abu Rami" (father of Rami), "Umm Khalid".
_FATHER_OF = frozenset({"abu", "abou", "umm", "oum", "ibn", "bint"})


@dataclass(slots=True)
class KnownNames:
    """Names the project or the transcript tells us about, by category, and words never to flag."""

    names: dict[str, str] = field(default_factory=dict)  # text -> category
    never: set[str] = field(default_factory=set)  # case-folded
    _pattern: re.Pattern | None = field(default=None, repr=False)
    _folded: dict[str, str] | None = field(default=None, repr=False)  # case-folded text -> category
    _firsts: re.Pattern | None = field(default=None, repr=False)  # a character a name can start with

    def add(self, text: str, category: str) -> None:
        text = " ".join(text.split())
        if text and text.casefold() not in self.never:
            self.names.setdefault(text, category)
            self._pattern = self._folded = self._firsts = None

    def add_person(self, full: str) -> None:
        """A person's full name and its parts (first name, surname with its interfix)."""
        self.add(full, "person")
        words = full.split()
        while len(words) > 2 and _INITIAL.fullmatch(words[0]):
            words = words[1:]  # "A. Derya Yilmaz": Derya Yilmaz
        if len(words) > 1 and words[0].casefold() in _FATHER_OF:
            # "abu Rami", "Abu Bakr Ouahabi": the particle and the word after it are one first
            # name; neither alone is this person ("abu" is anyone's, "Rami" is his son).
            if len(words) > 2:
                self.add(" ".join(words[:2]), "person")
                self.add(" ".join(words[2:]), "person")
            return
        if len(words) > 1:
            # "De Smet", "van Dijk": a surname with its interfix (never "De" or "van" alone).
            rest = words if words[0].casefold() in INTERFIXES else words[1:]
            if rest is not words and not _INITIAL.fullmatch(words[0]):
                self.add(words[0], "person")  # not an initial: "A." of "A. Yilmaz" is anyone's
            core = [w for w in rest if w.casefold() not in INTERFIXES]
            # Not a part that is no name ("CJG" of "Jansen van het CJG" as accepted): it would
            # stand for this person wherever the project names it. In a name written in
            # capitals ("JAN BOS") a short word is no acronym.
            if all(_skip_token(w.capitalize() if full.isupper() else w) for w in core):
                return
            self.add(" ".join(rest), "person")
            if core and len(core) < len(rest):
                self.add(" ".join(core), "person")

    def _compiled(self) -> re.Pattern | None:
        if self._pattern is None and self.names:
            alternatives = sorted(self.names, key=len, reverse=True)
            # No look-behind in front: a pattern that starts with its alternatives lets the
            # regex engine skip to the characters they can start with. find() checks the
            # character before.
            self._pattern = re.compile(
                r"(?P<name>" + "|".join(_variants(a) for a in alternatives) + r")(?:['’]s|['’])?" + _NAME_END
            )
            # The first characters of the alternatives as _variants writes them (an interfix in
            # any case): where none stands, no name starts.
            exact: set[str] = set()
            folded: set[str] = set()
            for a in alternatives:
                word = a.split()[0]
                if word.casefold() in INTERFIXES:
                    folded.add(word[0])
                else:
                    exact.update((word[0], word.upper()[0]))
            firsts = "[" + "".join(map(re.escape, sorted(exact))) + "]" if exact else ""
            if folded:
                firsts += ("|" if firsts else "") + "(?i:[" + "".join(map(re.escape, sorted(folded))) + "])"
            self._firsts = re.compile(firsts)
        return self._pattern

    def _categories(self) -> dict[str, str]:
        if self._folded is None:
            self._folded = {k.casefold(): v for k, v in self.names.items()}
        return self._folded

    def find(self, text: str) -> list[Candidate]:
        pattern = self._compiled()
        if pattern is None:
            return []
        return [c for m in pattern.finditer(text) if (c := self._candidate(text, m)) is not None]

    def find_within(self, text: str, stretches: Iterable[tuple[int, int]]) -> list[Candidate]:
        """The names that start inside ``stretches`` of ``text`` (short ones, such as the
        speaker labels between turns), tried at each of their positions as :meth:`find`
        tries them, without scanning the rest of the text. A match may reach past its
        stretch; one that starts before it does not hide a name starting inside it."""
        pattern = self._compiled()
        if pattern is None:
            return []
        firsts = self._firsts
        assert firsts is not None  # compiled with the pattern
        out = []
        for at, end in stretches:
            while at < end:
                first = firsts.search(text, at, end)  # skips where no name can start
                if first is None:
                    break
                at = first.start()
                m = pattern.match(text, at)
                if m is None:
                    at += 1
                    continue
                if (c := self._candidate(text, m)) is not None:
                    out.append(c)
                at = m.end()
        return out

    def _candidate(self, text: str, m: re.Match) -> Candidate | None:
        """A match as a candidate, or None where it is the tail of a longer word."""
        s, e = m.span("name")
        if s and (text[s - 1].isalnum() or text[s - 1] in "_'’" or (text[s - 1] == "-" and not _after_prefix(text, s - 1))):
            return None
        return Candidate(s, e, self._categories().get(text[s:e].casefold(), "person"), text[s:e], "known")


# A name ends where no word character follows, nor a hyphen and a capital: in a Dutch
# compound with an ordinary word ("de Yilmaz-zaak", "de Al Amal-ochtend", "Wmo-doelgroepen")
# or a direction ("Overvecht-Noord") the name is still the name; in "Jan-Willem" it is part
# of another.
_NAME_END = r"(?!\w|-(?![a-zà-öø-ÿ0-9]|(?:Noord|Zuid|Oost|West|Centrum)(?!\w)))"


def _after_prefix(text: str, hyphen: int) -> bool:
    """Whether the hyphen at ``hyphen`` joins a lower-case prefix to a name ("ex-Yilmaz",
    "oud-Amsterdammer"), rather than two capitalised parts of one name ("Sint-Jozef")."""
    return hyphen > 0 and text[hyphen - 1].islower()


def _variants(name: str) -> str:
    """A pattern for ``name`` that also matches its interfixes capitalised or not, and
    the name in capitals (``van Dijk``, ``Van Dijk``, ``VAN DIJK``). A word in lower case
    (a name accepted where speech recognition wrote it: "yonas", "sint-amandsberg") is
    the name capitalised too ("Yonas" of the speaker label, "Sint-Amandsberg")."""
    parts = []
    for word in name.split():
        if word.casefold() in INTERFIXES:
            parts.append(f"(?i:{re.escape(word)})")
        elif word.islower():
            capitalised = "-".join(p[:1].upper() + p[1:] for p in word.split("-"))
            parts.append(f"(?:{re.escape(word)}|{re.escape(capitalised)}|{re.escape(word.upper())})")
        else:
            parts.append(f"(?:{re.escape(word)}|{re.escape(word.upper())})")
    return r"\s+".join(parts)
