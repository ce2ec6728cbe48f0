"""Writing REFI-QDA XML incrementally, with only characters XML 1.0 can hold.

Why not ``xml.etree``: a project at study scale (1,000 interviews, 200,000 codings)
would be held as a tree, then as its serialised copy; here each element goes to the
output stream as soon as it is known, so memory stays flat. Why not
``xml.sax.saxutils.XMLGenerator``: it cannot write comments (qualcode keeps a code's
id and key in one, where other tools do not show it) nor indent.

XML 1.0 cannot carry most control characters (``\\x01``, ``\\x0b``, ``\\x1b`` ...),
lone surrogates or U+FFFE/U+FFFF, not even escaped; a file holding one is not XML
and no tool (qualcode included) can read it. They are left out, and ``on_strip``
is told where (so the export can say which memo or name lost what). Carriage
returns are written as ``&#13;`` so a reader gets them back instead of a newline.

The layout is one element per line, indented by two spaces per level, as
``ElementTree.indent`` writes it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Protocol

# Everything XML 1.0 §2.2 does not allow as a character.
_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_TEXT_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
_ATTR_ESCAPES = {**_TEXT_ESCAPES, '"': "&quot;", "\n": "&#10;", "\t": "&#09;"}
_TEXT_RE = re.compile("[&<>\r]")
_ATTR_RE = re.compile('[&<>\r"\n\t]')
# Anything an attribute value needs done to it (most values -- GUIDs, numbers, dates -- need nothing).
_ATTR_WORK = re.compile(f"{_ATTR_RE.pattern}|{_FORBIDDEN.pattern}")

Strip = Callable[[str, int], None]  # (where, how many characters were left out)
_SHOWN_STRIPS = 8


class StripTally:
    """What a writer left out, per place (an ``on_strip``), and the warning that says so."""

    def __init__(self) -> None:
        self.strips: dict[str, int] = {}

    def __call__(self, where: str, count: int) -> None:
        self.strips[where] = self.strips.get(where, 0) + count

    def warnings(self) -> list[str]:
        if not self.strips:
            return []
        shown = [f"{where} ({n})" for where, n in list(self.strips.items())[:_SHOWN_STRIPS]]
        more = len(self.strips) - _SHOWN_STRIPS
        return [
            "characters XML 1.0 cannot hold (control characters such as ESC) were left out of: "
            + "; ".join(shown)
            + (f"; and {more} more" if more > 0 else "")
        ]


class Sink(Protocol):
    """Where the XML's bytes go: a binary file, or an archive's entry."""

    def write(self, data: bytes, /) -> object: ...


def xml_safe(value: str) -> tuple[str, int]:
    """``value`` without the characters XML 1.0 cannot hold, and how many there were."""
    cleaned, count = _FORBIDDEN.subn("", value)
    return cleaned, count


def _escape(value: str, pattern: re.Pattern[str], table: dict[str, str]) -> str:
    return pattern.sub(lambda m: table[m.group()], value)


class XmlWriter:
    """Writes one XML document to a binary stream, element by element.

    ``where`` (given with every piece of text) names what the text belongs to, for
    ``on_strip``; without ``on_strip`` forbidden characters are dropped silently.
    """

    def __init__(self, stream: Sink, *, on_strip: Strip | None = None, buffer: int = 1 << 16) -> None:
        self._stream = stream
        self._on_strip = on_strip
        self._parts: list[bytes] = []  # encoded as written: the hot loop hands over bytes (see raw)
        self._size = 0
        self._buffer = buffer
        self._open: list[str] = []
        self._indents: list[str] = [""]
        self._pending: str | None = None  # a start tag not yet closed with '>' (it may stay empty)
        self._write('<?xml version="1.0" encoding="utf-8"?>\n')

    # --- output --------------------------------------------------------------------------------

    def _write(self, text: str) -> None:
        self._add(text.encode("utf-8"))

    def _add(self, data: bytes) -> None:
        self._parts.append(data)
        self._size += len(data)
        if self._size >= self._buffer:
            self.flush()

    def flush(self) -> None:
        """Hand what is buffered to the stream."""
        if self._parts:
            self._stream.write(b"".join(self._parts))
            self._parts.clear()
            self._size = 0

    def _clean(self, value: str, where: str | None) -> str:
        if _FORBIDDEN.search(value) is None:
            return value
        cleaned, count = xml_safe(value)
        if self._on_strip is not None and where is not None:
            self._on_strip(where, count)
        return cleaned

    def _close_pending(self, newline: bool) -> None:
        if self._pending is not None:
            self._write(">\n" if newline else ">")
            self._pending = None

    def _attrs(self, attrs: dict[str, str | None], where: str | None) -> str:
        out = []
        for name, value in attrs.items():
            if value is None:
                continue
            out.append(f' {name}="{self.attr_value(value, where)}"')
        return "".join(out)

    # --- pre-formatted output, for hot loops -------------------------------------------------------

    def attr_value(self, value: str, where: str | None = None) -> str:
        """``value`` as it goes between an attribute's quotes (escaped, XML-safe)."""
        # Printable text (no controls, surrogates or non-characters: nothing XML forbids)
        # without markup characters needs nothing; checked in C, a quarter of the regex's time.
        if value.isprintable() and "&" not in value and "<" not in value and ">" not in value and '"' not in value:
            return value
        if _ATTR_WORK.search(value) is None:
            return value
        return _escape(self._clean(value, where), _ATTR_RE, _ATTR_ESCAPES)

    def text_value(self, value: str, where: str | None = None) -> str:
        """``value`` as it goes between an element's tags (escaped, XML-safe)."""
        return _escape(self._clean(value, where), _TEXT_RE, _TEXT_ESCAPES)

    @property
    def depth(self) -> int:
        """How many elements are open: the level of an element written next."""
        return len(self._open)

    def raw(self, data: bytes) -> None:
        """Whole lines the caller formatted at :attr:`depth` with :meth:`attr_value`/:meth:`text_value`, UTF-8.

        For the many small elements of an export (one selection per coding): one
        f-string per element is a fraction of the cost of :meth:`start`/:meth:`leaf`.
        """
        if data:  # nothing leaves an element without children as it is (written ``<Tag />``)
            self._close_pending(newline=True)
            self._add(data)

    # --- elements -------------------------------------------------------------------------------

    def _indent(self) -> str:
        depth = len(self._open)
        while len(self._indents) <= depth:
            self._indents.append("  " * len(self._indents))
        return self._indents[depth]

    def start(self, tag: str, attrs: dict[str, str | None] | None = None, *, where: str | None = None) -> None:
        """Open an element (children follow; close it with :meth:`end`)."""
        self._close_pending(newline=True)
        self._write(f"{self._indent()}<{tag}{self._attrs(attrs or {}, where)}")
        self._pending = tag
        self._open.append(tag)

    def end(self, tag: str) -> None:
        """Close the innermost element, which must be ``tag``."""
        opened = self._open.pop()
        if opened != tag:  # pragma: no cover - a bug in the caller
            raise ValueError(f"closing <{tag}> while <{opened}> is open")
        if self._pending is not None:
            self._write(" />\n")
            self._pending = None
        else:
            self._write(f"{self._indent()}</{tag}>\n")

    def leaf(
        self, tag: str, attrs: dict[str, str | None] | None = None, text: str | None = None, *, where: str | None = None
    ) -> None:
        """A whole element: attributes and text, no children."""
        self._close_pending(newline=True)
        head = f"{self._indent()}<{tag}{self._attrs(attrs or {}, where)}"
        if text:
            body = _escape(self._clean(text, where), _TEXT_RE, _TEXT_ESCAPES)
            self._write(f"{head}>{body}</{tag}>\n")
        else:
            self._write(f"{head} />\n")

    def comment(self, text: str) -> None:
        """``<!-- text -->`` on its own line (the caller keeps '--' out of ``text``)."""
        if "--" in text or text.endswith("-"):  # pragma: no cover - a bug in the caller
            raise ValueError("an XML comment cannot hold '--'")
        self._close_pending(newline=True)
        self._write(f"{self._indent()}<!--{self._clean(text, None)}-->\n")

    def close(self) -> None:
        """Check every element is closed and flush."""
        if self._open:  # pragma: no cover - a bug in the caller
            raise ValueError(f"<{self._open[-1]}> is still open")
        self.flush()
