"""Where an imported project's codes go: a new codebook file, or the project's own.

* The project has no codebook (or only the untouched starter from ``qualcode init``,
  with no codings): the imported codes become ``codebooks/<project>.yaml``.
* The project has a codebook: each imported code is found in it by GUID (a code
  qualcode exported keeps its GUID), else by its exact name; codes found nowhere are
  added to the YAML file (in place, comments kept) under the same parent.

Nothing is written while planning; :meth:`CodebookPlan.written` writes the file once the
importer's block (its store transaction) has ended without error.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..codebook import (
    Code,
    Codebook,
    checked_dump,
    load_codebook,
    parse_codebook,
)
from ..errors import NO_CODEBOOK, QualcodeError, Report
from ..project import CODEBOOK_DIR, STARTER_CODEBOOK, Project
from ..yamledit import YamlText, code_block, edited_codebook_text
from .codebook_xml import code_from_refi, definition, to_codebook
from .colors import drop_unstated
from .guids import guid_key
from .ids import IdAllocator, slugify
from .model import RefiCode, RefiCodebook


@dataclass(slots=True)
class CodebookPlan:
    """Where an import's codes go; nothing is written until :meth:`write`."""

    path: Path | None  # the codebook file after the import (None: there are no codes at all)
    book: Codebook | None  # the codebook after the import
    ids: dict[str, str] = field(default_factory=dict)  # REFI code GUID key -> qualcode id
    create: bool = False  # write a new file (else edit the existing one)
    remove_starter: Path | None = None
    added: list[tuple[Code, str | None]] = field(default_factory=list)  # new codes and their parent id
    by_name: list[str] = field(default_factory=list)
    differing: int = 0  # codes found by GUID whose name or definition differ
    text: str | None = None  # a new codebook's YAML exactly as a qualcode export carried it

    @property
    def added_count(self) -> int:
        """Codes this import adds: all of them for a new codebook."""
        if self.create:
            return len(self.book) if self.book is not None else 0
        return len(list(_walk_added(self.added)))

    @contextmanager
    def written(self, project: Project, *, bulk: bool = False) -> Iterator[Codebook | None]:
        """The codebook after the import; its file is written only when the block ends without
        error. A new file is staged, and the block runs in ``project``'s store transaction
        (``bulk``: see :meth:`.store.Store.transaction`), which records the staged file: see
        :meth:`.project.Project.staged_codebook`."""
        path = self.path
        if path is None or self.book is None:
            yield None
            return
        if self.create:
            text = self.text if self.text is not None else checked_dump(self.book, path)
        elif self.added:
            text = edited_codebook_text(path, self._add_codes)
        else:
            yield load_codebook(path)
            return
        with project.staged_codebook(path, text, bulk=bulk) as book:
            yield book
        if self.create and self.remove_starter is not None and self.remove_starter != path:
            self.remove_starter.unlink(missing_ok=True)

    def _add_codes(self, doc: YamlText) -> None:
        for code, parent_id in self.added:
            doc.paste(code_block(copy.deepcopy(code)), parent_id)  # new sub-codes travel inside


