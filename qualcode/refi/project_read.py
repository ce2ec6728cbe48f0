"""Reading a REFI-QDA project (``project.qde``) into :class:`~.model.RefiProject`.

Everything qualcode can use is read: users, the codebook and code sets, variables and
cases, text sources with their selections and codings, notes and the links NVivo uses
to attach notes to selections. What qualcode has no place for (pictures, PDFs, audio,
video, graphs, document sets) is counted in ``skipped`` so the importer can say so.
"""

from __future__ import annotations

from ..errors import REFI_INVALID, Report, error
from .guids import guid_key
from .model import (
    RefiCase,
    RefiCoding,
    RefiNote,
    RefiProject,
    RefiSelection,
    RefiSource,
)
from .reading import RefiReader
from .xmlsafe import Node, parse_xml

VALUE_TAGS = ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue")
OTHER_SOURCES = {
    "PictureSource": "picture source(s)",
    "PDFSource": "PDF source(s)",
    "AudioSource": "audio source(s)",
    "VideoSource": "video source(s)",
}


def read_project(data: bytes, path: str, report: Report) -> RefiProject:
    """Parse ``project.qde`` bytes; raise REFI_INVALID listing every located problem."""
    root = parse_xml(data, path)
    reader = RefiReader(path, report)
    reader.check_root(root, "Project", "project")
    project = RefiProject(
        name=(root.get("name") or "").strip(),
        origin=root.get("origin"),
        created=root.get("creationDateTime") or root.get("modifiedDateTime"),
        user_guid=root.get("creatingUserGUID") or root.get("modifyingUserGUID"),
    )
    users = reader.child(root, "Users")
    for node in reader.children(users, "User") if users is not None else []:
        guid = reader.guid(node)
        if guid:
            project.users[guid_key(guid)] = (node.get("name") or node.get("id") or "").strip() or guid
            project.user_guids[guid_key(guid)] = guid
    project.codebook = reader.codebook(reader.child(root, "CodeBook"), reader.child(root, "Sets"), project.origin)
    variables = reader.child(root, "Variables")
    for node in reader.children(variables, "Variable") if variables is not None else []:
        guid = reader.guid(node)
        name = (node.get("name") or "").strip()
        if guid and name:
            project.variables[guid_key(guid)] = name
    cases = reader.child(root, "Cases")
    for node in reader.children(cases, "Case") if cases is not None else []:
        guid = reader.guid(node)
        if guid:
            project.cases.append(
                RefiCase(
                    guid=guid,
                    name=(node.get("name") or "").strip() or None,
                    variables=_values(reader, node),
                    source_guids=[g for r in reader.children(node, "SourceRef") if (g := reader.guid(r, "targetGUID"))],
                )
            )
    sources = reader.child(root, "Sources")
    selections: dict[str, int] = {}  # selection GUID key -> line of its first use
    for node in reader.children(sources) if sources is not None else []:
        if node.tag == "TextSource":
            source = _text_source(reader, node, selections)
            if source is not None:
                project.sources.append(source)
        elif node.tag in OTHER_SOURCES:
            project.skipped[OTHER_SOURCES[node.tag]] = project.skipped.get(OTHER_SOURCES[node.tag], 0) + 1
    notes = reader.child(root, "Notes")
    for node in reader.children(notes, "Note") if notes is not None else []:
        guid = reader.guid(node)
        if guid:
            content = reader.child(node, "PlainTextContent")
            project.notes[guid_key(guid)] = RefiNote(
                guid=guid,
                name=(node.get("name") or "").strip(),
                text=content.text if content is not None else None,
                plain_path=node.get("plainTextPath"),
            )
    links = reader.child(root, "Links")
    for node in reader.children(links, "Link") if links is not None else []:
        origin, target = node.get("originGUID"), node.get("targetGUID")
        if origin and target:
            project.links.append((guid_key(origin), guid_key(target)))
    graphs = reader.child(root, "Graphs")
    if graphs is not None:
        project.skipped["graph(s)"] = len(reader.children(graphs, "Graph"))
    _count_unkept(reader, root, project)
    if reader.problems:
        raise error(REFI_INVALID, problems=reader.problems, path=path, count=len(reader.problems))
    return project


