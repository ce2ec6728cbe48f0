"""The YAML codebook: load, validate with ``file:line:column`` problems, dump.

Reading uses PyYAML's *safe* composer so that every value keeps its position in the
file: validation reports all problems at once, each pointing at the line a researcher
has to change. Writing a brand-new codebook (for instance one imported from REFI-QDA)
goes through ruamel.yaml for readable block layout. Changes to a researcher's
existing file are line-level edits (:mod:`qualcode.yamledit`) so its
comments, order and formatting survive.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any

import yaml

from .display import shorten
from .errors import CODEBOOK_INVALID, CODEBOOK_NOT_UTF8, CODEBOOK_TOO_DEEP, CODEBOOK_UNREADABLE, Problem, error
from .ingest.decode import NotUtf8, read_settings
from .yamlsafe import COMPOSER, UnsupportedScalar, alias_problems, anchor_of, scalar_text, syntax_problem

CODEBOOK_KEYS = ("title", "version", "language", "authors", "licence", "description", "guid", "codes", "sets")
CODE_KEYS = (
    "id",
    "name",
    "description",
    "include",
    "exclude",
    "examples",
    "color",
    "key",
    "codable",
    "guid",
    "hints",
    "children",
)
HINT_KEYS = ("keywords", "lemmas", "patterns")
SET_KEYS = ("name", "description", "codes", "guid")

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
COLOR_RE = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
# Shortcut keys are one lowercase letter or digit. 'n' is reserved by the coding
# screen (next search match); uppercase letters and punctuation are the UI's.
KEY_RE = re.compile(r"^[a-z0-9]$")
RESERVED_KEYS = {"n": "next search match"}
# Codes nest at most this deep. Real codebooks have 3-6 levels; the limit keeps every
# walk over the tree (YAML writers, deep copies, the UI's tree) far from Python's
# recursion limit, so a generated or damaged file gets a clear error instead.
MAX_DEPTH = 100


def slugify(name: str, fallback: str = "code") -> str:
    """An id made of a name: ``'Rol van de CJG-medewerker'`` -> ``'rol_van_de_cjg_medewerker'``,
    ``'financiën'`` -> ``'financien'`` (lower case, accents dropped, other characters to ``_``)."""
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_only.lower()).strip("_")
    slug = slug[:60].rstrip("_")
    if not slug:
        return fallback
    return slug if ID_RE.match(slug) else f"{fallback}_{slug}"


# Used for codes without a colour: distinct, readable on dark and light terminals.
PALETTE = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
)  # fmt: skip

# Stable GUIDs for codes that have none in the YAML, so REFI-QDA re-exports agree.
GUID_NAMESPACE = uuid.UUID("6f1c3a52-8f0e-4d57-9a57-2f9e5b0c1d11")
# A GUID as REFI-QDA writes it (braces allowed); qualcode's REFI-QDA reader checks with it too.
GUID_RE = re.compile(r"^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$")
GUID_HINT = (
    "a GUID looks like 1f6c3a52-8f0e-4d57-9a57-2f9e5b0c1d11 and belongs to one code; remove the line and qualcode derives one"
)


@dataclass(slots=True)
class Hints:
    keywords: list[str] = field(default_factory=list)
    lemmas: list[str] = field(default_factory=list)
    patterns: list[list[dict[str, Any]]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.keywords or self.lemmas or self.patterns)


@dataclass(slots=True, eq=False)
class Code:
    id: str
    name: str
    description: str = ""
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    color: str | None = None
    key: str | None = None
    codable: bool = True
    guid: str | None = None
    hints: Hints = field(default_factory=Hints)
    children: list[Code] = field(default_factory=list)
    parent_id: str | None = None
    line: int | None = None  # 1-based line of the code in its YAML file

    def descendants(self) -> list[Code]:
        """Its children, grandchildren..., depth first (without recursion: hierarchies may be deep)."""
        out: list[Code] = []
        stack = list(reversed(self.children))
        while stack:
            child = stack.pop()
            out.append(child)
            stack.extend(reversed(child.children))
        return out

    @property
    def stable_guid(self) -> str:
        """The REFI-QDA GUID: the one in the YAML, else derived from the id."""
        return self.guid or str(uuid.uuid5(GUID_NAMESPACE, self.id))


@dataclass(slots=True)
class CodeSet:
    name: str
    codes: list[str] = field(default_factory=list)
    description: str = ""
    guid: str | None = None


@dataclass(slots=True)
class Codebook:
    title: str
    codes: list[Code] = field(default_factory=list)
    version: str | None = None
    language: str | None = None
    authors: list[str] = field(default_factory=list)
    licence: str | None = None
    description: str = ""
    guid: str | None = None
    sets: list[CodeSet] = field(default_factory=list)
    path: Path | None = None
    _index: dict[str, Code] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.reindex()

    def reindex(self) -> None:
        """Rebuild the id index and parent links after the tree changed."""
        self._index = {}
        for code, parent in self._walk_with_parent():
            code.parent_id = parent.id if parent else None
            self._index.setdefault(code.id, code)
        # Codes without a colour get the palette's, by position; one that a code states
        # already (or that an earlier code got) is passed over while the palette has others:
        # two codes in one colour cannot be told apart in the margin.
        taken = {code.color.lower() for code in self.walk() if code.color}
        for position, code in enumerate(self.walk()):
            if code.color is None:
                start = position % len(PALETTE)
                fallback = PALETTE[start]
                turn = PALETTE[start:] + PALETTE[:start]
                code.color = next((c for c in turn if c not in taken), fallback) if fallback in taken else fallback
                taken.add(code.color)

    def _walk_with_parent(self) -> Iterator[tuple[Code, Code | None]]:
        stack: list[tuple[Code, Code | None]] = [(c, None) for c in reversed(self.codes)]
        while stack:
            code, parent = stack.pop()
            yield code, parent
            stack.extend((child, code) for child in reversed(code.children))

    def walk(self) -> Iterator[Code]:
        """Every code, depth first, in file order."""
        for code, _ in self._walk_with_parent():
            yield code

    def get(self, code_id: str) -> Code | None:
        return self._index.get(code_id)

    def __getitem__(self, code_id: str) -> Code:
        """The code with this id, known to be in the codebook (KeyError if it is not)."""
        return self._index[code_id]

    def __contains__(self, code_id: object) -> bool:
        return code_id in self._index

    def __len__(self) -> int:
        return len(self._index)

    def by_key(self) -> dict[str, Code]:
        return {c.key: c for c in self.walk() if c.key}

    def ancestors(self, code_id: str) -> list[Code]:
        """The parents of a code, nearest first."""
        out: list[Code] = []
        code = self.get(code_id)
        while code is not None and code.parent_id is not None:
            code = self.get(code.parent_id)
            if code is not None:
                out.append(code)
        return out

    def path_of(self, code_id: str) -> str:
        """``parent/child`` path of ids from the top of the hierarchy."""
        chain = [c.id for c in reversed(self.ancestors(code_id))]
        return "/".join([*chain, code_id])

    def descendants(self, code_id: str) -> list[Code]:
        """The code's children, grandchildren..., depth first (the code excluded)."""
        code = self.get(code_id)
        return [] if code is None else code.descendants()

    def depth(self, code_id: str) -> int:
        return len(self.ancestors(code_id))

    def rolled_up(self, counts: Mapping[str, int]) -> dict[str, int]:
        """Counts per code with each parent's including its sub-codes' (codes outside the
        codebook as they are): what the code list and `codebook show` count."""
        out = dict(counts)
        for code in self.walk():
            if code.children:
                out[code.id] = counts.get(code.id, 0) + sum(counts.get(c.id, 0) for c in code.descendants())
        return out

    def suggest_id(self, wrong: str) -> str | None:
        """The closest existing id, for 'did you mean' hints."""
        match = difflib.get_close_matches(wrong, list(self._index), n=1, cutoff=0.6)
        return match[0] if match else None


