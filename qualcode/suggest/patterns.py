"""Token patterns from the codebook: plain-language validation and anchoring.

* :func:`check_pattern` catches the usual mistakes in a hand-written pattern (a
  misspelt attribute, a wrong operator, a bad regular expression) with a message
  that names the token and what to write; :func:`spacy_problem` reduces spaCy's
  own validation message to its lines about the pattern.
* :func:`anchors` and :func:`rarest_first` give the words a pattern cannot match
  without, so the rule suggester runs a pattern only on sentences that have them;
  :func:`fixed_words` and :func:`gap_words` recognise the shapes it matches
  without spaCy's Matcher.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..errors import Problem
from ..regexsafe import bounded, regex_problem
from ..termsafe import one_line

if TYPE_CHECKING:  # pragma: no cover
    from ..codebook import Code, Codebook

# Token attributes a pattern may use, and the operators (spaCy's TokenPattern).
ATTRIBUTES = (
    "ORTH", "TEXT", "LOWER", "POS", "TAG", "MORPH", "DEP", "LEMMA", "SHAPE", "ENT_TYPE",
    "ENT_IOB", "ENT_ID", "ENT_KB_ID", "NORM", "LENGTH", "SPACY", "IS_ALPHA", "IS_ASCII",
    "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE", "IS_PUNCT", "IS_SPACE", "IS_BRACKET",
    "IS_QUOTE", "IS_LEFT_PUNCT", "IS_RIGHT_PUNCT", "IS_CURRENCY", "IS_STOP",
    "IS_SENT_START", "SENT_START", "LIKE_NUM", "LIKE_URL", "LIKE_EMAIL", "OP", "_",
)  # fmt: skip
OPERATORS = ("!", "?", "*", "+")
OP_RANGE = re.compile(r"^\{\d*,?\d*\}$")
# Attributes only a trained pipeline sets; with the blank pipeline such a pattern
# could never match (and spaCy would refuse to run it), so it is skipped with a warning.
NEEDS_ANNOTATION = ("POS", "TAG", "MORPH", "DEP", "ENT_TYPE", "ENT_IOB", "ENT_ID", "ENT_KB_ID")


def check_pattern(pattern: Iterable[dict[str, Any]]) -> str | None:
    """A plain-language problem with a token pattern, or None if it looks fine.

    Catches the usual mistakes (a misspelt attribute, a wrong operator, a bad
    regular expression) with a message that says which token and what to write;
    spaCy's own validation runs afterwards for the rest.
    """
    for position, token in enumerate(pattern, 1):
        if not isinstance(token, dict):
            return f"token {position} must be a mapping such as {{LOWER: woord}}"
        for key, value in token.items():
            name = str(key).upper()
            if name not in ATTRIBUTES:
                close = difflib.get_close_matches(name, ATTRIBUTES, n=1)
                hint = f" (did you mean {close[0]}?)" if close else ""
                return f"token {position}: unknown attribute '{key}'{hint}"
            if name == "OP" and not (value in OPERATORS or (isinstance(value, str) and OP_RANGE.match(value))):
                return f"token {position}: OP must be one of ! ? * + or {{n,m}}, not {value!r}"
            if isinstance(value, dict):
                for op, argument in value.items():
                    if str(op).upper() == "REGEX":
                        problem = regex_problem(str(argument))
                        if problem:
                            return f"token {position}: {key} REGEX '{one_line(str(argument))[:80]}' {problem}"
    return None


# The longest word a pattern's REGEX is tried on: no Dutch word comes near it; a longer one (a
# pasted link or blob of 100,000 letters, one token) is never matched by a REGEX.
REGEX_WORD_LIMIT = 200


def bounded_regexes(pattern: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``pattern`` as spaCy's Matcher is given it: each REGEX finds nothing in a token longer
    than :data:`REGEX_WORD_LIMIT` (:func:`qualcode.regexsafe.bounded`), as what is left of its
    backtracking grows with the token ('.*heid$' on a 20,000-letter token: 1.3 s, each time)."""

    def value(v: Any) -> Any:
        if not isinstance(v, dict):
            return v
        return {op: bounded(str(arg), REGEX_WORD_LIMIT) if str(op).upper() == "REGEX" else arg for op, arg in v.items()}

    return [{key: value(v) for key, v in token.items()} if isinstance(token, dict) else token for token in pattern]


def codebook_place(codebook: Codebook) -> str:
    """The codebook's file as a problem names it."""
    return str(codebook.path) if codebook.path else "the codebook"


def pattern_problem(where: str, code: Code, number: int, problem: str) -> Problem:
    """A problem with a code's ``number``-th token pattern, located at the code."""
    return Problem(where, code.line, None, f"code '{code.id}', pattern {number}: {problem}")