def plan_codebook(
    project: Project,
    refi: RefiCodebook,
    *,
    title: str,
    report: Report,
    original: tuple[str, str] | None = None,
) -> CodebookPlan:
    """Decide where the imported codes go and which qualcode id each GUID gets.

    ``original``: (file name, YAML text) of the codebook a qualcode export carried
    along. For a new codebook it is used as it is (comments, title, hints and all)
    when its codes are exactly the file's codes, i.e. no other tool changed them.
    """
    existing = _existing_codebook(project)
    if existing is None:
        if not list(refi.walk()):
            return CodebookPlan(path=None, book=None)
        starter = _untouched_starter(project)
        kept = _original_codebook(refi, original)
        if kept is not None:
            assert original is not None  # kept is the original codebook
            book, text = kept
            target = project.root / CODEBOOK_DIR / Path(original[0]).name
            plan = CodebookPlan(path=target, book=book, create=True, remove_starter=starter, text=text)
            plan.ids = {guid_key(c.stable_guid): c.id for c in book.walk()}
            return plan
        book = to_codebook(refi, title=title, report=report)
        coloured = {guid_key(c.guid) for c in refi.walk() if c.color}
        drop_unstated(book.walk(), {c.id for c in book.walk() if c.guid and guid_key(c.guid) in coloured})
        target = project.root / CODEBOOK_DIR / f"{slugify(title, 'codebook')}.yaml"
        plan = CodebookPlan(path=target, book=book, create=True, remove_starter=starter)
        plan.ids = {guid_key(c.guid): c.id for c in book.walk() if c.guid}
        return plan
    current = load_codebook(existing)
    plan = CodebookPlan(path=existing, book=current)
    by_guid = {guid_key(c.stable_guid): c for c in current.walk()}
    by_name: dict[str, list[Code]] = {}
    for code in current.walk():
        by_name.setdefault(code.name.casefold(), []).append(code)
    allocator = IdAllocator({c.id for c in current.walk()})

    def visit(rc: RefiCode, parent_id: str | None, parent_is_new: bool) -> None:
        code = by_guid.get(guid_key(rc.guid))
        if code is None and len(by_name.get(rc.name.casefold(), [])) == 1:
            code = by_name[rc.name.casefold()][0]
            plan.by_name.append(rc.name)
        if code is not None:
            plan.ids[guid_key(rc.guid)] = code.id
            info = definition(rc)
            if code.name != rc.name or (info.description and info.description != code.description):
                plan.differing += 1
            for child in rc.children:
                visit(child, code.id, False)
            return
        info = definition(rc)
        wanted = info.fields.get("id")
        new_id = wanted if wanted and allocator.claim(wanted) else allocator.allocate(rc.name, parent_id)
        new = code_from_refi(rc, new_id, info)
        plan.ids[guid_key(rc.guid)] = new_id
        if parent_is_new:
            # Nested under a code that is new as well: it travels inside its parent's mapping.
            parent = next(c for c, _ in _walk_added(plan.added) if c.id == parent_id)
            parent.children.append(new)
        else:
            plan.added.append((new, parent_id))
        for child in rc.children:
            visit(child, new_id, True)

    for rc in refi.codes:
        visit(rc, None, False)
    if plan.by_name:
        report.warn(f"{len(plan.by_name)} code(s) matched to your codebook by name, not by GUID: {', '.join(plan.by_name[:5])}")
    if plan.added:
        report.warn(
            f"{len(list(_walk_added(plan.added)))} code(s) not in your codebook are added to {project.relative(existing)}"
        )
    if plan.differing:
        report.warn(
            f"{plan.differing} code(s) have another name or definition than in your codebook (yours are kept);"
            f" compare with `qualcode codebook diff {project.relative(existing)} FILE`"
        )
    return plan


def _original_codebook(refi: RefiCodebook, original: tuple[str, str] | None) -> tuple[Codebook, str] | None:
    if original is None or not original[0].endswith((".yaml", ".yml")):
        return None
    book, problems = parse_codebook(original[1], original[0])
    if book is None or problems:
        return None
    if {guid_key(c.stable_guid) for c in book.walk()} != {guid_key(c.guid) for c in refi.walk()} or len(book) != len(
        list(refi.walk())
    ):
        return None
    return book, original[1]


def _walk_added(added: list[tuple[Code, str | None]]):
    stack = [(c, p) for c, p in added]
    while stack:
        code, parent = stack.pop()
        yield code, parent
        stack.extend((child, code.id) for child in code.children)


def _existing_codebook(project: Project) -> Path | None:
    """The project's codebook file, unless there is none or only the untouched starter."""
    try:
        path = project.codebook_path
    except QualcodeError as exc:
        if exc.code == NO_CODEBOOK.code:
            return None
        raise  # several codebooks, or a configured one that is missing: the user must decide
    if _untouched_starter(project) == path:
        return None
    return path


def _untouched_starter(project: Project) -> Path | None:
    """codebooks/codebook.yaml exactly as `qualcode init` wrote it, with no codings yet."""
    path = project.root / CODEBOOK_DIR / "codebook.yaml"
    try:
        if path.read_text(encoding="utf-8") != STARTER_CODEBOOK:
            return None
    except OSError:
        return None
    return None if project.store.codings.counts_by_code() else path
