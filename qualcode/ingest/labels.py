"""What a speaker label looks like, and timestamps.

A *candidate* label is the start of a line that has the shape of a label:

* an optional timestamp (``[00:01:23]``, ``(01:23)``, ``00:01:23``, ``[1:02:03]``,
  f4-style ``#00:01:23-4#``, optionally a range ``[00:01:23 - 00:01:40]``, bare only
  with an arrow as Teams writes it: ``0:0:3.120 --> 0:0:7.450``);
* one to five words, at most 40 characters, the first starting with a letter
  (``I``, ``R1``, ``Begeleider 1``, ``Mevrouw van Dam``, ``MEVROUW A``), optionally
  wrapped in Markdown ``**bold**`` or in square brackets (``[Lotte Jansen] 10:02:11``,
  with a timestamp or a colon), optionally followed by an affiliation in
  parentheses (``Mevrouw Bergkamp (D66)``) and/or a timestamp, after a dash or bar
  if need be (``Sanne - 00:00:01``, as some exports write it);
* then either a colon (content may follow on the same line, after another
  optional timestamp), or the end of the line.

A label without a colon alone on its line is only a candidate when it is
written in capitals (``INTERVIEWER``, ``MARVIN``), carries a timestamp
(``Spreker 1 00:00:05``), is bold, or is a known role word. Labels starting
with a lower-case letter are candidates only if they are a known role
(``interviewer:``). Common Dutch words that take a colon in running text or in a
metadata header (``Bijvoorbeeld:``, ``Let op:``, ``NB:``, ``Datum:``, ``Locatie:``)
are never candidates.

Whether a candidate is *accepted* as a speaker depends on the whole document;
that rule lives in :mod:`qualcode.ingest.turns`. This module supplies the facts
it needs: ``strong`` (a known role, a role code or a titled name) and
``name_like`` (every word capitalised, a number or a name particle).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..termsafe import INVISIBLE
from ..text import TIMESTAMP

INLINE = "inline"  # "Interviewer: text on the same line"
ALONE_COLON = "alone-colon"  # "De voorzitter:" alone, text in the lines below
ALONE_BARE = "alone-bare"  # "INTERVIEWER" alone, no colon, text below

_TS_PARTS = re.compile(r"(?:(\d{1,2}):)?(\d{1,2}):(\d{2}|\d(?=[.,]\d))(?:[.,](\d{1,3}))?")

_WORD = r"[^\W\d_][\w'’.\-]*+"
# "Leerling 4" but not the "00" of "Spreker 1 00:00:05" or the "0" of "Versie 0.2".
_NUM = r"\d{1,3}(?!\d|[:.,]\d)"
_MD = r"(?:\*\*|__)"

# Invisible characters (see termsafe.INVISIBLE) around a label are skipped, so "I\u200b:"
# is the speaker "I" (the text keeps them; offsets hold).
_FMT = INVISIBLE + "*"

__all__ = ["TIMESTAMP"]  # the ingest package's name for it (defined with the text's blocks)

_LABEL_LINE = re.compile(
    rf"""
    [ \t]*{_FMT}
    (?:(?P<ts1>{TIMESTAMP})[ \t]*(?:[-–—|][ \t]*)?)?
    (?P<ob>\[)?{_MD}?
    (?P<label>{_WORD}(?:[ \t]+(?:{_WORD}|{_NUM})){{0,4}}+)
    (?:[ \t]*(?P<aff>\((?![\s\d:.,\-–]*\))[^()\n]{{1,40}}\)))?
    (?P<md>{_MD})?(?(ob)\])
    (?:[ \t]*(?:[-–—|][ \t]*)?(?P<ts2>{TIMESTAMP}))?
    [ \t]*{_FMT}[ \t]*
    (?:
        (?P<colon>:){_MD}?[ \t]*
        (?:(?P<ts3>{TIMESTAMP})[ \t]*(?:[-–—][ \t]*)?)?
        (?P<rest>.*)
      | {_MD}?[ \t]*$
    )
    """,
    re.VERBOSE,
)

# Role words that mean "a speaker" whatever the document (after dropping a
# leading article and a trailing number: "De voorzitter", "Begeleider 2").
ROLES = frozenset(
    """
    interviewer interviewster interviewee geïnterviewde geinterviewde
    respondent respondente participant participante deelnemer deelneemster
    moderator moderatrice gespreksleider gespreksleidster facilitator
    begeleider begeleidster spreker spreekster speaker onderzoeker onderzoekster
    researcher informant voorzitter notulist notuliste observator tolk interpreter
    int iv resp mod
    """.split()
)
# Role words (see _core) that make a header's "Interviewer: Sanne de Vries" name who asks the questions.
INTERVIEWER_ROLES = frozenset(
    """
    interviewer interviewster int iv moderator moderatrice gespreksleider gespreksleidster facilitator
    onderzoeker onderzoekster researcher
    """.split()
)
# Words of a transcript's header ("Notulist: Daan", "Gemeente: Utrecht") that are a speaker's
# label too (the note-taker, the municipality at a meeting): a speaker only when the label
# recurs (turns.py's count), never on sight as a role is.
HEADER_WORDS = frozenset("notulist notuliste notulant gemeente organisatie".split())
# A first word that makes the label a titled person: "Mevrouw Jansen",
# "Minister De Jonge", "De heer Hijink (SP)", "Dr. Yilmaz".
TITLES = frozenset(
    """
    mevrouw mevr mw meneer mijnheer dhr heer mr mrs ms dr drs prof ir ing
    minister staatssecretaris minister-president burgemeester wethouder
    dokter juffrouw juf meester
    """.split()
)
# Words that take a colon in running text or in a metadata header. Never speakers.
STOPWORDS = frozenset(
    """
    bijvoorbeeld bijv bv b.v nb n.b noot opmerking opmerkingen toelichting let
    conclusie samenvatting kortom zie voorbeeld voorbeelden tip tips waarschuwing
    dus oftewel ofwel namelijk maar en want of ja nee ok oké okay
    datum tijd duur locatie plaats onderwerp aanwezig aanwezigen afwezig titel
    project bron opname bestand transcriptie transcript versie status
    notitie notities thema stelling definitie resultaat doel vraagstelling
    pauze einde begin vervolg inleiding
    deel blok onderdeel fase ronde stap hoofdstuk bijlage sectie casus topic vignet
    notulen verslag verslaglegging transcribent transcriptor codeur
    leeftijd geslacht functie beroep woonplaats pseudoniem interviewnummer
    note example date time location source subject
    """.split()
)
# Lower-case words allowed inside a name ("Mevrouw van der Berg", "De heer Hijink").
PARTICLES = frozenset(
    """
    de der den van von het 't te ter ten la le du da dos del el al bin ben
    heer mevrouw meneer
    """.split()
)
_ARTICLES = ("de ", "het ", "the ")
_ROLE_CODE = re.compile(r"[A-Z](?: ?\d{1,2})?")
_TRAILING_NUMBER = re.compile(r"[ \t]*\d{1,3}$")


@dataclass(slots=True, frozen=True)
class LabelCandidate:
    """A line start shaped like a speaker label (accepted or not is decided later)."""

    speaker: str  # as written, whitespace collapsed: "Mevrouw Bergkamp (D66)"
    key: str  # case-folded speaker, to count how often a label recurs
    form: str  # INLINE, ALONE_COLON or ALONE_BARE
    content_col: int | None  # where the content starts on the line (INLINE only)
    time_start: float | None
    time_end: float | None
    strong: bool  # a known role, role code or titled name: a speaker on sight
    name_like: bool  # every word capitalised, a number or a name particle
    words: int  # words of name, numbers not counted, an affiliation counted as one


def seconds(timestamp: str) -> tuple[float | None, float | None]:
    """Parse a timestamp token into ``(start, end)`` seconds (end for ranges).

    A time that cannot be one (``12:99:99``: seconds, or the minutes of ``h:mm:ss``, of
    60 or more) is None, never another time; the minutes of ``mm:ss`` may run past 59."""
    found = _TS_PARTS.findall(timestamp)
    values: list[float | None] = []
    for hours, minutes, secs, fraction in found[:2]:
        if int(secs) >= 60 or (hours and int(minutes) >= 60):
            values.append(None)
            continue
        value = int(hours or 0) * 3600 + int(minutes) * 60 + int(secs)
        if fraction:
            value += int(fraction) / 10 ** len(fraction)
        values.append(float(value))
    start = values[0] if values else None
    end = values[1] if len(values) > 1 else None
    return start, end


def classify_line(line: str, *, timed: bool = False) -> LabelCandidate | None:
    """Return the candidate label at the start of ``line``, or None. ``timed``: a timestamp
    stands alone on the line before (Teams: ``0:0:3.120 --> 0:0:7.450``, then the name),
    which lets a name alone on its line be a candidate as a timestamp beside it does."""
    m = _LABEL_LINE.match(line)
    if m is None:
        return _surname_first(line) if timed else None
    judged = _judge(m["label"], m["aff"])
    if judged is None:
        return None
    speaker, role, strong, name_like, shouting, words = judged
    timestamps = [m[g] for g in ("ts1", "ts2", "ts3") if m[g]]

    if m["ob"] and not (timestamps or m["colon"]):
        return None  # "[Lotte Jansen] 10:02:11" or "[Lotte]: ..." is a label; "[ONVERSTAANBAAR]" is not
    if m["colon"] is None:
        form = ALONE_BARE
        if not (shouting or timestamps or timed or m["md"] or role):
            return None
    elif not m["rest"].isspace() and m["rest"]:
        form = INLINE
    else:
        form = ALONE_COLON

    start = end = None
    if timestamps:
        start, end = seconds(timestamps[0])
    return LabelCandidate(
        speaker=speaker,
        key=speaker.casefold(),
        form=form,
        # The regex skips spaces and tabs; lstrip also skips e.g. an em space.
        content_col=len(line) - len(m["rest"].lstrip()) if form == INLINE else None,
        time_start=start,
        time_end=end,
        strong=strong or bool(m["ob"] and timestamps),  # "[Lotte Jansen] 10:02:11": a speaker on sight
        name_like=name_like,
        words=words,
    )


# "Jansen, Lotte" or "El Amrani, Samira" alone on its line: how Teams wrote a name from an
# organisation's address book (below its time line, see classify_line's ``timed``).
_SURNAME_FIRST = re.compile(
    rf"[ \t]*{_FMT}({_WORD}(?:[ \t]+{_WORD}){{0,3}}+,[ \t]+{_WORD}(?:[ \t]+{_WORD}){{0,2}}+)[ \t]*{_FMT}[ \t]*$"
)


def _surname_first(line: str) -> LabelCandidate | None:
    """The candidate of a line that is only a name written surname first, or None."""
    m = _SURNAME_FIRST.match(line)
    if m is None:
        return None
    speaker = " ".join(m[1].split())
    words = speaker.replace(",", "").split(" ")
    if not _name_like(words) or _judge(words[0], None) is None:  # "Bijvoorbeeld, Zo" is no name
        return None
    return LabelCandidate(speaker, speaker.casefold(), ALONE_BARE, None, None, None, False, True, len(words))


# Transcripts repeat the same few labels hundreds of times: judge each once.
@lru_cache(maxsize=4096)
def _judge(raw_label: str, raw_aff: str | None) -> tuple[str, bool, bool, bool, bool, int] | None:
    """(speaker, role, strong, name_like, shouting, words), or None if it is no label."""
    label = " ".join(raw_label.split())
    if len(label) > 40:
        return None
    words = label.split(" ")
    core = _core(label)
    first = words[0].casefold().rstrip(".")
    if core in STOPWORDS or first in STOPWORDS:
        return None
    # "Notulist: Daan" in a header is no turn; "Gemeente:" speaking again and again is a speaker.
    header = core in HEADER_WORDS or first in HEADER_WORDS
    role = not header and (core in ROLES or bool(_ROLE_CODE.fullmatch(label.removesuffix("."))))  # "R:", "R.:", "P3:"
    capital = label[0].isupper()
    if not capital and not role:
        return None
    titled = len(words) >= 2 and _first_after_article(label) in TITLES
    shouting = not any(ch.islower() for ch in label)
    speaker = f"{label} {' '.join(raw_aff.split())}" if raw_aff else label
    return (
        speaker,
        role,
        capital and (role or titled),
        _name_like(words) or role,
        shouting,
        # "Vraag 1" is one word of name; "Jan de Vries" and "Mevrouw Bergkamp (D66)" are more.
        sum(1 for w in words if not w.isdigit()) + (1 if raw_aff else 0),
    )


def interviewer_role(label: str) -> bool:
    """Whether ``label`` is an interviewer's role word ("Interviewer", "Moderator 2", "De onderzoeker")."""
    return _core(" ".join(label.split())) in INTERVIEWER_ROLES


def _core(label: str) -> str:
    """Case-folded label without a leading article or trailing number ("de voorzitter 2" -> "voorzitter")."""
    core = label.casefold().rstrip(".")
    for article in _ARTICLES:
        if core.startswith(article):
            core = core[len(article) :]
            break
    return _TRAILING_NUMBER.sub("", core)


def _first_after_article(label: str) -> str:
    words = label.casefold().split(" ")
    if words[0] in ("de", "het", "the") and len(words) > 1:
        words = words[1:]
    return words[0].rstrip(".")


def written_name(text: str) -> bool:
    """Whether ``text`` is a person's name as a meeting app writes it: one to six words, each
    capitalised but particles ('Lotte van Dam', 'Jansen, Lotte', 'Lotte Jansen (Gast)')."""
    words = text.replace(",", " ").replace("(", "").replace(")", "").split()
    return 0 < len(words) <= 6 and _name_like(words)


def _name_like(words: list[str]) -> bool:
    return words[0][0].isupper() and all(w[0].isupper() or w.isdigit() or w.casefold() in PARTICLES for w in words[1:])
