"""Exporting a qualcode project as a REFI-QDA project (.qdpx), streamed.

What goes where (element order follows Project.xsd):

* transcripts -> ``<TextSource>`` with their normalised text as ``sources/<guid>.txt``
  (UTF-8, LF line ends, no BOM), so code points are what the standard counts;
* codings -> one ``<PlainTextSelection>`` each, holding one ``<Coding>``; a coding's
  memo is the selection's ``<Description>`` -- once: it is where the spec's own example
  puts a quotation's comment and what QualCoder and ATLAS.ti read;
* coders with codings (and users an import kept) -> ``<Users>``; every selection,
  coding, source and the project carry their creating user (one of them: who exported
  without coding is none) and dates where the schema has a place for them (QualCoder's
  importer needs the dates);
* case attributes -> ``<Variables>`` (all Text) and one ``<Case>`` per transcript;
* the codebook -> ``<CodeBook>`` (definitions folded per :mod:`.describe`; ids and keys
  in XML comments, see :func:`.codebook_xml.write_codes`; only colours the YAML
  states), code sets -> ``<Sets>``; codes that left the codebook but still have
  codings go in a non-codable folder "(not in the codebook)", so no coding is dropped.

Positions are code points (the standard); ``positions="utf16"`` writes UTF-16 code
units instead, as NVivo for Windows writes and reads them (they differ only after
characters outside the Basic Multilingual Plane, such as emoji).

GUIDs are kept where qualcode has them (imported transcripts, ``guid:`` in the
codebook) and otherwise derived from what they identify, so exporting twice gives the
same file and other tools can recognise earlier imports. Turns (with timestamps) go in
``qualcode/turns.json`` for a lossless qualcode -> qualcode round trip.

Nothing is held whole in memory: the texts go into the archive one by one, the XML is
written element by element into its archive entry, and codings are read per
transcript. The archive is deflated on a second thread (:class:`.archive.DeflatingZip`)
while this one makes the XML. Characters XML 1.0 cannot hold are left out of the XML (a warning says
where), and a text that qualcode's own import would refuse stops the export before
anything is written: an export is always a file qualcode can read back.
"""

from __future__ import annotations

import hashlib
import json
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..atomic import atomic_open
from ..codebook import Code, Codebook, read_codebook_text
from ..errors import QDPX_EXPORT_SOURCE, QDPX_WRITE_FAILED, QualcodeError, error, write_error
from ..ingest import decode
from ..project import Project
from ..store import CodeRecord, DocumentSet, EmptySource, ExchangeCoding, ExchangeRow, Store, TranscriptRef
from ..store.settings import PROJECT_CREATOR
from .archive import CODEBOOK_ENTRY_PREFIX, PROJECT_QDE, TURNS_ENTRY, DeflatingZip
from .codebook_xml import ORIGIN, code_guid, shared_names, write_code_set, write_codes
from .colors import explicit_yaml_colors
from .dates import to_xsd
from .guids import _VARIANT, derived_guid, guid_key, key_guid, key_prefix
from .reading import PROJECT_NS
from .xmlwrite import Sink, StripTally, XmlWriter

ORPHAN_FOLDER = "(not in the codebook)"
POSITIONS = ("codepoints", "utf16")
# zlib level 3: a fifth of the time of the default level 6 on the XML, 14% larger.
COMPRESSION = 3
# The XML goes to the deflating thread in pieces of about this many bytes (see DeflatingZip) ...
_PIECE = 1 << 20
# ... and at most this many bytes wait there: the texts of 1,000 interviews (28 MB) are handed
# over without waiting for their deflating, which goes on while the XML is made.
_WAITING = 32 << 20
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")

Progress = Callable[[int, int, str], None]


@dataclass(slots=True)
class QdpxExportResult:
    """What an export wrote, and what could not go into REFI-QDA."""

    path: Path
    transcripts: int = 0
    codings: int = 0
    memos: int = 0
    transcript_memos: int = 0
    codes: int = 0
    users: int = 0  # <User> elements: the coders with codings and the users an import kept
    coders: int = 0  # of them, those with codings
    warnings: list[str] = field(default_factory=list)


