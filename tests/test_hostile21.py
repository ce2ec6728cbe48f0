"""Hostile inputs, round 21: what round 20 left open (safe regular expressions refused, comments
lost on rewriting the settings, database connections left to the garbage collector) and a sweep
of file arguments and inputs nobody tried yet."""

from __future__ import annotations

import pytest

# --- 1. a repeat split by a character nothing else in it matches is safe ------------------

SAFE_DELIMITED = [
    r"(?:\d+,)*\d+",
    r"\d+(?:,\d+)*",
    r"(\d+,)*",
    r"(\w+\s)*$",
    r"(?:[a-z]+-)*[a-z]+",
    r"(?:\d+\.)+\d+",
    r"((a+,)*b)*$",
    r"(?i)(?:[a-z]+;)*[0-9]+",
    r"interviewer(?:\s+\d+,)*",
]


@pytest.mark.parametrize("pattern", SAFE_DELIMITED)
def test_a_repeat_whose_rounds_are_split_by_one_character_is_kept(pattern):
    from qualcode.regexsafe import regex_problem

    assert regex_problem(pattern) is None


STILL_BACKTRACKING = [
    r"(?:a+,)*[a,]+x",  # the following repeat matches the comma too: every split is tried
    r"(?:[\d,]+,)*x",  # the comma is matched inside the round as well
    r"(?i)(?:a+A)*x",  # ignoring case, the last letter is matched inside the round
    r"(?i)(?:A+a)*a+x",
    r"(?:\u4e00+[\u4e00-\u4e05])*x",  # characters beyond the usual probes
    r"(?:\d+,?)*x",  # the comma may be left out
    r"(?:a+(?=,),)*x",
    r"(?:\d+,)*[\d,]+x",
]


@pytest.mark.parametrize("pattern", STILL_BACKTRACKING)
def test_a_split_character_matched_elsewhere_is_still_refused(pattern):
    from qualcode.regexsafe import regex_problem

    problem = regex_problem(pattern)
    assert problem is not None and "on a long text" in problem
