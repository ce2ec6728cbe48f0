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

from dataclasses import dataclass, field
from pathlib import Path

from ..codebook import (
    dump_codebook,
    read_codebook_text,
)
from ..errors import BAD_MERGE_OPTION, Report, error
from ..project import Project
from ..refi.colors import drop_unstated, explicit_yaml_colors
from ..refi.files import CodebookFile, load_codebook_file
from ..refi.guids import guid_key
from .diff import CodebookDiff, diff_codebooks
from .inplace import edit_to_match


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
class CodebookApplyResult:
    """Codings moved by an apply (``merged``: folded into an identical coding)."""

    moved: int = 0
    merged: int = 0


def plan_apply(project: Project, path: Path, merges: dict[str, str], report: Report) -> ApplyPlan:
    """What applying the codebook in ``path`` would do (nothing is written)."""
    current = project.codebook
    store = project.store
    new = load_codebook_file(path, report, known=current, refused="nothing was changed")
    target = project.codebook_path
    counts = store.codings.counts_by_code()
    rows = store.codes.list(include_missing=True)
    known_ids = {r.id for r in rows} | {c.id for c in current.walk()}
    for old, new_id in merges.items():
        if old not in known_ids:
            raise error(BAD_MERGE_OPTION, value=f"{old}={new_id}", reason=f"the project has no code '{old}'")
        if new_id not in new.book:
            raise error(BAD_MERGE_OPTION, value=f"{old}={new_id}", reason=f"the new codebook has no code '{new_id}'")
        if not new.book[new_id].codable:
            raise error(BAD_MERGE_OPTION, value=f"{old}={new_id}", reason=f"'{new_id}' is a folder (not codable)")
    new_by_guid = {guid_key(c.stable_guid): c for c in new.book.walk()}
    by_name: dict[str, list[str]] = {}
    for code in new.book.walk():
        by_name.setdefault(code.name.casefold(), []).append(code.id)

    diff = diff_codebooks(current, new.book, colors=(explicit_yaml_colors(target), new.explicit_colors))
    rewritten = False
    if new.kind == "yaml":
        new_text = None if path.resolve() == target.resolve() else read_codebook_text(path)
    else:
        new_text = edit_to_match(read_codebook_text(target), str(target), current, new.book, new.explicit_colors)
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
    drop_unstated(new.book.walk(), new.explicit_colors)  # palette colours are not choices: do not write them down
    return dump_codebook(new.book)


def run_apply(project: Project, plan: ApplyPlan) -> CodebookApplyResult:
    """Sync codes and move codings in one transaction; the codebook file changes after its commit."""
    result = CodebookApplyResult()
    store = project.store
    with project.codebook_change(plan.new_text), store.transaction():
        project.sync_codebook()  # validated new YAML: its codes (in this transaction)
        for old, new in plan.moves:
            moved = store.codings.move(old, new)
            store.trash.move_code(old, new)  # what a restore brings back comes under the new code too
            result.moved += moved.moved
            result.merged += moved.merged
        store.codes.forget(old for old, _ in plan.moves)
    return result
