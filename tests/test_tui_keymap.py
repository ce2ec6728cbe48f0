"""The keymap table and the user's keymap file: validation, errors, rebinding."""

from __future__ import annotations

import pytest
from test_tui_support import make_app, open_transcript

from qualcode.errors import QualcodeError
from qualcode.tui import keymap
from qualcode.tui.keymap import ACTIONS, ACTIVE_TOGETHER, effective_keys, load_keymap, parse_keymap


def test_tui_keymap_defaults_have_no_clashes_and_no_code_keys():
    keys = effective_keys({})
    for group in ACTIVE_TOGETHER:
        seen: dict[str, str] = {}
        for action in keymap.active_in(group):
            for key in keys[action.id]:
                assert key not in seen, (key, seen.get(key), action.id)
                seen[key] = action.id
                # A code key only as the lowercase twin of a review mode's letter.
                assert keymap.key_problem(key) is None or (action.scope in keymap.CASELESS and key.upper() in keys[action.id]), (
                    key
                )
    # Every scope is checked in some group, and a mode's suspended bindings belong to that screen.
    assert {a.scope for a in ACTIONS} <= {scope for group in ACTIVE_TOGETHER for scope in group}
    for mode, off in keymap.SUSPENDED.items():
        group = next(g for g in ACTIVE_TOGETHER if mode in g)
        assert {keymap.BY_ID[i].scope for i in off} <= set(group)


def test_tui_keymap_reattach_mode_takes_enter_and_a_clash_with_it_is_reported():
    together = {a.id for a in keymap.active_in((keymap.APP, keymap.CODING, keymap.DOCUMENT, keymap.REATTACH))}
    assert "reattach_here" in together and "pick_codes" not in together  # Enter: one meaning at a time
    assert keymap.suspended_actions(keymap.REATTACH) == {"pick", "review"}  # what the coding screen switches off
    assert "pick_codes" in {a.id for a in keymap.active_in((keymap.APP, keymap.CODING, keymap.DOCUMENT, keymap.REVIEW))}
    with pytest.raises(QualcodeError) as caught:
        parse_keymap('reattach_here: "M"\n', "keymap.yaml")  # M is the memo key of the same screen
    assert any("reattach_here" in str(p) and "memo" in str(p) for p in caught.value.problems)
    with pytest.raises(QualcodeError) as caught:
        parse_keymap('detached_discard: "ctrl+z"\n', "keymap.yaml")  # the list is a dialog over the app's keys
    assert any("undo" in str(p) for p in caught.value.problems)


def test_tui_keymap_review_letters_work_in_either_case_also_after_rebinding():
    assert effective_keys({})["review_accept"] == ["A", "a"]
    assert effective_keys({"review_accept": "Y"})["review_accept"] == ["Y", "y"]
    assert keymap.textual_keymap({"review_accept": "Y", "undo": "ctrl+u"}) == {"review_accept": "Y,y", "undo": "ctrl+u"}
    binding = next(b for b in keymap.bindings(keymap.REVIEW) if b.id == "review_reject")
    assert binding.key == "X,x"
    assert keymap.scope_keys({}, keymap.REVIEW)["c"] == "review_other_code"
    # A review letter whose lowercase twin is a key of the same screen is reported.
    problems = []
    try:
        parse_keymap('review_accept: "N"\n', "keymap.yaml")
    except QualcodeError as exc:
        problems = [str(p) for p in exc.problems]
    assert any("'N'" in p or "'n'" in p for p in problems)


def test_tui_keymap_valid_file(tmp_path):
    path = tmp_path / "keymap.yaml"
    path.write_text('select_turn: "V"\nundo: "ctrl+z, ctrl+u"\nsearch: "?"\nhelp: f1\n', encoding="utf-8")
    keymap_, error = load_keymap(path)
    assert error is None
    assert keymap_ == {"select_turn": "V", "undo": "ctrl+z,ctrl+u", "search": "question_mark", "help": "f1"}


