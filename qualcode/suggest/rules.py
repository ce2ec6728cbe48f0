"""The rule suggester: a codebook's hints compiled once into spaCy matchers.

Three kinds of hint (``Code.hints``), each giving its own reason:

* ``keywords``: words and phrases matched on lower-case text with a
  ``PhraseMatcher`` -- exactly the forms written (``matched keyword 'de brug'``);
* ``lemmas``: matched through :class:`~qualcode.suggest.dutch.DutchForms`, so one
  lemma finds its inflections and plurals (``doorverwezen``, ``moeders``), the
  separated parts of a separable verb in one sentence (``verwijst ... door``,
  ``door te verwijzen``), and compounds whose last part it is
  (``migrantenorganisaties`` for ``organisatie``)
  (``matched lemma 'doorverwijzen' in "verwijst ... door"``);
* ``patterns``: spaCy ``Matcher`` token patterns written in YAML
  (``matched pattern 2 "verwijst haar door"``). Every pattern is checked when the
  suggester is built; bad ones are reported together, each with its code id and
  a plain message, instead of a spaCy traceback.

A match counts for the sentence it lies in; a pattern match that runs over a
sentence end is dropped.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..codebook import Codebook
from ..errors import BAD_PATTERNS, Problem, error
from .patterns import (
    NEEDS_ANNOTATION,
    anchors,
    bounded_regexes,
    check_pattern,
    codebook_place,
    fixed_words,
    gap_words,
    pattern_problem,
    rarest_first,
    spacy_problem,
)
from .pipeline import Pipeline, distinct_sorted
from .segments import token_bounds

NAME = "rules"

# How far after a separable verb its particle may stand ("verwijst de moeder van
# vier kinderen uiteindelijk door"): Dutch puts it at the end of the clause.
PARTICLE_WINDOW = 12


@dataclass(slots=True, frozen=True)
class _LemmaHint:
    code_id: str
    hint: str


@dataclass(slots=True, frozen=True)
class _Entry:
    """What one distinct (lower-case form, lemma) can start: cached per suggester."""

    lemma: tuple[tuple[_LemmaHint, str], ...]  # (hint, how: "" or "compound")
    verbs: tuple[tuple[_LemmaHint, int, str], ...]  # (hint, particle hash, particle)
    phrases: tuple[tuple[_LemmaHint, tuple[frozenset[str], ...]], ...]  # multi-word lemma hints
    patterns: tuple[int, ...] = ()  # token patterns whose first anchor this word is


_NOTHING = _Entry((), (), ())


@dataclass(slots=True, frozen=True)
class _Pattern:
    code_id: str
    number: int
    matcher: Any
    anchors: tuple[tuple[str, frozenset[int]], ...]  # (LOWER|LEMMA, allowed hashes): all must occur
    # The words the pattern's first and last tokens must be (None: any token may be):
    # a match starts and ends at such words, so the Matcher runs on that window only.
    head: tuple[str, frozenset[int]] | None = None
    tail: tuple[str, frozenset[int]] | None = None
    fixed: tuple[tuple[str, frozenset[int]], ...] = ()  # a row of words (patterns.fixed_words): no Matcher needed
    gap: tuple[tuple[str, frozenset[int]], ...] = ()  # first and last word around non-punctuation (patterns.gap_words)


class RuleSuggester:
    """Finds codes in sentences by the codebook's hints. Build once, use for many docs."""

    name = NAME

    def __init__(self, pipeline: Pipeline, codebook: Codebook) -> None:
        from spacy.matcher import Matcher, PhraseMatcher  # deferred with the rest of spaCy

        self.pipeline = pipeline
        self.forms = pipeline.forms
        self.warnings: list[str] = []
        self.codes: list[str] = []  # codes with at least one usable hint
        self.needs_sentence_starts = False  # a pattern asks for IS_SENT_START
        strings = pipeline.vocab.strings
        self._phrase = PhraseMatcher(pipeline.vocab, attr="LOWER")
        self._matcher_class = Matcher
        self._patterns: list[_Pattern] = []
        self._single: dict[str, list[_LemmaHint]] = {}
        self._heads: dict[str, list[_LemmaHint]] = {}
        self._verbs: dict[str, list[tuple[_LemmaHint, str]]] = {}
        self._phrases: dict[str, list[tuple[_LemmaHint, tuple[frozenset[str], ...]]]] = {}
        self._cache: dict[Any, _Entry] = {}  # lower hash (or (lower, lemma)) -> entry
        self._starting: set[Any] = set()  # the keys of _cache whose entry is not _NOTHING
        # _starting as a sorted array (blank pipeline), rebuilt as it grows, with per word its
        # entry and whether it may start a token pattern or a lemma hint (one tuple: replaced
        # at once, never half-updated for another thread's run)
        self._starting_sorted: tuple[Any, list[_Entry], Any, Any] | None = None
        self._keyword_reasons: dict[tuple[int, int], tuple[str, str]] = {}  # (match id, lower) -> (code, reason)
        problems: list[Problem | str] = []
        where = codebook_place(codebook)

        for code in codebook.walk():
            if not code.codable or not code.hints:
                continue
            usable = False
            keywords = [k.strip().lower() for k in code.hints.keywords if k.strip()]
            if keywords:
                self._phrase.add(code.id, [pipeline.nlp.make_doc(k) for k in keywords])
                strings.add(code.id)
                usable = True
            for lemma in code.hints.lemmas:
                usable |= self._add_lemma(code.id, lemma)
            for number, pattern in enumerate(code.hints.patterns, 1):
                problem = self._add_pattern(code.id, number, pattern)
                if problem is None:
                    usable = True
                elif problem:
                    problems.append(pattern_problem(where, code, number, problem))
            if usable:
                self.codes.append(code.id)
        if problems:
            raise error(BAD_PATTERNS, problems=problems, count=len(problems), path=where)
        self._particles = {p: strings.add(p) for _, p in (v for vs in self._verbs.values() for v in vs)}
        self._te = strings.add("te")
        # Patterns by the words of their first required token; the rest always run.
        self._first: dict[tuple[str, int], list[int]] = {}
        self._unanchored: list[int] = []
        self._first_words: dict[str, set[int]] = {"LOWER": set(), "LEMMA": set()}
        for index, rule in enumerate(self._patterns):
            if not rule.anchors:
                self._unanchored.append(index)
                continue
            attr, allowed = rule.anchors[0]
            self._first_words[attr] |= allowed
            for word in allowed:
                self._first.setdefault((attr, word), []).append(index)

    # --- compiling ------------------------------------------------------------------

    def _hint_keys(self, word: str) -> frozenset[str]:
        """The forms a hint word stands for: itself and its lemma (a plural hint works too)."""
        word = word.lower()
        keys = {word}
        if not self.forms.is_lemma(word):
            keys.update(self.forms.lemmas(word))
        return frozenset(keys)

    def _add_lemma(self, code_id: str, lemma: str) -> bool:
        words = lemma.lower().split()
        if not words:
            return False
        hint = _LemmaHint(code_id, " ".join(words))
        if len(words) > 1:
            phrase_keys = tuple(self._hint_keys(w) for w in words)
            for key in phrase_keys[0]:
                self._phrases.setdefault(key, []).append((hint, phrase_keys))
            return True
        keys = self._hint_keys(words[0])
        for key in keys:
            self._single.setdefault(key, []).append(hint)
            if key in self.forms.nouns and len(key) >= 4:
                self._heads.setdefault(key, []).append(hint)
        split = self.forms.separable(words[0])
        if split is not None:
            particle, verb = split
            self._verbs.setdefault(verb, []).append((hint, particle))
        return True

    def _add_pattern(self, code_id: str, number: int, pattern: list[dict[str, Any]]) -> str | None:
        """Add one token pattern; return a problem ('' = skipped with a warning) or None."""
        from spacy.errors import MatchPatternError

        problem = check_pattern(pattern)
        if problem:
            return problem
        missing = sorted({k.upper() for tok in pattern for k in tok if k.upper() in NEEDS_ANNOTATION} - self.pipeline.annotations)
        if missing:
            self.warnings.append(
                f"code '{code_id}', pattern {number} uses {', '.join(missing)}, which the pipeline"
                f" ({self.pipeline.name}) does not set; the pattern is skipped (set spacy_model to a trained pipeline)"
            )
            return ""
        # One Matcher per pattern, run only on sentences that contain the pattern's
        # required words (see _anchors): spaCy's Matcher tries every pattern at
        # every token, which made it 80 % of a suggestion run with the sample
        # codebook's 60 patterns.
        matcher = self._matcher_class(self.pipeline.vocab, validate=True)
        try:
            matcher.add(f"{code_id}#{number}", [bounded_regexes(pattern)])
        except MatchPatternError as exc:
            return spacy_problem(str(exc))
        except (ValueError, TypeError, re.error) as exc:
            return str(exc).split("\n")[0]
        strings = self.pipeline.vocab.strings

        def hashed(found: list[tuple[str, list[str]]]) -> tuple[tuple[str, frozenset[int]], ...]:
            return tuple((attr, frozenset(strings.add(v) for v in values)) for attr, values in found)

        required = hashed(rarest_first(anchors(pattern)))
        head, tail = hashed(anchors(pattern[:1])), hashed(anchors(pattern[-1:]))  # () or one anchor each
        fixed = hashed(fixed_words(pattern) or [])
        gap = hashed(gap_words(pattern) or [])
        self._patterns.append(
            _Pattern(code_id, number, matcher, required, head[0] if head else None, tail[0] if tail else None, fixed, gap)
        )
        self.needs_sentence_starts |= any("SENT_START" in str(k).upper() for tok in pattern for k in tok)
        return None

    # --- matching -------------------------------------------------------------------

    def match(
        self, doc: Any, bounds: list[tuple[int, int]] | None = None, *, text: str | None = None, base: int = 0
    ) -> list[dict[str, list[str]]]:
        """For each sentence of ``doc`` (token ranges ``bounds``, default: its own
        sentences): code id -> reasons (in the order found).

        ``text[base:]`` is what ``doc`` was made from (default: ``doc.text``); reasons
        quote it by character offsets, which costs no spaCy ``Span`` or ``Token``.
        """
        import numpy
        from spacy.attrs import IDX, LEMMA, LENGTH, LOWER

        if bounds is None:
            bounds = token_bounds(doc, doc.text, 0)[1]
        found: list[dict[str, list[str]]] = [{} for _ in bounds]
        if not bounds:
            return found
        # Per token: the sentence it stands in (-1: none, e.g. the line break between
        # two turns), set a sentence at a time: one list look-up per hit, no search.
        # (numpy: a slice assignment per sentence was a Python step per sentence).
        edges = numpy.asarray(bounds, dtype=numpy.int64).reshape(-1, 2)
        lengths = edges[:, 1] - edges[:, 0]
        owned = numpy.full(len(doc), -1, dtype=numpy.int64)
        before = numpy.concatenate(([0], numpy.cumsum(lengths)[:-1]))
        owned[numpy.repeat(edges[:, 0] - before, lengths) + numpy.arange(int(lengths.sum()))] = numpy.repeat(
            numpy.arange(len(edges)), lengths
        )
        owner = owned.tolist()

        def sentence_of(start: int, end: int) -> int | None:
            k = owner[start]
            if k < 0 or end > bounds[k][1]:
                return None
            return k

        def add(k: int, code_id: str, reason: str) -> None:
            reasons = found[k].setdefault(code_id, [])
            if reason not in reasons:
                reasons.append(reason)

        offsets: list[Any] = []  # [source, start offsets, lengths], read on the first quote

        def words_of(start: int, end: int) -> str:
            """The text of tokens ``[start, end)``, as ``doc[start:end].text`` gives it."""
            if not offsets:
                starts_and_lengths = doc.to_array([IDX, LENGTH])
                offsets.extend(
                    (doc.text if text is None else text, starts_and_lengths[:, 0].tolist(), starts_and_lengths[:, 1].tolist())
                )
            source, idx, length = offsets
            shift = 0 if text is None else base
            return source[shift + idx[start] : shift + idx[end - 1] + length[end - 1]]

        strings = self.pipeline.vocab.strings
        # Two flat lists, not one list of pairs: tolist() on an (n, 2) array builds
        # a Python list per token and took most of the matching time.
        array = doc.to_array([LOWER, LEMMA])
        lowers, lemmas = array[:, 0].tolist(), array[:, 1].tolist()
        keyworded: set[tuple[str, int]] = set()  # (code, token) already explained by a keyword
        keyword_reasons = self._keyword_reasons
        for match_id, start, end in self._phrase(doc):
            k = owner[start]  # sentence_of and add written out: a run has thousands of keyword matches
            if k < 0 or end > bounds[k][1]:
                continue
            if end - start == 1:  # most keywords: their text is the token's lower-case form
                known = keyword_reasons.get((match_id, lowers[start]))
                if known is None:
                    known = keyword_reasons[match_id, lowers[start]] = (
                        strings[match_id],
                        f"matched keyword '{strings[lowers[start]]}'",
                    )
                code_id, reason = known
                reasons = found[k].get(code_id)
                if reasons is None:
                    found[k][code_id] = [reason]
                elif reason not in reasons:
                    reasons.append(reason)
                keyworded.add((code_id, start))
            else:
                code_id = strings[match_id]
                add(k, code_id, f"matched keyword '{words_of(start, end).lower()}'")
                keyworded.update((code_id, i) for i in range(start, end))
        # One cached entry per distinct word says which hints it can start (a pass per
        # kind of hint cost a quarter of a rules-only run). The blank pipeline's lemma
        # is a lookup of the lower-case form, so the lower-case form alone identifies
        # an entry; a trained pipeline's lemma depends on the part of speech, so there
        # the pair does.
        cache = self._cache
        keys: list[Any] = lowers if "POS" not in self.pipeline.annotations else list(zip(lowers, lemmas, strict=True))
        # Words not seen before are few after the first transcripts: found with one set
        # operation, so the known ones cost no Python-level step per token.
        starting = self._starting
        new = set(keys).difference(cache)
        if len(new) > 64:
            # Many (a process's first docs): each one's first position from one dict
            # built backwards (1 ms per 20,000 tokens), not a list.index scan per word
            # (15 us each on average: 6 ms for the 390 words of a first doc).
            first = dict(zip(reversed(keys), range(len(keys) - 1, -1, -1), strict=True))
            position = first.__getitem__
        else:
            position = keys.index
        for key in new:
            i = position(key)
            entry = cache[key] = self._entry(lowers[i], lemmas[i])
            if entry is not _NOTHING:
                starting.add(key)
        if keys is lowers:
            # The tokens whose word starts something, found by a binary search of each
            # token's hash in the sorted hashes (numpy; a Python step per token cost a
            # tenth of the matching). The array is rebuilt only when words were added.
            known_words = self._starting_sorted
            if known_words is None or len(known_words[0]) != len(starting):
                ordered = sorted(starting)
                entries = [cache[key] for key in ordered]
                known_words = self._starting_sorted = (
                    numpy.array(ordered, dtype="uint64"),
                    entries,
                    numpy.array([bool(e.patterns) for e in entries], dtype=bool),
                    numpy.array([bool(e.lemma or e.verbs or e.phrases) for e in entries], dtype=bool),
                )
            sought, entries, patterned, lemmatised = known_words
            column = array[:, 0]
            where = sought.searchsorted(column)
            where[where == len(sought)] = 0
            starts = sought[where] == column if len(sought) else numpy.zeros(len(column), dtype=bool)
            # The tokens that may start a lemma hint, in order (what _match_lemmas reads), and
            # per token pattern the sentences holding a word it may start with, both found in
            # numpy: a Python step per such token cost a twentieth of a run.
            positions = numpy.flatnonzero(starts & lemmatised[where]).tolist() if len(sought) else []
            hits = [(i, cache[lowers[i]]) for i in positions]
            todo = _pattern_sentences(entries, starts & patterned[where], where, owned) if self._patterns and len(sought) else {}
        else:
            hits = [(i, cache[key]) for i, key in enumerate(keys) if key in starting]
            todo = _pattern_todo(hits, owner)
        if self._patterns:
            self._match_patterns(doc, todo, lowers, lemmas, bounds, sentence_of, add, words_of)
        self._match_lemmas(hits, lowers, lemmas, bounds, owner, add, keyworded, words_of)
        return found

    def _match_patterns(
        self,
        doc: Any,
        todo: dict[int, set[int]],
        lowers: list[int],
        lemmas: list[int],
        bounds,
        sentence_of,
        add,
        words_of: Callable[[int, int], str],
    ) -> None:
        """Run each token pattern on the sentences holding all the words it needs
        (``todo``: pattern -> sentences where its first anchor occurs)."""
        from spacy.attrs import IS_PUNCT

        def report(rule: _Pattern, offset: int, matches) -> None:
            for _, start, end in matches:
                k = sentence_of(offset + start, offset + end)
                if k is not None:
                    add(k, rule.code_id, f"matched pattern {rule.number} {_quote(words_of(offset + start, offset + end))}")

        columns = {"LOWER": lowers, "LEMMA": lemmas}
        flags: list[list[int]] = []

        def punctuation() -> list[int]:
            """Per token: 1 if it is punctuation (read from the doc when first needed)."""
            if not flags:
                flags.append(doc.to_array(IS_PUNCT).tolist())
            return flags[0]

        in_doc: dict[str, set[int]] = {}  # the doc's words per attribute, once a pattern needs them
        for index in sorted(todo):
            rule = self._patterns[index]
            others = [(columns[attr], allowed) for attr, allowed in rule.anchors[1:]]
            # A pattern whose other required words are not in the doc at all is done
            # with one check, not one per sentence holding its first word.
            for attr, _ in rule.anchors[1:]:
                if attr not in in_doc:
                    in_doc[attr] = set(columns[attr])
            if any(allowed.isdisjoint(in_doc[attr]) for attr, allowed in rule.anchors[1:]):
                continue
            for k in sorted(todo[index]):
                start, end = bounds[k]
                # Set operations and list.index on slices: no Python-level step per token
                # (a plain loop: a generator per sentence and pattern cost more than the check).
                lacking = False
                for column, allowed in others:
                    if allowed.isdisjoint(column[start:end]):
                        lacking = True
                        break
                if lacking:
                    continue
                # The Matcher costs a Token object or two per token: give it only the
                # window from the first word the pattern can start with to the last
                # it can end with (no match lies outside; none at all if they cross).
                if rule.head is not None:
                    column = columns[rule.head[0]]
                    present = rule.head[1].intersection(column[start:end])
                    if not present:
                        continue
                    if len(present) == 1:  # most: no generator to take the least of
                        (word,) = present
                        start = column.index(word, start, end)
                    else:
                        start = min(column.index(word, start, end) for word in present)
                if rule.tail is not None:
                    segment = columns[rule.tail[0]][start:end]
                    present = rule.tail[1].intersection(segment)
                    if not present:
                        continue
                    segment.reverse()
                    if len(present) == 1:
                        (word,) = present
                        end -= segment.index(word)
                    else:
                        end -= min(segment.index(word) for word in present)
                if end <= start:
                    continue
                if rule.fixed:
                    n = len(rule.fixed)
                    # The first word checked on its own: most positions fail it, with no generator made.
                    (attr, allowed), rest = rule.fixed[0], [(j, columns[a], w) for j, (a, w) in enumerate(rule.fixed) if j]
                    firsts = columns[attr]
                    found = [
                        (0, i - start, i - start + n)
                        for i in range(start, end - n + 1)
                        if firsts[i] in allowed and all(column[i + j] in words for j, column, words in rest)
                    ]
                    report(rule, start, found)
                elif rule.gap:
                    report(rule, start, _gap_matches(rule.gap, columns, punctuation(), start, end))
                else:
                    report(rule, start, rule.matcher(doc[start:end]))
        for index in self._unanchored:
            report(self._patterns[index], 0, self._patterns[index].matcher(doc))

    def _match_lemmas(
        self,
        hits: list[tuple[int, _Entry]],
        lowers: list[int],
        lemmas: list[int],
        bounds,
        owner: list[int],
        add,
        keyworded: set[tuple[str, int]],
        words_of: Callable[[int, int], str],
    ) -> None:
        """Lemma hints at the tokens whose cached :meth:`_entry` can start one."""
        for i, entry in hits:
            if not (entry.lemma or entry.verbs or entry.phrases):
                continue
            k = owner[i]
            if k < 0:
                continue
            for hint, how in entry.lemma:
                if (hint.code_id, i) in keyworded:
                    continue  # the keyword reason already says it
                text = words_of(i, i + 1)
                detail = f"{_quote(text)}, compound" if how else _quote(text)
                add(k, hint.code_id, f"matched lemma '{hint.hint}' in {detail}")
            end = bounds[k][1]
            for hint, particle_hash, _particle in entry.verbs:
                for j in range(i + 1, min(end, i + 1 + PARTICLE_WINDOW)):
                    if lowers[j] == particle_hash:
                        add(
                            k,
                            hint.code_id,
                            f"matched lemma '{hint.hint}' in {_quote(f'{words_of(i, i + 1)} … {words_of(j, j + 1)}')}",
                        )
                        break
                else:
                    if i - 2 >= bounds[k][0] and lowers[i - 1] == self._te and lowers[i - 2] == particle_hash:
                        add(k, hint.code_id, f"matched lemma '{hint.hint}' in {_quote(words_of(i - 2, i + 1))}")
            for hint, words in entry.phrases:
                if i + len(words) <= end and all(
                    words[n] & self._token_keys(lowers[i + n], lemmas[i + n]) for n in range(1, len(words))
                ):
                    add(k, hint.code_id, f"matched lemma '{hint.hint}' in {_quote(words_of(i, i + len(words)))}")

    def _token_keys(self, lower: int, lemma: int) -> frozenset[str]:
        strings = self.pipeline.vocab.strings
        return frozenset(self.forms.lemmas(strings[lower])) | {strings[lemma].lower()}

    def _entry(self, lower: int, lemma: int) -> _Entry:
        strings = self.pipeline.vocab.strings
        word = strings[lower]
        keys = set(self.forms.lemmas(word)) | {strings[lemma].lower()}
        hits: dict[_LemmaHint, str] = {}
        for key in keys:
            for hint in self._single.get(key, ()):
                hits.setdefault(hint, "")
        if self._heads:
            for head in self.forms.compound_heads(word, self._heads):
                for hint in self._heads[head]:
                    hits.setdefault(hint, "compound")
        verbs = tuple(
            (hint, self._particles[particle], particle)
            for key in keys
            for hint, particle in self._verbs.get(key, ())
            if hint not in hits
        )
        phrases = tuple(p for key in keys for p in self._phrases.get(key, ()))
        lemma_hash = strings.add(strings[lemma].lower()) if lemma else lemma
        patterns = tuple(
            sorted(
                {
                    *self._first.get(("LOWER", lower), ()),
                    *self._first.get(("LEMMA", lemma), ()),
                    *self._first.get(("LEMMA", lemma_hash), ()),
                }
            )
        )
        if not (hits or verbs or phrases or patterns):
            return _NOTHING
        return _Entry(tuple(hits.items()), verbs, phrases, patterns)