def export_qdpx(
    project: Project,
    path: Path,
    *,
    positions: str = "codepoints",
    user: str | None = None,
    progress: Progress | None = None,
) -> QdpxExportResult:
    """Write the whole project to ``path`` as .qdpx (atomically; see the module docstring).

    ``user``: who exports (the project's and the sources' modifying user in the file).
    """
    if positions not in POSITIONS:
        raise ValueError(f"positions must be one of {POSITIONS}, not {positions!r}")
    path = Path(path)
    result = QdpxExportResult(path)
    book = project.codebook
    store = project.store
    refs = store.transcripts.refs()
    counts = store.codings.counts_by_code()
    orphans = [row for row in store.codes.list(include_missing=True) if not row.in_codebook and counts.get(row.id)]
    plan = _ExportPlan(
        store=store,
        refs=refs,
        positions=positions,
        source_guid=_SourceGuids(refs),
        code_guid={c.id: code_guid(c) for c in book.walk()} | {r.id: r.guid or derived_guid("code", r.id) for r in orphans},
        user=user,
        progress=progress,
        guids={name: guid for name, guid in store.coders.guids().items() if guid},
        coders=_users(store),
        empty=store.exchange.empty_sources(),
        memos=store.transcripts.memos(),
    )
    # With orphans the file's codes differ from the YAML, and so do a pseudonymised export's
    # codebook texts that named people (see pseudonymise.stream): then let the XML speak.
    withheld = bool(getattr(store, "codebook_names", None))
    try:
        with atomic_open(path, "wb") as handle, DeflatingZip(handle, level=COMPRESSION, limit=_WAITING) as archive:
            astral = _write_sources(archive, plan)
            with archive.open(PROJECT_QDE) as raw:
                writer = XmlWriter(raw, on_strip=plan.stripped, buffer=_PIECE)
                _write_project(writer, project, book, orphans, astral, plan, result)
                writer.close()
            with archive.open(TURNS_ENTRY) as raw:
                _write_turns(raw, plan)
            if not orphans and not withheld:
                entry = CODEBOOK_ENTRY_PREFIX + project.codebook_path.name
                archive.writestr(entry, read_codebook_text(project.codebook_path).encode("utf-8"))
    except OSError as exc:
        raise write_error(QDPX_WRITE_FAILED, path, exc) from None

    result.codes = len(book) + len(orphans)
    result.users = len(plan.users)
    result.coders = len(store.codings.coders())
    result.warnings.extend(plan.stripped.warnings())
    result.warnings.extend(shared_names(book))
    if orphans:
        result.warnings.append(
            f"{len(orphans)} code(s) no longer in the codebook still have codings; exported in a folder"
            f" '{ORPHAN_FOLDER}': {', '.join(r.id for r in orphans)}"
        )
    if withheld:
        result.warnings.append(
            "the codebook's texts name people: written with their pseudonyms in the file's codebook; its YAML is left out"
        )
    if any(c.hints for c in book.walk()):
        result.warnings.append("suggestion hints (keywords, lemmas, patterns) have no place in REFI-QDA; they stay in the YAML")
    return result


def _users(store: Store) -> list[str]:
    """The file's users: the coders with codings, the users an import brought in (with their
    GUID: a file's users come back whole) and the creators it kept. Whoever only exported,
    settled or decided suggestions here is none: a <User> the importing tool lists with nothing
    of theirs ('root', who exported)."""
    kept = {name for name, guid in store.coders.guids().items() if guid}
    creators = {store.settings.get(PROJECT_CREATOR), *(who for _, who in store.exchange.transcript_identities().values())}
    creators |= {s.creator for s in store.exchange.empty_sources()}
    return sorted({*store.codings.coders(), *kept, *(c for c in creators if c)})


class _SourceGuids(dict[int, str]):
    """Transcript id -> its source's GUID: kept from an import, else derived from its content
    hash, read when the GUID is first needed (as its text is written): a pseudonymised
    export knows a text's hash once it has read the text."""

    def __init__(self, refs: list[TranscriptRef]) -> None:
        super().__init__()
        self._refs = {r.id: r for r in refs}

    def __missing__(self, tid: int) -> str:
        ref = self._refs[tid]
        guid = self[tid] = ref.guid or derived_guid("transcript", ref.content_hash)
        return guid


