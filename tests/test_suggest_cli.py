"""`qualcode suggest` and `qualcode suggestions` through click's runner."""

from __future__ import annotations

import csv
import io
import json
import time

import pytest
from test_suggest_support import make_project

from qualcode.cli import main

BAD_CODEBOOK = """\
title: Test
codes:
  - id: a
    name: A
    hints:
      patterns:
        - [{LOWERR: x}]
"""


@pytest.fixture
def root(tmp_path):
    project = make_project(tmp_path / "studie")
    project.close()
    return tmp_path / "studie"


def run(runner, root, *args):
    return runner.invoke(main, ["--project", str(root), "--coder", "anna", *args])


def listing(runner, root, *args) -> list[dict]:
    result = run(runner, root, "suggestions", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_suggest_cli_suggest_then_list(runner, root):
    result = run(runner, root, "suggest", "--rules-only")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "2 suggestion(s) in 1 transcript(s) (2 by rules): 2 new, 0 already pending; 2 pending in total"
    )
    assert "qualcode suggestions" in result.stderr  # the next step, as a diagnostic
    rows = listing(runner, root)
    assert [(r["code"], r["status"], r["suggester"]) for r in rows] == [("doorverwijzing", "pending", "rules")] * 2
    assert rows[1]["text"] == "De migrantenorganisaties helpen ons."
    assert "organisatie" in rows[1]["reason"]
    table = run(runner, root, "suggestions")
    assert "doorverwijzing" in table.stdout and "reason" in table.stdout
    # The most likely first: two hints in the first suggestion (0.75) beat one (0.5).
    by_score = listing(runner, root, "--order", "score")
    assert [r["score"] for r in by_score] == [0.4375, 0.25]  # two untried hints, one
    assert [r["id"] for r in listing(runner, root, "--order", "position")] == [r["id"] for r in rows]


def test_suggest_cli_accept_reject_and_accept_with_another_code(runner, root):
    run(runner, root, "suggest", "--rules-only")
    first, second = (r["id"] for r in listing(runner, root))
    result = run(runner, root, "suggestions", "accept", str(first))
    assert result.exit_code == 0, result.output
    assert f"accepted suggestion {first} as coding" in result.stdout
    codings = run(runner, root, "codings", "--format", "csv")
    (row,) = list(csv.DictReader(io.StringIO(codings.stdout)))
    assert (row["origin"], row["coder"], row["code"]) == ("suggested", "anna", "doorverwijzing")

    result = run(runner, root, "suggestions", "reject", str(second))
    assert result.exit_code == 0 and f"rejected suggestion {second}" in result.stdout
    assert listing(runner, root) == []
    assert {r["status"] for r in listing(runner, root, "--status", "all")} == {"accepted", "rejected"}
    assert [r["id"] for r in listing(runner, root, "--status", "rejected")] == [second]

    again = run(runner, root, "suggest", "--rules-only")
    assert again.stdout.startswith("0 suggestion(s) in 1 transcript(s): 0 new")  # the rejected one stays rejected


