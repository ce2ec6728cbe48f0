"""Reading a REFI-QDA project (``project.qde``) into :class:`~.model.RefiProject`.

Everything qualcode can use is read: users, the codebook and code sets, variables and
cases, text sources with their selections and codings, notes and the links NVivo uses
to attach notes to selections. What qualcode has no place for (pictures, PDFs, audio,
video, graphs, document sets) is counted in ``skipped`` so the importer can say so.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from ..errors import REFI_INVALID, Problem, QualcodeError, Report, error
from ..termsafe import coder_name, normal_name, one_line
from .guids import guid_key, guid_number, is_guid
from .model import (
    RefiCase,
    RefiCoding,
    RefiNote,
    RefiProject,
    RefiSelection,
    RefiSource,
)
from .reading import RefiReader
from .xmlsafe import DETACH, HOLLOW, KEEP, Node, Shape, StopReading, parse_xml, read_xml

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
    reading = ProjectReading(path, report)
    project = reading.head(root)
    sources = reading.reader.child(root, "Sources")
    for node in sources.children if sources is not None else []:
        reading.source(node, project.sources.append)
    return reading.finish()


def read_project_sources_dropped(chunks: Callable[[], Iterable[bytes]], path: str, report: Report) -> RefiProject:
    """:func:`read_project` of a file whose bytes ``chunks()`` gives afresh on each call, for
    what is not in its sources (the codebook): the sources are read and checked one at a time
    and dropped, so that memory does not grow with them."""
    reading = ProjectReading(path, report)
    reading.first_pass(chunks())
    reading.second_pass(chunks(), lambda _source: None)
    return reading.finish()


class ProjectReading:
    """Reading ``project.qde`` in parts: :meth:`head` (all but the sources), each source by
    :meth:`source`, then :meth:`finish`. The problems and warnings are those of reading the
    whole file at once, in the same order; :func:`read_project` reads it so, :meth:`first_pass`
    a large file in two passes over its bytes (see there)."""

    def __init__(self, path: str, report: Report) -> None:
        self.path = path
        self.reader = RefiReader(path, report)
        self.root: Node | None = None
        self.project = RefiProject(name="")
        self._selections: dict[int, int] = {}  # selection GUID (as a number) -> line of its first use
        self._unkept: Counter[str] = Counter()  # what the sources hold that qualcode does not keep

    @property
    def problems(self) -> list[Problem]:
        return self.reader.problems

    def head(self, root: Node) -> RefiProject:
        """The project without its sources: users, codebook and sets, variables, cases."""
        self.root = root
        reader = self.reader
        reader.check_root(root, "Project", "project")
        project = self.project = RefiProject(
            name=(root.get("name") or "").strip(),
            origin=root.get("origin"),
            created=root.get("creationDateTime") or root.get("modifiedDateTime"),
            user_guid=root.get("creatingUserGUID") or root.get("modifyingUserGUID"),
        )
        users = reader.child(root, "Users")
        named: dict[str, tuple[str, int]] = {}  # a user's name -> the first GUID of that name, its line
        for node in reader.children(users, "User") if users is not None else []:
            guid = reader.guid(node)
            if guid:
                key = guid_key(guid)
                try:
                    name = coder_name(node.get("name") or node.get("id") or "", what=_SHORTER_USER) or guid
                except QualcodeError as exc:
                    reader.problem(node, f"<User> {guid}: {exc.message}", exc.hint)
                    continue
                project.users[key] = name
                project.user_guids[key] = guid
                first, line = named.setdefault(name, (key, node.line))
                if first != key and line > 0:  # coders are told apart by name: two people become one
                    reader.warn(
                        f"line {node.line}: user {guid} is called '{one_line(name)}' as the user on line {line} is:"
                        " their codings are imported as one coder's (if they are two people, give one another"
                        " name in the program that made the file)"
                    )
                    named[name] = (first, 0)  # said once per name
        project.codebook = reader.codebook(reader.child(root, "CodeBook"), reader.child(root, "Sets"), project.origin)
        variables = reader.child(root, "Variables")
        for node in reader.children(variables, "Variable") if variables is not None else []:
            guid = reader.guid(node)
            name = normal_name(node.get("name") or "")
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
        return project

    def source(self, node: Node, take: Callable[[RefiSource], object]) -> None:
        """One child of ``<Sources>``: a text source is read and handed to ``take``."""
        reader = self.reader
        if not reader.ours(node):
            return
        if node.tag == "TextSource":
            source = _text_source(reader, node, self._selections)
            if node.get("richTextPath"):
                self._unkept["rich-text version(s) of sources (their formatting; the plain text is kept)"] += 1
            if source is not None:
                take(source)
        elif node.tag in OTHER_SOURCES:
            self._other_source(node, take)

    def _other_source(self, node: Node, take: Callable[[RefiSource], object]) -> None:
        """A PDF, picture, audio or video source: not imported, but its text is where it has
        one (a PDF's ``<Representation>``, a recording's ``<Transcript>``s: each a text source,
        named as the source, with its own selections); the codings on the rest are counted."""
        reader, project = self.reader, self.project
        kind = OTHER_SOURCES[node.tag]
        project.skipped[kind] = project.skipped.get(kind, 0) + 1
        name = normal_name(node.get("name") or "")
        texts = [
            n
            for n in reader.children(node, "Representation" if node.tag == "PDFSource" else "Transcript")
            if n.get("plainTextPath") or reader.child(n, "PlainTextContent") is not None
        ]
        kept = 0
        for number, text in enumerate(texts, 1):
            source = _text_source(reader, text, self._selections)
            if source is not None:
                if text.tag == "Transcript":
                    source.selections.extend(_transcript_selections(reader, text))
                if name:
                    source.name = name if len(texts) == 1 else f"{name} ({number})"
                take(source)
                kept += sum(len(s.codings) for s in source.selections) + len(source.codings)
                project.text_of[guid_key(node.get("guid") or "")].append(source.guid)
        if texts:
            project.texts_of_skipped[kind] += len(texts)
        project.skipped_codings[kind] += sum(1 for n in node.iter() if n.tag == "Coding" and n.ns == reader.ns) - kept

    def source_count(self) -> int:
        """How many text sources (with a GUID) the project has, read or not."""
        assert self.root is not None
        sources = self.reader.child(self.root, "Sources")
        found = sources.children if sources is not None else []
        return sum(1 for n in found if n.ns == self.reader.ns and n.tag == "TextSource" and is_guid(n.get("guid") or ""))

    def notes(self) -> tuple[dict[str, RefiNote], list[tuple[str, str]]]:
        """The notes and links, read ahead of :meth:`finish` without a word (an import needs
        them for the memos while the sources stream; :meth:`finish` reports on them)."""
        assert self.root is not None
        quiet = RefiReader(self.path, Report())
        quiet.ns = self.reader.ns
        ahead = RefiProject(name="")
        _notes_and_links(quiet, self.root, ahead)
        return ahead.notes, ahead.links

    def finish(self) -> RefiProject:
        """The rest of the project (notes, links, graphs, what is not kept); REFI_INVALID if
        anything read had problems."""
        assert self.root is not None
        reader, root, project = self.reader, self.root, self.project
        _notes_and_links(reader, root, project)
        graphs = reader.child(root, "Graphs")
        if graphs is not None:
            project.skipped["graph(s)"] = len(reader.children(graphs, "Graph"))
        project.unkept.update(self._unkept)
        _count_unkept(reader, root, project)
        if reader.problems:
            raise error(REFI_INVALID, problems=reader.problems, path=self.path, count=len(reader.problems))
        return project

    def first_pass(self, chunks: Iterable[bytes]) -> RefiProject:
        """For a large file, read in two passes over its bytes without holding it: the whole
        file read and checked, the sources kept hollow; then :meth:`head`. Then :meth:`notes`
        may be read, and :meth:`second_pass` and :meth:`finish` follow."""
        return self.head(read_xml(chunks, self.path, _Hollow()))

    def second_pass(self, chunks: Iterable[bytes], take: Callable[[RefiSource], object]) -> None:
        """Every source built one at a time, read, handed to ``take`` and forgotten; reading
        stops after ``<Sources>`` (the first pass has read the rest)."""
        read_xml(chunks, self.path, _Streamed(lambda node: self.source(node, take)))


def _first_sources(ancestors: list[Node], node: Node) -> bool:
    """``node`` (a child of the root) is the project's ``<Sources>``: the first, in the root's namespace."""
    root = ancestors[0]
    return node.tag == "Sources" and node.ns == root.ns and not any(c.tag == "Sources" and c.ns == root.ns for c in root.children)


class _Hollow(Shape):
    """The first pass: the whole tree, but the sources (children of the project's ``<Sources>``)
    without their contents."""

    shallow = 2

    def __init__(self) -> None:
        self.sources: Node | None = None

    def enter(self, ancestors: list[Node], node: Node) -> int:
        if len(ancestors) == 1 and self.sources is None and _first_sources(ancestors, node):
            self.sources = node
        elif len(ancestors) == 2 and ancestors[1] is self.sources:
            return HOLLOW
        return KEEP


class _Streamed(Shape):
    """The second pass: only the children of the project's ``<Sources>``, each handed over when complete."""

    shallow = 2

    def __init__(self, take: Callable[[Node], None]) -> None:
        self.take = take
        self.sources: Node | None = None

    def enter(self, ancestors: list[Node], node: Node) -> int:
        if not ancestors:
            return KEEP
        if len(ancestors) == 1:
            if self.sources is None and _first_sources(ancestors, node):
                self.sources = node
                return DETACH
            return HOLLOW
        return DETACH  # a child of <Sources>: the only element at this level not inside a hollow one

    def leave(self, node: Node) -> None:
        if node is self.sources:
            raise StopReading
        self.take(node)


def _notes_and_links(reader: RefiReader, root: Node, project: RefiProject) -> None:
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
                passages=len(reader.children(node, "PlainTextSelection")),
            )
    links = reader.child(root, "Links")
    for node in reader.children(links, "Link") if links is not None else []:
        origin, target = node.get("originGUID"), node.get("targetGUID")
        if origin and target:
            project.links.append((guid_key(origin), guid_key(target)))


