"""The codes an analysis reports on: the codebook tree plus codes that left it.

A coding of a code that is no longer in the codebook is kept by the store (the code
row stays with ``in_codebook = 0``). Analyses must not drop such codings, and must
not guess where they belonged either: they are reported under one synthetic
top-level node, :data:`MISSING`, with the path ``(missing)/<code id>``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..codebook import Codebook
from ..store import Store

MISSING = "(missing)"
MISSING_NAME = "(missing from the codebook)"


@dataclass(frozen=True, slots=True)
class CodeEntry:
    """What a table needs to show one code."""

    id: str
    name: str
    path: str  # parent/child ids from the top; "(missing)/<id>" for codes not in the codebook
    depth: int  # 0 for top-level codes
    missing: bool = False  # not in the codebook (or the synthetic MISSING node itself)


class CodeHierarchy:
    """Codes in display order with, for each code, the codes a coding of it counts for.

    ``rollup[code_id]`` is the code itself followed by its ancestors: a coding of
    ``rolverwachtingen_professional`` counts for that code and for
    ``rolverwachtingen``. Codes missing from the codebook roll up into ``MISSING``.
    """

    def __init__(self, codes: list[CodeEntry], rollup: dict[str, tuple[str, ...]]) -> None:
        self.codes = codes
        self.rollup = rollup
        self.by_id = {c.id: c for c in codes}

    @classmethod
    def build(cls, codebook: Codebook, store: Store, *, missing_ids: Iterable[str] | None = None) -> CodeHierarchy:
        """The codebook's codes (file order) then, if any, the missing codes that have codings."""
        codes: list[CodeEntry] = []
        rollup: dict[str, tuple[str, ...]] = {}
        for code in codebook.walk():
            codes.append(CodeEntry(code.id, code.name, codebook.path_of(code.id), codebook.depth(code.id)))
            rollup[code.id] = (code.id, *(a.id for a in codebook.ancestors(code.id)))
        if missing_ids is None:
            missing_ids = missing_codes_with_codings(store, codebook)
        missing = sorted(set(missing_ids) - set(rollup))
        if missing:
            names = {row.id: row.name for row in store.codes.list(include_missing=True)}
            codes.append(CodeEntry(MISSING, MISSING_NAME, MISSING, 0, missing=True))
            for code_id in missing:
                codes.append(CodeEntry(code_id, names.get(code_id, code_id), f"{MISSING}/{code_id}", 1, missing=True))
                rollup[code_id] = (code_id, MISSING)
        return cls(codes, rollup)

    def restrict(self, code_ids: Iterable[str]) -> CodeHierarchy:
        """The same tree showing only ``code_ids`` (roll-up unchanged)."""
        keep = set(code_ids)
        return CodeHierarchy([c for c in self.codes if c.id in keep], self.rollup)

    def ids(self) -> list[str]:
        return [c.id for c in self.codes]


def missing_codes_with_codings(store: Store, codebook: Codebook) -> list[str]:
    """Ids of codes that have codings but are not in the codebook."""
    return [code_id for code_id in store.codings.code_ids() if code_id not in codebook]
