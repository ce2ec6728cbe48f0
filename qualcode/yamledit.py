"""Editing a codebook YAML file in place, line by line: what is not edited stays byte for byte.

Why not a round-trip YAML library (ruamel.yaml, as :func:`qualcode.codebook.edit_codebook_file`
uses): it re-wraps long lines, rewrites ``[{LOWER: van}]`` as ``[LOWER: van]`` and keeps
a comment with the code *before* it, so moving or removing a code carries the next
section's header comment along. A codebook lives in git; a rename should be a two-line
diff. So the edits here are cut-and-paste on the text, located with PyYAML's node
positions:

* a code's block runs from its ``-`` line (plus comment lines right above it, at the
  same indentation: its header) to its last line of content; comments and blank lines
  after that belong to what follows;
* a moved block is re-indented as a whole (block scalars stay valid);
* every result is validated as a codebook before it replaces the file (atomically).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from .atomic import write_text
from .codebook import (
    CODE_KEYS,
    HINT_KEYS,
    Code,
    Codebook,
    Hints,
    dump_codebook,
    parse_codebook,
    read_codebook_text,
)
from .errors import CODEBOOK_FLOW_STYLE, CODEBOOK_INVALID, error


@dataclass(slots=True)
class YamlBlock:
    """Lines cut out of the file, with the column of their ``-``."""

    lines: list[str]
    column: int


class YamlText:
    """A codebook's text and the surgical edits on it (each re-parses: files are small)."""

    def __init__(self, text: str, path: str) -> None:
        self.text = text if text.endswith("\n") else text + "\n"
        self.path = path
        self._cache: tuple[str, list[int]] | None = None

    # --- reading positions -----------------------------------------------------------------

    def _root(self) -> yaml.MappingNode:
        root = yaml.compose(self.text, Loader=yaml.SafeLoader)
        assert isinstance(root, yaml.MappingNode)  # the text parsed as a codebook before it was edited
        return root

    def _line_of(self, index: int) -> int:
        starts = self._starts
        return bisect_right(starts, index) - 1

    @property
    def _starts(self) -> list[int]:
        """Index of the first character of each line (cached until the text changes)."""
        if self._cache is None or self._cache[0] is not self.text:
            starts = [0]
            starts.extend(i + 1 for i, ch in enumerate(self.text) if ch == "\n")
            self._cache = (self.text, starts)
        return self._cache[1]

    @staticmethod
    def _get(mapping: yaml.Node, key: str) -> tuple[yaml.Node, yaml.Node] | None:
        if not isinstance(mapping, yaml.MappingNode):
            return None
        for key_node, value_node in mapping.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                return key_node, value_node
        return None

    @classmethod
    def _pair(cls, mapping: yaml.Node, key: str) -> tuple[yaml.Node, yaml.Node]:
        """Key and value node of a key the codebook is known to have (KeyError if it has not)."""
        found = cls._get(mapping, key)
        if found is None:
            raise KeyError(key)
        return found

    def _walk(self, root: yaml.Node) -> list[tuple[yaml.Node, yaml.SequenceNode, yaml.Node | None]]:
        out: list[tuple[yaml.Node, yaml.SequenceNode, yaml.Node | None]] = []
        found = self._get(root, "codes")
        stack: list[tuple[yaml.Node, yaml.Node | None]] = [(found[1], None)] if found else []
        while stack:
            seq, parent = stack.pop()
            if not isinstance(seq, yaml.SequenceNode):
                continue
            for item in seq.value:
                out.append((item, seq, parent))
                children = self._get(item, "children")
                if children:
                    stack.append((children[1], item))
        return out

    def _find(self, root: yaml.Node, code_id: str) -> tuple[yaml.Node, yaml.SequenceNode, yaml.Node | None]:
        for item, seq, parent in self._walk(root):
            found = self._get(item, "id")
            if found and found[1].value == code_id:
                return item, seq, parent
        raise KeyError(code_id)

    def _end(self, node: yaml.Node) -> int:
        """The index just after the node's last character of content (comments after it excluded)."""
        if isinstance(node, yaml.ScalarNode) or (isinstance(node, yaml.CollectionNode) and node.flow_style):
            end = node.end_mark.index
        elif isinstance(node, yaml.MappingNode):
            # A block collection's own end mark is where the next token starts: use its contents.
            end = max((self._end(n) for pair in node.value for n in pair), default=node.start_mark.index)
        else:
            end = max((self._end(n) for n in node.value), default=node.start_mark.index)
        while end > 0 and self.text[end - 1] in " \t\r\n":
            end -= 1
        return end

    def _last_line(self, node: yaml.Node) -> int:
        return self._line_of(max(self._end(node) - 1, node.start_mark.index))

    def _dash(self, item: yaml.Node) -> tuple[int, int]:
        """(line, column) of the ``-`` that starts a block sequence item."""
        i = item.start_mark.index - 1
        while i >= 0 and self.text[i] in " \t\r\n":
            i -= 1
        if i < 0 or self.text[i] != "-":  # pragma: no cover - block items always have a dash
            return item.start_mark.line, max(item.start_mark.column - 2, 0)
        line = self._line_of(i)
        return line, i - self._starts[line]

    def _header_start(self, lines: list[str], dash_line: int, column: int) -> int:
        """Comment lines right above an item, at its indentation, belong to it."""
        j = dash_line
        while j > 0:
            above = lines[j - 1]
            if above.strip().startswith("#") and len(above) - len(above.lstrip(" ")) == column:
                j -= 1
            else:
                break
        return j

    def _check_block(self, seq: yaml.Node) -> None:
        if isinstance(seq, yaml.SequenceNode) and seq.flow_style and seq.value:
            raise error(CODEBOOK_FLOW_STYLE, path=self.path, line=seq.start_mark.line + 1)

    # --- edits -----------------------------------------------------------------------------------

    def cut(self, code_id: str) -> YamlBlock:
        """Remove a code (with its sub-codes and header comment); return its lines."""
        root = self._root()
        item, seq, parent = self._find(root, code_id)
        self._check_block(seq)
        lines = self.text.splitlines(keepends=True)
        dash_line, column = self._dash(item)
        start = self._header_start(lines, dash_line, column)
        end = self._last_line(item)
        block = YamlBlock(lines[start : end + 1], column)
        del lines[start : end + 1]
        if parent is not None and len(seq.value) == 1:
            key_line = self._pair(parent, "children")[0].start_mark.line
            del lines[key_line]  # the `children:` key of a list left empty
            start -= 1
        if 0 < start < len(lines) and not lines[start - 1].strip() and not lines[start].strip():
            del lines[start]  # do not leave two blank lines where the block was
        self.text = "".join(lines)
        return block

    def paste(self, block: YamlBlock, parent_id: str | None) -> None:
        """Add a block as the last code under ``parent_id`` (None: at the top level)."""
        root = self._root()
        lines = self.text.splitlines(keepends=True)
        blank_before = False
        if parent_id is None:
            key_node, seq = self._pair(root, "codes")
            self._check_block(seq)
            if isinstance(seq, yaml.SequenceNode) and seq.value:
                after = self._last_line(seq.value[-1])
                column = self._dash(seq.value[0])[1]
                blank_before = after + 1 < len(lines) and not lines[after + 1].strip()
            else:
                after, column = self._empty_list(lines, key_node, seq)
        else:
            parent = self._find(root, parent_id)[0]
            children = self._get(parent, "children")
            if children and isinstance(children[1], yaml.SequenceNode) and children[1].value:
                self._check_block(children[1])
                after = self._last_line(children[1].value[-1])
                column = self._dash(children[1].value[0])[1]
            elif children:
                after, column = self._empty_list(lines, children[0], children[1])
            else:
                key_column = parent.start_mark.column
                after = self._last_line(parent)
                lines.insert(after + 1, " " * key_column + "children:\n")
                after += 1
                column = key_column + 2
        moved = _reindent(block.lines, column - block.column)
        if blank_before:
            moved = ["\n", *moved]
        lines[after + 1 : after + 1] = moved
        self.text = "".join(lines)

    def _empty_list(self, lines: list[str], key_node: yaml.Node, value: yaml.Node) -> tuple[int, int]:
        """Turn ``key: []`` (or ``key:``) into ``key:`` and return (its line, item column)."""
        line = key_node.start_mark.line
        indent = key_node.start_mark.column
        lines[line] = " " * indent + f"{key_node.value}:\n"
        return line, indent + 2

    def rename(self, old: str, new: str, guid: str | None) -> None:
        """Change a code's id; add ``guid:`` (after the keys that come before it) when given."""
        root = self._root()
        item = self._find(root, old)[0]
        id_node = self._pair(item, "id")[1]
        edits: list[tuple[int, int, str]] = []
        if guid is not None:
            present = [k for k in CODE_KEYS[: CODE_KEYS.index("guid")] if self._get(item, k)]
            last_value = self._pair(item, present[-1])[1]
            line = self._last_line(last_value) + 1
            index = self._starts[line] if line < len(self._starts) else len(self.text)
            edits.append((index, index, " " * item.start_mark.column + f"guid: {guid}\n"))
        edits.append((id_node.start_mark.index, id_node.end_mark.index, _scalar_like(self.text, id_node, new)))
        self._apply(edits)

    def replace_in_sets(self, old: str, new: str | None) -> None:
        """Point set memberships at ``new`` (or drop them when None), without duplicates."""
        root = self._root()
        sets = self._get(root, "sets")
        if not sets or not isinstance(sets[1], yaml.SequenceNode):
            return
        edits: list[tuple[int, int, str]] = []
        for code_set in sets[1].value:
            members = self._get(code_set, "codes")
            if not members:
                continue
            node = members[1]
            if isinstance(node, yaml.ScalarNode):
                if node.value == old:
                    edits.append((node.start_mark.index, node.end_mark.index, f"[{new}]" if new else "[]"))
                continue
            if not isinstance(node, yaml.SequenceNode):  # not a list of codes: nothing to point elsewhere
                continue
            values = [m.value for m in node.value if isinstance(m, yaml.ScalarNode)]
            if old not in values:
                continue
            if node.flow_style:
                kept = [v for v in values if v != old]
                if new and new not in kept:
                    kept.insert(values.index(old), new)
                edits.append((node.start_mark.index, node.end_mark.index, "[" + ", ".join(kept) + "]"))
                continue
            for member in node.value:
                if member.value != old:
                    continue
                if new is None or new in values:
                    line = self._line_of(member.start_mark.index)
                    start = self._starts[line]
                    stop = self._starts[line + 1] if line + 1 < len(self._starts) else len(self.text)
                    edits.append((start, stop, ""))
                else:
                    edits.append((member.start_mark.index, member.end_mark.index, _scalar_like(self.text, member, new)))
        self._apply(edits)

    def set_field(self, code_id: str, key: str, value: object) -> None:
        """Give one field of a code a new value (None or empty: remove the key).

        The new lines are written in the layout qualcode writes new codebooks in;
        a new key goes after the keys that come before it in a code.
        """
        root = self._root()
        item = self._find(root, code_id)[0]
        self._replace_value(item, key, _field_lines(key, value, item.start_mark.column), CODE_KEYS)

    def set_hint(self, code_id: str, name: str, value: list) -> None:
        """One list of a code's suggestion hints (keywords, lemmas or patterns); the others stay as written.

        Raises KeyError when the code has no block-style ``hints:`` mapping to edit in
        (the caller then sets the hints as a whole).
        """
        root = self._root()
        item = self._find(root, code_id)[0]
        found = self._get(item, "hints")
        if found is None or not isinstance(found[1], yaml.MappingNode) or found[1].flow_style or not found[1].value:
            raise KeyError(code_id)
        mapping = found[1]
        self._replace_value(mapping, name, _hint_lines(name, value, mapping.start_mark.column), HINT_KEYS)

    def set_book_field(self, name: str, value: object) -> None:
        """Give a codebook field (title, version, authors ...) a new value (None or empty: remove it)."""
        root = self._root()
        self._replace_value(root, name, _book_field_lines(name, value), _TOP_KEYS)

    def set_sets(self, book: Codebook) -> None:
        """Write the codebook's code sets anew (only the ``sets:`` block changes)."""
        root = self._root()
        lines = _sets_lines(book)
        found = self._get(root, "sets")
        self._replace_value(root, "sets", lines, (*_TOP_KEYS,), insert_at_end=found is None)

    def _replace_value(
        self, mapping, key: str, new_lines: list[str], order: tuple[str, ...], insert_at_end: bool = False
    ) -> None:
        lines = self.text.splitlines(keepends=True)
        found = self._get(mapping, key)
        if found is not None:
            start, end = found[0].start_mark.line, self._last_line(found[1])
            lines[start : end + 1] = new_lines
        elif new_lines:
            if insert_at_end:
                at = len(lines)
            else:
                present = [k for k in order[: order.index(key)] if self._get(mapping, k)]
                at = self._last_line(self._pair(mapping, present[-1])[1]) + 1 if present else mapping.start_mark.line + 1
            lines[at:at] = new_lines
        self.text = "".join(lines)

    def _apply(self, edits: list[tuple[int, int, str]]) -> None:
        for start, stop, replacement in sorted(edits, reverse=True):
            self.text = self.text[:start] + replacement + self.text[stop:]


