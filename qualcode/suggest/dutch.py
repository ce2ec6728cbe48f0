"""Dutch word forms: a small, documented fallback on top of spaCy's lookup lemmas.

spaCy's blank Dutch pipeline lemmatises by table lookup (``spacy-lookups-data``).
That table knows ``doorverwezen -> doorverwijzen`` but misses many everyday forms:
``moeders``, ``organisaties``, ``rollen``, ``taken``, ``afspraken``, ``kinderen``,
``koffieochtenden``, ``migrantenorganisaties``. Codebook hints name lemmas, so a
missed plural is a missed suggestion. :class:`DutchForms` closes most of that gap
with three documented steps, every candidate checked against the word lists
(``lemma_index``) that ship with the same data, so a rule never invents a word:

1. **Lookup and exceptions**: the lookup table and the irregular-form tables
   (``verwezen -> verwijzen``, ``nam -> nemen``).
2. **Suffix stripping**: plural and verb endings (``-en``, ``-s``, ``-'s``,
   ``-eren``, ``-heden``, ``-t``, ``-te(n)``, ``-de(n)``, ``ge-...-d/t``) with
   Dutch spelling repairs: a doubled consonant is undoubled (``rollen -> rol``),
   an open-syllable vowel is doubled back (``taken -> taak``, ``personen ->
   persoon``), ``v/z`` become ``f/s`` at the end (``brieven -> brief``), and a verb
   stem gets its infinitive (``belt -> bel -> bellen``, ``maakt -> maken``).
3. **Compounds**: an unknown word whose tail is a known word is lemmatised on that
   tail (``koffieochtenden -> koffieochtend``, ``migrantenorganisaties ->
   migrantenorganisatie``).

For the learned suggester's features one lemma per word is needed
(:meth:`DutchForms.lemma`). There a ``dictionary`` lemmatizer handed in by the
pipeline (``simplemma``) comes first, and the steps above only for the words it
does not know (compounds such as ``koffieochtenden``). Measured on 109
inflected forms from the interviews: spaCy's lookup table 57 right, the steps
above 81, simplemma 97, simplemma then the steps 104; cross-validated F1 of the
learned part on the sample project 0.296 -> 0.310. The rules keep using every
candidate of :meth:`DutchForms.lemmas` (all 109 lemmas are among them).

Two more helpers serve the rule suggester: :meth:`DutchForms.separable` splits a
separable verb (``doorverwijzen -> door + verwijzen``, so ``verwijst ... door`` can
be found) and :meth:`DutchForms.compound_heads` lists the known-noun tails of a
word (so the hint ``organisatie`` finds ``migrantenorganisaties``).

Pure Python: the tables are handed in by :mod:`qualcode.suggest.pipeline`, which
loads them lazily with spaCy. Results are cached per word (interview vocabulary is
small; a 1,000,000-word corpus has a few tens of thousands of distinct words).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

VOWELS = frozenset("aeiou")

# Separable-verb particles (scheidbare voorvoegsels) plus the noun-like ones that
# behave the same in interviews (`maakt kennis`, `neemt deel`, `vindt plaats`).
PARTICLES = (
    "aan", "achter", "af", "bij", "binnen", "deel", "door", "in", "kennis", "langs",
    "los", "mee", "na", "neer", "om", "op", "open", "over", "plaats", "samen",
    "tegen", "terug", "thuis", "toe", "uit", "vast", "voor", "weg",
)  # fmt: skip

_GE_FRONTS = tuple(p + "ge" for p in PARTICLES)  # a particle before a past participle (doorgestuurd)

# Noun endings, longest first: (ending, replacement). Every result is checked
# against the noun list, so `tijden -> tij` cannot happen unless `tij` is a noun.
NOUN_ENDINGS = (
    ("heden", "heid"), ("eren", ""), ("'s", ""), ("ën", ""), ("en", ""), ("s", ""),
    ("tjes", ""), ("tje", ""), ("jes", ""), ("je", ""),
)  # fmt: skip

# Verb endings that leave the stem (`belt -> bel`, `meldden -> meld`, `bereikte -> bereik`).
VERB_ENDINGS = ("dden", "tten", "den", "ten", "dde", "tte", "de", "te", "ende", "end", "t", "en", "e")

MIN_STEM = 3  # never strip a word down to fewer letters than this
MIN_HEAD = 4  # shortest compound tail that counts (`taak` yes, `rol` no: `controle`)
MIN_MODIFIER = 3  # shortest compound front (`migranten|organisatie`, not `on|geduld`)
# The longest word tried as a compound: Dutch's longest run to about 60 letters. Each cut looks
# its tail up, so a word of 60,000 letters (a pasted blob is one token) took 8 s, 4x that at 2x.
COMPOUND_LIMIT = 80


class DutchForms:
    """Lemma candidates for Dutch words, with compound and separable-verb helpers.

    ``lookup`` maps a lower-case form to its lemma (spaCy's ``lemma_lookup``),
    ``exceptions`` maps irregular forms to lemmas per part of speech, and ``nouns``,
    ``verbs`` and ``adjectives`` are the known lemmas. Any mapping or set works, so
    tests can hand in a handful of words.
    """

    def __init__(
        self,
        lookup: Mapping[str, str] | Callable[[str], str | None],
        nouns: Collection[str],
        verbs: Collection[str],
        adjectives: Collection[str] = (),
        exceptions: Mapping[str, list[str]] | None = None,
        dictionary: Callable[[str], str] | None = None,
    ) -> None:
        self._lookup = lookup.get if isinstance(lookup, Mapping) or hasattr(lookup, "get") else lookup
        self.nouns = nouns
        self.verbs = verbs
        self.adjectives = adjectives
        self.exceptions = exceptions or {}
        self.dictionary = dictionary
        self._cache: dict[str, tuple[str, ...]] = {}
        self._best: dict[str, str] = {}

    # --- the lemma candidates -------------------------------------------------------

    def is_lemma(self, word: str) -> bool:
        return word in self.nouns or word in self.verbs or word in self.adjectives

    def lemmas(self, word: str) -> tuple[str, ...]:
        """The word (lower-cased) and every lemma it may have, most likely first."""
        word = word.lower()
        cached = self._cache.get(word)
        if cached is None:
            cached = self._cache[word] = tuple(dict.fromkeys(self._lemmas(word, compound=True)))
        return cached

    def lemma(self, word: str) -> str:
        """The single most likely lemma (features for the learned suggester): the
        ``dictionary``'s when it knows the word, else the lookup table's, else the
        word if it is a lemma itself, else the first fallback candidate."""
        word = word.lower()
        best = self._best.get(word)
        if best is None:
            known = self.dictionary(word).replace("_", "") if self.dictionary is not None else word
            found = self._lookup(word)
            if known != word or (self.dictionary is not None and self.is_lemma(word)):
                best = known  # "uit_leggen" (simplemma's separable verbs) -> "uitleggen"
            elif found:
                best = found.lower()
            elif self.is_lemma(word):
                best = word
            else:
                candidates = self.lemmas(word)
                best = candidates[1] if len(candidates) > 1 else word
            self._best[word] = best
        return best

    def _lemmas(self, word: str, *, compound: bool) -> list[str]:
        out = [word]
        found = self._lookup(word)
        if found:
            out.append(found.lower())
        out.extend(self.exceptions.get(word, ()))
        if len(word) > MIN_STEM:
            out.extend(self._noun_candidates(word))
            out.extend(self._verb_candidates(word))
        if compound and len(out) == 1 and len(word) <= COMPOUND_LIMIT and not self.is_lemma(word):
            # Unknown word: try it as a compound of a modifier and a known tail.
            for cut in range(MIN_MODIFIER, len(word) - MIN_HEAD + 1):
                head = word[cut:]
                heads = [h for h in self._lemmas(head, compound=False) if self.is_lemma(h)]
                if heads:
                    out.extend(word[:cut] + h for h in heads)
                    break
        return out

    def _noun_candidates(self, word: str) -> list[str]:
        out: list[str] = []
        for ending, replacement in NOUN_ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
                stem = word[: len(word) - len(ending)] + replacement
                out.extend(s for s in _spellings(stem) if s in self.nouns)
        return out

    def _verb_candidates(self, word: str) -> list[str]:
        """Infinitives for inflected forms: present, past, participles (``ge...d``)."""
        out: list[str] = []
        for ending in VERB_ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
                out.extend(v for v in _infinitives(word[: len(word) - len(ending)]) if v in self.verbs)
        # Past participles: ge-X-d/t (gebeld, gewacht, geleid) and ge-X-en (gegaan),
        # also after a particle (doorgestuurd, meegegaan).
        fronts = [""]
        if word.startswith(_GE_FRONTS):  # one check for most words (a list of 28 was built per word)
            fronts += [p for p in PARTICLES if word.startswith(p + "ge")]
        for front in fronts:
            if not word.startswith(front + "ge") or len(word) - len(front) < 6:
                continue
            rest = word[len(front) + 2 :]
            if rest.endswith("n") and front + rest in self.verbs:
                out.append(front + rest)  # gegaan -> gaan, meegegaan -> meegaan
            elif rest.endswith(("d", "t")):
                for stem in (rest[:-1], rest):  # gebeld -> bel; geleid -> leid
                    if len(stem) >= MIN_STEM:
                        out.extend(v for v in (front + i for i in _infinitives(stem)) if v in self.verbs)
        return out

    # --- helpers for the rule suggester ---------------------------------------------

    def separable(self, lemma: str) -> tuple[str, str] | None:
        """``(particle, verb)`` for a separable verb lemma, e.g. ``doorverwijzen``."""
        for particle in sorted(PARTICLES, key=len, reverse=True):
            rest = lemma[len(particle) :]
            if lemma.startswith(particle) and len(rest) >= MIN_HEAD and rest in self.verbs:
                return particle, rest
        return None

    def compound_heads(self, word: str, wanted: Collection[str]) -> tuple[str, ...]:
        """The lemmas in ``wanted`` that are a compound tail of ``word``.

        ``migrantenorganisaties`` has the tail ``organisatie`` (via its lemma
        ``migrantenorganisatie``). Tails shorter than four letters or with a front
        shorter than three letters do not count (``controle`` is no ``rol``).
        """
        out = []
        for lemma in self.lemmas(word):
            for cut in range(max(MIN_MODIFIER, len(lemma) - COMPOUND_LIMIT), len(lemma) - MIN_HEAD + 1):  # no longer tail
                if lemma[cut:] in wanted:
                    out.append(lemma[cut:])
        return tuple(dict.fromkeys(out))


def _spellings(stem: str) -> list[str]:
    """The stem plus Dutch spelling repairs after an ending was removed."""
    out = [stem]
    if len(stem) >= 2 and stem[-1] == stem[-2] and stem[-1] not in VOWELS:
        out.append(stem[:-1])  # rollen -> roll -> rol
    if stem[-1] == "v":
        out.append(stem[:-1] + "f")  # brieven -> briev -> brief
    if stem[-1] == "z":
        out.append(stem[:-1] + "s")  # huizen -> huiz -> huis
    for form in list(out):
        longer = _long_vowel(form)
        if longer:
            out.append(longer)  # taken -> tak -> taak, personen -> person -> persoon
    return out


def _long_vowel(stem: str) -> str | None:
    """Double the last vowel of ``...CVC`` (open syllable spelling), else None."""
    if len(stem) < 3:
        return None
    c1, v, c2 = stem[-3], stem[-2], stem[-1]
    if v in VOWELS and c1 not in VOWELS and c2 not in VOWELS and v != "i":
        return stem[:-1] + v + c2
    return None


def _infinitives(stem: str) -> list[str]:
    """Candidate infinitives for a verb stem: ``bel -> bellen``, ``maak -> maken``."""
    out = [stem + "en", stem + "n"]  # werk -> werken, doe -> doen
    if stem[-1] not in VOWELS:
        out.append(stem + stem[-1] + "en")  # bel -> bellen
    if len(stem) >= 3 and stem[-2] == stem[-3] and stem[-2] in VOWELS:
        out.append(stem[:-2] + stem[-1] + "en")  # maak -> maken, signaleer -> signaleren
    if stem[-1] == "f":
        out.append(stem[:-1] + "ven")  # leef -> leven
        if len(stem) >= 3 and stem[-2] == stem[-3]:
            out.append(stem[:-2] + "ven")  # geloof -> geloven
    if stem[-1] == "s":
        out.append(stem[:-1] + "zen")  # verwijs -> verwijzen
        if len(stem) >= 3 and stem[-2] == stem[-3]:
            out.append(stem[:-2] + "zen")  # lees -> lezen
    return out
