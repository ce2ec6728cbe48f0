"""Renaming a code's id, merging codes and moving a code, codings included.

Each operation holds the project's codebook lock (:mod:`qualcode.lock`) while it
reads the codebook, edits the YAML in place (comments and order kept, validated
before it replaces the file) and then, in one store transaction, syncs the codes and
moves the codings. If the store write fails, the YAML is put back. If the process dies
between the two writes, the codings still carry the old id: ``qualcode check`` lists
them as orphaned and running the same command again moves them (every operation
accepts a YAML that already shows its result).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..codebook import ID_RE, Codebook
from ..coding import check_code
from ..errors import (
    BAD_CODE_ID,
    BAD_MERGE,
    BAD_MOVE,
    CODE_ID_TAKEN,
    NOT_IN_CODEBOOK,
    UNKNOWN_CODE,
    UNKNOWN_CODE_ANYWHERE,
    error,
)
from ..project import Project
from ..refi.ids import slugify
from ..termsafe import first_of
from ..yamledit import YamlText, edited_codebook_text


@dataclass(slots=True)
class MaintenanceResult:
    """What a rename, merge or move did, and notes for the user."""

    moved: int = 0  # codings that got the new code
    merged: int = 0  # codings folded into a coding the target already had on the same span
    yaml_changed: bool = False
    notes: list[str] = field(default_factory=list)


def rename_code(project: Project, old: str, new: str) -> MaintenanceResult:
    """Give code ``old`` the id ``new``: in the YAML (GUID pinned) and on every coding."""
    with project.codebook_lock(f"codebook rename {old} {new}"):
        return _rename_code(project, old, new)


def _rename_code(project: Project, old: str, new: str) -> MaintenanceResult:
    book = project.codebook
    store = project.store
    if not ID_RE.match(new):
        raise error(BAD_CODE_ID, code=new, slug=slugify(new))
    old_codings = store.codings.counts_by_code().get(old, 0)
    result = MaintenanceResult()
    if old in book and new in book:
        raise error(CODE_ID_TAKEN, code=new, old=old)
    if old not in book:
        if new not in book:
            if old_codings or store.codes.exists(old):
                raise error(NOT_IN_CODEBOOK, code=old, count=old_codings)
            _unknown(book, old)
        # The YAML already says `new` (an earlier run stopped half-way): move the codings.
        result.notes.append(f"the codebook already calls it '{new}'; moving the codings that still say '{old}'")
        return _write(project, None, [(old, new)], result)
    code = book[old]
    pinned = code.guid is None

    def edit(doc: YamlText) -> None:
        # Keep the code's REFI-QDA identity: a GUID it did not have was derived from the old id.
        doc.rename(old, new, code.stable_guid if pinned else None)
        doc.replace_in_sets(old, new)

    if pinned:
        result.notes.append(f"guid {code.stable_guid} written into the codebook so other tools still recognise the code")
    return _write(project, edit, [(old, new)], result)


def merge_codes(project: Project, sources: list[str], target: str) -> MaintenanceResult:
    """Merge codes into ``target``: codings move, sub-codes move under ``target``, the codes go."""
    with project.codebook_lock(f"codebook merge-codes {' '.join(sources)} --into {target}"):
        return _merge_codes(project, sources, target)


def _merge_codes(project: Project, sources: list[str], target: str) -> MaintenanceResult:
    book = project.codebook
    store = project.store
    check_code(book, target)  # unknown (with a suggestion) or a folder: refused
    counts = store.codings.counts_by_code()
    in_yaml = []
    for source in dict.fromkeys(sources):
        if source == target:
            raise error(
                BAD_MERGE, code=source, target=target, reason="a code cannot be merged into itself", hint="name another target"
            )
        if source in book:
            if target in {c.id for c in book.descendants(source)}:
                raise error(
                    BAD_MERGE,
                    code=source,
                    target=target,
                    reason=f"'{target}' is one of its sub-codes",
                    hint=f"move '{target}' out first with `qualcode codebook move {target} --top`",
                )
            in_yaml.append(source)
        elif not counts.get(source) and not store.codes.exists(source):
            _unknown(book, source)
    result = MaintenanceResult()
    for source in sources:
        if source not in book:
            result.notes.append(f"'{source}' is no longer in the codebook; moving the codings that still use it")

    def edit(doc: YamlText) -> None:
        for source in in_yaml:
            for child in book[source].children:  # sub-codes go under the target, in order
                doc.paste(doc.cut(child.id), target)
            doc.cut(source)
            doc.replace_in_sets(source, target)

    moved_children = [c.id for s in in_yaml for c in book[s].children]
    if moved_children:
        result.notes.append(f"sub-codes moved under '{target}': {', '.join(moved_children)}")
    return _write(project, edit if in_yaml else None, [(s, target) for s in dict.fromkeys(sources)], result)


def move_code(project: Project, code_id: str, parent: str | None) -> MaintenanceResult:
    """Put ``code_id`` (with its sub-codes) under ``parent``, or at the top when None."""
    with project.codebook_lock(f"codebook move {code_id} {'--parent ' + parent if parent else '--top'}"):
        return _move_code(project, code_id, parent)


def _move_code(project: Project, code_id: str, parent: str | None) -> MaintenanceResult:
    book = project.codebook
    check_code_exists(book, code_id)
    if parent is not None:
        check_code_exists(book, parent)
        if parent == code_id:
            raise error(BAD_MOVE, code=code_id, parent=parent, reason="a code cannot be its own parent")
        if parent in {c.id for c in book.descendants(code_id)}:
            raise error(BAD_MOVE, code=code_id, parent=parent, reason=f"'{parent}' is one of its sub-codes")
    result = MaintenanceResult()
    if book[code_id].parent_id == parent:
        result.notes.append(f"'{code_id}' is already {'under ' + parent if parent else 'at the top'}; nothing to do")
        return result

    def edit(doc: YamlText) -> None:
        doc.paste(doc.cut(code_id), parent)

    return _write(project, edit, [], result)


def check_code_exists(book: Codebook, code_id: str) -> None:
    """Unknown codes are refused with a suggestion (folders are fine here)."""
    if code_id not in book:
        close = book.suggest_id(code_id)
        raise error(UNKNOWN_CODE, code=code_id, suggestion=f"; did you mean '{close}'?" if close else "")


def _unknown(book: Codebook, code_id: str) -> None:
    close = book.suggest_id(code_id)
    raise error(UNKNOWN_CODE_ANYWHERE, code=code_id, suggestion=f"; did you mean '{close}'?" if close else "")


def _still_named(text: str, ids: list[str], file: str) -> list[str]:
    """Where the edited YAML still names a code id that is gone: a definition or criterion
    ("gebruik vertrouwen_organisaties") is the researcher's text, so it is pointed out, not
    changed."""
    notes = []
    for code_id in dict.fromkeys(ids):
        word = re.compile(rf"(?<![\w-]){re.escape(code_id)}(?![\w-])")
        lines = [str(n) for n, line in enumerate(text.splitlines(), 1) if word.search(line)]
        if lines:
            notes.append(
                f"'{code_id}' is still named in the text of {file}, line(s) {first_of(lines, 12)}"
                " (a definition, criterion or comment): change it there if it means this code"
            )
    return notes


def _write(
    project: Project, edit: Callable[[YamlText], None] | None, moves: list[tuple[str, str]], result: MaintenanceResult
) -> MaintenanceResult:
    """The YAML edit and one store transaction (sync codes, move codings): the file changes after the commit."""
    text = edited_codebook_text(project.codebook_path, edit) if edit is not None else None
    result.yaml_changed = text is not None
    if text is not None:
        result.notes.extend(_still_named(text, [old for old, _ in moves], project.codebook_path.name))
    store = project.store
    with project.codebook_change(text), store.transaction():
        project.sync_codebook()  # the edited codebook's codes (in this transaction)
        for old, new in moves:
            moved = store.codings.move(old, new)
            store.trash.move_code(old, new)  # what a restore brings back comes under the new code too
            result.moved += moved.moved
            result.merged += moved.merged
        store.codes.forget(old for old, _ in moves)
    return result
