"""REFI-QDA GUIDs: recognise, compare and derive them.

Tools write GUIDs in upper case (ATLAS.ti, MAXQDA), lower case (NVivo) or in braces
(the spec's own example), so GUIDs are compared by :func:`guid_key`. GUIDs that
qualcode invents are name-based (UUID 5) from what they identify, so exporting the
same project twice gives the same GUIDs and other tools recognise what they saw before.
"""

from __future__ import annotations

import hashlib

# The codebook's namespace, so a code's derived GUID equals Code.stable_guid; its GUID pattern.
from ..codebook import GUID_NAMESPACE, GUID_RE

_NAMESPACE_BYTES = GUID_NAMESPACE.bytes


def is_guid(value: str | None) -> bool:
    """True for a GUID as REFI-QDA writes it (braces allowed)."""
    return value is not None and GUID_RE.match(value.strip()) is not None


def guid_key(value: str) -> str:
    """The form GUIDs are compared in: lower case, no braces, no spaces."""
    return value.strip().strip("{}").lower()


def guid_number(value: str) -> int:
    """A GUID (one :func:`is_guid` accepts) as a number, equal where :func:`guid_key` is equal:
    half the memory of the key, for sets of many GUIDs (every selection of a large project)."""
    return int(guid_key(value).replace("-", ""), 16)


def clean_guid(value: str) -> str:
    """A GUID as qualcode writes it: without braces, case kept."""
    return value.strip().strip("{}")


def derived_guid(kind: str, *parts: object) -> str:
    """A stable GUID for something qualcode exports (a user, a selection, a note ...).

    This is ``uuid.uuid5(GUID_NAMESPACE, name)`` computed directly: an export derives
    two per coding, and the ``UUID`` object costs three times the hash.
    """
    return key_guid("\x1f".join([kind, *map(str, parts)]))


# The RFC 4122 variant in the 17th hex digit: its two high bits become 10.
_VARIANT = {f"{d:x}": f"{(d & 0x3) | 0x8:x}" for d in range(16)}


def key_guid(key: str) -> str:
    """:func:`derived_guid` of a key already joined as it joins one (kind and parts, ``\\x1f`` between).

    For loops that derive several GUIDs from the same parts: the parts are joined once.
    """
    return hex_guid(hashlib.sha1(_NAMESPACE_BYTES + key.encode("utf-8")).hexdigest())


def key_prefix(kind: str, *parts: object) -> bytes:
    """What is hashed before the remaining parts of a key that starts with ``kind`` and ``parts``.

    ``hex_guid(sha1(key_prefix(kind, a) + "b\\x1fc".encode()).hexdigest())`` is
    ``derived_guid(kind, a, b, c)``: a loop over many keys that share their first parts
    (an export's codings of one source) joins and encodes those once.
    """
    return _NAMESPACE_BYTES + "\x1f".join([kind, *map(str, parts), ""]).encode("utf-8")


def hex_guid(h: str) -> str:
    """A UUID 5 from the SHA-1 hex digest of its namespace and name."""
    # Version 5 in the 13th hex digit, the variant in the 17th; the rest as hashed.
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"
