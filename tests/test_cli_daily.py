"""The CLI for daily use (issue #13 items 12-18): codebooks, detached codings, show, ids,
removing transcripts, options after the command, and one meaning for --out/--force/--where."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import cli_project

from qualcode.cli import main

TRANSCRIPT = """\
Interview met een vrijwilliger

I: Wat verwacht u van het CJG?
R: Wij verwachten dat ze ons serieus nemen. Ze verwijzen ouders soms door naar ons.
Dat werkt goed als we elkaar kennen.
I: En de ouders zelf?
R: De ouders hebben veel eigen kracht. Echt veel kracht.
"""

CODEBOOK = """\
title: Test
codes:
  - id: rol
    name: Rolverwachtingen
    key: r
    children:
      - id: rol_cjg
        name: Van het CJG
        key: c
  - id: kracht
    name: Eigen kracht
    key: k
"""


@pytest.fixture
def project(tmp_path, runner) -> Path:
    return cli_project(
        runner, tmp_path / "studie", CODEBOOK, {"int1.txt": TRANSCRIPT, "attributes.csv": "file,stad\nint1.txt,Utrecht\n"}
    )


def run(runner: CliRunner, project: Path, *args: str, input: str | None = None):
    return runner.invoke(main, ["--project", str(project), "--coder", "anna", *args], input=input)


def ok(result) -> str:
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result.stdout


def fails(result, message: str, code: int = 1) -> str:
    assert result.exit_code == code, result.output
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.output
    return result.stderr


def codings_json(runner, project, *args) -> list[dict]:
    return json.loads(ok(run(runner, project, "codings", "--format", "json", *args)))


# --- #13.12: a second codebook --------------------------------------------------------------------


def qdc_of(runner, project: Path, tmp_path: Path) -> Path:
    qdc = tmp_path / "codeboek.qdc"
    ok(run(runner, project, "codebook", "export", "-o", str(qdc)))
    return qdc


def test_cli_codebook_import_into_new_project_replaces_the_untouched_starter(runner, project, tmp_path):
    qdc = qdc_of(runner, project, tmp_path)
    fresh = tmp_path / "nieuw"
    ok(runner.invoke(main, ["init", str(fresh)]))
    result = runner.invoke(
        main, ["--project", str(fresh), "codebook", "import", str(qdc), "--out", str(fresh / "codebooks" / "codeboek.yaml")]
    )
    assert "removed the unused starter codebook codebooks/codebook.yaml" in ok(result) + result.stderr
    assert sorted(p.name for p in (fresh / "codebooks").iterdir()) == ["codeboek.yaml"]
    listed = ok(runner.invoke(main, ["--project", str(fresh), "codebook", "show", "--format", "json"]))
    assert [c["id"] for c in json.loads(listed)] == ["rol", "rol_cjg", "kracht"]


def test_cli_a_codebook_copied_next_to_the_untouched_starter_is_used(runner, tmp_path):
    fresh = tmp_path / "nieuw"
    ok(runner.invoke(main, ["init", str(fresh)]))
    (fresh / "codebooks" / "mijn.yaml").write_text(CODEBOOK, encoding="utf-8")
    listed = json.loads(ok(runner.invoke(main, ["--project", str(fresh), "codebook", "show", "--format", "json"])))
    assert [c["id"] for c in listed] == ["rol", "rol_cjg", "kracht"]
    # an edited starter is the user's own: then there are two codebooks, and the error says how to pick one
    starter = fresh / "codebooks" / "codebook.yaml"
    starter.write_text(starter.read_text(encoding="utf-8").replace("Mijn codeboek", "Ons codeboek"), encoding="utf-8")
    hint = fails(runner.invoke(main, ["--project", str(fresh), "transcripts"]), "several codebooks")
    assert "qualcode codebook use" in hint
    ok(runner.invoke(main, ["--project", str(fresh), "codebook", "use", "mijn.yaml"]))
    assert 'codebook: "codebooks/mijn.yaml"' in (fresh / "qualcode.yaml").read_text(encoding="utf-8")
    assert (fresh / "qualcode.yaml").read_text(encoding="utf-8").count("codebook:") == 1  # the commented example became the line
    ok(runner.invoke(main, ["--project", str(fresh), "transcripts"]))
    used = ok(runner.invoke(main, ["--project", str(fresh), "codebook", "use"]))
    assert "* codebooks/mijn.yaml" in used and "  codebooks/codebook.yaml" in used
    fails(runner.invoke(main, ["--project", str(fresh), "codebook", "use", "nergens.yaml"]), "is not a codebook of this project")


def test_cli_codebook_import_use_makes_it_the_projects_codebook(runner, project, tmp_path):
    qdc = qdc_of(runner, project, tmp_path)
    other = tmp_path / "ander"
    ok(runner.invoke(main, ["init", str(other)]))
    (other / "codebooks" / "eigen.yaml").write_text(CODEBOOK.replace("Test", "Eigen"), encoding="utf-8")
    (other / "codebooks" / "codebook.yaml").write_text(CODEBOOK.replace("Test", "Tweede"), encoding="utf-8")
    result = runner.invoke(main, ["--project", str(other), "codebook", "import", str(qdc), "--use"])
    ok(result)
    assert "the project's codebook is now codebooks/codeboek.yaml" in result.stderr
    assert (other / "codebooks" / "codeboek.yaml").exists()
    ok(runner.invoke(main, ["--project", str(other), "transcripts"]))


def test_cli_init_with_a_refi_codebook(runner, project, tmp_path):
    qdc = qdc_of(runner, project, tmp_path)
    fresh = tmp_path / "vanqdc"
    assert "with the codebook of codeboek.qdc" in ok(runner.invoke(main, ["init", str(fresh), "--codebook", str(qdc)]))
    assert sorted(p.name for p in (fresh / "codebooks").iterdir()) == ["codeboek.yaml"]
    listed = json.loads(ok(runner.invoke(main, ["--project", str(fresh), "codebook", "show", "--format", "json"])))
    assert [c["id"] for c in listed] == ["rol", "rol_cjg", "kracht"]


def test_cli_switching_codebooks_forgets_unused_codes_and_keeps_used_ones(runner, project):
    ok(run(runner, project, "code", "int1", "kracht", "--turn", "4"))
    (project / "codebooks" / "codebook.yaml").write_text(
        CODEBOOK.replace("  - id: kracht\n    name: Eigen kracht\n    key: k\n", ""), encoding="utf-8"
    )
    (project / "codebooks" / "codebook.yaml").write_text(
        "title: Ander\ncodes:\n  - id: nieuw\n    name: Nieuw\n", encoding="utf-8"
    )
    result = run(runner, project, "transcripts")
    ok(result)
    # rol and rol_cjg had no codings: forgotten silently; kracht's coding is kept and reported
    assert "1 code(s) in the store are no longer in the codebook: kracht" in result.stderr


# --- #13.13: detached codings ----------------------------------------------------------------------


def detach(runner, project) -> None:
    ok(run(runner, project, "code", "int1", "kracht", "--text", "eigen kracht", "--memo", "mooi"))
    source = project / "transcripts" / "int1.txt"
    source.write_text(
        TRANSCRIPT.replace("De ouders hebben veel eigen kracht.", "Ouders kunnen zelf heel veel."), encoding="utf-8"
    )
    result = run(runner, project, "reimport", "int1")
    ok(result)
    assert "coding 1 (kracht) is detached as detached coding 1" in result.stderr


def test_cli_detached_coding_reattaches_with_its_id_memo_and_coder(runner, project):
    detach(runner, project)
    check = fails(run(runner, project, "check"), "1 problem(s)")
    assert "detached coding 1 of 'kracht'" in run(runner, project, "check").stdout
    assert "qualcode codings reattach 1" in run(runner, project, "check").stdout + check
    result = run(runner, project, "codings", "reattach", "1", "--text", "zelf heel veel")
    assert "re-attached detached coding 1 as coding 1: kracht" in ok(result)
    (coding,) = codings_json(runner, project)
    assert (coding["id"], coding["memo"], coding["coder"], coding["text"]) == (1, "mooi", "anna", "zelf heel veel")
    assert "ok:" in ok(run(runner, project, "check"))
    assert codings_json(runner, project, "--detached") == []


def test_cli_detached_coding_joins_an_identical_coding(runner, project):
    detach(runner, project)
    ok(run(runner, project, "code", "int1", "kracht", "--text", "zelf heel veel", "--memo", "eigen"))
    result = run(runner, project, "codings", "reattach", "1", "--text", "zelf heel veel")
    assert "joined coding 2" in ok(result)
    (coding,) = codings_json(runner, project)
    assert coding["memo"] == "eigen\n\nmooi"  # nothing the researcher wrote is lost


def test_cli_detached_coding_errors(runner, project):
    detach(runner, project)
    fails(run(runner, project, "codings", "reattach", "9", "--turn", "1"), "no detached coding with id 9")
    fails(run(runner, project, "codings", "reattach", "1"), "where does detached coding 1")
    fails(run(runner, project, "codings", "reattach", "1", "--text", "bestaat niet"), "is not in 'int1'")
    fails(run(runner, project, "codings", "discard", "7"), "no detached coding with id 7")
    assert len(codings_json(runner, project, "--detached")) == 1  # nothing changed by the failures


def test_cli_detached_coding_reattached_inside_one_turn_never_with_a_speaker_label(runner, project):
    """As the app re-attaches: a span over two turns is refused (it became one coding with the
    next speaker's "I: " inside), a span of only a label too; a turn-edge span is trimmed."""
    detach(runner, project)
    text = TRANSCRIPT.replace("De ouders hebben veel eigen kracht.", "Ouders kunnen zelf heel veel.")
    start = text.index("Dat werkt goed")
    end = text.index("En de ouders zelf?") + len("En de ouders zelf?")
    stderr = fails(run(runner, project, "codings", "reattach", "1", "--span", f"{start}:{end}"), "runs over 2 turns")
    assert "--turn N" in stderr
    label = text.index("I: En de ouders")
    fails(run(runner, project, "codings", "reattach", "1", "--span", f"{label}:{label + 3}"), "holds no transcript text")
    assert len(codings_json(runner, project, "--detached")) == 1  # nothing changed by the refusals
    result = run(runner, project, "codings", "reattach", "1", "--span", f"{start}:{label + 3}")  # up to the label
    ok(result)
    (coding,) = codings_json(runner, project)
    assert coding["text"] == "Dat werkt goed als we elkaar kennen."


def test_cli_discarded_detached_codings_go_to_the_trash_and_come_back(runner, project):
    detach(runner, project)
    result = run(runner, project, "codings", "discard", "--all")
    assert "discarded 1 detached coding(s) of int1" in ok(result)
    assert "qualcode trash restore 1" in result.stderr
    assert "ok:" in ok(run(runner, project, "check"))
    trash = json.loads(ok(run(runner, project, "trash", "--format", "json")))
    assert [(t["id"], t["what"], t["codings"]) for t in trash] == [(1, "detached codings (discard)", 1)]
    ok(run(runner, project, "trash", "restore", "1"))
    assert [d["id"] for d in codings_json(runner, project, "--detached")] == [1]
    assert json.loads(ok(run(runner, project, "trash", "--format", "json"))) == []


# --- #13.14: show ----------------------------------------------------------------------------------


def test_cli_show_lists_numbered_turns_with_offsets_and_codings(runner, project):
    ok(run(runner, project, "code", "int1", "rol_cjg", "--turn", "2", "--memo", "ja"))
    out = ok(run(runner, project, "show", "int1", "--codes"))
    assert out.splitlines()[0] == "int1: 4 turn(s), 1 coding(s)"
    assert "   0  (outside turns)  [0:30]" in out
    start = TRANSCRIPT.index("Wij verwachten")
    end = TRANSCRIPT.index("I: En de")
    assert f"   2  R  [{start}:{end - 1}]" in out
    assert f"      ▸ 1 rol_cjg {start}:{end - 1} (anna) 'Wij verwachten" in out
    assert "memo: 'ja'" in out
    only = ok(run(runner, project, "show", "int1", "--turns", "3-4"))
    assert "   3  I" in only and "   4  R" in only and "   2  R" not in only
    turns = json.loads(ok(run(runner, project, "show", "int1", "--turns", "2", "--codes", "--format", "json")))
    assert [(t["turn"], t["speaker"], t["start"], [c["id"] for c in t["codings"]]) for t in turns] == [(2, "R", start, [1])]
    # the offsets shown are the ones `code --span` takes
    ok(run(runner, project, "code", "int1", "kracht", "--span", f"{turns[0]['start']}:{turns[0]['end']}"))


def test_cli_show_errors(runner, project):
    fails(run(runner, project, "show", "int1", "--turns", "x"), "cannot read --turns 'x'")
    fails(run(runner, project, "show", "int1", "--turns", "5-2"), "cannot read --turns '5-2'")
    fails(run(runner, project, "show", "int1", "--turns", "9"), "has no turn 9")
    fails(run(runner, project, "show", "nergens"), "no transcript named 'nergens'")


# --- #13.15: ids are never reused ------------------------------------------------------------------


def test_cli_coding_ids_are_never_reused(runner, project):
    assert ok(run(runner, project, "code", "int1", "kracht", "--turn", "4")).startswith("coding 1:")
    assert ok(run(runner, project, "code", "int1", "rol_cjg", "--turn", "2")).startswith("coding 2:")
    ok(run(runner, project, "uncode", "--id", "2"))
    ok(run(runner, project, "uncode", "--id", "1"))
    assert ok(run(runner, project, "code", "int1", "kracht", "--turn", "4")).startswith("coding 3:")
    # a removed coding is not gone: the error says where it is, and restoring gives its own id back
    fails(run(runner, project, "memo", "2", "x"), "coding 2 was removed: it is in the trash (item 1, codings (uncode))")
    ok(run(runner, project, "trash", "restore", "1"))
    assert sorted(c["id"] for c in codings_json(runner, project)) == [2, 3]


# --- #13.16: transcripts remove ----------------------------------------------------------------------


def test_cli_transcript_removed_to_the_trash_and_restored_with_everything(runner, project):
    ok(run(runner, project, "code", "int1", "kracht", "--turn", "4", "--memo", "memo blijft"))
    ok(run(runner, project, "code", "int1", "rol_cjg", "--turn", "2"))
    before = codings_json(runner, project)
    result = run(runner, project, "transcripts", "remove", "int")
    assert "removed transcript int1 (2 coding(s)) to the trash as item 1" in ok(result)
    assert json.loads(ok(run(runner, project, "transcripts", "--format", "json"))) == []
    assert "ok: 0 transcript(s)" in ok(run(runner, project, "check"))
    ok(run(runner, project, "trash", "restore", "1"))
    assert codings_json(runner, project) == before
    (listed,) = json.loads(ok(run(runner, project, "transcripts", "--format", "json")))
    assert (listed["transcript"], listed["codings"], listed["stad"]) == ("int1", 2, "Utrecht")
    assert "ok: 1 transcript(s), 2 coding(s)" in ok(run(runner, project, "check"))


def test_cli_restoring_a_transcript_imported_again_is_refused_clearly(runner, project):
    ok(run(runner, project, "transcripts", "remove", "int1"))
    ok(run(runner, project, "import", str(project / "transcripts" / "int1.txt")))
    fails(run(runner, project, "trash", "restore", "1"), "the project holds a transcript with the same name now ('int1')")
    # removing the new one first makes room; the old one comes back with its old codings
    ok(run(runner, project, "transcripts", "remove", "int1"))
    ok(run(runner, project, "trash", "restore", "1"))
    assert [t["transcript"] for t in json.loads(ok(run(runner, project, "transcripts", "--format", "json")))] == ["int1"]


def test_cli_restoring_a_transcript_whose_id_was_taken_gets_a_new_id(runner, project):
    ok(run(runner, project, "code", "int1", "kracht", "--turn", "4"))
    ok(run(runner, project, "transcripts", "remove", "int1"))
    other = project / "transcripts" / "int2.txt"
    other.write_text(TRANSCRIPT.replace("vrijwilliger", "professional"), encoding="utf-8")
    ok(run(runner, project, "import", str(other)))  # takes transcript id 1
    result = run(runner, project, "trash", "restore", "1")
    assert "new ids for rows whose ids were taken meanwhile: transcripts" in ok(result) + result.stderr
    (coding,) = codings_json(runner, project)
    assert (coding["id"], coding["transcript"]) == (1, "int1")


def test_cli_trash_empty_asks_and_unknown_items_are_errors(runner, project):
    ok(run(runner, project, "code", "int1", "kracht", "--turn", "4"))
    ok(run(runner, project, "uncode", "--id", "1"))
    assert run(runner, project, "trash", "empty", input="n\n").exit_code == 1
    assert len(json.loads(ok(run(runner, project, "trash", "--format", "json")))) == 1
    assert "deleted 1 item(s)" in ok(run(runner, project, "trash", "empty", input="y\n"))
    fails(run(runner, project, "trash", "restore", "1"), "nothing in the trash with id 1")
    fails(run(runner, project, "trash", "empty", "5", "--yes"), "nothing in the trash with id 5")


def test_cli_restoring_codings_of_a_removed_transcript_says_what_to_do(runner, project):
    ok(run(runner, project, "code", "int1", "kracht", "--turn", "4"))
    ok(run(runner, project, "uncode", "--id", "1"))  # trash item 1
    ok(run(runner, project, "transcripts", "remove", "int1"))  # trash item 2
    fails(run(runner, project, "trash", "restore", "1"), "restore the transcript first")
    ok(run(runner, project, "trash", "restore", "2", "1"))
    assert [c["id"] for c in codings_json(runner, project)] == [1]


# --- #13.17: --project and --coder after the command ------------------------------------------------


def test_cli_project_and_coder_work_after_the_command(runner, project, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert "int1" in ok(runner.invoke(main, ["transcripts", "--project", str(project)]))
    ok(runner.invoke(main, ["code", "int1", "kracht", "--turn", "4", "--project", str(project), "--coder", "bob"]))
    ok(runner.invoke(main, ["stats", "--project", str(project), "frequencies"]))
    ok(runner.invoke(main, ["codings", "--project", str(project), "--format", "csv"]))
    # given after the command, it wins over the environment variable
    monkeypatch.setenv("QUALCODE_PROJECT", str(tmp_path / "nergens"))
    (coding,) = json.loads(ok(runner.invoke(main, ["codings", "--format", "json", "--project", str(project)])))
    assert coding["coder"] == "bob"


# --- #13.18: consistency --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["export", "segments"],
        ["stats", "frequencies", "--format", "csv"],
        ["stats", "matrix"],
        ["stats", "cooccurrence", "--format", "json"],
        ["codebook", "export"],
        ["export", "qdpx"],
    ],
)
def test_cli_out_never_replaces_a_file_without_force(runner, project, tmp_path, args):
    out = tmp_path / "bestaand"
    out.write_text("van mij\n", encoding="utf-8")
    fails(run(runner, project, *args, "--out", str(out)), "already exists")
    assert out.read_text(encoding="utf-8") == "van mij\n"
    ok(run(runner, project, *args, "-o", str(out), "-f"))
    assert out.read_bytes() != b"van mij\n"


