"""The help screen (``?``): every binding with its keys and id, and the code keys."""

from __future__ import annotations

from pathlib import Path

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Header, Static

from .. import keymap
from .. import strings as S
from ..widgets.footer import KeysFooter
from .base import QualcodeScreen


def key_display(app, key: str) -> str:
    """How a key is written for people (``?``, ``ctrl+z``, ``↑``)."""
    return app.get_key_display(Binding(key, ""))


def _home_relative(path: Path) -> str:
    """``~/.config/...`` rather than the full home folder."""
    try:
        return "~/" + str(Path(path).relative_to(Path.home()))
    except ValueError:
        return str(path)


# The keys of each screen, first in the help opened there (at 80x24 the statistics screen's
# came after five screens of others): keymap scopes, or the screen's own table.
SCREEN_SCOPES = {
    "transcripts": (keymap.TRANSCRIPTS,),
    "coding": (keymap.CODING, keymap.REVIEW, keymap.DOCUMENT, keymap.REATTACH, keymap.DETACHED),
    "retrieval": (keymap.RETRIEVAL,),
    "disagreements": (keymap.DISAGREEMENTS, keymap.DOCUMENT),
}


def help_renderable(app, codebook, came_from: str | None = None, left_out: list[tuple[str, str]] | None = None) -> Group:
    """Tables of every binding per scope, then the codebook's code keys; the keys of the screen
    the help was opened from (``came_from``) first, and before them the keys its footer had no
    room for (``left_out``: keys, what they do), one line each, so that at 80x24 they are on
    the first page (the statistics screen's r, ^o, ^z were three pages down)."""
    keys = keymap.effective_keys(app.user_keymap)
    parts: list = []
    if left_out:
        table = Table(title=S.HELP_LEFT_OUT, title_justify="left", title_style="bold", expand=True, box=None, padding=(0, 2))
        table.add_column(S.HELP_COLUMNS[1], no_wrap=True)
        table.add_column(S.HELP_COLUMNS[2])
        for shown, what in left_out:
            table.add_row(Text(shown, style="bold"), what)
        parts += [table, Text("")]
    path = Text(S.HELP_KEYMAP.format(path=_home_relative(app.keymap_file)), style="dim")
    parts.append(path)
    if app.keymap_error is not None:
        parts.append(Text(S.HELP_KEYMAP_ERROR.format(error=app.keymap_error.message), style="bold red"))
    first = SCREEN_SCOPES.get(came_from or "", ())
    tables: list[Table] = []
    for scope in (*first, *(s for s in keymap.SCOPE_ORDER if s not in first)):
        table = Table(title=S.SCOPES[scope], title_justify="left", title_style="bold", expand=True, box=None, padding=(0, 2))
        for column, width in zip(S.HELP_COLUMNS, (26, 18, None), strict=False):
            table.add_column(column, width=width, no_wrap=width is not None)
        for action in keymap.ACTIONS:
            if action.scope == scope:
                shown = ", ".join(key_display(app, k) for k in keys[action.id])
                table.add_row(Text(action.id, style="dim"), Text(shown, style="bold"), action.description)
        tables.append(table)
    own = {
        "stats": _screen_table(app, S.HELP_STATS.format(key=app.key_of("statistics")), "stats"),
        "pseudonymise": _screen_table(app, S.HELP_PSEUDO.format(key=app.key_of("command_palette")), "pseudonymise"),
    }
    if came_from in own:
        tables.insert(0, own.pop(came_from))
    for table in [*tables, *own.values()]:
        parts += [Text(""), table]
    codes = Table(title=S.HELP_CODE_KEYS, title_justify="left", title_style="bold", expand=True, box=None, padding=(0, 2))
    codes.add_column(S.HELP_COLUMNS[1], width=26)
    codes.add_column(S.COL_CODE)
    for code in codebook.walk():
        if code.key:
            name = Text()
            name.append("■ ", style=code.color or "")
            name.append(code.name)
            codes.add_row(Text(code.key, style="bold"), name)
    parts += [Text(""), codes, Text(S.HELP_CODE_KEYS_NOTE, style="italic")]
    return Group(*parts)


def _screen_table(app, title: str, name: str) -> Table:
    """The keys a registered screen defines itself (the statistics and pseudonymisation screens').

    They are not in the keymap table (lowercase keys, free there: no code keys on
    that screen), so the keymap file cannot rebind them: no id is shown.
    """
    from . import screen_class

    table = Table(title=title, title_justify="left", title_style="bold", expand=True, box=None, padding=(0, 2))
    table.add_column(S.HELP_COLUMNS[1], width=18, no_wrap=True)  # no id column: it would stay empty
    table.add_column(S.HELP_COLUMNS[2])
    for binding in screen_class(name).BINDINGS:
        keys = ", ".join(key_display(app, k.strip()) for k in binding.key.split(","))
        table.add_row(Text(keys, style="bold"), binding.tooltip or binding.description)
    return table


class HelpScreen(QualcodeScreen):
    """Every key binding."""

    SCREEN = "help"
    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,question_mark,f1", "close", S.BINDINGS["retrieval_back"])]

    def __init__(self, project, came_from: str | None = None, left_out: list[tuple[str, str]] | None = None) -> None:
        super().__init__(project)
        self.came_from = came_from  # the screen it was opened from: its keys come first
        self.left_out = left_out  # ... and before them those its footer had no room for

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="help-body"):
            yield Static(
                help_renderable(self.app, self.project.codebook, self.came_from, self.left_out), id="help-text", markup=False
            )
        yield KeysFooter(palette=True)

    def on_mount(self) -> None:
        self.sub_title = S.HELP_TITLE
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.app.pop_screen()
