"""What a REFI-QDA file says, read once into plain objects (validated at the boundary).

These mirror the exchange format, not qualcode's model: GUIDs, names, positions in
the producing tool's units. :mod:`.codebook_xml` and :mod:`.project_read` build them;
the importers turn them into qualcode's codebook and store rows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(slots=True, eq=False)
class RefiCode:
    """A ``<Code>`` with its description and sub-codes."""

    guid: str
    name: str
    codable: bool = True
    color: str | None = None
    description: str = ""
    line: int | None = None
    children: list[RefiCode] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)  # id, key from a qualcode export's comment

    def walk(self) -> Iterator[RefiCode]:
        """This code and its sub-codes, depth first (without recursion: trees can be deep)."""
        stack = [self]
        while stack:
            code = stack.pop()
            yield code
            stack.extend(reversed(code.children))


@dataclass(slots=True)
class RefiSet:
    """A ``<Set>`` of codes (and, in projects, of sources)."""

    guid: str
    name: str
    description: str = ""
    code_guids: list[str] = field(default_factory=list)
    source_guids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RefiCodebook:
    """The codes and code sets of a .qdc file or of a project's CodeBook."""

    codes: list[RefiCode] = field(default_factory=list)
    sets: list[RefiSet] = field(default_factory=list)
    origin: str | None = None

    def walk(self) -> Iterator[RefiCode]:
        for code in self.codes:
            yield from code.walk()


@dataclass(slots=True)
class RefiCoding:
    """One code applied to one selection (or to a whole source)."""

    code_guid: str
    user_guid: str | None = None
    created: str | None = None
    note_guids: list[str] = field(default_factory=list)
    guid: str | None = None  # the coding's own GUID


@dataclass(slots=True)
class RefiSelection:
    """A ``<PlainTextSelection>`` and the codings on it."""

    guid: str
    start: int  # in the producing tool's units; see offsets.py
    end: int
    line: int
    user_guid: str | None = None
    created: str | None = None
    description: str = ""
    codings: list[RefiCoding] = field(default_factory=list)
    note_guids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RefiSource:
    """A TextSource: where its plain text is and what was selected and coded in it."""

    guid: str
    name: str
    line: int
    plain_path: str | None = None  # internal://..., relative://..., absolute://...
    plain_content: str | None = None  # <PlainTextContent>, when the text is inline
    description: str = ""  # the source's memo (with the notes of note_guids)
    note_guids: list[str] = field(default_factory=list)
    selections: list[RefiSelection] = field(default_factory=list)
    codings: list[RefiCoding] = field(default_factory=list)  # whole-source codings
    variables: dict[str, str] = field(default_factory=dict)  # variable GUID -> value
    created: str | None = None  # creationDateTime (else modifiedDateTime)
    user_guid: str | None = None  # creatingUser (else modifyingUser)


@dataclass(slots=True)
class RefiNote:
    """A ``<Note>``: a memo, its text inline or in a file of the archive."""

    guid: str
    name: str
    text: str | None = None
    plain_path: str | None = None
    passages: int = 0  # its <PlainTextSelection>s (QualCoder: where in the source a text annotation is)


@dataclass(slots=True)
class RefiCase:
    """A ``<Case>``: variable values for the sources it refers to."""

    guid: str
    name: str | None
    variables: dict[str, str] = field(default_factory=dict)  # variable GUID -> value
    source_guids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RefiProject:
    """Everything read from ``project.qde``."""

    name: str
    origin: str | None = None
    created: str | None = None  # the project's creationDateTime
    user_guid: str | None = None  # the project's creatingUserGUID
    users: dict[str, str] = field(default_factory=dict)  # guid key -> name
    user_guids: dict[str, str] = field(default_factory=dict)  # guid key -> the GUID as the file writes it
    codebook: RefiCodebook = field(default_factory=RefiCodebook)
    variables: dict[str, str] = field(default_factory=dict)  # guid key -> variable name
    cases: list[RefiCase] = field(default_factory=list)
    sources: list[RefiSource] = field(default_factory=list)
    notes: dict[str, RefiNote] = field(default_factory=dict)  # guid key -> note
    links: list[tuple[str, str]] = field(default_factory=list)  # (origin guid key, target guid key)
    skipped: dict[str, int] = field(default_factory=dict)  # element kind -> count not imported
    skipped_codings: Counter[str] = field(default_factory=Counter)  # source kind -> codings on them left out
    texts_of_skipped: Counter[str] = field(default_factory=Counter)  # source kind -> their texts imported
    text_of: defaultdict[str, list[str]] = field(
        default_factory=lambda: defaultdict(list)
    )  # such a source's GUID key -> its texts' GUIDs
    unkept: Counter[str] = field(default_factory=Counter)  # what qualcode's model has no place for -> count
