"""Coders in a project: who coded what, resolving names the user typed, the consensus coder."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

from ..errors import UNKNOWN_CODER, error
from ..store import CoderCount, Store
from ..termsafe import nfc

CONSENSUS_SETTING = "consensus_coder"
DEFAULT_CONSENSUS = "consensus"
BLIND_SETTING = "blind"


def coder_counts(store: Store) -> list[CoderCount]:
    """Codings per coder and transcript, by coder then transcript name."""
    return sorted(store.codings.coder_counts(), key=lambda r: (r.coder.casefold(), r.transcript))


def coders_in(store: Store, transcript_ids=None, coders=None) -> list[str]:
    """The coders with codings in these transcripts (all: None), among ``coders`` if given."""
    found = store.codings.coders(transcript_ids)  # from the index: counting per transcript is slow at scale
    return sorted((c for c in found if coders is None or c in coders), key=str.casefold)


def known_coders(store: Store) -> list[str]:
    """Every coder with at least one coding, sorted."""
    return sorted(store.codings.coders(), key=str.casefold)


def resolve_coders(store: Store, names: Iterable[str]) -> list[str]:
    """The coders named: exactly, or case-insensitively or by a unique prefix (``lotte``); unknown names raise."""
    known = known_coders(store)
    out: list[str] = []
    for raw in names:
        name = nfc(raw.strip())
        if not name:
            continue
        found = match_coder(known, name)
        if found is not None:
            out.append(found)
            continue
        close = difflib.get_close_matches(name, known, n=1)
        raise error(
            UNKNOWN_CODER,
            name=name,
            known=", ".join(known) or "none yet",
            suggestion=f"; did you mean '{close[0]}'?" if close else "",
        )
    return list(dict.fromkeys(out))


def match_coder(known: Sequence[str], name: str) -> str | None:
    """The one coder of ``known`` that ``name`` names: exactly, case aside, or by a unique prefix."""
    if name in known:
        return name
    folded = [k for k in known if k.casefold() == name.casefold()] or [
        k for k in known if k.casefold().startswith(name.casefold())
    ]
    return folded[0] if len(folded) == 1 else None


def split_names(values: Sequence[str]) -> list[str]:
    """``("anna,bram", "cor")`` -> ``["anna", "bram", "cor"]`` (options may repeat or use commas)."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def consensus_coder(store: Store) -> str:
    """The name under which settled disagreements are recorded (a project setting)."""
    return store.settings.get(CONSENSUS_SETTING) or DEFAULT_CONSENSUS


def is_blind(store: Store) -> bool:
    """Blind mode: the project hides other coders' codings in the app and in listings."""
    return store.settings.get(BLIND_SETTING) == "1"


def set_blind(store: Store, on: bool) -> None:
    store.settings.set(BLIND_SETTING, "1" if on else None)
