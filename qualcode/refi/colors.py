"""Colours: as other tools write them, and which ones a codebook really chose.

The XSD wants ``#RGB`` or ``#RRGGBB``; in the wild there are also bare hex digits,
eight digits with an alpha channel (.NET tools write ``#AARRGGBB``), ``rgb(r, g, b)``
and plain integers. Each is read with a note of what was tolerated.

A loaded :class:`~qualcode.codebook.Codebook` gives every code a display colour (the
palette's where the YAML states none); only the colours the YAML states are the
researcher's and travel to other tools (:func:`stated_colors`).
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ..codebook import Codebook, read_codebook_text
from ..yamlsafe import COMPOSER

_HEX6 = re.compile(r"^#?([0-9a-fA-F]{6})$")
_HEX3 = re.compile(r"^#?([0-9a-fA-F]{3})$")
_HEX8 = re.compile(r"^#?([0-9a-fA-F]{8})$")
_RGB = re.compile(r"^rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*(?:,\s*[\d.]+\s*)?\)$", re.IGNORECASE)


def read_color(value: str) -> tuple[str | None, str | None]:
    """``(#rrggbb or None, note)``: the note says what was tolerated or why it was dropped."""
    text = value.strip()
    if text.isascii() and text.isdigit() and len(text) not in (3, 6) and int(text) <= 0xFFFFFF:
        # Digits only and not 3 or 6 long: a colour as a number (some tools write 16711680).
        full = f"#{int(text):06x}"
        return full, f"colour '{value}' read as {full} (a number)"
    if m := _HEX6.match(text):
        return "#" + m.group(1).lower(), None if text.startswith("#") else f"colour '{value}' read as #{m.group(1).lower()}"
    if m := _HEX3.match(text):
        full = "#" + "".join(ch * 2 for ch in m.group(1)).lower()
        return full, None if text.startswith("#") else f"colour '{value}' read as {full}"
    if m := _HEX8.match(text):
        # .NET (NVivo, ATLAS.ti) writes #AARRGGBB: the alpha byte comes first.
        full = "#" + m.group(1)[2:].lower()
        return full, f"colour '{value}' read as {full} (alpha dropped)"
    if m := _RGB.match(text):
        parts = [int(p) for p in m.groups()]
        if all(p <= 255 for p in parts):
            full = "#" + "".join(f"{p:02x}" for p in parts)
            return full, f"colour '{value}' read as {full}"
    return None, f"colour '{value}' is not a colour qualcode can read; dropped"


def drop_unstated(codes, stated: set[str]) -> None:
    """Take the display colour off every code (of an iterable) whose id is not in ``stated``."""
    for code in codes:
        if code.id not in stated:
            code.color = None


def codebook_colors(book: Codebook) -> set[str]:
    """Ids of the codes whose colour the codebook's own file states (all, for a codebook built in memory)."""
    if book.path is not None and Path(book.path).suffix.lower() in (".yaml", ".yml") and Path(book.path).exists():
        return explicit_yaml_colors(book.path)
    return {c.id for c in book.walk() if c.color}


def explicit_yaml_colors(path: Path) -> set[str]:
    """Ids of codes whose colour is written in the YAML file (others get the palette's)."""
    return stated_colors(read_codebook_text(path))


def stated_colors(text: str) -> set[str]:
    """Ids of codes whose colour this codebook YAML text writes down.

    Read from the composed nodes, never constructed: a validated codebook may still
    hold scalars Python cannot construct (a 5,000-digit name), see :mod:`qualcode.yamlsafe`.
    """
    try:
        root = yaml.compose(text, Loader=COMPOSER)
    except yaml.YAMLError:  # pragma: no cover - validated before
        return set()
    out: set[str] = set()
    codes = _value(root, "codes")
    stack = list(codes.value) if isinstance(codes, yaml.SequenceNode) else []
    while stack:
        item = stack.pop()
        color, code_id = _value(item, "color"), _value(item, "id")
        stated = isinstance(color, yaml.ScalarNode) and color.value and not color.tag.endswith(":null")
        if stated and isinstance(code_id, yaml.ScalarNode):
            out.add(code_id.value)
        children = _value(item, "children")
        if isinstance(children, yaml.SequenceNode):
            stack.extend(children.value)
    return out


def _value(node: yaml.Node | None, key: str) -> yaml.Node | None:
    """The value node of ``key`` in a mapping node (None if absent or not a mapping)."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                return value_node
    return None
