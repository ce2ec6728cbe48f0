"""Every key binding of the app in one table, and the user's keymap file.

Each binding has an id (the name a user writes in ``keymap.yaml``), default keys,
the Textual action it runs and the *scope* where it is active. Screens and widgets
take their ``BINDINGS`` from here, so the help screen, the footer and the keymap
file can never disagree with what the keys do.

Code shortcut keys belong to the codebook: one lowercase letter (not ``n``) or a
digit (``qualcode.codebook.KEY_RE``). No binding may use those keys, so every
navigation and action key is an arrow, a shift/ctrl combination, punctuation or
an uppercase letter.

The keymap file (``~/.config/qualcode/keymap.yaml``) maps binding ids to keys::

    select_turn: "V"              # instead of T
    undo: "ctrl+z,ctrl+u"          # several keys, comma-separated
    redo: "ctrl+y"

It is validated as a whole: unknown ids (with a "did you mean"), keys Textual
does not know, keys reserved for codes and two bindings on one key are each
reported with their line; if anything is wrong the file is ignored and the app
says so, with the defaults in place.
"""

from __future__ import annotations

import difflib
import string
from dataclasses import dataclass
from pathlib import Path

import yaml
from textual.binding import Binding
from textual.keys import Keys, _character_to_key

from ..errors import KEYMAP_INVALID, KEYMAP_UNREADABLE, Problem, QualcodeError, error
from ..ingest.decode import NotUtf8, read_settings
from ..userconfig import config_dir
from ..yamlsafe import COMPOSER, located, repeated, syntax_problem
from . import strings as S

KEYMAP_FILE = "keymap.yaml"

# Where bindings live; a key may be used once among the scopes active together.
APP = "app"
TRANSCRIPTS = "transcripts"
CODING = "coding"
DOCUMENT = "document"
RETRIEVAL = "retrieval"
REVIEW = "review"  # the coding screen while reviewing suggestions (on top of CODING and DOCUMENT)
DISAGREEMENTS = "disagreements"  # settling two coders' disagreements (with DOCUMENT for the selection)
DETACHED = "detached"  # the list of a transcript's detached codings (a dialog over the coding screen)
REATTACH = "reattach"  # the coding screen while a detached coding waits for its new place
ACTIVE_TOGETHER = (
    (APP, TRANSCRIPTS),
    (APP, CODING, DOCUMENT, REVIEW),
    (APP, CODING, DOCUMENT, REATTACH),
    (APP, DETACHED),
    (APP, RETRIEVAL),
    (APP, DISAGREEMENTS, DOCUMENT),
)
# Bindings a mode switches off while it is on, so that its own key can take theirs
# (re-attaching, Enter places the detached coding instead of opening the code list,
# and review mode cannot start). The screen's check_action reads this table.
SUSPENDED = {REATTACH: frozenset({"pick_codes", "review"})}
SCOPE_ORDER = (APP, TRANSCRIPTS, CODING, REVIEW, REATTACH, DETACHED, DOCUMENT, RETRIEVAL, DISAGREEMENTS)
# Review modes take their letters in either case ("A" is also "a"): a decision key can
# never be mistaken for the code key of the same letter (see qualcode.tui.review_mode).
# The detached list has no code keys at all: its letters work in either case too.
CASELESS = frozenset({REVIEW, DISAGREEMENTS, DETACHED})


@dataclass(frozen=True, slots=True)
class KeyAction:
    """One binding: id, default keys (comma-separated), action and scope."""

    id: str
    keys: str
    action: str
    scope: str
    show: bool = False  # in the footer
    priority: bool = False

    @property
    def description(self) -> str:
        return S.BINDINGS[self.id]


def _k(id: str, keys: str, action: str, scope: str, show: bool = False, priority: bool = False) -> KeyAction:
    return KeyAction(id, keys, action, scope, show, priority)


