"""A personal attribute the key has no pseudonym for, in a pseudonymised export.

Before, every such value was written as its category's bare label: "woonplaats: Den Haag"
and "woonplaats: Vlamertinge" both became "[plaats]", so an export could no longer tell
the two places (or two interviewers) apart. Each value now has a label of its own
("[plaats A]", "[plaats B]"), never one of the key's numbered pseudonyms.
"""

from __future__ import annotations

import csv
import io

from pseudo_support import StubDetector
from test_pseudonymise_export_names import accept_all, imported, run

from qualcode.cli import pseudo_cmds

TEXT = "I: Hoe gaat het?\nR: Goed, het buurtteam helpt.\n"
PLACES = {"a": "Den Haag", "b": "Vlamertinge", "c": "Den Haag", "d": "Vlamertinge"}
INTERVIEWERS = {"a": "Lotte Claeys", "b": "Sanne Kuijpers", "c": "lotte  claeys", "d": "Sanne Kuijpers"}


def test_stand_in_pseudonyms_are_letters_apart_from_the_keys_numbers():
    from qualcode.pseudonymise.review import stand_in_pseudonym

    assert [stand_in_pseudonym("place", n) for n in (1, 2, 26, 27, 28, 703)] == [
        "[plaats A]",
        "[plaats B]",
        "[plaats Z]",
        "[plaats AA]",
        "[plaats AB]",
        "[plaats AAA]",
    ]


def test_export_gives_each_unaccepted_attribute_value_its_own_label(tmp_path, monkeypatch):
    root = tmp_path / "studie"
    project = imported(root, {f"{n}.txt": TEXT + f"I: Groep {n}.\n" for n in PLACES})
    store = project.store
    for name, place in PLACES.items():
        tid = store.transcripts.id_by_name(name)
        store.transcripts.set_attributes(tid, {"woonplaats": place, "interviewer": INTERVIEWERS[name], "groep": name})
        store.codings.add(tid, 0, 3, "vertrouwen", "anna")
    project.close()
    monkeypatch.setattr(pseudo_cmds, "load_detector", lambda: StubDetector({}))
    assert run(root, "pseudonymise", "detect").exit_code == 0
    accept_all(root)
    r = run(root, "export", "segments", "--pseudonymise")
    assert r.exit_code == 0, r.output
    rows = {row["groep"]: row for row in csv.DictReader(io.StringIO(r.stdout))}
    places = {g: row["woonplaats"] for g, row in rows.items()}
    interviewers = {g: row["interviewer"] for g, row in rows.items()}
    assert places == {"a": "[plaats A]", "b": "[plaats B]", "c": "[plaats A]", "d": "[plaats B]"}
    assert interviewers == {"a": "[persoon A]", "b": "[persoon B]", "c": "[persoon A]", "d": "[persoon B]"}
    assert not any(n in r.stdout for n in ("Haag", "Vlamertinge", "Lotte", "Sanne", "lotte"))