def test_cli_export_qdpx_takes_out_like_every_other_command(runner, project, tmp_path):
    ok(run(runner, project, "export", "qdpx", "--out", str(tmp_path / "a.qdpx")))
    ok(run(runner, project, "export", "qdpx", str(tmp_path / "b.qdpx")))
    assert run(runner, project, "export", "qdpx").exit_code == 2
    assert run(runner, project, "export", "qdpx", str(tmp_path / "c.qdpx"), "-o", str(tmp_path / "d.qdpx")).exit_code == 2


def test_cli_one_format_vocabulary(runner, project, tmp_path):
    a = tmp_path / "a.yaml"
    a.write_text(CODEBOOK, encoding="utf-8")
    b = tmp_path / "b.yaml"
    b.write_text(CODEBOOK.replace("Eigen kracht", "Kracht"), encoding="utf-8")
    assert "renamed" in ok(runner.invoke(main, ["codebook", "diff", str(a), str(b), "--format", "table"]))
    assert json.loads(ok(runner.invoke(main, ["codebook", "diff", str(a), str(b), "--format", "json"])))


@pytest.mark.parametrize("command", [["codings"], ["transcripts"], ["stats", "frequencies"], ["export", "segments"]])
def test_cli_unknown_attribute_in_where_is_an_error_everywhere(runner, project, command):
    stderr = fails(run(runner, project, *command, "--where", "sted=Utrecht"), "no transcript has an attribute 'sted'")
    assert "did you mean 'stad'" in stderr


