"""Which codings an analysis or export looks at: ``--code``, ``--transcript``, ``--where``.

A :class:`Selection` is resolved once, against the store and the codebook, with the
user-facing errors (unknown code, transcript, attribute or value) raised here; the
readers in :mod:`.source` then trust it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..codebook import Codebook
from ..errors import UNKNOWN_ATTRIBUTE, UNKNOWN_ATTRIBUTE_VALUE, WHERE_SYNTAX, error
from ..store import CodingFilter, Store
from ..team.coders import resolve_coders
from ..termsafe import normal_name
from .codes import MISSING, missing_codes_with_codings


@dataclass(frozen=True, slots=True)
class Selection:
    """Transcript ids, code ids and coders to include; ``None`` means all of them."""

    transcript_ids: frozenset[int] | None = None
    code_ids: frozenset[str] | None = None
    coders: frozenset[str] | None = None

    @property
    def coding_filter(self) -> CodingFilter:
        """The store's filter for the codings this selection holds."""
        return CodingFilter(self.transcript_ids, self.code_ids, self.coders)

    def wants_transcript(self, tid: int) -> bool:
        return self.transcript_ids is None or tid in self.transcript_ids


ALL = Selection()


def parse_where(values: Iterable[str]) -> list[tuple[str, str]]:
    """``["respondent_type=professional"]`` to ``[("respondent_type", "professional")]``."""
    out = []
    for value in values:
        name, sep, wanted = value.partition("=")
        if not sep or not name.strip():
            raise error(WHERE_SYNTAX, value=value)
        out.append((normal_name(name), normal_name(wanted)))  # as attributes are stored (ingest.attributes)
    return out


def select(
    store: Store,
    codebook: Codebook,
    *,
    codes: Sequence[str] = (),
    transcripts: Sequence[str] = (),
    where: Sequence[str | tuple[str, str]] = (),
    coders: Sequence[str] = (),
) -> Selection:
    """Resolve the user's filters.

    * ``codes``: each code with all its sub-codes; a code that left the codebook (but
      still has codings) by its id; ``(missing)`` for all such codes.
    * ``transcripts``: names, file names, numbers or unique prefixes.
    * ``where``: ``ATTRIBUTE=VALUE``. Conditions on the same attribute are
      alternatives (``type=a`` or ``type=b``); conditions on different attributes
      must all hold.
    * ``coders``: only these coders' codings (exact names, or unique prefixes).
    """
    code_ids: set[str] | None = None
    if codes:
        code_ids = set()
        missing = missing_codes_with_codings(store, codebook)
        for code_id in codes:
            if code_id in codebook:
                code_ids.update([code_id, *(c.id for c in codebook.descendants(code_id))])
            elif code_id == MISSING:
                code_ids.update(missing)
            elif code_id in missing or store.codes.exists(code_id):
                code_ids.add(code_id)
            else:
                from ..coding import check_code  # only for a wrong code: it loads the text helpers

                check_code(codebook, code_id)  # raises "unknown code" with a suggestion

    transcript_ids: set[int] | None = None
    if transcripts:
        from ..coding import resolve_transcript  # only with --transcript: it loads the text helpers

        transcript_ids = {resolve_transcript(store, ref) for ref in transcripts}

    pairs = [w for w in where if isinstance(w, tuple)] + parse_where(w for w in where if isinstance(w, str))
    if pairs:
        matching = _transcripts_where(store, pairs)
        transcript_ids = matching if transcript_ids is None else transcript_ids & matching

    coder_names = frozenset(resolve_coders(store, coders)) if coders else None
    return Selection(
        frozenset(transcript_ids) if transcript_ids is not None else None,
        frozenset(code_ids) if code_ids is not None else None,
        coder_names,
    )


def did_you_mean(wrong: str, known) -> str:
    """``"; did you mean 'x'?"`` for the closest known name, or nothing."""
    close = difflib.get_close_matches(wrong, sorted(known), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _transcripts_where(store: Store, pairs: list[tuple[str, str]]) -> set[int]:
    attributes = store.transcripts.all_attributes()
    tids = set(store.transcripts.names())
    known: dict[str, set[str]] = {}
    for values in attributes.values():
        for name, value in values.items():
            known.setdefault(name, set()).add(value)
    wanted: dict[str, set[str]] = {}
    for name, value in pairs:
        if name not in known:
            raise error(
                UNKNOWN_ATTRIBUTE,
                name=name,
                known=", ".join(sorted(known)) or "none (import an attributes.csv)",
                suggestion=did_you_mean(name, known),
            )
        if value not in known[name]:
            raise error(UNKNOWN_ATTRIBUTE_VALUE, name=name, value=value, values=", ".join(sorted(known[name])))
        wanted.setdefault(name, set()).add(value)
    return {tid for tid in tids if all(attributes.get(tid, {}).get(name) in values for name, values in wanted.items())}
