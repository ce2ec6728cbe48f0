"""Reading REFI-QDA XML: namespaces, attributes, codes and sets, with located problems.

Real tools deviate from the standard in small ways; each deviation we can read
safely is *tolerated* and reported as a warning (REFI-QDA §7 asks importers to say
what they did), everything else is a :class:`~qualcode.errors.Problem` with the line.
"""

from __future__ import annotations

import re

from ..display import shorten
from ..errors import (
    REFI_DUPLICATE_GUID,
    REFI_TOO_DEEP,
    REFI_UNKNOWN_NAMESPACE,
    REFI_WRONG_ROOT,
    Problem,
    Report,
    error,
)
from ..text import whole_number
from .colors import read_color
from .guids import clean_guid, guid_key, is_guid
from .model import RefiCode, RefiCodebook, RefiSet
from .xmlsafe import Node

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_NS = "urn:QDA-XML:project:1.0"
# Seen in real files (see shared/refi-qda/NOTES.md): ATLAS.ti 23.4 writes codebook 0:4,
# NVivo 12 for Mac codebook 1:0, the spec's own Transana example project 0:10.
TOLERATED_NS = {
    "urn:QDA-XML:codebook:0:4": "ATLAS.ti",
    "urn:QDA-XML:codebook:1:0": "NVivo for Mac",
    "urn:QDA-XML:project:0:10": "Transana",
    "urn:QDA-XML:project:1:0": "NVivo for Mac",
}
_REFI_NS_RE = re.compile(r"^urn:QDA-XML:(codebook|project):")
# <!--qualcode id=... key=...--> inside a <Code>: see codebook_xml.code_comment.
_QUALCODE_COMMENT = re.compile(r"^qualcode((?:\s+\w+=\S+)+)$")
# Real code trees are a handful of levels deep; far deeper ones are damaged or hostile
# files, and the YAML that would hold them could not be read back (PyYAML recurses).
MAX_CODE_DEPTH = 60


