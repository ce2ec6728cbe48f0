"""How values are put in front of people, shared by the CLI and the TUI: shortened text, percentages."""

from __future__ import annotations

DASH = "–"  # a value that does not exist (no codings to take a share of)


def shorten(text: str, width: int = 60, *, count: bool = False) -> str:
    """``text`` on one line (runs of whitespace as one space), cut to ``width`` with an ellipsis.

    With ``count`` a cut value says how long it was (``… (5,000 characters)``), for a
    value quoted in an error message.
    """
    if len(text) <= width and text.isprintable() and "  " not in text:  # the usual short cell: as it is
        return text
    head = " ".join(text[: width * 4].split())  # a 6,000-character memo: only its start matters
    if len(head) <= width and len(text) <= width * 4:
        return head
    cut = head[: width - 1] + "…"
    return f"{cut} ({len(text):,} characters)" if count else cut


def percent(value: float | None, digits: int = 0) -> str:
    """``0.25`` as ``25%``; ``None`` (nothing to take a share of) as a dash."""
    return DASH if value is None else f"{value:.{digits}%}"
