"""`apply --replace-attributes` and a speaker label named only by an attribute.

"Marieke de Wit: ..." (a Teams or subtitle voice) with ``interviewer: Marieke de Wit``:
the attribute makes her a name of the key during the switch, and the label is replaced.
Before, apply still warned that the label "stays as it is".
"""

from __future__ import annotations

from pseudo_support import StubDetector
from test_pseudonymise_export_names import accept_all, imported, run

from qualcode.cli import pseudo_cmds
from qualcode.project import Project

TEXT = "Marieke de Wit: Hoe gaat het met je?\n\nR: Goed, het buurtteam helpt.\n\nMarieke de Wit: Fijn.\n"
WARNING = "the speaker label 'Marieke de Wit' names someone no accepted name covers"


def _project(tmp_path, monkeypatch):
    root = tmp_path / "studie"
    project = imported(root, {"gesprek.txt": TEXT})
    tid = project.store.transcripts.id_by_name("gesprek")
    project.store.transcripts.set_attributes(tid, {"interviewer": "Marieke de Wit"})
    project.close()
    monkeypatch.setattr(pseudo_cmds, "load_detector", lambda: StubDetector({}))
    assert run(root, "pseudonymise", "detect").exit_code == 0
    accept_all(root)
    return root


def test_apply_does_not_say_a_label_stays_that_the_attributes_replaced(tmp_path, monkeypatch):
    root = _project(tmp_path, monkeypatch)
    r = run(root, "pseudonymise", "apply", "--replace-attributes")
    assert r.exit_code == 0, r.output
    project = Project(root)
    try:
        text = project.store.transcripts.text(project.store.transcripts.id_by_name("gesprek"))
    finally:
        project.close()
    assert "Marieke" not in text
    assert WARNING not in r.output


def test_apply_still_says_a_label_stays_when_nothing_replaces_it(tmp_path, monkeypatch):
    root = _project(tmp_path, monkeypatch)
    r = run(root, "pseudonymise", "apply")
    assert r.exit_code == 0, r.output
    assert WARNING in r.output
