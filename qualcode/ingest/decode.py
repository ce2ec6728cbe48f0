"""Bytes to normalised text: encoding detection, binary sniffing, normalisation.

Detection is deliberately simple and predictable: a BOM decides (UTF-8, UTF-16,
UTF-32), otherwise the bytes must be strict UTF-8. We never guess a legacy code
page, because a wrong guess silently corrupts every ``é`` and ``’`` in a
transcript; instead the error names the first bad byte and suggests
``--encoding cp1252``, the usual culprit for files saved by Word or Notepad.
The other way round is refused too: a forced code page (cp1252, latin-1,
mac-roman ...) on a file that is valid UTF-8 would store ``OkÃ©`` for ``Oké``.
"""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
from pathlib import Path

from qualcode.errors import (
    BINARY_FILE,
    BOM_DAMAGED_HINT,
    EMPTY_FILE,
    ENCODING_MISREAD,
    NO_ENCODING_OPTION_HINT,
    NOT_A_FILE_ENCODING,
    NOT_PLAIN_TEXT,
    NOT_WIDE_TEXT,
    TRANSCRIPT_TEXT,
    UNDECODABLE,
    UNDECODABLE_CP1252_HINT,
    UNDECODABLE_DAMAGED_HINT,
    UNDECODABLE_HINT,
    UNDECODABLE_OTHER_HINT,
    UNKNOWN_ENCODING,
    UTF16_NO_BOM_HINT,
    WRONG_ENCODING,
    TextKind,
    error,
)

# Longest first, so the UTF-32 LE BOM (FF FE 00 00) is not taken for UTF-16 LE.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)

_IMAGE_HINT = "qualcode imports the text of a transcript, not a picture of it: run OCR or type it out"
_MEDIA_HINT = "transcribe the recording first, then import the transcript (.txt, .docx, .rtf, .vtt or .srt)"

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_PASSWORD_HINT = "open it in Word, remove the password (File > Info > Protect Document), save it and import it again"


# (signature, what it is, what to do): files people rename to .txt by mistake.
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "a PDF document", "copy the text out of the PDF into a .txt file, or export the transcript as .docx"),
    (_OLE, "an old Word (.doc) document", "open it in Word and save it as .docx"),
    (b"{\\rtf", "an RTF document", "rename it to .rtf (qualcode reads RTF files) and import it again"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image", _IMAGE_HINT),
    (b"\xff\xd8\xff", "a JPEG image", _IMAGE_HINT),
    (b"GIF87a", "a GIF image", _IMAGE_HINT),
    (b"GIF89a", "a GIF image", _IMAGE_HINT),
    (b"II*\x00", "a TIFF image", _IMAGE_HINT),
    (b"MM\x00*", "a TIFF image", _IMAGE_HINT),
    (b"ID3\x03\x00", "an MP3 recording", _MEDIA_HINT),
    (b"ID3\x04\x00", "an MP3 recording", _MEDIA_HINT),
    (b"OggS", "an Ogg recording", _MEDIA_HINT),
    (b"fLaC", "a FLAC recording", _MEDIA_HINT),
    (b"\x1f\x8b", "a gzip archive", "unpack it and import the transcripts inside"),
)


def sniff_non_text(data: bytes) -> tuple[str, str] | None:
    """Recognise a well-known binary format by its first bytes.

    Returns ``(kind, hint)`` such as ``("a PDF document", "copy the text ...")``,
    or None when the bytes do not start like a known non-text format.
    """
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return _describe_zip(data)
    if data.startswith(_OLE) and _ENCRYPTED_PACKAGE in data:
        # Word, Excel and PowerPoint keep a password-protected file as an OLE container
        # with the real .docx inside, encrypted: not an old .doc, whatever the signature says.
        return "a password-protected Office document", _PASSWORD_HINT
    if data[:4] == b"RIFF" and data[8:12] in (b"WAVE", b"AVI "):
        return "a WAV or AVI recording", _MEDIA_HINT
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "a WebP image", _IMAGE_HINT
    if data[4:8] == b"ftyp":
        return "an MP4/M4A recording", _MEDIA_HINT
    for signature, kind, hint in _SIGNATURES:
        if data.startswith(signature):
            return kind, hint
    return None


