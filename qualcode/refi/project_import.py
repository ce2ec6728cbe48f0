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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..codebook import load_codebook
from ..errors import Report
from ..ingest import scan_turns
from ..model import MANUAL, Coding, Transcript, Turn, sha256_bytes, sha256_text
from ..project import Project
from .archive import QdpxArchive
from .codemap import plan_codebook
from .guids import guid_key
from .model import RefiCoding, RefiProject, RefiSelection, RefiSource
from .offsets import STANDARD, SourceText, choose_convention
from .project_read import read_project
from .texts import decode_text, read_plain_text

# qualcode's own extra: speaker turns (with their timestamps) per source, so that a
# qualcode -> qualcode round trip keeps them. Other tools ignore unknown entries.
TURNS_ENTRY = "qualcode/turns.json"
# ... and the codebook YAML itself (comments, title, hints), used when nobody changed the codes.
CODEBOOK_ENTRY_PREFIX = "qualcode/codebooks/"

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
class _Source:
    refi: RefiSource
    text: SourceText
    data: bytes
    transcript: Transcript | None = None
    existing_id: int | None = None  # the store already has this text
    same_as: _Source | None = None  # an earlier source of this import has this text


def import_qdpx(project: Project, path: Path, *, default_coder: str, progress: Progress | None = None) -> QdpxImportResult:
    """Import a REFI-QDA project file into ``project`` (see the module docstring).

    Runs under the project's codebook lock: the import may add codes to the codebook.
    """
    with project.codebook_lock(f"import {Path(path).name}"):
        return _import_qdpx(project, Path(path), default_coder=default_coder, progress=progress)


def _import_qdpx(project: Project, path: Path, *, default_coder: str, progress: Progress | None) -> QdpxImportResult:
    report = Report()
    with QdpxArchive(path, report) as archive:
        entry = archive.project_entry()
        refi = read_project(archive.read(entry), f"{archive.shown}/{entry}", report)
        sources = _read_sources(archive, refi, report, progress)
        notes = _note_texts(archive, refi, report)
        turns_ext = _turns_extension(archive, report)
        original = _codebook_extension(archive)
    result = QdpxImportResult(project_name=refi.name or path.stem, origin=refi.origin)
    for kind, count in sorted(refi.skipped.items()):
        report.warn(f"{count} {kind} not imported (qualcode codes text only)")

    plan = plan_codebook(project, refi.codebook, title=refi.name or path.stem, report=report, original=original)
    store = project.store
    _place_transcripts(project, path, refi, sources, turns_ext, report)
    codings = _codings(refi, sources, plan.ids, notes, default_coder, report, result)

    undo = plan.write()
    try:
        with store.transaction():
            if plan.path is not None:
                # The codebook as written (with any codes this import added to it).
                sync = store.codes.sync(load_codebook(plan.path))
                if plan.remove_starter is not None:
                    store.codes.forget(sync.missing)  # the starter's example code, never used
            for source in sources:
                if source.transcript is not None:
                    store.transcripts.add(source.transcript)
                    result.transcripts.append(source.transcript.name)
            rows = []
            for source, coding in codings:
                coding.transcript_id = _transcript_id(source)
                rows.append(coding)
            result.codings_added = store.codings.add_many(rows)
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


def _transcript_id(source: _Source) -> int:
    while source.same_as is not None:
        source = source.same_as
    if source.existing_id is not None:
        return source.existing_id
    assert source.transcript is not None and source.transcript.id is not None
    return source.transcript.id


def _read_sources(archive: QdpxArchive, refi: RefiProject, report: Report, progress: Progress | None) -> list[_Source]:
    out = []
    for number, source in enumerate(refi.sources, 1):
        if progress:
            progress(number, len(refi.sources), source.name)
        if source.plain_content is not None and source.plain_path is None:
            raw, data = source.plain_content, source.plain_content.encode("utf-8")
        else:
            raw, data = read_plain_text(archive, source.plain_path or "", source.name, report)
        text = SourceText(raw)
        if not text.text.strip():
            lost = len(source.selections) + len(source.codings)
            report.warn(f"source '{source.name}' has no text; skipped" + (f" with its {lost} coding(s)" if lost else ""))
            continue
        out.append(_Source(source, text, data))
    return out


def _note_texts(archive: QdpxArchive, refi: RefiProject, report: Report) -> dict[str, str]:
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


