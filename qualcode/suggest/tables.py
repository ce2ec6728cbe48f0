"""The Dutch lemma lookup table of ``spacy-lookups-data`` in a compact form.

spaCy's own :class:`spacy.lookups.Table` keeps the 212,945 entries of ``lemma_lookup``
as an ``OrderedDict`` of 64-bit string hashes to ``str`` lemmas: 44 MB of Python
objects in every `qualcode suggest` process, and twice that while it is built. A
:class:`LemmaTable` holds the same entries as numpy arrays (the sorted key hashes,
each lemma's place in one string of the distinct lemmas): under 6 MB, built in half
the time of the ``Table`` (0.27 s against 0.55-0.64 s: the same JSON read, no ordered
dict, no Bloom filter).

Look-ups are the ``Table``'s to the letter: a key is hashed with spaCy's
``get_string_id`` and found by its hash alone, as ``Table.get`` finds it (so a key
with the hash of a table entry gives that entry's lemma, in both). The table is read
once per word a process meets (the lemmatizer and :class:`.dutch.DutchForms` remember
what they found), so a numpy search instead of a dict's hash probe costs nothing that
shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class LemmaTable:
    """Form -> lemma, as spaCy's ``Table`` of the same entries answers it (see the module)."""

    __slots__ = ("_hash", "_uint64", "_keys", "_starts", "_stops", "_lemmas", "_size")

    def __init__(self, entries: Mapping[str, str]) -> None:
        import numpy
        from spacy.strings import get_string_id

        # Each distinct lemma once, in one string; an entry points at its lemma's slice.
        places: dict[str, int] = {}
        pieces: list[str] = []
        size = 0
        for lemma in entries.values():
            if lemma not in places:
                places[lemma] = size
                pieces.append(lemma)
                size += len(lemma)
        keys = numpy.fromiter(map(get_string_id, entries), dtype="uint64", count=len(entries))
        starts = numpy.fromiter(map(places.__getitem__, entries.values()), dtype="int32", count=len(entries))
        stops = starts + numpy.fromiter(map(len, entries.values()), dtype="int32", count=len(entries))
        order = keys.argsort(kind="stable")
        keys = keys[order]
        # Two keys with one hash: the Table keeps the value set last (the later one in
        # stable order), and so does this.
        last = numpy.append(keys[1:] != keys[:-1], True) if len(keys) else numpy.zeros(0, dtype=bool)
        order = order[last]
        self._keys = keys[last]
        self._starts, self._stops = starts[order], stops[order]
        self._lemmas = "".join(pieces)
        self._hash = get_string_id
        self._uint64 = numpy.uint64  # searched as a Python int, the hash would be a float64 (and 200x slower)
        self._size = len(self._keys)

    def __len__(self) -> int:
        return self._size

    def get(self, key: str, default: Any = None) -> Any:
        """The lemma of ``key``, else ``default`` (``Table.get``)."""
        wanted = self._uint64(self._hash(key))
        at = int(self._keys.searchsorted(wanted))
        if at == self._size or self._keys[at] != wanted:
            return default
        return self._lemmas[self._starts[at] : self._stops[at]]


def lemma_table() -> LemmaTable:
    """The ``lemma_lookup`` table of spacy-lookups-data for Dutch, compact.

    Raises ValueError (no Dutch tables) or ImportError, as ``spacy.lookups.load_lookups`` does.
    """
    return LemmaTable(language_data("lemma_lookup"))


def language_data(name: str) -> Any:
    """One of spacy-lookups-data's Dutch tables as its JSON holds it (dict or list), as
    ``spacy.lookups.load_lookups`` reads it, without making a ``Table`` of it."""
    from spacy.util import load_language_data, registry

    if "nl" not in registry.lookups:
        raise ValueError(f"no lookup tables for Dutch (table {name!r}): is spacy-lookups-data installed?")
    data = registry.lookups.get("nl")
    if name not in data:
        raise ValueError(f"spacy-lookups-data has no Dutch table {name!r}")
    return load_language_data(data[name])