@pytest.mark.parametrize(
    ("span", "message"),
    [
        ("300:200", "span 300:200 is reversed: its end must come after its start"),
        ("20:20", "span 20:20 is empty"),
        ("-5:10", "span -5:10 starts before the beginning of transcript 'int1'"),
        ("0:99999", "span 0:99999 reaches past the end of transcript 'int1'"),
    ],
)
def test_cli_span_messages_say_what_is_wrong(runner, project, span, message):
    fails(run(runner, project, "code", "int1", "kracht", "--span", span), message)
    fails(run(runner, project, "uncode", "int1", "--span", span), message)


def test_cli_reversed_span_hint_gives_the_span_the_other_way_round(runner, project):
    assert "e.g. 200:300" in fails(run(runner, project, "code", "int1", "kracht", "--span", "300:200"), "reversed")


def test_cli_uncode_with_nothing_to_remove_says_so_plainly(runner, project):
    ok(run(runner, project, "code", "int1", "kracht", "--turn", "4"))
    start = TRANSCRIPT.index("De ouders")
    stderr = fails(run(runner, project, "uncode", "int1", "--span", f"{start}:{start + 10}"), "nothing to remove")
    assert (
        f"no coding of any code lies inside {start}:{start + 10} of 'int1' (1 coding(s) overlap it without lying inside: 1)"
        in stderr
    )
    fails(run(runner, project, "uncode", "int1", "rol_cjg", "--turn", "4"), "no coding of 'rol_cjg' lies inside")
    fails(run(runner, project, "uncode", "int1", "rol_cj", "--turn", "4"), "unknown code 'rol_cj'")
    assert len(codings_json(runner, project)) == 1


