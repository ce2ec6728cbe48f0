"""What a key a code could have means while a review mode is on (the rule in qualcode.tui.review_mode, no app)."""

from __future__ import annotations

import pytest

from qualcode.tui import keymap
from qualcode.tui.review_mode import Route, route_key

CODE_KEYS = {"a": "afspraken", "c": "capaciteit", "h": "drempels", "1": "rol"}


def route(key: str, awaiting_code: bool = False) -> Route:
    return route_key(key, decision_keys=keymap.scope_keys({}, keymap.REVIEW), code_keys=CODE_KEYS, awaiting_code=awaiting_code)


@pytest.mark.parametrize(
    ("key", "awaiting", "expected"),
    [
        ("a", False, Route.DECISION),  # accept, although a code has the key a
        ("x", False, Route.DECISION),
        ("c", False, Route.DECISION),  # "other code", although a code has the key c
        ("h", False, Route.CODE_KEY_ALONE),  # a code key alone applies nothing
        ("1", False, Route.CODE_KEY_ALONE),
        ("q", False, Route.CODE_KEY_ALONE),  # a letter no code has: explained too
        ("h", True, Route.CHOOSE_CODE),  # C then h
        ("c", True, Route.CHOOSE_CODE),  # C then c: the code with the key c
        ("a", True, Route.CHOOSE_CODE),
        ("q", True, Route.ABANDON),
    ],
)
def test_tui_review_mode_routes_each_key(key, awaiting, expected):
    assert route(key, awaiting) is expected


def test_tui_review_mode_follows_a_rebound_decision_key():
    decisions = keymap.scope_keys({"review_accept": "Y"}, keymap.REVIEW)
    assert route_key("y", decision_keys=decisions, code_keys=CODE_KEYS, awaiting_code=False) is Route.DECISION
    assert route_key("a", decision_keys=decisions, code_keys=CODE_KEYS, awaiting_code=False) is Route.CODE_KEY_ALONE