def _count_unkept(reader: RefiReader, root: Node, project: RefiProject) -> None:
    """What the file holds and qualcode's model cannot (listed in the README), so the import can say so."""
    unkept = project.unkept
    sources = reader.child(root, "Sources")
    for node in reader.children(sources, "TextSource") if sources is not None else []:
        if node.get("richTextPath"):
            unkept["rich-text version(s) of sources (their formatting; the plain text is kept)"] += 1
        if reader.text_of(node, "Description"):
            unkept["source description(s)"] += 1
    if reader.text_of(root, "Description"):
        unkept["project description"] += 1
    variables = reader.child(root, "Variables")
    for node in reader.children(variables, "Variable") if variables is not None else []:
        if (node.get("typeOfVariable") or "Text") != "Text":
            unkept["variable type(s) other than text (their values are kept as text)"] += 1
    cases = reader.child(root, "Cases")
    for node in reader.children(cases, "Case") if cases is not None else []:
        if reader.text_of(node, "Description"):
            unkept["case description(s)"] += 1
    codebook = reader.child(root, "CodeBook")
    if codebook is not None and any(n.tag == "NoteRef" for n in codebook.iter()):
        unkept["memo(s) linked to codes"] += sum(1 for n in codebook.iter() if n.tag == "NoteRef")


def _values(reader: RefiReader, node: Node) -> dict[str, str]:
    """``<VariableValue>`` children as {variable GUID key: value text}."""
    out = {}
    for value in reader.children(node, "VariableValue"):
        ref = reader.child(value, "VariableRef")
        target = reader.guid(ref, "targetGUID") if ref is not None else None
        if target is None:
            continue
        for tag in VALUE_TAGS:
            holder = reader.child(value, tag)
            if holder is not None:
                out[guid_key(target)] = holder.text.strip()
                break
    return out


def _codings(reader: RefiReader, node: Node) -> list[RefiCoding]:
    out = []
    for coding in reader.children(node, "Coding"):
        ref = reader.child(coding, "CodeRef")
        if ref is None:
            reader.problem(coding, "<Coding> has no <CodeRef>")
            continue
        target = reader.guid(ref, "targetGUID")
        if target:
            out.append(
                RefiCoding(
                    code_guid=target,
                    user_guid=coding.get("creatingUser"),
                    created=coding.get("creationDateTime"),
                    note_guids=_note_refs(reader, coding),
                    guid=reader.guid(coding, required=False),
                )
            )
    return out


def _note_refs(reader: RefiReader, node: Node) -> list[str]:
    return [g for r in reader.children(node, "NoteRef") if (g := reader.guid(r, "targetGUID"))]


def _text_source(reader: RefiReader, node: Node, selections: dict[str, int]) -> RefiSource | None:
    guid = reader.guid(node)
    if guid is None:
        return None
    name = (node.get("name") or "").strip() or guid
    reader.unique(guid, node, f"source '{name}'")
    content = reader.child(node, "PlainTextContent")
    source = RefiSource(
        guid=guid,
        name=name,
        line=node.line,
        plain_path=node.get("plainTextPath"),
        plain_content=content.text if content is not None else None,
        description=reader.text_of(node, "Description"),
        codings=_codings(reader, node),
        variables=_values(reader, node),
        created=node.get("creationDateTime") or node.get("modifiedDateTime"),
        user_guid=node.get("creatingUser") or node.get("modifyingUser"),
    )
    if source.plain_path is None and source.plain_content is None:
        reader.problem(
            node,
            f"text source '{name}' has neither plainTextPath nor <PlainTextContent>",
            "REFI-QDA needs the plain text of every text source; export the project again",
        )
    for sel in reader.children(node, "PlainTextSelection"):
        sel_guid = reader.guid(sel)
        start, end = reader.integer(sel, "startPosition"), reader.integer(sel, "endPosition")
        if sel_guid is None or start is None or end is None:
            continue
        first = selections.setdefault(guid_key(sel_guid), sel.line)
        if first != sel.line:
            # Both are imported (nothing is lost); the GUID no longer names one selection.
            reader.warn(f"line {sel.line}: selection GUID {sel_guid} is also used on line {first}; both selections are imported")
        source.selections.append(
            RefiSelection(
                guid=sel_guid,
                start=start,
                end=end,
                line=sel.line,
                user_guid=sel.get("creatingUser"),
                created=sel.get("creationDateTime"),
                description=reader.text_of(sel, "Description"),
                codings=_codings(reader, sel),
                note_guids=_note_refs(reader, sel),
            )
        )
    return source