def test_cli_code_by_quoted_text(runner, project):
    assert "kracht on int1" in ok(run(runner, project, "code", "int1", "kracht", "--text", "veel  eigen\nkracht"))
    fails(run(runner, project, "code", "int1", "kracht", "--text", "veel"), "occurs 2 times in 'int1'")
    result = run(runner, project, "code", "int1", "kracht", "--turn", "4", "--text", "veel kracht")
    assert "'veel kracht'" in ok(result)


def test_project_set_config_value_keeps_the_rest_of_the_file(tmp_path):
    from qualcode.errors import QualcodeError
    from qualcode.project import load_config, set_config_value

    config = tmp_path / "qualcode.yaml"
    config.write_text(
        "# mijn instellingen\ncodebook: codebooks/a.yaml   # de oude\nsuggestion_threshold: 0.4\n", encoding="utf-8"
    )
    set_config_value(tmp_path, "codebook", "codebooks/b.yaml")
    assert config.read_text(encoding="utf-8") == '# mijn instellingen\ncodebook: "codebooks/b.yaml"\nsuggestion_threshold: 0.4\n'
    assert load_config(tmp_path).codebook == "codebooks/b.yaml"
    (tmp_path / "leeg").mkdir()
    set_config_value(tmp_path / "leeg", "codebook", "codebooks/c d.yaml")  # no file yet: one is made
    assert load_config(tmp_path / "leeg").codebook == "codebooks/c d.yaml"
    config.write_text("codebook: a.yaml\ncodebook: b.yaml\n", encoding="utf-8")
    with pytest.raises(QualcodeError, match="it is not valid now: line 2: 'codebook' is given twice"):
        set_config_value(tmp_path, "codebook", "x.yaml")


