"""Importing a .qdpx into a qualcode project, all or nothing, in memory that hardly grows
with the project (about 120 bytes per selection: the check that their GUIDs are unique).

``project.qde`` is read in two passes over its bytes (see :class:`.project_read.ProjectReading`):
the first reads and checks the whole file (so malformed XML anywhere stops the import before
anything is written) and keeps all but the sources: users, codes and sets, variables, cases,
notes and links. The codes are planned then (see :mod:`.codemap`) and the new codebook text
is put in a temporary file beside it. Then ONE store transaction: the second pass builds
one text source at a time, reads its text from the archive (safely, see :mod:`.archive`),
places it (a new transcript, or the text of one there is), maps its selections (positions
converted, see :mod:`.offsets`) and writes its codings, and forgets it. Anything that stops
the import (a problem in the file, a source that cannot be read, ...) stops the writing;
reading goes on to the end, so that the error is the one reading all first would have
raised, and the transaction is rolled back and the temporary codebook file removed: a
failed import leaves the project as it was. The codebook file is replaced only after the
commit, so a killed import leaves it as it was too (the window is the rename that follows
the commit). Warnings come in the order of the steps, as if each ran over all sources.

Importing the same file twice adds nothing: transcripts are recognised by their text,
codings by transcript, span and code.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from ..display import shorten
from ..errors import QDPX_MISSING_SOURCE, QDPX_SOURCES_MISSING, QualcodeError, Report, error
from ..ingest import scan_turns
from ..model import MANUAL, Coding, Transcript, Turn, memo_with, sha256_bytes, sha256_text
from ..project import Project
from ..store import DocumentSet, EmptySource, Store
from ..store.settings import PROJECT_CREATOR
from ..termsafe import one_line
from .archive import CODEBOOK_ENTRY_PREFIX, TURNS_ENTRY, ProjectFiles, QdpxArchive, open_project_file
from .codemap import plan_codebook
from .dates import from_xsd
from .guids import guid_key
from .model import RefiCase, RefiCoding, RefiNote, RefiProject, RefiSelection, RefiSource
from .offsets import KNOWN_CONVENTIONS, STANDARD, Convention, SourceText, choose_convention
from .project_read import ProjectReading
from .texts import decode_text, read_plain_text

Progress = Callable[[int, int, str], None]


@dataclass(slots=True)
class QdpxImportResult:
    """What an import added, and everything it tolerated or left out (``warnings``)."""

    project_name: str
    origin: str | None
    transcripts: list[str] = field(default_factory=list)
    codings_added: int = 0
    codings_read: int = 0
    memos: int = 0
    transcript_memos: int = 0  # sources' memos kept as their transcripts' (new, or added to one's)
    codebook: Path | None = None
    codebook_created: bool = False
    codes_added: int = 0
    conventions: dict[str, str] = field(default_factory=dict)  # source name -> convention label (non-standard only)
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Imported:
    """A coding to add, and the selection and coding it was in the file (kept for re-export)."""

    coding: Coding
    selection_guid: str | None
    coding_guid: str | None
    selection_creator: str | None  # who made the selection, when not the coder


@dataclass(slots=True)
class _Source:
    refi: RefiSource
    text: SourceText
    data: bytes
    content_hash: str  # of its text (placing and the saved turns' check both read it)


# What stops an import, in the order the checks come (the first one found is raised):
# reading project.qde (REFI_INVALID) comes before all of these.
_UNREADABLE_SOURCE, _MISSING_SOURCES, _UNREADABLE_NOTE, _CODEBOOK = range(4)


class _Warnings:
    """The import's warnings by the step that gives them, so that they are shown in the
    order of the steps however the streamed sources interleave them."""

    def __init__(self, first: Report) -> None:
        self.first = first  # opening the archive
        self.reading, self.sources, self.notes, self.turns = Report(), Report(), Report(), Report()
        self.kept, self.codebook, self.attributes, self.placing = Report(), Report(), Report(), Report()
        self.coding, self.rest = Report(), Report()

    def all(self) -> list[str]:
        steps = [self.first, self.reading, self.sources, self.notes, self.turns, self.kept, self.codebook]
        steps += [self.attributes, self.placing, self.coding, self.rest]
        return [w for step in steps for w in step.warnings]


def import_qdpx(
    project: Project,
    path: Path,
    *,
    default_coder: str,
    skip_missing: bool = False,
    progress: Progress | None = None,
    checking: Progress | None = None,
) -> QdpxImportResult:
    """Import a REFI-QDA project (.qdpx, or a bare .qde with its sources beside it) into ``project``.

    Sources the file refers to but does not hold are all listed in one error, and
    nothing is imported; with ``skip_missing`` the rest is imported and each missing
    source (with its codings) is named in a warning. See also the module docstring.
    ``checking`` hears of the first pass (MiB of the .qde read, of its size), ``progress``
    of the second (sources written, of their number).
    Runs under the project's codebook lock: the import may add codes to the codebook.
    """
    with project.codebook_lock(f"import {Path(path).name}"):
        return _import_qdpx(
            project, Path(path), default_coder=default_coder, skip_missing=skip_missing, progress=progress, checking=checking
        )


def _import_qdpx(
    project: Project,
    path: Path,
    *,
    default_coder: str,
    skip_missing: bool,
    progress: Progress | None,
    checking: Progress | None,
) -> QdpxImportResult:
    report = Report()
    with open_project_file(path, report) as archive:
        entry = archive.project_entry()
        where = f"{archive.shown}/{entry}" if isinstance(archive, QdpxArchive) else archive.shown
        warnings = _Warnings(report)
        reading = ProjectReading(where, warnings.reading)
        pieces = archive.stream(entry)
        refi = reading.first_pass(_told(pieces, archive.size(entry), entry, checking) if checking else pieces)
        stops: dict[int, QualcodeError] = {}
        notes_ahead, links = reading.notes()
        notes = _stopping(stops, _UNREADABLE_NOTE, _note_texts, archive, notes_ahead, warnings.notes) or {}
        turns_ext, declared = _turns_extension(archive, warnings.turns)
        plan = None
        if not reading.problems:  # else the import stops with them, whatever the codebook
            original = _codebook_extension(archive)
            title = refi.name or path.stem
            plan = _stopping(
                stops, _CODEBOOK, plan_codebook, project, refi.codebook, title=title, report=warnings.codebook, original=original
            )
        result = QdpxImportResult(project_name=refi.name or path.stem, origin=refi.origin)
        stream = _Stream(project, path, refi, reading, warnings, result, stops, skip_missing=skip_missing)
        stream.archive = archive
        stream.progress, stream.total = progress, reading.source_count()
        stream.coder = _Coder(refi, plan.ids if plan else {}, notes, links, default_coder, warnings.coding, result)
        stream.coder.note_names = {key: note.name for key, note in notes_ahead.items() if note.name}
        stream.coder.on_passages = {key for key, note in notes_ahead.items() if note.passages}
        stream.turns_ext, stream.positions = turns_ext, declared
        stream.writing = plan is not None and not stops
        # The codebook file is replaced only once the store has committed (see ``written``).
        written = plan.written(project, bulk=True) if plan is not None and stream.writing else None
        with written or nullcontext() as book:
            # Thousands of rows: statement journals in memory. An import that cannot write
            # (it will stop) reads on without a transaction: its error, not the store's, is raised.
            with project.store.transaction(bulk=True) if stream.writing else nullcontext(), ExitStack() as aside:
                if plan is not None and stream.writing:
                    store = project.store
                    if book is not None:
                        # The codebook as written (with any codes this import added to it).
                        sync = store.codes.sync(book)
                        if plan.remove_starter is not None:
                            store.codes.forget(sync.missing)  # the starter's example code, never used
                    _keep_users(store, refi)
                    stream.start()
                    # New transcripts and codings, each row written once (see there).
                    aside.enter_context(store.transcripts.new_transcripts())
                    aside.enter_context(store.codings.new_codings())
                reading.second_pass(archive.stream(entry), stream.take)
                refi = reading.finish()  # REFI_INVALID, with every problem of the file
                stream.missing_stop()
                if stops:
                    raise stops[min(stops)]
                assert plan is not None and stream.writing  # nothing stopped it
                stream.finish()
                _keep_the_rest(project.store, refi, stream.empty, warnings.rest)
    assert plan is not None  # else the import stopped
    for kind, count in sorted(refi.skipped.items()):
        texts, lost = refi.texts_of_skipped[kind], refi.skipped_codings[kind]
        with_codings = f", with {lost} coding(s) on them" if lost else ""
        if texts:
            warnings.kept.warn(
                f"{count} {kind} not imported as such{with_codings} (qualcode codes text only); the text of {texts} is a transcript"
            )
        else:
            warnings.kept.warn(f"{count} {kind} not imported{with_codings} (qualcode codes text only)")
    if refi.unkept:
        listed = ", ".join(f"{n} {kind}" for kind, n in refi.unkept.items())
        warnings.kept.warn(f"not kept (qualcode has no place for them; the README lists what an import keeps): {listed}")
    if plan.book is not None:
        # The codebook file may be new: forget the cached path as well as the codebook.
        project.__dict__.pop("codebook_path", None)
        project.reload_codebook()
    result.codebook = plan.path
    result.codebook_created = plan.create
    result.codes_added = plan.added_count
    result.warnings = warnings.all()
    return result


def _told(pieces: Iterator[bytes], size: int, name: str, progress: Progress) -> Iterator[bytes]:
    """``pieces``, telling ``progress`` how many MiB of ``size`` have gone by."""
    done, total = 0, max(size >> 20, 1)
    for piece in pieces:
        yield piece
        done += len(piece)
        progress(min(done >> 20, total), total, name)
    progress(total, total, name)


def _stopping(stops: dict[int, QualcodeError], step: int, run: Callable, *args: object, **kwargs: object):
    """``run(*args, **kwargs)``, or None if it raised a catalogue error: kept in ``stops``
    under ``step``, to be raised once every check that comes before it has been made."""
    try:
        return run(*args, **kwargs)
    except QualcodeError as exc:
        stops.setdefault(step, exc)
        return None


class _Stream:
    """The sources as the second pass reads them: each is read, placed, mapped and
    written, then forgotten, so that memory does not grow with the project. Writing
    stops at the first thing that will stop the import (the transaction is then rolled
    back); reading goes on, to find what the import must report first."""

    def __init__(
        self,
        project: Project,
        path: Path,
        refi: RefiProject,
        reading: ProjectReading,
        warnings: _Warnings,
        result: QdpxImportResult,
        stops: dict[int, QualcodeError],
        *,
        skip_missing: bool,
    ) -> None:
        self.project, self.refi, self.reading = project, refi, reading
        self.store: Store  # opened by start(), when the import writes
        self.archive: ProjectFiles | None = None
        self.warnings, self.result, self.stops, self.skip_missing = warnings, result, stops, skip_missing
        self.writing = False
        self.progress: Progress | None = None
        self.total = self.number = 0
        self.coder: _Coder
        self.turns_ext: dict[str, dict] = {}
        self.positions: str | None = None
        self.missing: list[tuple[str, str, int]] = []  # (source name, its reference, codings lost)
        self.empty: list[EmptySource] = []  # sources without text (what is kept of them)
        self.by_hash: dict[str, tuple[str, int]] = {}  # text hash -> (first source with it, its transcript id)
        self.joined: set[int] = set()  # transcripts that have codings of this import
        self.unknown: set[str] = set()  # variables values refer to that the project does not define
        self.cases: dict[str, list[RefiCase]] = {}  # source GUID key -> cases that name it
        self.sources_read: set[str] = set()  # GUID keys of the text sources the file has
        self.placed: set[str] = set()  # GUID keys of the cases whose values went to a transcript
        for case in refi.cases:
            for target in case.source_guids:
                self.cases.setdefault(guid_key(target), []).append(case)
                self.unknown.update(k for k in case.variables if k not in refi.variables)
        self.relative = Path(project.relative(path))

    def start(self) -> None:
        """Before the first source: what is in the store already."""
        self.store = self.project.store
        self.names = self.store.transcripts.names()
        self.taken = set(self.names.values())
        self.coder.store = self.store
        self.coder.floor = self.store.codings.state()[2]  # codings above this id are this import's

    def take(self, refi_source: RefiSource) -> None:
        """One source, as the second pass reads it."""
        self.number += 1
        if self.progress:
            # (a PDF's or a recording's text is one more than the text sources counted ahead)
            self.progress(self.number, max(self.total, self.number), refi_source.name)
        self.unknown.update(k for k in refi_source.variables if k not in self.refi.variables)
        self.sources_read.add(guid_key(refi_source.guid))
        saved = self.turns_ext.pop(guid_key(refi_source.guid), None)
        if self.reading.problems or _UNREADABLE_SOURCE in self.stops:
            self.writing = False  # the import stops with those, whatever comes next
            return
        source = self._read(refi_source)
        if source is None or not self.writing:
            return
        self.coder.source(self._place(source, saved), source, self._positions(source, saved))

    def _read(self, source: RefiSource) -> _Source | None:
        """The source's text (None: there is none to code, or the import will stop)."""
        assert self.archive is not None
        report = self.warnings.sources
        if source.plain_content is not None and source.plain_path is None:
            raw, data = source.plain_content, source.plain_content.encode("utf-8")
        else:
            try:
                raw, data = read_plain_text(self.archive, source.plain_path or "", source.name, report)
            except QualcodeError as exc:
                if exc.code != QDPX_MISSING_SOURCE.code:
                    self.stops[_UNREADABLE_SOURCE] = exc
                    self.writing = False
                    return None
                self.missing.append((source.name, source.plain_path or "", len(source.selections) + len(source.codings)))
                self.writing = self.writing and self.skip_missing
                return None
        text = SourceText(raw)
        if source.plain_content is not None and source.plain_path is not None:
            inline = SourceText(source.plain_content).text
            if inline != text.text:  # REFI-QDA allows one of them: which text do the selections count in?
                report.warn(
                    f"line {source.line}: source '{source.name}' has both plainTextPath and <PlainTextContent>"
                    f" (REFI-QDA allows one), with different texts: its text is read from {source.plain_path};"
                    f" the <PlainTextContent> ({len(inline):,} characters) is left out"
                )
        if not text.text.strip():
            lost = len(source.selections) + len(source.codings)
            if lost:
                report.warn(f"source '{source.name}' has no text; its {lost} coding(s) cannot be placed and are left out")
            # Kept for re-export, with its case's values (a case naming it is placed there).
            created, creator = from_xsd(source.created), _user(self.refi, source.user_guid)
            self.empty.append(EmptySource(source.guid, source.name, created, creator, self._attributes(source)))
            return None
        return _Source(source, text, data, sha256_text(text.text))

    def missing_stop(self) -> None:
        """After the last source: the sources that are not there (an error unless skipped)."""
        if self.missing and not self.skip_missing:
            assert self.archive is not None
            listed = [f"source '{name}' refers to '{ref}'" for name, ref, _ in self.missing]
            count, folder = len(self.missing), self.archive.missing_hint
            self.stops.setdefault(
                _MISSING_SOURCES,
                error(QDPX_SOURCES_MISSING, problems=listed, path=self.archive.shown, count=count, folder=folder),
            )
        for name, ref, lost in self.missing:
            self.warnings.sources.warn(
                f"source '{name}' ({ref}) is not there; skipped" + (f" with its {lost} coding(s)" if lost else "")
            )

    def _positions(self, source: _Source, saved: object) -> str | None:
        """The positions a qualcode export declared, if it wrote this source as it is."""
        if self.positions is not None and isinstance(saved, dict) and saved.get("text_sha256") == source.content_hash:
            return self.positions
        return None

    def _place(self, source: _Source, saved: object) -> _Target:
        """A new transcript (unique name), or the same text as one we have."""
        text = source.text.text
        name = source.refi.name
        content_hash = source.content_hash
        report = self.warnings.placing
        if content_hash in self.by_hash:
            first, tid = self.by_hash[content_hash]
            report.warn(f"source '{name}' has the same text as '{first}'; their codings are joined{self._unapplied(tid, source)}")
            self._join_memo(tid, source.refi)
            return _Target(tid, joined=True)
        existing = self.store.transcripts.id_by_hash(content_hash)
        if existing is not None:
            self._join_memo(existing, source.refi)
            report.warn(
                f"source '{name}' has the same text as transcript '{self.names[existing]}'; its codings go there"
                + self._unapplied(existing, source)
            )
            joined = existing in self.joined
            self.joined.add(existing)
            return _Target(existing, joined=joined, stored=True)
        unique = _unique_name(name, self.taken)
        if unique != name:
            report.warn(f"a transcript is already called '{name}'; source imported as '{unique}'")
        self.taken.add(unique)
        turns = _turns(text, saved, content_hash, name, report)
        for turn in turns:
            turn.role = self.project.config.role_of(turn.speaker, unique)
        transcript = Transcript(
            name=unique,
            text=text,
            turns=turns,
            attributes=self._attributes(source.refi),
            source_path=self.relative,
            source_format="qdpx",
            source_hash=sha256_bytes(source.data),
            encoding="utf-8",
            guid=source.refi.guid,
        )
        transcript.memo = self.coder.source_memo(source.refi)
        self.result.transcript_memos += transcript.memo is not None
        tid = self.store.transcripts.add(transcript)
        self.result.transcripts.append(unique)
        self.store.exchange.keep_transcript_identity(tid, from_xsd(source.refi.created), _user(self.refi, source.refi.user_guid))
        self.by_hash[content_hash] = (name, tid)
        return _Target(tid, joined=False)

    def _unapplied(self, tid: int, source: _Source) -> str:
        """What the warning on a source joined with a transcript adds: its attribute values that
        differ from the transcript's, which are not applied (nothing of the transcript is overwritten)."""
        have = self.store.transcripts.attributes(tid)
        differ = sorted(name for name, value in self._attributes(source.refi).items() if have.get(name) != value)
        if not differ:
            return ""
        shown = ", ".join(f"'{one_line(name)}'" for name in differ[:5]) + (", ..." if len(differ) > 5 else "")
        return f"; its {len(differ)} attribute value(s) that differ from the transcript's are not applied: {shown}"

    def _join_memo(self, tid: int, source: RefiSource) -> None:
        """A source whose text a transcript has already: its memo is added to the transcript's."""
        joined = memo_with(self.store.transcripts.memo(tid), self.coder.source_memo(source))
        if joined is not None:
            self.store.transcripts.set_memo(tid, joined)
            self.result.transcript_memos += 1

    def _attributes(self, source: RefiSource) -> dict[str, str]:
        """Case attributes from the source's own values and its cases."""
        out: dict[str, str] = {}

        def put(values: dict[str, str]) -> None:
            for var_key, value in values.items():
                name = self.refi.variables.get(var_key)
                if name is not None:
                    out[name] = value

        put(source.variables)
        for case in self.cases.get(guid_key(source.guid), []):
            self.placed.add(guid_key(case.guid))
            put(case.variables)
            # A case named otherwise than its source (a person interviewed twice): keep the name.
            if case.name and case.name != source.name:
                out["case"] = case.name
        return out

    def finish(self) -> None:
        """After the last source: the warnings that sum up all of them."""
        if self.unknown:
            self.warnings.attributes.warn(
                f"{len(self.unknown)} variable value(s) refer to variables the project does not define; left out"
            )
        self._unplaced_cases()
        self.coder.finish()

    def _unplaced_cases(self) -> None:
        """Cases whose variable values reached no transcript: said, with why (QualCoder, for one,
        writes cases without a <SourceRef>, or with one naming no source of the file)."""
        unplaced = [c for c in self.refi.cases if c.variables and guid_key(c.guid) not in self.placed]
        if not unplaced:
            return
        shown = []
        for case in unplaced[:3]:
            if not case.source_guids:
                why = "no <SourceRef>"
            elif not any(guid_key(g) in self.sources_read for g in case.source_guids):
                why = "its <SourceRef> names no text source of the file"
            else:
                why = "its source did not become a transcript of its own"
            shown.append(f"'{one_line(case.name)}' ({why})" if case.name else f"case {case.guid} ({why})")
        more = ", ..." if len(unplaced) > 3 else ""
        values = sum(len(c.variables) for c in unplaced)
        self.warnings.attributes.warn(
            f"{len(unplaced)} case(s) name no source that became a transcript, so their {values} variable value(s)"
            f" were not imported: {', '.join(shown)}{more}"
        )


