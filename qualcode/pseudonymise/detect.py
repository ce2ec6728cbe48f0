"""Detection: deduce's findings combined with what the transcript and project tell.

``detect(text, turns, context, detector)`` returns the candidates of one transcript
in reading order, without overlaps:

0. a text written without capitals (speech recognition) is read as a copy with its
   names capitalised (:mod:`.caseless`);
1. deduce (or any detector with the same signature: tests pass a stub) finds names
   from its lists, Dutch places and streets, numbers, dates, e-mail and links;
2. Dutch patterns add what interviews say that deduce misses (ages and dates in
   words, Belgian numbers, streets without a number);
3. proper nouns inside sentences, classified by their neighbours;
4. known names (front matter, speaker labels that are names, the project's list and
   decisions) at every occurrence;
5. filtered: never inside speaker labels or ``[placeholders]``, never the codebook's
   vocabulary or a word the researcher said "never" for, no ordinary word that only
   looks like a name because it starts a sentence ("Mooi gezegd"), no initial that is
   already a pseudonym ("mevrouw B.");
6. a person's name found with good evidence is then found at each of its other
   occurrences in the transcript;
7. overlaps resolved: the researcher's knowledge first, then exact patterns (numbers,
   e-mail, organisations named as such), then deduce, then context; longer first.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from ..model import Turn
from .caseless import caseless_part, known_words, recased
from .categories import Candidate
from .context import (
    AREA_TEAMS,
    NAMED_ORG_END,
    ORG_BEFORE_ONLY_EXCLUDED,
    ORG_CONTEXT,
    ORG_WORDS,
    KnownNames,
    Region,
    area_service,
    body_after_van,
    from_place,
    is_sentence_start,
    label_names,
    near_not_personal,
    proper_nouns,
    subject_follows,
)
from .patterns import AGE_AFTER_NAME, HOUSE_NUMBER, POSTCODE_PATTERNS, SERVICE_NUMBER, STREET, find_patterns
from .words import (
    FUNCTION_WORDS,
    INTERFIXES,
    NATIONALITY,
    TITLES,
    car_makes,
    dutch_words,
    first_names,
    name_words,
    not_personal,
    not_personal_compound,
    not_personal_pattern,
    not_personal_words,
)

Detector = Callable[[str], list[Candidate]]

# Front-matter and attribute names whose values are personal data, by category.
ATTRIBUTE_CATEGORIES: dict[str, str] = {
    **dict.fromkeys(
        "naam name interviewer interviewster respondent respondente deelnemer participant geïnterviewde "
        "geinterviewde spreker moderator onderzoeker transcribent".split(),
        "person",
    ),
    **dict.fromkeys("organisatie organisation school werkgever vereniging stichting moskee kerk".split(), "organisation"),
    **dict.fromkeys("stad plaats woonplaats wijk dorp city town place buurt".split(), "place"),
}

_PRIORITY = {"known": 0, "speaker": 0, "pattern": 1, "deduce": 2, "context": 3, "repeat": 3}
# Categories our patterns find by their form: they win over a name found in a list
# ("Jan Tooropstraat" is a street, not a person called Jan).
_EXACT = {"email", "url", "phone", "id", "postcode", "date", "age", "address"}
_PLACEHOLDER = re.compile(r"\[[^\]\n]{0,40}\]")
# Initials, each perhaps after a word: "K.", "J.K.", "mevrouw B.", "Jan K". Read word by word
# without going back: a word of initials only ("J.K.") ends a step, any other word must be
# followed by an initial. (Written as "(?:(?:\w+\.?\s+)?[A-Z]\.?\s*)+", each "A " could be
# either part, and "A A A ... Ab" took exponential time: 40 letters, minutes.)
_INITIAL_ONLY = re.compile(r"^(?:(?:[A-Z]\.?)++(?!\S)\s*+|(?:[A-Z]++\.(?=\w))*+\w++\.?\s++(?=[A-Z]))++$")


@dataclass(slots=True)
class DetectionContext:
    """What the project knows: names by category, words never to flag, the codebook's words."""

    known: KnownNames = field(default_factory=KnownNames)
    vocabulary: frozenset[str] = frozenset()  # case-folded codebook terms (code names, ids, keywords)
    vocabulary_words: frozenset[str] = frozenset()  # and the single words in them

    @classmethod
    def build(
        cls,
        *,
        names: Iterable[tuple[str, str]] = (),
        never: Iterable[str] = (),
        vocabulary: Iterable[str] = (),
    ) -> DetectionContext:
        known = KnownNames(never={n.casefold() for n in never})
        for text, category in names:
            if category == "person":
                known.add_person(text)
            else:
                known.add(text, category)
        terms = {" ".join(t.replace("_", " ").casefold().split()) for t in vocabulary} - {""}
        return cls(known, frozenset(terms), frozenset(w for t in terms for w in t.split()))

    def for_transcript(self, turns: Sequence[Turn], attributes: dict[str, str]) -> DetectionContext:
        """This context plus the names a transcript's labels and attributes tell."""
        known = KnownNames(dict(self.known.names), set(self.known.never))
        for name in label_names(turns):
            known.add_person(name)
        for key, value in attributes.items():
            category = ATTRIBUTE_CATEGORIES.get(key.casefold())
            if category == "person":
                known.add_person(value)
            elif category:
                known.add(value, category)
                core = value.split(maxsplit=1)
                # "Stichting Hiwot" is also said as "Hiwot".
                if category == "organisation" and len(core) == 2 and core[0].casefold() in _ORG_PREFIXES | ORG_WORDS:
                    # A district team is named after its district: "Wijkteam Holtenbroek".
                    known.add(core[1], "place" if core[0].casefold() in AREA_TEAMS else category)
        return DetectionContext(known, self.vocabulary, self.vocabulary_words)