def _count_unkept(reader: RefiReader, root: Node, project: RefiProject) -> None:
    """What the file holds and qualcode's model cannot (listed in the README), so the import can
    say so (the sources' part is counted as they are read)."""
    unkept = project.unkept
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
    between = sum(1 for origin, target in project.links if origin not in project.notes and target not in project.notes)
    if between:  # a note's links make it a memo (see the importer); the others have no place
        unkept["link(s) between codes, sources or selections"] += between
    codebook = reader.child(root, "CodeBook")
    if codebook is not None and any(n.tag == "NoteRef" for n in codebook.iter()):
        unkept["memo(s) linked to codes"] += sum(1 for n in codebook.iter() if n.tag == "NoteRef")


_SHORTER_USER = "give the user a shorter name in the program that made the file, and export it again"


def _values(reader: RefiReader, node: Node, values: list[Node] | None = None) -> dict[str, str]:
    """``<VariableValue>`` children (``values``, if they have been found) as {variable GUID key: value text}."""
    out = {}
    for value in reader.children(node, "VariableValue") if values is None else values:
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


def _codings(reader: RefiReader, codings: list[Node]) -> list[RefiCoding]:
    """The ``<Coding>`` elements as codings (each looked at once: it has few children)."""
    out = []
    for coding in codings:
        parts = reader.by_tag(coding)
        refs = parts.get("CodeRef")
        ref = refs[0] if refs else None
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
                    note_guids=_note_refs(reader, parts.get("NoteRef", ())),
                    guid=reader.guid(coding, required=False),
                )
            )
    return out


