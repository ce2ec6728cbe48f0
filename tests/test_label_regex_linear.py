"""Speaker labels with a long run of spaces (a VTT voice tag, a .qdpx turn: no length limit).

The patterns that take "(Lotte)" or "(D66)" off a label tried the spaces before the bracket
from every space of a run, so a label of 100,000 spaces took seconds to import and a 1 MB
one minutes (quadratic); now from the run's start only, with the same result.
"""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from qualcode.model import INTERVIEWER, RESPONDENT, Turn
from qualcode.project import _LABEL_EXTRAS, ProjectConfig
from qualcode.pseudonymise.context import _PARTY, label_names

SPACES = " " * 1_000_000

# The patterns without the look-behind (quadratic): the reference for what is taken off.
_OLD_EXTRAS = re.compile(r"(?:\.?\s*\([^()]*\))?\.?$")
_OLD_PARTY = re.compile(r"\s*\([^()]*\)")


def test_a_role_with_a_megabyte_of_spaces_before_its_bracket_is_still_the_role():
    config = ProjectConfig()
    assert config.role_of("Interviewer" + SPACES + "(Lotte)") == INTERVIEWER
    assert config.role_of("Interviewer" + SPACES + "x") == RESPONDENT


def test_a_label_name_after_a_megabyte_of_spaces_is_found():
    turn = Turn(0, "Respondent" + SPACES + "(Fatima)", 0, 5)
    assert label_names([turn]) == {"Fatima"}
    assert label_names([Turn(0, "Mevrouw Bergkamp" + SPACES + "(D66)" + SPACES, 0, 5)]) == {"Bergkamp"}


@given(st.text(alphabet=" \t\n().aIR", max_size=30))
def test_the_same_is_taken_off_a_label_as_before(label):
    assert _LABEL_EXTRAS.sub("", label) == _OLD_EXTRAS.sub("", label)
    assert _PARTY.sub("", label) == _OLD_PARTY.sub("", label)
