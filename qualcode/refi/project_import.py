"""Importing a .qdpx into a qualcode project, all or nothing.

Everything is read, checked and mapped in memory first: the archive (safely, see
:mod:`.archive`), ``project.qde``, every text source, the codes (see :mod:`.codemap`)
and every selection (positions converted per source, see :mod:`.offsets`). Only then
is anything written: the codebook file (atomically), then ONE store transaction with
the transcripts and codings. If that transaction fails the codebook file is put back,
so a failed import leaves the project as it was.

Importing the same file twice adds nothing: transcripts are recognised by their text,
codings by transcript, span and code.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..codebook import load_codebook
from ..errors import QDPX_MISSING_SOURCE, QDPX_SOURCES_MISSING, QualcodeError, Report, error
from ..ingest import scan_turns
from ..model import MANUAL, Coding, Transcript, Turn, sha256_bytes, sha256_text
from ..project import Project
from ..store import DocumentSet, EmptySource, Store
from .archive import CODEBOOK_ENTRY_PREFIX, TURNS_ENTRY, ProjectFiles, QdpxArchive, open_project_file
from .codemap import plan_codebook
from .dates import from_xsd
from .guids import guid_key
from .model import RefiCoding, RefiProject, RefiSelection, RefiSource
from .offsets import KNOWN_CONVENTIONS, STANDARD, Convention, SourceText, choose_convention
from .project_read import read_project
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
    codebook: Path | None = None
    codebook_created: bool = False
    codes_added: int = 0
    conventions: dict[str, str] = field(default_factory=dict)  # source name -> convention label (non-standard only)
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Imported:
    """A coding to add, and the selection and coding it was in the file (kept for re-export)."""

    source: _Source
    coding: Coding
    selection_guid: str | None
    coding_guid: str | None
    selection_creator: str | None  # who made the selection, when not the coder


@dataclass(slots=True)
class _Source:
    refi: RefiSource
    text: SourceText
    data: bytes
    transcript: Transcript | None = None
    existing_id: int | None = None  # the store already has this text
    same_as: _Source | None = None  # an earlier source of this import has this text


def import_qdpx(
    project: Project,
    path: Path,
    *,
    default_coder: str,
    skip_missing: bool = False,
    progress: Progress | None = None,
) -> QdpxImportResult:
    """Import a REFI-QDA project (.qdpx, or a bare .qde with its sources beside it) into ``project``.

    Sources the file refers to but does not hold are all listed in one error, and
    nothing is imported; with ``skip_missing`` the rest is imported and each missing
    source (with its codings) is named in a warning. See also the module docstring.
    Runs under the project's codebook lock: the import may add codes to the codebook.
    """
    with project.codebook_lock(f"import {Path(path).name}"):
        return _import_qdpx(project, Path(path), default_coder=default_coder, skip_missing=skip_missing, progress=progress)


def _import_qdpx(
    project: Project, path: Path, *, default_coder: str, skip_missing: bool, progress: Progress | None
) -> QdpxImportResult:
    report = Report()
    with open_project_file(path, report) as archive:
        entry = archive.project_entry()
        where = f"{archive.shown}/{entry}" if isinstance(archive, QdpxArchive) else archive.shown
        refi = read_project(archive.read(entry), where, report)
        sources, empty = _read_sources(archive, refi, report, progress, skip_missing)
        notes = _note_texts(archive, refi, report)
        turns_ext, declared = _turns_extension(archive, report)
        original = _codebook_extension(archive)
    result = QdpxImportResult(project_name=refi.name or path.stem, origin=refi.origin)
    for kind, count in sorted(refi.skipped.items()):
        report.warn(f"{count} {kind} not imported (qualcode codes text only)")
    if refi.unkept:
        listed = ", ".join(f"{n} {kind}" for kind, n in refi.unkept.items())
        report.warn(f"not kept (qualcode has no place for them; the README lists what an import keeps): {listed}")

    plan = plan_codebook(project, refi.codebook, title=refi.name or path.stem, report=report, original=original)
    store = project.store
    _place_transcripts(project, path, refi, sources, turns_ext, report)
    codings = _codings(refi, sources, plan.ids, notes, default_coder, report, result, _declared(sources, turns_ext, declared))

    undo = plan.write()
    try:
        with store.transaction(bulk=True):  # thousands of rows: statement journals in memory
            if plan.path is not None:
                # The codebook as written (with any codes this import added to it).
                sync = store.codes.sync(load_codebook(plan.path))
                if plan.remove_starter is not None:
                    store.codes.forget(sync.missing)  # the starter's example code, never used
            _keep_users(store, refi)
            for source in sources:
                if source.transcript is not None:
                    tid = store.transcripts.add(source.transcript)
                    result.transcripts.append(source.transcript.name)
                    store.exchange.keep_transcript_identity(
                        tid, from_xsd(source.refi.created), _user(refi, source.refi.user_guid)
                    )
            for item in codings:
                item.coding.transcript_id = _transcript_id(item.source)
            result.codings_added = store.codings.add_many(item.coding for item in codings)
            store.exchange.keep_coding_identities(
                (
                    c.transcript_id,
                    c.start,
                    c.end,
                    c.code_id,
                    c.coder,
                    item.selection_guid,
                    item.coding_guid,
                    item.selection_creator,
                )
                for item in codings
                if item.selection_guid is not None
                for c in (item.coding,)
            )
            _keep_the_rest(store, refi, empty, report)
    except BaseException:
        undo()
        raise
    if plan.book is not None:
        # The codebook file may be new: forget the cached path as well as the codebook.
        project.__dict__.pop("codebook_path", None)
        project.reload_codebook()
    result.codebook = plan.path
    result.codebook_created = plan.create
    result.codes_added = plan.added_count
    result.warnings = report.warnings
    return result


def _declared(sources: list[_Source], turns_ext: dict[str, dict], positions: str | None) -> dict[int, str]:
    """id(source) -> the positions a qualcode export declared, for the sources it wrote as they are."""
    if positions is None:
        return {}
    out = {}
    for source in sources:
        saved = turns_ext.get(guid_key(source.refi.guid))
        if isinstance(saved, dict) and saved.get("text_sha256") == sha256_text(source.text.text):
            out[id(source)] = positions
    return out


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


def _keep_the_rest(store: Store, refi: RefiProject, empty: list[RefiSource], report: Report) -> None:
    """What qualcode does not use but gives back on export: the project's name and dates,
    sources without text, document sets."""
    for name, value in (
        ("refi.project_name", refi.name),
        ("refi.project_created", from_xsd(refi.created)),
        ("refi.project_creator", _user(refi, refi.user_guid)),
    ):
        if value and store.settings.get(name) is None:
            store.settings.set(name, value)
    kept = [
        s.name
        for s in empty
        if store.exchange.keep_empty_source(EmptySource(s.guid, s.name, from_xsd(s.created), _user(refi, s.user_guid)))
    ]
    if kept:
        report.warn(f"{len(kept)} source(s) without text kept for re-export (nothing to code in them): {', '.join(kept[:5])}")
    sets = [s for s in refi.codebook.sets if s.source_guids and not s.code_guids]
    for refi_set in sets:
        store.exchange.keep_document_set(
            DocumentSet(refi_set.guid, refi_set.name, refi_set.description, list(refi_set.source_guids))
        )
    if sets:
        report.warn(
            f"{len(sets)} document set(s) kept for re-export (qualcode does not group transcripts by them): {', '.join(s.name for s in sets[:5])}"
        )


def _transcript_id(source: _Source) -> int:
    while source.same_as is not None:
        source = source.same_as
    if source.existing_id is not None:
        return source.existing_id
    assert source.transcript is not None and source.transcript.id is not None
    return source.transcript.id


def _read_sources(
    archive: ProjectFiles, refi: RefiProject, report: Report, progress: Progress | None, skip_missing: bool
) -> tuple[list[_Source], list[RefiSource]]:
    """The sources with text, and those without any (kept aside: nothing to code in them)."""
    out = []
    empty: list[RefiSource] = []
    missing: list[tuple[RefiSource, str]] = []
    for number, source in enumerate(refi.sources, 1):
        if progress:
            progress(number, len(refi.sources), source.name)
        if source.plain_content is not None and source.plain_path is None:
            raw, data = source.plain_content, source.plain_content.encode("utf-8")
        else:
            try:
                raw, data = read_plain_text(archive, source.plain_path or "", source.name, report)
            except QualcodeError as exc:
                if exc.code != QDPX_MISSING_SOURCE.code:
                    raise
                missing.append((source, source.plain_path or ""))
                continue
        text = SourceText(raw)
        if not text.text.strip():
            lost = len(source.selections) + len(source.codings)
            if lost:
                report.warn(f"source '{source.name}' has no text; its {lost} coding(s) cannot be placed and are left out")
            empty.append(source)
            continue
        out.append(_Source(source, text, data))
    if missing and not skip_missing:
        listed = [f"source '{s.name}' refers to '{ref}'" for s, ref in missing]
        raise error(QDPX_SOURCES_MISSING, problems=listed, path=archive.shown, count=len(missing), folder=archive.missing_hint)
    for source, ref in missing:
        lost = len(source.selections) + len(source.codings)
        report.warn(f"source '{source.name}' ({ref}) is not there; skipped" + (f" with its {lost} coding(s)" if lost else ""))
    return out, empty


def _note_texts(archive: ProjectFiles, refi: RefiProject, report: Report) -> dict[str, str]:
    """Note GUID key -> its text (inline, or a .txt in the archive as NVivo writes them)."""
    out = {}
    for key, note in refi.notes.items():
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
        data = json.loads(decode_text(archive.read(name), archive.shown, TURNS_ENTRY, name))
        sources = data["sources"]
        if not isinstance(sources, dict):
            raise TypeError("sources is not an object")
        positions = data.get("positions")
        return {guid_key(k): v for k, v in sources.items()}, positions if positions in KNOWN_CONVENTIONS else None
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError, QualcodeError):
        # RecursionError: JSON nested deeper than Python's parser goes (a damaged or hostile file).
        report.warn(f"{archive.shown}: {TURNS_ENTRY} is not readable; speaker turns are found again from the text")
        return {}, None


def _place_transcripts(
    project: Project, path: Path, refi: RefiProject, sources: list[_Source], turns_ext: dict, report: Report
) -> None:
    """Decide per source: a new transcript (unique name), or the same text as one we have."""
    store = project.store
    taken = set(store.transcripts.names().values())
    by_hash: dict[str, _Source] = {}
    attributes = _attributes(refi, report)
    relative = project.relative(path)
    for source in sources:
        text = source.text.text
        content_hash = sha256_text(text)
        existing = store.transcripts.id_by_hash(content_hash)
        if existing is not None:
            source.existing_id = existing
            name = store.transcripts.names()[existing]
            report.warn(f"source '{source.refi.name}' has the same text as transcript '{name}'; its codings go there")
            continue
        if content_hash in by_hash:
            source.same_as = by_hash[content_hash]
            report.warn(
                f"source '{source.refi.name}' has the same text as '{source.same_as.refi.name}'; their codings are joined"
            )
            continue
        by_hash[content_hash] = source
        name = _unique_name(source.refi.name, taken)
        if name != source.refi.name:
            report.warn(f"a transcript is already called '{source.refi.name}'; source imported as '{name}'")
        taken.add(name)
        turns = _turns(text, turns_ext.get(guid_key(source.refi.guid)), content_hash, source.refi.name, report)
        for turn in turns:
            turn.role = project.config.role_of(turn.speaker)
        source.transcript = Transcript(
            name=name,
            text=text,
            turns=turns,
            attributes=attributes.get(guid_key(source.refi.guid), {}),
            source_path=Path(relative),
            source_format="qdpx",
            source_hash=sha256_bytes(source.data),
            encoding="utf-8",
            guid=source.refi.guid,
        )


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
    turns = _saved_turns(saved.get("turns"), len(text))
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


def _attributes(refi: RefiProject, report: Report) -> dict[str, dict[str, str]]:
    """Source GUID key -> case attributes, from the source's own values and its cases."""
    out: dict[str, dict[str, str]] = {}
    unknown: set[str] = set()
    names = {guid_key(s.guid): s.name for s in refi.sources}

    def put(source_key: str, values: dict[str, str]) -> None:
        for var_key, value in values.items():
            name = refi.variables.get(var_key)
            if name is None:
                unknown.add(var_key)
                continue
            out.setdefault(source_key, {})[name] = value

    for source in refi.sources:
        put(guid_key(source.guid), source.variables)
    for case in refi.cases:
        for target in case.source_guids:
            key = guid_key(target)
            put(key, case.variables)
            # A case named otherwise than its source (a person interviewed twice): keep the name.
            if case.name and case.name != names.get(key):
                out.setdefault(key, {})["case"] = case.name
    if unknown:
        report.warn(f"{len(unknown)} variable value(s) refer to variables the project does not define; left out")
    return out


