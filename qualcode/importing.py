"""Importing transcripts (and CSV files of attributes or codings) into a project, all or nothing.

Every file is read and normalised, case attributes are merged from front matter, the
``attributes.csv`` next to it and attribute CSVs named on the command line,
duplicates are recognised by hash, and everything is written in ONE transaction: if
any file fails, every failure is reported and nothing is written.

A file whose bytes were imported before is not read again (its hash is looked up
first): importing a folder twice costs little more than hashing it. A CSV is read
as codings when its header has ``file``, ``turn`` and ``code`` columns, whatever its
name, and as attributes otherwise.
"""

from __future__ import annotations

import functools
import os
import shlex
from collections.abc import Callable, Iterable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ATTRIBUTES_UNMATCHED, IMPORT_FAILED, QualcodeError, Report, error
from .ingest import check_encoding, expand_paths, read_attributes_csv, read_transcript
from .ingest.attributes import AttributeRows, attribute_key, csv_header, is_codings_header
from .ingest.paths import (
    ATTRIBUTES_SIDECAR,
    CODINGS_LIMIT,
    CODINGS_SIDECAR,
    CODINGS_TOO_BIG_HINT,
    nothing_to_import,
    read_bytes,
    shown_name,
)
from .model import INTERVIEWER, Transcript, sha256_bytes, span_words
from .project import FIRST_IMPORT_DONE, TRANSCRIPT_DIR, Project, numbered_speaker
from .store import Store, now
from .termsafe import first_of, one_line

Progress = Callable[[int, int, str], None]
OUTSIDE_SHOWN = 3  # files named in the warning about files outside the project


@dataclass(frozen=True, slots=True)
class Imported:
    """What one imported file became (its text stays in the store, not in memory)."""

    name: str
    turns: int
    words: int
    speakers: tuple[str, ...]  # in order of first appearance


@dataclass(slots=True)
class ImportResult:
    imported: list[Imported] = field(default_factory=list)
    duplicates: list[tuple[Path, str]] = field(default_factory=list)  # (file, name it was imported as)
    attributes_updated: list[str] = field(default_factory=list)
    codings_added: int = 0
    warnings: list[str] = field(default_factory=list)
    outside: list[Path] = field(default_factory=list)  # files stored with their absolute path (one warning for all)
    without_interviewer: list[str] = field(default_factory=list)  # transcripts of several speakers, none an interviewer
    # Transcript name -> (the labels its header names as the interviewer, all its labels):
    # kept for it in qualcode.yaml's ``interviewers`` once the import is stored.
    header_interviewers: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)


@dataclass(slots=True)
class _Table:
    """An attributes CSV named on the command line, and which of its rows were used."""

    path: Path
    rows: AttributeRows
    used: set[str] = field(default_factory=set)


class _Attributes:
    """Attribute tables: each folder's ``attributes.csv`` for its files, named CSVs for every file."""

    def __init__(self, named: Iterable[Path], encoding: str | None = None) -> None:
        self.encoding = encoding  # the transcripts' --encoding: a sheet Excel saved in cp1252 too
        self.named = [_Table(path, read_attributes_csv(path, encoding=encoding)) for path in named]
        self._named_paths = {_absolute(t.path) for t in self.named}  # not read again as a folder's sidecar
        self.folders: dict[Path, _Table | None] = {}  # a folder's attributes.csv, if it has one

    def for_file(self, path: Path) -> dict[str, str]:
        """The folder's sidecar, then the named CSVs (a later one wins), for transcript ``path``."""
        sidecar = path.parent / ATTRIBUTES_SIDECAR
        if path.parent not in self.folders:
            read = sidecar.is_file() and _absolute(sidecar) not in self._named_paths
            self.folders[path.parent] = _Table(sidecar, read_attributes_csv(sidecar, encoding=self.encoding)) if read else None
        found: dict[str, str] = {}
        folder = self.folders[path.parent]
        key = attribute_key(folder.rows, path) if folder else None
        if folder and key is not None:
            folder.used.add(key)
            found.update(folder.rows[key])
        for table in self.named:
            key = attribute_key(table.rows, path)
            if key is not None:
                table.used.add(key)
                found.update(table.rows[key])
        return found


