"""Benchmark: listings, statistics and bulk coding from the command line at study scale.

Part 1 - listings. On the project of ``benchmarks.bench_export`` (1,000 synthetic
transcripts, 200,000 codings; built once in --dir, then given once what the team and
review listings need: coder "b" recoding half of anna's codings, 40 suggestions per
transcript, trash items and detached codings - see :func:`add_review_data`), every
command that lists, counts or exports runs as its own ``qualcode`` process, as a
researcher runs it, and is measured from outside:

* first output - seconds from the start of the process to the first byte on stdout
  (for an export to a file: on stdout or in the file, whichever comes first);
* total - seconds until the process ends;
* peak RSS - ``ru_maxrss`` of that process (``os.wait4``).

Baselines in the same run: ``qualcode codings --format csv`` (the repo's own CSV
listing, the figure the table is compared with) and a **floor**: one ``sqlite3``
query and ``csv.writer`` writing the same rows in a bare Python process. The
table is measured twice: into a pipe, and on a terminal (a pseudo-terminal with
``PAGER=cat``, so the streamed and paged path runs without an interactive pager).

Part 2 - bulk coding. A project of 200 transcripts of 5,000 words without
codings gets 23,940 codings (by span, by turn and by quoted text) from one
``qualcode code --from FILE``; compared with one ``qualcode code`` process per
coding (a sample of --singles processes, extrapolated). The file is applied twice:
the second run adds nothing.

Part 3 - the first suggestion run (issue #16). On a fresh copy of the listings' project
(no learned model yet), ``qualcode suggest synth_0001`` as a researcher's first run: it
analyses a spread sample of the coded transcripts (up to 100,000 sentences), trains
and calibrates the learned model by cross-validation, saves it and suggests for one
transcript. Against it, in the same run, a **baseline**: a bare Python process that
loads the same spaCy pipeline and runs ``nlp.pipe`` over the respondent turns of the
same transcripts (those the run trains on: the same sample, cut off at the same number
of stored sentences), texts read from SQLite -- the NLP alone, no matching, features
or training. Both alternate, ``--repeat`` times; the best total counts, with its CPU
time and peak RSS (aim: <= 15 s and <= 400 MB).

Usage::

    python -m benchmarks.bench_cli [--dir DIR] [--repeat 3] [--singles 20] [--only TEXT] [--before PATH]
        [--skip-listings] [--skip-bulk] [--skip-first-run]

``--only TEXT`` times only the listings whose name contains TEXT (``--only stats``).
``--before PATH`` also times the listings with the qualcode package found in
PATH (e.g. a checkout of the main branch), for before/after figures.
``--qc QC QC_PROJECT QUALCODE_PROJECT`` times qc's nearest commands (qualitative-coding,
``pip install qualitative-coding``) on a qc project imported from the qualcode
project's .qdpx (``qc init -i``; qc 1.7.8 needs ``PYTHONBREAKPOINT=0`` there).
"""

from __future__ import annotations

import argparse
import csv
import os
import pty
import random
import re
import select
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BULK_TRANSCRIPTS = 200
BULK_CODINGS = 23_940

OUT = "{out}"  # an output file: a fresh name in an empty folder, watched for its first byte

