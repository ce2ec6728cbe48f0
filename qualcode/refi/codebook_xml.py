"""Codebooks as REFI-QDA XML: write a ``.qdc`` (or a project's CodeBook), read one back.

Writing follows the official Codebook XSD (element order matters there). Reading is
tolerant (see :mod:`.reading`) and turns the REFI codes into a qualcode
:class:`~qualcode.codebook.Codebook`: ids per :mod:`.ids`, the definition unfolded
per :mod:`.describe`, the REFI GUID kept in ``guid:`` so re-exports are stable.
"""

from __future__ import annotations

import io
from pathlib import Path

from .. import __version__
from ..codebook import KEY_RE, RESERVED_KEYS, Code, Codebook, CodeSet, Hints
from ..errors import REFI_INVALID, Report, error
from .colors import codebook_colors
from .describe import Unfolded, fold, unfold
from .guids import derived_guid, guid_key
from .ids import IdAllocator
from .model import RefiCode, RefiCodebook
from .reading import CODEBOOK_NS, RefiReader
from .xmlsafe import parse_xml
from .xmlwrite import StripTally, XmlWriter

ORIGIN = f"qualcode {__version__}"


# --- writing ------------------------------------------------------------------------------


def code_guid(code: Code) -> str:
    """The GUID a code is exported with (its own, or derived from its id)."""
    return code.stable_guid


def set_guid(code_set: CodeSet) -> str:
    """The GUID a code set is exported with (its own, or derived from its name)."""
    return code_set.guid or derived_guid("set", code_set.name)


def code_comment(code: Code) -> str:
    """``qualcode id=... key=...``: what REFI-QDA has no place for, kept where no tool shows it.

    Written as an XML comment inside the ``<Code>`` (other tools skip comments; the
    XSDs ignore them), so the description stays the researcher's own text.
    """
    fields = {"id": code.id, "key": code.key}
    return "qualcode " + " ".join(f"{k}={v}" for k, v in fields.items() if v)


def write_codes(writer: XmlWriter, codes: list[Code], language: str | None, colors: set[str]) -> None:
    """``<Codes>`` with the whole code tree (XSD order).

    ``colors``: ids of the codes whose colour the codebook states; other codes get
    none (their display colour is qualcode's choice, not the researcher's). Written
    without recursion: a code tree is as deep as the file says.
    """
    writer.start("Codes")
    stack: list[tuple[Code, bool]] = [(code, False) for code in reversed(codes)]
    while stack:
        code, done = stack.pop()
        if done:
            writer.end("Code")
            continue
        attrs = {
            "guid": code_guid(code),
            "name": code.name,
            "isCodable": "true" if code.codable else "false",
            "color": code.color if code.color and code.id in colors else None,
        }
        where = f"code '{code.id}'"
        writer.start("Code", attrs, where=where)
        writer.comment(code_comment(code))
        description = fold(code.description, code.include, code.exclude, code.examples, language=language)
        if description:
            writer.leaf("Description", text=description, where=where)
        stack.append((code, True))
        stack.extend((child, False) for child in reversed(code.children))
    writer.end("Codes")


def write_sets(writer: XmlWriter, book: Codebook, member_attr: str) -> None:
    """``<Sets>`` of codes; nothing when there are none (the XSD forbids an empty one)."""
    if not book.sets:
        return
    writer.start("Sets")
    for code_set in book.sets:
        write_code_set(writer, book, code_set, member_attr)
    writer.end("Sets")


def write_code_set(writer: XmlWriter, book: Codebook, code_set: CodeSet, member_attr: str) -> None:
    """One ``<Set>`` of codes (.qdc files name members in ``guid``, projects in ``targetGUID``)."""
    where = f"set '{code_set.name}'"
    writer.start("Set", {"guid": set_guid(code_set), "name": code_set.name}, where=where)
    if code_set.description:
        writer.leaf("Description", text=code_set.description, where=where)
    for code_id in code_set.codes:
        code = book.get(code_id)
        if code is not None:
            writer.leaf("MemberCode", {member_attr: code_guid(code)})
    writer.end("Set")


def codebook_to_qdc(book: Codebook, colors: set[str] | None = None, report: Report | None = None) -> bytes:
    """The codebook as a REFI-QDA ``.qdc`` document (valid against Codebook.xsd).

    ``colors``: ids of the codes whose colour is the codebook's choice (see
    :func:`write_codes`); by default those its YAML file states. ``report`` is told
    which names or descriptions lost characters XML cannot hold, and which codes share a
    name (:func:`shared_names`).
    """
    if not book.codes:
        # The XSD needs at least one code; an empty codebook has nothing to share.
        raise ValueError("an empty codebook cannot be written as REFI-QDA")
    out = io.BytesIO()
    stripped = StripTally()
    writer = XmlWriter(out, on_strip=stripped)
    writer.start("CodeBook", {"xmlns": CODEBOOK_NS, "origin": ORIGIN})
    write_codes(writer, book.codes, book.language, codebook_colors(book) if colors is None else colors)
    write_sets(writer, book, "guid")
    writer.end("CodeBook")
    writer.close()
    if report is not None:
        for warning in [*stripped.warnings(), *shared_names(book)]:
            report.warn(warning)
    return out.getvalue()


def shared_names(book: Codebook) -> list[str]:
    """A warning for codes that share a name: REFI-QDA tells them apart by GUID, but programs
    that key codes by name (QualCoder) keep one of them and drop the other's codings."""
    by_name: dict[str, list[str]] = {}
    for code in book.walk():
        by_name.setdefault(code.name, []).append(code.id)
    shared = [f"'{name}' ({', '.join(ids)})" for name, ids in by_name.items() if len(ids) > 1]
    if not shared:
        return []
    return [
        f"{len(shared)} name(s) are shared by several codes: {'; '.join(shared)}; programs that tell codes apart"
        " by name (QualCoder) keep one of them and lose the other's codings: give each code its own name"
    ]