def import_paths(
    project: Project,
    paths: Iterable[Path],
    *,
    encoding: str | None = None,
    name: str | None = None,
    default_coder: str = "import",
    progress: Progress | None = None,
    allow_nothing: bool = False,
) -> ImportResult:
    """Import transcript files, folders and CSVs; raise (writing nothing) if any file fails,
    or if they hold no file to import (unless ``allow_nothing``)."""
    result = ImportResult()
    _resolved_folder.cache_clear()  # links may have changed since the last import
    if encoding is not None:
        encoding = check_encoding(encoding)  # one clear error, not one per file
    paths = [Path(p) for p in paths]
    report = Report()
    files, sidecars = expand_paths(paths, report)
    if not files and not sidecars and not allow_nothing:
        raise nothing_to_import(paths)
    result.warnings.extend(report.warnings)
    named = {_absolute(p) for p in paths if p.is_file()}
    attribute_csvs, codings_csvs = _sort_csvs(sidecars, named, encoding)
    attributes = _Attributes(attribute_csvs, encoding)
    codebook = project.codebook
    project.sync_codebook()  # codings (from a codings CSV, or coded next) need their codes in the store
    store = project.store
    failures: list[QualcodeError] = []
    sources: dict[str, int] | None = None  # read when the first new text is stored
    with store.transaction(bulk=True), ExitStack() as adding:
        for number, path in enumerate(files, 1):
            if progress:
                progress(number, len(files), path.name)
            path = _absolute(path)
            try:
                data = read_bytes(path)
                sidecar = attributes.for_file(path)
                source_hash = sha256_bytes(data)
                known = store.transcripts.by_source_hash(source_hash)
                if known is not None and (encoding is None or encoding == known[2]):
                    if not failures:
                        _duplicate(store, path, known[0], known[1], sidecar, result)
                    continue
                one_name = name if len(files) == 1 else None
                transcript = read_transcript(path, encoding=encoding, name=one_name, data=data, source_hash=source_hash)
                _merge_attributes(transcript, sidecar, result)
            except QualcodeError as exc:
                failures.append(exc)
                continue
            if failures:
                continue  # keep reading to report every bad file, but write nothing more
            if sources is None:
                sources = {p: tid for tid, p in store.transcripts.source_paths().items() if p is not None}
                adding.enter_context(store.transcripts.new_transcripts())
            _store_transcript(project, store, path, transcript, result, sources)
        adding.close()  # the turns' triggers are back before anything else is written
        if len(failures) == 1 and len(files) == 1:
            raise failures[0]
        if failures:
            raise error(
                IMPORT_FAILED,
                problems=[_describe(f) for f in failures],
                count=len(failures),
                total=len(files),
            )
        _apply_named_attributes(store, attributes.named, result)
        _report_folder_rows(store, [t for t in attributes.folders.values() if t], result)
        for path in codings_csvs:
            result.codings_added += import_codings_csv(store, path, codebook, default_coder=default_coder)
    if result.header_interviewers:
        _keep_header_interviewers(project, result)
    if result.outside:
        result.warnings.append(_outside_warning(project, result.outside))
    return result


def _roles_from_header(project: Project, transcript: Transcript, roles: dict[str | None, str], result: ImportResult) -> None:
    """Where nothing else makes a speaker the interviewer (no ``interviewers`` entry for the
    transcript, no ``interviewer_speakers`` pattern matches), the speakers its header names as
    the interviewer ("Interviewer: Sanne de Vries" where "Sanne:" speaks) are; said in the output."""
    named = [label for label in transcript.header_interviewers if label in roles]
    if not named or transcript.name in project.config.interviewers or INTERVIEWER in roles.values():
        return
    for label in named:
        roles[label] = INTERVIEWER
        result.warnings.append(
            f"{transcript.name}: {label} is the interviewer, as its header says ('{one_line(transcript.header_interviewers[label])[:80]}');"
            " kept for this transcript in qualcode.yaml (`interviewers`)"
        )
    result.header_interviewers[transcript.name] = (named, [label for label in roles if label])


def _keep_header_interviewers(project: Project, result: ImportResult) -> None:
    """Write who the headers named as interviewers to ``interviewers`` in qualcode.yaml, so
    `speakers --apply` and a reimport keep the roles the import gave."""
    try:
        project.make_interviewers_in(result.header_interviewers)
    except QualcodeError as exc:
        names = ", ".join(result.header_interviewers)
        result.warnings.append(
            f"the interviewers named in the headers of {names} could not be kept in qualcode.yaml ({exc.message}): "
            "`qualcode speakers --apply` would make them respondents; run `qualcode speakers --interviewer LABEL --transcript NAME`"
        )


def _absolute(path: Path) -> Path:
    """An absolute path with symbolic links kept as they are (``resolve`` would follow them)."""
    return Path(os.path.abspath(path))