def _codebook_extension(archive: QdpxArchive) -> tuple[str, str] | None:
    """The codebook YAML a qualcode export carried along: (file name, text), if any."""
    found = [n for n in archive.entries if n.casefold().startswith(CODEBOOK_ENTRY_PREFIX) and "/" not in n[len(CODEBOOK_ENTRY_PREFIX) :]]
    if len(found) != 1:
        return None
    try:
        return found[0][len(CODEBOOK_ENTRY_PREFIX) :], archive.read(found[0]).decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _turns_extension(archive: QdpxArchive, report: Report) -> dict[str, dict]:
    name = next((n for n in archive.entries if n.casefold() == TURNS_ENTRY), None)
    if name is None:
        return {}
    try:
        data = json.loads(decode_text(archive.read(name), archive.shown, TURNS_ENTRY, name))
        return {guid_key(k): v for k, v in data.get("sources", {}).items()}
    except (ValueError, AttributeError, TypeError):
        report.warn(f"{archive.shown}: {TURNS_ENTRY} is not readable; speaker turns are found again from the text")
        return {}


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
            report.warn(f"source '{source.refi.name}' has the same text as '{source.same_as.refi.name}'; their codings are joined")
            continue
        by_hash[content_hash] = source
        name = _unique_name(source.refi.name, taken)
        if name != source.refi.name:
            report.warn(f"a transcript is already called '{source.refi.name}'; source imported as '{name}'")
        taken.add(name)
        turns = _turns(text, turns_ext.get(guid_key(source.refi.guid)), content_hash)
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


def _turns(text: str, saved: dict | None, content_hash: str) -> list[Turn]:
    """Turns qualcode exported with this text, else found again in the text."""
    if saved and saved.get("text_sha256") == content_hash:
        try:
            turns = [
                Turn(int(t[0]), t[1], int(t[2]), int(t[3]), t[4], t[5])
                for t in saved.get("turns", [])
            ]
            if all(0 <= t.start <= t.end <= len(text) for t in turns):
                return turns
        except (TypeError, ValueError, IndexError):
            pass
    return scan_turns(text).turns


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
) -> list[tuple[_Source, Coding]]:
    """Every coding of every source, in qualcode offsets, with coder and memo."""
    linked: dict[str, list[str]] = {}  # selection GUID key -> note GUID keys (NVivo's <Links>)
    for origin, target in refi.links:
        if origin in notes:
            linked.setdefault(target, []).append(origin)
        elif target in notes:
            linked.setdefault(origin, []).append(target)
    used_notes: set[str] = set()
    unknown_codes = 0
    merged: dict[tuple[tuple[str, int], int, int, str], tuple[_Source, Coding]] = {}

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
        nonlocal unknown_codes
        code_id = ids.get(guid_key(coding.code_guid))
        if code_id is None:
            unknown_codes += 1
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
            created_at=coding.created or (selection.created if selection else None),
        )
        key = (_target(source), start, end, code_id)
        if key in merged:  # the same code on the same span twice: one coding, memos joined
            kept = merged[key][1]
            if row.memo and row.memo not in (kept.memo or ""):
                kept.memo = f"{kept.memo}\n\n{row.memo}" if kept.memo else row.memo
            return
        merged[key] = (source, row)

    for source in sources:
        spans = [(s.start, s.end) for s in source.refi.selections]
        choice = choose_convention(source.text, spans, refi.origin)
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
        length = len(source.text.text)
        for selection in source.refi.selections:
            start, end = selection.start, selection.end
            if start > end:
                start, end = end, start
            mapped = source.text.map_span(choice.convention, start, end)
            if mapped.end <= mapped.start:
                report.warn(f"line {selection.line}: selection {selection.start}-{selection.end} of '{source.refi.name}' is empty; skipped")
                continue
            if mapped.out_of_range:
                report.warn(f"line {selection.line}: selection {selection.start}-{selection.end} reaches past the end of '{source.refi.name}'; cut at the end")
            for coding in selection.codings:
                add(source, mapped.start, mapped.end, coding, selection)
        for coding in source.refi.codings:  # a code on the whole source
            add(source, 0, length, coding, None)
    if unknown_codes:
        report.warn(f"{unknown_codes} coding(s) refer to codes that are not in the project's codebook; left out")
    unused = len(set(notes) - used_notes)
    if unused:
        report.warn(f"{unused} note(s) not attached to a coding (project memos) were not imported")
    result.memos = sum(1 for _, c in merged.values() if c.memo)
    return list(merged.values())


def _target(source: _Source) -> tuple[str, int]:
    """Identifies the transcript a source's codings go to (before transcripts have ids)."""
    while source.same_as is not None:
        source = source.same_as
    return ("stored", source.existing_id) if source.existing_id is not None else ("new", id(source))