@dataclass(slots=True)
class _ExportPlan:
    """What every part of the export shares: GUIDs, users, the stream of progress, strip notes."""

    store: Store
    refs: list[TranscriptRef]
    positions: str
    source_guid: dict[int, str]
    code_guid: dict[str, str]
    user: str | None
    progress: Progress | None
    guids: dict[str, str]  # user name -> GUID (kept from an import, else derived when first needed)
    coders: list[str]  # the file's users (see _users)
    empty: list[EmptySource]  # sources without text, kept from an import
    memos: dict[int, str]  # transcript id -> its memo (the source's <Description>)
    stripped: StripTally = field(default_factory=StripTally)  # what the XML writer left out
    step: int = 0

    @property
    def users(self) -> list[str]:
        return self.coders

    def user_guid(self, name: str | None) -> str | None:
        """The GUID of a user of the file; None for anyone else (who exported without coding: no
        <User> without codings, as in ATLAS.ti's and NVivo's files, and no reference to one)."""
        if not name or name not in self.coders:
            return None
        if name not in self.guids:
            self.guids[name] = derived_guid("user", name)
        return self.guids[name]

    def tick(self, name: str) -> None:
        self.step += 1
        if self.progress:
            self.progress(self.step, 2 * len(self.refs), name)


def _write_sources(archive: DeflatingZip, plan: _ExportPlan) -> dict[int, list[int]]:
    """Each text as ``sources/<guid>.txt``, one at a time; returns where UTF-16 counts differ."""
    astral: dict[int, list[int]] = {}
    for ref in plan.refs:
        plan.tick(ref.name)
        text = plan.store.transcripts.text(ref.id)
        data = text.encode("utf-8")
        _check_importable(data, ref.name)
        if plan.positions == "utf16":
            astral[ref.id] = [m.start() for m in _ASTRAL.finditer(text)]
        archive.writestr(f"sources/{plan.source_guid[ref.id]}.txt", data)
    for source in plan.empty:
        archive.writestr(f"sources/{source.guid}.txt", b"")
    return astral


def _check_importable(data: bytes, name: str) -> None:
    """Refuse a text that qualcode's importer (the .txt rules) would refuse: NUL, binary data."""
    if not data.strip():
        return  # an empty source is exported as one
    try:
        decode(data, Path(name))
    except QualcodeError as exc:
        raise error(QDPX_EXPORT_SOURCE, name=name, reason=exc.message.split(": ", 1)[-1]) from None


def _write_project(
    writer: XmlWriter,
    project: Project,
    book: Codebook,
    orphans: list[CodeRecord],
    astral: dict[int, list[int]],
    plan: _ExportPlan,
    result: QdpxExportResult,
) -> None:
    store = plan.store
    first = min((to_xsd(r.imported_at) or "" for r in plan.refs), default="") or None
    last = to_xsd(store.transcripts.last_change())
    exporter = plan.user_guid(plan.user)
    settings = store.settings
    writer.start(
        "Project",
        {
            "xmlns": PROJECT_NS,
            "name": settings.get("refi.project_name") or project.root.name or "qualcode",
            "origin": ORIGIN,
            "creatingUserGUID": plan.user_guid(settings.get(PROJECT_CREATOR)) or exporter,
            "creationDateTime": to_xsd(settings.get("refi.project_created")) or first,
            "modifyingUserGUID": exporter,
            "modifiedDateTime": last,
        },
        where="the project name",
    )
    if plan.users:
        writer.start("Users")
        for name in plan.users:
            writer.leaf("User", {"guid": plan.user_guid(name), "name": name}, where=f"the name of user '{name}'")
        writer.end("Users")
    codes = list(book.codes)
    if orphans:
        folder = Code(id="not_in_codebook", name=ORPHAN_FOLDER, codable=False, guid=derived_guid("folder", ORPHAN_FOLDER))
        folder.children = [Code(id=row.id, name=row.name, guid=plan.code_guid[row.id]) for row in orphans]
        codes.append(folder)
    if codes:
        writer.start("CodeBook")
        write_codes(writer, codes, book.language, explicit_yaml_colors(project.codebook_path))
        writer.end("CodeBook")
    attributes = store.transcripts.all_attributes()
    _write_cases(writer, plan, attributes)
    if plan.refs or plan.empty:
        writer.start("Sources")
        identities = store.exchange.transcript_identities()
        selections = _Selections(writer, plan)
        for ref in plan.refs:
            plan.tick(ref.name)
            _write_source(writer, ref, identities.get(ref.id, (None, None)), astral.get(ref.id), plan, selections, result)
        result.codings += selections.codings
        result.memos += selections.memos
        for source in plan.empty:
            writer.leaf(
                "TextSource",
                _source_attrs(plan, source.guid, source.name, (source.created_at, source.creator), None),
                where=f"the name of source '{source.name}'",
            )
        writer.end("Sources")
    _write_sets(writer, book, store.exchange.document_sets(), plan)
    writer.end("Project")