_ORG_PREFIXES = {"stichting", "vereniging", "vzw", "wijkteam", "buurtteam", "basisschool", "moskee", "kerk"}


def _normalise(c: Candidate, text: str) -> list[Candidate]:
    """Split and trim deduce's spans into our categories."""
    if c.source != "deduce":
        return [c]
    if c.category in ("place", "organisation") and _title_before(text, c.start):
        return [Candidate(c.start, c.end, "person", c.text, c.source)]  # "mama Saba", not the island
    if c.category == "place":
        out = []
        pos = c.start
        for p in POSTCODE_PATTERNS[:1]:
            m = p.match(text, c.start, c.end)
            if m:
                out.append(Candidate(m.start(), m.end(), "postcode", m.group(), "deduce"))
                pos = m.end()
                while pos < c.end and text[pos] in " ,":
                    pos += 1
        if pos < c.end:
            rest = text[pos : c.end]
            street = re.search(r"\d", rest) or STREET.fullmatch(rest) or rest.lower().startswith("postbus")
            kind = "address" if street else "place"
            out.append(Candidate(pos, c.end, kind, rest, "deduce"))
        return out
    if c.category == "person" and c.text[:1].islower():
        service = re.search(r"(\w+)\s+$", text[max(0, c.start - 12) : c.start])
        van = re.match(r"van\s+", c.text)
        if van and from_place(text, c.start + van.end()):
            # "ik ben van Lier", "komen van Al Hoceima": where one comes from, not a surname.
            return [Candidate(c.start + van.end(), c.end, "place", c.text[van.end() :], "deduce")]
        if service and area_service(service.group(1)):
            # "OCMW van Antwerpen": a public service and its area, not "van Antwerpen" the person.
            m = re.match(r"(?:(?:van|de|der|den|het)\s+)*", c.text)
            start = c.start + (m.end() if m else 0)
            return [Candidate(start, c.end, "place", text[start : c.end], "deduce")] if start < c.end else []
    if c.category == "person":
        out = []
        # deduce can run a name on over a sentence's end ("mevrouw Demir. Mevrouw Demir
        # heeft"): each sentence's part is a name of its own.
        for start, end in _sentence_parts(text, c.start, _before_body(text, c.start, _before_service(text, c.start, c.end))):
            # deduce includes a title or a word like "collega" in the name ("de heer Segers"
            # too, in the minutes of a debate): keep it outside.
            if start and text[start - 1] == "-" and (m := _SPELLED_END.match(text, start, end)):
                start += m.end() - m.start()  # "F-A-T-M-A. Fatima": the spelling's last letter is no initial
            while True:
                m = re.match(r"(?:(?:de|het)\s+)?([\w.]+)\s+", text[start:end], re.I)
                if m and m.group(1).casefold().rstrip(".") in _TITLE_STEMS and start + m.end() < end:
                    start += m.end()
                else:
                    break
            # "Neem Dylan", "Goedemorgen Ingrid": a sentence's first word that is a word of the
            # language and no name's stays outside.
            m = _FIRST_WORD.match(text, start, end)
            if m and m.end() < end and is_sentence_start(text, start) and _not_a_name(m.group(1)):
                start = m.end()
            out.append(Candidate(start, end, "person", text[start:end], "deduce"))
        return out
    return [c]


