"""Pausing Python's cyclic garbage collector around work that makes many objects but no cycles."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_collector() -> Iterator[None]:
    """The cyclic collector off for the duration (reference counting still frees everything).

    For work that creates hundreds of thousands of short-lived objects without
    reference cycles: a suggestion run (its full collections walked the lemma tables,
    a tenth of a rules-only run) or unpickling deduce's lookup tries (~30 % of the load).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
