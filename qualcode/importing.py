"""Importing transcripts (and sidecar files) into a project, all or nothing.

Every file is read and normalised, case attributes are merged from front matter and
the ``attributes.csv`` sidecar next to it, duplicates are recognised by content hash,
and everything is written in ONE transaction: if any file fails, every failure is
reported and nothing is written.
"""

from __future__ import annotations

import csv
import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BAD_CODINGS_CSV, IMPORT_FAILED, QualcodeError, error
from .ingest import check_encoding, expand_paths, lookup_attributes, read_attributes_csv, read_transcript
from .model import Transcript
from .project import TRANSCRIPT_DIR, Project
from .store import Store

ATTRIBUTES_CSV = "attributes.csv"
CODINGS_CSV = "codings.csv"

Progress = Callable[[int, int, str], None]


@dataclass(slots=True)
class ImportResult:
    imported: list[Transcript] = field(default_factory=list)
    duplicates: list[tuple[Path, str]] = field(default_factory=list)  # (file, name it was imported as)
    attributes_updated: list[str] = field(default_factory=list)
    codings_added: int = 0
    warnings: list[str] = field(default_factory=list)


class _Attributes:
    """attributes.csv tables, read once per folder."""

    def __init__(self, explicit: Iterable[Path]) -> None:
        self.tables: dict[Path, dict[str, dict[str, str]]] = {}
        for path in explicit:
            self.tables[path.resolve().parent] = read_attributes_csv(path)

    def for_file(self, path: Path) -> dict[str, str]:
        folder = path.parent  # already resolved by import_paths
        if folder not in self.tables:
            sidecar = folder / ATTRIBUTES_CSV
            self.tables[folder] = read_attributes_csv(sidecar) if sidecar.exists() else {}
        return lookup_attributes(self.tables[folder], path)


def import_paths(
    project: Project,
    paths: Iterable[Path],
    *,
    encoding: str | None = None,
    name: str | None = None,
    default_coder: str = "import",
    progress: Progress | None = None,
) -> ImportResult:
    """Import transcript files and folders; raise (writing nothing) if any file fails."""
    result = ImportResult()
    if encoding is not None:
        check_encoding(encoding)  # one clear error, not one per file
    files, sidecars = expand_paths([Path(p) for p in paths])
    files = [p.resolve() for p in files]
    attributes = _Attributes(p for p in sidecars if p.name != CODINGS_CSV)
    codings_files = [p for p in sidecars if p.name == CODINGS_CSV]
    store = project.store
    codebook = project.codebook
    project.sync_codebook()  # codings (from a sidecar, or coded next) need their codes in the store
    failures: list[QualcodeError] = []
    with store.transaction():
        for number, path in enumerate(files, 1):
            if progress:
                progress(number, len(files), path.name)
            try:
                transcript = read_transcript(path, encoding=encoding, name=name if len(files) == 1 else None)
                _merge_attributes(transcript, attributes.for_file(path), result)
            except QualcodeError as exc:
                failures.append(exc)
                continue
            if failures:
                continue  # keep reading to report every bad file, but write nothing more
            _store_transcript(project, store, path, transcript, result)
        if len(failures) == 1 and len(files) == 1:
            raise failures[0]
        if failures:
            raise error(
                IMPORT_FAILED,
                problems=[_describe(f) for f in failures],
                count=len(failures),
                total=len(files),
            )
        for path in codings_files:
            result.codings_added += import_codings_csv(store, path, codebook, default_coder=default_coder)
    return result


def _describe(exc: QualcodeError) -> str:
    return f"{exc.message}" + (f" (hint: {exc.hint})" if exc.hint else "")


def _merge_attributes(transcript: Transcript, sidecar: dict[str, str], result: ImportResult) -> None:
    """Front-matter attributes, overridden by the sidecar (a disagreement is reported)."""
    for key, value in sidecar.items():
        old = transcript.attributes.get(key)
        if old is not None and old != value:
            result.warnings.append(
                f"{transcript.name}: attribute '{key}' is '{old}' in the front matter and '{value}' in"
                f" {ATTRIBUTES_CSV}; using '{value}'"
            )
        transcript.attributes[key] = value


