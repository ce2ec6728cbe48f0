"""Turning a codebook YAML text into another codebook by editing only what differs.

``codebook apply`` (a .qdc from another tool) and ``codebook merge`` (two files into
one) both end with "this YAML file, but saying what that codebook says". Writing the
codebook anew would drop every comment and re-lay the whole file; here each change
is a line edit (:mod:`qualcode.yamledit`): codebook fields, ids, names, definitions,
criteria, examples, colours, keys, codability, GUIDs and hints are set, codes added,
moved and removed, sets rewritten, and every other line stays byte for byte.

The result is parsed and compared with the wanted codebook; if they differ (an edit
the line editor cannot make), None is returned and the caller writes anew, saying so.
"""

from __future__ import annotations

import copy

import yaml

from ..codebook import HINT_KEYS, Codebook, Hints, parse_codebook
from ..errors import QualcodeError
from ..refi.colors import drop_unstated, stated_colors
from ..refi.guids import guid_key
from ..yamledit import YamlText, code_block
from .match import pair_codes

CODE_FIELDS = ("name", "description", "include", "exclude", "examples", "color", "key", "codable", "guid", "hints")
BOOK_FIELDS = ("title", "version", "language", "authors", "licence", "description", "guid")


def edit_to_match(text: str, path: str, current: Codebook, new: Codebook, colors: set[str]) -> str | None:
    """``text`` (the YAML of ``current``) edited in place to say what ``new`` says, or None.

    ``colors``: ids of the codes whose colour ``new`` states (other colours are the
    palette's display colours, not choices, and are not written down).
    """
    pairing = pair_codes(current, new)
    new_of = pairing.b_of()
    doc = YamlText(text, path)
    try:
        for name in BOOK_FIELDS:
            if getattr(new, name) != getattr(current, name):
                doc.set_book_field(name, getattr(new, name))
        for a, b in pairing.pairs:
            if a.id != b.id:
                doc.rename(a.id, b.id, None)
                doc.replace_in_sets(a.id, b.id)
            for key in CODE_FIELDS:
                value = getattr(b, key)
                if key == "color" and b.id not in colors:
                    continue  # the palette's, not a choice
                if key == "hints" and value != a.hints:
                    _set_hints(doc, b.id, a.hints, value)
                elif value != getattr(a, key) and not (
                    key == "guid" and value and guid_key(value) == guid_key(a.stable_guid) and a.guid is None
                ):
                    doc.set_field(b.id, key, value)
        added = {c.id for c in pairing.only_b}
        for a, b in pairing.pairs:
            old_parent = new_of[a.parent_id].id if a.parent_id in new_of else a.parent_id
            if old_parent != b.parent_id and (b.parent_id is None or b.parent_id not in added):
                doc.paste(doc.cut(b.id), b.parent_id)
        for code in pairing.only_b:
            if code.parent_id in added:
                continue  # travels inside its new parent's block
            if any(child.id not in added for child in code.descendants()):
                return None  # an existing code moved under a new one: too tangled to do in place
            fresh = copy.deepcopy(code)
            drop_unstated([fresh, *fresh.descendants()], colors)
            doc.paste(code_block(fresh), code.parent_id)
        for code in pairing.only_a:
            try:
                doc.cut(code.id)
            except KeyError:
                pass  # already gone with its parent
        if [(s.name, s.codes, s.description) for s in current.sets] != [(s.name, s.codes, s.description) for s in new.sets]:
            doc.set_sets(new)
    except (KeyError, QualcodeError, yaml.YAMLError):
        return None
    check, problems = parse_codebook(doc.text, path)
    if check is None or problems:
        return None
    # Colours the YAML does not state stay the palette's (which follows the order of the
    # codes); the colours it states must be the new codebook's.
    stated = {c.id for c in check.walk()} & stated_colors(doc.text)
    if _shape(check, stated) != _shape(new, stated) or any(getattr(check, f) != getattr(new, f) for f in BOOK_FIELDS):
        return None
    return doc.text


def _set_hints(doc: YamlText, code_id: str, old: Hints, new: Hints) -> None:
    """Only the hint lists that changed (the whole ``hints:`` where there is none to edit in)."""
    try:
        for name in HINT_KEYS:
            if getattr(new, name) != getattr(old, name):
                doc.set_hint(code_id, name, getattr(new, name))
    except KeyError:
        doc.set_field(code_id, "hints", new)


def _shape(book: Codebook, colored: set[str]) -> list[tuple]:
    """What must come out of an in-place update (sibling order is the file's)."""
    return sorted(
        (
            c.id, c.name, c.description, c.include, c.exclude, c.examples, c.codable, c.parent_id,
            c.color if c.id in colored else None, c.key, (c.hints.keywords, c.hints.lemmas, c.hints.patterns),
        )
        for c in book.walk()
    )  # fmt: skip