def _note_refs(reader: RefiReader, refs: Iterable[Node]) -> list[str]:
    return [g for r in refs if (g := reader.guid(r, "targetGUID"))]


def _text_of(parts: dict[str, list[Node]], tag: str) -> str:
    """:meth:`.RefiReader.text_of` among children found by :meth:`.RefiReader.by_tag`."""
    found = parts.get(tag)
    return found[0].text.strip() if found else ""


def _text_source(reader: RefiReader, node: Node, selections: dict[int, int]) -> RefiSource | None:
    guid = reader.guid(node)
    if guid is None:
        return None
    name = normal_name(node.get("name") or "") or guid
    reader.unique(guid, node, f"source '{name}'")
    parts = reader.by_tag(node)
    contents = parts.get("PlainTextContent")
    content = contents[0] if contents else None
    source = RefiSource(
        guid=guid,
        name=name,
        line=node.line,
        plain_path=node.get("plainTextPath"),
        plain_content=content.text if content is not None else None,
        description=_text_of(parts, "Description"),
        note_guids=_note_refs(reader, parts.get("NoteRef", ())),
        codings=_codings(reader, parts.get("Coding", [])),
        variables=_values(reader, node, parts.get("VariableValue", [])),
        created=node.get("creationDateTime") or node.get("modifiedDateTime"),
        user_guid=node.get("creatingUser") or node.get("modifyingUser"),
    )
    if source.plain_path is None and source.plain_content is None:
        reader.problem(
            node,
            f"text source '{name}' has neither plainTextPath nor <PlainTextContent>",
            "REFI-QDA needs the plain text of every text source; export the project again",
        )
    for sel in parts.get("PlainTextSelection", []):
        sel_guid = reader.guid(sel)
        start, end = reader.integer(sel, "startPosition"), reader.integer(sel, "endPosition")
        if sel_guid is None or start is None or end is None:
            continue
        first = selections.setdefault(guid_number(sel_guid), sel.line)
        if first != sel.line:
            # Both are imported (nothing is lost); the GUID no longer names one selection.
            reader.warn(f"line {sel.line}: selection GUID {sel_guid} is also used on line {first}; both selections are imported")
        source.selections.append(_selection(reader, sel, sel_guid, start, end))
    return source


