"""Reader for Word .docx transcripts (python-docx).

Body paragraphs and tables are read in document order. A paragraph in a Heading
or Title style becomes a Markdown heading (``# Interview 5``), which the turn
finder treats as structure: it ends a turn and is never part of one. Paragraphs are joined with a blank line between them (Word
paragraphs are paragraphs, and the turn finder splits label-less text on blank
lines); empty paragraphs are skipped; a line break inside a paragraph stays a
single ``\\n``. A paragraph that is a name in bold alone becomes ``**Name**`` (a
speaker label set above the turn). A table row whose first cell is short (a speaker, or a time then
a speaker) becomes ``Speaker: text``, the usual two- or three-column transcript
layout; other cells become paragraphs of their own. Tracked changes are read as
accepted. Headers, footers, comments, footnotes and text boxes are not read (the
last three with a warning, as they may hold what was said).

python-docx reads every part of the package into memory, so before it opens the
file the zip's declared sizes are checked (:class:`qualcode.zipsafe.ZipGuard`): a
transcript's ``document.xml`` is a few MB, so a part over :data:`LIMITS`'s 64 MiB,
more than 256 MiB in all or an entry expanding over 200x is refused.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from qualcode.errors import BAD_DOCUMENT, DOCX_BOMB, DOCX_TOO_BIG, EMPTY_FILE, TRANSCRIPT_TEXT, error
from qualcode.ingest.decode import normalise, sniff_non_text
from qualcode.ingest.labels import written_name
from qualcode.ingest.turns import is_time_only, scan_turns
from qualcode.model import Transcript
from qualcode.zipsafe import ZipGuard, ZipLimits

if TYPE_CHECKING:
    from docx.table import Table

_KIND = "Word (.docx)"
_MAX_LABEL_CELL = 60
# A 200,000-word transcript is ~10 MB of document.xml; images are the other big parts.
LIMITS = ZipLimits(max_entries=10_000, max_entry_bytes=64 * 1024 * 1024, max_total_bytes=256 * 1024 * 1024)


def read_docx(data: bytes, path: Path, encoding: str | None) -> Transcript:
    """Read a .docx file's text and turns. ``encoding`` is ignored (XML says it)."""
    shown = str(path)
    if not data:
        raise error(EMPTY_FILE, path=shown, hint=TRANSCRIPT_TEXT.empty)
    if not data.startswith(b"PK"):
        raise error(BAD_DOCUMENT, path=shown, kind=_KIND, reason="it is not a .docx (zip) file", hint=_not_zip_hint(data))

    _check_sizes(data, shown)
    # python-docx pulls in lxml (~65 ms); import it only when a .docx is read.
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        blocks: list[str] = []
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                blocks.extend(_table_blocks(item))
            else:
                heading = _heading_prefix(item)
                said = _text(item)
                blocks.append(heading + said if heading or not _bold_name(item, said) else f"**{said.strip()}**")
        left_out = _left_out(document)
    # The one broad catch in ingest, at the boundary with an untrusted file:
    # python-docx reports a damaged package as whatever it trips over
    # (BadZipFile, KeyError, ValueError, XMLSyntaxError, zlib.error, even
    # AttributeError for a malformed [Content_Types].xml). All of them mean
    # "this .docx cannot be read", and the message names the file and the cause.
    except Exception as exc:  # noqa: BLE001
        reason = str(exc).strip().strip('"') or type(exc).__name__
        if isinstance(exc, (AttributeError, TypeError)):  # python-docx's internals, not the file's words
            reason = "its parts are not laid out as a Word document's (a damaged '[Content_Types].xml' or '_rels/.rels')"
        raise error(BAD_DOCUMENT, path=shown, kind=_KIND, reason=reason, hint=_broken_hint(data)) from None

    text = normalise("\n\n".join(b for b in (block.strip() for block in blocks) if b))
    scan = scan_turns(text)
    return scan.transcript(path, text, None, left_out)


# Runs as Word shows them with tracked changes accepted: inserted (and moved-to) text
# counts, deleted (and moved-from) text does not. python-docx's ``paragraph.text`` reads
# only the paragraph's own runs and hyperlinks, so an inserted word was silently lost.
_RUNS = "w:r | w:hyperlink | w:ins/w:r | w:ins/w:hyperlink | w:moveTo/w:r | w:moveTo/w:hyperlink"


def _text(paragraph) -> str:
    """A paragraph's text, tracked insertions included (see :data:`_RUNS`)."""
    return "".join(e.text for e in paragraph._p.xpath(_RUNS))


_BOLD_NAME_MAX = 40
_BOLD_NAME_WORDS = 5


def _bold_name(paragraph, text: str) -> bool:
    """Whether the paragraph is a name in bold and nothing else ('Sanne', 'Marieke van Dam'), as
    transcribers set the speaker above what they said: it becomes ``**Sanne**``, a label the turn
    finder knows (a speaker when the name recurs, as for a name in capitals)."""
    name = text.strip()
    if not name or len(name) > _BOLD_NAME_MAX or name.count(" ") >= _BOLD_NAME_WORDS or not written_name(name):
        return False
    runs = [run for run in paragraph.runs if run.text.strip()]
    return bool(runs) and all(run.bold for run in runs)


