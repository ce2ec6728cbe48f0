"""``qualcode merge OTHER``: bring another coder's work (a project folder or a .qdpx) into this project.

What comes in: the other project's codings (with their coder, memo, origin and
dates), its suggestion decisions, its coders with their REFI-QDA GUIDs, and its
transcripts' own memos (added to this project's memo of the transcript, never over it).
The rules:

* transcripts are matched by their text (content hash), never by name alone; a
  transcript of the other project that this one does not have, or has with a
  different text under the same name, is reported;
* the codebooks are compared (``codebook diff``) and the differences reported,
  never applied: this project's codebook stays as it is;
* nothing of this project is overwritten: a coding is added only where the same
  coder has no coding with that code on that span, a suggestion decision only
  where this project has no suggestion for that span and code; so merging twice
  adds nothing;
* a coding whose transcript or code this project lacks is *kept aside*
  (``store.team``, shown by ``qualcode merge --aside`` and ``qualcode check``),
  never dropped: a later merge, once the code or transcript is here, places it.

A ``.qdpx`` is first imported into a temporary project (the REFI-QDA importer,
with its checks), then merged like a folder. Its users become the coders; a
``.qdpx`` without users must be given a coder name (``--as``) for its codings.
Everything is read and checked before anything is written; the writing is one
transaction.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..codebook_ops.diff import CodebookDiff, diff_codebooks
from ..codebook_ops.match import unique_names
from ..errors import (
    MERGE_NO_CODER,
    MERGE_NO_DATABASE,
    MERGE_QDPX_REFUSED,
    MERGE_SAME_PROJECT,
    MERGE_SOURCES_MISSING_HINT,
    MERGE_UNREADABLE,
    NOTHING_IMPORTED,
    QDPX_SOURCES_MISSING,
    QualcodeError,
    Report,
    error,
)
from ..model import ACCEPTED, REJECTED, Coding, memo_with, stored_id
from ..project import DB_NAME, Project, is_project
from ..refi.guids import guid_key
from ..store import AsideCoding
from ..termsafe import coder_name

NO_TRANSCRIPT = "transcript not in this project"
CHANGED_TRANSCRIPT = "transcript changed: this project has '{name}' with another text"
NO_CODE = "code not in this project's codebook"
UNNAMED = "(qualcode: no coder named)"  # the coder of .qdpx codings without a user, until --as names one


@dataclass(slots=True)
class TeamMergeResult:
    """What a merge found and did (or, with ``dry_run``, would do)."""

    source: str
    dry_run: bool = False
    matched: list[tuple[str, str]] = field(default_factory=list)  # (their name, our name)
    missing: list[str] = field(default_factory=list)  # their transcripts with no match here
    changed: list[tuple[str, str]] = field(default_factory=list)  # (their name, why)
    codings_read: int = 0
    codings_added: int = 0
    codings_present: int = 0
    aside: Counter[str] = field(default_factory=Counter)  # reason -> codings kept aside now
    aside_new: int = 0
    codes_missing: Counter[str] = field(default_factory=Counter)  # their code id not in our codebook -> codings kept aside
    aside_placed: int = 0  # kept aside by an earlier merge, placed now
    decisions_added: int = 0
    transcript_memos: int = 0  # transcripts whose memo took in theirs
    coders: dict[str, int] = field(default_factory=dict)  # their coder -> codings read
    guids: dict[str, str] = field(default_factory=dict)  # coders whose GUID came with the merge
    codebook: CodebookDiff = field(default_factory=CodebookDiff)
    warnings: list[str] = field(default_factory=list)


_SHORTER_CODER = "give them a shorter coder name in their copy (`qualcode --coder NAME`), or merge their .qdpx with --as NAME"


def merge_project(project: Project, other: Path, *, as_coder: str | None = None, dry_run: bool = False) -> TeamMergeResult:
    """Merge ``other`` (a project folder or a .qdpx file) into ``project`` (see the module docstring)."""
    other = Path(other)
    as_coder = coder_name(as_coder or "", where="--as: ") or None
    with _opened(project, other, as_coder) as (theirs, report):
        result = TeamMergeResult(source=str(other), dry_run=dry_run, warnings=report.warnings)
        result.codebook = diff_codebooks(project.codebook, theirs.codebook, by_name=True)
        tid_map = _match_transcripts(project, theirs, result)
        rows, aside = _codings(project, theirs, tid_map, result, as_coder)
        decisions = _decisions(project, theirs, tid_map)
        memos = _transcript_memos(project, theirs, tid_map)
        result.transcript_memos = len(memos)
        guids = {name: guid for name, guid in theirs.store.coders.guids().items() if guid and name in result.coders}
        if dry_run:
            result.codings_added = _count_new(project, rows)
            result.codings_present = len(rows) - result.codings_added
            result.aside_new = len(aside)
            return result
        store = project.store
        with store.transaction():
            for name, guid in guids.items():
                if _guid_free(project, name, guid):
                    store.coders.ensure(name, guid)
                    result.guids[name] = guid
            result.codings_added = store.codings.add_many(rows)
            result.codings_present = len(rows) - result.codings_added
            result.aside_new = store.team.put_aside(aside)
            hashes = {tid: h for h, tid in store.transcripts.hashes().items()}
            placed = {(hashes[c.transcript_id], c.start, c.end, c.code_id, c.coder) for c in rows}
            earlier = [a for a in store.team.aside() if (a.content_hash, a.start, a.end, a.code_id, a.coder) in placed]
            store.team.take_back(stored_id(a) for a in earlier)
            result.aside_placed = len(earlier)
            result.decisions_added = store.team.add_decided_suggestions(decisions)
            store.transcripts.set_memos(memos)
    return result


@contextmanager
def _opened(project: Project, other: Path, as_coder: str | None) -> Iterator[tuple[Project, Report]]:
    """The other project, opened (a .qdpx: imported into a temporary one first)."""
    report = Report()
    if other.suffix.lower() == ".qdpx" and other.is_file():
        from ..refi.project_import import import_qdpx

        with tempfile.TemporaryDirectory(prefix="qualcode-merge-") as tmp:
            temporary = Project.init(Path(tmp) / "other")
            try:
                try:
                    imported = import_qdpx(temporary, other, default_coder=as_coder or UNNAMED)
                except QualcodeError as exc:
                    raise _refused(other, exc) from None
                for message in imported.warnings:
                    report.warn(message)
                unnamed = len(temporary.store.codings.find(coders=[UNNAMED]))
                if unnamed:
                    raise error(MERGE_NO_CODER, path=other, count=unnamed)
                yield temporary, report
            finally:
                temporary.close()
        return
    if not other.is_dir() or not is_project(other):
        raise error(MERGE_UNREADABLE, path=other)
    # Opened, it would be made there (an empty database in their folder). One that is a folder or a
    # device is named for what it is by the copy (Database.copy_of), not as missing.
    if not (other / DB_NAME).exists():
        raise error(MERGE_NO_DATABASE, path=other, name=DB_NAME)
    if other.resolve() == project.root:
        raise error(MERGE_SAME_PROJECT, path=other)
    # Read through a copy: their database is theirs (an older qualcode of theirs could no longer
    # open it once upgraded here), and a folder they only let us read merges as well.
    with tempfile.TemporaryDirectory(prefix="qualcode-merge-") as tmp:
        try:
            theirs = Project.read_copy(other, Path(tmp) / DB_NAME)
        except QualcodeError as exc:
            raise _refused(other, exc) from None
        try:
            try:
                theirs.codebook  # noqa: B018 - load and check it now: a broken codebook stops the merge here
            except QualcodeError as exc:
                raise _refused(other, exc) from None
            yield theirs, report
        finally:
            theirs.close()


def _refused(other: Path, exc: QualcodeError) -> QualcodeError:
    """Why ``other`` cannot be read (the .qdpx import's refusal, their broken codebook or
    database), told as the merge's: what and where (the located problems, kept), that nothing
    was merged, and what merge can do about it."""
    hint = MERGE_SOURCES_MISSING_HINT if exc.code == QDPX_SOURCES_MISSING.code else exc.hint or ""
    reason = exc.message.removesuffix(NOTHING_IMPORTED)
    return error(MERGE_QDPX_REFUSED, problems=exc.problems, path=other, reason=reason, hint=hint)


def _match_transcripts(project: Project, theirs: Project, result: TeamMergeResult) -> dict[int, int | str]:
    """Their transcript id -> our id, or the reason it has no place here."""
    ours = project.store.transcripts
    our_names = ours.names()
    by_name = {name: tid for tid, name in our_names.items()}
    out: dict[int, int | str] = {}
    their_hashes = {tid: h for h, tid in theirs.store.transcripts.hashes().items()}
    for tid, name in theirs.store.transcripts.names().items():
        here = ours.id_by_hash(their_hashes[tid])
        if here is not None:
            out[tid] = here
            result.matched.append((name, our_names[here]))
        elif name in by_name:
            why = CHANGED_TRANSCRIPT.format(name=name)
            out[tid] = why
            result.changed.append((name, why))
        else:
            out[tid] = NO_TRANSCRIPT
            result.missing.append(name)
    return out


def _codings(project: Project, theirs: Project, tid_map, result: TeamMergeResult, as_coder: str | None):
    """Their codings as rows to add here, and those to keep aside (with the reason)."""
    known = {c.id for c in project.codebook.walk()}
    ours_of = _our_codes(project, theirs, known, result)
    names = theirs.store.transcripts.names()
    hashes = {tid: h for h, tid in theirs.store.transcripts.hashes().items()}
    rows: list[Coding] = []
    aside: list[AsideCoding] = []
    for c in theirs.store.codings.find():
        result.codings_read += 1
        c.code_id = ours_of.get(c.code_id, c.code_id)
        # one coder however their copy wrote the name
        c.coder = coder_name(c.coder, where=f"{theirs.store.path} (coding {c.id}): ", what=_SHORTER_CODER) or c.coder
        result.coders[c.coder] = result.coders.get(c.coder, 0) + 1
        target = tid_map.get(c.transcript_id, NO_TRANSCRIPT)
        reason = target if isinstance(target, str) else (NO_CODE if c.code_id not in known else None)
        if reason is not None:
            result.aside[reason.split(":")[0]] += 1
            if reason == NO_CODE:
                result.codes_missing[c.code_id] += 1
            aside.append(
                AsideCoding(None, result.source, names[c.transcript_id], hashes[c.transcript_id], c.start, c.end,
                            c.code_id, c.coder, c.memo, c.quote, c.created_at, reason)
            )  # fmt: skip
            continue
        rows.append(
            Coding(None, target, c.start, c.end, c.code_id, c.coder, c.quote, memo=c.memo, origin=c.origin,
                   created_at=c.created_at, updated_at=c.updated_at)
        )  # fmt: skip
    return rows, aside


def _our_codes(project: Project, theirs: Project, known: set[str], result: TeamMergeResult) -> dict[str, str]:
    """Their code ids that are not ours -> our code with the same GUID, or else with the same
    name (one code of that name on each side): a .qdpx that went through another tool (QualCoder
    writes new GUIDs and drops our ids) still lands on our codes."""
    ours = list(project.codebook.walk())
    by_guid = {guid_key(c.stable_guid): c.id for c in ours}
    by_name = unique_names(ours)
    their_names = unique_names(list(theirs.codebook.walk()))
    out: dict[str, str] = {}
    named: list[str] = []
    for code in theirs.codebook.walk():
        if code.id in known:
            continue
        if code.guid and guid_key(code.guid) in by_guid:
            out[code.id] = by_guid[guid_key(code.guid)]
        elif code.name.casefold() in their_names and code.name.casefold() in by_name:
            out[code.id] = by_name[code.name.casefold()].id
            named.append(code.name)
    if named:
        shown = ", ".join(named[:5]) + (", ..." if len(named) > 5 else "")
        result.warnings.append(
            f"{len(named)} of their code(s) matched to this project's codes by name (their file has other GUIDs"
            f" and no qualcode ids): {shown}"
        )
    return out


def _transcript_memos(project: Project, theirs: Project, tid_map: dict[int, int | str]) -> dict[int, str]:
    """Our transcript id -> its memo with theirs added, where theirs says something ours does not."""
    ours = project.store.transcripts.memos()
    out: dict[int, str] = {}
    for their_tid, memo in theirs.store.transcripts.memos().items():
        target = tid_map.get(their_tid)
        if not isinstance(target, int):
            continue  # the transcript is reported as not here (or changed), its memo with it
        if (joined := memo_with(out.get(target, ours.get(target)), memo)) is not None:
            out[target] = joined
    return out


def _decisions(project: Project, theirs: Project, tid_map) -> list:
    """Their accepted and rejected suggestions on transcripts and codes this project has."""
    known = {c.id for c in project.codebook.walk()}
    out = []
    for s in theirs.store.suggestions.find(statuses=[ACCEPTED, REJECTED]):
        target = tid_map.get(s.transcript_id)
        if isinstance(target, int) and s.code_id in known:
            s.transcript_id = target
            s.coding_id = None
            out.append(s)
    return out


def _count_new(project: Project, rows: list[Coding]) -> int:
    new = 0
    for c in rows:
        present = project.store.codings.find(c.transcript_id, [c.code_id], [c.coder], overlapping=(c.start, c.end))
        new += not any(p.start == c.start and p.end == c.end for p in present)
    return new


def _guid_free(project: Project, name: str, guid: str) -> bool:
    """A coder's GUID is taken over unless another coder here already has it."""
    return all(n == name or g != guid for n, g in project.store.coders.guids().items())
