"""Re-importing an edited transcript: codings follow their text or are detached, never dropped."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from qualcode.cli import main
from qualcode.model import Coding
from qualcode.reanchor import OffsetMap, reanchor

OLD = "I: Hoe begon het?\nR: Via de moskee. Daarna kwam het CJG.\nI: En nu?\nR: Nu werken we samen."


def coding(text: str, quote: str, code: str = "c", nth: int = 0) -> Coding:
    start = -1
    for _ in range(nth + 1):
        start = text.index(quote, start + 1)
    return Coding(1, 1, start, start + len(quote), code, "anna", quote)


def test_reanchor_offset_map_follows_inserted_lines():
    new = "Titel\n\n" + OLD
    mapping = OffsetMap(OLD, new)
    assert mapping(0) == 7
    assert mapping(OLD.index("CJG")) == new.index("CJG")


def test_reanchor_unchanged_text_keeps_everything():
    c = coding(OLD, "Via de moskee.")
    [p] = reanchor(OLD, OLD, [c])
    assert (p.start, p.end, p.how) == (c.start, c.end, "unchanged")


def test_reanchor_moves_codings_with_their_text():
    new = OLD.replace("Hoe begon het?", "Hoe begon het allemaal, vertel eens?")
    c = coding(OLD, "Nu werken we samen.")
    [p] = reanchor(OLD, new, [c])
    assert p.how == "moved"
    assert new[p.start : p.end] == "Nu werken we samen."


def test_reanchor_picks_the_nearest_of_repeated_quotes():
    old = "R: ja.\nR: nee.\nR: ja.\nR: ja."
    new = "Kop\n" + old
    c = coding(old, "ja.", nth=1)
    [p] = reanchor(old, new, [c])
    assert p.start == new.index("ja.", new.index("nee."))


def test_reanchor_rewrapped_quote_matches_by_whitespace():
    new = OLD.replace("Daarna kwam het CJG.", "Daarna kwam\nhet CJG.")
    c = coding(OLD, "Daarna kwam het CJG.")
    [p] = reanchor(OLD, new, [c])
    assert p.how == "whitespace"
    assert new[p.start : p.end] == "Daarna kwam\nhet CJG."


def test_reanchor_deleted_text_is_not_placed():
    new = OLD.replace(" Daarna kwam het CJG.", "")
    c = coding(OLD, "Daarna kwam het CJG.")
    [p] = reanchor(OLD, new, [c])
    assert (p.start, p.how) == (None, "not found")


TURN = "Wij werken al jaren met de moskee en het wijkteam samen, en dat gaat meestal goed."


def test_reanchor_a_coding_edited_inside_keeps_its_place():
    # A typo corrected and a word changed inside a coded turn: it was detached ("text not found").
    old = f"I: Hoe gaat het?\nR: {TURN}\nI: Dank je."
    new = old.replace("jaren", "jaaaren").replace("meestal", "vaak")
    c = coding(old, TURN)
    [p] = reanchor(old, new, [c])
    assert p.how == "edited"
    assert new[p.start : p.end] == TURN.replace("jaren", "jaaaren").replace("meestal", "vaak")


@pytest.mark.parametrize(
    "change",
    [
        ("moskee en het wijkteam samen, en dat gaat meestal", "gemeente"),  # most of it rewritten
        ("Wij werken", "Zij"),  # its first word gone
        ("goed.", "slecht"),  # its last word gone
    ],
)
def test_reanchor_a_coding_mostly_rewritten_or_without_its_ends_is_detached(change):
    old = f"I: Hoe gaat het?\nR: {TURN}\nI: Dank je."
    [p] = reanchor(old, old.replace(*change), [coding(old, TURN)])
    assert (p.start, p.how) == (None, "not found")


def test_reanchor_a_short_coding_edited_inside_is_detached():
    # Three words with one changed may say something else: not ours to keep.
    old = "R: Dat gaat goed.\nI: Ja."
    [p] = reanchor(old, old.replace("gaat", "ging"), [coding(old, "Dat gaat goed")])
    assert p.how == "not found"


@pytest.fixture
def project(tmp_path):
    runner = CliRunner()
    root = tmp_path / "p"
    assert runner.invoke(main, ["init", str(root)]).exit_code == 0
    (root / "transcripts" / "a.txt").write_text(OLD + "\n", encoding="utf-8")
    assert runner.invoke(main, ["--project", str(root), "import", str(root / "transcripts")]).exit_code == 0
    return root


def run(root, *args):
    return CliRunner().invoke(main, ["--project", str(root), "--coder", "anna", *args])


def test_reanchor_cli_reimport_moves_and_detaches(project):
    start = OLD.index("Via de moskee.")
    assert run(project, "code", "a", "voorbeeld", "--span", f"{start}:{start + 14}", "--memo", "m1").exit_code == 0
    start = OLD.index("Daarna kwam het CJG.")
    assert run(project, "code", "a", "voorbeeld", "--span", f"{start}:{start + 20}").exit_code == 0
    new = "Interview 1\n\n" + OLD.replace(" Daarna kwam het CJG.", "") + "\n"
    (project / "transcripts" / "a.txt").write_text(new, encoding="utf-8")
    assert "changed on disk" in run(project, "check").stdout

    preview = run(project, "reimport", "a", "--dry-run")
    assert preview.exit_code == 0
    assert "would move 1, 1 cannot be placed" in preview.stdout
    assert "Daarna" in json.loads(run(project, "codings", "--format", "json").stdout)[1]["text"]  # nothing changed

    result = run(project, "reimport", "a")
    assert result.exit_code == 0, result.output
    assert "moved 1, 1 cannot be placed" in result.stdout
    rows = json.loads(run(project, "codings", "--format", "json").stdout)
    assert [(r["text"], r["memo"]) for r in rows] == [("Via de moskee.", "m1")]
    assert rows[0]["start"] == new.index("Via de moskee.")
    detached = json.loads(run(project, "codings", "--detached", "--format", "json").stdout)
    assert [(d["code"], d["text"]) for d in detached] == [("voorbeeld", "Daarna kwam het CJG.")]
    check = run(project, "check")
    assert check.exit_code == 1
    assert "detached at re-import" in check.stdout
    assert "changed on disk" not in check.stdout
    # The turns follow the new text too.
    assert json.loads(run(project, "transcripts", "--format", "json").stdout)[0]["turns"] == 4
    again = run(project, "reimport", "a")
    assert "unchanged; nothing to do" in again.stdout


def test_reanchor_cli_reimport_refuses_another_transcripts_text(project, tmp_path):
    other = tmp_path / "b.txt"
    other.write_text("R: Iets heel anders.\n", encoding="utf-8")
    assert run(project, "import", str(other)).exit_code == 0
    result = run(project, "reimport", "a", str(other))
    assert result.exit_code == 1
    assert "same text as transcript 'b'" in result.stderr


def test_reanchor_short_quote_whose_word_was_replaced_is_detached_not_moved():
    old = "R: Mijn zoon gaat naar school in de wijk. Op school leert hij veel, zegt de juf."
    new = old.replace("naar school in", "naar college in")
    c = coding(old, "school")  # the first one: its own text is now 'college'
    [p] = reanchor(old, new, [c])
    assert (p.start, p.how) == (None, "not found")  # never the other 'school', a different sentence


def test_reanchor_short_quote_survives_an_edit_next_to_it():
    old = "I: Waar gaat hij heen?\nR: Naar school, elke dag. Daarna voetbal."
    new = old.replace("elke dag", "iedere ochtend")
    [p] = reanchor(old, new, [coding(old, "school")])
    assert new[p.start : p.end] == "school" and p.start == new.index("school")


def test_reanchor_long_quote_of_a_moved_paragraph_is_found():
    quote = "De wijkcoach kent de families en zij kennen haar al jaren."
    old = f"I: Vraag een?\nR: {quote}\nI: Vraag twee?\nR: Antwoord twee."
    new = f"I: Vraag twee?\nR: Antwoord twee.\nI: Nieuwe vraag?\nR: {quote}"
    [p] = reanchor(old, new, [coding(old, quote)])
    assert new[p.start : p.end] == quote


def test_reanchor_cli_reimport_shows_a_coding_edited_inside(project):
    start = OLD.index("Via de moskee. Daarna kwam het CJG.")
    assert run(project, "code", "a", "voorbeeld", "--span", f"{start}:{start + 35}").exit_code == 0
    new = OLD.replace("Daarna kwam het CJG.", "Daarna kwam het Centrum voor Jeugd en Gezin.") + "\n"
    (project / "transcripts" / "a.txt").write_text(new, encoding="utf-8")
    preview = run(project, "reimport", "a", "--dry-run")
    assert "1 edited inside kept" in preview.stdout
    assert (
        "would keep its place, edited inside (CJG -> Centrum voor Jeugd en Gezin): 'Via de moskee. Daarna kwam het CJG.'"
        in preview.output
    )
    result = run(project, "reimport", "a")
    assert result.exit_code == 0, result.output
    assert "keeps its place, edited inside" in result.output
    rows = json.loads(run(project, "codings", "--format", "json").stdout)
    assert [r["text"] for r in rows] == ["Via de moskee. Daarna kwam het Centrum voor Jeugd en Gezin."]
    assert json.loads(run(project, "codings", "--detached", "--format", "json").stdout) == []


def test_reanchor_a_transcript_written_as_one_long_line_keeps_its_codings_after_a_typo():
    # 100,000 words on one line: the word matcher compared every word with every word
    # (hours); past TRIM_OVER words the line's common first and last words align first.
    words = [f"woord{i % 997}" for i in range(100_000)]
    old = "R: " + " ".join(words) + " Via de moskee kwamen de moeders. " + " ".join(words)
    new = old.replace("woord5 woord6 woord7", "woord5 woordzes woord7", 1)
    c = coding(old, "Via de moskee kwamen de moeders.")
    [p] = reanchor(old, new, [c])
    assert p.how == "moved" and new[p.start : p.end] == "Via de moskee kwamen de moeders."
    late = coding(old, "woord996 woord0", nth=150)
    [q] = reanchor(old, new, [late])
    assert new[q.start : q.end] == "woord996 woord0" and q.start == late.start + 2  # 'woordzes' is two letters longer


def test_reanchor_word_pairs_past_the_trim_are_the_matchers_where_the_alignment_is_clear():
    from qualcode.reanchor import TRIM_OVER, _word_pairs

    old = [f"w{i}" for i in range(TRIM_OVER + 500)]  # words that occur once: one right alignment
    new = [*old[:1200], "nieuw", *old[1201:1800], *old[1810:]]
    import difflib

    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    expected = [(b.a + k, b.b + k) for b in matcher.get_matching_blocks() for k in range(b.size)]
    assert list(_word_pairs(old, new)) == expected


@pytest.mark.parametrize(
    ("memo", "draft", "kept"),
    [
        (None, "half af", "half af"),  # only a draft: it is the memo now
        ("eerst", "eerst en meer", "eerst en meer"),  # the draft holds the memo: the draft
        ("eerst", "anders", "eerst\n\nanders"),  # it does not: both
    ],
)
def test_reanchor_a_detached_coding_keeps_the_memo_draft_being_written(project, memo, draft, kept):
    """A memo being written when qualcode stopped went with the coding a re-import detached."""
    from qualcode.project import Project

    start = OLD.index("Daarna kwam het CJG.")
    args = ["code", "a", "voorbeeld", "--span", f"{start}:{start + 20}"] + (["--memo", memo] if memo else [])
    assert run(project, *args).exit_code == 0
    opened = Project.open(project)
    (coding,) = opened.store.codings.find()
    opened.store.codings.keep_draft(coding.id, draft)
    opened.close()
    new = OLD.replace(" Daarna kwam het CJG.", "") + "\n"
    (project / "transcripts" / "a.txt").write_text(new, encoding="utf-8")
    assert run(project, "reimport", "a").exit_code == 0
    detached = json.loads(run(project, "codings", "--detached", "--format", "json").stdout)
    assert [d["memo"] for d in detached] == [kept]