_FIRST_WORD = re.compile(r"([^\W\d_]+)\s+")


def _not_a_name(word: str) -> bool:
    folded = word.casefold()
    return word[:1].isupper() and folded in dutch_words() and folded not in name_words() and folded not in INTERFIXES


_SPELLED_END = re.compile(r"[^\W\d_]\.\s+")
_TITLE_STEMS = frozenset(t.rstrip(".") for t in TITLES)
# A sentence's end inside a span: a word of two or more letters (not an initial, not a
# title such as "dr."), then . ! or ?, then a space.
_SENTENCE_BREAK = re.compile(r"(?<=[^\W\d_]{2})([.!?]+)\s+")


def _street_start(c: Candidate) -> Candidate:
    """A street found by its ending starts after a sentence's first words that are no name:
    "Toen de Afsluitdijk", "Naar de Kerkstraat 5" are "Afsluitdijk", "Kerkstraat 5"."""
    m = _LEAD_WORDS.match(c.text)
    if c.category != "address" or m is None or m.group(1).casefold() not in _LEADS:
        return c
    return Candidate(c.start + m.end(), c.end, c.category, c.text[m.end() :], c.source)


# Not adjectives: "Oude Gracht", "Lange Nieuwstraat", "Grote Markt" are the street's own words.
_LEADS = FUNCTION_WORDS - INTERFIXES | {"naar", "in", "op", "aan", "uit", "richting", "langs", "via"}
_LEAD_WORDS = re.compile(r"([^\W\d_]+)\s+(?:(?:de|het|'t)\s+)?(?=[A-Z])")


def _street_or_person(c: Candidate) -> Candidate:
    """A "street" by its ending that is a first name and a surname is a person: "Romano
    Kerkhof", "Sanne Hofdijk" (not "Jan Tooropstraat", "Anton de Komplein": no surnames)."""
    words = c.text.split()
    if (
        c.category == "address"
        and len(words) > 1
        and not any(ch.isdigit() for ch in c.text)
        and words[0].casefold() in first_names()
        and words[-1].casefold() in name_words()
    ):
        return Candidate(c.start, c.end, "person", c.text, c.source)
    return c


_TRAILING_CONNECTORS = re.compile(r"(?:\s+(?:van|bij|de|het|der|den))+\s*$", re.I)


def _before_service(text: str, start: int, end: int) -> int:
    """Where a name ends that deduce ran on into a public service: "Jan Peeters van de Kind"
    of "Jan Peeters van de Kind en Gezin" is "Jan Peeters"."""
    for m in not_personal_pattern().finditer(text, start, min(len(text), end + 40)):
        if start < m.start() < end:
            return start + len(_TRAILING_CONNECTORS.sub("", text[start : m.start()]))
    return end


_VAN = re.compile(r"\s+van\s+(?:(?:de|het|der|den)\s+)?")


def _before_body(text: str, start: int, end: int) -> int:
    """Where a name ends that deduce ran on into the organisation or street after "van":
    "Jozef van de Sint-Albertuskerk" is "Jozef" (see :func:`.context.body_after_van`)."""
    for m in _VAN.finditer(text, start, end):
        body = text[m.end() : end]
        if m.start() > start and (body_after_van(body.split()) or body.casefold() in not_personal()):
            return m.start()  # "Kees van Sparta" too: a club, a service, a country is no surname
    return end


