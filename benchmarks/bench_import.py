"""Import throughput: qualcode's import against reading + decoding + normalising alone.

    python -m benchmarks.bench_import [--transcripts 1000] [--words 5000]

Generates a deterministic synthetic corpus (``benchmarks/corpus.py``), then runs two
phases, each in its own child process so that each peak memory figure (ru_maxrss)
belongs to that phase alone:

* baseline: read every file, decode UTF-8, CRLF -> LF, NFC; nothing else (the
  issue's baseline);
* floor: the baseline, then each text stored with its SHA-256 in one SQLite table in
  one transaction (what any import that keeps the texts costs at least);
* floor with the data model: the floor, then also every other row qualcode's import
  stores for those texts -- the transcripts' other columns, their turns, their units
  (content spans and sentences) and attributes -- in a fresh project's database (the same
  schema, indexes, pragmas and dropped turn triggers as an import), the rows taken from
  the database qualcode's phase made, before the clock starts: what storing the data
  model costs without any parsing or counting (the most an import that keeps a row per
  turn can reach);
* reader: qualcode's own reader without the store (``read_transcript``: decode,
  normalise, front matter, speaker turns, word counts);
* qualcode: ``import_paths`` into a fresh project (the reader, attributes, roles,
  content hashes, duplicates, one SQLite transaction), then the same files again
  (nothing changed: every file is a duplicate).

Prints words/s for each, the ratios (aims: fresh import >= 0.25x the baseline,
re-import <= 0.10x the fresh import's time) and qualcode's peak RSS, with how much
the import added to what the process held before it (flat: it should not grow with
the number of files). Each phase's CPU time is shown too, with the ratios by CPU
time: on a busy machine the wall clock also counts waiting for a core, and the
baseline's fraction of a second is the most exposed to that.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path


class _Clock:
    """Wall-clock and CPU seconds (this process) since it was made."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def read(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall, time.process_time() - self.cpu


def baseline(folder: Path) -> dict:
    files = sorted(folder.glob("*.txt"))
    texts = []
    clock = _Clock()
    for path in files:
        text = path.read_bytes().decode("utf-8")
        texts.append(unicodedata.normalize("NFC", text.replace("\r\n", "\n")))
    seconds, cpu = clock.read()
    words = sum(len(t.split()) for t in texts)  # counted outside the clock
    return {"seconds": seconds, "cpu": cpu, "words": words, "files": len(files)}


def floor(folder: Path, project_dir: Path) -> dict:
    import hashlib
    import sqlite3

    project_dir.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(project_dir / "floor.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE texts (id INTEGER PRIMARY KEY, hash TEXT NOT NULL UNIQUE, text TEXT NOT NULL)")
    files = sorted(folder.glob("*.txt"))
    clock = _Clock()
    conn.execute("BEGIN")
    for path in files:
        text = unicodedata.normalize("NFC", path.read_bytes().decode("utf-8").replace("\r\n", "\n"))
        conn.execute("INSERT INTO texts (hash, text) VALUES (?, ?)", (hashlib.sha256(text.encode("utf-8")).hexdigest(), text))
    conn.execute("COMMIT")
    seconds, cpu = clock.read()
    conn.close()
    return {"seconds": seconds, "cpu": cpu, "files": len(files)}