def _describe_zip(data: bytes) -> tuple[str, str]:
    # Office files are zip archives; look inside to tell the user exactly which.
    import zipfile  # only for a file that is not text: every command reads the codebook with this module

    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
        names = set()  # a damaged or exotic zip: it is still "a zip archive"
    if "word/document.xml" in names:
        return "a Word (.docx) document", "rename it to .docx and import it again"
    if any(n.startswith("xl/") for n in names):
        return "an Excel workbook", "save the sheet as .csv (for attributes) or the transcript as .txt or .docx"
    if "content.xml" in names:
        return "an OpenDocument file", "open it and save it as .docx or as plain text (.txt)"
    return "a zip archive", "unpack it and import the transcripts inside"


def bom_codec(data: bytes) -> tuple[int, str] | None:
    """``(BOM length, codec for the rest)`` when ``data`` starts with a Unicode BOM, else None."""
    for bom, codec_name, _label in _BOMS:
        if data.startswith(bom):
            return len(bom), codec_name
    return None


def locate_byte(data: bytes, offset: int, codec: str = "utf-8") -> tuple[int, int]:
    """1-based line and column (in characters) of the byte at ``offset`` of ``data``."""
    head = data[:offset]
    line_start = head.rfind(b"\n") + 1
    return head.count(b"\n") + 1, len(head[line_start:].decode(codec, errors="replace")) + 1


class NotUtf8(ValueError):
    """A settings file whose bytes are not UTF-8 text; the message says where, for people."""


# What YAML refuses in a file (C0 and C1 controls but tab, line ends and NEL; lone
# surrogates; U+FFFE/FFFF): found here, the message can say where and why.
_NOT_YAML_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def decoded(data: bytes) -> str:
    """A settings file's text (YAML: codebook, configuration, keymap, names): UTF-8, or
    another Unicode encoding its BOM names, BOM left out. Raises :class:`NotUtf8` naming
    the line and column of the first bad byte, or of a control character YAML refuses
    (a NUL in UTF-16 without a byte-order mark, a binary file)."""
    skip, codec = bom_codec(data) or (0, "utf-8")
    try:
        text = data[skip:].decode(codec)
    except UnicodeDecodeError as exc:
        # UTF-16 without a BOM is valid UTF-8 up to its first letter beyond ASCII ('é'): that
        # byte's "line 52, column 150" would point at nothing the researcher can find.
        bomless = _bomless_unicode(data) if not skip else None
        if bomless:
            raise NotUtf8(f"the file is {bomless[:6].upper()} without a byte-order mark; save it again as UTF-8") from None
        line, column = locate_byte(data[skip:], exc.start, codec)
        raise NotUtf8(
            f"line {line}, column {column}: not valid {codec.upper()} (byte 0x{data[skip + exc.start]:02x} "
            f"at byte offset {skip + exc.start}); save the file as UTF-8"
        ) from None
    bad = _NOT_YAML_TEXT.search(text)
    if bad is not None:
        head = text[: bad.start()]
        line, column = head.count("\n") + 1, bad.start() - (head.rfind("\n") + 1) + 1
        bomless = _bomless_unicode(data)
        if bomless:
            why = f"the file is {bomless[:6].upper()} without a byte-order mark; save it again as UTF-8"
        elif bad.group() == "\x00":
            why = "a NUL byte: this looks like a binary file, not YAML text; check that it is the right file"
        else:
            why = 'remove it (or write it as an escape in double quotes, e.g. "\\x1b") and save the file as UTF-8 text'
        raise NotUtf8(
            f"line {line}, column {column}: control character U+{ord(bad.group()):04X}, which YAML does not allow; {why}"
        )
    return text