def pattern_problems(codebook: Codebook) -> list[Problem]:
    """The codebook's token patterns that :func:`check_pattern` finds fault with, located by code.

    ``qualcode codebook check`` reports them without loading spaCy; a suggestion
    run checks them again, together with spaCy's own validation.
    """
    where = codebook_place(codebook)
    out = []
    for code in codebook.walk():
        for number, pattern in enumerate(code.hints.patterns, 1):
            problem = check_pattern(pattern)
            if problem:
                out.append(pattern_problem(where, code, number, problem))
    return out


def anchors(pattern: Iterable[dict[str, Any]]) -> list[tuple[str, list[str]]]:
    """The words a pattern cannot match without: one set of alternatives per required token.

    Only tokens that must occur (no OP, or ``+``, ``{n,...}`` with n >= 1) and that
    name exact words (``LOWER``/``ORTH``/``TEXT`` as a string or an ``IN`` list,
    ``LEMMA`` likewise) count; everything else is left to the Matcher. A doc
    lacking any of them cannot match, so the Matcher is not run on it.
    """
    out = []
    for token in pattern:
        spec = {str(k).upper(): v for k, v in token.items()}
        op = spec.get("OP")
        if op is not None and not (op == "+" or (isinstance(op, str) and re.match(r"^\{[1-9]", op))):
            continue
        for attr, target in (("LOWER", "LOWER"), ("ORTH", "LOWER"), ("TEXT", "LOWER"), ("LEMMA", "LEMMA")):
            value = spec.get(attr)
            if isinstance(value, str):
                words = [value]
            elif isinstance(value, dict) and set(value) == {"IN"} and isinstance(value["IN"], list):
                words = [str(v) for v in value["IN"]]
            else:
                continue
            out.append((target, [w.lower() for w in words] if target == "LOWER" else words))
            break
    return out


def fixed_words(pattern: Iterable[dict[str, Any]]) -> list[tuple[str, list[str]]] | None:
    """Per token, the words it must be, when a pattern is nothing but a row of words.

    Every token required and naming its words by ``LOWER`` (in lower case) or
    ``LEMMA`` alone: such a pattern matches exactly where those words stand in a
    row, which the rule suggester checks without spaCy's Matcher. None for any
    other pattern.
    """
    out = []
    for token in pattern:
        if not isinstance(token, dict) or len(token) != 1:
            return None
        ((key, value),) = token.items()
        attr = str(key).upper()
        if isinstance(value, str):
            words = [value]
        elif isinstance(value, dict) and set(value) == {"IN"} and isinstance(value["IN"], list):
            words = value["IN"]
        else:
            return None
        if attr not in ("LOWER", "LEMMA") or not all(isinstance(w, str) and w for w in words):
            return None
        if attr == "LOWER" and any(w != w.lower() for w in words):
            return None  # spaCy compares as written: an upper-case LOWER value never matches
        out.append((attr, words))
    return out or None


def gap_words(pattern: list[dict[str, Any]]) -> list[tuple[str, list[str]]] | None:
    """The first and last words of a pattern ``[word, {IS_PUNCT: false, OP: "*"}, word]``.

    The commonest shape of a hand-written pattern (``verwijst ... door``): a word, any
    run of tokens but punctuation, and a word, each end named as in
    :func:`fixed_words`. The rule suggester finds its matches without spaCy's
    Matcher. None for any other pattern.
    """
    if len(pattern) != 3 or pattern[1] != {"IS_PUNCT": False, "OP": "*"} or pattern[1]["IS_PUNCT"] is not False:
        return None
    return fixed_words([pattern[0], pattern[2]])


def rarest_first(found: list[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    """Anchors ordered so the first is likely rare: few alternatives, no stop words.

    The first anchor decides which sentences a pattern is tried on; in
    ``[{LOWER: de}, {LOWER: brug}]`` that should be ``brug``, not ``de``.
    """
    from spacy.lang.nl.stop_words import STOP_WORDS

    def commonness(anchor: tuple[str, list[str]]) -> tuple[int, int, int]:
        words = anchor[1]
        return (sum(w.lower() in STOP_WORDS for w in words), len(words), -min(map(len, words), default=0))

    return sorted(found, key=commonness)


def spacy_problem(message: str) -> str:
    """spaCy's validation message, reduced to its lines about the pattern."""
    lines = []
    for line in message.splitlines():
        m = re.match(r"- \[pattern -> (\d+)(?: -> ([^\]]*))?\] (.*)", line.strip())
        if m:
            token = int(m.group(1)) + 1
            field_ = (m.group(2) or "").split(" -> ")[0]
            lines.append(f"token {token}" + (f", {field_}" if field_ else "") + f": {m.group(3).lower()}")
    return "; ".join(lines[:2]) if lines else message.strip().splitlines()[0]