LISTINGS = [
    ("codings --format csv", ["codings", "--format", "csv"]),
    ("codings (table)", ["codings"]),
    ("codings --format json", ["codings", "--format", "json"]),
    ("stats frequencies", ["stats", "frequencies"]),
    ("stats frequencies --by transcript", ["stats", "frequencies", "--by", "transcript"]),
    ("stats frequencies --by speaker", ["stats", "frequencies", "--by", "speaker"]),
    ("stats frequencies --by respondent_type", ["stats", "frequencies", "--by", "respondent_type"]),
    ("stats matrix", ["stats", "matrix"]),
    ("stats matrix --by respondent_type", ["stats", "matrix", "--by", "respondent_type"]),
    ("stats cooccurrence", ["stats", "cooccurrence"]),
    ("transcripts", ["transcripts"]),
    ("coders", ["coders"]),
    ("coders --format csv", ["coders", "--format", "csv"]),
    ("speakers", ["speakers"]),
    ("codebook show", ["codebook", "show"]),
    ("suggestions", ["suggestions"]),
    ("suggestions --order score", ["suggestions", "--order", "score"]),
    ("suggestions --status all --format csv", ["suggestions", "--status", "all", "--format", "csv"]),
    ("trash", ["trash"]),
    ("codings --detached", ["codings", "--detached"]),
    ("memo (one coding)", ["memo", "1"]),
    ("agreement (every coder)", ["agreement"]),
    ("agreement --coders anna,b", ["agreement", "--coders", "anna,b"]),
    ("agreement --unit turn", ["agreement", "--coders", "anna,b", "--unit", "turn"]),
    ("agreement --unit sentence", ["agreement", "--coders", "anna,b", "--unit", "sentence"]),
    ("agreement --unit segment", ["agreement", "--coders", "anna,b", "--unit", "segment"]),
    ("disagreements --coders anna,b", ["disagreements", "--coders", "anna,b"]),
    ("disagreements --format csv", ["disagreements", "--coders", "anna,b", "--format", "csv"]),
    ("export segments", ["export", "segments"]),
    ("export segments --excel", ["export", "segments", "--excel"]),
    ("export segments --wide", ["export", "segments", "--wide"]),
    ("export segments --wide --unit turn", ["export", "segments", "--wide", "--unit", "turn"]),
    ("export segments -o FILE", ["export", "segments", "-o", OUT]),
    ("export segments --pseudonymise", ["export", "segments", "--pseudonymise"]),
    ("export qdpx -o FILE", ["export", "qdpx", "-o", OUT]),
    ("codebook export -o FILE (qdc)", ["codebook", "export", "-o", OUT]),
    ("check", ["check"]),
    ("show synth_0001", ["show", "synth_0001"]),
    ("show synth_0001 --codes", ["show", "synth_0001", "--codes"]),
]

FLOOR = """
import csv, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
rows = conn.execute(
    "SELECT c.id, t.name, c.start, c.end, c.code_id, c.coder, c.origin, c.memo, c.quote"
    " FROM codings c JOIN transcripts t ON t.id = c.transcript_id ORDER BY c.transcript_id, c.start, c.end, c.code_id, c.coder")
w = csv.writer(sys.stdout, lineterminator="\\r\\n")
w.writerow(["id", "transcript", "start", "end", "code", "coder", "origin", "memo", "text"])
w.writerows(rows)
"""


def _env(pythonpath: str | None = None) -> dict[str, str]:
    env = {**os.environ, "QUALCODE_CODER": "bench", "PAGER": "cat", "COLUMNS": "160", "LINES": "50"}
    # As installed (pip compiles .pyc files): without them every run compiles qualcode's
    # modules again (~70 ms of start-up); the first of the repeated runs writes them.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    return env


def timed(
    cmd: list[str], env: dict[str, str], *, terminal: bool = False, cwd: Path | None = None, ok: tuple[int, ...] = (0,)
) -> dict:
    """Run ``cmd``; first-output and total seconds, peak RSS (MB), bytes of stdout (and of the output file).

    An argument ``OUT`` becomes a file in an empty folder; first output is then the
    first byte on stdout or in any file of that folder (an atomic write fills a
    temporary file first), whichever comes first.
    """
    cwd = cwd or Path(tempfile.gettempdir())
    out_dir = None
    if OUT in cmd:
        out_dir = Path(tempfile.mkdtemp(prefix="qualcode-bench-out-"))
        cmd = [str(out_dir / "out") if a == OUT else a for a in cmd]
    started = time.perf_counter()
    if terminal:
        master, slave = pty.openpty()
        proc = subprocess.Popen(cmd, stdout=slave, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=env, cwd=cwd)
        os.close(slave)
        reader = master
    else:
        proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=env, cwd=cwd
        )
        reader = proc.stdout.fileno()
    first, size = None, 0
    while True:
        ready, _, _ = select.select([reader], [], [], 1.0 if out_dir is None else 0.005)
        if first is None and out_dir is not None and any(e.stat().st_size for e in os.scandir(out_dir)):
            first = time.perf_counter() - started
        if not ready:
            continue
        try:
            chunk = os.read(reader, 1 << 16)
        except OSError:  # the pseudo-terminal closes with EIO when the child is gone
            chunk = b""
        if not chunk:
            break
        if first is None:
            first = time.perf_counter() - started
        size += len(chunk)
    _, status, usage = os.wait4(proc.pid, 0)
    total = time.perf_counter() - started
    if terminal:
        os.close(master)
    if os.waitstatus_to_exitcode(status) not in ok:
        sys.exit(f"{' '.join(cmd)} failed with exit code {os.waitstatus_to_exitcode(status)}")
    if out_dir is not None:
        import shutil

        size += sum(e.stat().st_size for e in os.scandir(out_dir))
        shutil.rmtree(out_dir)
    cpu = usage.ru_utime + usage.ru_stime  # steadier than wall time when other processes share the cores
    return {"first": first or total, "total": total, "cpu": cpu, "rss_mb": usage.ru_maxrss / 1024, "bytes": size}