def _selection(reader: RefiReader, sel: Node, guid: str, start: int, end: int) -> RefiSelection:
    """A selection of text (``<PlainTextSelection>``, a transcript's ``<TranscriptSelection>``) from ``start`` to ``end``."""
    parts = reader.by_tag(sel)
    return RefiSelection(
        guid=guid,
        start=start,
        end=end,
        line=sel.line,
        user_guid=sel.get("creatingUser"),
        created=sel.get("creationDateTime"),
        description=_text_of(parts, "Description"),
        codings=_codings(reader, parts.get("Coding", [])),
        note_guids=_note_refs(reader, parts.get("NoteRef", ())),
    )


def _transcript_selections(reader: RefiReader, node: Node) -> list[RefiSelection]:
    """A recording's ``<Transcript>``'s selections, from one sync point to another: the text
    between their positions (a selection whose sync points have no position is left out)."""
    parts = reader.by_tag(node)
    points = {}
    for point in parts.get("SyncPoint", []):
        guid, position = point.get("guid"), point.get("position")
        if guid and position is not None:
            at = reader.integer(point, "position")
            if at is not None:
                points[guid_key(guid)] = at
    out = []
    for sel in parts.get("TranscriptSelection", []):
        sel_guid = reader.guid(sel)
        start = points.get(guid_key(sel.get("fromSyncPoint") or ""))
        end = points.get(guid_key(sel.get("toSyncPoint") or ""))
        if sel_guid is None or start is None or end is None:
            continue
        out.append(_selection(reader, sel, sel_guid, start, end))
    return out
