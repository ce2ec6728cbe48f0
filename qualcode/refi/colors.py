"""Colours as other tools write them, read into qualcode's ``#rrggbb``.

The XSD wants ``#RGB`` or ``#RRGGBB``; in the wild there are also bare hex digits,
eight digits with an alpha channel (.NET tools write ``#AARRGGBB``), ``rgb(r, g, b)``
and plain integers. Each is read with a note of what was tolerated.
"""

from __future__ import annotations

import re

_HEX6 = re.compile(r"^#?([0-9a-fA-F]{6})$")
_HEX3 = re.compile(r"^#?([0-9a-fA-F]{3})$")
_HEX8 = re.compile(r"^#?([0-9a-fA-F]{8})$")
_RGB = re.compile(r"^rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*(?:,\s*[\d.]+\s*)?\)$", re.IGNORECASE)


def read_color(value: str) -> tuple[str | None, str | None]:
    """``(#rrggbb or None, note)``: the note says what was tolerated or why it was dropped."""
    text = value.strip()
    if text.isdigit() and len(text) not in (3, 6) and int(text) <= 0xFFFFFF:
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