def best(runs: list[dict]) -> dict:
    return min(runs, key=lambda r: r["total"])


def qualcode_cmd(root: Path, args: list[str]) -> list[str]:
    # -c, not the installed script: with --before, PYTHONPATH picks which qualcode runs.
    return [sys.executable, "-c", "from qualcode.cli import main; main()", "--project", str(root), *args]


def listings(root: Path, repeat: int, before: str | None, only: str | None = None) -> None:
    print(f"{'command':<40}{'run':<12}{'first':>8}{'total':>8}{'cpu':>8}{'vs csv':>8}{'peak RSS':>10}")
    env = _env()
    floor = best([timed([sys.executable, "-c", FLOOR, str(root / "qualcode.db")], env) for _ in range(repeat)])
    baseline = best([timed(qualcode_cmd(root, ["codings", "--format", "csv"]), env) for _ in range(repeat)])

    def show(title: str, run: str, r: dict) -> None:
        print(
            f"{title:<40}{run:<12}{r['first']:>8.2f}{r['total']:>8.2f}{r['cpu']:>8.2f}{r['total'] / baseline['total']:>7.2f}x{r['rss_mb']:>7.0f} MB"
        )

    show("floor: sqlite3 + csv.writer", "pipe", floor)
    for title, args in LISTINGS:
        if only is not None and only not in title:
            continue
        r = (
            baseline
            if args == ["codings", "--format", "csv"]
            else best([timed(qualcode_cmd(root, args), env, ok=exits(args)) for _ in range(repeat)])
        )
        show(title, "pipe", r)
        if args in (["codings"], ["stats", "frequencies", "--by", "transcript"], ["stats", "matrix"]):
            show(title, "terminal", best([timed(qualcode_cmd(root, args), env, terminal=True) for _ in range(repeat)]))
        if before:
            show(
                title,
                "before",
                best([timed(qualcode_cmd(before_copy(root, before), args), _env(before), ok=exits(args)) for _ in range(repeat)]),
            )


def exits(args: list[str]) -> tuple[int, ...]:
    """The exit codes of a successful run: `check` exits 1 when it finds problems (the project has some)."""
    return (0, 1) if args[0] == "check" else (0,)


# What takes each newer migration back out of a copy, newest first, so a qualcode from
# before it runs on the data as it did (the indexes a migration replaced are given back).
UNDO: dict[str, list[str]] = {
    "0015_transcript_summaries": [
        "DROP INDEX IF EXISTS transcripts_summaries",
        "CREATE INDEX IF NOT EXISTS transcripts_sizes ON transcripts (name, id, words, chars)",
    ],
    "0013_coding_turn": [
        *(
            f"DROP TRIGGER IF EXISTS {trigger}"
            for trigger in (
                "codings_turn_inserted",
                "codings_turn_moved",
                "turns_coding_turn_added",
                "turns_coding_turn_gone",
                "turns_coding_turn_changed",
            )
        ),
        *(
            f"DROP INDEX IF EXISTS {index}"
            for index in ("codings_turn_fit", "turns_speakers", "turns_roles", "codings_code_words")
        ),
        *(f"ALTER TABLE codings DROP COLUMN {column}" for column in ("turn_fit", "turn_speaker", "turn_role")),
        "CREATE INDEX codings_code_words ON codings (code_id, transcript_id, start, end, coder, words_before, words_through)",
    ],
    "0012_sentence_bounds": [
        *(
            f"DROP TRIGGER IF EXISTS unit_bounds_{trigger}"
            for trigger in ("transcript_gone", "text", "turn_added", "turn_gone", "turn_moved")
        ),
        "DROP TABLE IF EXISTS unit_bounds",
    ],
    "0010_review_order": [
        "DROP INDEX IF EXISTS suggestions_review_order",
        "DROP INDEX IF EXISTS codings_by_coder",
        "CREATE INDEX IF NOT EXISTS codings_coder ON codings (coder)",
        "CREATE INDEX IF NOT EXISTS suggestions_status ON suggestions (status)",
    ],
    "0009_stats": [
        "DROP INDEX IF EXISTS codings_code_words",
        "DROP INDEX IF EXISTS transcripts_sizes",
        "CREATE INDEX IF NOT EXISTS codings_code ON codings (code_id)",
    ],
    "0008_coding_words": [
        *(
            f"DROP TRIGGER IF EXISTS {trigger}"
            for trigger in ("codings_words_inserted", "codings_words_moved", "turns_words_moved", "transcripts_words_text")
        ),
        "DROP INDEX IF EXISTS codings_words",
        *(
            f"ALTER TABLE {table} DROP COLUMN {column}"
            for table, column in (("codings", "words_before"), ("codings", "words_through"), ("turns", "words"))
        ),
    ],
}