def test_cli_codebook_show_counts_a_parent_with_its_sub_codes_as_stats_do(runner, project):
    """`codebook show` said 'Rolverwachtingen 1' where `stats frequencies` and the app's code
    list say 3 codings: its parent rows counted the parent's own codings only, unlabelled."""
    ok(run(runner, project, "code", "int1", "rol", "--turn", "2"))
    ok(run(runner, project, "code", "int1", "rol_cjg", "--text", "Ze verwijzen ouders soms door"))
    ok(run(runner, project, "--coder", "bram", "code", "int1", "rol_cjg", "--turn", "2"))
    shown = {r["id"]: r for r in json.loads(ok(run(runner, project, "codebook", "show", "--format", "json")))}
    assert (shown["rol"]["codings"], shown["rol"]["own"]) == (3, 1)
    assert (shown["rol_cjg"]["codings"], shown["rol_cjg"]["own"]) == (2, 2)
    assert (shown["kracht"]["codings"], shown["kracht"]["own"]) == (0, 0)
    stats = json.loads(ok(run(runner, project, "stats", "frequencies", "--format", "json")))
    assert {c["id"]: c["total"]["codings"] for c in stats["codes"]} == {k: r["codings"] for k, r in shown.items()}
    table = ok(run(runner, project, "codebook", "show")).splitlines()
    assert table[0].split()[4:6] == ["codings", "own"]
    assert next(line for line in table if line.startswith("rol ")).split()[-3:-1] == ["3", "1"]