def qdc_losses(book: Codebook) -> list[str]:
    """What a .qdc cannot carry, to tell the user (REFI-QDA §7: say what is lost)."""
    lost = [
        label
        for label, present in (
            ("title", bool(book.title)),
            ("version", bool(book.version)),
            ("authors", bool(book.authors)),
            ("licence", bool(book.licence)),
            ("codebook description", bool(book.description)),
            ("suggestion hints", any(c.hints for c in book.walk())),
        )
        if present
    ]
    return lost


# --- reading ------------------------------------------------------------------------------


def code_from_refi(
    rc: RefiCode, code_id: str, info: Unfolded, *, key: str | None = None, hints: Hints | None = None, children=()
) -> Code:
    """The qualcode code for REFI code ``rc`` (its definition unfolded in ``info``), without its children
    unless given: the one place a REFI code becomes a :class:`~qualcode.codebook.Code`."""
    return Code(
        id=code_id,
        name=rc.name,
        description=info.description,
        include=info.include,
        exclude=info.exclude,
        examples=info.examples,
        color=rc.color,
        key=key,
        codable=rc.codable,
        guid=rc.guid,
        hints=hints or Hints(),
        children=list(children),
    )


def definition(code: RefiCode) -> Unfolded:
    """A REFI code's definition, criteria and examples, with the id and key qualcode kept for it."""
    info = unfold(code.description)
    info.fields = {**info.fields, **code.fields}  # the comment of a current export over an older one's trailer
    return info


def read_qdc(data: bytes, path: str, report: Report) -> RefiCodebook:
    """Parse a ``.qdc`` document; raise REFI_INVALID listing every located problem."""
    root = parse_xml(data, path)
    reader = RefiReader(path, report)
    reader.check_root(root, "CodeBook", "codebook")
    refi = reader.codebook(root, reader.child(root, "Sets"), root.get("origin"))
    if reader.child(root, "Codes") is None:
        reader.problem(root, "the codebook has no <Codes>")
    if reader.problems:
        raise error(REFI_INVALID, problems=reader.problems, path=path, count=len(reader.problems))
    return refi


def to_codebook(
    refi: RefiCodebook,
    *,
    title: str,
    report: Report,
    known: Codebook | None = None,
    language: str | None = None,
) -> Codebook:
    """A qualcode codebook from REFI codes and sets.

    ``known`` is the codebook these codes may have come from: a code whose GUID is
    there keeps that code's id and shortcut key (things a .qdc cannot carry).
    """
    by_guid = {guid_key(c.stable_guid): c for c in known.walk()} if known else {}
    unfolded = {id(c): definition(c) for c in refi.walk()}
    ids = IdAllocator()
    chosen: dict[int, str] = {}
    # First the ids that are known (by GUID) or written down by a qualcode export ...
    for rank in ("known", "written"):
        for rc in refi.walk():
            if id(rc) in chosen:
                continue
            wanted = by_guid[guid_key(rc.guid)].id if rank == "known" and guid_key(rc.guid) in by_guid else None
            if rank == "written":
                wanted = unfolded[id(rc)].fields.get("id")
            if wanted and ids.claim(wanted):
                chosen[id(rc)] = wanted
            elif wanted and rank == "written":
                report.warn(f"code '{rc.name}': id '{wanted}' kept in the file is taken or invalid; a new id is made")
    # ... then slugs of names for the rest.
    keys: set[str] = set()

    def build(rc: RefiCode, parent_id: str | None) -> Code:
        code_id = chosen.get(id(rc)) or ids.allocate(rc.name, parent_id)
        info = unfolded[id(rc)]
        before = by_guid.get(guid_key(rc.guid))
        key = info.fields.get("key") or (before.key if before else None)
        if key and (not KEY_RE.match(key) or key in RESERVED_KEYS or key in keys):
            report.warn(f"code '{rc.name}': shortcut key '{key}' is invalid or already used; left out")
            key = None
        if key:
            keys.add(key)
        hints = before.hints if before else None
        return code_from_refi(rc, code_id, info, key=key, hints=hints, children=[build(child, code_id) for child in rc.children])

    codes = [build(rc, None) for rc in refi.codes]
    book = Codebook(title=title, codes=codes, language=language or _language(unfolded.values()))
    id_of = {guid_key(c.guid): c.id for c in book.walk() if c.guid}
    for refi_set in refi.sets:
        members = [id_of[guid_key(g)] for g in refi_set.code_guids if guid_key(g) in id_of]
        missing = len(refi_set.code_guids) - len(members)
        if missing:
            report.warn(f"set '{refi_set.name}': {missing} member(s) are not codes of this codebook; left out")
        if refi_set.source_guids and refi_set.code_guids:
            report.warn(f"set '{refi_set.name}' groups documents and codes: only its codes are kept, as a code set")
        if members or not refi_set.source_guids:  # a set of documents only is not the codebook's (the project importer keeps it)
            book.sets.append(CodeSet(refi_set.name, members, refi_set.description, refi_set.guid))
    return book


def _language(unfolded) -> str | None:
    """The codebook's language as its definition headings show it (nl or en), if they do."""
    unfolded = list(unfolded)
    if any(u.dutch for u in unfolded):
        return "nl"
    return "en" if any(u.english for u in unfolded) else None


def title_from_path(path: Path) -> str:
    """A readable title for a codebook that comes without one (.qdc files have none)."""
    return path.stem.replace("_", " ").replace("-", " ").strip() or "Codebook"