_TOP_KEYS = ("title", "version", "language", "authors", "licence", "description", "guid", "codes", "sets")


def _field_lines(key: str, value: object, column: int) -> list[str]:
    """``key: value`` as qualcode lays it out, indented to ``column``."""
    if value is None or value == "" or value == []:
        return []
    code = Code(id="x", name="x")
    setattr(code, key, value)
    text = dump_codebook(Codebook(title="x", codes=[code]))
    doc = YamlText(text, "<new>")
    item = doc._find(doc._root(), "x")[0]
    found = doc._get(item, key)
    if found is None:  # e.g. codable: true, which qualcode does not write
        return []
    lines = text.splitlines(keepends=True)[found[0].start_mark.line : doc._last_line(found[1]) + 1]
    return _reindent(lines, column - item.start_mark.column)


def _hint_lines(name: str, value: list, column: int) -> list[str]:
    """``name: [...]`` inside a code's ``hints:``, as qualcode lays it out, indented to ``column``."""
    if not value:
        return []
    code = Code(id="x", name="x", hints=Hints(**{name: value}))
    text = dump_codebook(Codebook(title="x", codes=[code]))
    doc = YamlText(text, "<new>")
    hints = doc._pair(doc._find(doc._root(), "x")[0], "hints")[1]
    key, node = doc._pair(hints, name)
    lines = text.splitlines(keepends=True)[key.start_mark.line : doc._last_line(node) + 1]
    return _reindent(lines, column - hints.start_mark.column)


