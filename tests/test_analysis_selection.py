"""Resolving --code, --transcript and --where, with clear errors."""

from __future__ import annotations

import pytest
from analysis_fixture import open_project

from qualcode.analysis import select
from qualcode.errors import QualcodeError
from qualcode.project import Project


@pytest.fixture
def project(tmp_path) -> Project:
    p = open_project(tmp_path / "p")
    yield p
    p.close()


def names(project, selection) -> set[str]:
    all_names = project.store.transcripts.names()
    return {all_names[t] for t in selection.transcript_ids}


def test_analysis_selection_code_includes_sub_codes_and_missing_codes(project):
    assert select(project.store, project.codebook, codes=["rol"]).code_ids == {"rol", "rol_org", "rol_prof"}
    assert select(project.store, project.codebook, codes=["oud"]).code_ids == {"oud"}
    assert select(project.store, project.codebook, codes=["(missing)"]).code_ids == {"oud"}
    assert select(project.store, project.codebook).code_ids is None


def test_analysis_selection_where_same_attribute_is_either_value(project):
    assert names(project, select(project.store, project.codebook, where=["type=prof"])) == {"t2", "t3"}
    either = select(project.store, project.codebook, where=["type=prof", "type=org"])
    assert names(project, either) == {"t1", "t2", "t3"}
    both = select(project.store, project.codebook, where=["type=prof"], transcripts=["t2"])
    assert names(project, both) == {"t2"}


@pytest.mark.parametrize(
    ("kwargs", "message", "hint"),
    [
        ({"where": ["typ=prof"]}, "no transcript has an attribute 'typ'", "known attributes: type; did you mean 'type'?"),
        ({"where": ["type=proff"]}, "no transcript has type=proff", "values of type: gemengd, org, prof"),
        ({"where": ["type"]}, "cannot read --where 'type'", "ATTRIBUTE=VALUE"),
        ({"codes": ["roll"]}, "unknown code 'roll'", "did you mean 'rol'"),
        ({"transcripts": ["t9"]}, "no transcript named 't9'", "qualcode transcripts"),
    ],
)
def test_analysis_selection_errors_say_what_exists(project, kwargs, message, hint):
    with pytest.raises(QualcodeError) as exc:
        select(project.store, project.codebook, **kwargs)
    assert message in exc.value.message
    assert hint in exc.value.hint