def _left_out(document) -> list[str]:
    """Warnings for text in the file that the transcript does not hold."""
    body = document.element.body
    notes = []
    boxes = len(body.xpath(".//w:txbxContent"))
    if boxes:
        notes.append(
            f"{boxes} text box(es) in the document are not read: copy their text into the body if it belongs to the transcript"
        )
    if body.xpath(".//w:del | .//w:ins | .//w:moveFrom | .//w:moveTo"):
        notes.append("the document has tracked changes: read as if all were accepted (insertions kept, deletions left out)")
    footnotes = len(body.xpath(".//w:footnoteReference | .//w:endnoteReference"))
    if footnotes:
        notes.append(f"{footnotes} footnote(s) or endnote(s) are not read: only the body text is the transcript")
    return notes


def _check_sizes(data: bytes, shown: str) -> None:
    """Refuse a package too large to read, before python-docx inflates any of it."""
    guard = ZipGuard(shown, LIMITS, DOCX_TOO_BIG, DOCX_BOMB, BAD_DOCUMENT, kind=_KIND, hint=_broken_hint(data))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        reason = str(exc).strip() or type(exc).__name__
        raise error(BAD_DOCUMENT, path=shown, kind=_KIND, reason=reason, hint=_broken_hint(data)) from None
    with archive:
        guard.check_all(archive)
        crooked = next((i.filename for i in archive.infolist() if "\\" in i.filename), None)
        if crooked is not None:
            # python-docx then finds no document part ("no relationship of type ...").
            reason = f"its parts are named with backslashes ('{crooked}'), which the .docx format does not allow"
            raise error(BAD_DOCUMENT, path=shown, kind=_KIND, reason=reason, hint=_broken_hint(data))
        names = set(archive.namelist())
        absent = next((part for part in ("[Content_Types].xml", "_rels/.rels") if part not in names), None)
        if absent is not None:  # python-docx trips over its absence with an error about its own internals
            reason = f"the part '{absent}' every Word file has is missing"
            raise error(BAD_DOCUMENT, path=shown, kind=_KIND, reason=reason, hint=_broken_hint(data))
        for info in archive.infolist():
            # Word never writes a DOCTYPE; one declares entities, which the XML reader drops
            # without a word (an external one: text silently missing). It must come before
            # the root element, so the head of each part is enough.
            if info.filename.endswith((".xml", ".rels")) and b"<!DOCTYPE" in _head(archive, info):
                reason = f"'{info.filename}' declares a DOCTYPE (entities), which Word never writes"
                raise error(BAD_DOCUMENT, path=shown, kind=_KIND, reason=reason, hint=_broken_hint(data))


def _head(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The first KB of an entry (a damaged entry reads as empty: python-docx reports it)."""
    try:
        with archive.open(info) as handle:
            return handle.read(1024)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError, ValueError):
        return b""


def _heading_prefix(paragraph) -> str:
    """``'# '``, ``'## '``... for a paragraph in a heading or title style, else ``''``."""
    if not paragraph.text.strip():
        return ""
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if style == "Title":
        return "# "
    if style.startswith("Heading"):
        level = style.removeprefix("Heading").strip()
        return "#" * min(int(level), 6) + " " if level.isascii() and level.isdigit() else "# "
    return ""


def _table_blocks(table: Table) -> list[str]:
    blocks: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            # A merged cell is returned once per grid column it spans.
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            value = "\n".join(_text(p) for p in cell.paragraphs).strip()
            if value:
                cells.append(value)
        if len(cells) >= 3 and is_time_only(cells[0]) and _label_cell(cells[1]):
            blocks.append(f"[{cells[0].strip('[]()')}] {_joined(cells[1], cells[2:])}")
        elif len(cells) >= 2 and _label_cell(cells[0]):
            blocks.append(_joined(cells[0], cells[1:]))
        else:
            blocks.extend(cells)
    return blocks


def _label_cell(value: str) -> bool:
    return "\n" not in value and len(value) <= _MAX_LABEL_CELL


def _joined(label: str, rest: list[str]) -> str:
    separator = " " if label.endswith(":") else ": "
    return label + separator + "\n".join(rest)


def _broken_hint(data: bytes) -> str:
    sniffed = sniff_non_text(data)
    if sniffed is not None and "Word" not in sniffed[0] and "zip archive" not in sniffed[0]:
        kind, hint = sniffed
        return f"it is {kind}: {hint}"
    return "the file may be damaged or incomplete: open it in Word and save it again"


def _not_zip_hint(data: bytes) -> str:
    sniffed = sniff_non_text(data)
    if sniffed is not None:
        kind, hint = sniffed
        return f"it is {kind}: {hint}"
    if b"\x00" not in data[:4096]:
        return "it looks like plain text: rename it to .txt"
    return "export the transcript from Word again as .docx"
