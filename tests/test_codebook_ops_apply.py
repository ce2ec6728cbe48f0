"""codebook apply: a project follows an updated codebook and keeps every coding."""

from __future__ import annotations

import pytest
from test_refi_support import SMALL_CODEBOOK, coded_project

from qualcode.codebook import load_codebook, read_codebook_text
from qualcode.codebook_ops.apply import plan_apply, run_apply
from qualcode.codebook_ops.maintenance import rename_code
from qualcode.errors import QualcodeError, Report
from qualcode.health import check_project
from qualcode.refi.codebook_xml import codebook_to_qdc
from qualcode.refi.colors import explicit_yaml_colors


@pytest.fixture
def project(tmp_path):
    return coded_project(tmp_path)


def apply(project, path, merges=None):
    plan = plan_apply(project, path, merges or {}, Report())
    result = run_apply(project, plan)
    return plan, result


def test_codebook_ops_apply_renamed_code_with_the_same_guid_keeps_its_codings(project, tmp_path):
    guid = project.codebook.get("rol_cjg").stable_guid
    updated = tmp_path / "nieuw.yaml"
    updated.write_text(
        SMALL_CODEBOOK.replace(
            "      - id: rol_cjg\n        name: Van het CJG\n",
            f"      - id: rol_jeugd\n        name: Van de jeugdzorg\n        guid: {guid}\n",
        ).replace("[rol_cjg, kracht]", "[rol_jeugd, kracht]"),
        encoding="utf-8",
    )
    plan, result = apply(project, updated)
    assert plan.renames == [("rol_cjg", "rol_jeugd", 1)] and plan.removed == []
    assert result.moved == 1
    assert read_codebook_text(project.codebook_path) == read_codebook_text(updated)  # comments and all
    assert project.store.codings.counts_by_code() == {"rol_jeugd": 1, "rol_org": 1, "kracht": 1, "rol": 1}
    assert check_project(project).ok


def test_codebook_ops_apply_removed_code_keeps_its_codings_and_suggests_a_merge(project, tmp_path):
    updated = tmp_path / "nieuw.yaml"
    updated.write_text(
        SMALL_CODEBOOK.replace("  - id: kracht\n", "  - id: veerkracht\n").replace("[rol_cjg, kracht]", "[rol_cjg]"),
        encoding="utf-8",
    )
    plan, result = apply(project, updated)
    assert plan.removed == [("kracht", 1)]
    assert plan.likely == {"kracht": "veerkracht"}  # same name: pointed out, not assumed
    assert project.store.codings.counts_by_code()["kracht"] == 1  # kept
    report = check_project(project)
    assert not report.ok and "kracht" in report.findings[0].message
    # The researcher decides: it was a merge after all.
    plan, result = apply(project, updated, {"kracht": "veerkracht"})
    assert plan.merges == [("kracht", "veerkracht", 1)] and result.moved == 1
    assert check_project(project).ok


def test_codebook_ops_apply_a_qdc_from_another_tool_keeps_ids_keys_and_hints(project, tmp_path):
    book = load_codebook(project.codebook_path)
    book.get("kracht").name = "Eigen kracht (hernoemd in ATLAS.ti)"
    qdc = tmp_path / "terug.qdc"
    # Another tool keeps GUIDs and descriptions but knows nothing of keys or hints.
    qdc.write_bytes(codebook_to_qdc(book).replace(b" key=k]", b"]").replace(b" key=r]", b"]"))
    plan, result = apply(project, qdc)
    assert plan.renames == [] and plan.removed == []
    after = project.codebook
    assert after.get("kracht").name == "Eigen kracht (hernoemd in ATLAS.ti)"
    assert (after.get("kracht").key, after.get("rol").key) == ("k", "r")
    assert after.get("rol").hints.keywords == ["verwachten"]
    assert after.title == "Testcodeboek" and after.version == "2"
    assert project.store.codings.counts_by_code() == {"rol_cjg": 1, "rol_org": 1, "kracht": 1, "rol": 1}


def test_codebook_ops_apply_in_place_edit_after_codebook_rename(project):
    rename_code(project, "kracht", "eigen_kracht")  # pins the GUID in the YAML
    path = project.codebook_path
    # Someone renames the id again by hand, keeping the guid: line; apply follows it.
    path.write_text(
        read_codebook_text(path).replace("id: eigen_kracht", "id: kracht_gezin").replace(", eigen_kracht]", ", kracht_gezin]"),
        encoding="utf-8",
    )
    project.__dict__.pop("codebook", None)
    plan = plan_apply(project, path, {}, Report())
    assert plan.new_text is None and plan.renames == [("eigen_kracht", "kracht_gezin", 1)]
    run_apply(project, plan)
    assert project.store.codings.counts_by_code()["kracht_gezin"] == 1
    assert check_project(project).ok


@pytest.mark.parametrize(
    ("merge", "message"),
    [
        ({"nergens": "kracht"}, "the project has no code 'nergens'"),
        ({"kracht": "nergens"}, "the new codebook has no code 'nergens'"),
        ({"kracht": "map"}, "is a folder"),
    ],
)
def test_codebook_ops_apply_bad_merge_option(project, merge, message):
    with pytest.raises(QualcodeError, match=message):
        plan_apply(project, project.codebook_path, merge, Report())


def test_codebook_ops_apply_invalid_file_changes_nothing(project, tmp_path):
    bad = tmp_path / "kapot.yaml"
    bad.write_text("title: x\ncodes:\n  - id: Niet Geldig\n", encoding="utf-8")
    before = read_codebook_text(project.codebook_path)
    with pytest.raises(QualcodeError):
        plan_apply(project, bad, {}, Report())
    assert read_codebook_text(project.codebook_path) == before


def test_codebook_ops_apply_a_qdc_changes_only_the_lines_that_changed(project, tmp_path):
    """Another tool renamed a code, changed a definition, added, moved and removed codes."""
    book = load_codebook(project.codebook_path)
    book.get("kracht").name = "Veerkracht"
    book.get("rol").include = ["Verwachtingen over taken"]
    vertrouwen = book.get("vertrouwen")
    book.get("map").children.remove(vertrouwen)
    book.get("rol").children.append(vertrouwen)
    from qualcode.codebook import Code

    book.get("map").children.append(Code("nieuw", "Nieuwe code", color="#123456"))
    book.get("rol").children.remove(book.get("rol_org"))
    book.reindex()
    qdc = tmp_path / "terug.qdc"
    qdc.write_bytes(
        codebook_to_qdc(book, explicit_yaml_colors(project.codebook_path) | {"nieuw"})
    )  # the other tool chose a colour
    before = read_codebook_text(project.codebook_path)
    plan, _ = apply(project, qdc)
    assert not plan.rewritten and plan.removed == [("rol_org", 1)]
    after = read_codebook_text(project.codebook_path)
    import difflib

    changed = [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    assert changed == [
        '-    include: [Verwachtingen over taken, "Verwachtingen over houding"]',
        "+    include:",
        "+      - Verwachtingen over taken",
        "-      - id: rol_org",
        "-        name: Van de organisatie",
        "+      - id: vertrouwen",
        "+        name: Vertrouwen",
        "-    name: Eigen kracht",
        "+    name: Veerkracht",
        "-      - id: vertrouwen",
        "-        name: Vertrouwen",
        "+      - id: nieuw",
        "+        name: Nieuwe code",
        "+        color: '#123456'",
        f"+        guid: {book.get('nieuw').stable_guid}",
    ]
    assert "# Een klein codeboek voor de tests." in after and "# ---- kracht ----" in after
    assert project.codebook.get("rol").hints.keywords == ["verwachten"]
