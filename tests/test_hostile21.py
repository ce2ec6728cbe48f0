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


# --- 2. rewriting interviewer_speakers keeps the comments on its items -----------------------

BLOCK_SETTINGS = (
    "# settings\n"
    "interviewer_speakers:   # who asks the questions\n"
    '  - "i"      # the interviewer\n'
    "  # a note between the items\n"
    "  - interviewer  # the full word\n"
    "codebook: codebooks/codebook.yaml  # the book\n"
)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_adding_an_interviewer_keeps_the_comments_on_the_list_items(runner, small_project, newline):
    from qualcode.cli import main
    from qualcode.project import load_config

    config = small_project.root / "qualcode.yaml"
    config.write_bytes(BLOCK_SETTINGS.replace("\n", newline).encode("utf-8"))
    small_project.close()
    result = runner.invoke(main, ["--project", str(small_project.root), "--coder", "tester", "speakers", "--interviewer", "R"])
    assert result.exit_code == 0, result.output
    written = config.read_bytes().decode("utf-8")
    assert written == BLOCK_SETTINGS.replace("codebook:", '  - "R"\ncodebook:').replace("\n", newline)
    assert load_config(small_project.root).interviewer_speakers == ["i", "interviewer", "R"]


def test_a_list_item_dropped_goes_with_its_own_comment_only(tmp_path):
    from qualcode.project import load_config, set_config_value

    (tmp_path / "qualcode.yaml").write_text(BLOCK_SETTINGS, encoding="utf-8")
    set_config_value(tmp_path, "interviewer_speakers", ["interviewer", "vraag"])
    assert (tmp_path / "qualcode.yaml").read_text(encoding="utf-8") == BLOCK_SETTINGS.replace(
        '  - "i"      # the interviewer\n', ""
    ).replace("codebook:", '  - "vraag"\ncodebook:')
    assert load_config(tmp_path).interviewer_speakers == ["interviewer", "vraag"]