def test_cli_a_transcript_restored_after_rename_and_merge_codes_comes_back_under_the_new_codes(runner, project):
    """Codings in the trash moved with a rename or merge-codes: restored, they were codings of
    codes that left the codebook (`check` failed, stats counted them under (missing))."""
    ok(run(runner, project, "code", "int1", "rol_cjg", "--turn", "2", "--memo", "van het CJG"))
    ok(run(runner, project, "code", "int1", "rol", "--turn", "2", "--memo", "algemeen"))
    ok(run(runner, project, "code", "int1", "rol_cjg", "--text", "Dat werkt goed"))
    ok(run(runner, project, "code", "int1", "kracht", "--turn", "4"))
    ok(run(runner, project, "transcripts", "remove", "int1"))
    ok(run(runner, project, "codebook", "rename", "kracht", "veerkracht"))
    ok(run(runner, project, "codebook", "merge-codes", "rol_cjg", "--into", "rol"))
    listed = ok(run(runner, project, "trash")).splitlines()
    assert listed[1].split()[:4] == ["1", "transcript", "int1", "3"]  # of 4: the twin became one
    ok(run(runner, project, "trash", "restore", "1"))
    ok(run(runner, project, "check"))  # no coding of a code outside the codebook
    codings = json.loads(ok(run(runner, project, "codings", "--format", "json")))
    assert sorted((c["code"], c["text"][:14], c["memo"]) for c in codings) == [
        ("rol", "Dat werkt goed", None),
        ("rol", "Wij verwachten", "algemeen\n\nvan het CJG"),
        ("veerkracht", "De ouders hebb", None),
    ]