def _write_cases(writer: XmlWriter, plan: _ExportPlan, attributes: dict[int, dict[str, str]]) -> None:
    """One ``<Case>`` per transcript with attributes, and per source without text that had values."""
    cases = [(ref.name, plan.source_guid[ref.id], attributes.get(ref.id)) for ref in plan.refs]
    cases += [(source.name, source.guid, source.attributes) for source in plan.empty]
    names = sorted({name for _, _, values in cases for name in values or ()})
    if not names:
        return
    writer.start("Variables")
    for name in names:
        guid = derived_guid("variable", name)
        writer.leaf("Variable", {"guid": guid, "name": name, "typeOfVariable": "Text"}, where=f"the name of attribute '{name}'")
    writer.end("Variables")
    writer.start("Cases")
    for source_name, guid, values in cases:
        if not values:
            continue
        where = f"the name of transcript '{source_name}'"
        writer.start("Case", {"guid": derived_guid("case", guid), "name": source_name}, where=where)
        for name, value in sorted(values.items()):
            writer.start("VariableValue")
            writer.leaf("VariableRef", {"targetGUID": derived_guid("variable", name)})
            writer.leaf("TextValue", text=value, where=f"attribute '{name}' of '{source_name}'")
            writer.end("VariableValue")
        writer.leaf("SourceRef", {"targetGUID": guid})
        writer.end("Case")
    writer.end("Cases")


def _source_attrs(
    plan: _ExportPlan, guid: str, name: str, identity: tuple[str | None, str | None], ref: TranscriptRef | None
) -> dict:
    created, creator = identity
    exporter = plan.user_guid(plan.user)
    return {
        "guid": guid,
        "name": name,
        "plainTextPath": f"internal://{guid}.txt",
        "creatingUser": plan.user_guid(creator) or exporter,
        "creationDateTime": to_xsd(created) or (to_xsd(ref.imported_at) if ref else None),
        "modifyingUser": exporter,
        "modifiedDateTime": to_xsd(ref.updated_at or ref.imported_at) if ref else to_xsd(created),
    }


def _write_source(
    writer: XmlWriter,
    ref: TranscriptRef,
    identity: tuple[str | None, str | None],
    astral: list[int] | None,
    plan: _ExportPlan,
    selections: _Selections,
    result: QdpxExportResult,
) -> None:
    guid = plan.source_guid[ref.id]
    writer.start("TextSource", _source_attrs(plan, guid, ref.name, identity, ref), where=f"the name of transcript '{ref.name}'")
    memo = plan.memos.get(ref.id)
    if memo:
        writer.leaf("Description", text=memo, where=f"the memo of transcript '{ref.name}'")
        result.transcript_memos += 1
    writer.raw(selections.xml(plan.store.exchange.coding_rows(ref.id), guid, ref.name, astral))
    writer.end("TextSource")
    result.transcripts += 1


