"""Coding in bulk from a file: ``qualcode code --from FILE`` (CSV or JSON lines, any name).

Each line asks for one coding, located as ``qualcode code`` locates one::

    transcript,code,turn,span,text,memo,coder
    02_cjg_wijkcoach,doorverwijzing,4,,,,
    02_cjg_wijkcoach,vertrouwen,,1200:1345,,sterk voorbeeld,
    02_cjg_wijkcoach,vertrouwen,7,,"we kennen elkaar",,

or, one JSON object per line::

    {"transcript": "02_cjg_wijkcoach", "code": "doorverwijzing", "start": 1200, "end": 1345}

* ``transcript`` (or ``file``, ``document``): a transcript's name, file name,
  number or unique prefix; ``code`` (or ``code_id``): a codebook code id.
* Where: ``turn`` (the whole turn), ``span`` ``START:END`` or ``start`` and
  ``end`` (code points), or ``text`` (or ``quote``): a quote found in the
  transcript, inside the turn when ``turn`` is given too. With a span *and* a
  text, the text must be what the span holds (a check on re-used exports).
* ``memo`` and ``coder`` (default: the command's coder) are optional; other
  columns are ignored, so a ``qualcode export segments`` file can be read back.

Every line is checked exactly as a single ``qualcode code`` is (the same
catalogue errors) before anything is written; any problem is reported with its
``file:line`` and nothing is coded. Then all codings are added in one
transaction; a coding that is already there is skipped, so running the same file
twice adds nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .codebook import Codebook
from .coding import (
    TranscriptLookup,
    check_code,
    coding_parts,
    locate,
    settle_suggestions,
    trim_span,
)
from .display import shorten
from .errors import (
    BULK_FIELD_MISSING,
    BULK_NOT_NUMBER,
    BULK_PROBLEMS,
    BULK_SPAN_TWICE,
    BULK_TEXT_MISMATCH,
    BULK_UNREADABLE,
    CODINGS_TEXT,
    UNKNOWN_CODES_SUMMARY,
    Problem,
    QualcodeError,
    error,
)
from .ingest.attributes import csv_rows
from .model import Coding, Turn
from .store import Store
from .termsafe import coder_name
from .text import TextBlock, text_blocks, whole_number

MAX_PROBLEMS = 50  # reported before giving up: a wrong file would otherwise list thousands

ALIASES = {
    "transcript": "transcript", "file": "transcript", "document": "transcript", "source": "transcript",
    "code": "code", "code_id": "code",
    "turn": "turn", "span": "span", "start": "start", "end": "end",
    "text": "text", "quote": "text",
    "memo": "memo", "coder": "coder",
}  # fmt: skip


@dataclass(slots=True)
class Request:
    """One line of the file: which coding it asks for, as written."""

    line: int
    fields: dict[str, str]


@dataclass(slots=True)
class BulkResult:
    lines: int
    added: int
    existing: int
    transcripts: int
    ignored_columns: list[str]


def read_requests(text: str, source: str) -> tuple[list[Request], list[str], list[Problem]]:
    """The lines of a CSV or JSON-lines file, the column names that are not used, and
    the lines that cannot be read at all (located problems).

    JSON lines when the first non-blank character is ``{``, else CSV (``,``, ``;``
    or tab, sniffed from the header line).
    """
    stripped = text.lstrip()
    if stripped.startswith("{"):
        return _json_lines(text, source)
    if stripped.startswith("["):
        raise error(
            BULK_UNREADABLE,
            path=f"{source}:1",
            reason="this is a JSON array; qualcode reads JSON lines: one JSON object per line, without [ ] around them",
            hint='write each coding on a line of its own: {"transcript": ..., "code": ..., "turn": ...}',
        )
    return _csv_lines(text, source)


class _Pairs(list):
    """A JSON object as the (key, value) pairs it was written with."""


def _json_lines(text: str, source: str) -> tuple[list[Request], list[str], list[Problem]]:
    requests, problems, ignored = [], [], set()
    for number, raw in enumerate(text.split("\n"), 1):
        if not raw.strip():
            continue
        try:
            # Pairs, not a dict: a key given twice must be seen, not silently take the last value.
            item = json.loads(raw, object_pairs_hook=_Pairs)
        except json.JSONDecodeError as exc:
            problems.append(Problem(source, number, exc.colno, f"not valid JSON: {exc.msg}", "one JSON object per line"))
            continue
        except (ValueError, RecursionError) as exc:  # a 5,000-digit number, arrays nested thousands deep
            reason = "a number with too many digits" if isinstance(exc, ValueError) else "values nested too deep"
            problems.append(Problem(source, number, None, f"not valid JSON: {reason}", "one JSON object per line"))
            continue
        if not isinstance(item, _Pairs):
            problems.append(Problem(source, number, None, "not a JSON object", 'write {"transcript": ..., "code": ..., ...}'))
            continue
        fields: dict[str, str] = {}
        given: dict[str, str] = {}  # field -> the key that gave it
        for key, value in item:
            name = ALIASES.get(str(key).strip().lower())
            if name is not None and name in given:
                problems.append(Problem(source, number, None, _twice(name, given[name], str(key)), "keep one of them"))
                continue
            if name is not None:
                given[name] = str(key)
            if name is None:
                ignored.add(str(key))
            elif value is not None and not isinstance(value, (dict, list)):
                fields[name] = str(value).strip() if not isinstance(value, bool) else str(value)
            elif isinstance(value, list):
                kind = "a dict" if isinstance(value, _Pairs) else "a list"
                problems.append(Problem(source, number, None, f"'{key}' holds {kind}, not a value", ""))
        requests.append(Request(number, fields))
    return requests, sorted(ignored), problems


def _csv_lines(text: str, source: str) -> tuple[list[Request], list[str], list[Problem]]:
    def fail(line: int, problem: str, hint: str = "") -> QualcodeError:
        return error(BULK_UNREADABLE, path=f"{source}:{line}", reason=problem, hint=hint or _HEADER_HINT)

    header, rows = csv_rows(text, fail)
    names = [ALIASES.get(h.lower()) for h in header]
    for i, name in enumerate(names):
        if name is not None and name in names[:i]:
            raise fail(1, _twice(name, header[names.index(name)], header[i]), "keep one of the two columns")
    ignored = sorted({h for h, n in zip(header, names, strict=True) if n is None and h})
    if "transcript" not in names or "code" not in names:
        raise fail(1, f"the header line names no transcript or no code column ({', '.join(header) or 'nothing'})")
    requests, problems = [], []
    for line, row in rows:
        if len(row) > len(header) and any(row[len(header) :]):
            problems.append(
                Problem(
                    source, line, None, f"{len(row)} values but {len(header)} columns", "quote values that hold the separator"
                )
            )
            continue
        fields = {n: cell for n, cell in zip(names, row, strict=False) if n is not None and cell}
        requests.append(Request(line, fields))
    return requests, ignored, problems


def _twice(field: str, first: str, second: str) -> str:
    same = f"'{first}' is given twice" if first.lower() == second.lower() else f"'{first}' and '{second}' both give the {field}"
    return f"{same}: which one is meant is not clear"


_HEADER_HINT = "the first line names the columns: transcript,code and turn, span, start,end or text (memo, coder optional)"


def _raise(problems: list[Problem], source: str, tail: str | None = None) -> None:
    if problems:
        problems = sorted(problems, key=lambda p: p.line or 0)
        shown: list[Problem | str] = list(problems[:MAX_PROBLEMS])
        if len(problems) > MAX_PROBLEMS:
            shown.append(f"... and {len(problems) - MAX_PROBLEMS} more")
        if tail:
            shown.append(tail)
        raise error(BULK_PROBLEMS, problems=shown, count=len(problems), path=source)


def _unknown_codes(requests: list[Request], codebook: Codebook, source: str) -> str | None:
    """One line naming every code the file names that the codebook lacks (the lines stop at
    MAX_PROBLEMS; a file made with another codebook names them all), else None."""
    unknown = sorted({code for r in requests if (code := r.fields.get("code")) and codebook.get(code) is None})
    if not unknown:
        return None
    codes = ", ".join(shorten(c, count=True) for c in unknown[:8]) + (
        f", ... ({len(unknown) - 8} more)" if len(unknown) > 8 else ""
    )
    return UNKNOWN_CODES_SUMMARY.format(count=len(unknown), path=source, codes=codes)


class _Resolver:
    """Turns requests into codings with the checks of a single ``qualcode code``, caching look-ups."""

    def __init__(self, store: Store, codebook: Codebook, coder: str) -> None:
        self.store, self.codebook, self.coder = store, codebook, coder
        self._tids: dict[str, int] = {}
        self._lookup = TranscriptLookup(store)
        self._codes: set[str] = set()
        self._tid: int | None = None  # the transcript whose text and turns are held (lines come grouped)
        self._text = ""
        self._turns: list[Turn] = []
        self._blocks: list[TextBlock] = []

    def codings(self, request: Request) -> list[Coding]:
        f = request.fields
        ref, code_id = f.get("transcript"), f.get("code")
        if not ref or not code_id:
            missing = " and ".join(c for c in ("transcript", "code") if not f.get(c))
            raise error(BULK_FIELD_MISSING, missing=missing, hint="every line names a transcript and a code")
        tid = self._tids.get(ref)
        if tid is None:
            tid = self._tids[ref] = self._lookup(ref)
        if code_id not in self._codes:
            check_code(self.codebook, code_id)
            self._codes.add(code_id)
        if tid != self._tid:
            self._tid, self._text, self._turns = tid, self.store.transcripts.text(tid), self.store.transcripts.turns(tid)
            self._blocks = text_blocks(self._text, self._turns)
        start, end = self._where(tid, f)
        coder, memo = (
            coder_name(f.get("coder") or "", what="shorten the name in the coder column") or self.coder,
            f.get("memo") or None,
        )
        return [
            Coding(None, tid, *trim_span(self._text, s, e), code_id, coder, "", memo=memo)
            for s, e in coding_parts(self.store, tid, start, end, text=self._text, blocks=self._blocks)
        ]

    def _where(self, tid: int, f: dict[str, str]) -> tuple[int, int]:
        span: str | tuple[int, int] | None = f.get("span")
        if "start" in f or "end" in f:
            if span is not None:
                raise error(BULK_SPAN_TWICE)
            span = (_whole(f, "start"), _whole(f, "end"))
        turn = _whole(f, "turn") if "turn" in f else None
        quote = f.get("text")
        if span is not None:
            start, end = locate(self.store, tid, span=span, transcript_text=self._text)
            if quote is not None and " ".join(self._text[start:end].split()) != " ".join(quote.removeprefix("'").split()):
                held = self._text[start:end]
                raise error(BULK_TEXT_MISMATCH, start=start, end=end, held=held[:40], quote=quote[:40])
            return start, end
        return locate(self.store, tid, turn=turn, text=quote, transcript_text=self._text, turns=self._turns)


_NUMBER_HINTS = {
    "start": "give both start and end (code points, end exclusive)",
    "end": "give both start and end (code points, end exclusive)",
    "turn": "turns are numbered from 1",
}


def _whole(fields: dict[str, str], name: str) -> int:
    """The whole number in field ``name`` of a line, or a catalogue error saying what is wrong."""
    if name not in fields:
        raise error(BULK_FIELD_MISSING, missing=name, hint=_NUMBER_HINTS[name])
    number = whole_number(fields[name])
    if number is None:
        raise error(BULK_NOT_NUMBER, field=name, value=shorten(fields[name].strip(), count=True), hint=_NUMBER_HINTS[name])
    return number


def code_from_text(store: Store, codebook: Codebook, text: str, source: str, *, coder: str) -> BulkResult:
    """Apply every coding a CSV or JSON-lines text asks for, all or nothing (see the module)."""
    requests, ignored, problems = read_requests(text, source)
    resolver = _Resolver(store, codebook, coder)
    codings = []
    for request in requests:
        try:
            codings += resolver.codings(request)
        except QualcodeError as exc:
            problems.append(Problem(source, request.line, None, exc.message, exc.hint))
            if len(problems) > MAX_PROBLEMS:
                break
    _raise(problems, source, _unknown_codes(requests, codebook, source) if problems else None)
    with store.transaction(bulk=True):  # thousands of rows: statement journals in memory
        added = store.codings.add_many(codings)
        settle_suggestions(store, codings)  # what the new codings cover is decided
    return BulkResult(len(codings), added, len(codings) - added, len({c.transcript_id for c in codings}), ignored)


def decode_source(data: bytes, name: str) -> str:
    """A codings file's text (UTF-8, UTF-16 with a BOM, ...), normalised as transcripts are
    (NFC, LF), so that a quote matches the stored text."""
    from .ingest.decode import decode, normalise

    text, _ = decode(data, Path(name), what=CODINGS_TEXT)
    return normalise(text)
