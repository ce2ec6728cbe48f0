"""Merging two codebooks into one; what the files disagree on is reported, never guessed.

Codes are paired as in :mod:`.match`. For each field of a paired code (id, name,
parent, definition, criteria, examples, colour, key, codability, hints, GUID):

* the same on both sides: kept;
* with ``base`` (the version both files started from): the side that changed it wins;
  both changed it differently: a conflict;
* without a base: a value only one side has (the other is empty) is taken; two
  different values are a conflict.

A code only one side has is kept (without a base nobody can tell an addition from a
deletion, and keeping loses nothing); with a base, a code one side deleted and the
other left as it was is dropped, and one the other side changed is a conflict.
Shortcut keys and ids must stay unique, and a parent change may not make a loop.
Code sets are joined by name. The caller writes the result only if there are no
conflicts; :func:`merged_text` gives it as YAML: the first YAML input edited in place,
so its comments and layout stay and the diff shows only what the merge changed.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from ..codebook import Code, Codebook, CodeSet, Hints, dump_codebook, read_codebook_text
from ..refi.files import CodebookFile
from .inplace import edit_to_match
from .match import pair_codes

CODE_FIELDS = (
    "id",
    "name",
    "parent",
    "description",
    "include",
    "exclude",
    "examples",
    "color",
    "key",
    "codable",
    "hints",
    "guid",
)
BOOK_FIELDS = ("title", "version", "language", "licence", "description", "guid")

Key = tuple[str, str]  # identity of a code in the result: ("p"|"a"|"b", id on that side)


@dataclass(slots=True)
class Conflict:
    """Something the two files say differently (merged output keeps the first file's)."""

    what: str
    a: str
    b: str

    def __str__(self) -> str:
        return f"{self.what}: '{self.a}' in the first file, '{self.b}' in the second"


@dataclass(slots=True)
class CodebookMergeResult:
    """The merged codebook, its conflicts and notes on what was kept or dropped."""

    book: Codebook
    conflicts: list[Conflict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class _Side:
    """One input: its codes by result key, and each code's fields as plain values."""

    def __init__(self, source: CodebookFile, keys: dict[str, Key]) -> None:
        self.book = source.book
        self.explicit = source.explicit_colors
        self.keys = keys  # this side's id -> result key

    def fields(self, code: Code) -> dict[str, object]:
        out: dict[str, object] = {name: copy.deepcopy(getattr(code, name)) for name in CODE_FIELDS if name != "parent"}
        out["parent"] = self.keys.get(code.parent_id) if code.parent_id else None
        if code.id not in self.explicit:
            out["color"] = None  # the palette's colour, not a choice made in this file
        out["hints"] = (code.hints.keywords, code.hints.lemmas, code.hints.patterns)
        return out


def merge_codebooks(a: CodebookFile, b: CodebookFile, base: CodebookFile | None = None) -> CodebookMergeResult:
    """Merge ``b`` into ``a`` (see the module docstring)."""
    pairing = pair_codes(a.book, b.book)
    a_keys: dict[str, Key] = {}
    b_keys: dict[str, Key] = {}
    for ca, cb in pairing.pairs:
        a_keys[ca.id] = b_keys[cb.id] = ("p", ca.id)
    for code in pairing.only_a:
        a_keys[code.id] = ("a", code.id)
    for code in pairing.only_b:
        b_keys[code.id] = ("b", code.id)
    side_a, side_b = _Side(a, a_keys), _Side(b, b_keys)
    base_fields: dict[Key, dict[str, object]] = {}
    if base is not None:
        base_keys: dict[str, Key] = {}
        for which, source in (("a", a), ("b", b)):
            for cbase, cother in pair_codes(base.book, source.book).pairs:
                base_keys.setdefault(cbase.id, (a_keys if which == "a" else b_keys)[cother.id])
        side_base = _Side(base, base_keys)
        for code in base.book.walk():
            if code.id in base_keys:
                base_fields[base_keys[code.id]] = side_base.fields(code)

    result = CodebookMergeResult(book=Codebook(title=""))
    merged: dict[Key, dict[str, object]] = {}
    order: list[Key] = []
    for ca, cb in pairing.pairs:
        key = a_keys[ca.id]
        merged[key] = _merge_fields(f"code '{ca.id}'", side_a.fields(ca), side_b.fields(cb), base_fields.get(key), result)
    for side, only, other in ((side_a, pairing.only_a, "second"), (side_b, pairing.only_b, "first")):
        for code in only:
            key = side.keys[code.id]
            fields = side.fields(code)
            before = base_fields.get(key)
            if before is None:
                merged[key] = fields
                if base is None:
                    result.notes.append(
                        f"code '{code.id}' is only in the {'first' if other == 'second' else 'second'} file; kept"
                    )
            elif _same(fields, before):
                result.notes.append(f"code '{code.id}' was deleted in the {other} file; dropped")
            else:
                result.conflicts.append(
                    Conflict(
                        f"code '{code.id}'",
                        "changed" if side is side_a else "deleted",
                        "deleted" if side is side_a else "changed",
                    )
                )
                merged[key] = fields
    for code in a.book.walk():
        if a_keys[code.id] in merged:
            order.append(a_keys[code.id])
    for code in b.book.walk():
        if b_keys[code.id] not in order and b_keys[code.id] in merged:
            order.append(b_keys[code.id])

    _check_unique(merged, order, "id", result)
    _check_unique(merged, order, "key", result)
    parents = _parents(merged, order, a_keys, result)
    result.book = _assemble(a, b, merged, order, parents, base, result)
    renames = [{i: cast(str, merged[k]["id"]) for i, k in keys.items() if k in merged} for keys in (a_keys, b_keys)]
    ids = {c.id for c in result.book.walk()}
    result.book.sets = _merge_sets(a.book, b.book, renames, ids, result)
    return result


def _merge_fields(what, fa, fb, fbase, result: CodebookMergeResult) -> dict[str, object]:
    out = {}
    for name in CODE_FIELDS:
        va, vb = fa[name], fb[name]
        if va == vb:
            out[name] = va
        elif fbase is not None and va == fbase[name]:
            out[name] = vb
        elif fbase is not None and vb == fbase[name]:
            out[name] = va
        elif fbase is None and _empty(va):
            out[name] = vb
        elif fbase is None and _empty(vb):
            out[name] = va
        else:
            result.conflicts.append(Conflict(f"{what} {name}", _show(va), _show(vb)))
            out[name] = va
    return out


def _empty(value: object) -> bool:
    if isinstance(value, tuple):  # hints
        return not any(value)
    return value is None or value == "" or value == []


def _same(fields: dict[str, object], before: dict[str, object]) -> bool:
    return all(fields[name] == before[name] for name in CODE_FIELDS)


def _show(value: object) -> str:
    if isinstance(value, tuple) and len(value) == 2 and value[0] in ("p", "a", "b"):
        return value[1]  # a parent key
    if isinstance(value, list):
        value = "; ".join(map(str, value))
    if isinstance(value, tuple):
        value = "hints " + "; ".join(", ".join(map(str, part)) for part in value if part)
    text = " ".join(str(value if value is not None else "").split())
    return text if len(text) <= 70 else text[:69] + "…"


def _check_unique(merged, order, name: str, result: CodebookMergeResult) -> None:
    seen: dict[object, Key] = {}
    for key in order:
        value = merged[key][name]
        if value in (None, ""):
            continue
        if value in seen:
            first = merged[seen[value]]["id"]
            result.conflicts.append(
                Conflict(
                    f"{'id' if name == 'id' else 'shortcut key'} '{value}'", f"code '{first}'", f"code '{merged[key]['id']}'"
                )
            )
            if name == "key":
                merged[key]["key"] = None
        else:
            seen[value] = key


def _parents(merged, order, a_keys, result: CodebookMergeResult) -> dict[Key, Key | None]:
    """Each code's parent in the result; a merged parent that would make a loop is a conflict."""
    parents = {key: merged[key]["parent"] for key in order}
    for key in order:
        if parents[key] is not None and parents[key] not in merged:
            parents[key] = None  # its parent was dropped: it moves up to the top
            result.notes.append(f"code '{merged[key]['id']}' lost its parent; placed at the top")
    for key in order:
        seen = {key}
        parent = parents[key]
        while parent is not None:
            if parent in seen:
                result.conflicts.append(Conflict(f"code '{merged[key]['id']}' parent", "a loop", "of codes inside each other"))
                parents[key] = None
                break
            seen.add(parent)
            parent = parents.get(parent)
    return parents


def _assemble(a: CodebookFile, b: CodebookFile, merged, order, parents, base, result: CodebookMergeResult) -> Codebook:
    codes: dict[Key, Code] = {}
    for key in order:
        f = merged[key]
        keywords, lemmas, patterns = f["hints"]
        codes[key] = Code(
            id=f["id"],
            name=f["name"],
            description=f["description"],
            include=list(f["include"]),
            exclude=list(f["exclude"]),
            examples=list(f["examples"]),
            color=f["color"],
            key=f["key"],
            codable=f["codable"],
            guid=f["guid"],
            hints=Hints(list(keywords), list(lemmas), list(patterns)),
        )
    roots: list[Code] = []
    for key in order:
        parent = parents[key]
        (codes[parent].children if parent is not None else roots).append(codes[key])
    fields = {}
    for name in BOOK_FIELDS:
        va, vb = getattr(a.book, name), getattr(b.book, name)
        vbase = getattr(base.book, name) if base is not None else None
        if va == vb or (base is not None and vb == vbase) or (base is None and not vb):
            fields[name] = va
        elif (base is not None and va == vbase) or (base is None and not va):
            fields[name] = vb
        else:
            result.conflicts.append(Conflict(f"codebook {name}", _show(va), _show(vb)))
            fields[name] = va
    authors = list(dict.fromkeys([*a.book.authors, *b.book.authors]))
    book = Codebook(codes=roots, authors=authors, **fields)
    for key in order:  # Codebook() filled in palette colours; keep "no colour" where neither file chose one
        if merged[key]["color"] is None:
            codes[key].color = None
    return book


def _merge_sets(
    a: Codebook, b: Codebook, renames: list[dict[str, str]], ids: set[str], result: CodebookMergeResult
) -> list[CodeSet]:
    """Sets joined by name; members follow their codes' ids in the result."""
    out: dict[str, CodeSet] = {}
    for rename, code_set in [*((renames[0], s) for s in a.sets), *((renames[1], s) for s in b.sets)]:
        members = [rename.get(m, m) for m in code_set.codes]
        members = [m for m in members if m in ids]
        if code_set.name not in out:
            out[code_set.name] = CodeSet(code_set.name, list(dict.fromkeys(members)), code_set.description, code_set.guid)
            continue
        kept = out[code_set.name]
        kept.codes = list(dict.fromkeys([*kept.codes, *members]))
        if code_set.description and kept.description and code_set.description != kept.description:
            result.conflicts.append(Conflict(f"set '{code_set.name}' description", kept.description, code_set.description))
        kept.description = kept.description or code_set.description
        kept.guid = kept.guid or code_set.guid
    return list(out.values())


def merged_text(a: CodebookFile, b: CodebookFile, result: CodebookMergeResult) -> tuple[str, Path | None]:
    """The merged codebook as YAML, and the input whose text it is (None: written anew).

    The first YAML input is edited in place (see :mod:`.inplace`); when that cannot
    give exactly the merged codebook, or neither input is YAML, the codebook is
    written anew in qualcode's layout.
    """
    colors = {c.id for c in result.book.walk() if c.color}  # _assemble left only chosen colours
    for side in (a, b):
        if side.kind == "yaml":
            text = edit_to_match(read_codebook_text(side.path), str(side.path), side.book, result.book, colors)
            if text is not None:
                return text, side.path
    return dump_codebook(result.book), None