class _Selections:
    """The codings of a source as ``<PlainTextSelection>`` elements: the export's inner loop.

    Every coding is a selection of its own, except codings an import took from one
    selection (same GUID, span and memo), which go back into it. Each element is one
    f-string: what does not change per coding (a coder's GUID attributes, a code's
    ``<CodeRef>``, the indents) is formatted once per export, dates once per source
    (so what is kept stays as small as a source); GUIDs and dates are the
    only values written without escaping (qualcode makes them); everything else goes
    through the writer's own escaping. Every piece is :func:`_narrow` (UTF-8 bytes as
    a str): a selection's name cut with "…" would otherwise make the whole source's
    XML a str of two bytes per character, slower to format, join and encode.
    """

    def __init__(self, writer: XmlWriter, plan: _ExportPlan) -> None:
        self.writer = writer
        self.plan = plan
        depth = writer.depth + 1  # inside <Sources><TextSource>
        self.indent = ["  " * (depth + level) for level in range(3)]
        self.codings = 0
        self.memos = 0
        self._users: dict[str, tuple[str, str]] = {}
        self._code_ends: dict[str, str] = {}
        self._who: dict[tuple[str, str], tuple[str, str, str]] = {}
        self._dates: dict[tuple[str, str], tuple[str, str]] = {}

    def user(self, name: str) -> tuple[str, str]:
        """`` creatingUser="..."`` and `` modifyingUser="..."`` for a user (empty without a GUID)."""
        attrs = self._users.get(name)
        if attrs is None:
            guid = self.plan.user_guid(name)
            value = self.writer.attr_value(guid) if guid else None
            attrs = (f' creatingUser="{value}"', f' modifyingUser="{value}"') if value is not None else ("", "")
            self._users[name] = attrs
        return attrs

    def code_end(self, code_id: str) -> str:
        """What follows a ``<Coding>``'s attributes: its ``<CodeRef>`` and end tag."""
        text = self._code_ends.get(code_id)
        if text is None:
            target = self.writer.attr_value(self.plan.code_guid[code_id])
            _, inner, innermost = self.indent
            text = f'>\n{innermost}<CodeRef targetGUID="{target}" />\n{inner}</Coding>\n'
            self._code_ends[code_id] = text
        return text

    def who(self, coder: str, code_id: str) -> tuple[str, str, str]:
        """A plain coding's coder and code: its selection's `` creatingUser`` and `` modifyingUser``
        attributes, and what follows its ``<Coding>``'s dates up to the selection's end tag."""
        pieces = self._who.get((coder, code_id))
        if pieces is None:
            creating, modifying = self.user(coder)
            closing = f"{self.code_end(code_id)}{self.indent[0]}</PlainTextSelection>\n"
            pieces = self._who[(coder, code_id)] = (_narrow(creating), _narrow(modifying), _narrow(closing))
        return pieces

    def dates(self, created_at: str, updated_at: str) -> tuple[str, str]:
        """A plain coding's `` creationDateTime`` and `` modifiedDateTime`` attributes (empty without a date)."""
        created = to_xsd(created_at)
        modified = (created if updated_at == created_at else to_xsd(updated_at)) or created
        dated = f' creationDateTime="{created}"' if created else ""
        changed = f' modifiedDateTime="{modified}"' if modified else ""
        pieces = self._dates[(created_at, updated_at)] = (_narrow(dated), _narrow(changed))
        return pieces

    def xml(self, rows: Iterable[ExchangeRow], guid: str, name: str, astral: list[int] | None) -> bytes:
        """A source's selections (``rows`` in span order), encoded."""
        out: list[str] = []
        group: list[ExchangeRow] = []  # an imported selection being gathered
        used: set[str] = set()  # imported selection GUIDs written (a selection's codings are all in one source)
        outer, inner, _ = self.indent
        opening = f'{outer}<PlainTextSelection guid="'
        who, whose, dates = self.who, self._who, self._dates
        dates.clear()  # dates differ per coding in a project coded by hand: keep one source's
        attr_value, text_value = self.writer.attr_value, self.writer.text_value
        # Derived GUIDs hash the source's GUID first: hashed once per source, then copied per coding.
        selection_hash = hashlib.sha1(key_prefix("selection", guid)).copy
        coding_hash = hashlib.sha1(key_prefix("coding", guid)).copy
        variant = _VARIANT
        span_start = span_end = -1
        label = ""
        codings = memos = 0
        for row in rows:
            if group:
                first = group[0]
                if row[9] is not None and row[9] == first[9] and (row[1], row[2], row[5]) == (first[1], first[2], first[5]):
                    group.append(row)
                    continue
                out.append(_narrow(self.selection(group, guid, name, astral, used)))
                group = []
            if row[9] is not None or astral:
                group = [row]
                continue
            # The common case (a coding of qualcode's own): formatted right here.
            cid, start, end, code_id, coder, memo, quote, created_at, updated_at, _, _, _ = row
            if start != span_start or end != span_end:  # codings of one span (other codes, coders) share its name
                span_start, span_end = start, end
                label = _narrow_name(quote, attr_value)
            key = f"{start}\x1f{end}\x1f{code_id}\x1f{coder}".encode()
            hashed = selection_hash()
            hashed.update(key)
            s = hashed.hexdigest()
            hashed = coding_hash()
            hashed.update(key)
            c = hashed.hexdigest()
            creating, modifying, closing = whose.get((coder, code_id)) or who(coder, code_id)
            dated, changed = dates.get((created_at, updated_at)) or self.dates(created_at, updated_at)
            if memo:
                where = f"the memo of coding {cid} in '{name}' (code '{code_id}')"
                description = f"{inner}<Description>{_narrow(text_value(memo, where))}</Description>\n"
                memos += 1
            else:
                description = ""
            out.append(
                f'{opening}{s[:8]}-{s[8:12]}-5{s[13:16]}-{variant[s[16]]}{s[17:20]}-{s[20:32]}" name="{label}"'
                f' startPosition="{start}" endPosition="{end}"{creating}{dated}{modifying}{changed}>\n{description}'
                f'{inner}<Coding guid="{c[:8]}-{c[8:12]}-5{c[13:16]}-{variant[c[16]]}{c[17:20]}-{c[20:32]}"'
                f"{creating}{dated}{closing}"
            )
            codings += 1
        if group:
            out.append(_narrow(self.selection(group, guid, name, astral, used)))
        self.codings += codings
        self.memos += memos
        return "".join(out).encode("latin-1")

    def selection(self, rows: list[ExchangeRow], guid: str, name: str, astral: list[int] | None, used: set[str]) -> str:
        """One ``<PlainTextSelection>`` with its description and codings, whatever they hold."""
        group = [ExchangeCoding._make(row) for row in rows]
        outer, inner, _ = self.indent
        attr_value = self.writer.attr_value
        first = group[0]
        start, end = first.start, first.end
        # What a GUID is derived from when the file has none: the source and the coding's key.
        key = f"{guid}\x1f{start}\x1f{end}\x1f{first.code_id}\x1f{first.coder}"
        created = to_xsd(first.created_at)
        modified = max((to_xsd(c.updated_at) or "" for c in group), default="") or created
        if astral:  # UTF-16: every character outside the BMP before a position counts twice
            start, end = start + bisect_left(astral, start), end + bisect_left(astral, end)
        selection_guid = first.selection_guid
        if selection_guid is None or guid_key(selection_guid) in used:
            # Codings of one selection that differ now (another memo) are selections of their own.
            selection_guid = key_guid("selection\x1f" + key)
        else:
            used.add(guid_key(selection_guid))
            selection_guid = attr_value(selection_guid)
        creating, modifying = self.user(first.selection_creator or first.coder)
        dated = f' creationDateTime="{created}"' if created else ""
        changed = f' modifiedDateTime="{modified}"' if modified else ""
        parts = [
            f'{outer}<PlainTextSelection guid="{selection_guid}" name="{attr_value(_selection_name(first.quote))}"'
            f' startPosition="{start}" endPosition="{end}"{creating}{dated}{modifying}{changed}>\n'
        ]
        if first.memo:
            where = f"the memo of coding {first.id} in '{name}' (code '{first.code_id}')"
            parts.append(f"{inner}<Description>{self.writer.text_value(first.memo, where)}</Description>\n")
            self.memos += len(group)
        for coding in group:
            if coding is not first:
                key = f"{guid}\x1f{coding.start}\x1f{coding.end}\x1f{coding.code_id}\x1f{coding.coder}"
                created = to_xsd(coding.created_at)
                dated = f' creationDateTime="{created}"' if created else ""
            coding_guid = attr_value(coding.coding_guid) if coding.coding_guid else key_guid("coding\x1f" + key)
            parts.append(f'{inner}<Coding guid="{coding_guid}"{self.user(coding.coder)[0]}{dated}{self.code_end(coding.code_id)}')
        parts.append(f"{outer}</PlainTextSelection>\n")
        self.codings += len(group)
        return "".join(parts)