class RefiReader:
    """Collects problems and warnings while walking one REFI-QDA document."""

    def __init__(self, path: str, report: Report) -> None:
        self.path = path
        self.report = report
        self.problems: list[Problem] = []
        self.ns = ""
        self._guids: dict[str, tuple[str, int]] = {}  # guid key -> (what, line), for codes and sources
        self._foreign: set[str] = set()

    # --- document level ---------------------------------------------------------------

    def check_root(self, root: Node, want: str, expected: str) -> None:
        """Accept ``<want>`` in a REFI-QDA namespace; say what was tolerated."""
        if root.tag != want:
            raise error(REFI_WRONG_ROOT, path=self.path, expected=expected, want=want, found=root.tag)
        ns = root.ns
        standard = CODEBOOK_NS if want == "CodeBook" else PROJECT_NS
        if ns == standard:
            pass
        elif ns in TOLERATED_NS:
            self.warn(f"namespace '{ns}' (as {TOLERATED_NS[ns]} writes it) read as {standard}")
        elif ns == "":
            self.warn(f"no XML namespace; read as {standard}")
        elif _REFI_NS_RE.match(ns):
            self.warn(f"unknown REFI-QDA namespace version '{ns}'; read as {standard}")
        else:
            raise error(REFI_UNKNOWN_NAMESPACE, path=self.path, namespace=ns, element=root.tag)
        self.ns = ns

    def children(self, node: Node, tag: str | None = None) -> list[Node]:
        """Children in the document's namespace (others are extensions: noted once, skipped)."""
        return [child for child in node.children if self.ours(child) and (tag is None or child.tag == tag)]

    def ours(self, node: Node) -> bool:
        """True if the element is in the document's namespace; else an extension: noted once."""
        if node.ns == self.ns:
            return True
        if node.tag not in self._foreign:
            self._foreign.add(node.tag)
            self.warn(f"line {node.line}: element <{node.tag}> from namespace '{node.ns}' skipped")
        return False

    def by_tag(self, node: Node) -> dict[str, list[Node]]:
        """:meth:`children` of every tag at once (in one look at them): tag -> children."""
        out: dict[str, list[Node]] = {}
        ns = self.ns
        for child in node.children:
            if child.ns == ns or self.ours(child):
                out.setdefault(child.tag, []).append(child)
        return out

    def child(self, node: Node, tag: str) -> Node | None:
        found = self.children(node, tag)
        return found[0] if found else None

    def text_of(self, node: Node, tag: str) -> str:
        child = self.child(node, tag)
        return child.text.strip() if child is not None else ""

    # --- problems and warnings ----------------------------------------------------------

    def problem(self, node: Node | None, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(self.path, node.line if node else None, None, message, hint))

    def warn(self, message: str) -> None:
        self.report.warn(f"{self.path}: {message}")

    # --- attributes -----------------------------------------------------------------------

    def guid(self, node: Node, attr: str = "guid", *, required: bool = True) -> str | None:
        value = node.get(attr)
        if value is None:
            if required:
                self.problem(node, f"<{node.tag}> has no {attr} attribute", "every REFI-QDA element needs its GUID")
            return None
        if not is_guid(value):
            self.problem(
                node,
                f"<{node.tag}> {attr} '{shorten(value, 60, count=True)}' is not a GUID",
                "a GUID looks like 1f6c3a52-8f0e-4d57-9a57-2f9e5b0c1d11",
            )
            return None
        return clean_guid(value)

    def unique(self, guid: str, node: Node, what: str) -> bool:
        """Record a code's or source's GUID; a second use is an error (it would be ambiguous)."""
        key = guid_key(guid)
        if key in self._guids:
            first_what, first_line = self._guids[key]
            first = f"{first_what} (line {first_line})"
            message = REFI_DUPLICATE_GUID.text.format(guid=guid, what=what, first=first)
            self.problems.append(Problem(self.path, node.line, None, message, REFI_DUPLICATE_GUID.hint))
            return False
        self._guids[key] = (what, node.line)
        return True

    def integer(self, node: Node, attr: str) -> int | None:
        value = node.get(attr)
        if value is None:
            self.problem(node, f"<{node.tag}> has no {attr}")
            return None
        number = whole_number(value)
        if number is not None:
            return number
        self.problem(node, f"<{node.tag}> {attr} '{shorten(value, count=True)}' is not a whole number")
        return None

    def boolean(self, node: Node, attr: str, default: bool) -> bool:
        value = node.get(attr)
        if value is None:
            return default
        lowered = value.strip().lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0"):
            return False
        self.warn(
            f"line {node.line}: {attr}='{shorten(value, 20, count=True)}' is not true/false; read as {str(default).lower()}"
        )
        return default

    # --- codebook parts shared by .qdc and .qde ------------------------------------------

    def codes(self, parent: Node) -> list[RefiCode]:
        """The ``<Code>`` tree under ``parent`` (read without recursion, at most MAX_CODE_DEPTH deep)."""
        out: list[RefiCode] = []
        stack = [(node, out, 1) for node in reversed(self.children(parent, "Code"))]
        too_deep = False
        while stack:
            node, siblings, depth = stack.pop()
            if depth > MAX_CODE_DEPTH:
                if not too_deep:
                    too_deep = True
                    message = REFI_TOO_DEEP.text.format(limit=MAX_CODE_DEPTH)
                    self.problems.append(
                        Problem(self.path, node.line, None, message, REFI_TOO_DEEP.hint.format(limit=MAX_CODE_DEPTH))
                    )
                continue
            code = self.code(node)
            if code is None:
                continue
            siblings.append(code)
            stack.extend((child, code.children, depth + 1) for child in reversed(self.children(node, "Code")))
        return out

    def code(self, node: Node) -> RefiCode | None:
        """One ``<Code>`` without its sub-codes (:meth:`codes` reads those)."""
        guid = self.guid(node)
        name = (node.get("name") or "").strip()
        if not name:
            self.problem(node, "<Code> has no name", "give every code a name in the program that exported it")
        if "isCodable" not in node.attrs:
            self.warn(f"line {node.line}: code '{name}' has no isCodable; read as codable")
        color = None
        if node.get("color"):
            color, note = read_color(node.get("color") or "")
            if note:
                self.warn(f"line {node.line}: code '{name}': {note}")
        fields: dict[str, str] = {}
        for comment in node.comments:
            if m := _QUALCODE_COMMENT.match(comment.strip()):
                for part in m.group(1).split():  # each is key=value (the pattern says so)
                    key, _, value = part.partition("=")
                    fields[key] = value
        code = RefiCode(
            guid=guid or "",
            name=name,
            codable=self.boolean(node, "isCodable", True),
            color=color,
            description=self.text_of(node, "Description"),
            line=node.line,
            fields=fields,
        )
        if guid and not self.unique(guid, node, f"code '{name}'"):
            return None
        return code if guid and name else None

    def sets(self, parent: Node | None) -> list[RefiSet]:
        """Sets of codes (and of sources: noted, qualcode has no document sets)."""
        if parent is None:
            return []
        found = self.children(parent, "Set")
        if not found:
            # Taguette 1.4.1 writes an empty <Sets/>, which the XSD forbids.
            self.warn(f"line {parent.line}: empty <Sets/> (not valid REFI-QDA) ignored")
        out = []
        for node in found:
            guid = self.guid(node)
            name = (node.get("name") or "").strip()
            members = []
            for member in self.children(node, "MemberCode"):
                # .qdc files name the code in 'guid', .qde files in 'targetGUID'.
                attr = "targetGUID" if "targetGUID" in member.attrs else "guid"
                member_guid = self.guid(member, attr)
                if member_guid:
                    members.append(member_guid)
            sources = [g for m in self.children(node, "MemberSource") if (g := self.guid(m, "targetGUID"))]
            if guid:
                out.append(RefiSet(guid, name or "set", self.text_of(node, "Description"), members, sources))
        return out

    def codebook(self, codes_parent: Node | None, sets_parent: Node | None, origin: str | None) -> RefiCodebook:
        codes_node = self.child(codes_parent, "Codes") if codes_parent is not None else None
        codes = self.codes(codes_node) if codes_node is not None else []
        return RefiCodebook(codes=codes, sets=self.sets(sets_parent), origin=origin)