def _sentence_parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The parts of ``text[start:end]`` between sentence ends (the whole span when none)."""
    parts = []
    for m in _SENTENCE_BREAK.finditer(text, start, end):
        word = re.search(r"[^\W\d_]+$", text[start : m.start()])
        if word is not None and word.group().casefold() in _TITLE_STEMS:
            continue  # "dr. Jansen"
        parts.append((start, m.start()))
        start = m.end()
    parts.append((start, end))
    return [(s, e) for s, e in parts if e > s]


def _keep(c: Candidate, text: str, region: Region, ctx: DetectionContext, placeholders: list[tuple[int, int]]) -> bool:
    if c.source != "speaker" and not region.contains(c.start, c.end):
        return False
    if any(s <= c.start and c.end <= e for s, e in placeholders):
        return False
    folded = c.text.casefold()
    if folded in ctx.known.never or (c.source != "known" and (folded in not_personal() or not_personal_compound(c.text))):
        return False
    if c.source in {"deduce", "context"} and c.category in _NAMES and _mostly_not_personal(c.text):
        return False  # "van het Huis van het Kind"
    if (
        c.source == "repeat"
        and any(w in not_personal_words() for w in folded.split())
        and near_not_personal(text, c.start, c.end)
    ):
        return False  # the "Genk" of "KRC Genk", the "Kind" of "Kind en Gezin"
    words = c.text.split()
    if c.source in {"deduce", "context", "repeat"} and 1 < len(words) < 4 and words[0].casefold() in car_makes():
        return False  # "Opel Zafira", "Ford Transit Custom": a car
    if c.category in ("phone", "id") and SERVICE_NUMBER.match(c.text):
        return False  # deduce's too: "0800 98 809" is a helpdesk
    if c.category in _EXACT:
        return True
    if c.source == "known":
        return True
    if len(words) == 1 and folded in TITLES:
        return False  # a form of address said alone: "zo noemen ze hem, Pak, dat is meneer"
    if len(words) == 1 and len(folded) > 4 and NATIONALITY.search(folded) and not _title_before(text, c.start):
        return False  # deduce's and a repeat's too: "Brabander", "Turkse" (the proper-noun rules skip them)
    if folded in ctx.vocabulary or all(w in ctx.vocabulary_words for w in folded.split()):
        return False
    if c.category == "person" and c.source != "pattern" and _INITIAL_ONLY.match(c.text):
        return False  # "mevrouw B.", "K.": already pseudonymised by the transcriber (a spelling, "D E R Y A", is not)
    if len(words) == 1 and c.text.casefold() in dutch_words():
        # An ordinary word capitalised at the start of a sentence ("Mooi gezegd.") is no
        # name, unless the name is known from elsewhere in the transcript and what follows
        # reads like a subject's sentence ("Roos, de dochter van ...", "Roos is ...").
        if is_sentence_start(text, c.start, region.turn_start(c.start)):
            return c.source == "repeat" and subject_follows(text, c.end)
    return True


_NAMES = {"person", "place", "organisation"}


def _mostly_not_personal(text: str) -> bool:
    """Whether nothing but connectors is left once the never-personal names are cut out."""
    rest = not_personal_pattern().sub(" ", text)
    return not any(
        re.sub(r"^['’][st]-?", "", w)[:1].isupper() and w.casefold() not in INTERFIXES and w.casefold() not in not_personal()
        for w in rest.split()
    )


def _resolve(candidates: list[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates: higher priority first, then longer, then earlier.

    A name held whole by a longer name of the same category, found with less priority,
    gives way to it: the surname known from the speaker label "MEVROUW OWUSU" inside
    "Grace Owusu", found by deduce, is "Grace Owusu", not "Owusu" with "Grace" left in
    the text. Across categories the stronger finding stays: deduce's person
    "Schoonmaakbedrijf Hendriks" is the organisation "Hendriks" (the gold interviews).
    """
    out: list[Candidate] = []
    # The kept candidates never overlap, so each character has at most one: a candidate's
    # overlaps are read off its own span (comparing it with every kept one was quadratic,
    # an interview naming thousands of people took minutes). Empty ones hold no character
    # and are kept by position; an empty one overlaps what holds the character before it.
    holder = [-1] * max((c.end for c in candidates), default=0)
    empty: list[int] = []  # positions of the empty ones kept, sorted
    empty_at: dict[int, list[int]] = {}
    for c in sorted(candidates, key=_rank):
        if c.end > c.start:
            overlapping = sorted(set(holder[c.start : c.end]) - {-1})
            lo, hi = bisect_right(empty, c.start), bisect_left(empty, c.end)
            overlapping += sorted({i for p in empty[lo:hi] for i in empty_at[p]})
        else:
            i = holder[c.start - 1] if 0 < c.start <= len(holder) else -1
            overlapping = [i] if i >= 0 and c.start < out[i].end else []
        if not overlapping:
            _hold(c, len(out), holder, empty, empty_at)
            out.append(c)
        elif len(overlapping) == 1 and c.category in _NAMES:
            t = out[overlapping[0]]
            if t.category == c.category and c.start <= t.start and t.end <= c.end and (c.start, c.end) != (t.start, t.end):
                if t.end == t.start:
                    empty_at[t.start].remove(overlapping[0])
                    if not empty_at[t.start]:
                        del empty_at[t.start]
                        empty.remove(t.start)
                _hold(c, overlapping[0], holder, empty, empty_at)
                out[overlapping[0]] = c
    out.sort(key=lambda c: (c.start, c.end))
    return out


