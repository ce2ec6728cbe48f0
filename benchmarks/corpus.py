"""Deterministic generator of a synthetic Dutch interview corpus for benchmarks.

The text is built from Dutch sentence templates about the sample project's
theme (migrant organisations and parenting support).  Most sentences are
neutral small talk and narrative; some contain codebook keywords and inflected
or separable verb forms ("verwijst ... door", "doorverwezen",
"migrantenorganisaties", "eigen kracht"), so that suggestion code has
something to find.

Speed: sentence pools are built once per process (from a fixed seed) and
transcripts are assembled by picking whole sentences, so the cost is per
sentence, not per word.  1,000 transcripts of 5,000 words take a few seconds.

Usage::

    python -m benchmarks.corpus OUT_DIR N WORDS [--seed S]
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from functools import lru_cache
from pathlib import Path

__all__ = ["generate_transcript", "generate_corpus", "main"]

_POOL_SEED = 20240601
_RESPONDENT_POOL_SIZE = 6000
_QUESTION_POOL_SIZE = 600

# --------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------

_SLOTS: dict[str, tuple[str, ...]] = {
    "org": (
        "onze vereniging",
        "de stichting",
        "de vrouwengroep",
        "de moskee",
        "de kerk",
        "het buurthuis",
        "onze zelforganisatie",
        "de migrantenorganisatie",
        "de vzw",
        "het taalcafé",
        "de moedergroep",
        "de vadergroep",
    ),
    "prof_org": (
        "het CJG",
        "het wijkteam",
        "het buurtteam",
        "het consultatiebureau",
        "de JGZ",
        "Kind en Gezin",
        "het Huis van het Kind",
        "de Opvoedingswinkel",
        "het Ouder- en Kindteam",
        "de school",
        "de huisarts",
        "de jeugdarts",
    ),
    "prof": (
        "de gezinscoach",
        "de jeugdverpleegkundige",
        "de wijkcoach",
        "de opvoedondersteuner",
        "een medewerker van het wijkteam",
        "de intern begeleider",
        "de maatschappelijk werker",
        "de coördinator",
        "een collega van het consultatiebureau",
    ),
    "ouder": (
        "een moeder",
        "een vader",
        "een jonge moeder",
        "een alleenstaande vader",
        "een oma",
        "een echtpaar",
        "een moeder van vier kinderen",
        "een nieuwe moeder",
    ),
    "kind": ("zoon", "dochter", "baby", "peuter", "jongste", "oudste", "tweeling"),
    "leeftijd": ("twee", "drie", "vijf", "acht", "tien", "twaalf", "dertien", "vijftien", "zestien"),
    "dag": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondagmiddag"),
    "activiteit": (
        "een koffieochtend",
        "een opvoedavond",
        "een thema-ochtend",
        "een taalcafé",
        "een inloopspreekuur",
        "een voorlichting",
        "een praatgroep",
        "huiswerkbegeleiding",
        "een moederochtend",
        "een bijeenkomst",
    ),
    "plaats": (
        "het buurthuis",
        "de bibliotheek",
        "de moskee",
        "de kerkzaal",
        "een klaslokaal",
        "het wijkcentrum",
        "ons kantoortje",
        "de ontmoetingsruimte",
    ),
    "stad": (
        "Utrecht",
        "Rotterdam",
        "Den Haag",
        "Amsterdam",
        "Arnhem",
        "Zwolle",
        "Gent",
        "Antwerpen",
        "Tilburg",
        "Eindhoven",
    ),
    "jaren": ("twee", "drie", "vijf", "zes", "acht", "tien", "twaalf", "vijftien"),
    "aantal": ("vijf", "acht", "tien", "twaalf", "vijftien", "twintig", "dertig"),
    "weken": ("vier", "zes", "acht", "tien", "twaalf"),
    "maand": ("januari", "maart", "mei", "juni", "september", "oktober", "november"),
    "onderwerp": (
        "slapen",
        "eten",
        "schermtijd",
        "huiswerk",
        "puberteit",
        "zindelijkheid",
        "social media",
        "de overgang naar de middelbare school",
        "ruzie tussen broers en zussen",
        "taalontwikkeling",
        "vaccinaties",
        "grenzen stellen",
    ),
    "gevoel": ("fijn", "lastig", "spannend", "moeilijk", "mooi", "vermoeiend", "leerzaam"),
    "begrip": (
        "eigen kracht",
        "samenwerking",
        "vertrouwen",
        "doorverwijzen",
        "een warme overdracht",
        "laagdrempelig",
        "cultuursensitief werken",
        "terugkoppeling",
    ),
    "taal": ("het Arabisch", "het Turks", "het Tigrinya", "het Somalisch", "het Berbers", "het Frans"),
}

# Most sentences get no filler or tail; the empty strings set the odds.
_FILLERS = ("",) * 14 + ("Eh, ", "Ja, ", "Nou, ", "Kijk, ", "Nou ja, ", "Ehm, ", "Ja nee, ")
_TAILS = ("",) * 16 + (" (lacht)", " hoor", " eigenlijk", " denk ik", " hè")

# Respondent sentence templates.  Templates ending in a punctuation mark are
# used as they are; fillers and tails are only added to those ending in '.'.
_RESPONDENT_TEMPLATES: tuple[str, ...] = (
    # neutral narrative
    "Ik werk nu {jaren} jaar bij {org}.",
    "Op {dag} hebben we {activiteit} in {plaats}.",
    "Dan komen er meestal zo'n {aantal} moeders, soms met de kinderen erbij.",
    "Dat was in {maand}, als ik het me goed herinner.",
    "We zijn toen met een groepje naar {stad} gegaan.",
    "Mijn collega had die week vakantie, dus ik stond er alleen voor.",
    "Het ging die ochtend vooral over {onderwerp}.",
    "De kinderen speelden in de hoek met blokken en boekjes.",
    "Het regende die dag, dus er kwamen wat minder mensen.",
    "Er was thee, er was koffie, en iemand had zelf koekjes gebakken.",
    "Dat vond ik eigenlijk heel {gevoel} om te zien.",
    "Soms spreken we af in {plaats}, soms gewoon bij iemand thuis.",
    "We beginnen altijd met een rondje: hoe gaat het met iedereen?",
    "Daarna praten we over {onderwerp}, of over wat er die week speelt.",
    "Ik weet niet precies meer hoe het daarna verder ging.",
    "Het is elke keer weer anders, dat maakt het ook {gevoel}.",
    "Iemand vertaalde in {taal} voor wie het Nederlands nog lastig vindt.",
    "We hebben een keer een uitje gehad naar de kinderboerderij.",
    "Dat duurde al met al een uur of twee.",
    "Zo gaat dat eigenlijk al jaren.",
    "Ik moest er zelf ook wel om lachen.",
    "De volgende keer was de groep ineens twee keer zo groot.",
    "Een vrijwilliger had de zaal al klaargezet toen ik binnenkwam.",
    "Het gesprek ging toen ineens een heel andere kant op.",
    "Daar hebben we het later nog vaak over gehad.",
    "In de zomer ligt alles een paar weken stil.",
    # theme, with keywords and inflections
    "{ouder_cap} vertelde laatst over haar {kind} van {leeftijd} jaar.",
    "Ze wist niet goed waar ze met haar vraag over {onderwerp} naartoe moest.",
    "Toen heb ik haar doorverwezen naar {prof_org}.",
    "Ik verwijs ouders pas door als ik me echt zorgen maak.",
    "Meestal verwijzen we eerst door naar {prof_org}, want die kennen we.",
    "Soms verwees {prof} de ouders juist weer naar ons door.",
    "Ik ben de eerste keer gewoon meegegaan naar {prof_org}.",
    "{prof_cap} kwam een keer langs op {activiteit}.",
    "Dat vertrouwen moet je opbouwen, dat gaat niet vanzelf.",
    "Ze vertrouwen ons, maar {prof_org} kennen ze nog niet.",
    "De migrantenorganisaties in de wijk kennen de gezinnen vaak het best.",
    "De sleutelpersonen worden soms 's avonds laat nog gebeld.",
    "Wij zijn geen hulpverleners, wij zijn vrijwilligers.",
    "Er is een wachtlijst van {weken} weken bij {prof_org}.",
    "De subsidie van de gemeente loopt na dit jaar af.",
    "We hebben geen vaste contactpersoon meer sinds {maand}.",
    "De gezinnen hebben veel eigen kracht, alleen missen ze soms de weg.",
    "Die moeder had het eigenlijk al zelf opgelost.",
    "Als er iets is, helpen de vrouwen elkaar meteen.",
    "Over de privacy zijn we toen goede afspraken gaan maken.",
    "Daarna hoorden we eigenlijk niks meer van {prof_org}.",
    "Veel ouders schamen zich om hulp te vragen.",
    "Ze zijn bang dat jeugdzorg meteen aan de deur staat.",
    "Taal is vaak de eerste drempel, en dan de formulieren.",
    "De verwachtingen van {prof_org} en van ons liggen soms ver uit elkaar.",
    "Met {prof} hebben we afgesproken wie wat doet.",
    "Dat hangt allemaal aan een paar personen.",
    "Ik vind het belangrijk dat we elkaar gewoon kennen.",
    # hesitation / short
    "Hoe zal ik het zeggen.",
    "Dat weet ik eigenlijk niet.",
    "Ja, zo ging dat.",
    "Maar goed.",
    "Dat is natuurlijk wel zo.",
    "Snapt u wat ik bedoel?",
)

_QUESTION_TEMPLATES: tuple[str, ...] = (
    "Kunt u daar iets meer over vertellen?",
    "Hoe ging dat verder?",
    "Wat verwacht u van {prof_org}?",
    "Hoe is dat geregeld met de gemeente?",
    "En hoe reageerden de ouders daarop?",
    "Wat bedoelt u precies met {begrip}?",
    "Hoe vaak gebeurt dat ongeveer?",
    "Wie neemt dan het initiatief?",
    "Kunt u een voorbeeld geven?",
    "Hoe is het contact met {prof_org} ontstaan?",
    "Wat zou u willen veranderen aan {begrip}?",
    "Wat gebeurt er als iemand zorgen heeft over een kind?",
    "Hoe merkt u dat ouders u vertrouwen?",
    "Waar lopen jullie tegenaan?",
    "En hoe was dat voor uzelf?",
    "Hoe gaat dat bij {activiteit}?",
    "Wat betekent {org} voor de gezinnen?",
    "Hoort u daarna nog iets van {prof_org}?",
    "Zijn er ook dingen die goed gaan?",
    "Hm. En toen?",
)


# --------------------------------------------------------------------------
# Pools
# --------------------------------------------------------------------------


def _fill(template: str, rng: random.Random) -> str:
    values = {name: rng.choice(options) for name, options in _SLOTS.items()}
    values["ouder_cap"] = values["ouder"][0].upper() + values["ouder"][1:]
    values["prof_cap"] = values["prof"][0].upper() + values["prof"][1:]
    return template.format(**values)


@lru_cache(maxsize=1)
def _pools() -> tuple[tuple[str, ...], tuple[int, ...], tuple[str, ...], tuple[int, ...]]:
    """Sentence pools and their word counts, built once from a fixed seed."""
    rng = random.Random(_POOL_SEED)
    respondent: list[str] = []
    for _ in range(_RESPONDENT_POOL_SIZE):
        sentence = _fill(rng.choice(_RESPONDENT_TEMPLATES), rng)
        if sentence.endswith("."):
            filler = rng.choice(_FILLERS)
            if filler:
                sentence = filler + sentence[0].lower() + sentence[1:]
            tail = rng.choice(_TAILS)
            if tail:
                sentence = sentence[:-1] + tail + "."
        respondent.append(sentence)
    questions = [_fill(rng.choice(_QUESTION_TEMPLATES), rng) for _ in range(_QUESTION_POOL_SIZE)]
    return (
        tuple(respondent),
        tuple(len(s.split()) for s in respondent),
        tuple(questions),
        tuple(len(q.split()) for q in questions),
    )


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


def generate_transcript(words: int, seed: int) -> str:
    """Return a synthetic interview of about ``words`` words (labels excluded).

    The text alternates ``I:`` (a short question) and ``R:`` (two to eight
    sentences) turns, one turn per line, and always ends with a respondent
    turn.  The same ``(words, seed)`` always gives the same text.
    """
    if words < 1:
        raise ValueError("words must be at least 1")
    r_pool, r_len, q_pool, q_len = _pools()
    rng = random.Random(seed)
    randrange = rng.randrange
    n_r, n_q = len(r_pool), len(q_pool)
    lines: list[str] = []
    total = 0
    while total < words:
        qi = randrange(n_q)
        lines.append("I: " + q_pool[qi])
        total += q_len[qi]
        k = rng.randint(2, 8)
        picked: list[str] = []
        for _ in range(k):
            si = randrange(n_r)
            picked.append(r_pool[si])
            total += r_len[si]
            if total >= words:
                break
        lines.append("R: " + " ".join(picked))
    lines.append("")
    return "\n".join(lines)


_CITIES = (
    ("Utrecht", "Nederland"),
    ("Rotterdam", "Nederland"),
    ("Den Haag", "Nederland"),
    ("Amsterdam", "Nederland"),
    ("Gent", "België"),
    ("Antwerpen", "België"),
    ("Arnhem", "Nederland"),
    ("Zwolle", "Nederland"),
    ("Tilburg", "Nederland"),
    ("Brussel", "België"),
)
_ORGS = {
    "migrantenorganisatie": ("Stichting Synthetisch", "Vrouwengroep Proef", "Vereniging Test"),
    "professional": ("CJG Proefwijk", "Wijkteam Test", "Huis van het Kind Proef"),
}
_INTERVIEWERS = ("Interviewer A", "Interviewer B", "Interviewer C")


def generate_corpus(out_dir: Path, n_transcripts: int, words: int, seed: int = 0) -> list[Path]:
    """Write ``n_transcripts`` synthetic transcripts plus ``attributes.csv``.

    Files are named ``synth_0001.txt`` ... and written as UTF-8 with LF line
    ends.  Returns the transcript paths in order (``attributes.csv`` is not in
    the list).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    width = max(4, len(str(n_transcripts)))
    paths: list[Path] = []
    rows: list[list[str]] = []
    rng = random.Random(seed)
    for i in range(n_transcripts):
        name = f"synth_{i + 1:0{width}d}.txt"
        path = out_dir / name
        text = generate_transcript(words, seed * 1_000_003 + i)
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        paths.append(path)
        rtype = "migrantenorganisatie" if i % 2 == 0 else "professional"
        city, country = _CITIES[rng.randrange(len(_CITIES))]
        day = 1 + rng.randrange(28)
        month = 1 + rng.randrange(12)
        rows.append(
            [
                name,
                rtype,
                rng.choice(_ORGS[rtype]),
                city,
                country,
                f"2024-{month:02d}-{day:02d}",
                rng.choice(_INTERVIEWERS),
            ]
        )
    with open(out_dir / "attributes.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["file", "respondent_type", "organisatie", "stad", "land", "interviewdatum", "interviewer"])
        writer.writerows(rows)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.corpus",
        description="Generate a synthetic Dutch interview corpus for benchmarks.",
    )
    parser.add_argument("out_dir", type=Path, help="directory to write synth_NNNN.txt and attributes.csv to")
    parser.add_argument("n", type=int, help="number of transcripts")
    parser.add_argument("words", type=int, help="approximate number of words per transcript")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    if args.n < 0 or args.words < 1:
        parser.error("N must be >= 0 and WORDS >= 1")
    start = time.perf_counter()
    paths = generate_corpus(args.out_dir, args.n, args.words, seed=args.seed)
    elapsed = time.perf_counter() - start
    print(f"wrote {len(paths)} transcripts of ~{args.words} words to {args.out_dir} in {elapsed:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