ACTIONS: tuple[KeyAction, ...] = (
    # --- everywhere ---
    _k("help", "question_mark,f1", "app.help", APP, show=True),
    _k("command_palette", "ctrl+p", "app.command_palette", APP),
    _k("transcripts", "ctrl+o", "app.show_transcripts", APP, show=True),  # shown where it leads back
    _k("retrieval", "ctrl+r", "app.show_retrieval", APP),
    _k("undo", "ctrl+z", "app.undo", APP, show=True),
    _k("redo", "ctrl+y", "app.redo", APP),
    _k("statistics", "ctrl+t", "app.show_screen('stats')", APP),
    _k("cancel_job", "ctrl+g", "app.cancel_job", APP, show=True),  # shown only while a job runs
    _k("quit", "ctrl+q", "app.quit", APP, priority=True),
    # --- transcripts list ---
    _k("open_transcript", "enter", "open", TRANSCRIPTS, show=True),
    _k("filter_transcripts", "slash", "focus_filter", TRANSCRIPTS, show=True),
    _k("clear_transcript_filter", "escape", "clear_filter", TRANSCRIPTS),
    _k("suggest_listed", "G", "suggest", TRANSCRIPTS, show=True),
    _k("memo_listed", "M", "memo", TRANSCRIPTS, show=True),
    # --- coding screen, whatever has focus ---
    _k("pick_codes", "enter", "pick", CODING, show=True),
    _k("remove_coding", "delete,backspace", "remove", CODING, show=True),
    _k("memo", "M", "memo", CODING, show=True),
    _k("transcript_memo", "I", "transcript_memo", CODING),
    _k("search", "slash", "search", CODING),
    _k("search_next", "n", "search_next", CODING),
    _k("search_prev", "N", "search_prev", CODING),
    _k("filter_code", "F", "filter_code", CODING),
    _k("segments_of_code", "R", "segments_of_code", CODING),
    _k("back", "escape", "back", CODING),
    _k("suggest_transcript", "G", "suggest", CODING),
    _k("toggle_suggestions", "P", "toggle_suggestions", CODING),
    _k("review", "E", "review", CODING, show=True),
    _k("coder_view", "O", "coder_view", CODING),
    _k("detached", "D", "detached", CODING),
    # --- re-attaching a detached coding (active only while one waits for its place) ---
    _k("reattach_here", "enter", "reattach_here", REATTACH, show=True),
    # --- the list of detached codings ---
    _k("detached_reattach", "enter", "reattach", DETACHED, show=True, priority=True),  # before the list's own Enter
    _k("detached_discard", "X", "discard", DETACHED, show=True),
    _k("detached_close", "escape", "close", DETACHED, show=True),
    # --- reviewing suggestions (active only in review mode) ---
    # (letters in either case: see CASELESS and qualcode.tui.review_mode)
    _k("review_accept", "A", "decide('accept')", REVIEW, show=True),
    _k("review_reject", "X", "decide('reject')", REVIEW, show=True),
    _k("review_skip", "greater_than_sign", "decide('skip')", REVIEW, show=True),
    _k("review_previous", "less_than_sign", "decide('previous')", REVIEW),
    _k("review_other_code", "C", "decide('other_code')", REVIEW, show=True),
    _k("review_order", "L", "decide('order')", REVIEW, show=True),
    # --- the transcript text (moves: qualcode.tui.document.navigator) ---
    _k("cursor_left", "left", "move('char_left')", DOCUMENT),
    _k("cursor_right", "right", "move('char_right')", DOCUMENT),
    _k("cursor_up", "up", "vertical('up')", DOCUMENT),
    _k("cursor_down", "down", "vertical('down')", DOCUMENT),
    _k("word_left", "ctrl+left", "move('word_left')", DOCUMENT),
    _k("word_right", "ctrl+right", "move('word_right')", DOCUMENT),
    _k("sentence_prev", "left_parenthesis", "move('sentence_prev')", DOCUMENT),
    _k("sentence_next", "right_parenthesis", "move('sentence_next')", DOCUMENT),
    _k("turn_prev", "left_curly_bracket,ctrl+up", "move('turn_prev')", DOCUMENT),
    _k("turn_next", "right_curly_bracket,ctrl+down", "move('turn_next')", DOCUMENT),
    _k("page_up", "pageup", "page('up')", DOCUMENT),
    _k("page_down", "pagedown", "page('down')", DOCUMENT),
    _k("line_start", "home", "move('line_start')", DOCUMENT),
    _k("line_end", "end", "move('line_end')", DOCUMENT),
    _k("document_start", "ctrl+home", "move('document_start')", DOCUMENT),
    _k("document_end", "ctrl+end", "move('document_end')", DOCUMENT),
    _k("coded_prev", "left_square_bracket", "coded('up')", DOCUMENT),
    _k("coded_next", "right_square_bracket", "coded('down')", DOCUMENT),
    _k("uncoded_next", "U", "uncoded_next", DOCUMENT),
    _k("select_sentence", "space", "select_sentence", DOCUMENT, show=True),
    _k("select_turn", "T", "select_turn", DOCUMENT, show=True),
    _k("select_left", "shift+left", "move('char_left', True)", DOCUMENT),
    _k("select_right", "shift+right", "move('char_right', True)", DOCUMENT),
    _k("select_up", "shift+up", "vertical('up', True)", DOCUMENT),
    _k("select_down", "shift+down", "vertical('down', True)", DOCUMENT),
    _k("select_word_left", "ctrl+shift+left", "move('word_left', True)", DOCUMENT),
    _k("select_word_right", "ctrl+shift+right,W", "move('word_end', True)", DOCUMENT),
    _k("select_line_start", "shift+home", "move('line_start', True)", DOCUMENT),
    _k("select_line_end", "shift+end", "move('line_end', True)", DOCUMENT),
    # --- retrieval ---
    _k("jump_to_segment", "enter", "jump", RETRIEVAL, show=True),
    _k("retrieval_back", "escape", "back", RETRIEVAL, show=True),
    # --- settling disagreements between two coders ---
    _k("settle_first", "A", "settle_first", DISAGREEMENTS, show=True),
    _k("settle_second", "B", "settle_second", DISAGREEMENTS, show=True),
    _k("settle_both", "K", "settle_both", DISAGREEMENTS, show=True),
    _k("settle_neither", "X", "settle_neither", DISAGREEMENTS, show=True),
    _k("settle_span", "enter", "settle_span", DISAGREEMENTS, show=True),
    _k("disagreement_next", "greater_than_sign", "next_disagreement", DISAGREEMENTS, show=True),
    _k("disagreement_previous", "less_than_sign", "previous_disagreement", DISAGREEMENTS),
    _k("disagreements_back", "escape", "back", DISAGREEMENTS),
)
BY_ID = {a.id: a for a in ACTIONS}


