"""Several real qualcode processes on one project at once: nothing lost, no traceback.

These start ``qualcode`` as separate processes (as a researcher with two terminals,
or a script, would) so that the OS-level locks and SQLite's own locking are what is
tested, not threads inside one interpreter.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from qualcode.project import sample_project_source

pytestmark = pytest.mark.processes


def qualcode(project: Path, *args: str, coder: str = "anna") -> list[str]:
    return [sys.executable, "-m", "qualcode", "--project", str(project), "--coder", coder, *args]


def run_all(commands: list[list[str]]) -> list[subprocess.CompletedProcess]:
    """Start every command at once and wait for all of them."""
    procs = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for c in commands]
    out = []
    for proc, command in zip(procs, commands, strict=True):
        stdout, stderr = proc.communicate(timeout=240)
        out.append(subprocess.CompletedProcess(command, proc.returncode, stdout, stderr))
    return out


@pytest.fixture
def sample(tmp_path) -> Path:
    root = tmp_path / "sample"
    source = sample_project_source()
    for sub in ("codebooks", "transcripts"):
        shutil.copytree(source / sub, root / sub)
    first = subprocess.run(qualcode(root, "transcripts"), capture_output=True, text=True)
    assert first.returncode == 0, first.stderr  # creates the store and imports the sample
    return root


def code_ids(project: Path) -> set[str]:
    book = yaml.safe_load(next((project / "codebooks").glob("*.yaml")).read_text(encoding="utf-8"))
    ids, todo = set(), list(book["codes"])
    while todo:
        code = todo.pop()
        ids.add(code["id"])
        todo.extend(code.get("children") or [])
    return ids


def coding_count(project: Path) -> int:
    result = subprocess.run(qualcode(project, "codings", "--format", "json"), capture_output=True, text=True)
    return len(json.loads(result.stdout))


def test_concurrency_codebook_edits_are_serialised_and_none_is_lost(sample):
    before = coding_count(sample)
    results = run_all(
        [
            qualcode(sample, "codebook", "rename", "eigen_kracht", "ek_new"),
            qualcode(sample, "codebook", "rename", "vertrouwen", "vt_new"),
            qualcode(sample, "codebook", "move", "doorverwijzing_drempels", "--parent", "randvoorwaarden"),
            qualcode(sample, "codebook", "rename", "randvoorwaarden_capaciteit", "capaciteit"),
        ]
    )
    for result in results:
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
    ids = code_ids(sample)
    assert {"ek_new", "vt_new", "capaciteit"} <= ids
    assert not {"eigen_kracht", "vertrouwen", "randvoorwaarden_capaciteit"} & ids
    check = subprocess.run(qualcode(sample, "check"), capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr  # no orphaned codings
    assert coding_count(sample) == before
    moved = subprocess.run(qualcode(sample, "codebook", "show", "--format", "json"), capture_output=True, text=True)
    paths = {row["id"]: row["path"] for row in json.loads(moved.stdout)}
    assert paths["doorverwijzing_drempels"] == "randvoorwaarden/doorverwijzing_drempels"


LOOP = """
import subprocess, sys
base, turns = sys.argv[1:-1], sys.argv[-1].split(",")
for turn in turns:
    for action in (["code"], ["uncode"], ["code"]):  # code, take it back, code again
        args = [a if a != "TURN" else turn for a in base]
        args[args.index("ACTION")] = action[0]
        r = subprocess.run(args, capture_output=True, text=True)
        if r.returncode != 0 or "Traceback" in r.stderr:
            sys.exit(f"{args}: {r.returncode}: {r.stderr}")
"""


def test_concurrency_coding_uncoding_and_exporting_at_once_count_exactly(sample, tmp_path):
    before = coding_count(sample)
    # Four turns: 36 processes, each coder's twelve actions interleaved with the others'.
    turns = ",".join(str(n) for n in range(2, 10, 2))
    writers = [
        [sys.executable, "-c", LOOP, *qualcode(sample, "ACTION", "01", code, "--turn", "TURN", coder=coder), turns]
        for coder, code in (("bea", "vertrouwen_opbouwen"), ("cas", "eigen_kracht_gezin"), ("dirk", "eigen_kracht_gezin"))
    ]
    exports = [qualcode(sample, "export", "segments", "--out", str(tmp_path / f"segments{n}.csv")) for n in range(2)]
    for result in run_all([*writers, *exports]):
        assert result.returncode == 0, result.stderr
    listed = json.loads(subprocess.run(qualcode(sample, "codings", "--format", "json"), capture_output=True, text=True).stdout)
    per_coder = {coder: sum(1 for c in listed if c["coder"] == coder) for coder in ("bea", "cas", "dirk")}
    assert per_coder["bea"] == per_coder["cas"] == per_coder["dirk"] == len(turns.split(","))
    assert len(listed) == before + sum(per_coder.values())
