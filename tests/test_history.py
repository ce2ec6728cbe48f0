"""Undo/redo of coding actions over the store, without any UI."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.codebook import parse_codebook
from qualcode.errors import QualcodeError
from qualcode.history import APPLY, MEMO, REMOVE, History
from qualcode.model import Transcript, Turn
from qualcode.store import Store

BOOK = """\
title: t
codes:
  - id: a
    name: Alpha
    key: a
  - id: b
    name: Beta
    key: b
  - id: folder
    name: Folder
    codable: false
    children:
      - id: c
        name: Gamma
        key: c
"""


@pytest.fixture
def setup(tmp_path: Path):
    book, problems = parse_codebook(BOOK)
    assert book is not None, problems
    store = Store(tmp_path / "q.db")
    store.codes.sync(book)
    text = "Eerste zin hier. Tweede zin daar.\nDerde zin."
    tid = store.transcripts.add(Transcript("t", text, [Turn(1, "R", 0, len(text))]))
    yield store, book, tid, History(store, book), tmp_path / "q.db"
    store.close()


def spans(store: Store, tid: int) -> list[tuple[int, int, str, str | None]]:
    return [(c.start, c.end, c.code_id, c.memo) for c in store.codings.find(tid)]


def test_history_apply_undo_redo_roundtrip(setup):
    store, book, tid, history, _ = setup
    change = history.apply(tid, 0, 16, ["a", "b"], "ilse")
    assert change.kind == APPLY and [c.code_id for c in change.added] == ["a", "b"]
    assert spans(store, tid) == [(0, 16, "a", None), (0, 16, "b", None)]
    undone = history.undo()
    assert undone.undo and {c.code_id for c in undone.removed} == {"a", "b"}
    assert spans(store, tid) == []
    redone = history.redo()
    assert [c.id for c in redone.added] == [c.id for c in change.added]  # same ids come back
    assert spans(store, tid) == [(0, 16, "a", None), (0, 16, "b", None)]
    assert store.codings.get(change.added[0].id).coder == "ilse"


def test_history_apply_trims_whitespace_like_the_cli(setup):
    store, _, tid, history, _ = setup
    history.apply(tid, 16, 34, ["a"], "x")  # " Tweede zin daar.\n"
    assert spans(store, tid) == [(17, 33, "a", None)]


def test_history_duplicate_apply_is_not_an_undo_step(setup):
    store, _, tid, history, _ = setup
    history.apply(tid, 0, 16, ["a"], "x")
    again = history.apply(tid, 0, 16, ["a"], "x")
    assert again.added == () and len(again.unchanged) == 1
    assert len(history) == 1
    history.undo()
    assert spans(store, tid) == []  # the one real coding is undone, nothing else touched


def test_history_remove_undo_restores_everything(setup):
    store, _, tid, history, _ = setup
    coding = history.apply(tid, 0, 16, ["a"], "ilse", memo="m1").added[0]
    full_before = store.codings.get(coding.id)
    change = history.remove([coding.id])
    assert change.kind == REMOVE and spans(store, tid) == []
    history.undo()
    assert store.codings.get(coding.id) == full_before
    history.redo()
    assert spans(store, tid) == []


def test_history_memo_undo_redo(setup):
    store, _, tid, history, _ = setup
    coding = history.apply(tid, 0, 16, ["a"], "x").added[0]
    history.set_memo(coding.id, "eerste")
    history.set_memo(coding.id, "tweede")
    assert store.codings.get(coding.id).memo == "tweede"
    change = history.undo()
    assert change.kind == MEMO and change.updated[0].memo == "eerste"
    history.undo()
    assert store.codings.get(coding.id).memo is None
    history.redo()
    history.redo()
    assert store.codings.get(coding.id).memo == "tweede"


def test_history_memo_survives_undo_and_redo_of_its_coding(setup):
    store, _, tid, history, _ = setup
    coding = history.apply(tid, 0, 16, ["a"], "x").added[0]
    history.set_memo(coding.id, "memo")
    history.undo()  # memo
    history.undo()  # apply
    history.redo()  # apply: the coding comes back with its id
    history.redo()  # memo: finds it by that id
    assert store.codings.get(coding.id).memo == "memo"


def test_history_new_action_clears_redo(setup):
    _, _, tid, history, _ = setup
    history.apply(tid, 0, 16, ["a"], "x")
    history.undo()
    assert history.can_redo
    history.apply(tid, 17, 33, ["b"], "x")
    assert not history.can_redo and history.redo() is None


@pytest.mark.parametrize("steps", [100, 150])
def test_history_keeps_at_least_100_steps(setup, steps):
    store, _, tid, history, _ = setup
    for i in range(steps):
        history.apply(tid, i % 30, i % 30 + 3, ["a"], "x") if i < 30 else history.set_memo(
            store.codings.find(tid)[0].id, f"memo {i}"
        )
    for _ in range(100):
        assert history.undo() is not None
    if steps == 100:
        assert spans(store, tid) == [] and history.undo() is None


def test_history_every_step_is_committed(setup):
    store, _, tid, history, path = setup
    other = Store(path)  # a second connection sees each step at once
    history.apply(tid, 0, 16, ["a"], "x")
    assert len(other.codings.find(tid)) == 1
    history.undo()
    assert other.codings.find(tid) == []
    other.close()


def test_history_folder_and_unknown_codes_are_refused_without_a_step(setup):
    store, _, tid, history, _ = setup
    with pytest.raises(QualcodeError, match="folder"):
        history.apply(tid, 0, 16, ["folder"], "x")
    with pytest.raises(QualcodeError, match="unknown code"):
        history.apply(tid, 0, 16, ["a", "nope"], "x")
    assert spans(store, tid) == [] and not history.can_undo  # the 'a' of the failed pair rolled back


def test_history_conflict_from_outside_drops_the_step(setup):
    store, _, tid, history, path = setup
    coding = history.apply(tid, 0, 16, ["a"], "x").added[0]
    other = Store(path)
    other.codings.remove(coding.id)  # e.g. `qualcode uncode --id` in another terminal
    other.close()
    with pytest.raises(QualcodeError, match="cannot undo") as info:
        history.undo()
    assert "outside this session" in info.value.hint
    assert not history.can_undo and not history.can_redo


def detach_all(store: Store, tid: int) -> None:
    from qualcode.reanchor import Placement

    placements = [Placement(c, None, None, "not found") for c in store.codings.find(tid)]
    store.codings.relocate(tid, store.transcripts.text(tid), placements)


def test_history_reattach_undo_detaches_it_again_exactly_and_redo_places_it_again(setup):
    store, _book, tid, history, _ = setup
    store.codings.add(tid, 0, 16, "a", "anna", memo="m")
    detach_all(store, tid)
    (before,) = store.codings.detached(tid)
    change, inserted = history.reattach(before.id, 17, 33)
    assert inserted and [c.quote for c in change.added] == ["Tweede zin daar."]
    assert spans(store, tid) == [(17, 33, "a", "m")] and store.codings.detached(tid) == []
    undone = history.undo()
    assert undone is not None and undone.removed and spans(store, tid) == []
    assert store.codings.detached(tid) == [before]  # the same row: id, old place, quote, dates, reason
    history.redo()
    assert spans(store, tid) == [(17, 33, "a", "m")] and store.codings.detached(tid) == []


def test_history_reattach_onto_the_same_coding_joins_memos_and_undo_parts_them(setup):
    store, _book, tid, history, _ = setup
    store.codings.add(tid, 0, 16, "a", "anna", memo="oud")
    detach_all(store, tid)
    (before,) = store.codings.detached(tid)
    store.codings.add(tid, 17, 33, "a", "anna", memo="nieuw")
    _change, inserted = history.reattach(before.id, 17, 33)
    assert not inserted and len(store.codings.find(tid)) == 1
    assert "oud" in store.codings.find(tid)[0].memo and "nieuw" in store.codings.find(tid)[0].memo
    history.undo()
    assert spans(store, tid) == [(17, 33, "a", "nieuw")] and store.codings.detached(tid) == [before]


def test_history_undo_that_finds_the_coding_there_again_is_a_clear_error(setup):
    store, _book, tid, history, _ = setup
    change = history.apply(tid, 0, 16, ["a"], "anna")
    history.remove([change.added[0].id])
    store.codings.add(tid, 0, 16, "a", "anna")  # another window codes the same span again
    with pytest.raises(QualcodeError) as info:
        history.undo()  # would put the removed coding back: it is there already
    assert info.value.code == "QC310" and "is in the store again" in info.value.message
    assert len(store.codings.find(tid)) == 1