def _hold(c: Candidate, i: int, holder: list[int], empty: list[int], empty_at: dict[int, list[int]]) -> None:
    """Mark the characters of ``c``, the ``i``-th kept candidate, as held by it."""
    if c.end > c.start:
        holder[c.start : c.end] = [i] * (c.end - c.start)
    else:
        if c.start not in empty_at:
            insort(empty, c.start)
        empty_at.setdefault(c.start, []).append(i)


def _rank(c: Candidate) -> tuple:
    exact = c.source == "pattern" and c.category in _EXACT
    organisation = c.source == "context" and c.category == "organisation"
    priority = 1 if exact or organisation else _PRIORITY.get(c.source, 3)
    if c.source == "pattern" and not exact:
        priority = 2
    if c.source == "context" and not organisation:
        priority = 2  # as deduce: of two overlapping names the longer wins ("Al Amal" over "Amal")
    return (priority, -(c.end - c.start), c.source != "deduce", c.start)


def _repeats(text: str, found: list[Candidate], region: Region, ctx: DetectionContext) -> list[Candidate]:
    """Other occurrences of the names found (a person's first name and surname alone too),
    in the category of the best evidence for that name."""
    names = KnownNames(never=ctx.known.never)
    for c in sorted((c for c in found if c.category in _NAMES), key=_rank):
        if c.text[:1].islower():
            continue
        names.add(c.text, c.category)
        if c.category != "person":
            continue
        for word in c.text.split():
            # Parts that are also Dutch words ("Dirk", "Roos") too: at a sentence's start
            # _keep lets them through only when a verb follows ("Dirk sprak langzaam").
            if word.casefold() not in INTERFIXES and len(word) > 2 and word[:1].isupper():
                names.add(word, "person")
    out = []
    for c in names.find(text):
        if not region.contains(c.start, c.end):
            continue
        out.append(Candidate(c.start, c.end, c.category, c.text, "repeat"))
    return out


def _title_before(text: str, pos: int) -> bool:
    m = re.search(r"([\w.]+)\s+$", text[max(0, pos - 20) : pos])
    return m is not None and m.group(1).casefold() in TITLES


def _kind_before(text: str, pos: int) -> bool:
    m = re.search(r"([^\W\d_]+)[ \t]+$", text[max(0, pos - 30) : pos])
    return m is not None and m.group(1).casefold() in _KIND_WORDS


