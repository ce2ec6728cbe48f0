"""Reader for Rich Text Format transcripts (.rtf: f4transkript's own format, WordPad, TextEdit).

The text is taken out of the RTF by :mod:`striprtf` (groups, control words, ``\\'e9``
and ``\\u8220?`` escapes, font tables and pictures skipped; a hyperlink reads as its
words), then read as a plain
transcript: normalised, and its turns found as in a ``.txt`` file. A paragraph
(``\\par``) is a line. The file's bytes are ASCII in a well-formed RTF; a byte above
127 is read in the code page the file names (``\\ansicpg1252``), or ``--encoding``,
or Windows-1252, as Word and f4 write it.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from qualcode.errors import BAD_DOCUMENT, EMPTY_FILE, TRANSCRIPT_TEXT, error
from qualcode.ingest.decode import normalise, sniff_non_text
from qualcode.ingest.turns import scan_turns
from qualcode.model import Transcript

_KIND = "RTF (.rtf)"
_START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*\{\\rtf")
_CODE_PAGE = re.compile(rb"\\ansicpg(\d{3,5})")
_DEFAULT = "cp1252"
_RTF_ASCII = bytes(range(0x20, 0x7F))
# A \u escape with a number of five digits or more (an escaped backslash first, so that
# '\\\\u99999' is no escape): the ones beyond Unicode are replaced (see _no_character).
_NO_CHARACTER = re.compile(r"\\\\|\\u(-?\d{5,})")


def read_rtf(data: bytes, path: Path, encoding: str | None) -> Transcript:
    """Read an .rtf file's text and turns."""
    shown = str(path)
    if not data:
        raise error(EMPTY_FILE, path=shown, hint=TRANSCRIPT_TEXT.empty)
    if not _START.match(data[:64]):
        found = sniff_non_text(data)
        reason = f"it is {found[0]}, not an RTF file" if found else "it does not start with '{\\rtf', as every RTF file does"
        hint = found[1] if found else "save it again as RTF, or as .docx or .txt, and import that"
        raise error(BAD_DOCUMENT, path=shown, kind=_KIND, reason=reason, hint=hint)
    codec = encoding or _code_page(data)
    from striprtf.striprtf import rtf_to_text  # imported only when an .rtf is read

    warnings: list[str] = []
    # striprtf first rewrites hyperlink fields with a regex whose nested ".*" takes hours on
    # a line of many unclosed "{\field{\*\fldinst{" (a hostile file); renamed, a field is an
    # unknown group: its shown text (\fldrslt) is kept, its instruction (an ignorable
    # destination) left out -- a link reads as its words, without the address after them.
    raw = data.decode(codec, errors="replace").replace("{\\field", "{\\qcfield")
    # A \u escape beyond Unicode (\u9999999?) stops striprtf with "chr() arg not in range": it
    # is one character the file cannot say, as an undecodable byte is.
    fixed = _NO_CHARACTER.sub(_no_character, raw)
    beyond, raw = fixed.count("\\u65533") > raw.count("\\u65533"), fixed
    try:
        text = rtf_to_text(raw, encoding=codec, errors="strict")
    except UnicodeDecodeError:
        text = rtf_to_text(raw, encoding=codec, errors="replace")
        warnings.append(f"some characters are not {codec}: they are shown as '\ufffd' (give the right one with --encoding)")
    except LookupError as exc:  # a font's character set Python has no codec for (\fcharset78: Mac Japanese)
        reason = f"a font's character set is not known here ({exc})"
        raise error(BAD_DOCUMENT, path=shown, kind=_KIND, reason=reason, hint="open it in Word and save it again") from None
    except (ValueError, IndexError, KeyError, RecursionError) as exc:  # striprtf on a damaged file
        reason = str(exc).strip() or type(exc).__name__
        raise error(BAD_DOCUMENT, path=shown, kind=_KIND, reason=reason, hint="open it in Word and save it again") from None
    # Word writes a character beyond U+FFFF (an emoji) as its UTF-16 pair of \u escapes, which
    # striprtf gives as two halves; joined here. A half without its other half is no character.
    joined = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    if beyond or joined.count("\ufffd") > text.count("\ufffd"):
        warnings.append("some \\u escapes name no character: they are shown as '\ufffd'")
    text = joined
    if "\ufffd" in raw and not warnings:
        warnings.append(f"some bytes are not {codec}: they are shown as '\ufffd' (give the right one with --encoding)")
    text = normalise(text)
    scan = scan_turns(text)
    return scan.transcript(path, text, codec, warnings)


def _code_page(data: bytes) -> str:
    """The code page the file names (``\\ansicpg1252``) if Python knows it and it reads the
    RTF's own ASCII as ASCII (an EBCDIC page, ``\\ansicpg500``, does not), else Windows-1252."""
    m = _CODE_PAGE.search(data, 0, 4096)
    if m is None:
        return _DEFAULT
    name = f"cp{int(m[1])}"
    try:
        codecs.lookup(name)
        if _RTF_ASCII.decode(name) != _RTF_ASCII.decode("ascii"):
            return _DEFAULT
    except (LookupError, UnicodeDecodeError):
        return _DEFAULT
    return name


def _no_character(m: re.Match[str]) -> str:
    """A ``\\uN`` escape as it is, or ``\\u65533`` (U+FFFD) if N names no character (striprtf
    adds 65536 to a negative N, as Word writes them)."""
    number = m[1]
    if number is None or (len(number) <= 8 and -0x10000 <= int(number) <= 0x10FFFF):
        return m[0]
    return "\\u65533"