def _write_sets(writer: XmlWriter, book: Codebook, documents: list[DocumentSet], plan: _ExportPlan) -> None:
    """Code sets (the codebook's) and document sets (kept from an import), in one ``<Sets>``."""
    exported = {*(plan.source_guid[r.id] for r in plan.refs), *(s.guid for s in plan.empty)}
    exported_keys = {guid_key(g) for g in exported}
    documents = [d for d in documents if any(guid_key(m) in exported_keys for m in d.members)]
    if not book.sets and not documents:
        return
    writer.start("Sets")
    for code_set in book.sets:
        write_code_set(writer, book, code_set, "targetGUID")
    for document_set in documents:
        where = f"set '{document_set.name}'"
        writer.start("Set", {"guid": document_set.guid, "name": document_set.name}, where=where)
        if document_set.description:
            writer.leaf("Description", text=document_set.description, where=where)
        for member in document_set.members:
            if guid_key(member) in exported_keys:
                writer.leaf("MemberSource", {"targetGUID": member})
        writer.end("Set")
    writer.end("Sets")


def _write_turns(raw: Sink, plan: _ExportPlan) -> None:
    """``qualcode/turns.json``, one source at a time, handed on in pieces of about :data:`_PIECE` bytes."""
    head = {"version": 1, "positions": plan.positions}
    parts = [json.dumps(head, ensure_ascii=False)[:-1].encode("utf-8") + b', "sources": {\n']
    size = 0
    for number, ref in enumerate(plan.refs):
        entry = {"name": ref.name, "text_sha256": ref.content_hash, "turns": plan.store.exchange.turn_rows(ref.id)}
        line = json.dumps(plan.source_guid[ref.id]) + ": " + json.dumps(entry, ensure_ascii=False)
        data = ((",\n" if number else "") + line).encode("utf-8")
        parts.append(data)
        size += len(data)
        if size >= _PIECE:
            raw.write(b"".join(parts))
            parts.clear()
            size = 0
    parts.append(b"\n}}\n")
    raw.write(b"".join(parts))