def read_settings(path: Path) -> str:
    """A settings file's text (see :func:`decoded`), read with :func:`~qualcode.ingest.paths.read_limited`.

    Raises OSError (a missing file, a folder, a device, a file over
    :data:`~qualcode.ingest.paths.SETTINGS_LIMIT`; ``strerror`` says which for people)
    or :class:`NotUtf8`.
    """
    from .paths import SETTINGS_LIMIT, read_limited

    return decoded(read_limited(path, SETTINGS_LIMIT))


def in_form_of(path: Path, text: str) -> str:
    """``text`` (a settings file's new content, lines ending in LF as qualcode writes them)
    in the form of the file at ``path`` it is to replace: a byte-order mark if that file
    had one (written as UTF-8's), CRLF line ends if every line of it ended so (Notepad's).
    ``text`` as it is when there is no such file or it cannot be read."""
    from .paths import SETTINGS_LIMIT, read_limited

    try:
        old = read_limited(path, SETTINGS_LIMIT)
        skip, codec = bom_codec(old) or (0, "utf-8")
        before = old[skip:].decode(codec)
    except (OSError, UnicodeDecodeError):
        return text
    ends = before.count("\n")
    if ends and before.count("\r\n") == ends:
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    return ("\ufeff" if skip and not text.startswith("\ufeff") else "") + text


def _locate_undecodable(data: bytes, skip: int, offset: int, codec: str, stop: int | None = None) -> tuple[int, int, str]:
    """Line and column (1-based, in characters) of the bad byte at ``offset``, and a hint.

    The hint fits the bytes. Where the rest of the file is UTF-8 (it holds more characters
    written in UTF-8 than bad bytes), the bad bytes (``offset`` to ``stop``) are named and
    what they are (an encoded surrogate, a cut-off character ...): a code page would garble
    the rest. Where the bytes beyond ASCII read as Windows cp1252 text (Word's and Notepad's
    usual encoding: letters and quotes, each on its own), the hint shows the bad line as
    cp1252 reads it, so the user can judge the fix before using it; the file is never
    decoded so silently. Other bytes: find the encoding the file was saved in.
    """
    line, column = locate_byte(data[skip:], offset - skip, codec)
    if codec != "utf-8":
        return line, column, UNDECODABLE_HINT
    body = data[skip:]
    surrogate = _SURROGATE.match(data, offset) is not None
    bad = data[offset : offset + 3 if surrogate else max(stop or 0, offset + 1)]
    shown = " ".join(f"0x{b:02x}" for b in bad[:4])
    what = _bad_utf8(data, offset, bad)
    wide = sum(map(len, _UTF8_WIDE.findall(body)))  # bytes of characters written in UTF-8
    if surrogate or (wide and wide >= _high_bytes(body) - wide):
        return line, column, UNDECODABLE_DAMAGED_HINT.format(bytes=shown, what=what)
    try:
        readable = body.decode("cp1252")
    except UnicodeDecodeError:
        return line, column, UNDECODABLE_OTHER_HINT.format(bytes=shown, what=what)
    if not _reads_as_cp1252(body, readable):
        return line, column, UNDECODABLE_OTHER_HINT.format(bytes=shown, what=what)
    lines = readable.split("\n")
    preview = lines[line - 1].strip() if line <= len(lines) else ""
    if len(preview) > 70:
        start = max(0, min(column - 35, len(preview) - 70))
        preview = ("…" if start else "") + preview[start : start + 70] + "…"
    return line, column, UNDECODABLE_CP1252_HINT.format(line=line, preview=preview)


