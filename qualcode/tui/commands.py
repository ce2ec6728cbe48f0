"""The command palette (Ctrl+P): the app's and the current screen's main actions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


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

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(command.name, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.name)
            if score > 0:
                yield Hit(score, matcher.highlight(command.name), partial(command.run), help=command.help)