def suspended_actions(mode: str) -> frozenset[str]:
    """The action names (as ``check_action`` gets them) of the bindings ``mode`` switches off."""
    return frozenset(BY_ID[i].action for i in SUSPENDED.get(mode, ()))


def active_in(group: tuple[str, ...]) -> list[KeyAction]:
    """The bindings active together in ``group`` (less those a mode in it switches off)."""
    off = frozenset().union(*(SUSPENDED.get(scope, ()) for scope in group))
    return [a for a in ACTIONS if a.scope in group and a.id not in off]


def with_lowercase(keys: list[str]) -> list[str]:
    """Keys plus the lowercase twin of each uppercase letter (for caseless scopes)."""
    out = list(keys)
    for key in keys:
        if len(key) == 1 and key.isupper() and key.lower() not in out:
            out.append(key.lower())
    return out


def bindings(scope: str) -> list[Binding]:
    """The Textual bindings of one scope (ids make them rebindable)."""
    return [
        Binding(
            ",".join(with_lowercase(a.keys.split(","))) if scope in CASELESS else a.keys,
            a.action,
            S.FOOTER.get(a.id, a.description),
            show=a.show,
            priority=a.priority,
            tooltip=a.description,
            id=a.id,
        )
        for a in ACTIONS
        if a.scope == scope
    ]


def keymap_path() -> Path:
    return config_dir() / KEYMAP_FILE


# --- validation -------------------------------------------------------------------

MODIFIERS = {"ctrl", "shift", "alt", "meta", "super", "hyper"}
_NAMED = {k.value for k in Keys} | {_character_to_key(ch) for ch in string.printable if ch.isprintable()}
# Keys that belong to code shortcuts (KEY_RE in qualcode.codebook): never bindable.
CODE_KEYS = set(string.ascii_lowercase + string.digits) - {"n"}


def normalise_key(key: str) -> str:
    """``?`` → ``question_mark``, ``ctrl+Left`` stays as written otherwise."""
    *mods, name = key.split("+")
    if len(name) == 1:
        name = _character_to_key(name)
    return "+".join([*mods, name])


def key_problem(key: str) -> str | None:
    """Why ``key`` cannot be bound, or None."""
    if not key:
        return S.KEY_EMPTY
    *mods, name = key.split("+")
    bad = [m for m in mods if m not in MODIFIERS]
    if bad:
        return S.KEY_BAD_MODIFIER.format(modifier=bad[0], modifiers=", ".join(sorted(MODIFIERS)))
    if not mods and name in CODE_KEYS:
        return S.KEY_RESERVED.format(key=name)
    if len(name) != 1 and name not in _NAMED:
        close = difflib.get_close_matches(name, sorted(_NAMED), n=1)
        return S.KEY_UNKNOWN.format(key=name) + (S.DID_YOU_MEAN.format(name=close[0]) if close else "")
    return None