def _pattern_sentences(entries: list[_Entry], starts: Any, where: Any, owned: Any) -> dict[int, set[int]]:
    """:func:`_pattern_todo` of the tokens of a doc that may start a token pattern
    (``starts``), each standing for its word at ``where`` in the sorted words (whose
    ``entries`` say which patterns), in their sentences ``owned``: one Python step per
    word and pattern, not per token."""
    import numpy

    tokens = numpy.flatnonzero(starts)
    sentence = owned[tokens]
    inside = sentence >= 0
    word, sentence = where[tokens][inside], sentence[inside]
    if not len(word):
        return {}
    width = int(sentence.max()) + 1
    words, sentences = numpy.divmod(distinct_sorted(word * width + sentence), width)  # (word, sentence), each once
    cuts = numpy.flatnonzero(numpy.diff(words)) + 1
    todo: dict[int, set[int]] = {}
    for w, ks in zip(words[numpy.r_[0, cuts]].tolist(), numpy.split(sentences, cuts), strict=True):
        found = ks.tolist()
        for index in entries[w].patterns:
            todo.setdefault(index, set()).update(found)
    return todo


def _pattern_todo(hits: list[tuple[int, _Entry]], owner: list[int]) -> dict[int, set[int]]:
    """Per token pattern, the sentences where a word it may start with occurs (``hits``:
    the tokens whose word starts something, with its entry; ``owner``: each token's sentence)."""
    todo: dict[int, set[int]] = {}
    for i, entry in hits:
        if entry.patterns:
            k = owner[i]
            if k >= 0:
                for index in entry.patterns:
                    todo.setdefault(index, set()).add(k)
    return todo