def _narrow(text: str) -> str:
    """``text``'s UTF-8 bytes as a str of code points below 256: ``_narrow(t).encode("latin-1") == t.encode()``.

    CPython keeps such a str at one byte per character, and so is every f-string and
    join made of such pieces; encoding the result as Latin-1 is a copy.
    """
    return text if text.isascii() else text.encode("utf-8").decode("latin-1")


_NARROW_ELLIPSIS = _narrow("…")


def _narrow_name(quote: str, attr_value: Callable[[str], str]) -> str:
    """``_narrow(attr_value(_selection_name(quote)))``, with one pass for a quote that needs nothing done."""
    if (
        quote.isprintable()
        and "  " not in quote
        and not quote.startswith(" ")
        and not quote.endswith(" ")
        and "&" not in quote
        and "<" not in quote
        and ">" not in quote
        and '"' not in quote
    ):
        # Nothing to fold or escape: the name is the quote, cut at 60 characters.
        if len(quote) <= 60:
            return _narrow(quote)
        return _narrow(quote[:59]) + _NARROW_ELLIPSIS
    return _narrow(attr_value(_selection_name(quote)))


def _selection_name(quote: str) -> str:
    """A selection's name: its quote on one line, white space folded, at most 60 characters."""
    if quote.isprintable() and "  " not in quote and not quote.startswith(" ") and not quote.endswith(" "):
        text = quote  # the only white space a printable text can hold is " ": here nothing to fold
    else:
        text = " ".join(quote.split())
    return text if len(text) <= 60 else text[:59] + "…"