# --- loading ----------------------------------------------------------------------


class _Checker:
    """Walks the composed YAML node tree, collecting problems and building objects."""

    def __init__(self, filename: str, text: str) -> None:
        self.filename = filename
        self.text_source = text  # to name the anchor of an alias in a problem
        self.problems: list[Problem] = []
        self._constructor = yaml.SafeLoader("")
        # Per mapping (by id of its fields dict): valid keys that an unknown key was close to.
        self.misspelled: dict[int, set[str]] = {}
        self.guids: dict[str, tuple[str, int]] = {}  # GUID (lower case) -> (what has it, line)

    def guid(self, node: yaml.Node, owner: str) -> str | None:
        """The GUID ``node`` gives ``owner`` (a code, a set), checked: a GUID, and no one else's.

        Other programs (and `codebook apply`, `merge`) know a code by its GUID: a malformed
        one makes the REFI-QDA export invalid, a shared one makes two codes one there.
        """
        value = self.text(node, "'guid'")
        if value is None:
            return None
        if not GUID_RE.match(value.strip()):
            self.problem(node, f"guid '{shorten(value, count=True)}' of {owner} is not a GUID", GUID_HINT)
            return None
        key = value.strip().strip("{}").lower()
        if key in self.guids:
            other, line = self.guids[key]
            self.problem(node, f"guid {value} of {owner} is also the guid of {other} (line {line})", GUID_HINT)
        else:
            self.guids[key] = (owner, node.start_mark.line + 1)
        return value

    def problem(self, node: yaml.Node | None, message: str, hint: str | None = None) -> None:
        line = col = None
        if node is not None:
            line, col = node.start_mark.line + 1, node.start_mark.column + 1
        self.problems.append(Problem(self.filename, line, col, message, hint))

    def value(self, node: yaml.Node) -> Any:
        """A whole value (a token pattern, a flag) as Python objects, or None with a problem."""
        try:
            return self._constructor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            self.problem(node, f"unsupported YAML value: {exc.problem}", "use plain YAML without tags such as !!python")
        except (ValueError, OverflowError, TypeError) as exc:  # a 5,000-digit number, a date like 2024-13-45
            reason = "a number with too many digits" if "integer string conversion" in str(exc) else shorten(str(exc), count=True)
            self.problem(node, f"this value cannot be read: {reason}", "write it as text in quotes")
        except RecursionError:
            self.problem(node, "this value is nested too deeply to read", "write it with less nesting")
        return None

    def scalar(self, node: yaml.Node) -> str | bool | None:
        """A scalar as written (numbers and dates stay text), or None with a problem for a tag."""
        try:
            if isinstance(node, yaml.ScalarNode):
                return scalar_text(node)
            raise UnsupportedScalar(node.tag)
        except UnsupportedScalar:
            self.problem(node, f"unsupported YAML value: a '{node.tag}' value", "use plain YAML without tags such as !!python")
            return None

    def missing(self, fields: dict[str, tuple[yaml.Node, yaml.Node]], key: str) -> bool:
        """True if ``key`` is absent or empty, and not merely misspelled or of a wrong type."""
        if key in fields:
            value = fields[key][1]
            return isinstance(value, yaml.ScalarNode) and not str(value.value).strip()
        return key not in self.misspelled.get(id(fields), ())

    def mapping(self, node: yaml.Node, what: str, allowed: tuple[str, ...]) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """Check a mapping's keys; return ``{key: (key_node, value_node)}``."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{what} must be a mapping (key: value lines), not {_kind(node)}")
            return {}
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        self.misspelled[id(out)] = close_to = set()
        for key_node, value_node in node.value:
            plain = isinstance(key_node, yaml.ScalarNode) and key_node.tag.endswith(":str")
            key = key_node.value if plain else None
            if key is None:
                shown = shorten(key_node.value, count=True) if isinstance(key_node, yaml.ScalarNode) else _kind(key_node)
                self.problem(key_node, f"{what} has a key that is not a name: {shown}")
                continue
            if key in out:
                first = out[key][0].start_mark.line + 1
                self.problem(
                    key_node,
                    f"duplicate key '{shorten(key, count=True)}' in {what} (first at line {first})",
                    "remove one of them",
                )
                continue
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.5)
                close_to.update(close)
                hint = f"did you mean '{close[0]}'?" if close else "valid keys: " + ", ".join(allowed)
                self.problem(key_node, f"unknown key '{shorten(key, count=True)}' in {what}", hint)
                continue
            out[key] = (key_node, value_node)
        return out

    def text(self, node: yaml.Node, what: str) -> str | None:
        """Text as written: ``version: 1.10`` is ``'1.10'`` and a 5,000-digit ``key`` is just long text."""
        if isinstance(node, yaml.ScalarNode) or node.tag not in _COLLECTION_TAGS:
            value = self.scalar(node)
            if value is None or isinstance(value, str):
                return value.strip() if value is not None else None
        if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":bool") and not node.style:
            # yes/no/on/off/true/false: YAML reads them as true/false
            written = shorten(node.value)
            self.problem(
                node, f"{what} must be text, not true/false ('{written}' reads as true/false)", f"write it in quotes: '{written}'"
            )
            return None
        self.problem(node, f"{what} must be text, not {_kind(node)}")
        return None

    def texts(self, node: yaml.Node, what: str) -> list[str]:
        """A string or a list of strings (criteria, examples, keywords...)."""
        if isinstance(node, yaml.SequenceNode):
            out = []
            for item in node.value:
                text = self.text(item, f"each item of {what}")
                if text:
                    out.append(text)
            return out
        if isinstance(node, yaml.ScalarNode):
            text = self.text(node, what)
            return [text] if text else []
        self.problem(node, f"{what} must be a list of texts or one text, not {_kind(node)}")
        return []


_COLLECTION_TAGS = ("tag:yaml.org,2002:seq", "tag:yaml.org,2002:map")


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag.endswith(":null"):
        return "empty"
    if node.tag.endswith(":bool"):
        return "true/false"
    if node.tag.endswith((":int", ":float")):
        return "a number"
    return "text"


def parse_codebook(text: str, filename: str = "<codebook>") -> tuple[Codebook | None, list[Problem]]:
    """Parse and validate codebook YAML; return the codebook (if usable) and all problems."""
    checker = _Checker(filename, text)
    try:
        root = yaml.compose(text, Loader=COMPOSER)
    except yaml.MarkedYAMLError as exc:
        return None, [Problem(filename, *syntax_problem(exc, text=text))]
    except yaml.YAMLError as exc:  # e.g. a tag the safe loader refuses
        return None, [Problem(filename, None, None, f"YAML error: {exc}", "use plain YAML without tags")]
    if root is None:
        return None, [Problem(filename, 1, 1, "the codebook is empty", "start from `qualcode init` or the sample codebook")]
    # A node that contains itself cannot be walked: nothing else is checked then.
    looped = alias_problems(root, text)
    if looped:
        return None, [Problem(filename, p.line, p.column, p.message, p.hint) for p in looped]

    top = checker.mapping(root, "the codebook", CODEBOOK_KEYS)
    if not top and checker.problems:
        return None, checker.problems

    def get_text(key: str) -> str | None:
        return checker.text(top[key][1], f"'{key}'") if key in top else None

    title = get_text("title")
    if checker.missing(top, "title"):
        checker.problem(top["title"][0] if "title" in top else root, "the codebook has no title", "add `title: ...` at the top")
    authors = checker.texts(top["authors"][1], "'authors'") if "authors" in top else []

    seen_ids: dict[str, int] = {}
    seen_keys: dict[str, tuple[str, int]] = {}
    codes: list[Code] = []
    if "codes" not in top:
        checker.problem(root, "the codebook has no codes", "add a `codes:` list")
    else:
        codes = _code_tree(checker, top["codes"][1], seen_ids, seen_keys)

    sets: list[CodeSet] = []
    if "sets" in top:
        sets = _sets(checker, top["sets"][1], seen_ids)

    if checker.problems:
        return None, checker.problems
    book = Codebook(
        title=title or "",
        codes=codes,
        version=get_text("version"),
        language=get_text("language"),
        authors=authors,
        licence=get_text("licence"),
        description=get_text("description") or "",
        guid=get_text("guid"),
        sets=sets,
        path=Path(filename) if filename != "<codebook>" else None,
    )
    return book, []


def _code_tree(
    checker: _Checker,
    node: yaml.Node,
    seen_ids: dict[str, int],
    seen_keys: dict[str, tuple[str, int]],
) -> list[Code]:
    """The codes under ``codes:``, depth first in file order.

    Iterative, because the depth is the file's to choose; codes more than
    :data:`MAX_DEPTH` levels deep are a problem, not a walk to follow.
    """
    top: list[Code] = []
    stack: list[tuple[Iterator[yaml.Node], list[Code], int]] = [(iter(_code_items(checker, node, "codes")), top, 1)]
    walked: set[int] = set()
    while stack:
        items, target, depth = stack[-1]
        item = next(items, None)
        if item is None:
            stack.pop()
            continue
        if id(item) in walked:  # the same node again, through an alias
            anchor = anchor_of(item, checker.text_source)
            checker.problem(
                item,
                f"the code at line {item.start_mark.line + 1} appears again through the alias *{anchor}",
                "each code appears once: write a new code with its own id instead of the alias",
            )
            continue
        walked.add(id(item))
        built = _code(checker, item, seen_ids, seen_keys)
        if built is None:
            continue
        code, children = built
        target.append(code)
        if children is None:
            continue
        if depth >= MAX_DEPTH:
            checker.problem(
                children,
                f"the sub-codes of '{code.id}' are nested more than {MAX_DEPTH} levels deep",
                "a code tree this deep is a generated or damaged file: move the deepest codes up a level",
            )
            continue
        stack.append((iter(_code_items(checker, children, "children")), code.children, depth + 1))
    return top


def _code_items(checker: _Checker, node: yaml.Node, what: str) -> list[yaml.Node]:
    """The items of a ``codes:`` or ``children:`` list (empty, with a problem, if it is no list)."""
    if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):
        return []
    if not isinstance(node, yaml.SequenceNode):
        checker.problem(node, f"'{what}' must be a list of codes (lines starting with '- '), not {_kind(node)}")
        return []
    return list(node.value)


def _code(
    checker: _Checker,
    node: yaml.Node,
    seen_ids: dict[str, int],
    seen_keys: dict[str, tuple[str, int]],
) -> tuple[Code, yaml.Node | None] | None:
    """One code without its sub-codes, and the node of its ``children:`` (None if it has none)."""
    line = node.start_mark.line + 1
    fields = checker.mapping(node, "a code", CODE_KEYS)
    if not isinstance(node, yaml.MappingNode):
        return None

    code_id = checker.text(fields["id"][1], "'id'") if "id" in fields else None
    label = f"code '{shorten(code_id, count=True)}'" if code_id else f"the code at line {line}"
    if checker.missing(fields, "id"):
        checker.problem(
            fields["id"][1] if "id" in fields else node,
            f"{label} has no id",
            "add `id: a_short_slug` (lowercase letters, digits, _)",
        )
    elif code_id is None:
        pass  # wrong type, already reported
    elif not ID_RE.match(code_id):
        slug = slugify(code_id)
        checker.problem(
            fields["id"][1],
            f"invalid id '{shorten(code_id, count=True)}'",
            f"ids use lowercase letters, digits and _, e.g. '{shorten(slug, count=True)}'",
        )
    elif code_id in seen_ids:
        checker.problem(
            fields["id"][1],
            f"duplicate code id '{code_id}' (first defined at line {seen_ids[code_id]})",
            "every code needs its own id",
        )
    else:
        seen_ids[code_id] = fields["id"][1].start_mark.line + 1

    name = checker.text(fields["name"][1], "'name'") if "name" in fields else None
    if checker.missing(fields, "name"):
        checker.problem(
            fields["name"][0] if "name" in fields else node, f"{label} has no name", "add `name: ...` (the label shown to coders)"
        )

    color = None
    if "color" in fields:
        color = checker.text(fields["color"][1], "'color'")
        if color is not None and not COLOR_RE.match(color):
            checker.problem(
                fields["color"][1],
                f"invalid colour '{shorten(color, count=True)}' for {label}",
                'write colours as "#RRGGBB" in quotes, e.g. "#1f77b4"',
            )
            color = None
        elif color is not None and len(color) == 4:
            color = "#" + "".join(ch * 2 for ch in color[1:])
        if color:
            color = color.lower()

    key = None
    if "key" in fields:
        key_node = fields["key"][1]
        key = checker.text(key_node, "'key'")
        if key is not None:
            if key in RESERVED_KEYS:
                checker.problem(
                    key_node,
                    f"shortcut key '{key}' of {label} is reserved for {RESERVED_KEYS[key]}",
                    "use another lowercase letter or a digit",
                )
                key = None
            elif not KEY_RE.match(key):
                checker.problem(
                    key_node,
                    f"invalid shortcut key '{shorten(key, count=True)}' for {label}",
                    "a key is one lowercase letter (not 'n') or one digit",
                )
                key = None
            elif key in seen_keys:
                other, other_line = seen_keys[key]
                checker.problem(
                    key_node,
                    f"duplicate shortcut key '{key}': also used by '{other}' (line {other_line})",
                    "give each code its own key, or none",
                )
            else:
                written = fields["id"][1].value if "id" in fields and isinstance(fields["id"][1], yaml.ScalarNode) else "?"
                seen_keys[key] = (code_id or shorten(written), key_node.start_mark.line + 1)  # an id refused: as written

    codable = True
    if "codable" in fields:
        flag = fields["codable"][1]
        value = checker.scalar(flag) if isinstance(flag, yaml.ScalarNode) else None
        if isinstance(value, bool):
            codable = value
        else:
            checker.problem(flag, f"'codable' must be true or false, not {_kind(flag)}")

    hints = Hints()
    if "hints" in fields:
        hints = _hints(checker, fields["hints"][1])

    def texts(key: str) -> list[str]:
        return checker.texts(fields[key][1], f"'{key}'") if key in fields else []

    code = Code(
        id=code_id or "",
        name=name or "",
        description=(checker.text(fields["description"][1], "'description'") or "") if "description" in fields else "",
        include=texts("include"),
        exclude=texts("exclude"),
        examples=texts("examples"),
        color=color,
        key=key,
        codable=codable,
        guid=checker.guid(fields["guid"][1], label) if "guid" in fields else None,
        hints=hints,
        line=line,
    )
    return code, fields["children"][1] if "children" in fields else None


def _hints(checker: _Checker, node: yaml.Node) -> Hints:
    fields = checker.mapping(node, "'hints'", HINT_KEYS)
    hints = Hints()
    if "keywords" in fields:
        hints.keywords = checker.texts(fields["keywords"][1], "'keywords'")
    if "lemmas" in fields:
        hints.lemmas = checker.texts(fields["lemmas"][1], "'lemmas'")
    if "patterns" in fields:
        pnode = fields["patterns"][1]
        if not isinstance(pnode, yaml.SequenceNode):
            checker.problem(
                pnode,
                "'patterns' must be a list of token patterns",
                "each pattern is a list like [{LOWER: verwijst}, {LOWER: door}]",
            )
        else:
            for pattern in pnode.value:
                ok = (
                    isinstance(pattern, yaml.SequenceNode)
                    and pattern.value
                    and all(isinstance(tok, yaml.MappingNode) for tok in pattern.value)
                )
                if not ok:
                    checker.problem(
                        pattern, "a token pattern must be a non-empty list of token mappings", "e.g. - [{LEMMA: doorverwijzen}]"
                    )
                    continue
                hints.patterns.append(checker.value(pattern))
    return hints


def _sets(checker: _Checker, node: yaml.Node, seen_ids: dict[str, int]) -> list[CodeSet]:
    if not isinstance(node, yaml.SequenceNode):
        checker.problem(node, f"'sets' must be a list, not {_kind(node)}")
        return []
    out = []
    for item in node.value:
        fields = checker.mapping(item, "a set", SET_KEYS)
        if not isinstance(item, yaml.MappingNode):
            continue
        name = checker.text(fields["name"][1], "'name'") if "name" in fields else None
        if checker.missing(fields, "name"):
            checker.problem(item, "a set has no name", "add `name: ...`")
        members = []
        if "codes" in fields:
            cnode = fields["codes"][1]
            members = checker.texts(cnode, "'codes'")
            items = cnode.value if isinstance(cnode, yaml.SequenceNode) else [cnode]
            for member, mnode in zip(members, items, strict=False):
                if member not in seen_ids:
                    close = difflib.get_close_matches(member, list(seen_ids), n=1)
                    checker.problem(
                        mnode,
                        f"set '{shorten(name or '', count=True)}' names unknown code '{shorten(member, count=True)}'",
                        f"did you mean '{close[0]}'?" if close else "use a code id",
                    )
        out.append(
            CodeSet(
                name=name or "",
                codes=members,
                description=(checker.text(fields["description"][1], "'description'") or "") if "description" in fields else "",
                guid=checker.guid(fields["guid"][1], f"set '{shorten(name or '', count=True)}'") if "guid" in fields else None,
            )
        )
    return out


def read_codebook_text(path: Path) -> str:
    """Read a codebook file as text (UTF-8, BOM allowed) or raise a clear error."""
    try:
        return read_settings(path)
    except OSError as exc:
        raise error(CODEBOOK_UNREADABLE, path=path, reason=exc.strerror or exc) from None
    except NotUtf8 as exc:
        raise error(CODEBOOK_NOT_UTF8, path=path, reason=str(exc)) from None  # the path is right: the hint is the encoding


def check_codebook(path: Path) -> list[Problem]:
    """All problems in the codebook file (empty when it is valid)."""
    _, problems = parse_codebook(read_codebook_text(path), str(path))
    return problems


def load_codebook(path: Path) -> Codebook:
    """Load a valid codebook or raise a QualcodeError listing every problem."""
    book, problems = parse_codebook(read_codebook_text(path), str(path))
    if book is None:
        raise error(CODEBOOK_INVALID, problems=problems, path=path, count=len(problems))
    book.path = path
    return book


# --- writing ----------------------------------------------------------------------


def _ruamel():
    from ruamel.yaml import YAML  # deferred: only needed when writing

    y = YAML()
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = 1_000_000  # never re-wrap a definition the researcher wrote on one line
    y.brace_single_entry_mapping_in_flow_sequence = True  # keep [{LOWER: x}] as written
    y.preserve_quotes = True
    return y


def _code_to_map(code: Code) -> dict[str, Any]:
    from ruamel.yaml.scalarstring import FoldedScalarString

    def long(text: str) -> Any:
        return FoldedScalarString(text) if len(text) > 70 and "\n" not in text else text

    out: dict[str, Any] = {"id": code.id, "name": code.name}
    if code.description:
        out["description"] = long(code.description)
    for key in ("include", "exclude", "examples"):
        values = getattr(code, key)
        if values:
            out[key] = list(values)
    if code.color:
        out["color"] = code.color
    if code.key:
        out["key"] = code.key
    if not code.codable:
        out["codable"] = False
    if code.guid:
        out["guid"] = code.guid
    if code.hints:
        hints: dict[str, Any] = {}
        if code.hints.keywords:
            hints["keywords"] = list(code.hints.keywords)
        if code.hints.lemmas:
            hints["lemmas"] = list(code.hints.lemmas)
        if code.hints.patterns:
            hints["patterns"] = [list(p) for p in code.hints.patterns]
        out["hints"] = hints
    if code.children:
        out["children"] = [_code_to_map(c) for c in code.children]
    return out


def too_deep(codes: list[Code]) -> Code | None:
    """The first code nested more than :data:`MAX_DEPTH` levels deep, or None."""
    stack = [(code, 1) for code in reversed(codes)]
    while stack:
        code, depth = stack.pop()
        if depth > MAX_DEPTH:
            return code
        stack.extend((child, depth + 1) for child in reversed(code.children))
    return None


def dump_codebook(book: Codebook) -> str:
    """The codebook as YAML text, in the layout qualcode's own codebooks use.

    Raises CODEBOOK_TOO_DEEP for a tree deeper than :data:`MAX_DEPTH` (one built from a
    REFI-QDA file, say): the YAML writer recurses, and such a file would not load.
    """
    deep = too_deep(book.codes)
    if deep is not None:
        raise error(CODEBOOK_TOO_DEEP, code=deep.id, limit=MAX_DEPTH)
    doc: dict[str, Any] = {"title": book.title}
    for key in ("version", "language"):
        if getattr(book, key):
            doc[key] = getattr(book, key)
    if book.authors:
        doc["authors"] = list(book.authors)
    if book.licence:
        doc["licence"] = book.licence
    if book.description:
        doc["description"] = book.description
    if book.guid:
        doc["guid"] = book.guid
    doc["codes"] = [_code_to_map(c) for c in book.codes]
    if book.sets:
        doc["sets"] = []
        for s in book.sets:
            entry: dict[str, Any] = {"name": s.name}
            if s.description:
                entry["description"] = s.description
            entry["codes"] = list(s.codes)
            if s.guid:
                entry["guid"] = s.guid
            doc["sets"].append(entry)
    buffer = StringIO()
    _ruamel().dump(doc, buffer)
    return buffer.getvalue()


def checked_dump(book: Codebook, path: Path) -> str:
    """:func:`dump_codebook`, checked: the text loads again as a codebook (at ``path``)."""
    text = dump_codebook(book)
    # Validate what we are about to write: a codebook qualcode writes must load.
    _, problems = parse_codebook(text, str(path))
    if problems:  # pragma: no cover - would be a bug in dump_codebook
        raise AssertionError("dump_codebook produced an invalid codebook: " + "; ".join(map(str, problems)))
    return text


@contextmanager
def staged_codebook(path: Path, text: str, *, committed: Callable[[], bool] | None = None) -> Iterator[tuple[Codebook, Path]]:
    """``text`` as the codebook at ``path``, written only when the block ends without error;
    yields the codebook and the staged file.

    The text is validated (CODEBOOK_INVALID) and put in a temporary file beside ``path``
    before the block; it replaces the file after the block, and is removed if the block
    raises. A store transaction inside the block therefore commits before the file
    changes: a failure, Ctrl-C or a killed process leaves the codebook file as it was
    (a killed one may leave the hidden temporary file). ``committed()`` says whether that
    transaction committed when the block raised (a Ctrl-C as COMMIT returned): then the
    file is replaced all the same (see :func:`.atomic.staged_text`), so that codings never
    name codes the file lacks. A change of the project's codebook goes through
    :meth:`.project.Project.staged_codebook`, which also survives a kill after the commit.
    """
    book, problems = parse_codebook(text, str(path))
    if book is None:
        raise error(CODEBOOK_INVALID, problems=problems, path=path, count=len(problems))
    book.path = path
    from .atomic import staged_text  # only a write needs it: not on every load

    with staged_text(path, text, committed=committed) as staged:
        yield book, staged


def save_codebook(book: Codebook, path: Path) -> None:
    """Write a codebook to a new file atomically (never a half-written file)."""
    text = checked_dump(book, path)
    from .atomic import write_text  # only a save needs it (and its secrets module): not on every load

    write_text(path, text)
