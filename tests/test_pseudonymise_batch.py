"""Deciding many candidates at once (`accept 1 2 ... N`): the same decisions as one by one, in one transaction."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest
from click.testing import CliRunner
from pseudo_support import StubDetector

from qualcode.cli import main, pseudo_cmds
from qualcode.importing import import_paths
from qualcode.model import ACCEPTED, PENDING, REJECTED
from qualcode.project import Project
from qualcode.pseudonymise import review
from qualcode.pseudonymise.runner import open_key, run_detection
from qualcode.store.key import KEY_NAME

STUB = StubDetector(
    {"Hatice Yilmaz": "person", "Hatice": "person", "Den Haag": "place", "Zwolle": "place", "Kind en Gezin": "organisation"}
)
LINES = (
    "R: Hatice Yilmaz woont in Den Haag, Hatice werkt in Zwolle bij Kind en Gezin.",
    "R: Mevrouw Yilmaz ging van Den Haag naar Zwolle; HATICE belde.",
    "R: In Zwolle en in Den Haag vond Hatice werk, zegt ze, sinds ze vijftien jaar was.",
)


def _project(root, transcripts: int = 12) -> None:
    """Transcripts naming the same people and places again and again, in overlapping ways."""
    (root / "codebooks").mkdir(parents=True)
    (root / "codebooks" / "codebook.yaml").write_text("title: T\ncodes:\n  - id: a\n    name: A\n", encoding="utf-8")
    (root / "transcripts").mkdir()
    files = []
    for i in range(transcripts):
        path = root / "transcripts" / f"int{i:02}.txt"
        body = "\n".join(f"I: Vraag {j}?\n{LINES[(i + j) % len(LINES)]}" for j in range(i % 4 + 2))
        path.write_text(body + "\n", encoding="utf-8")
        files.append(path)
    project = Project(root)
    import_paths(project, files, default_coder="test")
    run_detection(project, STUB)
    project.close()


def _dump(root) -> list[tuple]:
    """The key's candidates, entities and journal, without the times of day."""
    conn = sqlite3.connect(root / KEY_NAME)
    cols = "id, transcript_id, start, end, category, text, source, status, entity_id, decided_by"
    out: list[tuple] = [("C", *r) for r in conn.execute(f"SELECT {cols} FROM candidates ORDER BY id")]
    out += [("E", *r) for r in conn.execute("SELECT id, category, original, pseudonym, number FROM entities ORDER BY id")]
    for jid, action, payload in conn.execute("SELECT id, action, payload FROM journal ORDER BY id"):
        undo = json.loads(payload)
        for c in undo["candidates"]:
            c.pop("decided_at")
            c.pop("created_at")
        out.append(("J", jid, action, json.dumps(undo, sort_keys=True)))
    conn.close()
    return out


@pytest.fixture
def roots(tmp_path):
    """The same project twice: one to decide one candidate at a time, one to decide them all at once."""
    one = tmp_path / "one" / "studie"
    _project(one)
    many = tmp_path / "many" / "studie"
    shutil.copytree(one, many)
    return one, many


def _pending(root) -> list[int]:
    key = open_key(root)
    try:
        return [c.id for c in key.candidates(statuses=[PENDING])]
    finally:
        key.close()


def _decide(root, ids, *, many: bool, reject: bool = False) -> list[review.CandidateDecision]:
    project = Project(root)
    key = open_key(root)
    try:
        if many:
            if reject:
                return review.reject_many(project.store, key, ids, "anna")
            return review.accept_many(project.store, key, ids, "anna")
        one = review.reject if reject else review.accept
        return [one(project.store, key, cid, "anna") for cid in ids]
    finally:
        key.close()
        project.close()


def test_accept_many_stores_every_decision_as_accepting_them_one_by_one(roots):
    one, many = roots
    ids = _pending(one)
    # Every candidate, in an order that revisits names already accepted with an earlier one.
    ids = ids[::2] + ids[1::2]
    assert len(ids) > 100 and ids == [i for i in ids if i in set(_pending(many))]
    singly = _decide(one, ids, many=False)
    together = _decide(many, ids, many=True)
    assert [(d.candidate_ids, d.also, d.entity) for d in together] == [(d.candidate_ids, d.also, d.entity) for d in singly]
    assert _dump(many) == _dump(one)
    dumped = _dump(many)
    statuses = {row[1]: row[8] for row in dumped if row[0] == "C"}
    assert all(statuses[i] == ACCEPTED for i in ids)  # every id given is stored as accepted
    assert [row[2] for row in dumped if row[0] == "J"] == ["accept"] * len(ids)  # one journal entry (one undo) each
    assert sum(d.also for d in together) > 0  # other occurrences followed


def test_reject_many_stores_every_decision_as_rejecting_them_one_by_one(roots):
    one, many = roots
    ids = _pending(one)
    _decide(one, ids, many=False, reject=True)
    _decide(many, ids, many=True, reject=True)
    assert _dump(many) == _dump(one)
    assert {row[8] for row in _dump(many) if row[0] == "C"} == {REJECTED}


@pytest.fixture
def root(roots, monkeypatch):
    monkeypatch.setattr(pseudo_cmds, "load_detector", lambda: STUB)
    return roots[1]


def run(root, *args):
    return CliRunner().invoke(main, ["--project", str(root), "--coder", "anna", *args])


def test_cli_accept_many_ids_tells_each_and_undo_takes_back_the_last(root):
    ids = _pending(root)[:60]
    r = run(root, "pseudonymise", "accept", *map(str, ids))
    assert r.exit_code == 0, r.output
    told = [line.split()[1] for line in r.output.splitlines() if line.startswith("accepted ")]
    assert told == [str(i) for i in ids]
    before_undo = {row[1]: row[8] for row in _dump(root) if row[0] == "C"}
    assert all(before_undo[i] == ACCEPTED for i in ids)
    assert run(root, "pseudonymise", "undo").output.strip() == "undone: accept"
    journal = [row for row in _dump(root) if row[0] == "J"]
    assert len(journal) == len(ids) - 1


@pytest.mark.parametrize("command", ["accept", "reject"])
def test_cli_a_missing_id_among_many_stores_none_of_them(root, command):
    ids = _pending(root)[:5]
    before = _dump(root)
    r = run(root, "pseudonymise", command, *map(str, ids[:3]), "999999", *map(str, ids[3:]))
    assert r.exit_code == 1 and "no candidate with id 999999" in r.output and "Traceback" not in r.output
    assert f"{command}ed" not in r.output  # nothing is told as done: nothing was
    assert _dump(root) == before


def test_cli_reject_says_how_to_reject_every_other_occurrence_at_once(root):
    """'Zwolle' is flagged in every transcript: rejecting one tells the command for all."""
    key = open_key(root)
    try:
        zwolle = [c.id for c in key.candidates(statuses=[PENDING]) if c.text == "Zwolle"]
    finally:
        key.close()
    r = run(root, "pseudonymise", "reject", str(zwolle[0]))
    assert r.exit_code == 0, r.output
    assert f"{len(zwolle) - 1} more pending candidate(s) read 'Zwolle'" in r.stderr
    assert "`qualcode pseudonymise never Zwolle`" in r.stderr
    assert run(root, "pseudonymise", "never", "Zwolle").exit_code == 0
    last = run(root, "pseudonymise", "reject", str(_pending(root)[0]))
    assert "more pending" not in last.stderr or "Zwolle" not in last.stderr