@dataclass(slots=True)
class _Target:
    """The transcript a source's codings go to."""

    tid: int
    joined: bool  # earlier sources of this import have put codings there
    stored: bool = False  # it was in the store before this import


def _user(refi: RefiProject, guid: str | None) -> str | None:
    """The name of the user with this GUID, if the file has one."""
    return refi.users.get(guid_key(guid)) if guid else None


def _keep_users(store: Store, refi: RefiProject) -> None:
    """Every user of the file becomes a coder with its GUID (users without codings too)."""
    taken = {guid_key(g): name for name, g in store.coders.guids().items() if g}
    for key, name in refi.users.items():
        owner = taken.get(key)
        # A GUID another coder already has stays theirs (GUIDs are unique in the store).
        store.coders.ensure(name, refi.user_guids[key] if owner in (None, name) else None)


def _keep_the_rest(store: Store, refi: RefiProject, empty: list[EmptySource], report: Report) -> None:
    """What qualcode does not use but gives back on export: the project's name and dates,
    sources without text, document sets."""
    for name, value in (
        ("refi.project_name", refi.name),
        ("refi.project_created", from_xsd(refi.created)),
        (PROJECT_CREATOR, _user(refi, refi.user_guid)),
    ):
        if value and store.settings.get(name) is None:
            store.settings.set(name, value)
    kept = [s.name for s in empty if store.exchange.keep_empty_source(s)]
    if kept:
        report.warn(f"{len(kept)} source(s) without text kept for re-export (nothing to code in them): {', '.join(kept[:5])}")
    sets = [s for s in refi.codebook.sets if s.source_guids and not s.code_guids]
    for refi_set in sets:
        # A PDF or a recording in the set: the transcripts of its text are.
        members = [text for g in refi_set.source_guids for text in refi.text_of.get(guid_key(g), [g])]
        store.exchange.keep_document_set(DocumentSet(refi_set.guid, refi_set.name, refi_set.description, members))
    if sets:
        report.warn(
            f"{len(sets)} document set(s) kept for re-export (qualcode does not group transcripts by them): {', '.join(s.name for s in sets[:5])}"
        )


