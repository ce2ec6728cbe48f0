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
from dataclasses import fields
from typing import Any, TypeVar

T = TypeVar("T")


def from_saved(cls: type[T], data: object, *, what: str) -> T:
    """``cls(**data)`` for a dataclass read back from JSON, each field's type checked.

    Raises ValueError naming ``what`` and the field that does not fit (a missing one,
    an unknown one, or a value of another type).
    """
    if not isinstance(data, dict):
        raise ValueError(f"{what} is {_kind(data)}, not an object of named values")
    hints = typing.get_type_hints(cls)
    names = [f.name for f in fields(cls) if f.init]  # type: ignore[arg-type]  # cls is a dataclass
    unknown = [k for k in data if k not in names]
    if unknown:
        raise ValueError(f"{what} has an unknown entry {str(unknown[0])[:40]!r}")
    for name, value in data.items():
        if not _fits(value, hints[name]):
            raise ValueError(f"{what}: {name!r} is {_kind(value)}, not {_name(hints[name])}")
    try:
        return cls(**data)
    except TypeError as exc:  # a field without a default is missing
        raise ValueError(f"{what}: {exc}") from None


def _fits(value: object, hint: Any) -> bool:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is Any:
        return True
    if origin in (types.UnionType, typing.Union):
        return any(_fits(value, arg) for arg in args)
    if hint is type(None):
        return value is None
    if hint is float:  # JSON writes 1.0 as 1.0, but a hand-edited file may say 1
        return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if origin is dict:
        return isinstance(value, dict) and all(_fits(k, args[0]) and _fits(v, args[1]) for k, v in value.items())
    if origin is list:
        return isinstance(value, list) and all(_fits(v, args[0]) for v in value)
    return isinstance(value, origin or hint)


def _kind(value: object) -> str:
    shown = repr(value)
    return shown if len(shown) <= 40 else f"a {type(value).__name__}"


def _name(hint: Any) -> str:
    return getattr(hint, "__name__", None) or str(hint).replace("typing.", "")