def before_copy(root: Path, before: str) -> Path:
    """The project, or a copy without the migrations a qualcode from before them lacks (it
    refuses a newer database), each taken back out by :data:`UNDO`."""
    import shutil

    known = (Path(before) / "qualcode" / "store" / "migrations.py").read_text(encoding="utf-8")
    lacks = [name for name in UNDO if name not in known]
    if not lacks:
        return root
    old = root.with_name(root.name + "-before-" + "-".join(name[:4] for name in lacks))
    if not (old / "qualcode.db").exists():
        shutil.copytree(root, old, symlinks=True)
        with sqlite3.connect(old / "qualcode.db") as conn:
            conn.executemany("DELETE FROM schema_migrations WHERE name = ?", [(name,) for name in lacks])
            for name in lacks:
                for sql in UNDO[name]:
                    conn.execute(sql)
    return old


# --- a second coder, suggestions, trash and detached codings --------------------------------------

SECOND_CODER = "b"


def add_review_data(root: Path, seed: int = 5) -> None:
    """What the team and review listings need, added once to the 1,000-interview project.

    * coder "b" recoded half of anna's codings: most alike, some a word longer or
      shorter, some with another code (so agreement and disagreements have work);
    * 40 pending suggestions per transcript on respondents' sentences (the rules
      suggester's reasons), a tenth of them accepted or rejected;
    * 300 ``uncode`` trash items and 3 removed transcripts;
    * 200 detached codings (as a re-import that lost their text leaves them).
    """
    from qualcode.codebook import load_codebook
    from qualcode.model import Coding, Transcript
    from qualcode.reanchor import Placement
    from qualcode.store import Store
    from qualcode.text import sentence_spans

    rng = random.Random(seed)
    book = load_codebook(root / "codebooks" / "samenwerking.yaml")
    codes = [c.id for c in book.walk() if c.codable]
    with Store(root / "qualcode.db") as store:
        if SECOND_CODER in store.codings.coders():
            return
        names = store.transcripts.names()
        with store.transaction():
            for tid in sorted(names):
                text = store.transcripts.text(tid)
                copies = []
                for c in store.codings.find(tid, coders=["anna"]):
                    if rng.random() < 0.5:
                        continue
                    start, end, code = c.start, c.end, c.code_id
                    change = rng.random()
                    if change < 0.15:
                        code = rng.choice(codes)
                    elif change < 0.3:  # a word more or less at either end, within the turn
                        words = [m.span() for m in re.finditer(r"\S+", text[c.start : c.end])]
                        if len(words) > 2:
                            start, end = (
                                (c.start + words[1][0], c.end) if rng.random() < 0.5 else (c.start, c.start + words[-2][1])
                            )
                    copies.append(
                        Coding(None, tid, start, end, code, SECOND_CODER, text[start:end], created_at="2024-06-01T10:00:00+00:00")
                    )
                store.codings.add_many(copies)
                sentences = [
                    s for t in store.transcripts.turns(tid) if t.speaker == "R" for s in sentence_spans(text, t.start, t.end)
                ]
                proposals = []
                for start, end in rng.sample(sentences, min(40, len(sentences))):
                    word = rng.choice(text[start:end].split())
                    reason = f"rule: matched keyword '{word.strip('.,?!')}'; no coded sentence to check this hint against yet"
                    proposals.append((start, end, rng.choice(codes), "rules", rng.choice((0.5, 0.75, 0.9)), reason))
                store.suggestions.replace_pending(tid, proposals)
        pending = [s.id for s in store.suggestions.find()]
        for sid in rng.sample(pending, len(pending) // 10):
            if rng.random() < 0.5:
                store.suggestions.accept(sid, "anna")
            else:
                store.suggestions.reject(sid, "anna")
        tids = sorted(names)
        for _ in range(300):
            tid = rng.choice(tids)
            found = store.codings.find(tid, coders=["bram"])
            store.trash.put_codings([c.id for c in rng.sample(found, min(len(found), rng.randint(1, 5)))], "bram")
        for i in range(3):
            # The same text and turns with one line more at the end (content hashes are unique).
            text = store.transcripts.text(tids[i]) + "\nverwijderd\n"
            tid = store.transcripts.add(Transcript(f"removed_{i + 1}", text, store.transcripts.turns(tids[i]), {}))
            store.codings.add_many(
                Coding(None, tid, c.start, c.end, c.code_id, c.coder, c.quote) for c in store.codings.find(tids[i])
            )
            store.trash.put_transcript(tid, "anna")
        for tid in tids[:20]:  # ten codings of each lose their place, as after a re-import of an edited file
            text = store.transcripts.text(tid)
            found = store.codings.find(tid)
            lost = {c.id for c in rng.sample(found, 10)}
            store.codings.relocate(
                tid,
                text,
                [
                    Placement(c, None, None, "not found") if c.id in lost else Placement(c, c.start, c.end, "unchanged")
                    for c in found
                ],
            )


# --- bulk coding ----------------------------------------------------------------------------------


def build_bulk_project(root: Path) -> None:
    """200 transcripts of 5,000 words with turns and no codings (the corpus of the issue)."""
    import shutil

    from benchmarks.corpus import generate_transcript
    from qualcode.model import Transcript, Turn
    from qualcode.store import Store

    (root / "codebooks").mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "codebooks" / "samenwerking.yaml", root / "codebooks")
    with Store(root / "qualcode.db") as store, store.transaction():
        for i in range(BULK_TRANSCRIPTS):
            text = generate_transcript(5000, 20_000 + i)
            turns, offset = [], 0
            for line in text.split("\n"):
                if line[:3] in ("I: ", "R: "):
                    turns.append(Turn(len(turns) + 1, line[0], offset + 3, offset + len(line)))
                offset += len(line) + 1
            store.transcripts.add(Transcript(f"bulk_{i + 1:03d}", text, turns, {}))