def _harmonise(candidates: list[Candidate], text: str) -> list[Candidate]:
    """One category per name in a transcript: that of its best evidence (but a name
    after a title stays a person: "meneer Hendriks" of "Schoonmaakbedrijf Hendriks").
    An organisation named after its kind and a place, the kind left outside, takes no
    category and gives none to the place: "Hogeschool Rotterdam" and "Atheneum Genk" do
    not make an organisation of "in Rotterdam" or "in Genk" (but "ROC Deltion" does of
    a bare "Deltion")."""
    best: dict[str, Candidate] = {}
    named = [c for c in candidates if c.category in _NAMES]
    places = {c.text.casefold() for c in named if c.category == "place"}
    for c in sorted(named, key=_rank):
        if c.category == "organisation" and c.text.casefold() in places and _kind_before(text, c.start):
            continue
        best.setdefault(c.text.casefold(), c)
    out = []
    for c in candidates:
        b = best.get(c.text.casefold())
        titled = c.category == "person" and _title_before(text, c.start)
        kinded = c.category == "organisation" and _kind_before(text, c.start)
        if b is not None and b.category != c.category and c.category in _NAMES and not titled and not kinded:
            c = Candidate(c.start, c.end, b.category, c.text, c.source)
        out.append(c)
    return out


def detect(
    text: str,
    turns: Sequence[Turn],
    context: DetectionContext,
    detector: Detector | None,
    *,
    attributes: dict[str, str] | None = None,
) -> list[Candidate]:
    """The candidate personal data of one transcript, in reading order (see the module doc)."""
    region = Region.of(text, turns)
    ctx = context.for_transcript(turns, attributes or {})
    lower = caseless_part(text, region)
    if lower is None:
        # A line break inside a turn ends no sentence (a subtitle cue's lines, a wrapped
        # line): detection reads it as a space ("mijn dochter\nLuwam", "Senait\nGebremeskel"
        # is one name). Same length: the offsets hold; the text's own characters are reported.
        joined = _join_lines(text, region)
        if joined is text:
            return _detect(text, region, ctx, detector)
        return [replace(c, text=text[c.start : c.end]) for c in _detect(joined, region, ctx, detector)]
    # Read a copy with the names capitalised (same length: offsets hold), report the text's own
    # words. The names the project and the labels know are names there too ("yonas" of the
    # label "Yonas Tesfamariam").
    known = known_words(ctx.known.names.items())
    copy = recased(text, lower, known)
    found = _detect(copy, region, ctx, detector)
    # A name found by its evidence ("Nilofar" where the text has capitals, "dokter haile") is
    # that name where it stands bare in lower case too: its other occurrences are looked for
    # in a copy with its words capitalised there too (deduce is not asked again).
    more = known_words(
        ((c.text, c.category) for c in found if c.category in _NAMES and c.source != "known"), first_names_too=True
    )
    if more.keys() - known.keys() and (again := recased(text, lower, {**more, **known})) != copy:
        placeholders = [m.span() for m in _PLACEHOLDER.finditer(again)]
        extra = [r for r in _repeats(again, found, lower, ctx) if _keep(r, again, region, ctx, placeholders)]
        found = _harmonise(_resolve(found + extra), again)
    return [replace(c, text=text[c.start : c.end]) for c in found]


_LONE_BREAK = re.compile(r"(?:(?<=[^\W\d_A-Z])|(?<=[^\W\d_A-Z],))[ \t]*\n(?![ \t]*\n)[ \t]*(?P<next>[^\W\d_][\w'’-]*)")


_WORD_BEFORE = re.compile(r"[^\W\d_][\w'’-]*,?$")


def _join_lines(text: str, region: Region) -> str:
    """``text`` with each single line break inside a turn that falls inside a sentence made
    a space: after a word in lower case (or its comma), before a word in lower case or a
    capitalised one that is no Dutch word ("dochter\nLuwam", "buurvrouw,\nAbrehet"). A
    blank line, a line after a capitalised word ("Balkenende\nNederland", speech without
    punctuation) or before "Het" stays. ``text`` itself when nothing changes."""
    chars: list[str] | None = None
    for start, end in region.spans:
        for m in _LONE_BREAK.finditer(text, start, end):
            word = m.group("next")
            before = _WORD_BEFORE.search(text, max(start, m.start() - 40), m.start() + 1)
            if before is None or not before.group()[0].islower():
                continue  # "Balkenende\nNederland": a name may end a line of speech without punctuation
            if word[0].isupper() and word.casefold() in dutch_words():
                continue
            chars = chars or list(text)
            chars[text.index("\n", m.start(), m.start("next"))] = " "
    return text if chars is None else "".join(chars)


