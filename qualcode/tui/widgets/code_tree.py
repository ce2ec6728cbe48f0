"""The code list beside the transcript, and the details of the highlighted code.

The list shows the codebook's hierarchy with each code's colour, key and two
counts: codings in this transcript / in the whole project, a parent counting its
sub-codes' codings too (as the statistics screen does). In a narrow terminal it
is compact: colour, key and name only. Codes that left the codebook but still
have codings are listed under their own heading, greyed. Enter or a double click
applies a code; a single click only shows it. The details panel shows the memos
of the codings at the cursor and what researchers consult while coding: the
definition, when to use the code and when not, and examples.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.console import Group
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static, Tree
from textual.widgets.tree import TreeNode

from ...codebook import Code, Codebook
from ...model import Coding
from .. import strings as S
from ..document.model import CodeStyle

MISSING_NODE = "__missing__"


def rolled_up(codebook: Codebook, counts: Mapping[str, int]) -> dict[str, int]:
    """Counts per code with each parent's including its sub-codes' (:meth:`Codebook.rolled_up`)."""
    return codebook.rolled_up(counts)


class CodeTree(Tree[str]):
    """Codes with colour, key and counts; node data is the code id."""

    DEFAULT_CSS = """
    CodeTree { background: $surface; overflow-x: hidden; }
    """
    # Tree's Enter (select_cursor) is hidden from the footer, which then showed no Enter at
    # all, or (the transcript's) "Code…" beside the list: here Enter applies the highlighted code.
    BINDINGS = [Binding("enter", "select_cursor", S.FOOTER_CODE_LIST_APPLY, show=True)]

    class Apply(Message):
        """Enter or a double click on a code: apply it."""

        def __init__(self, code_id: str) -> None:
            super().__init__()
            self.code_id = code_id

    class Clicked(Message):
        """A single click on a code: it is highlighted, nothing is applied."""

        def __init__(self, code_id: str) -> None:
            super().__init__()
            self.code_id = code_id

    def __init__(self, codebook: Codebook, missing: list[CodeStyle], *, id: str | None = None) -> None:
        super().__init__(S.CODES_TITLE, id=id)
        self.show_root = False
        self.auto_expand = False
        self.guide_depth = 2
        self.codebook = codebook
        self.missing = {m.id: m for m in missing}
        self.here: dict[str, int] = {}
        self.total: dict[str, int] = {}
        self.nodes_by_code: dict[str, TreeNode[str]] = {}
        self.compact = False  # colour, key and name only (a narrow terminal)

    def on_mount(self) -> None:
        self._populate()

    def _populate(self) -> None:
        self.clear()

        def add(parent: TreeNode[str], code: Code) -> None:
            if code.children:
                node = parent.add(self._label(code.id), data=code.id, expand=True)
                for child in code.children:
                    add(node, child)
            else:
                node = parent.add_leaf(self._label(code.id), data=code.id)
            self.nodes_by_code[code.id] = node

        for code in self.codebook.codes:
            add(self.root, code)
        if self.missing:
            group = self.root.add(Text(S.MISSING_CODES, style="dim bold"), data=MISSING_NODE, expand=True)
            for code_id in self.missing:
                self.nodes_by_code[code_id] = group.add_leaf(self._label(code_id), data=code_id)
        self.root.expand()

    def _label(self, code_id: str) -> Text:
        """``■ k  2/9  Name``: counts before the name so a narrow panel never hides them."""
        code = self.codebook.get(code_id)
        label = Text(no_wrap=True, overflow="ellipsis")
        counts = S.TREE_COUNTS.format(here=self.here.get(code_id, 0), total=self.total.get(code_id, 0))
        if code is None:
            label.append("■   ", style="grey50")
            if not self.compact:
                label.append(f"{counts:>7} ", style="dim")
            label.append(self.missing[code_id].name, style="dim strike")
            # Its id too: after a rename in the YAML a code of the codebook may have its name now.
            label.append(f" {code_id}", style="dim")
        else:
            label.append("■ ", style=code.color or "")
            label.append(f"{code.key or ' '} ", style="bold")
            if not self.compact:
                label.append(f"{counts:>7} ", style="dim")
            label.append(code.name, style="" if code.codable else "italic")
        return label

    def set_compact(self, compact: bool) -> None:
        """Leave the counts out (a narrow terminal) or show them."""
        if compact != self.compact:
            self.compact = compact
            for code_id, node in self.nodes_by_code.items():
                node.set_label(self._label(code_id))

    async def _on_click(self, event: events.Click) -> None:
        meta = event.style.meta
        if "line" not in meta or meta.get("toggle", False):
            return  # Tree's own handler folds and unfolds
        event.prevent_default()
        self.cursor_line = meta["line"]
        code = self.highlighted_code
        if code is not None:
            self.post_message(self.Apply(code) if event.chain >= 2 else self.Clicked(code))

    def action_select_cursor(self) -> None:
        """Enter: apply the highlighted code."""
        code = self.highlighted_code
        if code is not None:
            self.post_message(self.Apply(code))

    def set_counts(self, here: dict[str, int], total: dict[str, int]) -> None:
        """Show new counts; relabels only the codes whose counts changed."""
        changed = {
            c
            for c in {*here, *self.here, *total, *self.total}
            if (here.get(c), total.get(c)) != (self.here.get(c), self.total.get(c))
        }
        self.here, self.total = dict(here), dict(total)
        for code_id in changed:
            node = self.nodes_by_code.get(code_id)
            if node is not None:
                node.set_label(self._label(code_id))

    @property
    def highlighted_code(self) -> str | None:
        node = self.cursor_node
        if node is None or node.data in (None, MISSING_NODE):
            return None
        return node.data

    def highlight_code(self, code_id: str) -> None:
        """Move the tree's cursor to a code."""
        node = self.nodes_by_code.get(code_id)
        if node is not None:
            self.move_cursor(node)


