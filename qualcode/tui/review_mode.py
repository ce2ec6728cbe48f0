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
  opens the code list, Esc or another decision key steps back out of the choice;
* every other key (moving, selecting, Esc to stop) works as outside the mode.

:func:`route_key` is that rule for the keys a code could have (lowercase letters
and digits); the others are bindings. The screen routes such a key when its turn
comes in the app's queue, after the keys typed before it have done their work
(see ``CodingScreen.on_key``): routed at once, ``E`` then ``a`` typed fast could
code with ``a`` before review mode was on.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping


class Route(enum.Enum):
    """What a key a code could have does in a review mode."""

    DECISION = "decision"  # the lowercase twin of a decision key: the decision
    CHOOSE_CODE = "choose_code"  # after "other code": this code key picks the code
    ABANDON = "abandon"  # after "other code": a key no code has drops the choice
    CODE_KEY_ALONE = "code_key_alone"  # a code key without the prefix: explained, not applied


def route_key(key: str, *, decision_keys: Mapping[str, str], code_keys: Mapping[str, str], awaiting_code: bool) -> Route:
    """What ``key`` (a lowercase letter or digit) does in a review mode.

    ``decision_keys`` are the mode's keys in both cases (key → binding id),
    ``code_keys`` the codebook's (key → code id). After "other code" a code key
    chooses, even one that is also a decision letter (``C`` ``a``: the code ``a``).
    """
    if awaiting_code:
        return Route.CHOOSE_CODE if key in code_keys else Route.ABANDON
    if key in decision_keys:
        return Route.DECISION
    return Route.CODE_KEY_ALONE
