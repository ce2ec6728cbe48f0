"""Text that is safe to show on a terminal: control characters made visible.

A transcript, memo, code name or file name can hold anything an importer let
through: ESC sequences (which clear the screen, set the window title or fake
earlier output), other C0/C1 controls (a bare CR overwrites the line shown) and
the bidirectional overrides that make text read differently than it is stored.
Everything qualcode prints for people goes through :func:`terminal_safe`; data
written as CSV or JSON to a file or a pipe stays exact.

A control character becomes a visible escape (``\\x1b``, ``\\u202e``), so a
reader sees that it is there. Newlines and tabs are kept: messages and listings
are laid out with them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

# C0 controls except TAB and LF, DEL, C1 controls, and the bidi embeddings,
# overrides and isolates (the "Trojan Source" characters). LRM/RLM/ALM only
# mark direction and cannot reorder other text, so they stay.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    """``text`` with every control character that could act on a terminal made visible."""
    return _UNSAFE.sub(_visible, text)


def one_line(text: str) -> str:
    """:func:`terminal_safe`, with newlines and tabs shown as ``\\n`` and ``\\t`` too.

    For a value inside a line (a name in a table cell or a message): a newline in
    a transcript name must not start a line of its own.
    """
    return terminal_safe(text).replace("\n", "\\n").replace("\t", "\\t")


# Characters that show nothing: zero-width space and joiners, direction marks, overrides
# and isolates, word joiner, BOM. Text pasted from Word, Teams or a web page carries them
# where a reader sees none (a speaker label, a quoted phrase); matching skips them.
INVISIBLE = "[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"

_CONTROL_IN_NAME = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def control_in_name(name: str) -> str | None:
    """The first control character in a file or folder name, shown visibly (``\\n``), or None.

    Newlines and tabs count too: in a name they are a slip (a pasted line), and make
    a file that listings and messages cannot show on one line.
    """
    found = _CONTROL_IN_NAME.search(name)
    return one_line(found.group()) if found else None


# Control characters (C0, DEL, C1), the invisible ones, and the Arabic letter mark and the
# line and paragraph separators: none belongs in a name shown in tables and lists.
_NOT_IN_NAMES = re.compile(f"(?:{_CONTROL_IN_NAME.pattern}|{INVISIBLE}|[\u061c\u2028\u2029])+")


def nfc(text: str) -> str:
    """``text`` in Unicode NFC, the form stored texts and names are kept in: 'é' typed as e and
    a combining accent (macOS file names, text pasted from some PDFs) is the same 'é'."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def normal_name(raw: str) -> str:
    """A name (transcript, coder) as it is stored and looked up: NFC, runs of control, invisible
    and white-space characters one space, the ends trimmed; empty if nothing is left. Two
    names that look the same are then the same name."""
    return nfc(" ".join(_NOT_IN_NAMES.sub(" ", raw).split()))


# The longest coder's name: a person's names, with room to spare. A name is stored with each of
# its coder's codings: a 10 MB <User> name in a .qdpx made a 200 MB database of the sample's codings.
CODER_NAME_LIMIT = 200


def coder_name(raw: str, *, where: str = "", what: str = "give a shorter name (e.g. a first name and surname)") -> str:
    """A coder's name as it is stored (:func:`normal_name`); CODER_NAME_TOO_LONG (``where``:
    whence it came, ``what``: what to do there) for one longer than :data:`CODER_NAME_LIMIT`."""
    from .errors import CODER_NAME_TOO_LONG, error

    name = normal_name(raw)
    if len(name) > CODER_NAME_LIMIT:
        raise error(
            CODER_NAME_TOO_LONG, where=where, start=one_line(name[:40]), length=len(name), limit=CODER_NAME_LIMIT, what=what
        )
    return name


def first_of(items: Sequence[str], limit: int, sep: str = ", ") -> str:
    """The first ``limit`` of ``items`` joined, and how many more: ``a, b, c and 4 more``
    (what a message shows of a long list)."""
    shown = sep.join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")