def test_tui_keymap_missing_file_is_no_error(tmp_path):
    assert load_keymap(tmp_path / "nope.yaml") == ({}, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("selct_turn: V\n", ["keymap.yaml:1: unknown binding 'selct_turn' (hint: did you mean 'select_turn'?)"]),
        ("select_turn: d\n", ["keymap.yaml:1: select_turn: 'd' is reserved for code shortcut keys"]),
        ("undo: ctrl+zz\n", ["keymap.yaml:1: undo: unknown key 'zz'"]),
        ("undo: hyperctrl+z\n", ["keymap.yaml:1: undo: unknown modifier 'hyperctrl'"]),
        ("undo: ''\n", ["keymap.yaml:1: 'undo' needs keys"]),
        ("memo: T\n", ["keymap.yaml:1: 'T' is bound to both 'memo' and 'select_turn'"]),
        ("a: b\nredo: [1, 2]\n", ["keymap.yaml:1: unknown binding 'a'", "keymap.yaml:2: 'redo' needs keys"]),
        (
            "[undo, redo]: ctrl+z\n{memo: 1}: m\n",
            ["keymap.yaml:1: a binding id is one word", "keymap.yaml:2: a binding id is one word"],
        ),
    ],
)
def test_tui_keymap_file_problems_are_located(text, expected):
    with pytest.raises(QualcodeError) as info:
        parse_keymap(text, "keymap.yaml")
    problems = [str(p) for p in info.value.problems]
    assert len(problems) == len(expected)
    for problem, start in zip(problems, expected, strict=False):
        assert problem.startswith(start), problem
    assert info.value.code == "QC600" and "using the default keys" in info.value.message


@pytest.mark.parametrize("text", ["undo: [unclosed\n", "- a list\n", "\tundo: x\n"])
def test_tui_keymap_unreadable_yaml(text):
    with pytest.raises(QualcodeError, match="cannot read keymap|problem"):
        parse_keymap(text, "keymap.yaml")


def test_tui_keymap_not_utf8(tmp_path):
    path = tmp_path / "keymap.yaml"
    path.write_bytes(b"undo: \xff\n")
    keymap_, error = load_keymap(path)
    assert keymap_ == {} and error is not None and error.code == "QC601"
    assert "line 1, column 7: not valid UTF-8 (byte 0xff" in error.message


def test_tui_keymap_yaml_error_is_located_on_one_line():
    with pytest.raises(QualcodeError) as info:
        parse_keymap("undo: x\nredo: [unclosed\n", "keymap.yaml")
    assert "line 3, column 1: YAML syntax error: did not find expected ',' or ']'" in info.value.message
    assert "close the '[' opened on line 2 with ']'" in info.value.message and "\n" not in info.value.message


async def test_tui_keymap_file_rebinds_keys(small_project, tmp_path):
    path = tmp_path / "keymap.yaml"
    path.write_text('select_turn: "V"\nselect_sentence: "S"\n', encoding="utf-8")
    app = make_app(small_project, keymap_file=path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "V")
        selection = screen.document.selection
        assert selection is not None and screen.model.text[selection[1] - 9 : selection[1]] == "al jaren."
        await pilot.press("escape", "S")
        assert screen.model.text[slice(*screen.document.selection)] == "Ze kennen mij al jaren."
        await pilot.press("escape", "T")  # the old key does nothing now
        assert screen.document.selection is None


async def test_tui_keymap_errors_are_shown_not_raised(small_project, tmp_path):
    path = tmp_path / "keymap.yaml"
    path.write_text("selct_turn: V\n", encoding="utf-8")
    app = make_app(small_project, keymap_file=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("unknown binding 'selct_turn'" in m and "using the default keys" in m for m in messages)
        screen = await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "T")  # defaults still work
        assert screen.document.selection is not None


def test_tui_keymap_a_binding_given_twice_is_a_located_problem():
    """YAML keeps the last of two equal keys without a word: the keymap says so instead."""
    with pytest.raises(QualcodeError) as info:
        parse_keymap("undo: ctrl+u\nredo: ctrl+y\nundo: ctrl+k\n", "keymap.yaml")
    [problem] = info.value.problems
    assert str(problem).startswith("keymap.yaml:3: 'undo' is given twice (first on line 1)")
