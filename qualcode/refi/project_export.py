"""Exporting a qualcode project as a REFI-QDA project (.qdpx).

What goes where (element order follows Project.xsd):

* transcripts -> ``<TextSource>`` with their normalised text as ``sources/<guid>.txt``
  (UTF-8, LF line ends, no BOM), so positions are plain code points, as the standard says;
* codings -> one ``<PlainTextSelection>`` each, holding one ``<Coding>``;
* coders -> ``<Users>``;
* coding memos -> a ``<Note>`` referred to by the selection (``<NoteRef>``), and the
  selection's ``<Description>``, which is where QualCoder and ATLAS.ti look;
* case attributes -> ``<Variables>`` (all Text) and one ``<Case>`` per transcript;
* the codebook -> ``<CodeBook>`` (definitions folded per :mod:`.describe`), code sets ->
  ``<Sets>``; codes that left the codebook but still have codings go in a non-codable
  folder "(not in the codebook)", so no coding is dropped.

GUIDs are kept where qualcode has them (imported transcripts, ``guid:`` in the
codebook) and otherwise derived from what they identify, so exporting twice gives the
same file and other tools can recognise earlier imports. Turns (with timestamps) go in
``qualcode/turns.json`` for a lossless qualcode -> qualcode round trip.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..codebook import Code, Codebook, read_codebook_text
from ..project import Project
from .archive import write_qdpx
from .codebook_xml import ORIGIN, code_element, code_guid, sets_element, to_bytes
from .guids import derived_guid
from .project_import import CODEBOOK_ENTRY_PREFIX, TURNS_ENTRY
from .reading import PROJECT_NS

ORPHAN_FOLDER = "(not in the codebook)"
_DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")

Progress = Callable[[int, int, str], None]


@dataclass(slots=True)
class QdpxExportResult:
    """What an export wrote, and what could not go into REFI-QDA."""

    path: Path
    transcripts: int = 0
    codings: int = 0
    memos: int = 0
    codes: int = 0
    users: int = 0
    warnings: list[str] = field(default_factory=list)


def export_qdpx(project: Project, path: Path, *, progress: Progress | None = None) -> QdpxExportResult:
    """Write the whole project to ``path`` as .qdpx (atomically; see the module docstring)."""
    path = Path(path)
    result = QdpxExportResult(path)
    book = project.codebook
    store = project.store
    names = store.transcripts.names()
    transcripts = []
    for number, tid in enumerate(names, 1):
        if progress:
            progress(number, len(names), names[tid])
        transcripts.append(store.transcripts.load(tid))
    codings = store.codings.find()

    codes_used = {c.code_id for c in codings}
    orphans = [row for row in store.codes.list(include_missing=True) if not row.in_codebook and row.id in codes_used]
    guid_of_code = {c.id: code_guid(c) for c in book.walk()}
    guid_of_code.update({row.id: row.guid or derived_guid("code", row.id) for row in orphans})
    coders = sorted({c.coder for c in codings})
    user_guid = {name: derived_guid("user", name) for name in coders}
    source_guid = {t.id: t.guid or derived_guid("transcript", t.content_hash) for t in transcripts}

    root = ET.Element("Project", {"xmlns": PROJECT_NS, "name": project.root.name or "qualcode", "origin": ORIGIN})
    if coders:
        users = ET.SubElement(root, "Users")
        for name in coders:
            ET.SubElement(users, "User", {"guid": user_guid[name], "name": name})
    codes_el = _codebook(book, orphans)
    if codes_el is not None:
        ET.SubElement(root, "CodeBook").append(codes_el)
    variable_names = sorted({k for t in transcripts for k in t.attributes})
    if variable_names:
        variables = ET.SubElement(root, "Variables")
        for name in variable_names:
            ET.SubElement(variables, "Variable", {"guid": derived_guid("variable", name), "name": name, "typeOfVariable": "Text"})
        cases = ET.SubElement(root, "Cases")
        for t in transcripts:
            if not t.attributes:
                continue
            case = ET.SubElement(cases, "Case", {"guid": derived_guid("case", source_guid[t.id]), "name": t.name})
            for name, value in sorted(t.attributes.items()):
                holder = ET.SubElement(case, "VariableValue")
                ET.SubElement(holder, "VariableRef", {"targetGUID": derived_guid("variable", name)})
                ET.SubElement(holder, "TextValue").text = value
            ET.SubElement(case, "SourceRef", {"targetGUID": source_guid[t.id]})
    notes: list[ET.Element] = []
    if transcripts:
        sources = ET.SubElement(root, "Sources")
        by_transcript: dict[int, list] = {}
        for coding in codings:
            by_transcript.setdefault(coding.transcript_id, []).append(coding)
        for t in transcripts:
            guid = source_guid[t.id]
            source = ET.SubElement(sources, "TextSource", {"guid": guid, "name": t.name, "plainTextPath": f"internal://{guid}.txt"})
            for coding in by_transcript.get(t.id, []):
                key = (guid, coding.start, coding.end, coding.code_id)
                attrs = {
                    "guid": derived_guid("selection", *key),
                    "name": _selection_name(coding.quote),
                    "startPosition": str(coding.start),
                    "endPosition": str(coding.end),
                    "creatingUser": user_guid[coding.coder],
                }
                created = _datetime(coding.created_at)
                if created:
                    attrs["creationDateTime"] = created
                selection = ET.SubElement(source, "PlainTextSelection", attrs)
                if coding.memo:
                    ET.SubElement(selection, "Description").text = coding.memo
                coding_attrs = {"guid": derived_guid("coding", *key), "creatingUser": user_guid[coding.coder]}
                if created:
                    coding_attrs["creationDateTime"] = created
                coding_el = ET.SubElement(selection, "Coding", coding_attrs)
                ET.SubElement(coding_el, "CodeRef", {"targetGUID": guid_of_code[coding.code_id]})
                if coding.memo:
                    note_guid = derived_guid("note", *key)
                    ET.SubElement(selection, "NoteRef", {"targetGUID": note_guid})
                    note = ET.Element("Note", {"guid": note_guid, "name": f"Memo: {_selection_name(coding.quote)}", "creatingUser": user_guid[coding.coder]})
                    ET.SubElement(note, "PlainTextContent").text = coding.memo
                    notes.append(note)
                result.codings += 1
            result.transcripts += 1
    if notes:
        ET.SubElement(root, "Notes").extend(notes)
        result.memos = len(notes)
    sets = sets_element(book, "targetGUID")
    if sets is not None:
        root.append(sets)

    members = [("project.qde", to_bytes(root))]
    members += [(f"sources/{source_guid[t.id]}.txt", t.text.encode("utf-8")) for t in transcripts]
    members.append((TURNS_ENTRY, _turns_json(transcripts, source_guid)))
    if not orphans:  # with orphans the file's codes differ from the YAML: let the XML speak
        members.append((CODEBOOK_ENTRY_PREFIX + project.codebook_path.name, read_codebook_text(project.codebook_path).encode("utf-8")))
    write_qdpx(path, members)

    result.codes = len(book) + len(orphans)
    result.users = len(coders)
    if orphans:
        result.warnings.append(
            f"{len(orphans)} code(s) no longer in the codebook still have codings; exported in a folder"
            f" '{ORPHAN_FOLDER}': {', '.join(r.id for r in orphans)}"
        )
    if any(c.hints for c in book.walk()):
        result.warnings.append("suggestion hints (keywords, lemmas, patterns) have no place in REFI-QDA; they stay in the YAML")
    return result


def _codebook(book: Codebook, orphans) -> ET.Element | None:
    codes = ET.Element("Codes")
    for code in book.codes:
        codes.append(code_element(code, book.language))
    if orphans:
        folder = Code(id="not_in_codebook", name=ORPHAN_FOLDER, codable=False, guid=derived_guid("folder", ORPHAN_FOLDER))
        folder.children = [Code(id=row.id, name=row.name, color=row.color, guid=row.guid) for row in orphans]
        codes.append(code_element(folder, book.language))
    return codes if len(codes) else None


def _selection_name(quote: str) -> str:
    text = " ".join(quote.split())
    return text if len(text) <= 60 else text[:59] + "…"


def _datetime(value: str | None) -> str | None:
    """An xsd:dateTime, or None (a value another tool wrote that is not one is left out)."""
    if value and _DATETIME_RE.match(value):
        return value
    return None


def _turns_json(transcripts, source_guid: dict[int, str]) -> bytes:
    data = {
        "version": 1,
        "sources": {
            source_guid[t.id]: {
                "name": t.name,
                "text_sha256": t.content_hash,
                "turns": [[u.index, u.speaker, u.start, u.end, u.time_start, u.time_end] for u in t.turns],
            }
            for t in transcripts
        },
    }
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