def _detect(text: str, region: Region, ctx: DetectionContext, detector: Detector | None) -> list[Candidate]:
    raw: list[Candidate] = []
    if detector is not None:
        for c in detector(text):
            raw.extend(_normalise(c, text))
    raw.extend(_street_or_person(_street_start(c)) for c in find_patterns(text))
    raw.extend(proper_nouns(text, region))
    raw.extend(Candidate(*m.span("name"), "person", m.group("name"), "pattern") for m in _TITLED_PARTICLE_NAME.finditer(text))
    raw.extend(ctx.known.find(text))
    raw = [_by_kind(c, text) for c in raw]
    placeholders = [m.span() for m in _PLACEHOLDER.finditer(text)]
    kept = [c for c in raw if _keep(c, text, region, ctx, placeholders)]
    kept.extend(r for r in _repeats(text, kept, region, ctx) if _keep(r, text, region, ctx, placeholders))
    return _house_numbers(
        text, region, _ages_after_names(text, region, _join_names(text, region, _harmonise(_resolve(kept), text)))
    )


_KIND_WORDS = ORG_WORDS - ORG_BEFORE_ONLY_EXCLUDED
# A surname with its Arabic article after a title: "meneer al-Saadi", "dokter el-Khatib" (the
# proper-noun rules start a name at a capital, and this one starts in lower case).
_TITLED_PARTICLE_NAME = re.compile(
    rf"(?<![\w-])(?:{'|'.join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True))})[ \t]+"
    r"(?P<name>(?:al|el|as|ad|ash|an|ar|at|az|ud|ul)-[A-Z][\w'’]+)",
    re.I,
)


# A kind of organisation just before a name: "Buurtcentrum De Schoof", "vzw Al Yasmin".
_KIND_JUST_BEFORE = re.compile(r"(?<![\w-])([^\W\d_]+)[ \t\n]+(?:(?:de|het|'t)[ \t]+)?$", re.I)


def _organisation_kind(word: str) -> bool:
    """A (case-folded) word for a kind of organisation: "moskee", "buurtcentrum", "Theresialyceum"."""
    return word in _KIND_WORDS or NAMED_ORG_END.search(word) is not None


def _by_kind(c: Candidate, text: str) -> Candidate:
    """A name that holds a word for a kind of organisation is an organisation, whichever rule
    found it and as what: "Koninklijk Atheneum Deurne" (not a place), "Brouwerij De Koninck"
    (not a person), "Gereformeerde Kerk Reeshof" (not a street), "Theresialyceum". So is
    a name right after its kind ("Buurtcentrum De Schoof") or where an employer or school
    is named ("werkt bij Humanitas Leeuwarden", "zat op het Echnaton"; not a first name of
    the lists: "werkt bij Mohammed" in his shop)."""
    if c.category not in ("person", "place", "address") or any(ch.isdigit() for ch in c.text):
        return c
    words = c.text.casefold().split()
    if not (c.text[:1].isupper() and any(w in _KIND_WORDS and len(words) > 1 or NAMED_ORG_END.search(w) for w in words)):
        if c.text[:1].isupper() and words and c.category != "address":
            before = text[max(0, c.start - 60) : c.start]
            kind = _KIND_JUST_BEFORE.search(before)
            if (kind and _organisation_kind(kind.group(1).casefold())) or (
                ORG_CONTEXT.search(before) and words[0] not in first_names()
            ):
                return replace(c, category="organisation")
        return c
    if len(words) > 1 and _organisation_kind(words[0]) and words[1] != "van":
        # The kind stays outside, as the proper-noun rules leave it: "Schoonmaakbedrijf [organisatie 1]".
        cut = len(c.text) - len(c.text.split(maxsplit=1)[1])
        return Candidate(c.start + cut, c.end, "organisation", c.text[cut:], c.source)
    return replace(c, category="organisation")


