"""Benchmark: `export segments` and `stats frequencies --by transcript` at scale.

Builds (once, through the Store API) a project of 1,000 synthetic transcripts
(``benchmarks.corpus``) and 200,000 codings, some of a code that left the
codebook, then times each qualcode command against a baseline in the same run:
ONE raw ``sqlite3`` query + ``csv.writer`` producing the same rows. Each
measurement runs in a fresh child process, so its peak memory is its own:

* time - wall clock of the command itself (imports excluded, best of --repeat);
* peak RSS - ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` of the child
  (everything: interpreter, SQLite page cache, Python heap);
* Python heap peak - ``tracemalloc`` in a separate child run (slower, so not timed).

Two baselines per command:

* **same rows** - the query computes everything qualcode writes. Line numbers
  and coded words need text before an offset or inside a span; SQLite's
  ``substr`` walks UTF-8 from the start of the text for every row, so this
  baseline is slow.
* **lower bound** - the same query without those text-derived columns (they
  are written as constants). It still finds each coding's first and last turn
  with correlated sub-queries, which is what a single query has to do.
* **floor** (segments only) - not even the turn look-ups: just reading the
  codings with their transcript, attributes and code, and writing them - the
  pure I/O cost that any export pays; not the same rows.

The outputs of qualcode and the same-rows baseline are compared cell by cell
(floats to 1e-9) and the result printed. The baseline SQL relies on what the
synthetic project guarantees: a two-level codebook, word-aligned codings within
one turn, single spaces between words (so words = separators + 1).

Usage::

    python -m benchmarks.bench_export [--dir DIR] [--transcripts 1000] [--codings 200000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import random
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MISSING_CODE = "vervallen_code"
WORDS_PER_TRANSCRIPT = 5000


# --- the project ----------------------------------------------------------------------


def build_project(root: Path, n_transcripts: int, n_codings: int, seed: int = 7) -> None:
    """Write codebooks/ and qualcode.db with synthetic transcripts and codings."""
    from benchmarks.corpus import generate_transcript
    from qualcode.codebook import load_codebook
    from qualcode.model import MANUAL, SUGGESTED, Coding, Transcript, Turn
    from qualcode.store import Store

    (root / "codebooks").mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "codebooks" / "samenwerking.yaml", root / "codebooks")
    book = load_codebook(root / "codebooks" / "samenwerking.yaml")
    codes = [c.id for c in book.walk()] + [MISSING_CODE]
    rng = random.Random(seed)
    per_transcript = n_codings // n_transcripts
    with Store(root / "qualcode.db") as store:
        store.codes.sync(book)
        store.codes.ensure(MISSING_CODE, "Vervallen code")  # codings kept, code gone from the codebook
        with store.transaction():
            for i in range(n_transcripts):
                text = generate_transcript(WORDS_PER_TRANSCRIPT, seed * 1_000_003 + i)
                turns, offset = [], 0
                for line in text.split("\n"):
                    if line[:3] in ("I: ", "R: "):
                        role = "interviewer" if line[0] == "I" else "respondent"
                        turns.append(Turn(len(turns) + 1, line[0], offset + 3, offset + len(line), role=role))
                    offset += len(line) + 1
                attributes = {"respondent_type": ("migrantenorganisatie", "professional")[i % 2], "batch": str(i % 10)}
                tid = store.transcripts.add(Transcript(f"synth_{i + 1:04d}", text, turns, attributes))
                answers = [t for t in turns if t.speaker == "R"]
                seen = set()
                while len(seen) < per_transcript:
                    turn = rng.choice(answers)
                    words = [m.span() for m in re.finditer(r"\S+", text[turn.start : turn.end])]
                    a = rng.randrange(len(words))
                    b = min(len(words) - 1, a + rng.randrange(3, 40))
                    start, end = turn.start + words[a][0], turn.start + words[b][1]
                    code = rng.choice(codes) if rng.random() > 0.01 else MISSING_CODE
                    if (start, end, code) in seen:
                        continue
                    seen.add((start, end, code))
                    store.codings.restore(
                        Coding(
                            None, tid, start, end, code, rng.choice(("anna", "bram", "chen")), text[start:end],
                            memo="memo" if rng.random() < 0.1 else None,
                            origin=SUGGESTED if rng.random() < 0.2 else MANUAL,
                            created_at="2024-05-01T10:00:00+00:00", updated_at="2024-05-01T10:00:00+00:00",
                        )
                    )  # fmt: skip


# --- baselines ----------------------------------------------------------------------


def _lines(offset_sql: str) -> str:
    prefix = f"substr(t.text, 1, {offset_sql})"
    return f"length({prefix}) - length(replace({prefix}, char(10), '')) + 1"


def segments_sql(attributes: list[str], lower_bound: bool, floor: bool = False) -> str:
    """One query for the long export's rows (two-level codebook).

    ``floor`` leaves out the turn look-ups too: only reading and writing the rows.
    """
    joins = "".join(
        f" LEFT JOIN attributes a{i} ON a{i}.transcript_id = c.transcript_id AND a{i}.name = '{name}'"
        for i, name in enumerate(attributes)
    )
    attrs = "".join(f"a{i}.value, " for i in range(len(attributes)))
    lines = "0, 0" if lower_bound else f"{_lines('c.start')}, {_lines('c.end - 1')}"
    overlapping = "FROM turns u WHERE u.transcript_id = c.transcript_id AND u.end > c.start AND u.start < c.end"
    if floor:
        return f"""
        SELECT c.id, t.name, {attrs} NULL, NULL, NULL, NULL, NULL, NULL, c.start, c.end, 0, 0, c.code_id,
               CASE WHEN k.in_codebook = 0 THEN '(missing)/' || k.id
                    WHEN k.parent_id IS NULL THEN k.id ELSE k.parent_id || '/' || k.id END,
               k.name, c.coder, c.origin, c.memo, c.quote, c.created_at
        FROM codings c JOIN transcripts t ON t.id = c.transcript_id JOIN codes k ON k.id = c.code_id{joins}
        ORDER BY t.name, c.start, c.end, c.code_id
        """
    return f"""
        SELECT c.id, t.name, {attrs}
               f.speaker, f.role, f.idx, l.idx, f.time_start, l.time_end, c.start, c.end, {lines},
               c.code_id,
               CASE WHEN k.in_codebook = 0 THEN '(missing)/' || k.id
                    WHEN k.parent_id IS NULL THEN k.id ELSE k.parent_id || '/' || k.id END,
               k.name, c.coder, c.origin, c.memo, c.quote, c.created_at
        FROM codings c
        JOIN transcripts t ON t.id = c.transcript_id
        JOIN codes k ON k.id = c.code_id{joins}
        LEFT JOIN turns f ON f.transcript_id = c.transcript_id AND f.idx = (SELECT min(u.idx) {overlapping})
        LEFT JOIN turns l ON l.transcript_id = c.transcript_id AND l.idx = (SELECT max(u.idx) {overlapping})
        ORDER BY t.name, c.start, c.end, c.code_id
    """


def frequencies_sql(lower_bound: bool) -> str:
    """One query for `stats frequencies --by transcript --long` (two-level codebook)."""
    piece = "substr(t.text, m.s + 1, m.e - m.s)"
    words = "0" if lower_bound else f"length({piece}) - length(replace(replace({piece}, ' ', ''), char(10), '')) + 1"
    return f"""
        WITH
        used_missing AS (SELECT k.id, k.name FROM codes k WHERE k.in_codebook = 0
                         AND EXISTS (SELECT 1 FROM codings c WHERE c.code_id = k.id)),
        codelist(id, path, name, depth, ord) AS (
            SELECT id, CASE WHEN parent_id IS NULL THEN id ELSE parent_id || '/' || id END, name,
                   parent_id IS NOT NULL, position FROM codes WHERE in_codebook = 1
            UNION ALL SELECT '(missing)', '(missing)', '(missing from the codebook)', 0, 1e9
                      WHERE EXISTS (SELECT 1 FROM used_missing)
            UNION ALL SELECT id, '(missing)/' || id, name, 1, 1e9 + 1 FROM used_missing),
        closure(code_id, target) AS (
            SELECT id, id FROM codes
            UNION ALL SELECT id, parent_id FROM codes WHERE in_codebook = 1 AND parent_id IS NOT NULL
            UNION ALL SELECT id, '(missing)' FROM codes WHERE in_codebook = 0),
        spans AS (
            SELECT x.target AS code, c.transcript_id AS tid, c.start, c.end,
                   max(c.end) OVER (PARTITION BY x.target, c.transcript_id ORDER BY c.start, c.end
                                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
            FROM codings c JOIN closure x ON x.code_id = c.code_id),
        islands AS (
            SELECT code, tid, start, end,
                   sum(reach IS NULL OR start >= reach) OVER (PARTITION BY code, tid ORDER BY start, end
                                                              ROWS UNBOUNDED PRECEDING) AS island
            FROM spans),
        merged AS (SELECT code, tid, count(*) AS n, min(start) AS s, max(end) AS e
                   FROM islands GROUP BY code, tid, island),
        measures AS (
            SELECT m.code, m.tid, sum(m.n) AS codings, count(*) AS segments, sum(m.e - m.s) AS chars,
                   sum({words}) AS words
            FROM merged m JOIN transcripts t ON t.id = m.tid GROUP BY m.code, m.tid)
        SELECT cl.id, cl.path, cl.name, cl.depth, t.name, 1, t.words,
               coalesce(ms.codings, 0), coalesce(ms.segments, 0), ms.code IS NOT NULL,
               CASE WHEN ms.code IS NULL THEN 0.0 ELSE 1.0 END,
               coalesce(ms.words, 0), coalesce(ms.chars, 0),
               CASE WHEN t.words THEN round(coalesce(ms.words, 0) * 1.0 / t.words, 4) END
        FROM codelist cl CROSS JOIN transcripts t
        LEFT JOIN measures ms ON ms.code = cl.id AND ms.tid = t.id
        ORDER BY cl.ord, cl.id, t.name
    """


SEGMENT_HEADER_FIXED = ["coding_id", "transcript"]


def run_baseline(task: str, root: Path, out: Path, mode: str) -> None:
    from qualcode.analysis.frequencies import MEASURES
    from qualcode.analysis.tables import CODE_COLUMNS
    from qualcode.export.segments import attribute_names, segment_columns
    from qualcode.store import Store

    conn = sqlite3.connect(root / "qualcode.db")
    if task == "segments":
        with Store(root / "qualcode.db") as store:
            attributes = attribute_names(store)
        header = segment_columns(attributes)
        cursor = conn.execute(segments_sql(attributes, mode != "same-rows", floor=mode == "floor"))
    else:
        header = [*CODE_COLUMNS, "group", "group_transcripts", "group_words", *MEASURES]
        cursor = conn.execute(frequencies_sql(mode != "same-rows"))
    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(cursor)
    conn.close()


def run_qualcode(task: str, root: Path, out: Path) -> None:
    from qualcode.cli import main

    if task == "segments":
        args = ["export", "segments", "--force", "--out", str(out)]
    elif task == "segments-batch0":
        args = ["export", "segments", "--where", "batch=0", "--force", "--out", str(out)]
    else:
        args = ["stats", "frequencies", "--by", "transcript", "--long", "--format", "csv", "--force", "--out", str(out)]
    main.main(["--project", str(root), *args], standalone_mode=False)


# --- measuring in child processes ------------------------------------------------------


def child(mode: str, task: str, root: Path, out: Path, trace: bool) -> None:
    """Run one measurement and print its figures as JSON on stdout."""
    import qualcode.analysis
    import qualcode.cli
    import qualcode.export  # noqa: F401

    if trace:
        import tracemalloc

        tracemalloc.start()
    started = time.perf_counter()
    if mode == "qualcode":
        run_qualcode(task, root, out)
    else:
        run_baseline(task, root, out, mode)
    seconds = time.perf_counter() - started
    figures = {"seconds": seconds, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    if trace:
        figures["heap_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    print(json.dumps(figures))


def run_child(module: str, *args: str) -> dict:
    """Run ``python -m module --child ARGS`` in its own process (its own peak RSS); the JSON it prints last."""
    cmd = [sys.executable, "-m", module, "--child", *args]
    env = {**os.environ, "QUALCODE_CODER": "bench"}
    done = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"{' '.join(cmd)} failed:\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])


def measure(mode: str, task: str, root: Path, out: Path, trace: bool = False) -> dict:
    return run_child("benchmarks.bench_export", mode, task, str(root), str(out), *(["--trace"] if trace else []))


def same_rows(a: Path, b: Path) -> str:
    """'identical', or where the first difference is."""
    with open(a, encoding="utf-8", newline="") as fa, open(b, encoding="utf-8", newline="") as fb:
        ra, rb = csv.reader(fa), csv.reader(fb)
        for n, (x, y) in enumerate(zip(ra, rb, strict=False), 1):
            if x != y and not _close(x, y):
                return f"row {n} differs: {x[:6]}... vs {y[:6]}..."
        if next(ra, None) is not None or next(rb, None) is not None:
            return "different number of rows"
    return "identical"


def _close(x: list[str], y: list[str]) -> bool:
    if len(x) != len(y):
        return False
    for u, v in zip(x, y, strict=True):
        if u == v:
            continue
        try:
            if not math.isclose(float(u), float(v), abs_tol=1e-9):
                return False
        except ValueError:
            return False
    return True


def study_project(folder: Path | None, transcripts: int, codings: int, repeat: int) -> tuple[Path, int, int]:
    """The benchmark project in ``folder`` (built there once, or in a new temporary folder), described;
    with its numbers of transcripts and codings."""
    root = folder or Path(tempfile.mkdtemp(prefix="qualcode-bench-"))
    if not (root / "qualcode.db").exists():
        started = time.perf_counter()
        build_project(root, transcripts, codings)
        print(f"built {root}: {transcripts} transcripts, {codings} codings in {time.perf_counter() - started:.1f} s")
    with sqlite3.connect(root / "qualcode.db") as conn:
        n_t, n_c = conn.execute("SELECT (SELECT count(*) FROM transcripts), (SELECT count(*) FROM codings)").fetchone()
    print(f"project: {n_t} transcripts, {n_c} codings, {(root / 'qualcode.db').stat().st_size / 2**20:.0f} MB database")
    print(f"python {sys.version.split()[0]}, sqlite {sqlite3.sqlite_version}; best of {repeat}; peak RSS per child process\n")
    return root, n_t, n_c


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_export", description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, help="project folder to build or reuse (default: a temporary folder)")
    parser.add_argument("--transcripts", type=int, default=1000)
    parser.add_argument("--codings", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=4, metavar=("MODE", "TASK", "ROOT", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        mode, task, root, out = args.child
        child(mode, task, Path(root), Path(out), args.trace)
        return 0

    root, _, n_c = study_project(args.dir, args.transcripts, args.codings, args.repeat)

    outdir = Path(tempfile.mkdtemp(prefix="qualcode-bench-out-"))
    print(f"{'command':<38}{'run':<14}{'seconds':>9}{'ratio':>8}{'peak RSS':>11}")
    for task, title in (("segments", "export segments"), ("frequencies", "stats frequencies --by transcript")):
        outputs, best = {}, {}
        modes = (
            ("floor", "lower-bound", "same-rows", "qualcode") if task == "segments" else ("lower-bound", "same-rows", "qualcode")
        )
        for mode in modes:
            out = outputs[mode] = outdir / f"{task}-{mode}.csv"
            runs = [measure(mode, task, root, out) for _ in range(args.repeat)]
            best[mode] = min(runs, key=lambda r: r["seconds"])
        for mode in modes:
            ratio = best["qualcode"]["seconds"] / best[mode]["seconds"]
            shown = "" if mode == "qualcode" else f"{ratio:.2f}x"
            print(f"{title:<38}{mode:<14}{best[mode]['seconds']:>9.2f}{shown:>8}{best[mode]['rss_mb']:>8.0f} MB")
        print(f"{'':<38}qualcode output vs same-rows baseline: {same_rows(outputs['qualcode'], outputs['same-rows'])}")
        heap = measure("qualcode", task, root, outdir / "traced.csv", trace=True)
        print(f"{'':<38}qualcode Python heap peak (tracemalloc): {heap['heap_mb']:.1f} MB\n")
    small = measure("qualcode", "segments-batch0", root, outdir / "batch0.csv")
    big = measure("qualcode", "segments", root, outdir / "all.csv")
    print(
        f"memory is flat: export segments of {n_c // 10:,} codings (--where batch=0) peaks at {small['rss_mb']:.0f} MB RSS,"
        f" of {n_c:,} codings at {big['rss_mb']:.0f} MB"
    )
    shutil.rmtree(outdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