class CodeDetails(VerticalScroll):
    """Definition, inclusion and exclusion criteria and examples of one code."""

    DEFAULT_CSS = """
    CodeDetails { background: $surface; padding: 0 1; }
    CodeDetails > #code-details-memos { border-bottom: hkey $panel-lighten-1; margin-bottom: 1; }
    """

    def __init__(self, codebook: Codebook, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.codebook = codebook
        self.memos = Static("", id="code-details-memos", classes="hidden", markup=False)
        self.body = Static("", id="code-details-body", markup=False)

    def compose(self):
        yield self.memos
        yield self.body

    def show(self, code_id: str | None, missing: CodeStyle | None = None) -> None:
        """Show a code's details (or nothing)."""
        self.body.update(details_renderable(self.codebook, code_id, missing))
        self.scroll_home(animate=False)

    def show_memos(self, memos: Sequence[tuple[str, Coding]]) -> None:
        """The memos of the codings at the cursor, in full, above the code's details."""
        if not memos:
            if not self.memos.has_class("hidden"):
                self.memos.add_class("hidden")
            return
        text = Text()
        for i, (name, coding) in enumerate(memos):
            if i:
                text.append("\n\n")
            text.append(S.DETAILS_MEMO.format(code=name, coder=coding.coder) + "\n", style="bold")
            text.append(coding.memo or "")
        self.memos.update(text)
        self.memos.remove_class("hidden")


def details_renderable(codebook: Codebook, code_id: str | None, missing: CodeStyle | None = None) -> Group | Text:
    """The details of a code as rich text (headings, bullet lists)."""
    if code_id is None:
        return Text("")
    code = codebook.get(code_id)
    if code is None:
        title = Text()
        title.append("■ ", style="grey50")
        title.append(missing.name if missing else code_id, style="bold")
        return Group(title, Text(code_id, style="dim"), Text(""), Text(S.DETAILS_MISSING, style="italic"))
    parts: list[Text] = []
    title = Text()
    title.append("■ ", style=code.color or "")
    title.append(code.name, style="bold")
    parts.append(title)
    meta = code.id + (f" · {S.DETAILS_KEY.format(key=code.key)}" if code.key else "")
    parts.append(Text(meta, style="dim"))
    if not code.codable:
        parts.append(Text(S.DETAILS_FOLDER, style="italic"))
    if code.description:
        parts += [Text(""), Text(S.DETAILS_DEFINITION, style="bold underline"), Text(" ".join(code.description.split()))]
    for heading, items, quote in (
        (S.DETAILS_INCLUDE, code.include, False),
        (S.DETAILS_EXCLUDE, code.exclude, False),
        (S.DETAILS_EXAMPLES, code.examples, True),
    ):
        if items:
            parts += [Text(""), Text(heading, style="bold underline")]
            for item in items:
                parts.append(Text(f"• “{item}”" if quote else f"• {item}", style="italic" if quote else ""))
    return Group(*parts)