def _note_texts(archive: ProjectFiles, notes: dict[str, RefiNote], report: Report) -> dict[str, str]:
    """Note GUID key -> its text (inline, or a .txt in the archive as NVivo writes them)."""
    out = {}
    for key, note in notes.items():
        text = note.text
        if text is None and note.plain_path:
            raw, _ = read_plain_text(archive, note.plain_path, note.name or "note", report)
            text = raw
        if text is not None:
            text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").strip()
            if text:
                out[key] = text
    return out


def _codebook_extension(archive: ProjectFiles) -> tuple[str, str] | None:
    """The codebook YAML a qualcode export carried along: (file name, text), if any."""
    found = [
        n
        for n in archive.entries
        if n.casefold().startswith(CODEBOOK_ENTRY_PREFIX) and "/" not in n[len(CODEBOOK_ENTRY_PREFIX) :]
    ]
    if len(found) != 1:
        return None
    try:
        return found[0][len(CODEBOOK_ENTRY_PREFIX) :], archive.read(found[0]).decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _turns_extension(archive: ProjectFiles, report: Report) -> tuple[dict[str, dict], str | None]:
    """What a qualcode export saved: source GUID key -> its turns (shape checked per source
    in :func:`_turns`), and how its positions count (None: not said)."""
    name = next((n for n in archive.entries if n.casefold() == TURNS_ENTRY), None)
    if name is None:
        return {}, None
    try:
        data = json.loads(decode_text(archive.read(name), archive.shown, TURNS_ENTRY, name), object_pairs_hook=_packed)
        sources = data["sources"]
        if not isinstance(sources, dict):
            raise TypeError("sources is not an object")
        positions = data.get("positions")
        return {guid_key(k): v for k, v in sources.items()}, positions if positions in KNOWN_CONVENTIONS else None
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError, QualcodeError):
        # RecursionError: JSON nested deeper than Python's parser goes (a damaged or hostile file).
        report.warn(f"{archive.shown}: {TURNS_ENTRY} is not readable; speaker turns are found again from the text")
        return {}, None


