"""``read_transcript``: one entry point that dispatches on the file suffix."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from qualcode.errors import NO_TEXT, UNSUPPORTED_FORMAT, error
from qualcode.ingest.markdown import read_markdown
from qualcode.ingest.paths import clean_name, read_bytes
from qualcode.ingest.plaintext import read_plain
from qualcode.ingest.rtf import read_rtf
from qualcode.ingest.subtitles import read_srt, read_vtt
from qualcode.ingest.word import read_docx
from qualcode.model import Transcript, sha256_bytes
from qualcode.termsafe import nfc

Reader = Callable[[bytes, Path, str | None], Transcript]

READERS: dict[str, Reader] = {
    ".txt": read_plain,
    ".md": read_markdown,
    ".docx": read_docx,
    ".vtt": read_vtt,
    ".srt": read_srt,
    ".rtf": read_rtf,
}


def read_transcript(
    path: Path, *, encoding: str | None = None, name: str | None = None, data: bytes | None = None, source_hash: str | None = None
) -> Transcript:
    """Read one transcript file into a :class:`~qualcode.model.Transcript`.

    Dispatches on the suffix (.txt, .md, .docx, .vtt, .srt, .rtf; case-insensitive).
    ``encoding`` forces a codec for the text formats and .rtf (ignored for .docx);
    ``name`` defaults to the file stem; control characters, tabs and newlines in
    it become spaces (with a warning). ``data``: the file's bytes, if the caller
    has read them already, and ``source_hash`` their sha256 if it has hashed them. The result carries the normalised text,
    its turns (``role`` left None), front-matter attributes, the source path,
    format, sha256 of the raw bytes, the encoding used and warnings for the user.

    Every problem with the file raises a :class:`~qualcode.errors.QualcodeError`
    from the catalogue that names the file.
    """
    path = Path(path)
    suffix = path.suffix.casefold()
    reader = READERS.get(suffix)
    if reader is None:
        raise error(UNSUPPORTED_FORMAT, path=str(path), suffix=path.suffix or "(no suffix)")
    if data is None:
        data = read_bytes(path)
    transcript = reader(data, path, encoding)
    if not transcript.text.strip():
        raise error(NO_TEXT, path=str(path))
    if not transcript.turns:
        transcript.warnings.append("no turns found: the text has only headings, speaker labels or timestamps")
    raw_name = name or path.stem
    transcript.name = clean_name(raw_name)
    if transcript.name != nfc(raw_name):
        transcript.warnings.append(
            f"the name holds control characters, tabs, line breaks or extra spaces: imported as '{transcript.name}'"
        )
    transcript.source_path = path
    transcript.source_format = suffix[1:]
    transcript.source_hash = sha256_bytes(data) if source_hash is None else source_hash
    return transcript