def write_bulk_file(root: Path, path: Path, seed: int = 11) -> None:
    """23,940 codings: a third by span, a third by turn, a third by a quote inside its turn."""
    from qualcode.codebook import load_codebook
    from qualcode.store import Store

    book = load_codebook(root / "codebooks" / "samenwerking.yaml")
    codes = [c.id for c in book.walk() if c.codable]
    rng = random.Random(seed)
    rows, seen = [], set()
    with Store(root / "qualcode.db") as store:
        names = store.transcripts.names()
        per = BULK_CODINGS // len(names) + 1
        for tid, name in sorted(names.items()):
            text, turns = store.transcripts.text(tid), [t for t in store.transcripts.turns(tid) if t.speaker == "R"]
            for k in range(per):
                if len(rows) == BULK_CODINGS:
                    break
                turn = rng.choice(turns)
                code = rng.choice(codes)
                how = k % 3
                if how == 1 and (name, turn.index, code) not in seen:
                    seen.add((name, turn.index, code))
                    rows.append([name, code, turn.index, "", ""])
                    continue
                words = [m.span() for m in re.finditer(r"\S+", text[turn.start : turn.end])]
                a = rng.randrange(len(words))
                b = min(len(words) - 1, a + rng.randrange(3, 25))
                start, end = turn.start + words[a][0], turn.start + words[b][1]
                quote = text[start:end]
                if how == 2 and text.find(quote, text.find(quote, turn.start, turn.end) + 1, turn.end) < 0:  # once, overlaps too
                    rows.append([name, code, turn.index, "", quote])
                else:
                    rows.append([name, code, "", f"{start}:{end}", ""])
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["transcript", "code", "turn", "span", "text"])
        writer.writerows(rows)


