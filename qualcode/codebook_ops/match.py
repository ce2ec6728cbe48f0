"""Pairing the codes of two codebooks: by GUID first, then by id.

A code keeps its GUID when its id is changed with ``qualcode codebook rename`` (the
GUID is pinned in the YAML) and when it travels through another tool, so the same
GUID means the same code. Codes without a ``guid:`` have one derived from their id,
so for them "same GUID" and "same id" coincide. Left-overs with the same id are paired
last (e.g. a code that got an explicit GUID from an import on one side only). With
``by_name``, left-overs are then paired by name (case aside) where each side has one code of
that name: ``merge`` places a .qdpx's codings that way when another tool (QualCoder) gave its
codes new GUIDs and dropped our ids.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..codebook import Code, Codebook
from ..refi.guids import guid_key


@dataclass(slots=True)
class Pairing:
    """Codes of two codebooks paired up, and those only one of them has."""

    pairs: list[tuple[Code, Code]] = field(default_factory=list)
    only_a: list[Code] = field(default_factory=list)
    only_b: list[Code] = field(default_factory=list)
    named: set[str] = field(default_factory=set)  # A's ids paired by name (``by_name``)

    def b_of(self) -> dict[str, Code]:
        """A's id -> the paired code of B."""
        return {a.id: b for a, b in self.pairs}

    def a_of(self) -> dict[str, Code]:
        return {b.id: a for a, b in self.pairs}


def pair_codes(a: Codebook, b: Codebook, *, by_name: bool = False) -> Pairing:
    """Which code of ``a`` is which code of ``b`` (every code at most once)."""
    b_codes = list(b.walk())
    b_by_guid = {guid_key(c.stable_guid): c for c in b_codes}
    b_by_id = {c.id: c for c in b_codes}
    taken: set[int] = set()
    pairs: dict[int, tuple[Code, Code]] = {}
    a_codes = list(a.walk())
    for code in a_codes:
        other = b_by_guid.get(guid_key(code.stable_guid))
        if other is not None and id(other) not in taken:
            pairs[id(code)] = (code, other)
            taken.add(id(other))
    for code in a_codes:
        if id(code) in pairs:
            continue
        other = b_by_id.get(code.id)
        if other is not None and id(other) not in taken:
            pairs[id(code)] = (code, other)
            taken.add(id(other))
    named: set[str] = set()
    if by_name:
        b_by_name = unique_names(b_codes)
        for key, code in unique_names(a_codes).items():
            other = b_by_name.get(key)
            if id(code) not in pairs and other is not None and id(other) not in taken:
                pairs[id(code)] = (code, other)
                taken.add(id(other))
                named.add(code.id)
    return Pairing(
        pairs=[pairs[id(c)] for c in a_codes if id(c) in pairs],
        only_a=[c for c in a_codes if id(c) not in pairs],
        only_b=[c for c in b_codes if id(c) not in taken],
        named=named,
    )


def unique_names(codes: list[Code]) -> dict[str, Code]:
    """Name (case aside) -> the code, for the names only one of ``codes`` has."""
    count = Counter(c.name.casefold() for c in codes)
    return {c.name.casefold(): c for c in codes if count[c.name.casefold()] == 1}