def test_suggest_cli_accept_with_code_option(runner, root):
    run(runner, root, "suggest", "--rules-only")
    first = listing(runner, root)[0]["id"]
    result = run(runner, root, "suggestions", "accept", str(first), "--code", "vertrouwen")
    assert result.exit_code == 0, result.output
    assert ": vertrouwen on int1" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["suggestions", "accept", "999"], "no suggestion with id 999"),
        (["suggestions", "reject", "1", "999"], "no suggestion with id 999"),
        (["suggestions", "accept", "1", "--code", "nope"], "unknown code 'nope'"),
        (["suggestions", "--code", "nope"], "unknown code 'nope'"),
        (["suggestions", "--transcript", "zzz"], "no transcript named 'zzz'"),
    ],
)
def test_suggest_cli_user_errors_without_traceback(runner, root, args, message):
    run(runner, root, "suggest", "--rules-only")
    result = run(runner, root, *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert listing(runner, root, "--status", "all")[0]["status"] == "pending"  # nothing half done


def test_suggest_cli_deciding_twice_is_refused_before_anything_changes(runner, root):
    run(runner, root, "suggest", "--rules-only")
    first, second = (r["id"] for r in listing(runner, root))
    run(runner, root, "suggestions", "reject", str(first))
    result = run(runner, root, "suggestions", "accept", str(second), str(first))
    assert result.exit_code == 1
    assert f"suggestion {first} was already rejected" in result.stderr
    assert [r["id"] for r in listing(runner, root)] == [second]  # second not accepted either


def test_suggest_cli_bad_patterns_are_listed(runner, tmp_path):
    root = tmp_path / "bad"
    make_project(root, codebook=BAD_CODEBOOK).close()
    result = run(runner, root, "suggest")
    assert result.exit_code == 1
    assert "code 'a', pattern 1: token 1: unknown attribute 'LOWERR' (did you mean LOWER?)" in result.stderr
    assert "token pattern(s) in the hints" in result.stderr
    assert "Traceback" not in result.output


def test_suggest_cli_evaluate_prints_a_table_and_writes_csv(runner, tmp_path):
    from test_suggest_review import OTHER, TAART

    text = "".join(f"R: {a} {b}\n" for a, b in zip(TAART, OTHER, strict=False))
    root = tmp_path / "eval"
    project = make_project(
        root, {"a.txt": text, "b.txt": text.replace("R: ", "R: Ja. "), "c.txt": "R: De organisaties helpen.\n"}, config=""
    )
    for name in ("a", "b"):
        tid = project.store.transcripts.id_by_name(name)
        body = project.store.transcripts.text(tid)
        for sentence in TAART:
            start = body.index(sentence)
            project.store.codings.add(tid, start, start + len(sentence), "taart", "anna")
        start = body.index("De bus kwam te laat.")
        project.store.codings.add(tid, start, start + 20, "doorverwijzing", "anna")
    project.close()
    out = tmp_path / "eval.csv"
    result = run(runner, root, "suggest", "--evaluate", "--folds", "3", "--csv", str(out))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["suggester", "code", "coded", "suggested", "tp", "fp", "fn", "precision", "recall", "f1", "kappa"]
    assert any(line.split()[:2] == ["learned", "taart"] for line in lines)
    assert any(line.split()[:2] == ["rules", "micro"] for line in lines)
    assert "learned alone, micro average by threshold" in result.stdout
    assert "2-fold cross-validation by transcript" in result.stderr  # 2 coded transcripts: 2 folds
    assert any(line.split()[:2] == ["combined", "micro"] for line in lines)  # what a run would propose
    assert "top level: every code rolled up to its top-level code" in result.stdout
    assert "at the current settings (suggestion_threshold 0.3" in result.stdout
    assert "learning curve: trained on n coded transcripts, scored on the others (2 draws of n pooled)" in result.stdout
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    taart = next(r for r in rows if r["suggester"] == "learned" and r["code"] == "taart")
    assert int(taart["coded"]) == 20
    rules = next(r for r in rows if r["suggester"] == "rules" and r["code"] == "doorverwijzing")
    assert (rules["coded"], rules["tp"]) == ("2", "0")
    # Named transcripts: only they are scored, each by a model trained on the other coded ones.
    named = run(runner, root, "suggest", "--evaluate", "b")
    assert named.exit_code == 0, named.output
    assert "30 respondent sentences of the 1 transcript(s) named, each scored by a model trained" in named.stderr
    assert any(line.split()[:3] == ["learned", "taart", "10"] for line in named.stdout.splitlines())  # b's, not 20
    assert "learning curve" not in named.stdout
    uncoded = run(runner, root, "suggest", "--evaluate", "c")
    assert uncoded.exit_code == 1
    assert "transcript 'c' has no codings" in uncoded.stderr and "Traceback" not in uncoded.output


def test_suggest_cli_train_reports_codes(runner, tmp_path, monkeypatch):
    from test_suggest_review import OTHER, TAART

    root = tmp_path / "train"
    project = make_project(root, {"a.txt": "".join(f"R: {a} {b}\n" for a, b in zip(TAART, OTHER, strict=False))})
    tid = project.store.transcripts.id_by_name("a")
    body = project.store.transcripts.text(tid)
    for sentence in TAART:
        start = body.index(sentence)
        project.store.codings.add(tid, start, start + len(sentence), "taart", "anna")
    project.close()
    from qualcode.suggest import training

    read = training.labelled_sentences

    def slow(*args, **kwargs):  # reading the coded transcripts is part of what the researcher waits for
        time.sleep(0.5)
        return read(*args, **kwargs)

    monkeypatch.setattr(training, "labelled_sentences", slow)
    result = run(runner, root, "suggest", "--train")
    assert result.exit_code == 0, result.output
    assert "trained the learned model on 20 sentences of 1 transcript(s)" in result.stdout
    taken = float(result.stdout.split(" in ", 1)[1].split(" s", 1)[0])
    assert taken >= 0.5  # the whole training, not only the final model's fit (it said 0.0 s at the end of 22 s)
    assert "taart" in result.stdout
    assert (root / ".qualcode" / "model" / "meta.json").exists()


def test_suggest_cli_train_without_enough_coding_is_a_clear_error(runner, root):
    result = run(runner, root, "suggest", "--train")
    assert result.exit_code == 1
    assert "no code has 8 coded sentences yet" in result.stderr


def test_suggest_cli_option_conflicts(runner, root):
    assert run(runner, root, "suggest", "--evaluate", "--train").exit_code == 2
    assert run(runner, root, "suggest", "--csv", "x.csv").exit_code == 2


def test_suggest_cli_pending_listing_goes_transcript_by_transcript_leaving_out_covered_ones(runner, tmp_path):
    # Pending suggestions are read one transcript at a time: the listing must still be in
    # reading order over all transcripts, and leave out what a coding of the same code covers.
    from test_suggest_support import TRANSCRIPT, span_of

    project = make_project(tmp_path / "studie", {"b.txt": TRANSCRIPT, "a.txt": TRANSCRIPT.replace("mooi", "grijs")})
    store = project.store
    wachtlijst, moeder = "Soms is er een wachtlijst.", "Ik verwijs de moeder door naar het wijkteam."
    for name in ("a", "b"):
        store.suggestions.replace_pending(
            store.transcripts.id_by_name(name),
            [
                (*span_of(project, name, wachtlijst), "doorverwijzing", "rules", 0.5, "wachtlijst"),
                (*span_of(project, name, moeder), "vertrouwen", "rules", 0.9, "moeder"),
            ],
        )
    start, end = span_of(project, "b", moeder)
    store.codings.add(store.transcripts.id_by_name("b"), start, end, "vertrouwen", "anna")  # covers b's second one
    assert store.transcripts.id_by_name("b") < store.transcripts.id_by_name("a")  # b was imported first
    at = {text: span_of(project, "a", text)[0] for text in (wachtlijst, moeder)}
    project.close()
    root = tmp_path / "studie"
    rows = listing(runner, root)
    assert [(r["transcript"], r["start"]) for r in rows] == [("b", at[wachtlijst]), ("a", at[moeder]), ("a", at[wachtlijst])]
    assert [r["score"] for r in listing(runner, root, "--order", "score")] == [0.9, 0.5, 0.5]
    every = listing(runner, root, "--status", "all")  # the covered one too: it is still pending
    assert [(r["transcript"], r["start"]) for r in every] == [(n, at[t]) for n in ("b", "a") for t in (moeder, wachtlijst)]
    assert [r["transcript"] for r in listing(runner, root, "--transcript", "b")] == ["b"]
    empty = run(runner, root, "suggestions", "--transcript", "b", "--code", "vertrouwen")
    assert empty.exit_code == 0 and "no suggestions pending" in empty.stderr


def test_suggest_says_when_a_transcript_has_speakers_but_no_interviewer(runner, tmp_path):
    named = "Lotte Jansen: Werken jullie met de migrantenorganisaties?\nSamira: De migrantenorganisaties helpen ons.\n" * 2
    root = tmp_path / "namen"
    make_project(root, {"teams.txt": named, "gewoon.txt": "I: Hoe?\nR: De migrantenorganisaties helpen ons.\n"}).close()
    result = run(runner, root, "suggest", "--rules-only")
    assert result.exit_code == 0, result.output
    assert "1 transcript(s) have several speakers and no interviewer (teams): their questions are read as answers" in (
        result.stderr
    )
    assert run(runner, root, "speakers", "--interviewer", "Lotte Jansen").exit_code == 0
    again = run(runner, root, "suggest", "--rules-only")
    assert again.exit_code == 0 and "no interviewer" not in again.stderr


def test_store_transcripts_without_interviewer(tmp_path):
    project = make_project(
        tmp_path / "p",
        {
            "a.txt": "Anna: Hoe?\nBert: Zo.\nAnna: En?\nBert: Ja.\n",
            "b.txt": "I: Hoe?\nR: Zo.\n",
            "c.txt": "Anna: Alleen ik.\nAnna: Ja.\n",
        },
    )
    store = project.store
    assert store.transcripts.without_interviewer() == ["a"]
    assert store.transcripts.without_interviewer([store.transcripts.id_by_name("b")]) == []
    project.close()