def bulk(base: Path, singles: int) -> None:
    root = base / "bulk200"
    if not (root / "qualcode.db").exists():
        build_bulk_project(root)
    with sqlite3.connect(root / "qualcode.db") as conn:
        conn.execute("DELETE FROM codings")
    path = base / "bulk_codings.csv"
    write_bulk_file(root, path)
    env = _env()
    first = timed(qualcode_cmd(root, ["code", "--from", str(path)]), env)
    again = timed(qualcode_cmd(root, ["code", "--from", str(path)]), env)
    with sqlite3.connect(root / "qualcode.db") as conn:
        stored = conn.execute("SELECT count(*) FROM codings").fetchone()[0]
    with open(path, encoding="utf-8", newline="") as handle:
        sample = list(csv.reader(handle))[1 : singles + 1]
    started = time.perf_counter()
    for name, code, turn, span, quote in sample:
        where = ["--turn", turn] if turn and not quote else (["--turn", turn, "--text", quote] if quote else ["--span", span])
        timed(qualcode_cmd(root, ["code", name, code, *where]), env)
    per_process = (time.perf_counter() - started) / len(sample)
    lines = BULK_CODINGS
    print(
        f"\ncode --from: {lines:,} codings in {BULK_TRANSCRIPTS} transcripts ({stored:,} stored; lines that name the same place count once)"
    )
    print(f"{'one process, --from FILE':<40}{first['total']:>8.2f} s{first['rss_mb']:>8.0f} MB")
    print(f"{'the same file again (adds nothing)':<40}{again['total']:>8.2f} s")
    print(
        f"{'one process per coding (extrapolated)':<40}{per_process * lines:>8.0f} s  ({per_process:.3f} s each, {len(sample)} sampled)"
    )
    print(f"{'ratio --from / one process per coding':<40}{first['total'] / (per_process * lines):>8.4f}")


# --- side by side with qc (qualitative-coding), when it is installed ------------------------------------

QC_COMMANDS = [
    (
        "codings (all coded text)",
        ["codes", "find", "-r", "Doorverwijzing", "Eigen kracht", "Randvoorwaarden", "Rolverwachtingen", "Vertrouwen"],
        ["codings"],
    ),
    ("frequencies by transcript", ["codes", "stats", "-D", "-a"], ["stats", "frequencies", "--by", "transcript"]),
    ("co-occurrence", ["codes", "crosstab", "-a"], ["stats", "cooccurrence"]),
]


def versus_qc(qc: str, qc_root: Path, root: Path, repeat: int) -> None:
    """qc's nearest commands on the same corpus, imported into qc from qualcode's .qdpx export.

    qc codes lines, not spans, and lists differently: the figures compare the time a
    researcher waits for the same question, not identical output.
    """
    env = {**_env(), "PYTHONBREAKPOINT": "0"}
    print(f"\nside by side with qc ({qc_root}); time to first output / total / peak RSS")
    for title, qc_args, ours in QC_COMMANDS:
        q = best([timed_in(qc_root, [qc, *qc_args], env) for _ in range(repeat)])
        o = best([timed(qualcode_cmd(root, ours), env) for _ in range(repeat)])
        print(
            f"{title:<30} qc {q['first']:>6.2f} {q['total']:>7.2f} s {q['rss_mb']:>5.0f} MB"
            f"   qualcode {o['first']:>6.2f} {o['total']:>7.2f} s {o['rss_mb']:>5.0f} MB   ratio {o['total'] / q['total']:.2f}"
        )


# --- the first suggestion run ---------------------------------------------------------------------

BARE_TRAINING_PIPE = """
import sys
from qualcode.project import Project
from qualcode.suggest.dataset import coded_transcripts, spread
from qualcode.suggest.pipeline import load_pipeline
from qualcode.suggest.segments import respondent_turns
from qualcode.suggest.training import MAX_TRAINING_SENTENCES

project = Project.open(sys.argv[1])
store = project.store
nlp = load_pipeline(project.config.spacy_model).nlp


def turns():
    count = 0
    for tid in spread(coded_transcripts(store)):
        transcript = store.transcripts.load(tid)
        for turn in respondent_turns(transcript):
            yield transcript.text[turn.start : turn.end]
        units = store.transcripts.stored_units(tid)
        count += len(units[2]) if units else 0
        if count >= MAX_TRAINING_SENTENCES:
            break


for _ in nlp.pipe(turns(), batch_size=64):
    pass
"""


