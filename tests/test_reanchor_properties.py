"""Property: after random edits a coding lands on its own text or is reported — never elsewhere."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcode.model import Coding
from qualcode.reanchor import reanchor

# Every word is unique except the short words below, which recur all over the text:
# a quote made of them can only be told apart from its other occurrences by the
# words around it, which is exactly when a coding could land on the wrong one.
# Recurring words never stand side by side and edits are a few words apart, so
# that what became of each old word is not open to two readings (in "ja ja ja"
# with one "ja" less, no one can say which one went).
REPEATED = ["school", "ja", "de"]
EXAMPLES = 400


@st.composite
def edited(draw):
    """Old words, codings on word spans, edits, and where each old word ended up (or None)."""
    picks = draw(st.lists(st.integers(0, 5), min_size=8, max_size=60))
    words, previous_repeated = [], False
    for i, k in enumerate(picks):
        repeated = k < len(REPEATED) and not previous_repeated
        words.append(REPEATED[k] if repeated else f"woord{i}")
        previous_repeated = repeated
    n = len(words)
    spans = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(1, 4)), min_size=1, max_size=6))
    # Edits on word positions at least three words apart, applied back to front;
    # what they write is always new text.
    positions = draw(st.lists(st.integers(0, n - 1), max_size=6, unique=True))
    spaced = []
    for at in sorted(positions):
        if not spaced or at - spaced[-1] >= 3:
            spaced.append(at)
    kinds = draw(st.lists(st.sampled_from(["replace", "delete", "insert"]), min_size=len(spaced), max_size=len(spaced)))
    edits = [(kind, at, f"nieuw{at}") for kind, at in zip(kinds, spaced, strict=True)]
    return words, [(i, min(n, i + k)) for i, k in spans], sorted(edits, key=lambda e: -e[1])


def apply(words, edits):
    """The new word list and, for every old word, its new index (None if replaced or deleted)."""
    new = [(w, i) for i, w in enumerate(words)]
    for kind, at, word in edits:
        if kind == "replace":
            new[at] = (word, None)
        elif kind == "delete":
            del new[at]
        else:
            new.insert(at, (word, None))
    where = [None] * len(words)
    for index, (_, old) in enumerate(new):
        if old is not None:
            where[old] = index
    return [w for w, _ in new], where


def offsets(words):
    starts, at = [], 0
    for w in words:
        starts.append(at)
        at += len(w) + 1
    return starts


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited())
def test_reanchor_property_a_coding_is_at_its_own_text_or_reported(case):
    words, spans, edits = case
    old_text = " ".join(words)
    new_words, where = apply(words, edits)
    new_text = " ".join(new_words)
    old_starts, new_starts = offsets(words), offsets(new_words)
    codings = []
    for number, (first, stop) in enumerate(spans):
        start = old_starts[first]
        end = old_starts[stop - 1] + len(words[stop - 1])
        codings.append(Coding(number, 1, start, end, "c", "anna", old_text[start:end]))
    for placement, (first, stop) in zip(reanchor(old_text, new_text, codings), spans, strict=True):
        own = [where[i] for i in range(first, stop)]
        around = [where[i] for i in range(max(0, first - 1), min(len(words), stop + 1))]
        untouched = None not in around and around == list(range(around[0], around[0] + len(around)))
        if placement.start is None:
            # Reported as detached: allowed, unless nothing near it was edited.
            assert not untouched, (placement, old_text, new_text)
            continue
        if placement.how == "edited":
            # Edited inside: from its first word to its last, both still there, and the
            # words of it that are left still in their order between them.
            kept = [j for j in own if j is not None]
            assert own[0] is not None and own[-1] is not None, (placement, old_text, new_text)
            assert kept == sorted(kept) and own[0] < own[-1], (placement, old_text, new_text)
            assert placement.start == new_starts[own[0]], (placement, old_text, new_text)
            assert placement.end == new_starts[own[-1]] + len(new_words[own[-1]]), (placement, old_text, new_text)
            continue
        # Placed: then on exactly the words it had, each still there and still adjacent.
        assert None not in own, (placement, old_text, new_text)
        assert own == list(range(own[0], own[0] + len(own))), (placement, old_text, new_text)
        assert placement.start == new_starts[own[0]], (placement, old_text, new_text)