def model_floor(folder: Path, project_dir: Path, source_db: Path) -> dict:
    import hashlib
    import sqlite3

    from qualcode.project import Project

    Project.init(project_dir).store.close()  # the schema as qualcode makes it
    source = sqlite3.connect(source_db)
    columns = [r[1] for r in source.execute("PRAGMA table_info(transcripts)") if r[1] not in ("id", "text", "content_hash")]
    by_file = {
        Path(row[1 + columns.index("source_path")]).name: row
        for row in source.execute(f"SELECT id, {', '.join(columns)} FROM transcripts")  # id, then ``columns``
    }
    turns = source.execute("SELECT * FROM turns ORDER BY transcript_id, idx").fetchall()
    units = source.execute("SELECT * FROM unit_bounds ORDER BY transcript_id").fetchall()
    attributes = source.execute("SELECT * FROM attributes ORDER BY transcript_id, name").fetchall()
    source.close()
    conn = sqlite3.connect(project_dir / "qualcode.db", isolation_level=None)
    for pragma in ("foreign_keys = ON", "journal_mode = WAL", "synchronous = FULL", "temp_store = MEMORY"):
        conn.execute(f"PRAGMA {pragma}")
    triggers = ("turns_coding_turn_added", "unit_bounds_turn_added")  # as the import sets them aside
    trigger_sql = [
        r[0] for r in conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN (?, ?)", triggers)
    ]
    files = sorted(folder.glob("*.txt"))
    insert = (
        f"INSERT INTO transcripts (id, text, content_hash, {', '.join(columns)}) VALUES ({', '.join('?' * (len(columns) + 3))})"
    )
    clock = _Clock()
    conn.execute("BEGIN IMMEDIATE")
    for name in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    for path in files:
        # As qualcode normalises (its trailing whitespace off too): the same texts and hashes.
        text = unicodedata.normalize("NFC", path.read_bytes().decode("utf-8").replace("\r\n", "\n")).rstrip()
        row = by_file[path.name]
        conn.execute(insert, (row[0], text, hashlib.sha256(text.encode("utf-8")).hexdigest(), *row[1:]))
    conn.executemany(f"INSERT INTO turns VALUES ({', '.join('?' * len(turns[0]))})", turns)
    conn.executemany(f"INSERT INTO unit_bounds VALUES ({', '.join('?' * len(units[0]))})", units)
    conn.executemany(f"INSERT INTO attributes VALUES ({', '.join('?' * len(attributes[0]))})", attributes)
    for sql in trigger_sql:
        conn.execute(sql)
    conn.execute("COMMIT")
    seconds, cpu = clock.read()
    conn.close()
    return {"seconds": seconds, "cpu": cpu, "files": len(files), "turns": len(turns)}


def reader(folder: Path) -> dict:
    from qualcode.ingest import read_transcript

    files = sorted(folder.glob("*.txt"))
    clock = _Clock()
    transcripts = [read_transcript(path) for path in files]
    words = sum(t.word_count for t in transcripts)
    seconds, cpu = clock.read()
    return {"seconds": seconds, "cpu": cpu, "words": words, "files": len(files)}


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def qualcode_import(folder: Path, project_dir: Path) -> dict:
    from qualcode.importing import import_paths
    from qualcode.project import Project

    project = Project.init(project_dir)
    project.sync_codebook()  # load and sync before the clock starts, as a real session would
    files = sorted(folder.glob("*.txt"))
    before = _rss_mb()
    clock = _Clock()
    result = import_paths(project, files)
    seconds, cpu = clock.read()
    grown = _rss_mb() - before
    words = sum(t.words for t in result.imported)
    turns = sum(t.turns for t in result.imported)
    clock = _Clock()
    again = import_paths(project, files)
    reimport, reimport_cpu = clock.read()
    assert not again.imported and len(again.duplicates) == len(files)
    return {
        "seconds": seconds,
        "cpu": cpu,
        "words": words,
        "files": len(result.imported),
        "turns": turns,
        "reimport_seconds": reimport,
        "reimport_cpu": reimport_cpu,
        "grown_mb": grown,
    }


def child(phase: str, folder: str, project_dir: str, source_db: str = "") -> None:
    if phase == "baseline":
        figures = baseline(Path(folder))
    elif phase == "floor":
        figures = floor(Path(folder), Path(project_dir))
    elif phase == "model-floor":
        figures = model_floor(Path(folder), Path(project_dir), Path(source_db))
    elif phase == "reader":
        figures = reader(Path(folder))
    else:
        figures = qualcode_import(Path(folder), Path(project_dir))
    figures["maxrss_mb"] = _rss_mb()
    print(json.dumps(figures))