def _sort_csvs(sidecars: list[Path], named: set[Path], encoding: str | None = None) -> tuple[list[Path], list[Path]]:
    """(attribute CSVs named on the command line, codings CSVs), told apart by their header."""
    attribute_csvs: list[Path] = []
    codings_csvs: list[Path] = []
    for path in sidecars:
        if path.name.casefold() == CODINGS_SIDECAR or is_codings_header(csv_header(path, encoding)):
            codings_csvs.append(path)
        elif _absolute(path) in named:
            attribute_csvs.append(path)
        # else a folder's attributes.csv, found by the import of that folder: read per file
    return attribute_csvs, codings_csvs


def _describe(exc: QualcodeError) -> str:
    return f"{exc.message}" + (f" (hint: {exc.hint})" if exc.hint else "")


def _merge_attributes(transcript: Transcript, sidecar: dict[str, str], result: ImportResult) -> None:
    """Front-matter attributes, overridden by the CSVs (a disagreement is reported)."""
    for key, value in sidecar.items():
        old = transcript.attributes.get(key)
        if old is not None and old != value:
            result.warnings.append(
                f"{transcript.name}: attribute '{key}' is '{old}' in the front matter and '{value}' in"
                f" the attributes CSV; using '{value}'"
            )
        transcript.attributes[key] = value


def _duplicate(store: Store, path: Path, tid: int, name: str, attributes: dict[str, str], result: ImportResult) -> None:
    """A file already imported: only attributes that changed are written."""
    result.duplicates.append((path, name))
    old = store.transcripts.attributes(tid)
    new = {k: v for k, v in attributes.items() if old.get(k) != v}
    if new:
        store.transcripts.set_attributes(tid, new)
        result.attributes_updated.append(name)


def _store_transcript(
    project: Project, store: Store, path: Path, transcript: Transcript, result: ImportResult, sources: dict[str, int]
) -> None:
    """Store one read transcript (``sources``: the stored source paths' transcripts, read once an import)."""
    result.warnings.extend(f"{shown_name(path.name)}: {w}" for w in transcript.warnings)
    content_hash = transcript.content_hash  # hashed once: the duplicate check and the row both need it
    existing = store.transcripts.id_by_hash(content_hash)
    if existing is not None:
        _duplicate(store, path, existing, store.transcripts.name(existing), transcript.attributes, result)
        return
    relative = _stored_path(project, path, result)
    same_source = sources.get(relative)  # also when the transcript was renamed since
    if same_source is not None:
        known = store.transcripts.name(same_source)
        result.warnings.append(
            f"{shown_name(path.name)} changed since it was imported as '{known}'; the imported version is kept"
            f" so its codings stay where they are (`qualcode reimport {known}` takes the new version)"
        )
        return
    same_name = store.transcripts.id_by_name(transcript.name)
    if same_name is not None:
        base, n = transcript.name, 2
        while store.transcripts.id_by_name(f"{base}-{n}") is not None:
            n += 1
        transcript.name = f"{base}-{n}"
        result.warnings.append(f"{shown_name(path.name)}: another transcript is called '{base}'; imported as '{transcript.name}'")
    # A transcript repeats a handful of labels: each one's role is looked up once.
    roles = {
        speaker: project.config.role_of(speaker, transcript.name)
        for speaker in dict.fromkeys(t.speaker for t in transcript.turns)
    }
    _roles_from_header(project, transcript, roles, result)
    for turn in transcript.turns:
        turn.role = roles[turn.speaker]
    transcript.source_path = Path(relative)
    # Counted once, for the rows and the result (counting is not free).
    turn_words = span_words(transcript.text, [(turn.start, turn.end) for turn in transcript.turns])
    words = sum(turn_words)
    store.transcripts.add(transcript, content_hash=content_hash, words=words, turn_words=turn_words)
    speakers = tuple(speaker for speaker in roles if speaker)  # in order of first appearance
    if len(speakers) > 1 and INTERVIEWER not in roles.values():
        result.warnings.append(no_interviewer_warning(transcript, speakers))
        result.without_interviewer.append(transcript.name)
    result.imported.append(Imported(transcript.name, len(transcript.turns), words, speakers))


# A speaker is taken for the one asking the questions when at least this share of their
# turns (and at least two) holds a question mark, and every other speaker's share is at
# most half of theirs.
ASKING_SHARE = 0.5