# A character beyond ASCII written in UTF-8 (two to four bytes, surrogates excluded).
_UTF8_WIDE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_SURROGATE = re.compile(rb"\xed[\xa0-\xbf][\x80-\xbf]")  # U+D800-DFFF as UTF-8 writes a character
_HIGH = bytes(range(0x80, 0x100))
# What a byte beyond ASCII in cp1252 text is: a letter (é, ë, ç) or one of these marks.
_CP1252_MARKS = frozenset("’‘“”„–—…€«»°·•´¨©®ª º²³½¼¾×")


def _high_bytes(data: bytes) -> int:
    return len(data) - len(data.translate(None, _HIGH))


def _reads_as_cp1252(data: bytes, readable: str) -> bool:
    """Whether the bytes beyond ASCII read as cp1252 text: each a letter or a common mark,
    at most two in a row ('café’s'); an encoded surrogate ('í\xa0€') or a run of
    binary-looking bytes is not."""
    run = 0
    for ch in readable:
        if ch.isascii():
            run = 0
            continue
        run += 1
        if run > 2 or not (ch.isalpha() or ch in _CP1252_MARKS):
            return False
    return True


def _bad_utf8(data: bytes, offset: int, bad: bytes) -> str:
    """What the bytes ``bad`` at ``offset`` are, for a person: why UTF-8 refuses them."""
    first = data[offset]
    if _SURROGATE.match(data, offset):
        code = 0xD000 | (data[offset + 1] & 0x3F) << 6 | (data[offset + 2] & 0x3F)
        return (
            f"an encoded surrogate (U+{code:04X}): half of a UTF-16 pair, which UTF-8 does not allow "
            "(written by a program that encodes UTF-16 one half at a time)"
        )
    if 0x80 <= first <= 0xBF:
        return "a continuation byte without a character before it to continue"
    if first in (0xC0, 0xC1) or first >= 0xF5:
        return "a byte that never occurs in UTF-8"
    if (first == 0xE0 and len(bad) > 1 and bad[1] < 0xA0) or (first == 0xF0 and len(bad) > 1 and bad[1] < 0x90):
        return "a character written in too many bytes (an overlong form)"
    if first == 0xF4 and len(data) > offset + 1 and data[offset + 1] >= 0x90:
        return "a character beyond U+10FFFF, the last there is"
    return "a character cut off (its first byte without all the bytes that should follow)"