class _Packed:
    """A source's saved turns as JSON text until its source is read: the rows of a thousand
    interviews as objects would take five times the memory."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def _packed(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """A JSON object (as ``json`` makes it), its ``turns`` list packed (see :class:`_Packed`)."""
    out = dict(pairs)
    turns = out.get("turns")
    if isinstance(turns, list):
        try:
            out["turns"] = _Packed(json.dumps(turns))
        except (TypeError, ValueError, RecursionError):  # kept as it is (read as it would have been)
            pass
    return out


def _unique_name(name: str, taken: set[str]) -> str:
    if name not in taken:
        return name
    n = 2
    while f"{name}-{n}" in taken:
        n += 1
    return f"{name}-{n}"


def _turns(text: str, saved: object, content_hash: str, name: str, report: Report) -> list[Turn]:
    """Turns qualcode exported with this text, else found again in the text."""
    if not isinstance(saved, dict) or saved.get("text_sha256") != content_hash:
        return scan_turns(text).turns
    rows = saved.get("turns")
    turns = _saved_turns(json.loads(rows.text) if isinstance(rows, _Packed) else rows, len(text))
    if turns is None:
        report.warn(f"{TURNS_ENTRY}: the turns of source '{name}' are malformed; speaker turns are found again from the text")
        return scan_turns(text).turns
    return turns


def _saved_turns(rows: object, length: int) -> list[Turn] | None:
    """``[[index, speaker, start, end, time_start, time_end], ...]`` as turns, or None if anything is off."""
    if not isinstance(rows, list):
        return None
    out = []
    for row in rows:
        if not isinstance(row, list) or len(row) != 6:
            return None
        index, speaker, start, end, time_start, time_end = row
        if not all(type(v) is int for v in (index, start, end)) or not 0 <= start <= end <= length:
            return None
        if speaker is not None and not isinstance(speaker, str):
            return None
        if not all(t is None or (type(t) in (int, float) and math.isfinite(t)) for t in (time_start, time_end)):
            return None
        out.append(Turn(index, speaker, start, end, time_start, time_end))
    return out


class _Coder:
    """Every coding of every source, in qualcode offsets, with coder, memo and the identity
    it had, written source by source (:meth:`source`)."""

    def __init__(
        self,
        refi: RefiProject,
        ids: dict[str, str],
        notes: dict[str, str],
        links: list[tuple[str, str]],
        default_coder: str,
        report: Report,
        result: QdpxImportResult,
    ) -> None:
        self.refi, self.ids, self.notes, self.default_coder = refi, ids, notes, default_coder
        self.report, self.result = report, result
        self.linked: dict[str, list[str]] = {}  # selection GUID key -> note GUID keys (NVivo's <Links>)
        for origin, target in links:
            if origin in notes:
                self.linked.setdefault(target, []).append(origin)
            elif target in notes:
                self.linked.setdefault(origin, []).append(target)
        self.used_notes: set[str] = set()
        self.note_names: dict[str, str] = {}  # note GUID key -> its name, where it has one
        self.on_passages: set[str] = set()  # GUID keys of notes that mark a passage of a source
        self.source_notes: set[str] = set()  # of them, those that went into a transcript's memo
        self._users: dict[str, str] = {}  # a user GUID as the file writes it -> the user's name
        self.store: Store
        self.floor = 0
        self.unknown_codes = 0
        self.unknown_shown: list[str] = []  # where the first codings of unknown codes are, for the warning

    def _coder_of(self, *user_guids: str | None) -> str:
        for guid in user_guids:
            if guid:
                name = self._users.get(guid)
                if name is None and (name := self.refi.users.get(guid_key(guid))) is not None and len(self._users) < 1000:
                    self._users[guid] = name  # (as written: a user's GUID spelled a few ways at most)
                if name is not None:
                    return name
        return self.default_coder

    def source_memo(self, source: RefiSource) -> str | None:
        """A source's memo: its ``<Description>`` and the notes it refers to or is linked with."""
        keys = [*source.note_guids, *self.linked.get(guid_key(source.guid), [])]
        self.source_notes.update(key for key in map(guid_key, keys) if key in self.on_passages)
        return self._joined_notes([source.description], keys)

    def _joined_notes(self, parts: list[str], keys: list[str]) -> str | None:
        """``parts`` and the texts of the notes ``keys``, each once, as one memo (the notes used)."""
        parts = list(parts)
        for key in map(guid_key, keys):
            if key in self.notes:
                self.used_notes.add(key)
                parts.append(self.notes[key])
        distinct = list(dict.fromkeys(p.strip() for p in parts if p.strip()))
        return "\n\n".join(distinct) or None

    def _memo_of(self, selection: RefiSelection | None, coding: RefiCoding) -> str | None:
        if not coding.note_guids and (
            selection is None
            or not (selection.note_guids or selection.description or (self.linked and guid_key(selection.guid) in self.linked))
        ):
            return None  # nothing to make a memo of (most codings)
        keys = list(coding.note_guids)
        parts = []
        if selection is not None:
            keys = [*selection.note_guids, *self.linked.get(guid_key(selection.guid), []), *keys]
            parts.append(selection.description)
        return self._joined_notes(parts, keys)

    def source(self, target: _Target, source: _Source, declared: str | None) -> None:
        """Map and write one source's codings. The same code on the same span twice by one
        coder is one coding, memos joined: within the source, and (``target.joined``) with
        the codings earlier sources of this import put on the same transcript."""
        store, result = self.store, self.result
        merged: dict[tuple[int, int, str, str], _Imported] = {}
        earlier: dict[tuple[int, int, str, str], list] = {}  # key -> [id, memo] of this import's codings there
        if target.joined:
            floor = self.floor if target.stored else 0
            for cid, start, end, code_id, coder, memo in store.codings.spans_with_memos(target.tid):
                if cid > floor:
                    earlier[(start, end, code_id, coder)] = [cid, memo, memo]
        memos = 0

        def add(start: int, end: int, coding: RefiCoding, selection: RefiSelection | None) -> None:
            code_id = self.ids.get(guid_key(coding.code_guid))
            if code_id is None:
                where = f"line {selection.line}" if selection is not None else f"source '{source.refi.name}'"
                self.unknown_codes += 1
                if len(self.unknown_shown) < 4:
                    self.unknown_shown.append(f"{where}: {coding.code_guid}")
                return
            result.codings_read += 1
            row = Coding(
                id=None,
                transcript_id=target.tid,
                start=start,
                end=end,
                code_id=code_id,
                coder=self._coder_of(coding.user_guid, selection.user_guid if selection else None),
                quote="",
                memo=self._memo_of(selection, coding),
                origin=MANUAL,
                created_at=from_xsd(coding.created or (selection.created if selection else None)),
            )
            key = (start, end, code_id, row.coder)
            if key in earlier:  # joined with a coding an earlier source added
                kept_memo = earlier[key][1]
                if row.memo and row.memo not in (kept_memo or ""):
                    earlier[key][1] = f"{kept_memo}\n\n{row.memo}" if kept_memo else row.memo
                return
            if key in merged:  # the same code on the same span twice by one coder: one coding, memos joined
                kept = merged[key].coding
                if row.memo and row.memo not in (kept.memo or ""):
                    kept.memo = f"{kept.memo}\n\n{row.memo}" if kept.memo else row.memo
                return
            creator = self._coder_of(selection.user_guid) if selection is not None and selection.user_guid else None
            merged[key] = _Imported(
                row,
                selection.guid if selection is not None else None,
                coding.guid,
                creator if creator != row.coder else None,
            )

        refi_source = source.refi
        spans = [(s.start, s.end) for s in refi_source.selections]
        if declared is not None:  # a qualcode export says how it counted: no guessing
            convention = KNOWN_CONVENTIONS[declared]
        else:
            convention = _guessed_convention(source, spans, self.refi.origin, self.report, result)
        length = len(source.text.text)
        for selection in refi_source.selections:
            start, end = selection.start, selection.end
            where = f"line {selection.line}: selection {selection.start}-{selection.end}"
            if start > end:
                start, end = end, start
                self.report.warn(f"{where} of '{refi_source.name}' ends before it starts; read as {start}-{end}")
            mapped = source.text.map_span(convention, start, end)
            if mapped.end <= mapped.start:
                self.report.warn(f"{where} of '{refi_source.name}' is empty; skipped")
                continue
            if mapped.before_start:
                self.report.warn(
                    f"{where} starts before the beginning of '{refi_source.name}' (a negative position); cut at the start"
                )
            if mapped.past_end:
                self.report.warn(f"{where} reaches past the end of '{refi_source.name}'; cut at the end")
            for coding in selection.codings:
                add(mapped.start, mapped.end, coding, selection)
        for coding in refi_source.codings:  # a code on the whole source
            add(0, length, coding, None)
        joined = {cid: memo for cid, memo, before in earlier.values() if memo != before}
        if joined:
            store.codings.join_memos(joined)
            memos += sum(1 for cid, memo, before in earlier.values() if memo and not before)
        items = list(merged.values())
        result.codings_added += store.codings.add_many(item.coding for item in items)
        store.exchange.keep_coding_identities(
            (c.transcript_id, c.start, c.end, c.code_id, c.coder, item.selection_guid, item.coding_guid, item.selection_creator)
            for item in items
            if item.selection_guid is not None
            for c in (item.coding,)
        )
        result.memos += memos + sum(1 for item in items if item.coding.memo)

    def finish(self) -> None:
        """After the last source: codings that could not be placed, notes not used."""
        if self.unknown_codes:
            shown = "; ".join(self.unknown_shown[:3]) + ("; ..." if self.unknown_codes > 3 else "")
            self.report.warn(
                f"{self.unknown_codes} coding(s) refer to codes that are not in the project's codebook; left out ({shown})"
            )
        passages = len(self.source_notes)
        if passages:
            self.report.warn(
                f"{passages} note(s) mark a passage of their source (as QualCoder writes a text annotation):"
                " each is kept in its transcript's memo, without the place it marks"
            )
        unused = [key for key in self.notes if key not in self.used_notes]
        if unused:
            # Named, so a researcher can find them in the other program: a journal, a project
            # memo, or an annotation whose source does not refer to it (QualCoder writes those).
            shown = ", ".join(f"'{one_line(self.note_names.get(key) or shorten(self.notes[key], 40))}'" for key in unused[:3])
            self.report.warn(
                f"{len(unused)} note(s) not attached to a coding or a source (journals, project memos, notes no"
                f" source refers to) were not imported: {shown}{', ...' if len(unused) > 3 else ''}"
            )


def _guessed_convention(
    source: _Source, spans: list[tuple[int, int]], origin: str | None, report: Report, result: QdpxImportResult
) -> Convention:
    """How another tool counted this source's positions, by the evidence of its selections (see :mod:`.offsets`)."""
    choice = choose_convention(source.text, spans, origin)
    if choice.convention.name != STANDARD and spans:
        others = ", ".join(f"{c.name} {h}" for c, h in choice.alternatives[:2])
        result.conventions[source.refi.name] = choice.convention.label
        report.warn(
            f"source '{source.refi.name}': positions read as {choice.convention.label}: {choice.hits} of"
            f" {choice.possible} selection ends fall on a word boundary (other readings: {others})"
        )
    elif spans and len(spans) >= 5 and choice.share < 0.5:
        report.warn(
            f"source '{source.refi.name}': only {choice.hits} of {choice.possible} selection ends fall on a word"
            " boundary; check the imported codings against the other program"
        )
    return choice.convention