def _gap_matches(
    gap: tuple[tuple[str, frozenset[int]], ...], columns: dict[str, list[int]], punct: list[int], start: int, end: int
) -> list[tuple[int, int, int]]:
    """The matches of ``[word, {IS_PUNCT: false, OP: "*"}, word]`` in tokens ``[start, end)``,
    relative to ``start`` and in the order spaCy's Matcher gives them: by end, then
    the nearest start first."""
    (first_attr, first), (last_attr, last) = gap
    firsts, lasts = columns[first_attr], columns[last_attr]
    out = []
    for j in range(start + 1, end):
        if lasts[j] in last:
            i = j - 1
            while i >= start:
                if firsts[i] in first:
                    out.append((0, i - start, j + 1 - start))
                if punct[i]:
                    break  # no match reaches across punctuation
                i -= 1
    return out


_BUILT: dict[Pipeline, tuple[str, RuleSuggester]] = {}  # per pipeline: the last hints and their suggester
_BUILT_LOCK = threading.Lock()


def rule_suggester(pipeline: Pipeline, codebook: Codebook) -> RuleSuggester:
    """The :class:`RuleSuggester` of the codebook's hints, built once per process while
    they stay the same (compiling them cost 8 ms, and each word's entry is then found
    once for all runs: repeated runs in the coding screen, a benchmark).

    A suggester changes nothing but its cache of word entries, which depend on the
    word alone; a codebook whose hints changed gets a new one.
    """
    key = repr([(c.id, c.codable, c.hints.keywords, c.hints.lemmas, c.hints.patterns) for c in codebook.walk()])
    with _BUILT_LOCK:
        built = _BUILT.get(pipeline)
        if built is None or built[0] != key:
            built = _BUILT[pipeline] = (key, RuleSuggester(pipeline, codebook))
        return built[1]


def _quote(text: str, width: int = 50) -> str:
    text = " ".join(text.split())
    if len(text) > width:
        text = text[: width - 1] + "…"
    return f'"{text}"'