def _book_field_lines(name: str, value: object) -> list[str]:
    """``name: value`` at the top level, as qualcode lays it out."""
    if value is None or value == "" or value == []:
        return []
    book = Codebook(title="x", codes=[])
    setattr(book, name, value)
    text = dump_codebook(book)
    doc = YamlText(text, "<new>")
    found = doc._get(doc._root(), name)
    if found is None:  # pragma: no cover - every codebook field is written when set
        return []
    return text.splitlines(keepends=True)[found[0].start_mark.line : doc._last_line(found[1]) + 1]


def _sets_lines(book: Codebook) -> list[str]:
    if not book.sets:
        return []
    text = dump_codebook(Codebook(title="x", codes=[], sets=list(book.sets)))
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("sets:"))
    return lines[start:]


def _reindent(lines: list[str], delta: int) -> list[str]:
    out = []
    for line in lines:
        if not line.strip():
            out.append("\n")
        elif delta >= 0:
            out.append(" " * delta + line)
        else:
            spaces = len(line) - len(line.lstrip(" "))
            out.append(line[min(spaces, -delta) :])
    if out and not out[-1].endswith("\n"):
        out[-1] += "\n"
    return out


def _scalar_like(text: str, node: yaml.Node, value: str) -> str:
    """``value`` quoted the way the scalar it replaces was."""
    quote = text[node.start_mark.index]
    return f"{quote}{value}{quote}" if quote in "'\"" else value