def likely_interviewer(transcript: Transcript) -> tuple[str, int, int] | None:
    """The speaker of ``transcript`` who asks the questions, with their turns that hold a
    question mark and all their turns; None when no speaker clearly does."""
    text = transcript.text
    asked: dict[str, list[int]] = {}
    for turn in transcript.turns:
        if turn.speaker is not None:
            counts = asked.setdefault(turn.speaker, [0, 0])
            counts[0] += text.find("?", turn.start, turn.end) >= 0
            counts[1] += 1
    shares = sorted(((q / n, speaker) for speaker, (q, n) in asked.items()), reverse=True)
    if not shares:
        return None
    best, speaker = shares[0]
    q, n = asked[speaker]
    if n < 2 or best < ASKING_SHARE or any(share > best / 2 for share, _ in shares[1:]):
        return None
    return speaker, q, n


@dataclass(slots=True)
class InterviewerGuess:
    """Who asks the questions in a transcript that has no interviewer (:func:`likely_interviewer`)."""

    transcript: str
    speaker: str
    asked: int  # the speaker's turns that hold a question mark
    turns: int  # all the speaker's turns
    speakers: list[str]  # every label of the transcript

    @property
    def numbered(self) -> bool:
        """A label speech recognition numbers (:func:`numbered_speaker`): for this transcript only."""
        return numbered_speaker(self.speaker)


def interviewer_guesses(store: Store) -> tuple[list[InterviewerGuess], list[str]]:
    """For every transcript of several speakers none of whom is an interviewer: who asks the
    questions there, and the names of those where no speaker clearly does."""
    guesses: list[InterviewerGuess] = []
    unclear: list[str] = []
    for name in store.transcripts.without_interviewer():
        tid = store.transcripts.id_by_name(name)
        transcript = store.transcripts.load(tid) if tid is not None else None
        found = likely_interviewer(transcript) if transcript is not None else None
        if transcript is None or found is None:
            unclear.append(name)
            continue
        labels = list(dict.fromkeys(t.speaker for t in transcript.turns if t.speaker is not None))
        guesses.append(InterviewerGuess(name, *found, labels))
    return guesses, unclear


def interviewer_command(speaker: str, transcript: str) -> str:
    """The command that makes ``speaker`` an interviewer: in every transcript, or in this one
    only when the label is a number speech recognition gave (:func:`numbered_speaker`)."""
    command = f"qualcode speakers --interviewer {shlex.quote(speaker)}"
    if numbered_speaker(speaker):
        command += f" --transcript {shlex.quote(transcript)}"
    return command


def no_interviewer_warning(transcript: Transcript, speakers: Sequence[str]) -> str:
    """What to say about a transcript of several speakers none of whom is an interviewer by
    ``interviewer_speakers``: its questions would count as answers (suggestions, statistics
    by role), so the likely interviewer is named with the command that makes them one."""
    listed = first_of(speakers, 6)
    said = f"{transcript.name}: no speaker is an interviewer by interviewer_speakers (speakers {listed})"
    guess = likely_interviewer(transcript)
    if guess is None:
        return f"{said}; if one of them asks the questions, run `qualcode speakers --interviewer LABEL`"
    speaker, asked, turns = guess
    return (
        f"{said}; {speaker} asks questions in {asked} of {turns} turns: if {speaker} is the interviewer,"
        f" run `{interviewer_command(speaker, transcript.name)}`"
    )


def _stored_path(project: Project, path: Path, result: ImportResult) -> str:
    """The source path to store: relative to the project where possible, saying so where not.

    ``path`` is absolute with its links unresolved. A link inside the project to a
    file outside it is stored as the link (and reported); a file outside the project
    is stored with its absolute path (and reported).
    """
    root = _resolved_root(project.root)
    # Resolving a path reads every folder on the way; a folder's files share its answer.
    target = path.resolve() if path.is_symlink() else _resolved_folder(path.parent) / path.name
    for base in dict.fromkeys((project.root, root)):
        try:
            relative = path.relative_to(base)
        except ValueError:
            continue
        if not target.is_relative_to(root):
            result.warnings.append(
                f"{one_line(str(relative))} is a link to {one_line(str(target))}, outside the project: its path inside the project is stored,"
                " so keep the link (or copy the file in) for `qualcode reimport`"
            )
        return str(relative)
    if target != root and target.is_relative_to(root):
        return str(target.relative_to(root))
    result.outside.append(path)
    return str(path)


def _outside_warning(project: Project, outside: Sequence[Path]) -> str:
    """One warning for every file stored with its absolute path (a folder of 1,000 files
    outside the project gives one line, not 1,000), naming the first few."""
    into = f"{project.root / TRANSCRIPT_DIR} to keep the project self-contained"
    if len(outside) == 1:
        return f"{one_line(str(outside[0]))} is outside the project folder: its absolute path is stored (copy it into {into})"
    shown = first_of([one_line(str(path)) for path in outside], OUTSIDE_SHOWN)
    return (
        f"{len(outside)} files are outside the project folder ({shown}): their absolute paths are stored (copy them into {into})"
    )