def _store_transcript(project: Project, store: Store, path: Path, transcript: Transcript, result: ImportResult) -> None:
    result.warnings.extend(f"{path.name}: {w}" for w in transcript.warnings)
    existing = store.transcripts.id_by_hash(transcript.content_hash)
    if existing is not None:
        existing_name = store.transcripts.names()[existing]
        result.duplicates.append((path, existing_name))
        old = store.transcripts.attributes(existing)
        new = {k: v for k, v in transcript.attributes.items() if old.get(k) != v}
        if new:
            store.transcripts.set_attributes(existing, new)
            result.attributes_updated.append(existing_name)
        return
    relative = project.relative(path)
    same_name = store.transcripts.id_by_name(transcript.name)
    if same_name is not None:
        stored = store.transcripts.load(same_name)
        if stored.source_path is not None and str(stored.source_path) == relative:
            result.warnings.append(
                f"{path.name} changed since it was imported as '{transcript.name}'; the imported version is kept"
                f" so its codings stay where they are (`qualcode reimport {transcript.name}` takes the new version)"
            )
            return
        base, n = transcript.name, 2
        while store.transcripts.id_by_name(f"{base}-{n}") is not None:
            n += 1
        transcript.name = f"{base}-{n}"
        result.warnings.append(f"{path.name}: another transcript is called '{base}'; imported as '{transcript.name}'")
    for turn in transcript.turns:
        turn.role = project.config.role_of(turn.speaker)
    transcript.source_path = Path(relative)
    store.transcripts.add(transcript)
    result.imported.append(transcript)


def import_codings_csv(store: Store, path: Path, codebook, *, default_coder: str) -> int:
    """Apply codings listed in a CSV: ``file, turn, code[, text][, memo][, coder]``.

    ``text`` (optional) must occur verbatim in the turn; empty means the whole turn.
    Returns the number of codings added (ones already present are not duplicated).
    """
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise error(BAD_CODINGS_CSV, path=path, line=0, problem=exc.strerror, hint="check the path") from None
    by_file = {Path(source).name: tid for tid, source in store.transcripts.source_paths().items() if source}
    added = 0
    with handle, store.transaction():
        reader = csv.DictReader(handle)
        missing = {"file", "turn", "code"} - set(reader.fieldnames or [])
        if missing:
            raise error(
                BAD_CODINGS_CSV, path=path, line=1, problem=f"missing column(s): {', '.join(sorted(missing))}",
                hint="the header needs file,turn,code and optionally text,memo,coder",
            )
        turns_cache: dict[int, dict[int, tuple[int, int]]] = {}
        for row in reader:
            line = reader.line_num

            def fail(problem: str, hint: str = "") -> QualcodeError:
                return error(BAD_CODINGS_CSV, path=path, line=line, problem=problem, hint=hint)

            tid = by_file.get(row["file"])
            if tid is None:
                raise fail(f"no imported transcript from file '{row['file']}'", "import the transcript first")
            code_id = (row["code"] or "").strip()
            if code_id not in codebook:
                close = codebook.suggest_id(code_id)
                raise fail(f"unknown code '{code_id}'", f"did you mean '{close}'?" if close else "use a code id from the codebook")
            if tid not in turns_cache:
                turns_cache[tid] = {t.index: (t.start, t.end) for t in store.transcripts.turns(tid)}
            try:
                start, end = turns_cache[tid][int(row["turn"])]
            except (KeyError, ValueError):
                raise fail(f"no turn '{row['turn']}' in {row['file']}", f"turns are numbered 1 to {len(turns_cache[tid])}") from None
            quote = (row.get("text") or "").strip()
            if quote:
                text = store.transcripts.text(tid)
                found = text.find(quote, start, end)
                if found < 0:
                    near = difflib.get_close_matches(quote, [text[start:end]], n=1, cutoff=0.0)
                    raise fail(
                        f"text not found in turn {row['turn']} of {row['file']}: {quote[:60]!r}",
                        "copy the text exactly from the transcript" + (" (the turn starts with " + repr(near[0][:40]) + ")" if near else ""),
                    )
                start, end = found, found + len(quote)
            coder = (row.get("coder") or "").strip() or default_coder
            memo = (row.get("memo") or "").strip() or None
            added += store.codings.add(tid, start, end, code_id, coder, memo=memo).inserted
    return added


def auto_import(project: Project, progress: Progress | None = None) -> ImportResult | None:
    """Import the project's transcripts/ folder into a store that has none yet.

    This is what makes ``qualcode`` in a folder of transcripts (such as the bundled
    sample project) work without a separate import step.
    """
    folder = project.root / TRANSCRIPT_DIR
    if project.store.transcripts.names() or not folder.is_dir() or not any(folder.iterdir()):
        return None
    return import_paths(project, [folder], default_coder="import", progress=progress)