def decode(data: bytes, path: Path, encoding: str | None = None, *, what: TextKind = TRANSCRIPT_TEXT) -> tuple[str, str]:
    """Decode a transcript's raw bytes; return ``(text, encoding used)``.

    With ``encoding`` None: a UTF-8, UTF-16 or UTF-32 BOM decides, otherwise the
    bytes must be strict UTF-8. With an explicit codec name the bytes are decoded
    strictly with it. The returned text still holds a UTF-8 BOM only if the
    caller forced a codec that keeps it; :func:`normalise` drops it.

    Raises the catalogue errors EMPTY_FILE, BINARY_FILE, NOT_PLAIN_TEXT
    (a PDF, image, .docx ... with a text suffix), UNDECODABLE (with the byte
    offset of the first bad byte) and UNKNOWN_ENCODING; ``what`` the file should be
    words them (a transcript, a codings file...).
    """
    shown = str(path)
    forced = _lookup(encoding) if encoding is not None else None
    if not data:
        raise error(EMPTY_FILE, path=shown, hint=what.empty)
    sniffed = sniff_non_text(data)
    if sniffed:
        kind, hint = sniffed
        raise error(NOT_PLAIN_TEXT, path=shown, kind=kind, noun=what.plain, hint=hint if what.own_hints else what.other)

    # body_codec decodes data[skip:]; name is what we report as the file's encoding.
    skip, body_codec, name = 0, "utf-8", "utf-8"
    if forced is not None:
        body_codec = name = forced.name
    else:
        for bom, codec_name, label in _BOMS:
            if data.startswith(bom):
                # Decode without the BOM with an explicit byte order, so an error
                # offset is simply ``skip + e.start`` whatever the codec.
                skip, body_codec, name = len(bom), codec_name, label
                break
        if body_codec == "utf-8":
            nul = data.find(b"\x00")
            if nul >= 0:
                bomless = _bomless_unicode(data)
                if bomless:
                    raise error(
                        NOT_PLAIN_TEXT,
                        path=shown,
                        kind=f"{bomless[:6].upper()} text without a byte-order mark",
                        noun=what.plain,
                        hint=f"read it with --encoding {bomless}" if what.encoding_option else UTF16_NO_BOM_HINT,
                    )
                raise error(BINARY_FILE, path=shown, offset=nul, byte=0, noun=what.noun, hint=what.other)

    try:
        text = data[skip:].decode(body_codec, errors="strict")
    except UnicodeDecodeError as exc:
        offset = skip + exc.start
        # Behind a UTF-16/32 byte-order mark NUL bytes are text; the file is cut off or damaged.
        control = _control_bytes(data) if skip == 0 or body_codec == "utf-8" else None
        if control is not None:
            raise error(BINARY_FILE, path=shown, offset=control, byte=data[control], noun=what.noun, hint=what.other) from None
        if forced is not None:
            try:
                replaced = data.decode(body_codec, errors="replace")
            except UnicodeError as inner:  # 'punycode' fails so on a byte beyond ASCII
                raise error(NOT_A_FILE_ENCODING, path=shown, encoding=name, reason=inner) from None
            _refuse_misread(data, replaced, shown, forced.name)
            raise error(WRONG_ENCODING, path=shown, encoding=forced.name, offset=offset, byte=data[offset]) from None
        shown_codec = "UTF-8" if body_codec == "utf-8" else body_codec
        line, column, hint = _locate_undecodable(data, skip, offset, body_codec, skip + exc.end)
        if skip and body_codec != "utf-8":
            hint = BOM_DAMAGED_HINT.format(encoding=name.upper())
        elif not what.encoding_option:
            hint = NO_ENCODING_OPTION_HINT
        raise error(
            UNDECODABLE, path=shown, encoding=shown_codec, offset=offset, byte=data[offset], line=line, column=column, hint=hint
        ) from None
    except UnicodeError as exc:
        # A codec that is no encoding of files: 'punycode', 'idna', 'undefined' fail so.
        raise error(NOT_A_FILE_ENCODING, path=shown, encoding=name, reason=exc) from None

    if forced is not None:
        _refuse_misread(data, text, shown, forced.name)
        _refuse_narrow(data, text, shown, forced.name)
    if "\x00" in text:
        # A forced single-byte codec (or a UTF-16 file) can hold NUL characters;
        # in a transcript they still mean binary data.
        before = text[: text.index("\x00")]
        offset = len(before.encode(body_codec, errors="replace"))
        raise error(BINARY_FILE, path=shown, offset=offset, byte=0, noun=what.noun, hint=what.other)
    if not text.lstrip("\ufeff").strip():
        raise error(EMPTY_FILE, path=shown, hint=what.empty)
    return text, name


def _refuse_misread(data: bytes, text: str, shown: str, codec: str) -> None:
    """ENCODING_MISREAD when ``data`` is UTF-8 that the forced ``codec`` read otherwise.

    Bytes with NUL are left alone (UTF-16 without a BOM is what --encoding is for),
    and so is plain ASCII, which every code page reads alike.
    """
    if data.isascii() or b"\x00" in data:
        return
    try:
        right = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return  # not UTF-8: the forced code page is the only reading there is
    if right == text.lstrip("\ufeff"):
        return
    for number, (good, bad) in enumerate(zip(right.splitlines(), text.lstrip("\ufeff").splitlines(), strict=False), start=1):
        if good != bad:
            at = next((i for i, (a, b) in enumerate(zip(good, bad, strict=False)) if a != b), min(len(good), len(bad)))
            begin = good.rfind(" ", 0, at) + 1
            stop_good, stop_bad = (line.find(" ", at) % (len(line) + 1) for line in (good, bad))
            raise error(
                ENCODING_MISREAD,
                path=shown,
                encoding=codec,
                line=number,
                wrong=bad[begin:stop_bad][:40],
                right=good[begin:stop_good][:40],
            )
    raise error(ENCODING_MISREAD, path=shown, encoding=codec, line=1, wrong=text[:40], right=right[:40])


