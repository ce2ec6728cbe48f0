"""Reading YAML that people write (codebooks, front matter) without trusting it.

Two things in YAML can blow up after the parser has accepted a file:

* **aliases**: PyYAML composes ``*name`` as a reference to the node anchored with
  ``&name``, so a file can describe a node that contains itself
  (``- &A {id: a, children: [*A]}``), which every walk follows forever, or a few
  lines whose expansion has billions of nodes (``[*a, *a, *a]`` nested ten deep);
* **scalars**: constructing one can fail where the parser does not look -- a
  5,000-digit number exceeds Python's int-string limit, ``2024-13-45`` is no date.

So files are composed with the C loader (libyaml is not recursive in Python and
refuses nesting deeper than 1,000 levels with a located error), the alias
structure is checked (:func:`alias_problems`), and scalars are read as the text
that was written (:func:`scalar_text`), never converted to numbers or dates.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import yaml

# libyaml's safe loader composes ~10x faster than the pure-Python one and keeps the
# same line/column marks.
COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Values a file may expand to through aliases: far above any codebook (a large one
# has ~30,000), far below what takes noticeable time or memory to walk.
MAX_EXPANDED = 200_000

_CORE_TAG = "tag:yaml.org,2002:"
_TEXT_TAGS = frozenset(_CORE_TAG + t for t in ("str", "int", "float", "timestamp"))


@dataclass(frozen=True, slots=True)
class YamlProblem:
    """A problem at a place in the text (1-based line and column)."""

    line: int
    column: int
    message: str
    hint: str


def repeated(keys: Sequence[Hashable]) -> dict[int, int]:
    """The positions of keys given before in a mapping's ``keys``, each with the position
    of its first occurrence: YAML keeps the last value of a repeated key without a word."""
    first: dict[Hashable, int] = {}
    again: dict[int, int] = {}
    for i, key in enumerate(keys):
        if key in first:
            again[i] = first[key]
        else:
            first[key] = i
    return again


# What to do about a YAML syntax error, by what the parser was reading when it failed
# ("while parsing a flow sequence"); {line} is the line where that began.
_SYNTAX_HINTS = {
    "flow sequence": "close the '[' opened on line {line} with ']', with a comma between the items",
    "flow mapping": "close the '{{' opened on line {line} with '}}', with a comma between the items",
    "quoted scalar": "close the quote opened on line {line}",
    "block collection": "indent this line as the other lines of the list that starts on line {line}",
    "block mapping": "indent this line as the other keys of the mapping that starts on line {line}, or write a key for it",
    "for the next token": "put a value that starts with '@', '`' or '%' in quotes",
}
_SYNTAX_TAB = "indent with spaces: YAML does not allow a tab here"
_SYNTAX_ALIAS = "put a value that starts with '*' in quotes (in YAML '*name' repeats a value marked '&name')"
_SYNTAX_ESCAPE = "write a backslash in double quotes as '\\\\' (a Windows path: C:\\\\Users), or put the value in single quotes"
_SYNTAX_DOCUMENT = "a file holds one YAML document: remove the '---' or '...' on line {line}"
_SYNTAX_HINT = "check the indentation on this line, and put a value holding ': ' or ' #' in quotes"


def syntax_problem(exc: yaml.YAMLError, first_line: int = 1, text: str | None = None) -> tuple[int | None, int | None, str, str]:
    """``(line, column, message, hint)`` of a YAML syntax error as people read it: 1-based
    place (None when the parser gave none), the parser's problem, and what to do about it
    (where that depends on what the parser was reading, with the line where that began).
    ``first_line``: the file's line the YAML starts on (2 for front matter after '---');
    ``text``: the YAML parsed, to see what the parser stopped at (a tab in the indentation)."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + first_line if mark else None
    column = mark.column + 1 if mark else None
    context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None)
    detail = problem or context or "invalid YAML"
    began = context_mark.line + first_line if context_mark else line
    hint = _SYNTAX_HINT
    if problem and ("tab character" in problem or _tab_indent(text, mark)):
        hint = _SYNTAX_TAB  # "found character that cannot start any token" at a tab too
    elif problem and ("escape" in problem or "hexdecimal" in problem):
        hint = _SYNTAX_ESCAPE  # "C:\Users" in double quotes: the quote is closed
    elif problem and "another document" in problem and line is not None:
        hint = _SYNTAX_DOCUMENT.format(line=line)
    elif problem and "undefined alias" in problem:
        hint = _SYNTAX_ALIAS
    elif context:
        kind = next((k for k in _SYNTAX_HINTS if context.endswith(k)), None)
        if kind is not None and began is not None:
            hint = _SYNTAX_HINTS[kind].format(line=began)
        else:
            hint = f"{_SYNTAX_HINT} ({context}" + (f", line {began})" if began is not None else ")")
    return line, column, f"YAML syntax error: {detail}", hint


