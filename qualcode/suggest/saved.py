"""Reading back what a suggester saved as JSON (the model's ``meta.json`` and its calibration).

The file may be damaged, cut short or edited by hand: :func:`from_saved` checks every
field against its dataclass's annotation, so that a wrong value is a located
``ValueError`` when the file is read (the caller retrains), never a ``TypeError`` deep
inside a suggestion run.
"""

from __future__ import annotations

import math
import types
import typing
from collections.abc import Callable
from dataclasses import fields
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


def from_saved(cls: type[T], data: object, *, what: str) -> T:
    """``cls(**data)`` for a dataclass read back from JSON, each field's type checked.

    Raises ValueError naming ``what`` and the field that does not fit (a missing one,
    an unknown one, or a value of another type).
    """
    if not isinstance(data, dict):
        raise ValueError(f"{what} is {_kind(data)}, not an object of named values")
    checks = _checks(typing.cast(Any, cls))  # a class is hashable; typeshed says type[T] may not be
    for name, value in data.items():
        check = checks.get(name)
        if check is None:
            raise ValueError(f"{what} has an unknown entry {str(name)[:40]!r}")
        if not check[1](value):
            raise ValueError(f"{what}: {name!r} is {_kind(value)}, not {check[0]}")
    try:
        return cls(**data)
    except TypeError as exc:  # a field without a default is missing
        raise ValueError(f"{what}: {exc}") from None


@cache
def _checks(cls: Any) -> dict[str, tuple[str, Callable[[object], bool]]]:
    """Each field's annotation as a name and a check, worked out once per class (a model's
    calibration has one per code, each with a count per hint: checked at every run)."""
    hints = typing.get_type_hints(cls)
    return {f.name: (_name(hints[f.name]), _check(hints[f.name])) for f in fields(cls) if f.init}


@cache
def _check(hint: Any) -> Callable[[object], bool]:
    """Whether a value read from JSON fits ``hint`` (exact types: JSON makes no subclasses)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is Any:
        return lambda value: True
    if origin in (types.UnionType, typing.Union):
        either = [_check(arg) for arg in args]
        return lambda value: any(check(value) for check in either)
    if hint is type(None):
        return lambda value: value is None
    if hint is float:  # JSON writes 1.0 as 1.0, but a hand-edited file may say 1 (True is no number)
        return lambda value: type(value) is int or (type(value) is float and math.isfinite(value))
    if hint in (int, str, bool):
        return lambda value: type(value) is hint
    if origin is dict:
        key, item = _check(args[0]), _check(args[1])
        return lambda value: isinstance(value, dict) and all(key(k) and item(v) for k, v in value.items())
    if origin is list:
        item = _check(args[0])
        return lambda value: isinstance(value, list) and all(map(item, value))
    kind = origin or hint
    return lambda value: isinstance(value, kind)


def _kind(value: object) -> str:
    shown = repr(value)
    return shown if len(shown) <= 40 else f"a {type(value).__name__}"


def _name(hint: Any) -> str:
    return getattr(hint, "__name__", None) or str(hint).replace("typing.", "")
