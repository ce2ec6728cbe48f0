"""REFI-QDA GUIDs: recognise, compare and derive them.

Tools write GUIDs in upper case (ATLAS.ti, MAXQDA), lower case (NVivo) or in braces
(the spec's own example), so GUIDs are compared by :func:`guid_key`. GUIDs that
qualcode invents are name-based (UUID 5) from what they identify, so exporting the
same project twice gives the same GUIDs and other tools recognise what they saw before.
"""

from __future__ import annotations

import re
import uuid

# The codebook's namespace, so a code's derived GUID equals Code.stable_guid.
from ..codebook import GUID_NAMESPACE

GUID_RE = re.compile(r"^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$")


def is_guid(value: str | None) -> bool:
    """True for a GUID as REFI-QDA writes it (braces allowed)."""
    return bool(value) and GUID_RE.match(value.strip()) is not None


def guid_key(value: str) -> str:
    """The form GUIDs are compared in: lower case, no braces, no spaces."""
    return value.strip().strip("{}").lower()


def clean_guid(value: str) -> str:
    """A GUID as qualcode writes it: without braces, case kept."""
    return value.strip().strip("{}")


def derived_guid(kind: str, *parts: object) -> str:
    """A stable GUID for something qualcode exports (a user, a selection, a note ...)."""
    return str(uuid.uuid5(GUID_NAMESPACE, "\x1f".join([kind, *map(str, parts)])))