def _codings(
    refi: RefiProject,
    sources: list[_Source],
    ids: dict[str, str],
    notes: dict[str, str],
    default_coder: str,
    report: Report,
    result: QdpxImportResult,
    declared: dict[int, str],
) -> list[_Imported]:
    """Every coding of every source, in qualcode offsets, with coder, memo and the identity it had."""
    linked: dict[str, list[str]] = {}  # selection GUID key -> note GUID keys (NVivo's <Links>)
    for origin, target in refi.links:
        if origin in notes:
            linked.setdefault(target, []).append(origin)
        elif target in notes:
            linked.setdefault(origin, []).append(target)
    used_notes: set[str] = set()
    unknown_codes: list[str] = []  # where each coding of an unknown code is, for the warning
    merged: dict[tuple[tuple[str, int], int, int, str, str], _Imported] = {}

    def coder_of(*user_guids: str | None) -> str:
        for guid in user_guids:
            if guid and guid_key(guid) in refi.users:
                return refi.users[guid_key(guid)]
        return default_coder

    def memo_of(selection: RefiSelection | None, coding: RefiCoding) -> str | None:
        keys = list(coding.note_guids)
        parts = []
        if selection is not None:
            keys = [*selection.note_guids, *linked.get(guid_key(selection.guid), []), *keys]
            if selection.description:
                parts.append(selection.description)
        for key in map(guid_key, keys):
            if key in notes:
                used_notes.add(key)
                parts.append(notes[key])
        distinct = list(dict.fromkeys(p.strip() for p in parts if p.strip()))
        return "\n\n".join(distinct) or None

    def add(source: _Source, start: int, end: int, coding: RefiCoding, selection: RefiSelection | None) -> None:
        code_id = ids.get(guid_key(coding.code_guid))
        if code_id is None:
            where = f"line {selection.line}" if selection is not None else f"source '{source.refi.name}'"
            unknown_codes.append(f"{where}: {coding.code_guid}")
            return
        result.codings_read += 1
        row = Coding(
            id=None,
            transcript_id=0,
            start=start,
            end=end,
            code_id=code_id,
            coder=coder_of(coding.user_guid, selection.user_guid if selection else None),
            quote="",
            memo=memo_of(selection, coding),
            origin=MANUAL,
            created_at=from_xsd(coding.created or (selection.created if selection else None)),
        )
        key = (_target(source), start, end, code_id, row.coder)
        if key in merged:  # the same code on the same span twice by one coder: one coding, memos joined
            kept = merged[key].coding
            if row.memo and row.memo not in (kept.memo or ""):
                kept.memo = f"{kept.memo}\n\n{row.memo}" if kept.memo else row.memo
            return
        creator = coder_of(selection.user_guid) if selection is not None and selection.user_guid else None
        merged[key] = _Imported(
            source,
            row,
            selection.guid if selection is not None else None,
            coding.guid,
            creator if creator != row.coder else None,
        )

    for source in sources:
        spans = [(s.start, s.end) for s in source.refi.selections]
        if id(source) in declared:  # a qualcode export says how it counted: no guessing
            convention = KNOWN_CONVENTIONS[declared[id(source)]]
        else:
            convention = _guessed_convention(source, spans, refi.origin, report, result)
        length = len(source.text.text)
        for selection in source.refi.selections:
            start, end = selection.start, selection.end
            where = f"line {selection.line}: selection {selection.start}-{selection.end}"
            if start > end:
                start, end = end, start
                report.warn(f"{where} of '{source.refi.name}' ends before it starts; read as {start}-{end}")
            mapped = source.text.map_span(convention, start, end)
            if mapped.end <= mapped.start:
                report.warn(f"{where} of '{source.refi.name}' is empty; skipped")
                continue
            if mapped.before_start:
                report.warn(
                    f"{where} starts before the beginning of '{source.refi.name}' (a negative position); cut at the start"
                )
            if mapped.past_end:
                report.warn(f"{where} reaches past the end of '{source.refi.name}'; cut at the end")
            for coding in selection.codings:
                add(source, mapped.start, mapped.end, coding, selection)
        for coding in source.refi.codings:  # a code on the whole source
            add(source, 0, length, coding, None)
    if unknown_codes:
        shown = "; ".join(unknown_codes[:3]) + ("; ..." if len(unknown_codes) > 3 else "")
        report.warn(f"{len(unknown_codes)} coding(s) refer to codes that are not in the project's codebook; left out ({shown})")
    unused = len(set(notes) - used_notes)
    if unused:
        report.warn(f"{unused} note(s) not attached to a coding (project memos) were not imported")
    result.memos = sum(1 for m in merged.values() if m.coding.memo)
    return list(merged.values())


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


def _target(source: _Source) -> tuple[str, int]:
    """Identifies the transcript a source's codings go to (before transcripts have ids)."""
    while source.same_as is not None:
        source = source.same_as
    return ("stored", source.existing_id) if source.existing_id is not None else ("new", id(source))
