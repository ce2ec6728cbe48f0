"""What changed between two codebooks, code by code.

Kinds of change, in the order they are listed:

* ``added`` / ``removed`` -- a code only in the new / only in the old codebook;
* ``id`` -- same code (same GUID), new id: its codings need moving (``codebook apply``
  does that);
* ``matched`` -- a code of each side with the same name, paired by it (``by_name``: other id,
  other GUID; ``merge`` places their codings on ours);
* ``renamed`` -- same code, new name (codings refer to ids, so nothing moves);
* ``moved`` -- same code, new parent;
* ``changed`` -- same code, other definition, criteria, examples, colour, key, codability
  or hints (the fields are named);
* ``set`` -- a code set added, removed or with other members;
* ``codebook`` -- title, version and the other codebook fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..codebook import Code, Codebook
from .match import pair_codes

FIELDS = ("description", "include", "exclude", "examples", "color", "key", "codable", "hints")
BOOK_FIELDS = ("title", "version", "language", "authors", "licence", "description")


@dataclass(slots=True)
class CodebookChange:
    """One difference between two codebooks (see the module docstring for the kinds)."""

    kind: str  # added, removed, id, matched, renamed, moved, changed, set, codebook
    code: str  # the code's id (the new one where it changed), the set's name, or the field
    old: str = ""
    new: str = ""
    fields: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "code": self.code, "old": self.old, "new": self.new, "fields": list(self.fields)}


@dataclass(slots=True)
class CodebookDiff:
    """All differences, in the order of :data:`ORDER`."""

    changes: list[CodebookChange] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.changes)

    def of_kind(self, kind: str) -> list[CodebookChange]:
        return [c for c in self.changes if c.kind == kind]


ORDER = ("added", "removed", "id", "matched", "renamed", "moved", "changed", "set", "codebook")


def diff_codebooks(
    old: Codebook, new: Codebook, *, colors: tuple[set[str], set[str]] | None = None, by_name: bool = False
) -> CodebookDiff:
    """Changes from ``old`` to ``new``.

    ``by_name``: codes neither GUID nor id pairs are paired by a name each side has once
    (``matched``), as ``merge`` places codings.

    ``colors``: the ids whose colour each file gives explicitly; a colour only one side
    wrote down (the other shows the palette's) is not a change. None: compare all colours.
    """
    pairing = pair_codes(old, new, by_name=by_name)
    new_of = pairing.b_of()
    out: list[CodebookChange] = []
    for code in pairing.only_b:
        out.append(CodebookChange("added", code.id, new=_where(new, code)))
    for code in pairing.only_a:
        out.append(CodebookChange("removed", code.id, old=_where(old, code)))
    for a, b in pairing.pairs:
        if a.id in pairing.named:
            out.append(CodebookChange("matched", b.id, old=a.id, new=b.id))
        elif a.id != b.id:
            out.append(CodebookChange("id", b.id, old=a.id, new=b.id))
        if a.name != b.name:
            out.append(CodebookChange("renamed", b.id, old=a.name, new=b.name))
        a_parent = new_of[a.parent_id].id if a.parent_id in new_of else a.parent_id
        if a_parent != b.parent_id:
            out.append(CodebookChange("moved", b.id, old=a.parent_id or "(top)", new=b.parent_id or "(top)"))
        changed = [f for f in FIELDS if _value(a, f) != _value(b, f)]
        if "color" in changed and colors is not None and not (a.id in colors[0] and b.id in colors[1]):
            changed.remove("color")  # one side has no colour of its own: the palette's is not a choice
        if changed:
            out.append(CodebookChange("changed", b.id, fields=changed))
    out.extend(_set_changes(old, new, new_of))
    for name in BOOK_FIELDS:
        if getattr(old, name) != getattr(new, name):
            out.append(CodebookChange("codebook", name, old=_short(getattr(old, name)), new=_short(getattr(new, name))))
    out.sort(key=lambda c: ORDER.index(c.kind))
    return CodebookDiff(out)


def _set_changes(old: Codebook, new: Codebook, new_of: dict[str, Code]) -> list[CodebookChange]:
    out = []
    old_sets = {s.name: s for s in old.sets}
    new_sets = {s.name: s for s in new.sets}
    for name in new_sets.keys() - old_sets.keys():
        out.append(CodebookChange("set", name, new="added"))
    for name in old_sets.keys() - new_sets.keys():
        out.append(CodebookChange("set", name, old="removed"))
    for name in sorted(old_sets.keys() & new_sets.keys()):
        before = {new_of[c].id if c in new_of else c for c in old_sets[name].codes}
        after = set(new_sets[name].codes)
        if before != after:
            added, removed = sorted(after - before), sorted(before - after)
            out.append(CodebookChange("set", name, old=" ".join(f"-{c}" for c in removed), new=" ".join(f"+{c}" for c in added)))
    return out


def _value(code: Code, name: str) -> object:
    value = getattr(code, name)
    if name == "hints":
        return (value.keywords, value.lemmas, value.patterns)
    return value


def _where(book: Codebook, code: Code) -> str:
    parent = book.get(code.parent_id) if code.parent_id else None
    return f"{code.name}" + (f" (under {parent.id})" if parent else "")


def _short(value: object) -> str:
    if isinstance(value, list):
        value = ", ".join(map(str, value))
    text = " ".join(str(value or "").split())
    return text if len(text) <= 60 else text[:59] + "…"
