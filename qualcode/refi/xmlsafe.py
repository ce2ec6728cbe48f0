"""A small, safe XML reader: bytes to a tree of :class:`Node` with line numbers.

Why not ``xml.etree``: its C parser cannot tell us the line of an element (needed for
``file:line: problem`` messages) and it expands entities declared in a DOCTYPE. REFI-QDA
files never need a DOCTYPE, so we refuse any (that rules out "billion laughs" entity
expansion and external entities without a third-party library) and cap the nesting
depth so that deeply nested input cannot exhaust the stack of the recursive readers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from xml.parsers import expat

from ..errors import XML_FORBIDDEN, XML_MALFORMED, error

MAX_DEPTH = 200


@dataclass(slots=True, eq=False, init=False)
class Node:
    """One XML element: namespace, local name, attributes, children, direct text.

    Unprefixed attributes are keyed by their name; namespaced ones by "uri name".
    ``comments`` are the XML comments directly inside it (qualcode keeps a code's id
    and key in one).
    """

    ns: str
    tag: str
    attrs: dict[str, str]
    line: int
    children: list[Node] = field(default_factory=list)
    comments: list[str] = field(default_factory=list, repr=False)
    _text: list[str] = field(default_factory=list, repr=False)

    def __init__(self, ns: str, tag: str, attrs: dict[str, str], line: int) -> None:
        # Written out: a dataclass's own __init__ costs twice as much per element (its default factories).
        self.ns, self.tag, self.attrs, self.line = ns, tag, attrs, line
        self.children, self.comments, self._text = [], [], []

    @property
    def text(self) -> str:
        """The character data directly inside this element (children's text excluded)."""
        return "".join(self._text)

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)

    def find(self, tag: str) -> Node | None:
        """The first child with this local name (in any namespace)."""
        return next((c for c in self.children if c.tag == tag), None)

    def findall(self, tag: str) -> list[Node]:
        return [c for c in self.children if c.tag == tag]

    def iter(self):
        """This node and all its descendants, depth first."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))


class _Forbidden(Exception):
    def __init__(self, what: str, line: int) -> None:
        super().__init__(what)
        self.what = what
        self.line = line


class StopReading(Exception):  # noqa: N818 - a signal, not an error
    """Raised by a :class:`Shape` hook to end reading early (the rest of the document is not read)."""


KEEP, HOLLOW, DETACH = 0, 1, 2


class Shape:
    """Which parts of a document :func:`read_xml` builds, so that a large one need not be
    held at once. :meth:`enter` is asked for each element at most ``shallow`` levels deep
    (the root is level 0); deeper ones are kept as their parent is. The default keeps all.
    """

    shallow = -1

    def enter(self, ancestors: list[Node], node: Node) -> int:
        """KEEP the element; HOLLOW: keep it without its contents (text, comments, children),
        which are still read and checked; DETACH: build it with its contents but leave it out
        of its parent, and hand it to :meth:`leave` once complete."""
        return KEEP

    def leave(self, node: Node) -> None:
        """A DETACHed element, complete (may raise :class:`StopReading`)."""


def parse_xml(data: bytes, path: str) -> Node:
    """Parse XML bytes into a :class:`Node` tree or raise a catalogue error with the position."""
    return read_xml((data,), path)


def read_xml(chunks: Iterable[bytes], path: str, shape: Shape | None = None) -> Node:
    """Parse XML arriving in pieces into a :class:`Node` tree shaped by ``shape`` (all of it by
    default), or raise a catalogue error with the position. Errors are those of the whole
    document (nesting, DOCTYPE and entities are checked in hollow parts too), unless a hook
    stops early."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True  # one call per run of text, not per line
    stack: list[Node] = []
    root: list[Node] = []
    shape = shape or Shape()
    shallow = shape.shallow
    skipped = [0]  # open elements inside a hollow one (the hollow one included)
    detached: list[Node] = []

    def refuse(what: str):
        def handler(*_args: object) -> None:
            raise _Forbidden(what, parser.CurrentLineNumber)

        return handler

    def start(name: str, attrs: dict[str, str]) -> None:
        if skipped[0]:
            if len(stack) + skipped[0] >= MAX_DEPTH:
                raise _Forbidden(f"elements nested more than {MAX_DEPTH} deep", parser.CurrentLineNumber)
            skipped[0] += 1
            return
        if len(stack) >= MAX_DEPTH:
            raise _Forbidden(f"elements nested more than {MAX_DEPTH} deep", parser.CurrentLineNumber)
        ns, _, local = name.rpartition(" ")
        node = Node(ns, local, attrs, parser.CurrentLineNumber)
        how = shape.enter(stack, node) if len(stack) <= shallow else KEEP
        if how == DETACH:
            detached.append(node)
        elif stack:
            stack[-1].children.append(node)
        else:
            root.append(node)
        if how == HOLLOW:
            skipped[0] = 1
            # Its text and comments are not kept: expat need not hand them over (until it ends).
            parser.CharacterDataHandler = parser.CommentHandler = None
        else:
            stack.append(node)

    def end(_name: str) -> None:
        if skipped[0]:
            skipped[0] -= 1
            if not skipped[0]:
                parser.CharacterDataHandler, parser.CommentHandler = chars, comment
            return
        node = stack.pop()
        if detached and node is detached[-1]:
            detached.pop()
            shape.leave(node)

    def chars(data: str) -> None:
        if stack and not skipped[0]:
            stack[-1]._text.append(data)

    def comment(data: str) -> None:
        if stack and not skipped[0]:
            stack[-1].comments.append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.CommentHandler = comment
    parser.StartDoctypeDeclHandler = refuse("a DOCTYPE")
    parser.EntityDeclHandler = refuse("an ENTITY")
    parser.ExternalEntityRefHandler = refuse("an external entity")
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except StopReading:
        pass
    except _Forbidden as exc:
        raise error(XML_FORBIDDEN, path=path, line=exc.line, what=exc.what) from None
    except expat.ExpatError as exc:
        reason = expat.ErrorString(exc.code) if exc.code else str(exc)
        raise error(XML_MALFORMED, path=path, line=exc.lineno, column=exc.offset + 1, reason=reason) from None
    except LookupError as exc:  # <?xml encoding="..."?> names a codec Python does not have
        reason = f"the XML declaration names an encoding that does not exist ({str(exc).removeprefix('unknown encoding: ')})"
        raise error(XML_MALFORMED, path=path, line=1, column=1, reason=reason) from None
    if not root:  # pragma: no cover - expat reports "no element found" first
        raise error(XML_MALFORMED, path=path, line=1, column=1, reason="no element found")
    return root[0]
