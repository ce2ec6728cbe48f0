"""Review modes of the coding screen, and what a key means while one is on (no widgets here).

A review mode walks through items that each need a decision: pending suggestions
now; disagreements between coders and pseudonymisation candidates can follow the
same design. While a mode is on, its panel and the footer say so, and the keys
follow one rule, so that a decision can never be mistaken for a code:

* the mode's **decision keys** (a keymap scope, e.g. ``A`` accept, ``X`` reject,
  ``C`` other code) work in either case: ``a`` accepts, whatever code has the
  key ``a`` — a researcher who reads "A accept" and types ``a`` gets what the
  footer says;
* a **code key** on its own does nothing but say how it works in the mode; after
  the mode's "other code" key (``C``) the next code key chooses the code
  (``C`` ``h``: accept with the code whose key is ``h``), Enter or ``C`` again
  opens the code list, Esc goes back;
* every other key (moving, selecting, Esc to stop) works as outside the mode.

:func:`route_key` is that rule as a function of the mode's state and the key.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Mapping


class Route(enum.Enum):
    """What a key does in a review mode."""

    DECISION = "decision"  # a decision key: its binding runs
    CHOOSE_CODE = "choose_code"  # after "other code": this code key picks the code
    CODE_LIST = "code_list"  # after "other code": Enter (or the key again) opens the list
    ABANDON = "abandon"  # after "other code": any other key drops the choice
    CODE_KEY_ALONE = "code_key_alone"  # a code key without the prefix: explained, not applied
    PASS = "pass"  # anything else: as outside the mode


def route_key(
    key: str,
    *,
    decision_keys: Collection[str],
    other_code_keys: Collection[str],
    code_keys: Mapping[str, str],
    reserved: Collection[str],
    awaiting_code: bool,
) -> Route:
    """What ``key`` does in a review mode.

    ``decision_keys`` are the mode's keys in both cases, ``other_code_keys`` the
    ones that start choosing another code, ``code_keys`` the codebook's (key →
    code id), ``reserved`` every key a code could have (lowercase letters and digits).
    """
    if awaiting_code:
        if key in code_keys:
            return Route.CHOOSE_CODE
        if key == "enter" or key in other_code_keys:
            return Route.CODE_LIST
        if key == "escape":
            return Route.PASS  # Esc steps back out of the choice (the screen's back action)
        return Route.ABANDON
    if key in decision_keys:
        return Route.DECISION
    if key in code_keys or key in reserved:
        return Route.CODE_KEY_ALONE
    return Route.PASS