@functools.lru_cache(maxsize=8)
def _resolved_root(root: Path) -> Path:
    return root.resolve()


@functools.lru_cache(maxsize=64)
def _resolved_folder(folder: Path) -> Path:
    """``folder.resolve()``, remembered during one import (:func:`import_paths` clears it)."""
    return folder.resolve()


def _transcript_index(store: Store) -> dict[str, int | None]:
    """Transcript ids by source file name, its stem and transcript name (None: several match)."""
    index: dict[str, int | None] = {}
    names = store.transcripts.names()
    for tid, source in store.transcripts.source_paths().items():
        keys = {names[tid]}
        if source:
            keys |= {Path(source).name, Path(source).stem}
        for key in keys:
            index[key] = tid if index.get(key, tid) == tid else None
    return index


def _apply_named_attributes(store: Store, tables: list[_Table], result: ImportResult) -> None:
    """Rows of named attribute CSVs that no file of this import used: for transcripts already imported.

    A CSV of which no row names any transcript is refused (it is the wrong file, or
    its names are wrong); rows that name none are reported.
    """
    if not tables:
        return
    index = _transcript_index(store)
    for table in tables:
        unmatched: list[str] = []
        for key, values in table.rows.items():
            if key in table.used:
                continue
            tid = index.get(key)
            if tid is None:
                unmatched.append(key)
                continue
            table.used.add(key)
            name = store.transcripts.name(tid)
            old = store.transcripts.attributes(tid)
            new = {k: v for k, v in values.items() if old.get(k) != v}
            if new:
                store.transcripts.set_attributes(tid, new)
                if name not in result.attributes_updated:
                    result.attributes_updated.append(name)
        if not unmatched:
            continue
        if not table.used:
            raise error(ATTRIBUTES_UNMATCHED, path=str(table.path), count=len(unmatched), names=first_of(unmatched, 5))
        result.warnings.append(_unmatched_rows(table, unmatched, "of the project"))


def _report_folder_rows(store: Store, tables: list[_Table], result: ImportResult) -> None:
    """A warning for each folder's attributes.csv with rows that name no file of its folder
    and no transcript of the project (a misspelt or renamed file: its attributes reach nothing)."""
    index: dict[str, int | None] | None = None
    for table in tables:
        rest = [key for key in table.rows if key not in table.used]
        if not rest:
            continue
        index = _transcript_index(store) if index is None else index
        try:
            present = {part for p in table.path.parent.iterdir() for part in (p.name, p.stem)}
        except OSError:
            present = set()
        unmatched = [key for key in rest if key not in index and key not in present]
        if unmatched:
            result.warnings.append(_unmatched_rows(table, unmatched, "of its folder or of the project"))


def _unmatched_rows(table: _Table, unmatched: list[str], where: str) -> str:
    """The warning for rows of an attributes CSV whose file names no transcript: which rows
    (by line), which names, and what to do."""
    listed = first_of([f"'{one_line(key)}' (line {table.rows.lines[key]})" for key in unmatched], 5)
    return (
        f"{one_line(str(table.path))}: {len(unmatched)} row(s) name no transcript {where}, so their attributes"
        f" were applied to nothing: {listed}; correct the name in the 'file' column (a transcript's file name or"
        " name) or import that file, then import the CSV again"
    )


def import_codings_csv(store: Store, path: Path, codebook, *, default_coder: str) -> int:
    """Apply the codings a codings CSV lists (``file,turn,code[,text,memo,coder]``), all or nothing.

    The same reader and checks as ``qualcode code --from`` (:mod:`qualcode.bulk`);
    returns the number added (codings already present are not added again).
    """
    from .bulk import code_from_text, decode_source

    text = decode_source(read_bytes(path, CODINGS_LIMIT, noun="a codings file", hint=CODINGS_TOO_BIG_HINT), path.name)
    return code_from_text(store, codebook, text, str(path), coder=default_coder).added


def auto_import(project: Project, progress: Progress | None = None) -> ImportResult | None:
    """Import the project's transcripts/ folder into a store that has none yet.

    This is what makes ``qualcode`` in a folder of transcripts (such as the bundled
    sample project) work without a separate import step.
    """
    if not project.awaits_first_import():
        return None
    result = import_paths(project, [project.root / TRANSCRIPT_DIR], default_coder="import", progress=progress, allow_nothing=True)
    if result.imported:
        project.store.settings.set(FIRST_IMPORT_DONE, now())
    return result