def first_run(root: Path, repeat: int, before: str | None = None) -> None:
    """``qualcode suggest synth_0001`` without a saved model, on a fresh copy each time,
    against the bare pipeline over the same training transcripts (see the module's Part 3)."""
    import shutil

    env = _env()
    sides = [("bare pipeline over the training transcripts", None), ("suggest synth_0001 (first run)", env)]
    if before:
        sides.append(("suggest synth_0001 (first run), before", _env(before)))
    runs: dict[str, list[dict]] = {name: [] for name, _ in sides}
    with tempfile.TemporaryDirectory(prefix="qualcode-bench-first-") as tmp:
        copy = Path(tmp) / "project"
        for _ in range(repeat):
            for name, side_env in sides:
                shutil.rmtree(copy, ignore_errors=True)
                source = before_copy(root, before) if before and side_env is not env and side_env is not None else root
                shutil.copytree(source, copy, ignore=shutil.ignore_patterns("model"))  # no saved model: a first run
                if side_env is None:
                    runs[name].append(timed([sys.executable, "-c", BARE_TRAINING_PIPE, str(copy)], env))
                else:
                    runs[name].append(timed(qualcode_cmd(copy, ["suggest", "synth_0001"]), side_env))
    bare = best(runs[sides[0][0]])
    print(f"first suggestion run (no saved model yet), best of {repeat}, alternating:")
    for name, _ in sides:
        r = best(runs[name])
        print(
            f"  {name:<48} {r['total']:6.1f} s  {r['cpu']:6.1f} s CPU  {r['rss_mb']:5.0f} MB peak"
            f"  {r['total'] / bare['total']:4.1f}x bare"
        )
    print("  (aim: the first run <= 15 s and <= 400 MB at 1,000 interviews)\n")


def timed_in(folder: Path, cmd: list[str], env: dict[str, str]) -> dict:
    """``timed`` in another working folder (qc reads its project from the current folder)."""
    here = os.getcwd()
    os.chdir(folder)
    try:
        return timed(cmd, {**env, "PWD": str(folder)}, cwd=folder)
    finally:
        os.chdir(here)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_cli", description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, help="folder for the projects (built once, reused)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--transcripts",
        type=int,
        default=1000,
        help="size of the listings' project: N transcripts with 200 codings each, in DIR/pN (default 1000)",
    )
    parser.add_argument("--singles", type=int, default=20, help="single `qualcode code` processes to time")
    parser.add_argument("--before", help="PYTHONPATH of another qualcode checkout to time the listings with")
    parser.add_argument("--skip-listings", action="store_true")
    parser.add_argument("--only", metavar="TEXT", help="time only the listings whose name contains TEXT (e.g. stats)")
    parser.add_argument("--skip-bulk", action="store_true")
    parser.add_argument("--skip-first-run", action="store_true", help="leave out the first suggestion run (Part 3)")
    parser.add_argument(
        "--qc",
        nargs=3,
        metavar=("QC", "QC_PROJECT", "QUALCODE_PROJECT"),
        help="the qc program, a qc project and the qualcode project it was imported from",
    )
    args = parser.parse_args(argv)
    base = args.dir or Path(tempfile.mkdtemp(prefix="qualcode-bench-cli-"))
    root = base / f"p{args.transcripts}"
    if not args.skip_listings:
        if not (root / "qualcode.db").exists():
            from benchmarks.bench_export import build_project

            build_project(root, args.transcripts, 200 * args.transcripts)
        add_review_data(root)
        with sqlite3.connect(root / "qualcode.db") as conn:
            n_t, n_c = conn.execute("SELECT (SELECT count(*) FROM transcripts), (SELECT count(*) FROM codings)").fetchone()
        print(f"project: {n_t} transcripts, {n_c} codings; best of {args.repeat}; python {sys.version.split()[0]}\n")
        listings(root, args.repeat, args.before, args.only)
    if args.qc:
        qc, qc_root, ours = args.qc
        versus_qc(qc, Path(qc_root), Path(ours), args.repeat)
    if not args.skip_first_run:
        if not (root / "qualcode.db").exists():
            from benchmarks.bench_export import build_project

            build_project(root, args.transcripts, 200 * args.transcripts)
        first_run(root, args.repeat, args.before)
    if not args.skip_bulk:
        bulk(base, args.singles)
    return 0


if __name__ == "__main__":
    sys.exit(main())