def parse_keymap(text: str, filename: str) -> dict[str, str]:
    """A keymap file's ``{binding id: keys}``; raises with every problem located."""
    try:
        node = yaml.compose(text, Loader=COMPOSER)
    except yaml.YAMLError as exc:
        raise error(KEYMAP_UNREADABLE, path=filename, reason=located(*syntax_problem(exc, text=text))) from None
    if node is None:
        return {}
    problems: list[Problem | str] = []
    if not isinstance(node, yaml.MappingNode):
        raise error(KEYMAP_UNREADABLE, path=filename, reason=S.KEYMAP_NOT_MAPPING)
    keymap: dict[str, str] = {}
    lines: dict[str, int] = {}
    ids = [k.value if isinstance(k, yaml.ScalarNode) else None for k, _ in node.value]
    again = repeated(ids)
    for i, (key_node, value_node) in enumerate(node.value):
        line = key_node.start_mark.line + 1
        binding_id = ids[i]
        if binding_id is None:  # a list or a mapping where a binding id belongs
            problems.append(Problem(filename, line, None, S.KEYMAP_ID_NOT_WORD, S.KEYMAP_SEE_HELP))
            continue
        if i in again:
            first = node.value[again[i]][0].start_mark.line + 1
            problems.append(Problem(filename, line, None, S.KEYMAP_TWICE.format(id=binding_id, first=first)))
            continue
        if binding_id not in BY_ID:
            close = difflib.get_close_matches(str(binding_id), list(BY_ID), n=1)
            hint = S.DID_YOU_MEAN.format(name=close[0]).lstrip("; ") if close else S.KEYMAP_SEE_HELP
            problems.append(Problem(filename, line, None, S.KEYMAP_UNKNOWN_ID.format(id=binding_id), hint))
            continue
        if not isinstance(value_node, yaml.ScalarNode) or not str(value_node.value).strip():
            problems.append(Problem(filename, line, None, S.KEYMAP_NOT_KEYS.format(id=binding_id)))
            continue
        keys = [k.strip() for k in str(value_node.value).split(",")]
        bad = [(k, key_problem(k)) for k in keys if key_problem(k)]
        for k, why in bad:
            problems.append(Problem(filename, line, None, S.KEYMAP_BAD_KEY.format(key=k, id=binding_id, why=why)))
        if not bad:
            keymap[binding_id] = ",".join(normalise_key(k) for k in keys)
            lines[binding_id] = line
    problems.extend(_clashes(keymap, lines, filename))
    if problems:
        raise error(KEYMAP_INVALID, problems=problems, path=filename, count=len(problems))
    return keymap


def effective_keys(keymap: dict[str, str]) -> dict[str, list[str]]:
    """Binding id → its keys (normalised), after the user's keymap; caseless scopes in both cases."""
    out = {}
    for a in ACTIONS:
        keys = [k.strip() for k in keymap.get(a.id, a.keys).split(",")]
        if a.scope in CASELESS:
            keys = with_lowercase(keys)
        out[a.id] = [normalise_key(k) for k in keys]
    return out


def textual_keymap(keymap: dict[str, str]) -> dict[str, str]:
    """The user's keymap as Textual applies it: keys of caseless scopes in both cases."""
    return {
        binding_id: ",".join(with_lowercase(keys.split(","))) if BY_ID[binding_id].scope in CASELESS else keys
        for binding_id, keys in keymap.items()
    }


def scope_keys(keymap: dict[str, str], scope: str) -> dict[str, str]:
    """Every key of a scope (after the user's keymap) → its binding id."""
    keys = effective_keys(keymap)
    return {key: a.id for a in ACTIONS if a.scope == scope for key in keys[a.id]}


def _clashes(keymap: dict[str, str], lines: dict[str, int], filename: str) -> list[Problem]:
    keys = effective_keys(keymap)
    problems: list[Problem] = []
    reported: set[tuple[str, str]] = set()
    for group in ACTIVE_TOGETHER:
        owner: dict[str, str] = {}
        for a in active_in(group):
            for k in keys[a.id]:
                other = owner.setdefault(k, a.id)
                pair = tuple(sorted((other, a.id)))
                if other != a.id and pair not in reported:
                    reported.add(pair)  # type: ignore[arg-type]
                    mine = a.id if a.id in keymap else other
                    problems.append(
                        Problem(filename, lines.get(mine), None, S.KEYMAP_CLASH.format(key=k, first=other, second=a.id))
                    )
    return problems


def load_keymap(path: Path | None = None) -> tuple[dict[str, str], QualcodeError | None]:
    """The user's keymap and the error that made us ignore it (if any); never raises."""
    path = path or keymap_path()
    try:
        text = read_settings(path)
    except FileNotFoundError:
        return {}, None
    except OSError as exc:
        return {}, error(KEYMAP_UNREADABLE, path=path, reason=exc.strerror or str(exc))
    except NotUtf8 as exc:
        return {}, error(KEYMAP_UNREADABLE, path=path, reason=str(exc))
    try:
        return parse_keymap(text, str(path)), None
    except QualcodeError as exc:
        return {}, exc
