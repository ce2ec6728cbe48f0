"""Codebooks as REFI-QDA XML: write a ``.qdc`` (or a project's CodeBook), read one back.

Writing follows the official Codebook XSD (element order matters there). Reading is
tolerant (see :mod:`.reading`) and turns the REFI codes into a qualcode
:class:`~qualcode.codebook.Codebook`: ids per :mod:`.ids`, the definition unfolded
per :mod:`.describe`, the REFI GUID kept in ``guid:`` so re-exports are stable.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from .. import __version__
from ..codebook import KEY_RE, RESERVED_KEYS, Code, Codebook, CodeSet, Hints
from ..errors import REFI_INVALID, Report, error
from .describe import fold, unfold
from .guids import derived_guid, guid_key
from .ids import IdAllocator
from .model import RefiCode, RefiCodebook
from .reading import CODEBOOK_NS, RefiReader
from .xmlsafe import parse_xml

ORIGIN = f"qualcode {__version__}"


# --- writing ------------------------------------------------------------------------------


def code_guid(code: Code) -> str:
    """The GUID a code is exported with (its own, or derived from its id)."""
    return code.stable_guid


def set_guid(code_set: CodeSet) -> str:
    """The GUID a code set is exported with (its own, or derived from its name)."""
    return code_set.guid or derived_guid("set", code_set.name)


def code_element(code: Code, language: str | None) -> ET.Element:
    """``<Code>`` with its folded ``<Description>`` and child codes (XSD order)."""
    attrs = {"guid": code_guid(code), "name": code.name, "isCodable": "true" if code.codable else "false"}
    if code.color:
        attrs["color"] = code.color
    el = ET.Element("Code", attrs)
    fields = {"id": code.id}
    if code.key:
        fields["key"] = code.key
    description = fold(code.description, code.include, code.exclude, code.examples, language=language, fields=fields)
    ET.SubElement(el, "Description").text = description
    for child in code.children:
        el.append(code_element(child, language))
    return el


def codes_element(book: Codebook) -> ET.Element:
    """``<Codes>`` with the whole code tree."""
    codes = ET.Element("Codes")
    for code in book.codes:
        codes.append(code_element(code, book.language))
    return codes


def sets_element(book: Codebook, member_attr: str) -> ET.Element | None:
    """``<Sets>``, or None when there are none (the XSD forbids an empty one)."""
    if not book.sets:
        return None
    sets = ET.Element("Sets")
    for code_set in book.sets:
        el = ET.SubElement(sets, "Set", {"guid": set_guid(code_set), "name": code_set.name})
        if code_set.description:
            ET.SubElement(el, "Description").text = code_set.description
        for code_id in code_set.codes:
            code = book.get(code_id)
            if code is not None:
                ET.SubElement(el, "MemberCode", {member_attr: code_guid(code)})
    return sets


def to_bytes(root: ET.Element) -> bytes:
    """The element as an indented UTF-8 XML document."""
    ET.indent(root, space="  ")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False) + b"\n"


def codebook_to_qdc(book: Codebook) -> bytes:
    """The codebook as a REFI-QDA ``.qdc`` document (valid against Codebook.xsd)."""
    root = ET.Element("CodeBook", {"xmlns": CODEBOOK_NS, "origin": ORIGIN})
    if not book.codes:
        # The XSD needs at least one code; an empty codebook has nothing to share.
        raise ValueError("an empty codebook cannot be written as REFI-QDA")
    root.append(codes_element(book))
    sets = sets_element(book, "guid")
    if sets is not None:
        root.append(sets)
    return to_bytes(root)


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
    unfolded = {id(c): unfold(c.description) for c in refi.walk()}
    ids = IdAllocator()
    chosen: dict[int, str] = {}
    # First the ids that are known (by GUID) or written down ([qualcode id=...]) ...
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
                report.warn(f"code '{rc.name}': id '{wanted}' from its description is taken or invalid; a new id is made")
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
            hints=before.hints if before else Hints(),
            children=[build(child, code_id) for child in rc.children],
        )

    codes = [build(rc, None) for rc in refi.codes]
    book = Codebook(title=title, codes=codes, language=language or _language(unfolded.values()))
    id_of = {guid_key(c.guid): c.id for c in book.walk() if c.guid}
    for refi_set in refi.sets:
        members = [id_of[guid_key(g)] for g in refi_set.code_guids if guid_key(g) in id_of]
        missing = len(refi_set.code_guids) - len(members)
        if missing:
            report.warn(f"set '{refi_set.name}': {missing} member(s) are not codes of this codebook; left out")
        if refi_set.source_guids:
            kept = "only its codes are kept" if members else "not imported"
            report.warn(f"set '{refi_set.name}' groups documents; qualcode has no document sets: {kept}")
        if members or not refi_set.source_guids:
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
