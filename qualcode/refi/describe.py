"""Folding a code's definition into one REFI-QDA ``<Description>`` and back.

A REFI-QDA code has a single free-text description; a qualcode code has a definition,
inclusion and exclusion criteria and examples. They are folded into a plain-text
layout that reads well in ATLAS.ti, NVivo or MAXQDA and that :func:`unfold` recovers
exactly::

    <definition: any number of paragraphs>

    Inclusiecriteria:            (English codebooks: "Inclusion criteria:")
    - first criterion
    - a criterion over two lines
      continues indented by two spaces

    Exclusiecriteria:            ("Exclusion criteria:")
    - ...

    Voorbeelden:                 ("Examples:")
    - ...

Headings are written in the codebook's language (Dutch for ``language: nl``, English
otherwise) and recognised in either, in any case, with a few common variants, so a
description typed by hand in another tool in this layout is read as well. Sections are
only recognised in the trailing block of the description (a heading followed by
bullet lines), so a definition that merely mentions "Examples:" mid-text stays intact.

The code's id and key are not part of the description (other tools would show them as
text): :mod:`.codebook_xml` writes them in an XML comment. Files exported by earlier
qualcode versions end the description with ``[qualcode id=... key=...]``; that line
is still read (into ``Unfolded.fields``) and never shown as part of the definition.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

HEADINGS = {
    "nl": {"include": "Inclusiecriteria:", "exclude": "Exclusiecriteria:", "examples": "Voorbeelden:"},
    "en": {"include": "Inclusion criteria:", "exclude": "Exclusion criteria:", "examples": "Examples:"},
}
# Lower-case heading text (without the colon) -> section. Both languages, some variants.
_RECOGNISED = {
    "inclusiecriteria": "include",
    "inclusie": "include",
    "wel coderen": "include",
    "inclusion criteria": "include",
    "inclusion": "include",
    "include": "include",
    "when to use": "include",
    "exclusiecriteria": "exclude",
    "exclusie": "exclude",
    "niet coderen": "exclude",
    "exclusion criteria": "exclude",
    "exclusion": "exclude",
    "exclude": "exclude",
    "when not to use": "exclude",
    "voorbeelden": "examples",
    "voorbeeld": "examples",
    "examples": "examples",
    "example": "examples",
}
_DUTCH = {
    "inclusiecriteria",
    "inclusie",
    "wel coderen",
    "exclusiecriteria",
    "exclusie",
    "niet coderen",
    "voorbeelden",
    "voorbeeld",
}
_HEADING_RE = re.compile(r"^([^\W\d_][\w ]*?)\s*:\s*$")
_BULLET_RE = re.compile(r"^\s*(?:[-*•–]|\d+[.)])\s+(.*)$")
_TRAILER_RE = re.compile(r"^\[qualcode((?:\s+\w+=\S+)+)\s*\]$")


@dataclass(slots=True)
class Unfolded:
    """What :func:`unfold` recovers from a description."""

    description: str = ""
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)  # id, key: from an older export's [qualcode ...] line
    dutch: bool = False  # a Dutch heading was seen (the codebook's language is probably nl)
    english: bool = False  # an English one was


def fold(
    description: str,
    include: list[str],
    exclude: list[str],
    examples: list[str],
    *,
    language: str | None = None,
) -> str:
    """One description text holding all of a code's definition (see the module docstring)."""
    headings = HEADINGS["nl" if (language or "").lower().startswith("nl") else "en"]
    blocks = [description.strip()] if description.strip() else []
    for key, items in (("include", include), ("exclude", exclude), ("examples", examples)):
        if items:
            lines = [headings[key]]
            for item in items:
                first, *rest = item.strip().split("\n")
                lines.append(f"- {first}")
                lines.extend(f"  {line}" for line in rest)
            blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def unfold(text: str) -> Unfolded:
    """Split a folded description into definition, criteria, examples and qualcode fields."""
    out = Unfolded()
    lines = text.replace("\r\n", "\n").replace("\r", "\n").strip().split("\n")
    if lines and (m := _TRAILER_RE.match(lines[-1].strip())):
        out.fields = dict(part.split("=", 1) for part in m.group(1).split())
        lines = lines[:-1]
    # Walk back over the trailing sections: a heading followed only by bullets.
    sections: list[tuple[str, list[str]]] = []
    end = len(lines)
    while end > 0:
        while end > 0 and not lines[end - 1].strip():
            end -= 1
        found = _trailing_section(lines, end)
        if found is None:
            break
        start, key, items = found
        sections.append((key, items))
        is_dutch = _heading(lines[start]) in _DUTCH
        out.dutch = out.dutch or is_dutch
        out.english = out.english or not is_dutch
        end = start
    for key, items in reversed(sections):
        getattr(out, key).extend(items)
    out.description = "\n".join(lines[:end]).strip()
    return out


def _trailing_section(lines: list[str], end: int) -> tuple[int, str, list[str]] | None:
    """The section ending at ``end`` as (first line, key, items), or None."""
    start = end
    while start > 0 and lines[start - 1].strip() and not _HEADING_RE.match(lines[start - 1]):
        start -= 1
    if start == 0 or start == end:
        return None
    key = _RECOGNISED.get(_heading(lines[start - 1]))
    if key is None:
        return None
    items: list[list[str]] = []
    for line in lines[start:end]:
        if m := _BULLET_RE.match(line):
            items.append([m.group(1).rstrip()])
        elif items and line.startswith("  "):
            items[-1].append(line[2:].rstrip())
        else:
            return None
    return start - 1, key, ["\n".join(parts).strip() for parts in items]


def _heading(line: str) -> str:
    m = _HEADING_RE.match(line)
    return " ".join(m.group(1).lower().split()) if m else ""
