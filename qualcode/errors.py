"""The catalogue of user-facing errors.

Every error a researcher can cause is a :class:`Msg` here: a stable code, a message
with ``{placeholders}`` and a hint saying what to do. Keeping them together lets a
Dutch interface translate them in one place. Code raises ``error(MSG, **values)``;
the CLI prints ``error: message`` and ``hint: ...`` on stderr and exits non-zero,
the TUI shows them in a notification. Never a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Msg:
    code: str
    text: str
    hint: str = ""


@dataclass(slots=True)
class Problem:
    """One located problem in an input file (``file:line:column: message``)."""

    file: str
    line: int | None
    column: int | None
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text


class QualcodeError(Exception):
    """An error caused by the user's input or request, not by a bug."""

    def __init__(
        self,
        message: str,
        hint: str | None = None,
        *,
        code: str = "QC000",
        problems: Sequence[Problem | str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint or None
        self.code = code
        # Located problems (or whole sub-errors) printed before the message.
        self.problems: list[Problem | str] = list(problems or [])

    def __str__(self) -> str:
        lines = [str(p) for p in self.problems]
        lines.append(self.message)
        return "\n".join(lines)


# The end of an import's refusal; a command that reads the input without importing it says what
# it did not do instead (see ``retold``).
NOTHING_IMPORTED = "; nothing was imported"


def retold(exc: QualcodeError, outcome: str) -> QualcodeError:
    """``exc``, a refusal that ends in NOTHING_IMPORTED, ending in ``outcome`` instead (e.g.
    "nothing was compared"): for commands that read an import's input but do not import it."""
    if exc.message.endswith(NOTHING_IMPORTED):
        exc.message = exc.message.removesuffix(NOTHING_IMPORTED) + f"; {outcome}"
    return exc


def error(msg: Msg, problems: Sequence[Problem | str] | None = None, **values: object) -> QualcodeError:
    """Build the error for catalogue entry ``msg`` with its placeholders filled."""
    hint = msg.hint.format(**values) if msg.hint else None
    return QualcodeError(msg.text.format(**values), hint, code=msg.code, problems=problems)


def write_error(msg: Msg, path: object, exc: OSError) -> QualcodeError:
    """``msg`` for an OS error while writing ``path``; a full disk (or quota) as :data:`DISK_FULL`,
    whose hint is to free space, not to check the folder."""
    import errno

    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return error(DISK_FULL, path=path, reason=reason)
    return error(msg, path=path, reason=reason)


@dataclass(slots=True)
class Report:
    """Warnings and notes collected by a core operation, for the caller to show."""

    warnings: list[str] = field(default_factory=list)

    def warn(self, text: str) -> None:
        self.warnings.append(text)


# --- projects -------------------------------------------------------------------
NO_PROJECT = Msg(
    "QC001",
    "no qualcode project at {path}",
    "run `qualcode init {path}` first, or pass --project DIR",
)
PROJECT_EXISTS = Msg("QC002", "{path} is already a qualcode project", "open it with `qualcode --project {path}`")
NO_CODEBOOK = Msg(
    "QC003",
    "no codebook found in {path}",
    "put a codebook YAML file in codebooks/ or name one with `codebook:` in qualcode.yaml",
)
SEVERAL_CODEBOOKS = Msg(
    "QC004",
    "several codebooks in {path}: {names}",
    "pick the one to use with `qualcode codebook use <file>` (it writes `codebook:` in qualcode.yaml)",
)
BAD_CONFIG = Msg("QC005", "{path}: {problem}", "see `qualcode init --help` for the configuration keys")
STORE_NEWER = Msg(
    "QC006",
    "{path} was written by a newer qualcode (unknown migration '{name}')",
    "upgrade qualcode: pip install -U qualcode",
)
STORE_UNREADABLE = Msg("QC007", "{path} is not a qualcode database: {reason}", "check the file, or move it away and re-import")
STORE_FOREIGN = Msg(
    "QC444",
    "{path} is not {kind}: {reason}; qualcode added nothing to it",
    "name the right file, or move this one away: qualcode writes into no database of another kind",
)
CODER_NAME_TOO_LONG = Msg(
    "QC446",
    "{where}the coder's name '{start}…' is {length:,} characters long; a coder's name is at most {limit:,}"
    " (it is stored with each of their codings and shown in every list of coders)",
    "{what}",
)
STORE_READ_ONLY = Msg(
    "QC008",
    "cannot {action}: {path} is read-only (the {what} may not be written)",
    "browsing and exports work as they are; to code, make the {what} writable (e.g. `chmod u+w`) or work on a copy",
)
STORE_READ_ONLY_UPGRADE = Msg(
    "QC968",
    "{path} was written by an older qualcode and needs an upgrade ({names}) before it can be opened, but the {what} is read-only",
    "make the {what} writable once (e.g. `chmod u+w`) and run the command again (the upgrade keeps every coding),"
    " or open a copy of the project",
)
PROJECT_LOCKED = Msg(
    "QC050",
    "gave up after {seconds} s: {holder} is changing the codebook",
    "wait for that command to finish and run yours again; nothing was changed",
)
PROJECT_LOCK_FAILED = Msg(
    "QC051",
    "cannot lock the codebook ({path}): {reason}",
    "changing the codebook needs the folder .qualcode/ in a writable project folder; work on a copy if it is read-only",
)
STORE_BUSY = Msg(
    "QC009",
    "{path} is busy: another qualcode process kept it locked for {seconds} s",
    "wait for the other command (or close the other window's long job) and try again",
)

# --- projects: the CLI for daily use (QC010-QC049) ----------------------
NOT_A_CODEBOOK_HERE = Msg(
    "QC010",
    "{path} is not a codebook of this project",
    "the project's codebooks are in codebooks/: {names}",
)
CHECK_PROBLEMS = Msg("QC012", "{count} problem(s) found in {summary}", "see the findings above")
CONFIG_NOT_EDITABLE = Msg(
    "QC011",
    "cannot set `{key}` in {path}: {reason}",
    "edit {path} by hand: add the line `{key}: {value}`",
)

# --- codebooks ------------------------------------------------------------------
CODEBOOK_INVALID = Msg(
    "QC100", "{path}: {count} problem(s) in the codebook", "fix the lines listed above and run `qualcode codebook check {path}`"
)
CODEBOOKS_PROBLEMS = Msg("QC103", "{total} problem(s) in {files} codebook file(s)", "fix the lines listed above")
CODEBOOK_UNREADABLE = Msg(
    "QC101",
    "cannot read codebook {path}: {reason}",
    "give the path of the codebook's YAML file (the project's is `codebook:` in qualcode.yaml, or the one in codebooks/)",
)
CODEBOOK_NOT_UTF8 = Msg(
    "QC447",
    "cannot read codebook {path}: {reason}",
    "open it in a text editor and save it with the encoding UTF-8, then run the command again",
)
UNKNOWN_CODE = Msg("QC102", "unknown code '{code}'", "list the codes with `qualcode codebook show`{suggestion}")
UNKNOWN_CODES_SUMMARY = "{count} code(s) named in {path} are not in the codebook ({codes}): if these codings were made with another codebook, make it the project's first (`qualcode codebook use FILE`)"
# Warnings when a project is opened: a codebook change whose process was killed after the store
# committed it and before its new codebook file was put in place (Project._finish_codebook_change).
CODEBOOK_CHANGE_LOST = (
    "an earlier command changed the codings with the codebook, but was stopped before it could write the new"
    " codebook, and the file it had prepared ({staged}) is gone or was changed: {path} was left as it is;"
    " `qualcode check` lists codings whose code it lacks, and running that command again finishes the change"
)
CODEBOOK_CHANGE_NOT_FINISHED = (
    "an earlier command was stopped before it could write the new codebook, and it cannot be written now"
    " ({path}: {reason}); make the codebook's folder writable and run any qualcode command in the project"
)
CODEBOOK_CHANGE_READ_ONLY = (
    "an earlier command was stopped before it could write the new codebook, and it cannot be finished while"
    " the store ({db}) is read-only; make it writable and run any qualcode command in the project"
)
CODEBOOK_CHANGE_UNREADABLE = (
    "the store's note of a codebook change to finish cannot be read ({value}): it was removed; `qualcode check`"
    " lists codings whose code the codebook lacks"
)

# --- codebooks: hostile and damaged input (QC120-QC139) ----------------------------
CODEBOOK_TOO_DEEP = Msg(
    "QC120",
    "code '{code}' is nested more than {limit} levels deep; qualcode keeps code trees at most {limit} levels deep",
    "a tree this deep is a generated or damaged file: move the deepest codes up a level where it was made, then try again",
)

# --- transcripts and import -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class TextKind:
    """What a text file read by :func:`qualcode.ingest.decode.decode` should be, for its errors."""

    noun: str  # "looks like a binary file, not {noun}"
    plain: str  # "this is a PNG image, not {plain}"
    empty: str  # the hint for an empty file
    other: str  # the hint for a binary or non-text file (a sniffed kind may give its own)
    own_hints: bool = True  # whether a sniffed kind's hint (PDF, image...) applies
    encoding_option: bool = True  # whether the command reading it has --encoding


TRANSCRIPT_TEXT = TextKind(
    "a transcript",
    "a plain-text transcript",
    "export the transcript again, or leave it out",
    "import .txt, .md, .docx, .vtt, .srt or .rtf files",
)
CODINGS_TEXT = TextKind(
    "a codings file (CSV or JSON lines)",
    "a codings file (CSV or JSON lines)",
    "the first line names the columns (transcript,code and turn, span, start,end or text), then one coding per line",
    "save the codings as CSV (UTF-8) or as JSON lines, one coding per line",
    own_hints=False,
    encoding_option=False,
)
UTF16_NO_BOM_HINT = "save it again as UTF-8 (or as UTF-16 with a byte-order mark)"
BOM_DAMAGED_HINT = "its byte-order mark says {encoding}, but the bytes after it are not: the file is cut off or damaged; save it again (as UTF-8)"
NO_ENCODING_OPTION_HINT = "save the file again as UTF-8 (in Excel: Save As, then 'CSV UTF-8')"
ATTRIBUTES_TEXT = TextKind(
    "an attributes file (CSV)",
    "an attributes file (CSV)",
    "the first line names the columns (file, then one column per attribute), then one line per transcript",
    "save the sheet as CSV (UTF-8)",
    own_hints=False,
    # --encoding reads a sheet beside transcripts in that encoding, but a folder's sheet is
    # read by every later import of the folder: saving it as UTF-8 is the fix that lasts.
    encoding_option=False,
)

FILE_NOT_FOUND = Msg("QC200", "{path}: no such file", "check the path")
EMPTY_FILE = Msg("QC201", "{path}: the file is empty", "{hint}")
BINARY_FILE = Msg(
    "QC202",
    "{path}: looks like a binary file, not {noun} (control byte 0x{byte:02x} at offset {offset})",
    "{hint}",
)
UNDECODABLE = Msg(
    "QC203",
    "{path}: line {line}, column {column}: not valid {encoding} at byte offset {offset} (byte 0x{byte:02x})",
    "{hint}",
)
UNDECODABLE_HINT = "if the file was saved by Word or Notepad on Windows, try --encoding cp1252"
# UTF-8 damaged in one spot (an encoded surrogate, a cut-off character), or bytes that are no cp1252 text either.
UNDECODABLE_DAMAGED_HINT = (
    "the file is UTF-8 but for this spot, so --encoding cp1252 would garble it: the bytes there ({bytes}) are {what}; "
    "delete or retype that character in an editor that shows it and save the file as UTF-8"
)
UNDECODABLE_OTHER_HINT = (
    "the bytes there ({bytes}) are {what}, and not Windows cp1252 text either: find out which encoding the file "
    "was saved in and give it with --encoding NAME (e.g. latin-1, mac-roman), or save the file as UTF-8"
)
UNDECODABLE_CP1252_HINT = (
    "the file reads as Windows cp1252 (Word, Notepad) -- line {line} would be '{preview}'; "
    "if that looks right, import it with --encoding cp1252"
)
UNSUPPORTED_FORMAT = Msg("QC204", "{path}: unsupported file type '{suffix}'", "import .txt, .md, .docx, .vtt, .srt or .rtf files")
BAD_DOCUMENT = Msg("QC205", "{path}: cannot read this {kind} file: {reason}", "{hint}")
UNKNOWN_TRANSCRIPT = Msg("QC206", "no transcript named '{name}'", "list them with `qualcode transcripts`{suggestion}")
AMBIGUOUS_TRANSCRIPT = Msg("QC207", "'{name}' matches several transcripts: {matches}", "use the full name")
BAD_ATTRIBUTES = Msg("QC208", "{path}:{line}: {problem}", "{hint}")
BAD_FRONT_MATTER = Msg("QC209", "{path}:{line}: front matter is not valid YAML: {problem}", "{hint}")
FRONT_MATTER_MAPPING_HINT = "front matter is a YAML mapping between two '---' lines"
UNKNOWN_ENCODING = Msg("QC210", "unknown encoding '{encoding}'", "use a Python codec name such as cp1252, latin-1 or utf-16")
IMPORT_FAILED = Msg(
    "QC212",
    "{count} of {total} file(s) could not be imported; nothing was imported",
    "fix or leave out the files listed above and run the import again",
)
DUPLICATE_TEXT = Msg("QC216", "{path} has the same text as transcript '{name}'", "check that you picked the right file")
NO_TEXT = Msg("QC211", "{path}: no text found in the file", "check that the file holds the transcript")
NOT_PLAIN_TEXT = Msg("QC214", "{path}: this is {kind}, not {noun}", "{hint}")
UNREADABLE_FILE = Msg("QC215", "{path}: cannot read the file: {reason}", "check the path and that you may read the file")

# --- transcripts and import: hostile and damaged input (QC220-QC259) -------------
DOCX_TOO_BIG = Msg(
    "QC220",
    "{path}: '{entry}' inside this Word file is too large ({size} bytes; the limit is {limit})",
    "split the transcript into several .docx files, or save it as plain text (.txt)",
)
DOCX_BOMB = Msg(
    "QC221",
    "{path}: '{entry}' inside this Word file expands {ratio}x ({packed} → {size} bytes); refusing what looks like a zip bomb",
    "open the file in Word and save it again, or save the transcript as plain text (.txt)",
)
ATTRIBUTES_UNMATCHED = Msg(
    "QC222",
    "{path}: none of its {count} row(s) names a transcript of this import or of the project (it names {names})",
    "the 'file' column holds transcript file names (interview_01.txt) or transcript names;"
    " import the transcripts first, or together with it: qualcode import FOLDER {path}",
)
SPAN_NEGATIVE = Msg(
    "QC223",
    "span {start}:{end} starts before the beginning of transcript '{name}' (offsets start at 0)",
    "spans are code-point offsets START:END with 0 <= START < END <= {length}",
)
SPAN_REVERSED = Msg(
    "QC224",
    "span {start}:{end} is {what}: its end must come after its start",
    "write START:END with START < END{example}",
)

ENCODING_MISREAD = Msg(
    "QC225",
    "{path}: the file is UTF-8 text, and --encoding {encoding} would misread it (line {line}: '{wrong}' instead of '{right}')",
    "leave out --encoding: qualcode reads UTF-8 (and UTF-16 with a byte-order mark) by itself",
)
NOT_WIDE_TEXT = Msg(
    "QC331",
    "{path}: not {encoding} text, the encoding given with --encoding: {size} bytes without a single zero byte"
    " (read that way it would be '{wrong}')",
    "the file is in a one-byte encoding: try --encoding cp1252 (Word, Notepad), or leave out --encoding",
)
NOT_A_FILE_ENCODING = Msg(
    "QC974",
    "{path}: the codec '{encoding}' given with --encoding cannot read files ({reason})",
    "use a text encoding such as cp1252, latin-1, mac-roman or utf-16, or leave out --encoding",
)
WRONG_ENCODING = Msg(
    "QC226",
    "{path}: not valid {encoding} at byte offset {offset} (byte 0x{byte:02x}), the encoding given with --encoding",
    "the file is in another encoding: try cp1252, latin-1, mac-roman or utf-16, or leave out --encoding",
)

RENAME_ONTO_INTERVIEWERS = Msg(
    "QC238",
    "{path} names the interviewers of '{name}', which no transcript is called: renamed so, this transcript would take them",
    "remove or rename that entry under `interviewers:` in {path}, or pick another name",
)
TRANSCRIPT_NAME_TAKEN = Msg(
    "QC227", "another transcript is called '{name}'", "pick a name no transcript has (`qualcode transcripts` lists them)"
)
TRANSCRIPT_BAD_NAME = Msg("QC228", "cannot name a transcript '{shown}': {reason}", "give a name on one line, e.g. interview_07")


def span_error(start: int, end: int, name: str, length: int) -> QualcodeError:
    """The error for a span that does not fit its transcript: reversed, negative or too long.

    The three catalogue entries say what is wrong with it (SPAN_REVERSED, SPAN_NEGATIVE,
    BAD_SPAN); callers check ``0 <= start < end <= length`` first.
    """
    if end <= start:
        example = f", e.g. {end}:{start}" if end < start and end >= 0 else ""
        return error(SPAN_REVERSED, start=start, end=end, what="empty" if end == start else "reversed", example=example)
    if start < 0:
        return error(SPAN_NEGATIVE, start=start, end=end, name=name, length=length)
    return error(BAD_SPAN, start=start, end=end, name=name, length=length)


# --- coding ---------------------------------------------------------------------
BAD_SPAN = Msg(
    "QC300",
    "span {start}:{end} reaches past the end of transcript '{name}' (its text is 0:{length})",
    "spans are code-point offsets START:END with 0 <= START < END <= {length}",
)
BAD_TURN = Msg("QC301", "transcript '{name}' has no turn {turn}", "its turns are numbered 1 to {count}")
NO_CODING = Msg("QC302", "no coding with id {id}", "list codings with `qualcode codings`")
MEMO_CHANGED_MEANWHILE = Msg(
    "QC239",
    "the memo of {what} was changed in another window (or by a command) while you wrote yours: it now reads '{theirs}'",
    "yours is kept as a draft, not saved: open the memo again ({key}) and save it to replace that one, or Esc twice to keep that one",
)
MEMO_CODING_GONE = Msg(
    "QC237",
    "{what} was removed while its memo was being written (in another window or by a command): the memo cannot be kept",
    "copy what you wrote before closing the memo; `qualcode trash` lists what was removed, `qualcode trash restore ID` puts it back",
)
NOT_CODABLE = Msg("QC304", "code '{code}' is a folder and cannot be applied", "apply one of its sub-codes: {children}")
NOTHING_TO_CODE = Msg(
    "QC330",
    "span {start}:{end} of '{name}' holds no transcript text (only a speaker label, a timestamp or blank space)",
    "`qualcode show {name}` lists the turns with their offsets",
)
CODING_EXISTS = Msg("QC306", "coding {id} is in the store again (or the same code on the same span by the same coder)", "")
SPAN_SYNTAX = Msg("QC303", "cannot read span '{value}'", "write the span as START:END, e.g. --span 120:245")

# --- coding from the CLI: detached codings, trash, show, bulk (QC311-QC349) ---
NO_DETACHED = Msg("QC311", "no detached coding with id {id}", "list them with `qualcode codings --detached`")
NOT_IN_TRASH = Msg("QC312", "nothing in the trash with id {id}", "list the trash with `qualcode trash`")
TRASH_CONFLICT = Msg(
    "QC313",
    "cannot restore trash item {id} ('{name}'): the project holds a transcript with the same {what} now ('{other}')",
    "if '{other}' is the same interview imported again, the trash item is not needed;"
    " otherwise remove '{other}' first (`qualcode transcripts remove {other}`)",
)
TRASH_NEEDS_TRANSCRIPT = Msg(
    "QC314",
    "cannot restore trash item {id}: its transcript '{name}' is not in the project",
    "restore the transcript first (`qualcode trash` lists it), then this item",
)
NOTHING_TO_UNCODE = Msg(
    "QC317",
    "nothing to remove: no coding of {what} lies inside {start}:{end} of '{name}'{overlapping}",
    "`qualcode show {name} --codes` lists the codings with their spans; remove one by its id with `qualcode uncode --id N`",
)
TURNS_SYNTAX = Msg("QC318", "cannot read --turns '{value}'", "give a turn or a range of turns, e.g. --turns 4 or --turns 3-7")
BULK_PROBLEMS = Msg(
    "QC319",
    "{count} problem(s) in {path}; nothing was coded",
    "fix the lines listed above and run the command again (a line that is already coded is skipped)",
)
BULK_UNREADABLE = Msg("QC320", "cannot read {path}: {reason}", "{hint}")
QUOTE_NOT_FOUND = Msg(
    "QC322",
    "the text {quote} is not in {where}",
    "copy the text exactly as `qualcode show {name}` prints it (spacing and line breaks may differ), or give --span",
)
QUOTE_AMBIGUOUS = Msg(
    "QC323",
    "the text {quote} occurs {count} times in {where} (at {places})",
    "name the turn too (--turn N), quote a longer passage, or give --span",
)
CODING_IN_TRASH = Msg(
    "QC325",
    "coding {id} was removed: it is in the trash (item {item}, {what})",
    "`qualcode trash restore {item}` puts it back",
)
LOCATION_CHOICE = Msg(
    "QC324",
    "say where to code: {problem}",
    "give --turn N, --span START:END or --text QUOTE (--text may go with --turn)",
)
BULK_FIELD_MISSING = Msg("QC326", "no {missing} given", "{hint}")
BULK_SPAN_TWICE = Msg("QC327", "both a span and start/end given", "give one of them")
BULK_NOT_NUMBER = Msg("QC328", "{field} must be a whole number, not {value!r}", "{hint}")
BULK_TEXT_MISMATCH = Msg(
    "QC329",
    "the span {start}:{end} holds {held!r}, not the line's text {quote!r}",
    "the transcript may have changed since the file was made; give the text alone to find it again",
)

# --- REFI-QDA and codebook operations ----------------------------------------------
XML_MALFORMED = Msg(
    "QC400",
    "{path}:{line}:{column}: not well-formed XML: {reason}",
    "the file is damaged or is not a REFI-QDA file; export it again from the other program",
)
XML_FORBIDDEN = Msg(
    "QC401",
    "{path}:{line}: the XML declares {what}, which qualcode refuses for safety",
    "REFI-QDA files never need a DOCTYPE or entities; export the file again",
)
REFI_WRONG_ROOT = Msg(
    "QC402",
    "{path}: expected a REFI-QDA {expected} (<{want}>), found <{found}>",
    "a codebook is a .qdc file with <CodeBook>; a project is a .qdpx archive whose project.qde holds <Project>",
)
REFI_UNKNOWN_NAMESPACE = Msg(
    "QC403",
    "{path}: unknown XML namespace '{namespace}' on <{element}>",
    "REFI-QDA files use urn:QDA-XML:codebook:1.0 (.qdc) or urn:QDA-XML:project:1.0 (.qdpx)",
)
REFI_INVALID = Msg(
    "QC404",
    "{path}: {count} problem(s) in the REFI-QDA file" + NOTHING_IMPORTED,
    "the lines above say what is wrong; export the file again or fix it in the program that made it",
)
QDPX_NOT_ZIP = Msg(
    "QC405",
    "{path}: not a .qdpx archive ({reason})",
    "a .qdpx file is the zip archive that ATLAS.ti, NVivo, MAXQDA, QualCoder or qualcode export",
)
QDPX_NO_PROJECT = Msg(
    "QC406",
    "{path}: the archive has no project.qde (it holds: {entries})",
    "export the project again as REFI-QDA project (.qdpx)",
)
QDPX_MISSING_SOURCE = Msg(
    "QC407",
    "{path}: source '{name}' refers to '{ref}', which is not in the archive",
    "export the project again with its sources embedded",
)
TWICE_NAMED = "it is in the archive twice, so programs may read different copies"  # reason of an unsafe entry
A_LINK = "a symbolic link, not a file: programs that unpack the archive follow it elsewhere"  # reason of an unsafe entry
QDPX_UNSAFE_PATH = Msg(
    "QC408",
    "{path}: unsafe path '{entry}' ({reason})",
    "qualcode only reads files inside the archive; the file may be damaged or made to attack: do not trust it",
)
QDPX_TOO_BIG = Msg(
    "QC409",
    "{path}: '{entry}' is too large ({size} bytes; the limit is {limit})",
    "split the project, or export it without media files",
)
QDPX_BOMB = Msg(
    "QC410",
    "{path}: '{entry}' expands {ratio}x ({packed} → {size} bytes); refusing what looks like a zip bomb",
    "export the project again from the program that made it",
)
REFI_DUPLICATE_GUID = Msg(
    "QC411",
    "GUID {guid} of {what} is also the GUID of {first}",
    "every code and source needs its own GUID; export the file again",
)
QDPX_EXTERNAL_SOURCE = Msg(
    "QC412",
    "{path}: text source '{name}' is stored outside the archive ({ref})",
    "export the project again with the text sources embedded (internal://)",
)
CODEBOOK_FILE_TYPE = Msg(
    "QC413",
    "{path}: cannot read a codebook from a '{suffix}' file",
    "give a codebook as .yaml, .qdc (REFI-QDA codebook), .qdpx or .qde (REFI-QDA project)",
)
OUTPUT_EXISTS = Msg("QC414", "{path} already exists", "choose another --out, or pass --force to replace it")
QDPX_SOURCE_UNDECODABLE = Msg(
    "QC415",
    "{path}: source '{name}' ({entry}) is not UTF-8 text: {reason}",
    "REFI-QDA text sources are UTF-8; export the project again",
)
QDPX_WRITE_FAILED = Msg("QC416", "cannot write {path}: {reason}", "check the folder exists and that you may write there")

# --- hostile input, round 6 (QC417-QC419) --------------------------------------------
FILE_TOO_BIG = Msg(
    "QC417",
    "{path}: the file is larger than the {limit} MB qualcode reads as {noun}",
    "{hint}",
)
NOTHING_TO_IMPORT = Msg(
    "QC418",
    "nothing to import in {paths}: no .txt, .md, .docx, .vtt, .srt or .rtf file and no attributes.csv or codings.csv",
    "qualcode imports the files directly in a folder, not in its sub-folders: name those folders too",
)
NOT_UTF8_NAME = Msg(
    "QC419",
    "{what} '{shown}' is not valid UTF-8 (byte 0x{byte:02x}); qualcode keeps names and paths as UTF-8 text",
    "rename it (a file) or type it again (an argument), using UTF-8 (any letter is fine)",
)
MERGE_CONFLICTS = Msg(
    "QC420",
    "{count} conflict(s) between {a} and {b}; nothing was written",
    "make the two files agree on the points listed above (or give --base, the version both started from), then merge again",
)
CODE_ID_TAKEN = Msg(
    "QC421",
    "code id '{code}' is already used in the codebook",
    "pick another id, or move the codings into it with `qualcode codebook merge-codes {old} --into {code}`",
)
BAD_CODE_ID = Msg("QC422", "'{code}' is not a valid code id", "ids use lowercase letters, digits and _, e.g. '{slug}'")
BAD_MOVE = Msg(
    "QC423", "cannot move '{code}' under '{parent}': {reason}", "pick a parent outside the code's own branch, or --top"
)
BAD_MERGE = Msg("QC424", "cannot merge '{code}' into '{target}': {reason}", "{hint}")
UNKNOWN_CODE_ANYWHERE = Msg(
    "QC425",
    "unknown code '{code}': it is not in the codebook and no coding uses it",
    "list the codes with `qualcode codebook show`{suggestion}",
)
BAD_MERGE_OPTION = Msg(
    "QC426", "--merge {value}: {reason}", "write --merge OLD_ID=NEW_ID, with NEW_ID a code of the new codebook"
)
NOT_IN_CODEBOOK = Msg(
    "QC427",
    "code '{code}' is not in the codebook ({count} coding(s) still use it)",
    "give its codings to a code of the codebook with `qualcode codebook merge-codes {code} --into CODE`",
)
NOTHING_TO_EXPORT = Msg(
    "QC428", "{path}: the codebook has no codes; there is nothing to export", "add codes to the codebook first"
)
ALREADY_YAML = Msg(
    "QC429",
    "{path} is already a qualcode codebook",
    "use it as it is, or turn it into a .qdc with `qualcode codebook export {path}`",
)
CODEBOOK_FLOW_STYLE = Msg(
    "QC430",
    "{path}:{line}: the codes here are written in flow style ([...]); qualcode edits only block lists in place",
    "write each code as a '- id: ...' block (as `qualcode init` does), then run the command again",
)

# --- hostile outputs and damaged projects, round 7 (QC431-QC439) ------------------------
OUTPUT_IS_PROJECT_FILE = Msg(
    "QC431",
    "{path} is {what} of the project in {root}; an export never replaces it (not even with --force)",
    "write it to a new file outside the project's own files, e.g. in a folder of its own such as {root}/exports/",
)
OUTPUT_BAD_NAME = Msg(
    "QC432",
    "cannot write '{shown}': {reason}",
    "give a file name of letters, digits, spaces and punctuation (no control characters), or -o - for stdout",
)
STORE_DAMAGED = Msg(
    "QC433",
    "{path} is damaged: {reason}",
    "nothing was changed; put back your latest backup of {name}, or rescue what SQLite can still read:"
    " `sqlite3 {name} .recover | sqlite3 rescued.db`, then move rescued.db to {name} and run `qualcode check`",
)
PROJECT_NOT_CREATED = Msg(
    "QC434",
    "cannot create the project in {path}: {reason}",
    "nothing was left behind; pick a folder you may write in (or make it writable) and run `qualcode init` again",
)
APP_NEEDS_TERMINAL = Msg(
    "QC435",
    "the coding screen needs a terminal, and {reason}",
    "run `qualcode` in a terminal window; in scripts and pipes use the commands (`qualcode --help`)",
)

# --- REFI-QDA fidelity and hardening (QC440-QC479) ----------------------------------
REFI_TOO_DEEP = Msg(
    "QC440",
    "codes nested more than {limit} levels deep",
    "qualcode reads code trees up to {limit} levels; flatten the tree in the program that made the file",
)
QDPX_EXPORT_SOURCE = Msg(
    "QC441",
    "cannot export transcript '{name}': its text {reason}, so no program could import the .qdpx",
    "this text came from an older import; import the transcript again from a clean file (`qualcode reimport`)",
)
QDPX_SOURCE_REFUSED = Msg(
    "QC442",
    "{path}: source '{name}' ({entry}) {reason}",
    "qualcode reads REFI-QDA text sources as it reads .txt transcripts; export the project again from the program that made it",
)
QDPX_SOURCES_MISSING = Msg(
    "QC443",
    "{path}: {count} source(s) are not there (listed above)" + NOTHING_IMPORTED,
    "put the missing files in {folder}, or import the rest with `qualcode import --skip-missing-sources {path}`",
)

# --- analysis and export --------------------------------------------------------
WHERE_SYNTAX = Msg("QC500", "cannot read --where '{value}'", "write ATTRIBUTE=VALUE, e.g. --where respondent_type=professional")
UNKNOWN_ATTRIBUTE = Msg("QC501", "no transcript has an attribute '{name}'", "known attributes: {known}{suggestion}")
UNKNOWN_ATTRIBUTE_VALUE = Msg("QC502", "no transcript has {name}={value}", "values of {name}: {values}")
UNKNOWN_GROUPING = Msg(
    "QC503", "cannot group by '{by}'", "group by transcript, speaker, role or a case attribute ({known}){suggestion}"
)
OUTPUT_UNWRITABLE = Msg("QC504", "cannot write {path}: {reason}", "check that the folder exists and that you may write in it")
DISK_FULL = Msg(
    "QC448",
    "cannot write {path}: the disk is full ({reason})",
    "free some space on that disk, or write the file to another disk, then run the command again (nothing was written)",
)

# --- undo and the coding screen -------------------------------------------------
UNDO_CONFLICT = Msg(
    "QC310",
    "cannot {action} '{step}': {reason}",
    "the coding or memo was changed outside this session (another window or a CLI command); the step was dropped",
)
KEYMAP_INVALID = Msg(
    "QC600",
    "{path}: {count} problem(s) in the keymap; using the default keys",
    "fix the lines listed above; `?` in the app lists every binding id and its keys",
)
KEYMAP_UNREADABLE = Msg(
    "QC601", "cannot read keymap {path}: {reason}; using the default keys", "the keymap is a YAML mapping of binding id to keys"
)

# --- suggestions ----------------------------------------------------------------
SPACY_MODEL_MISSING = Msg(
    "QC700",
    "the spaCy pipeline '{name}' named by spacy_model in qualcode.yaml is not installed",
    "install it (python -m spacy download {name}) or remove spacy_model from qualcode.yaml to use the built-in {fallback}",
)
SPACY_MODEL_BROKEN = Msg(
    "QC967",
    "the spaCy pipeline '{name}' named by spacy_model in qualcode.yaml cannot be loaded: {reason}",
    "name an installed pipeline (e.g. nl_core_news_sm) or a folder that spaCy's nlp.to_disk wrote (config.cfg,"
    " meta.json), or remove spacy_model from qualcode.yaml to use the built-in {fallback}",
)
LOOKUPS_MISSING = Msg(
    "QC701",
    "the Dutch lemma tables of spacy-lookups-data cannot be loaded: {reason}",
    "install them with: pip install spacy-lookups-data",
)
BAD_PATTERNS = Msg(
    "QC702",
    "{count} token pattern(s) in the hints of {path} cannot be used",
    "fix the patterns listed above (see https://spacy.io/usage/rule-based-matching) and run `qualcode suggest` again",
)
NO_SUGGESTION = Msg("QC703", "no suggestion with id {id}", "list them with `qualcode suggestions --status all`")
ALREADY_DECIDED = Msg("QC704", "suggestion {id} was already {status}", "list the open ones with `qualcode suggestions`")
NOTHING_TO_TRAIN = Msg(
    "QC705",
    "no code has {minimum} coded sentences yet, so there is nothing to learn from",
    "code more segments (the rule suggestions from the codebook hints work meanwhile)",
)
MODEL_UNREADABLE = Msg(
    "QC706", "the learned model in {path} cannot be read: {reason}", "retrain it with `qualcode suggest --train`"
)
JOB_FAILED = Msg(
    "QC973",
    "the {job} stopped on an unexpected error ({detail})",
    "your coding is saved and the app goes on; what happened is written to {log}: please send it with a report",
)
MODEL_NOT_SAVED = Msg(
    "QC966",
    "cannot save the learned model in {path}: {reason}",
    "suggestions work without it (a run trains one when it has none); to keep it, make {path} a writable folder",
)
NOTHING_TO_EVALUATE = Msg(
    "QC707",
    "no coded respondent sentences to evaluate against",
    "import transcripts with codings (e.g. a codings.csv) or code some segments first",
)

# --- suggestion quality: evaluating on chosen transcripts (QC980-QC989) ----------
NOT_CODED_FOR_EVALUATION = Msg(
    "QC980",
    "transcript '{name}' has no codings: there is nothing to score suggestions against",
    "code some of it first, or leave it out (`qualcode suggest --evaluate` without transcripts uses every coded one)",
)

# --- reviewing suggestions in the app ---------------------------------------------
REVIEW_UNDO_CONFLICT = Msg(
    "QC800",
    "cannot {action} the {kind} of suggestion {id}: {reason}",
    "the suggestion was decided or withdrawn outside this session (a CLI command or a new suggestion run); the step was dropped",
)

# --- team coding: coders, agreement, merge, disagreements (QC900-QC949) ----------
TOO_FEW_CODERS = Msg(
    "QC900",
    "comparing coders needs at least two of them; {found}",
    "name them with --coders A,B (coders in this project: {known})",
)
UNKNOWN_SPEAKER = Msg(
    "QC332", "no speaker '{speaker}' in this project", "speakers in this project (`qualcode speakers`): {known}{suggestion}"
)
REATTACH_ONE_TURN = Msg(
    "QC977",
    "a detached coding goes back as one coding, and {start}:{end} runs over {count} turns of '{name}'",
    "give --turn N, or a span or --text inside one turn (`qualcode show {name}` lists the turns with their offsets)",
)
ONE_CODER_SO_FAR = Msg(
    "QC976",
    "comparing coders needs at least two of them, and {count} coded in this project so far{coders}",
    "a second coder codes with `--coder NAME` (or names themself in the app), or their codings come in"
    " with `qualcode merge THEIR_PROJECT` (a folder or a .qdpx)",
)
TWO_CODERS_ONLY = Msg(
    "QC975",
    "disagreements are found and settled between two coders at a time, not {count} ({coders})",
    "name two of them with --coders A,B, e.g. --coders {example}",
)
UNKNOWN_CODER = Msg("QC901", "no coder '{name}' in this project", "coders in this project: {known}{suggestion}")
SEGMENT_NEEDS_TWO = Msg(
    "QC902",
    "--unit segment compares exactly two coders, not {count} ({coders})",
    "name two of them with --coders A,B, or use --unit character, sentence or turn for more coders",
)
BAD_OVERLAP = Msg("QC903", "--overlap {value}: the overlap is a percentage from 1 to 100", "e.g. --overlap 90 (the default)")
NOTHING_IN_COMMON = Msg(
    "QC904",
    "no transcript was coded by at least two of {coders}",
    "agreement needs transcripts that each coder coded; see `qualcode coders`",
)
NO_DISAGREEMENT = Msg(
    "QC905",
    "no disagreement '{key}' between {first} and {second}",
    "list them with `qualcode disagreements` (keys change when a coder changes a coding there)",
)
BAD_DECISION = Msg(
    "QC906",
    "cannot settle with '{decision}'",
    "choose one of: {choices}",
)
SPAN_BESIDE_DISAGREEMENT = Msg(
    "QC236",
    "the span {start}:{end} does not reach disagreement {key} ({first}:{last} in '{transcript}')",
    "the team's span shares text with the disagreement's ({first}:{last}): select it there, or give e.g. --span {first}:{last}",
)
SPAN_BEYOND_DISAGREEMENT = Msg(
    "QC978",
    "the span {start}:{end} reaches beyond the turn(s) of disagreement {key} ({first}:{last} in '{transcript}',"
    " its turn(s) {turns_start}:{turns_end}): it would code {parts} passage(s), in other turns too",
    "a consensus span stays within the disagreement's turn(s), e.g. --span {first}:{last}; if the team means to code"
    " that much, add --wider",
)
NO_ANSWER = Msg(
    "QC242",
    "{what}: nothing done, as nobody answered the question (the input is not a terminal, or it ended)",
    "run it in a terminal to answer, or pass {flag} to do it without asking",
)
MERGE_NO_DATABASE = Msg(
    "QC969",
    "{path} has no {name}: there is no coding in it to merge",
    "give the other coder's project folder with its {name} (a copy without it, e.g. from git, holds no codings),"
    " or the .qdpx they exported (`qualcode export qdpx`)",
)
MERGE_UNREADABLE = Msg(
    "QC907",
    "{path} is neither a qualcode project folder nor a .qdpx file",
    "give the other coder's project folder (with its qualcode.db) or the .qdpx they exported",
)
MERGE_SAME_PROJECT = Msg("QC908", "{path} is this project itself; there is nothing to merge", "give the other coder's copy")
MERGE_QDPX_REFUSED = Msg(
    "QC337",
    "cannot merge {path}: {reason}; nothing was merged",
    "{hint}",
)
MERGE_SOURCES_MISSING_HINT = (
    "ask for a .qdpx exported with its sources; or import this one into a new project"
    " (`qualcode import --skip-missing-sources`, which leaves those sources out) and merge that project's folder"
)
MERGE_NO_CODER = Msg(
    "QC909",
    "{path} names no coder (REFI-QDA user) for {count} coding(s)",
    "say whose codings they are: `qualcode merge {path} --as NAME`; nothing was merged",
)

# --- pseudonymisation ---------------------------------------------------------------
PSEUDO_NAMES_FILE = Msg(
    "QC950",
    "{path}:{line}: {problem}",
    "the file lists names by category, e.g. `person: [Hatice Yilmaz]`, and words never to flag under `never:`",
)
PSEUDO_UNKNOWN_CATEGORY = Msg("QC951", "unknown category '{category}'", "use one of: {categories}")
PSEUDO_DEDUCE_FAILED = Msg(
    "QC952",
    "deduce's lookup tables could not be built or loaded from {path}: {reason}",
    "check that the folder is writable and has ~200 MB free, or delete it to build the tables again",
)
PSEUDO_NO_CANDIDATE = Msg("QC953", "no candidate with id {id}", "list them with `qualcode pseudonymise list --status all`")
PSEUDO_BAD_SPAN = Msg(
    "QC954",
    "{start}-{end} is not a span of transcript '{name}' ({length} characters)",
    "give a start before the end, both within the text",
)
PSEUDO_NOT_FOUND = Msg("QC955", "'{text}' does not occur in {where}", "check the spelling (case matters for names)")
PSEUDO_ALREADY_APPLIED = Msg(
    "QC956",
    "transcript '{name}' already has its pseudonymised text",
    "decisions change the original text only; restore it first with `qualcode pseudonymise restore {name}`",
)
PSEUDO_PENDING = Msg(
    "QC957",
    "{count} candidate(s) are not reviewed yet in {names}",
    "review them (`qualcode pseudonymise list`), or pass --ignore-pending to leave them as they are",
)
PSEUDO_PENDING_EXPORT = Msg(
    "QC963",
    "{count} candidate(s) are not reviewed yet in {names}: a pseudonymised export would keep them as they are",
    "accept or reject them first (`qualcode pseudonymise list`, `qualcode pseudonymise accept|reject`), then export again",
)
PSEUDO_NAMED_TRANSCRIPT = Msg(
    "QC964",
    "{count} transcript name(s) hold a name accepted for pseudonymisation: {names}; a pseudonymised export would show it",
    "rename them first, e.g. `qualcode transcripts rename {first} interview_07`, then export again",
)
PSEUDO_NAMED_LABEL = Msg(
    "QC970",
    "{count} speaker label(s) name someone no accepted name covers: {labels}; a pseudonymised export would show them",
    "mark the name where the label stands, e.g. `qualcode pseudonymise add {transcript} --span {span} --category person` "
    "(or `qualcode pseudonymise never {name}` if it names no one), then export again",
)
PSEUDO_COLLAPSE = Msg(
    "QC958",
    "transcript '{name}': codings {ids} of code '{code}' would end up on the same span",
    "a coding starts or ends inside a replaced name; move one of them (`qualcode uncode`/`code`) and apply again",
)
PSEUDO_UNKNOWN_PSEUDONYM = Msg(
    "QC959", "no entity has the pseudonym '{pseudonym}'", "list the key with `qualcode pseudonymise key`"
)
PSEUDO_PSEUDONYM_TAKEN = Msg(
    "QC960",
    "the pseudonym '{pseudonym}' already stands for another name",
    "choose a pseudonym nobody else has (see `qualcode pseudonymise key`)",
)
PSEUDO_NOTHING_TO_UNDO = Msg("QC961", "no pseudonymisation decision to undo", "")
PSEUDO_STALE = Msg(
    "QC445",
    "{count} candidate(s) of transcript '{name}' no longer stand where they were found (e.g. #{id} '{text}'"
    " at {start}:{end}, where the text now reads '{now}'): the transcript changed since detection"
    " (a reimport) or the key is another project's; nothing was changed",
    "run `qualcode pseudonymise detect {name}`: it drops them and finds the names at their new places"
    " (names accepted before are accepted again at once)",
)
PSEUDO_NOT_APPLIED = Msg(
    "QC962",
    "transcript '{name}' has no original text kept aside",
    "only transcripts switched by `pseudonymise apply` can be restored",
)
PSEUDO_BAD_TEXT = Msg(
    "QC965",
    "cannot use {what} '{shown}': {reason}",
    "give it on one line, without tabs or control characters, e.g. {example}",
)