def _ages_after_names(text: str, region: Region, found: list[Candidate]) -> list[Candidate]:
    """``found`` and the ages said after a person's name between commas: "Sayed, negentien,
    hij is", "Mohammed Bin Salem voluit, zeventien." (a bare number anywhere else is none)."""
    out: list[Candidate] = []
    for i, c in enumerate(found):
        out.append(c)
        if c.category != "person" or (m := AGE_AFTER_NAME.match(text, c.end)) is None:
            continue
        group = "age" if m.group("age") else "spoken"
        if not region.contains(*m.span(group)) or (i + 1 < len(found) and found[i + 1].start < m.end(group)):
            continue
        out.append(Candidate(*m.span(group), "age", m.group(group), "pattern"))
    return out


# Particles of Arabic, Berber and Mauritanian names: "abu Rami", "Mohammed bin Salem",
# "Yusuf ould Brahim", "Rasha al-Hamwi", "Umm Khalid".
_PARTICLE = r"(?:abu|abou|umm|oum|ibn|bin|ben|bint|ould|wuld|ait|al|el)"
_PARTICLE_BEFORE = re.compile(r"(?<![\w-])(?:abu|abou|umm|oum|ibn|bint|ould)[ \t]+$", re.I)
_NAME_AFTER = re.compile(rf"[ \t]+(?:{_PARTICLE}[ \t]+[A-Z][\w'’-]+|(?:al|el|as|ad|ash|an|ar|at|az|ud|ul)-[A-Z][\w'’]+)", re.I)
_BETWEEN_PARTS = re.compile(rf"[ \t]+(?:{_PARTICLE}[ \t]+)?$", re.I)
_LINE_BETWEEN = re.compile(r"[ \t]*\n[ \t]*$")  # "Senait\nGebremeskel": a subtitle line broke the name


def _join_names(text: str, region: Region, found: list[Candidate]) -> list[Candidate]:
    """A person's name whole: with the particle before it ("abu Rami") or after it with the
    next name ("Rasha al-Hamwi", "Yusuf ould Brahim"), and two names side by side ("Senait
    Gebremeskel" found as two) as one -- else "abu [persoon 1]" tells who, and one person
    gets two pseudonyms."""
    out: list[Candidate] = []
    for original in found:
        c = original
        if c.category == "person":
            m = _PARTICLE_BEFORE.search(text, max(0, c.start - 8), c.start)
            if m and region.contains(m.start(), c.end):
                c = Candidate(m.start(), c.end, c.category, text[m.start() : c.end], c.source)
            m = _NAME_AFTER.match(text, c.end)
            if m and region.contains(c.start, m.end()):
                c = Candidate(c.start, m.end(), c.category, text[c.start : m.end()], c.source)
        last = out[-1] if out else None
        if last is not None and c.start < last.end:
            if last.category != "person":
                out.append(original)  # the particle is another name's: this one stays as found
            elif c.end > last.end:
                out[-1] = Candidate(last.start, c.end, "person", text[last.start : c.end], last.source)
            continue
        prev = last
        if (
            prev is not None
            and "person" in (prev.category, c.category)
            and {prev.category, c.category} <= _NAMES
            and (
                _BETWEEN_PARTS.fullmatch(text, prev.end, c.start)
                or (c.category == "person" and _LINE_BETWEEN.fullmatch(text, prev.end, c.start))
            )
            and _first_or_person(prev)
            and region.contains(prev.start, c.end)
        ):
            out[-1] = Candidate(prev.start, c.end, "person", text[prev.start : c.end], prev.source)
            continue
        out.append(c)
    return out


def _first_or_person(c: Candidate) -> bool:
    """A person, or a first name found as something else ("Hilde" of "Hilde Deconinck")."""
    return c.category == "person" or c.text.casefold() in first_names()


def _house_numbers(text: str, region: Region, found: list[Candidate]) -> list[Candidate]:
    """``found`` and the house numbers said apart from their street or place: "In de
    Peperstraat. Op nummer 54", "in de Pauwengraaf, nummer 18"."""
    out: list[Candidate] = []
    for i, c in enumerate(found):
        out.append(c)
        if c.category not in ("address", "place") or any(ch.isdigit() for ch in c.text):
            continue
        m = HOUSE_NUMBER.match(text, c.end)
        if m is None or not region.contains(*m.span("number")):
            continue
        if i + 1 < len(found) and found[i + 1].start < m.end("number"):
            continue  # a candidate of its own there
        out.append(Candidate(*m.span("number"), "address", m.group("number"), "pattern"))
    return out
