"""Dates between qualcode's store and REFI-QDA files.

The store keeps ISO 8601 with an offset (``2024-05-01T10:00:00+00:00``); REFI-QDA
files hold ``xsd:dateTime``, which real tools write in UTC with a ``Z``
(``2024-05-01T10:00:00Z``). Both directions go through UTC, so a date survives a round
trip unchanged; a value that is not a date is left out rather than guessed.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import lru_cache

_STORE_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")


def _parse(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:  # no offset: REFI-QDA files mean UTC (and so does the store)
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def to_xsd(value: str | None) -> str | None:
    """A stored date as ``xsd:dateTime`` in UTC, or None."""
    if value and _STORE_UTC.fullmatch(value):
        return value[:19] + "Z"  # the store's own UTC format (every coding's date: the fast path)
    moment = _parse(value)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


@lru_cache(maxsize=1024)  # an import reads a date per coding; a session's codings share many
def from_xsd(value: str | None) -> str | None:
    """A file's ``xsd:dateTime`` as the store writes dates, or None."""
    moment = _parse(value)
    return moment.isoformat(timespec="seconds") if moment else None