def run_phase(phase: str, folder: Path, project_dir: Path, *more: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_import", "--phase", phase, str(folder), str(project_dir), *map(str, more)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--transcripts", type=int, default=1000)
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--phase", choices=["baseline", "floor", "model-floor", "reader", "qualcode"], help=argparse.SUPPRESS)
    parser.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        child(args.phase, *args.paths)
        return

    from benchmarks.corpus import generate_corpus

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        started = time.perf_counter()
        generate_corpus(corpus, args.transcripts, args.words, seed=1)
        print(f"generated {args.transcripts} x {args.words} words in {time.perf_counter() - started:.1f} s")
        base = run_phase("baseline", corpus, Path(tmp) / "unused")
        least = run_phase("floor", corpus, Path(tmp) / "floor")
        read = run_phase("reader", corpus, Path(tmp) / "unused")
        ours = run_phase("qualcode", corpus, Path(tmp) / "project")
        db_mb = (Path(tmp) / "project" / "qualcode.db").stat().st_size / 1e6
        model = run_phase("model-floor", corpus, Path(tmp) / "model-floor", Path(tmp) / "project" / "qualcode.db")
        assert model["turns"] == ours["turns"], (model["turns"], ours["turns"])

    words = ours["words"]  # words inside speaker turns, the same count for every phase
    base_rate = words / base["seconds"]
    read_rate = words / read["seconds"]
    our_rate = words / ours["seconds"]
    print(
        f"baseline (read+decode+normalise): {base['seconds']:.2f} s (CPU {base['cpu']:.2f} s), {base_rate:,.0f} words/s,"
        f" peak RSS {base['maxrss_mb']:.0f} MB"
    )
    print(
        f"floor (+texts and SHA-256 stored): {least['seconds']:.2f} s (CPU {least['cpu']:.2f} s),"
        f" {words / least['seconds']:,.0f} words/s"
    )
    print(
        f"floor with the data model (+turn, unit and attribute rows, precomputed): {model['seconds']:.2f} s"
        f" (CPU {model['cpu']:.2f} s), {words / model['seconds']:,.0f} words/s"
    )
    print(
        f"reader without store (+turns):    {read['seconds']:.2f} s (CPU {read['cpu']:.2f} s), {read_rate:,.0f} words/s,"
        f" peak RSS {read['maxrss_mb']:.0f} MB"
    )
    print(
        f"qualcode import:                  {ours['seconds']:.2f} s (CPU {ours['cpu']:.2f} s), {our_rate:,.0f} words/s,"
        f" peak RSS {ours['maxrss_mb']:.0f} MB ({ours['files']} transcripts, {ours['turns']:,} turns, database {db_mb:.0f} MB)"
    )
    print(
        f"re-import of the same files:      {ours['reimport_seconds']:.2f} s (CPU {ours['reimport_cpu']:.2f} s)"
        " (every file a duplicate)"
    )
    print(f"ratio reader/baseline throughput: {read_rate / base_rate:.2f}x (turns and word counts)")
    print(f"ratio import/baseline throughput: {our_rate / base_rate:.2f}x (aim >= 0.25)")
    print(f"ratio floor/baseline throughput:  {base['seconds'] / least['seconds']:.2f}x (the most any import can reach)")
    print(
        f"ratio model floor/baseline:       {base['seconds'] / model['seconds']:.2f}x"
        " (the most an import that stores a row per turn can reach)"
    )
    print(f"ratio import/reader throughput:   {our_rate / read_rate:.2f}x (the store's own cost)")
    print(f"ratio re-import/import time:      {ours['reimport_seconds'] / ours['seconds']:.2f}x (aim <= 0.10)")
    print(
        f"the same ratios by CPU time:      reader/baseline {base['cpu'] / read['cpu']:.2f}x,"
        f" floor/baseline {base['cpu'] / least['cpu']:.2f}x, model floor/baseline {base['cpu'] / model['cpu']:.2f}x,"
        f" import/baseline {base['cpu'] / ours['cpu']:.2f}x, import/reader {read['cpu'] / ours['cpu']:.2f}x,"
        f" re-import/import {ours['reimport_cpu'] / ours['cpu']:.2f}x"
    )
    print(
        f"import peak memory: {ours['maxrss_mb']:.0f} MB, of which the import added {ours['grown_mb']:.0f} MB (flat: not per file)"
    )


if __name__ == "__main__":
    main()