def _refuse_narrow(data: bytes, text: str, shown: str, codec: str) -> None:
    """NOT_WIDE_TEXT when a forced UTF-16 or UTF-32 reads bytes without one zero byte.

    Text in those encodings has a zero byte in every character of the Latin script
    (spaces and line breaks included); a transcript without any is a one-byte
    encoding (cp1252, UTF-8) that the forced codec turns into CJK-looking nonsense.
    """
    if not codec.startswith(("utf-16", "utf_16", "utf-32", "utf_32")) or b"\x00" in data or len(data) < 16:
        return
    raise error(NOT_WIDE_TEXT, path=shown, encoding=codec, size=len(data), wrong=text.lstrip("\ufeff")[:12])


_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\r\x0b\x0c")


def _control_bytes(data: bytes) -> int | None:
    """Offset of the first control byte if they are too many for text (> 2% of 8 KiB)."""
    sample = data[:8192]
    count = len(sample) - len(sample.translate(None, _CONTROL))
    if count * 50 <= len(sample):
        return None
    return min(i for i in (sample.find(bytes([b])) for b in _CONTROL) if i >= 0)


def _bomless_unicode(data: bytes) -> str | None:
    """'utf-32-le'/'-be' or 'utf-16-le'/'-be' when the bytes look like mostly-Latin text in
    that encoding without a BOM: in (nearly) every character the other bytes are zero
    (not every one: a Dutch text has curly quotes and dashes, U+2019, U+2014)."""

    def mostly(zero: bytes, nonzero: bytes) -> bool:
        # at least 80% of the would-be high bytes are zero, at most 5% of the low ones
        return zero.count(0) * 5 >= len(zero) * 4 and nonzero.count(0) * 20 <= len(nonzero)

    sample = data[:4000]
    quad = sample[: len(sample) // 4 * 4]
    if len(quad) >= 8:
        if not any(quad[2::4]) and not any(quad[3::4]) and mostly(quad[1::4], quad[0::4]):
            return "utf-32-le"
        if not any(quad[0::4]) and not any(quad[1::4]) and mostly(quad[2::4], quad[3::4]):
            return "utf-32-be"
    pair = sample[: len(sample) // 2 * 2]
    if len(pair) < 4:
        return None
    if mostly(pair[1::2], pair[0::2]):
        return "utf-16-le"
    if mostly(pair[0::2], pair[1::2]):
        return "utf-16-be"
    return None


def check_encoding(encoding: str) -> str:
    """The codec's canonical name, or the UNKNOWN_ENCODING error."""
    return _lookup(encoding).name


def _lookup(encoding: str) -> codecs.CodecInfo:
    try:
        codec = codecs.lookup(encoding)
    except LookupError:
        raise error(UNKNOWN_ENCODING, encoding=encoding) from None
    # rot13, base64 ... are codecs but not text encodings.
    if not getattr(codec, "_is_text_encoding", True):
        raise error(UNKNOWN_ENCODING, encoding=encoding)
    return codec


def normalise(text: str) -> str:
    """Normalise decoded text into the form offsets refer to.

    Drops a leading BOM, turns CRLF and lone CR into LF, applies Unicode NFC and
    strips whitespace at the very end. Everything else (tabs, indentation,
    trailing spaces inside the text, form feeds) is kept as it is.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # is_normalized is much cheaper than normalize on text that already is NFC.
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text.rstrip()
