"""A coder who is personal data is pseudonymised in pseudonymised exports.

The interviewer often codes the transcripts herself: "interviewer: Jan de Vries" is
written as its pseudonym, so her name as a coder is too (the entity's pseudonym; a
personal attribute's value without one is written as a label of its own, "[persoon A]", numbered
where two coders would otherwise share it). Research-team coders stay as they are;
distinct coders stay distinct. The streamed export writes what the copy writes.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest
from test_pseudonymise_export_names import ORIGINALS, run
from test_pseudonymise_qdpx_stream import _members, stopped  # noqa: F401  # a fixture
from test_pseudonymise_stream import _both, _export, _project

from qualcode.pseudonymise.apply import coder_pseudonyms, pseudonymised_copy
from qualcode.refi.project_export import export_qdpx
from qualcode.store import EmptySource, Store
from qualcode.store.key import EntityRow
from qualcode.store.settings import PROJECT_CREATOR

GUID = "c0de0000-0000-4000-8000-000000000001"
# Who coded besides the fixture's coder0, coder1, ...: the interviewer (an accepted name),
# the respondent twice (a personal attribute without an entity; spelt two ways) and a
# member of the research team.
PERSONAL = ("Jan de Vries", "Noor Hendriks", "noor  HENDRIKS")
TEAM = "anna"
NOT_SHOWN = re.compile(r"Noor|Hendriks", re.IGNORECASE)


def _coders(store: Store) -> None:
    tid = store.transcripts.id_by_name("vol")
    store.transcripts.set_attributes(tid, {"interviewer": "Jan de Vries"})
    text = store.transcripts.text(tid)
    a = text.index("Marieke")
    for coder in (*PERSONAL, TEAM):  # all four code one span: agreement stays countable
        store.codings.add(tid, a - 4, a + 12, "vertrouwen", coder)
    store.codings.add(tid, 0, 2, "doorverwijzing", "Noor Hendriks")
    store.coders.ensure("Jan de Vries", GUID)  # a GUID an import kept
    store.exchange.keep_coding_identities(
        [(tid, a - 4, a + 12, "vertrouwen", "anna", GUID[:-1] + "2", None, "Noor Hendriks")]  # she made the selection
    )
    # Who made a source, a source without text and the project in the tool an import came from.
    store.exchange.keep_transcript_identity(tid, "2024-05-01T10:00:00+00:00", "Noor Hendriks")
    store.exchange.keep_empty_source(EmptySource(GUID[:-1] + "3", "leeg bestand", "2024-05-01T10:00:00+00:00", "Jan de Vries"))
    store.settings.set(PROJECT_CREATOR, "noor  HENDRIKS")


@pytest.fixture
def root(tmp_path, monkeypatch):
    return _project(tmp_path / "studie", monkeypatch, extra=_coders)


def _rows(output: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(output)))


def test_cli_segments_writes_a_coder_who_is_personal_data_as_the_pseudonym(root, tmp_path):
    target = tmp_path / "segments.csv"
    r = run(root, "export", "segments", "--pseudonymise", "-o", str(target))
    assert r.exit_code == 0, r.output
    rows = _rows(target.read_text(encoding="utf-8"))
    assert run(root, "export", "segments", "-o", str(tmp_path / "plain.csv")).exit_code == 0
    plain = _rows((tmp_path / "plain.csv").read_text(encoding="utf-8"))
    interviewer = {row["interviewer"] for row in rows if row["transcript"] == "vol"}
    assert len(interviewer) == 1 and interviewer.pop().startswith("[persoon ")
    coders = {row["coder"] for row in rows}
    # The interviewer as a coder is her pseudonym, the one her attribute gets.
    pseudonym = next(row["interviewer"] for row in rows if row["transcript"] == "vol")
    assert pseudonym in coders
    # The respondent (no entity: her attribute is written "[persoon A]"), two spellings: two coders.
    assert {"[persoon A]", "[persoon A] 2"} <= coders
    assert TEAM in coders and "coder0" in coders  # the research team stays as it is
    assert not any(ORIGINALS.search(c) or NOT_SHOWN.search(c) for c in coders)
    assert len(coders) == len({row["coder"] for row in plain})  # distinct coders stay distinct
    assert sorted(row["coding_id"] for row in rows) == sorted(row["coding_id"] for row in plain)  # none lost
    for coder in PERSONAL:
        assert f"coder '{coder}' is personal data: exported as its pseudonym" in r.output
    assert f"coder '{TEAM}'" not in r.output


@pytest.mark.parametrize("named", ["Jan de Vries", "jan", "PSEUDONYM"])
def test_cli_segments_filter_names_a_renamed_coder_by_name_or_pseudonym(root, tmp_path, named):
    """The researcher knows the coder as Jan de Vries: --coders takes that (or the pseudonym)."""
    everyone = _rows(run(root, "export", "segments", "--pseudonymise").stdout)
    pseudonym = next(row["interviewer"] for row in everyone if row["transcript"] == "vol")
    r = run(root, "export", "segments", "--pseudonymise", "--coders", named.replace("PSEUDONYM", pseudonym))
    assert r.exit_code == 0, r.output
    rows = _rows(r.stdout)
    assert rows and {row["coder"] for row in rows} == {pseudonym}
    assert len(rows) == sum(1 for row in everyone if row["coder"] == pseudonym)
    assert "Jan" not in r.stdout and f"counting the codings of: {pseudonym}" in r.stderr
    unknown = run(root, "export", "segments", "--pseudonymise", "--coders", "Piet")
    listed = next(line for line in unknown.stderr.splitlines() if line.startswith("hint: coders in this project"))
    assert unknown.exit_code == 1 and "no coder 'Piet'" in unknown.stderr and "Jan" not in listed


def test_cli_qdpx_writes_a_coder_who_is_personal_data_as_a_pseudonymous_user(stopped, root, tmp_path):  # noqa: F811
    target = tmp_path / "shared.qdpx"
    # She exports it herself: the project's modifying user is her pseudonym too.
    r = run(root, "export", "qdpx", "-o", str(target), "--pseudonymise", "--coder", "Jan de Vries")
    assert r.exit_code == 0, r.output
    with zipfile.ZipFile(target) as z:
        qde = z.read("project.qde").decode("utf-8")
    users = dict(re.findall(r'<User guid="([^"]+)" name="([^"]+)"', qde))
    names = set(users.values())
    # Every user a source, selection, coding or the project names is one of the file's users.
    assert set(re.findall(r'(?:creatingUser|modifyingUser|creatingUserGUID|modifyingUserGUID)="([^"]+)"', qde)) <= set(users)
    assert {"[persoon A]", "[persoon A] 2", TEAM} <= names
    assert not NOT_SHOWN.search(qde) and "Vries" not in qde
    assert users[GUID].startswith("[persoon ")  # her GUID kept, under her pseudonym
    plain = tmp_path / "plain.qdpx"
    assert run(root, "export", "qdpx", "-o", str(plain)).exit_code == 0
    with zipfile.ZipFile(plain) as z:
        assert len(re.findall(r"<User ", z.read("project.qde").decode("utf-8"))) == len(users)


@pytest.mark.parametrize(
    "filters",
    [{}, {"coders": ["[persoon A] 2", "anna"]}, {"coders": ["[persoon A]"]}, {"codes": ["vertrouwen"]}],
    ids=["all", "renamed-and-team", "renamed", "code"],
)
@pytest.mark.parametrize("form", [{}, {"wide": True}], ids=["long", "wide"])
def test_stream_writes_the_coders_the_copy_writes(root, form, filters):
    project, key, view = _both(root)
    try:
        with pseudonymised_copy(project, key) as copy:
            expected = _export(copy, **form, **filters)
            renamed = copy.pseudonymised.coders
            coders = copy.store.coders.names(), copy.store.codings.coders(), copy.store.codings.coder_counts()
        got = _export(view, **form, **filters)
        streamed = view.store.coders.names(), view.store.codings.coders(), view.store.codings.coder_counts()
    finally:
        key.close()
        project.close()
    assert got == expected
    assert view.store.coder_names == renamed and set(renamed) == set(PERSONAL)
    assert streamed == coders
    assert not NOT_SHOWN.search(got)


def test_stream_writes_the_qdpx_the_copy_writes_with_renamed_coders(stopped, root, tmp_path):  # noqa: F811
    project, key, view = _both(root)
    try:
        with pseudonymised_copy(project, key) as copy:
            export_qdpx(copy, tmp_path / "copy.qdpx", user="anna")
        export_qdpx(view, tmp_path / "stream.qdpx", user="anna")
    finally:
        key.close()
        project.close()
    expected, got = _members(tmp_path / "copy.qdpx"), _members(tmp_path / "stream.qdpx")
    assert [n for n, _ in got] == [n for n, _ in expected]
    for (name, data), (_, want) in zip(got, expected, strict=True):
        assert data == want, name


def test_coder_pseudonyms_renames_only_personal_data_and_keeps_coders_apart():
    entities = [EntityRow(1, "person", "Lotte Verhoeven", "Persoon 3", 3, False)]
    attributes = [{"interviewer": "Karim  Bouzidi", "stad": "Utrecht", "groep": "anna"}]
    renamed = coder_pseudonyms(
        ["lotte verhoeven", "Lotte Verhoeven", "KARIM BOUZIDI", "anna", "Persoon 3 2"], attributes, entities
    )
    assert renamed == {"KARIM BOUZIDI": "[persoon]", "Lotte Verhoeven": "Persoon 3", "lotte verhoeven": "Persoon 3 3"}
    assert coder_pseudonyms(["anna", "bram"], attributes, entities) == {}
