"""The command palette (Ctrl+P): the app's and the current screen's main actions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import escape


@dataclass(frozen=True, slots=True)
class PaletteCommand:
    """One palette entry: what it says, a line of help, what it does."""

    name: str
    help: str
    run: Callable[[], object]


class QualcodeCommands(Provider):
    """Offers ``app.palette_commands(screen)``: open a transcript, segments of a code, undo…"""

    _listed: list[PaletteCommand] | None = None

    def _commands(self) -> list[PaletteCommand]:
        # Once per opening of the palette (Textual makes a provider for each), not per key
        # typed: the list reads the store (every transcript, the pairs of coders).
        if self._listed is None:
            self._listed = self.app.palette_commands(self.screen)  # type: ignore[attr-defined]
        return self._listed

    # The palette reads a hit's text as markup: names in it (a transcript's, a code's, a
    # coder's) are plain text here, so that 'Rol [cjg]' keeps its '[cjg]', '[/b]' does not
    # stop the app with a MarkupError and '[@click=app.quit]' is no action.
    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(Content(command.name), command.run, text=command.name, help=_help(command))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.name)
            if score > 0:
                yield Hit(
                    score, _highlighted(matcher, command.name), partial(command.run), text=command.name, help=_help(command)
                )


def _highlighted(matcher: Matcher, name: str) -> Content:
    """``name`` as plain text with the letters the query matched highlighted (as
    ``Matcher.highlight`` does, which reads ``name`` as markup)."""
    content = Content(name)
    _, offsets = matcher.fuzzy_search.match(matcher.query, name)
    for offset in offsets:
        if not name[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def _help(command: PaletteCommand) -> str | None:
    return escape(command.help) if command.help else None
