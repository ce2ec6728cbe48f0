"""qualcode ids for codes that come from other tools: slugs from names, unique, stable.

The rule: the id the code had before (found by GUID in the project's codebook),
else the id kept in its description by a qualcode export (``[qualcode id=...]``),
else the slug of its name (lower case, accents dropped, other characters to ``_``).
A slug already taken gets the parent's slug in front (``cs_as_programming_programming``),
then a number. Ids claimed by GUID or description are handed out first, so the same
file always gives the same ids.
"""

from __future__ import annotations

from ..codebook import ID_RE, slugify

__all__ = ["ID_RE", "IdAllocator", "slugify"]


class IdAllocator:
    """Hands out unique ids; ``taken`` are ids that may not be handed out again."""

    def __init__(self, taken: set[str] | None = None) -> None:
        self.taken: set[str] = set(taken or ())

    def claim(self, wanted: str) -> bool:
        """Take exactly ``wanted`` if it is a valid, free id."""
        if not ID_RE.match(wanted) or wanted in self.taken:
            return False
        self.taken.add(wanted)
        return True

    def allocate(self, name: str, parent_id: str | None = None) -> str:
        base = slugify(name)
        candidates = [base]
        if parent_id:
            candidates.append(f"{parent_id}_{base}"[:80])
        for candidate in candidates:
            if self.claim(candidate):
                return candidate
        n = 2
        while not self.claim(f"{base}_{n}"):
            n += 1
        return f"{base}_{n}"
