"""Reader for Markdown transcripts (.md), parsed as CommonMark by markdown-it-py.

The stored text is what a reader of the rendered document sees, so that no markup
ends up inside a turn (or a coding's quote):

* emphasis (``**INTERVIEWER:**``), backslash escapes (``\\*``), character references
  (``&amp;``), code-span backticks, blockquote ``>`` and bullet-list markers are
  gone; an ordered list keeps its numbers (``1990. Toen ...`` is a year, not markup);
* a heading stays a ``# Title`` line and a thematic break a ``---`` line, as .docx
  headings do: the turn finder reads both as structure;
* the **title block** -- YAML front matter (case attributes), then headings and the
  blockquotes before the first paragraph outside a quote -- is structure, not a turn,
  even where it says ``> Respondent: R3``;
* link and image syntax and link reference definitions are left as written:
  ``[naam](geanonimiseerd)`` or ``[lacht]: ja`` in a transcript are words, not links.

Blocks are separated by a blank line (items of a tight list by a line break), and
turns are found in this text as in a plain-text transcript; warnings name the lines
of the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from qualcode.ingest.decode import decode, normalise
from qualcode.ingest.frontmatter import split_front_matter
from qualcode.ingest.turns import scan_turns
from qualcode.model import Transcript

if TYPE_CHECKING:
    from markdown_it.token import Token

# Inline tokens whose content is text the reader sees; markers (em, strong ...) have none.
_TEXT_TOKENS = frozenset({"text", "code_inline", "html_inline"})
_BREAKS = frozenset({"softbreak", "hardbreak"})


@dataclass(slots=True)
class _Block:
    """Rendered lines of one block, where it starts in the body, and how it joins the last."""

    lines: list[str]
    source: int  # 0-based line of the body where the block starts
    structure: bool = False
    tight: bool = False  # an item of a tight list after another: one line break, no blank line


def read_markdown(data: bytes, path: Path, encoding: str | None) -> Transcript:
    """Decode, take off the front matter, render the Markdown to text and find the turns."""
    raw, used = decode(data, path, encoding)
    normalised = normalise(raw)
    attributes, body, warnings = split_front_matter(normalised, path)
    skipped = normalised[: len(normalised) - len(body)].count("\n")  # lines of front matter
    blocks = _render(body)
    pieces: list[str] = []
    numbers: list[int] = []  # file line of each rendered line
    structure: set[int] = set()
    for block in blocks:
        if pieces:
            pieces.append("\n" if block.tight else "\n\n")
            if not block.tight:
                numbers.append(numbers[-1] + 1)
        first = len(numbers)
        pieces.append("\n".join(block.lines))
        numbers.extend(skipped + block.source + 1 + k for k in range(len(block.lines)))
        if block.structure:
            structure.update(range(first, len(numbers)))
    # Markers taken out can leave a letter next to a combining mark: normalise again
    # (NFC never joins across a line break, so the line numbers above still hold).
    text = normalise("".join(pieces))
    scan = scan_turns(text, structure=structure, line_numbers=numbers)
    return scan.transcript(path, text, used, warnings, attributes)


def _parser():
    # markdown-it-py (~15 ms to import) is needed only when a .md file is read.
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").disable(["reference", "link", "image"])


def _render(body: str) -> list[_Block]:
    """The blocks of the document as text, in order; the title block marked as structure."""
    blocks: list[_Block] = []
    quotes = 0  # blockquote depth
    lists: list[bool] = []  # whether each open list is ordered
    item_number: str | None = None  # "3." for the first paragraph of an ordered item
    item_started = False  # the open item already has a block
    title = True  # still in the title block: headings and quotes before any paragraph
    quoted_title: list[_Block] = []
    tokens = _parser().parse(body)
    for i, token in enumerate(tokens):
        kind = token.type
        if kind == "blockquote_open":
            quotes += 1
        elif kind == "blockquote_close":
            quotes -= 1
        elif kind in ("bullet_list_open", "ordered_list_open"):
            lists.append(kind == "ordered_list_open")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            item_number = f"{token.info}{token.markup}" if lists and lists[-1] else None
            item_started = False
        elif kind == "heading_open":
            text = " ".join(_inline(tokens[i + 1]).split("\n"))
            blocks.append(_Block([f"{'#' * int(token.tag[1])} {text}"], _line(token), structure=True))
        elif kind == "hr":
            blocks.append(_Block(["---"], _line(token), structure=True))
        elif kind in ("paragraph_open", "fence", "code_block", "html_block"):
            if kind == "paragraph_open":
                lines = _inline(tokens[i + 1]).split("\n")
                source = _line(token)
            else:
                lines = token.content.rstrip("\n").split("\n")
                source = _line(token) + (1 if kind == "fence" else 0)
            if item_number is not None and not item_started:
                lines[0] = f"{item_number} {lines[0]}"
            # A later item of a tight list (its paragraphs are hidden) follows the last on the next line.
            tight = kind == "paragraph_open" and token.hidden and _follows_an_item(tokens, i)
            item_started = True
            block = _Block(lines, source, tight=tight)
            blocks.append(block)
            if title and quotes:
                quoted_title.append(block)
            elif title:
                title = False
    if not title:  # the quotes were a title block above the transcript, not the transcript itself
        for block in quoted_title:
            block.structure = True
    return blocks


def _inline(token: Token) -> str:
    """The text of an inline token as read: markers dropped, line breaks kept."""
    out: list[str] = []
    for child in token.children or ():
        if child.type in _TEXT_TOKENS:
            out.append(child.content)
        elif child.type in _BREAKS:
            out.append("\n")
    return "".join(out)


def _line(token: Token) -> int:
    return token.map[0] if token.map else 0


def _follows_an_item(tokens: list[Token], i: int) -> bool:
    """Whether the block at ``tokens[i]`` is the first of a list item that follows another item."""
    return i >= 2 and tokens[i - 1].type == "list_item_open" and tokens[i - 2].type == "list_item_close"
