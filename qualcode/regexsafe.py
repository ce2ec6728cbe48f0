"""Regular expressions a researcher writes, checked before they are used.

``interviewer_speakers`` in qualcode.yaml and a codebook pattern's ``REGEX`` are run by
Python's ``re``, which backtracks: a pattern such as ``(a+)+$`` tries every way of
splitting a run of letters, and a speaker label of 30 letters took minutes (an import
stopped there). :func:`regex_problem` refuses the shapes that backtrack like that, in
words a researcher can act on, before any text meets them:

* a repeated part that itself repeats (``(a+)+``, ``(\\w+\\s?)*``);
* a repeated choice whose alternatives can start alike (``(a|ab)*``, ``(i|in)+``);
* two repeats in a row that match the same characters (``\\s*\\s*``, ``.*\\d+``).

A repeat whose every round starts or ends with one character nothing else in it matches
(``(?:\\d+,)*``, ``(?:,\\d+)*``) splits a text one way only and is accepted, as is such a
repeat followed by one that never matches that character (``(?:\\d+,)*\\d+``).

What is left backtracks at most polynomially; the texts it meets are short (speaker
labels, one word of a sentence). A possessive repeat (``a++``) or an atomic group
(``(?>...)``) never backtracks into itself and is accepted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from re import _constants as C  # type: ignore[attr-defined]  # the parser re itself uses
from re import _parser as P  # type: ignore[attr-defined]
from typing import Any

# Characters a pattern's parts are tried with to see whether two of them match the same
# character: ASCII, and a few of each kind beyond it (accented, digits and spaces of
# other scripts, a typographic apostrophe, a letter without case).
_PROBES = [chr(c) for c in range(128)] + list("éÉßøŁ’‘–\u00a0\u2009\u3000٣६あ한ﬁ")

_REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT)

# A pattern's global flags, which must stay at its start: "(?i)", "(?is)(?x)".
_GLOBAL_FLAGS = re.compile(r"(?:\(\?[aiLmsux]+\))*")


def bounded(pattern: str, limit: int) -> str:
    """``pattern`` (for ``search``) that finds nothing in a text longer than ``limit``: checked
    in ``limit`` steps at the text's start, before the pattern is tried at any position. What is
    left of a pattern's backtracking grows with the text it searches; one word of a transcript
    can be 100,000 letters (a pasted link or blob), which '.*heid$' searched for minutes."""
    flags = _GLOBAL_FLAGS.match(pattern).group()  # type: ignore[union-attr]  # matches at least ''
    end = "\n" if "x" in flags else ""  # a verbose pattern's comment ends at a line's end, not at our ')'
    return rf"{flags}\A(?=[\s\S]{{0,{limit}}}\Z)[\s\S]*?(?:{pattern[len(flags) :]}{end})"


def regex_problem(pattern: str, flags: int = 0) -> str | None:
    """What is wrong with ``pattern`` (a user's regular expression), or None if it is safe
    to run: not valid, or a shape that backtracks without end on a long text. Said to
    follow the pattern ("'(a+)+' repeats a part that ...")."""
    try:
        parsed = P.parse(pattern, flags)
    except re.error as exc:
        return f"is not a valid regular expression ({exc})"
    except (RecursionError, OverflowError, ValueError) as exc:  # nesting thousands deep, {99999999999}
        return f"is not a valid regular expression ({str(exc)[:80]})"
    probes = _PROBES + sorted(_pattern_chars(parsed) - set(_PROBES))
    try:
        return _sequence_problem(list(parsed), probes)
    except RecursionError:
        return "nests too deeply to be checked: write it with fewer brackets inside brackets"


def _sequence_problem(items: list, probes: list[str]) -> str | None:
    for i, (op, av) in enumerate(items):
        problem = _item_problem(op, av, probes)
        if problem:
            return problem
        if (
            i
            and _unbounded(items[i - 1])
            and _unbounded((op, av))
            and _overlap(_firsts(items[i - 1]), _firsts((op, av)))
            and not _ends_apart(list(items[i - 1][1][2]), (op, av), probes)
        ):
            return (
                "has two repeats in a row that match the same characters (as in '\\s*\\s*' or '.*\\d+'): on a long text"
                " every split between them is tried; join them into one repeat"
            )
    return None


def _item_problem(op: Any, av: Any, probes: list[str]) -> str | None:
    if op in _REPEATS:
        _, high, body = av
        if high > 1:
            if _repeats_inside(list(body)) and not _delimited(list(body), probes):
                return (
                    "repeats a part that repeats inside itself (as in '(a+)+' or '(\\w+\\s?)*'): on a long text every"
                    " way of splitting it is tried, which can take hours; repeat it once (e.g. 'a+' for '(a+)+')"
                )
            if _alike_choice(list(body)):
                return (
                    "repeats a choice whose alternatives can start alike (as in '(a|ab)*'): on a long text every"
                    " way of choosing is tried, which can take hours; make the alternatives start differently"
                )
        return _sequence_problem(list(body), probes)
    if op == C.SUBPATTERN:
        return _sequence_problem(list(av[-1]), probes)
    if op == C.ATOMIC_GROUP or op == C.POSSESSIVE_REPEAT:
        body = av if op == C.ATOMIC_GROUP else av[2]
        return _sequence_problem(list(body), probes)
    if op == C.BRANCH:
        for alternative in av[1]:
            problem = _sequence_problem(list(alternative), probes)
            if problem:
                return problem
    if op in (C.ASSERT, C.ASSERT_NOT):
        return _sequence_problem(list(av[1]), probes)
    if op == C.GROUPREF_EXISTS:
        _, yes, no = av
        return _sequence_problem(list(yes), probes) or (_sequence_problem(list(no), probes) if no else None)
    return None


def _mark(items: list, at: int, probes: list[str]) -> frozenset[str]:
    """The characters the one-character part at ``items[at]`` (0: first, -1: last, inside
    plain groups) matches, when nothing else of ``items`` matches them; else empty."""
    while len(items) == 1 and items[0][0] == C.SUBPATTERN:
        items = list(items[0][1][-1])
    if not items:
        return frozenset()
    test = _single(*items[at])
    if test is None:
        return frozenset()
    mark = _matching(test, probes)
    rest = items[1:] if at == 0 else items[:-1]
    return mark if mark.isdisjoint(_anywhere(rest, probes)) else frozenset()


def _delimited(items: list, probes: list[str]) -> bool:
    """Whether every round of a repeat of ``items`` starts or ends with a character that nothing
    else in it matches (``\\d+,``): the text then splits into rounds one way only."""
    return bool(_mark(items, 0, probes) or _mark(items, -1, probes))


def _ends_apart(body: list, following: tuple, probes: list[str]) -> bool:
    """Whether a repeat of ``body`` ends each round with a character that nothing else in it and
    nothing of ``following`` matches (``(?:\\d+,)*\\d+``): the two then meet at one place only."""
    mark = _mark(body, -1, probes)
    return bool(mark) and mark.isdisjoint(_anywhere([following], probes))


def _matching(test: Callable[[str], bool], probes: list[str]) -> frozenset[str]:
    """The probe characters ``test`` accepts in any case (a pattern may ignore case)."""
    return frozenset(c for c in probes if any(test(v) for v in {c, c.lower(), c.upper()} if len(v) == 1))


def _anywhere(items: list, probes: list[str]) -> frozenset[str]:
    """The probe characters any part of ``items`` can match (all of them for a part not understood)."""
    out: set[str] = set()
    for op, av in items:
        if op in (C.AT, C.ASSERT_NOT):
            continue
        if op in _REPEATS or op == C.POSSESSIVE_REPEAT or op == C.SUBPATTERN:
            out |= _anywhere(list(av[-1]), probes)
        elif op == C.ATOMIC_GROUP:
            out |= _anywhere(list(av), probes)
        elif op == C.ASSERT:
            out |= _anywhere(list(av[1]), probes)
        elif op == C.BRANCH:
            for alternative in av[1]:
                out |= _anywhere(list(alternative), probes)
        else:
            test = _single(op, av)
            if test is None:
                return frozenset(probes)
            out |= _matching(test, probes)
    return frozenset(out)


def _pattern_chars(node: Any) -> set[str]:
    """Every character a pattern names (literals, ends of ranges) in any case: with them among
    the probes, two sets of characters the pattern names overlap exactly when a probe shows it."""
    out: set[str] = set()
    if isinstance(node, P.SubPattern):
        node = list(node)
    if isinstance(node, (list, tuple)):
        if len(node) == 2 and isinstance(node[0], type(C.LITERAL)):
            op, av = node
            if op in (C.LITERAL, C.NOT_LITERAL):
                codes = [av]
            elif op in (C.RANGE, C.RANGE_UNI_IGNORE):
                codes = list(av)
            else:
                return _pattern_chars(av)
            for code in codes:
                c = chr(code)
                out |= {v for v in (c, c.lower(), c.upper()) if len(v) == 1}
            return out
        for part in node:
            out |= _pattern_chars(part)
    return out


def _repeats_inside(items: list) -> bool:
    """Whether a part of ``items`` repeats a varying number of times (backtracking into it)."""
    for op, av in items:
        if op in _REPEATS and av[0] != av[1]:
            return True
        if op in _REPEATS or op == C.SUBPATTERN:
            if _repeats_inside(list(av[-1])):
                return True
        elif op == C.BRANCH and any(_repeats_inside(list(a)) for a in av[1]):
            return True
        elif op == C.GROUPREF_EXISTS and any(_repeats_inside(list(part)) for part in av[1:] if part):
            return True
    return False


def _alike_choice(items: list) -> bool:
    """Whether ``items`` hold a choice two of whose alternatives can start with the same
    character (an empty alternative starts like anything)."""
    for op, av in items:
        if op == C.BRANCH:
            starts = [_sequence_firsts(list(a)) for a in av[1]]
            if any(_overlap(a, b) for i, a in enumerate(starts) for b in starts[i + 1 :]):
                return True
            if any(_alike_choice(list(a)) for a in av[1]):
                return True
        elif (op in _REPEATS or op == C.SUBPATTERN) and _alike_choice(list(av[-1])):
            return True
    return False


def _unbounded(item: tuple) -> bool:
    op, av = item
    return op in _REPEATS and av[1] == C.MAXREPEAT and av[0] != av[1]


_ANYTHING: frozenset[str] = frozenset(_PROBES)


def _firsts(item: tuple) -> frozenset[str]:
    """The probe characters ``item`` can start with (any case: a pattern may ignore case)."""
    op, av = item
    if op in _REPEATS or op == C.POSSESSIVE_REPEAT:
        return _sequence_firsts(list(av[2]))
    if op == C.SUBPATTERN:
        return _sequence_firsts(list(av[-1]))
    if op == C.ATOMIC_GROUP:
        return _sequence_firsts(list(av))
    if op == C.BRANCH:
        return frozenset().union(*(_sequence_firsts(list(a)) for a in av[1]))
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return frozenset()  # matches no character itself
    test = _single(op, av)
    if test is None:
        return _ANYTHING
    return frozenset(c for c in _PROBES if any(test(v) for v in {c, c.lower(), c.upper()} if len(v) == 1))


def _sequence_firsts(items: list) -> frozenset[str]:
    """The probe characters ``items`` in a row can start with (past the parts that may match nothing)."""
    out: set[str] = set()
    for item in items:
        out |= _firsts(item)
        if not _may_be_empty(item):
            return frozenset(out)
    return _ANYTHING  # all of it may match nothing: then it starts like whatever follows


def _may_be_empty(item: tuple) -> bool:
    op, av = item
    if op in _REPEATS or op == C.POSSESSIVE_REPEAT:
        return av[0] == 0 or all(_may_be_empty(i) for i in av[2])
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return True
    if op == C.SUBPATTERN:
        return all(_may_be_empty(i) for i in av[-1])
    if op == C.ATOMIC_GROUP:
        return all(_may_be_empty(i) for i in av)
    if op == C.BRANCH:
        return any(all(_may_be_empty(i) for i in a) for a in av[1])
    return op not in (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN)


def _single(op: Any, av: Any) -> Callable[[str], bool] | None:
    """A test of one character for a part that matches one character, else None."""
    if op == C.LITERAL:
        return lambda c: ord(c) == av
    if op == C.NOT_LITERAL:
        return lambda c: ord(c) != av
    if op == C.ANY:
        return lambda c: c != "\n"
    if op == C.IN:
        codes: set[int] = set()
        ranges: list[tuple[int, int]] = []
        kinds: list[Callable[[str], bool]] = []
        negate = False
        for sub_op, sub_av in av:
            if sub_op == C.NEGATE:
                negate = True
            elif sub_op == C.LITERAL:
                codes.add(sub_av)
            elif sub_op in (C.RANGE, C.RANGE_UNI_IGNORE):
                ranges.append(sub_av)
            else:  # a category (\d, \s, \w, ...); anything else is taken to match anything
                kinds.append(_CATEGORIES.get(sub_av, _anything) if sub_op == C.CATEGORY else _anything)

        def test(c: str) -> bool:
            found = ord(c) in codes or any(lo <= ord(c) <= hi for lo, hi in ranges) or any(kind(c) for kind in kinds)
            return negate != found

        return test
    return None


def _anything(c: str) -> bool:
    return True


_CATEGORIES: dict[object, Callable[[str], bool]] = {
    C.CATEGORY_DIGIT: lambda c: bool(re.fullmatch(r"\d", c)),
    C.CATEGORY_NOT_DIGIT: lambda c: not re.fullmatch(r"\d", c),
    C.CATEGORY_SPACE: lambda c: bool(re.fullmatch(r"\s", c)),
    C.CATEGORY_NOT_SPACE: lambda c: not re.fullmatch(r"\s", c),
    C.CATEGORY_WORD: lambda c: bool(re.fullmatch(r"\w", c)),
    C.CATEGORY_NOT_WORD: lambda c: not re.fullmatch(r"\w", c),
}


def _overlap(first: frozenset[str], second: frozenset[str]) -> bool:
    return not first.isdisjoint(second)