def test_cli_figures_and_exports_say_that_detached_codings_are_left_out(runner, project, tmp_path):
    """A coding a re-import detached is in no figure, row or .qdpx until it is re-attached:
    the counts went down by one with nothing on screen to say why."""
    ok(run(runner, project, "code", "int1", "kracht", "--turn", "4"))
    ok(run(runner, project, "code", "int1", "rol", "--text", "Dat werkt goed als we elkaar kennen."))
    source = project / "transcripts" / "int1.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("Dat werkt goed als we elkaar kennen.\n", ""), "utf-8")
    ok(run(runner, project, "reimport", "int1"))
    said = "1 detached coding(s) (set aside by a re-import: their text changed) are not counted here"
    for args in (("stats", "frequencies"), ("stats", "matrix"), ("stats", "cooccurrence"), ("export", "segments")):
        result = run(runner, project, *args)
        assert result.exit_code == 0 and said in result.stderr, (args, result.stderr)
    assert said not in run(runner, project, "stats", "frequencies", "--coders", "bram").stderr  # not bram's
    assert said not in run(runner, project, "export", "segments", "--code", "kracht").stderr  # nor of that code
    ok(run(runner, project, "--coder", "bram", "code", "int1", "kracht", "--turn", "4"))
    for fmt in ("table", "json"):
        agreement = run(runner, project, "agreement", "--coders", "anna,bram", "--format", fmt)
        assert agreement.exit_code == 0 and said in agreement.stderr, agreement.stderr
    assert said not in run(runner, project, "agreement", "--coders", "anna,bram", "--code", "kracht").stderr
    qdpx = run(runner, project, "export", "qdpx", "-o", str(tmp_path / "s.qdpx"))
    assert qdpx.exit_code == 0 and "1 detached coding(s)" in qdpx.stderr and "are not in the file" in qdpx.stderr
    ok(run(runner, project, "codings", "reattach", "1", "--text", "De ouders hebben veel eigen kracht."))
    assert "detached" not in run(runner, project, "stats", "frequencies").stderr


def test_cli_a_memo_draft_in_the_trash_goes_to_the_twin_its_coding_merges_into(runner, project):
    """merge-codes moving a trashed coding onto its twin dropped the coding's unsaved memo
    draft (the store's own merge gives it to the twin)."""
    from qualcode.store import Store

    ok(run(runner, project, "code", "int1", "rol_cjg", "--turn", "2", "--memo", "van het CJG"))
    ok(run(runner, project, "code", "int1", "rol", "--turn", "2", "--memo", "algemeen"))
    with Store(project / "qualcode.db") as store:
        (cjg,) = [c for c in store.codings.find() if c.code_id == "rol_cjg"]
        store.codings.keep_draft(cjg.id, "van het CJG, half af")
    ok(run(runner, project, "transcripts", "remove", "int1"))
    ok(run(runner, project, "codebook", "merge-codes", "rol_cjg", "--into", "rol"))
    ok(run(runner, project, "trash", "restore", "1"))
    with Store(project / "qualcode.db") as store:
        (rol,) = store.codings.find()
        assert store.codings.draft(rol.id)[0] == "algemeen\n\nvan het CJG, half af"