def code_block(code: Code) -> YamlBlock:
    """A new code (with its sub-codes) as YAML lines in the layout qualcode writes.

    A code without a colour gets none in the YAML (a Codebook fills in display colours;
    those are not the researcher's choice).
    """
    stack, uncoloured = [code], []
    while stack:
        current = stack.pop()
        if current.color is None:
            uncoloured.append(current)
        stack.extend(current.children)
    book = Codebook(title="x", codes=[code])
    for current in uncoloured:
        current.color = None
    text = dump_codebook(book)
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("codes:")) + 1
    block = lines[start:]
    column = len(block[0]) - len(block[0].lstrip(" "))
    return YamlBlock(block, column)


def edited_codebook_text(path: Path, edit: Callable[[YamlText], None]) -> str:
    """The file's text with ``edit`` applied, validated (CODEBOOK_INVALID); nothing is written."""
    doc = YamlText(read_codebook_text(path), str(path))
    edit(doc)
    _, problems = parse_codebook(doc.text, str(path))
    if problems:
        raise error(CODEBOOK_INVALID, problems=problems, path=path, count=len(problems))
    return doc.text


def edit_codebook_text(path: Path, edit: Callable[[YamlText], None]) -> None:
    """Apply ``edit`` to the file's text, validate the result, replace the file atomically."""
    write_text(path, edited_codebook_text(path, edit))
