"""What a key means while a review mode is on (the rule in qualcode.tui.review_mode, no app)."""

from __future__ import annotations

import pytest

from qualcode.tui import keymap
from qualcode.tui.review_mode import Route, route_key

CODE_KEYS = {"a": "afspraken", "c": "capaciteit", "h": "drempels", "1": "rol"}


def route(key: str, awaiting_code: bool = False) -> Route:
    return route_key(
        key,
        decision_keys=keymap.scope_keys({}, keymap.REVIEW),
        other_code_keys=keymap.effective_keys({})["review_other_code"],
        code_keys=CODE_KEYS,
        reserved=keymap.CODE_KEYS,
        awaiting_code=awaiting_code,
    )


@pytest.mark.parametrize(
    ("key", "awaiting", "expected"),
    [
        ("A", False, Route.DECISION),
        ("a", False, Route.DECISION),  # accept, although a code has the key a
        ("x", False, Route.DECISION),
        ("c", False, Route.DECISION),  # "other code", although a code has the key c
        ("greater_than_sign", False, Route.DECISION),
        ("h", False, Route.CODE_KEY_ALONE),  # a code key alone applies nothing
        ("1", False, Route.CODE_KEY_ALONE),
        ("q", False, Route.CODE_KEY_ALONE),  # a letter no code has: explained too
        ("right", False, Route.PASS),  # moving works as outside review
        ("escape", False, Route.PASS),
        ("h", True, Route.CHOOSE_CODE),  # C then h
        ("c", True, Route.CHOOSE_CODE),  # C then c: the code with the key c
        ("a", True, Route.CHOOSE_CODE),
        ("C", True, Route.CODE_LIST),  # C twice: the list
        ("enter", True, Route.CODE_LIST),
        ("escape", True, Route.PASS),  # the back action steps out of the choice
        ("greater_than_sign", True, Route.ABANDON),
        ("q", True, Route.ABANDON),
    ],
)
def test_tui_review_mode_routes_each_key(key, awaiting, expected):
    assert route(key, awaiting) is expected
