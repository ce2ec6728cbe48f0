"""Making a project follow an updated codebook, keeping every coding.

``plan_apply`` compares the new codebook with the codes the store knows (what the
project's codebook said until now) and decides, per code that has codings:

* same id in the new codebook: nothing to do (a new name or definition moves nothing);
* same GUID under another id: the codings move to the new id (a rename; the GUID is
  how ``codebook rename`` and other tools keep a code's identity);
* named in ``merges`` (``--merge OLD=NEW``): the codings move to NEW;
* otherwise: the code was removed. Its codings are kept (orphaned, listed by
  ``qualcode check``) until the researcher decides; a new code with the same name is
  pointed out as a likely ``--merge``, never assumed.

``run_apply`` writes the new codebook over the project's (a YAML file verbatim, with its
comments; a REFI-QDA codebook converted, keeping the ids, keys and hints it cannot
carry), then syncs the codes and moves the codings in one store transaction.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..codebook import (
    Codebook,
    atomic_write_text,
    dump_codebook,
    parse_codebook,
    read_codebook_text,
)
from ..errors import BAD_MERGE_OPTION, QualcodeError, Report, error
from ..project import Project
from ..refi.files import (
    CodebookFile,
    explicit_yaml_colors,
    load_codebook_file,
    stated_colors,
)
from ..refi.guids import guid_key
from .diff import CodebookDiff, diff_codebooks
from .match import pair_codes
from .yamltext import YamlText, code_block


@dataclass(slots=True)
class ApplyPlan:
    """What applying a codebook would do; ``run_apply`` carries it out."""

    source: CodebookFile
    target: Path
    new_text: str | None  # None: the file is the project's codebook itself (edited in place)
    diff: CodebookDiff
    renames: list[tuple[str, str, int]] = field(default_factory=list)  # (old id, new id, codings)
    merges: list[tuple[str, str, int]] = field(default_factory=list)
    removed: list[tuple[str, int]] = field(default_factory=list)  # (id, codings kept)
    likely: dict[str, str] = field(default_factory=dict)  # removed id -> new code with the same name
    rewritten: bool = False  # the YAML is written anew (its comments lost): an in-place update was not possible

    @property
    def moves(self) -> list[tuple[str, str]]:
        return [(old, new) for old, new, _ in [*self.renames, *self.merges]]


@dataclass(slots=True)
class ApplyResult:
    """Codings moved by an apply (``merged``: folded into an identical coding)."""

    moved: int = 0
    merged: int = 0


def plan_apply(project: Project, path: Path, merges: dict[str, str], report: Report) -> ApplyPlan:
    """What applying the codebook in ``path`` would do (nothing is written)."""
    current = project.codebook
    store = project.store
    new = load_codebook_file(path, report, known=current)
    target = project.codebook_path
    counts = store.codings.counts_by_code()
    rows = store.codes.list(include_missing=True)
    known_ids = {r.id for r in rows} | {c.id for c in current.walk()}
    for old, new_id in merges.items():
        if old not in known_ids:
            raise error(BAD_MERGE_OPTION, value=f"{old}={new_id}", reason=f"the project has no code '{old}'")
        if new_id not in new.book:
            raise error(BAD_MERGE_OPTION, value=f"{old}={new_id}", reason=f"the new codebook has no code '{new_id}'")
        if not new.book.get(new_id).codable:
            raise error(BAD_MERGE_OPTION, value=f"{old}={new_id}", reason=f"'{new_id}' is a folder (not codable)")
    new_by_guid = {guid_key(c.stable_guid): c for c in new.book.walk()}
    by_name = {}
    for code in new.book.walk():
        by_name.setdefault(code.name.casefold(), []).append(code.id)

    diff = diff_codebooks(current, new.book, colors=(explicit_yaml_colors(target), new.explicit_colors))
    rewritten = False
    if new.kind == "yaml":
        new_text = None if path.resolve() == target.resolve() else read_codebook_text(path)
    else:
        new_text = in_place(target, current, new)
        if new_text is None:
            new_text, rewritten = _rewritten(new), True
    plan = ApplyPlan(source=new, target=target, new_text=new_text, diff=diff, rewritten=rewritten)
    names = {r.id: r.name for r in rows}
    for row in rows:
        n = counts.get(row.id, 0)
        if row.id in new.book or (not n and not row.in_codebook):
            continue
        if row.id in merges:
            plan.merges.append((row.id, merges[row.id], n))
        elif row.guid and guid_key(row.guid) in new_by_guid:
            plan.renames.append((row.id, new_by_guid[guid_key(row.guid)].id, n))
        elif n:
            plan.removed.append((row.id, n))
            same = by_name.get(names[row.id].casefold(), [])
            if len(same) == 1:
                plan.likely[row.id] = same[0]
    return plan


def _rewritten(new: CodebookFile) -> str:
    for code in new.book.walk():  # palette colours are not choices: do not write them down
        if code.id not in new.explicit_colors:
            code.color = None
    return dump_codebook(new.book)


IN_PLACE_FIELDS = ("name", "description", "include", "exclude", "examples", "color", "codable", "guid")


def in_place(path: Path, current: Codebook, new: CodebookFile) -> str | None:
    """The project's YAML with the new codebook's changes made in place (comments and layout kept).

    For a codebook from another tool (.qdc, .qdpx), which carries no comments: ids,
    names, definitions, colours, codability and GUIDs are updated, codes added, moved
    and removed, sets rewritten, and every other line stays as it was. Returns None
    (the caller then writes the codebook anew) if the result would not be exactly the
    new codebook.
    """
    pairing = pair_codes(current, new.book)
    new_of = pairing.b_of()
    doc = YamlText(read_codebook_text(path), str(path))
    try:
        for a, b in pairing.pairs:
            if a.id != b.id:
                doc.rename(a.id, b.id, None)
                doc.replace_in_sets(a.id, b.id)
            for key in IN_PLACE_FIELDS:
                value = getattr(b, key)
                if key == "color" and b.id not in new.explicit_colors:
                    continue  # the palette's, not the other tool's choice
                if value != getattr(a, key) and not (key == "guid" and value and guid_key(value) == guid_key(a.stable_guid) and a.guid is None):
                    doc.set_field(b.id, key, value)
        for a, b in pairing.pairs:
            old_parent = new_of[a.parent_id].id if a.parent_id in new_of else a.parent_id
            if old_parent != b.parent_id and (b.parent_id is None or b.parent_id not in {c.id for c in pairing.only_b}):
                doc.paste(doc.cut(b.id), b.parent_id)
        added = {c.id for c in pairing.only_b}
        for code in pairing.only_b:
            if code.parent_id in added:
                continue  # travels inside its new parent's block
            if any(child.id not in added for child in _descendants(code)):
                return None  # an existing code moved under a new one: too tangled to do in place
            doc.paste(code_block(copy.deepcopy(code)), code.parent_id)
        for code in pairing.only_a:
            try:
                doc.cut(code.id)
            except KeyError:
                pass  # already gone with its parent
        if [(s.name, s.codes, s.description) for s in current.sets] != [(s.name, s.codes, s.description) for s in new.book.sets]:
            doc.set_sets(new.book)
    except (KeyError, QualcodeError, yaml.YAMLError):
        return None
    check, problems = parse_codebook(doc.text, str(path))
    if check is None or problems:
        return None
    # Colours the YAML does not state stay the palette's (which follows the order of the
    # codes); the colours it states must be the new codebook's.
    stated = {c.id for c in check.walk()} & stated_colors(doc.text)
    if _shape(check, stated) != _shape(new.book, stated):
        return None
    return doc.text


def _descendants(code) -> list:
    out = []
    for child in code.children:
        out.append(child)
        out.extend(_descendants(child))
    return out


def _shape(book: Codebook, colored: set[str]) -> list[tuple]:
    """What must come out of an in-place update (sibling order is the project's)."""
    return sorted(
        (c.id, c.name, c.description, c.include, c.exclude, c.examples, c.codable, c.parent_id, c.color if c.id in colored else None, c.key)
        for c in book.walk()
    )


def run_apply(project: Project, plan: ApplyPlan) -> ApplyResult:
    """Write the codebook, then sync codes and move codings in one transaction."""
    result = ApplyResult()
    before = read_codebook_text(plan.target)
    if plan.new_text is not None:
        atomic_write_text(plan.target, plan.new_text)
    store = project.store
    try:
        with store.transaction():
            project.reload_codebook()  # validates the new YAML and syncs codes (joins this transaction)
            for old, new in plan.moves:
                moved = store.codings.move(old, new)
                result.moved += moved.moved
                result.merged += moved.merged
            store.codes.forget(old for old, _ in plan.moves)
    except BaseException:
        if plan.new_text is not None:
            atomic_write_text(plan.target, before)
        project.__dict__.pop("codebook", None)
        raise
    return result