def located(line: int | None, column: int | None, message: str, hint: str) -> str:
    """One line for a message that names no place of its own: ``line 4, column 2: ... (hint)``."""
    place = f"line {line}, column {column}: " if line is not None and column is not None else ""
    return f"{place}{message} ({hint})"


class UnsupportedScalar(ValueError):
    """A scalar with a tag that is not plain YAML (``!!binary``, ``!python/...``, ``!custom``)."""


def scalar_text(node: yaml.ScalarNode) -> str | bool | None:
    """A scalar as written: None for null, True/False for booleans, else its text.

    Numbers and dates are returned as the text written (``007`` stays ``007``,
    ``1.10`` stays ``1.10``), so no digit count or calendar can make reading fail.
    Raises :class:`UnsupportedScalar` for any other tag.
    """
    tag = node.tag
    if tag in _TEXT_TAGS:
        return node.value
    if tag == _CORE_TAG + "null":
        return None
    if tag == _CORE_TAG + "bool":
        return yaml.constructor.SafeConstructor.bool_values[node.value.lower()]
    raise UnsupportedScalar(tag)


def alias_problems(root: yaml.Node, text: str) -> list[YamlProblem]:
    """A node that contains itself through an alias, or aliases expanding past :data:`MAX_EXPANDED`.

    Empty for every file that uses no aliases or uses them harmlessly. Linear in
    the number of distinct nodes: the expansion is counted, never built.
    """
    cycle, expanded, distinct = _walk(root)
    if cycle is not None:
        return [_cycle_problem(cycle, text)]
    if expanded > MAX_EXPANDED and expanded > distinct:
        line, column, name = _first_alias(text) or (root.start_mark.line + 1, 1, "…")
        return [
            YamlProblem(
                line,
                column,
                f"aliases (*{name} ...) make this file expand to more than {MAX_EXPANDED:,} values",
                "write the values out instead of repeating them with aliases",
            )
        ]
    return []


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _walk(root: yaml.Node) -> tuple[yaml.Node | None, int, int]:
    """(a node reached again from inside itself, expanded size, distinct nodes), iteratively."""
    size: dict[int, int] = {}  # finished nodes: their expanded size
    open_: set[int] = set()  # nodes whose children are being walked
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            open_.discard(key)
            # Capped so that a blow-up of 10**100 values stays a small int.
            size[key] = min(1 + sum(size[id(c)] for c in _children(node)), MAX_EXPANDED + 1)
            continue
        if key in size:
            continue
        if key in open_:
            return node, 0, 0
        open_.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in open_:
                return child, 0, 0
            if id(child) not in size:
                stack.append((child, False))
    return None, size[id(root)], len(size)


def _events(text: str) -> list[yaml.Event]:
    try:
        return list(yaml.parse(text, Loader=COMPOSER))
    except yaml.YAMLError:  # pragma: no cover - the text composed a moment ago
        return []


def _first_alias(text: str) -> tuple[int, int, str] | None:
    for event in _events(text):
        if isinstance(event, yaml.AliasEvent):
            mark = event.start_mark
            assert mark is not None and event.anchor is not None  # the parser sets both on an alias
            return mark.line + 1, mark.column + 1, event.anchor
    return None


def anchor_of(node: yaml.Node, text: str) -> str:
    """The ``&name`` of an anchored node (``'…'`` if it cannot be found), for messages."""
    for event in _events(text):
        anchor = getattr(event, "anchor", None)
        mark = event.start_mark
        assert mark is not None  # the parser marks every event
        if anchor and not isinstance(event, yaml.AliasEvent) and mark.index == node.start_mark.index:
            return anchor
    return "…"


def _cycle_problem(node: yaml.Node, text: str) -> YamlProblem:
    """Point at the alias inside the anchored node that refers back to it."""
    start, end = node.start_mark.index, node.end_mark.index
    anchor = anchor_of(node, text)
    for event in _events(text):
        mark = event.start_mark
        assert mark is not None  # the parser marks every event
        if isinstance(event, yaml.AliasEvent) and event.anchor == anchor and start <= mark.index <= end:
            return YamlProblem(
                mark.line + 1,
                mark.column + 1,
                f"alias *{anchor} is inside the value it refers to (&{anchor}, line {node.start_mark.line + 1}),"
                " so it would repeat forever",
                "write the value out instead of the alias (a code cannot contain itself)",
            )
    return YamlProblem(
        node.start_mark.line + 1,
        node.start_mark.column + 1,
        "this value contains itself through an alias, so it would repeat forever",
        "write the value out instead of the alias (a code cannot contain itself)",
    )


def _tab_indent(text: str | None, mark: yaml.Mark | None) -> bool:
    """Whether the parser stopped in a line's indentation that holds a tab ("found character
    that cannot start any token" at a tab: the hint for '@' and '`' would not help)."""
    if text is None or mark is None:
        return False
    lines = text.split("\n")
    if not 0 <= mark.line < len(lines):
        return False
    line = lines[mark.line]
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    return "\t" in indent and mark.column <= len(indent)
