"""Benchmark: `export qdpx` at scale, time and peak memory.

Uses the project of :mod:`benchmarks.bench_export` (1,000 synthetic transcripts of
5,000 words, 200,000 codings, some of a code that left the codebook; built once through
the Store API) and times, each in a fresh child process so its peak memory is its own:

* **qualcode** - ``qualcode export qdpx`` (the whole command, imports excluded; its
  archive is deflated on a second thread, so its cpu - both threads - can exceed its seconds);
* **floor** (the baseline) - ONE raw ``sqlite3`` pass that writes the same archive
  members without any REFI-QDA logic: every transcript's text into
  ``sources/<id>.txt`` and one XML line per coding (start, end, code, coder, memo) into
  ``project.qde``, streamed into a deflated zip. Any .qdpx export pays at least this.

Besides the ratio to the floor, memory is checked for flatness: the export of a tenth
of the project (the first 100 transcripts, in a copy) against the whole. The
written archive is validated against both REFI-QDA XSDs when ``xmlschema`` is
installed (``--validate``; slow at this size).

Then the archives written are imported again, each into a new project, in a fresh child process:

* **qualcode** - ``qualcode import FILE.qdpx`` (the whole command);
* **floor** (the baseline) - what any import of the archive pays at least: every member
  read and decompressed, and ``project.qde`` parsed by expat in pieces, with no handlers
  (nothing built from it, nothing stored).

with their peak memory: the import's against the floor's, and the tenth's against the whole's
(memory must stay flat as the project grows: the sources are read one at a time).
``--qdpx FILE`` times the import of that archive alone (no project is built or exported).

Usage::

    python -m benchmarks.bench_qdpx [--dir DIR] [--transcripts 1000] [--codings 200000] [--repeat 3] [--validate]
    python -m benchmarks.bench_qdpx --qdpx FILE.qdpx [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import quoteattr

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "refi-qda"


def run_floor(root: Path, out: Path) -> None:
    """The same members, written straight from SQLite (see the module docstring)."""
    conn = sqlite3.connect(root / "qualcode.db")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for tid, text in conn.execute("SELECT id, text FROM transcripts ORDER BY name"):
            archive.writestr(f"sources/{tid}.txt", text.encode("utf-8"))
        with archive.open("project.qde", "w", force_zip64=True) as raw:
            raw.write(b'<?xml version="1.0" encoding="utf-8"?>\n<Project>\n')
            rows = conn.execute(
                "SELECT transcript_id, start, end, code_id, coder, memo FROM codings ORDER BY transcript_id, start"
            )
            for tid, start, end, code, coder, memo in rows:
                line = f"<S t={quoteattr(str(tid))} s={quoteattr(str(start))} e={quoteattr(str(end))} c={quoteattr(code)} u={quoteattr(coder)} m={quoteattr(memo or '')}/>\n"
                raw.write(line.encode("utf-8"))
            raw.write(b"</Project>\n")
    conn.close()


def run_qualcode(root: Path, out: Path) -> None:
    from qualcode.cli import main

    code = main.main(["--project", str(root), "export", "qdpx", "--force", str(out)], standalone_mode=False)
    if code:  # the CLI printed the error; the measurement would be meaningless
        sys.exit(code)


def run_import_floor(archive: Path) -> None:
    """Every member read and decompressed; project.qde parsed in pieces with no handlers."""
    from xml.parsers import expat

    with zipfile.ZipFile(archive) as opened:
        for info in opened.infolist():
            if info.filename.casefold() == "project.qde":
                continue
            opened.read(info)
        parser = expat.ParserCreate(namespace_separator=" ")
        with opened.open("project.qde") as handle:
            while piece := handle.read(1 << 20):
                parser.Parse(piece, False)
        parser.Parse(b"", True)


def run_import(archive: Path, root: Path) -> None:
    from qualcode.cli import main

    code = main.main(["--project", str(root), "import", str(archive)], standalone_mode=False)
    if code:
        sys.exit(code)


def child(mode: str, root: Path, out: Path) -> None:
    """Run one measurement and print its figures as JSON on stdout."""
    import qualcode.cli  # noqa: F401
    import qualcode.refi.project_export  # noqa: F401
    import qualcode.refi.project_import  # noqa: F401

    if mode == "import":  # root: the archive; out: the project to make and import into
        from qualcode.project import Project

        Project.init(out)
    started, cpu = time.perf_counter(), time.process_time()
    if mode == "qualcode":
        run_qualcode(root, out)
    elif mode == "import":
        run_import(root, out)
    elif mode == "import-floor":
        run_import_floor(root)
    else:
        run_floor(root, out)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(json.dumps({"seconds": seconds, "cpu": cpu, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def measure(mode: str, root: Path, out: Path) -> dict:
    from benchmarks.bench_export import run_child

    return run_child("benchmarks.bench_qdpx", mode, str(root), str(out))


def tenth(root: Path, n: int) -> Path:
    """A copy of the project with only its first ``n`` transcripts (and their codings)."""
    small = Path(tempfile.mkdtemp(prefix="qualcode-bench-small-"))
    shutil.copytree(root / "codebooks", small / "codebooks")
    shutil.copy(root / "qualcode.db", small / "qualcode.db")
    with sqlite3.connect(small / "qualcode.db") as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        keep = "SELECT id FROM transcripts ORDER BY name LIMIT ?"
        for table in ("codings", "detached_codings", "suggestions", "turns", "attributes"):
            conn.execute(f"DELETE FROM {table} WHERE transcript_id NOT IN ({keep})", (n,))
        conn.execute(f"DELETE FROM transcripts WHERE id NOT IN ({keep})", (n,))
    with sqlite3.connect(small / "qualcode.db") as conn:
        conn.execute("VACUUM")
    return small


def validate(path: Path) -> str:
    try:
        import xmlschema
    except ImportError:
        return "not checked (xmlschema is not installed)"
    schema = xmlschema.XMLSchema10(str(SHARED / "Project-mrt2019.xsd"))
    with zipfile.ZipFile(path) as archive, archive.open("project.qde") as handle:
        errors = list(schema.iter_errors(handle))
    return "valid" if not errors else f"INVALID: {errors[0]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_qdpx", description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, help="project folder to build or reuse (default: a temporary folder)")
    parser.add_argument("--transcripts", type=int, default=1000)
    parser.add_argument("--codings", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--validate", action="store_true", help="validate the written project.qde against Project.xsd")
    parser.add_argument("--qdpx", type=Path, help="only time importing this archive")
    parser.add_argument("--child", nargs=3, metavar=("MODE", "ROOT", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        mode, root, out = args.child
        child(mode, Path(root), Path(out))
        return 0

    if args.qdpx:
        imports({"this archive": args.qdpx.resolve()}, args.repeat)
        return 0

    from benchmarks.bench_export import study_project

    root, n_t, _ = study_project(args.dir, args.transcripts, args.codings, args.repeat)

    outdir = Path(tempfile.mkdtemp(prefix="qualcode-bench-out-"))
    best = {}
    for mode in ("floor", "qualcode"):
        runs = [measure(mode, root, outdir / f"{mode}.qdpx") for _ in range(args.repeat)]
        best[mode] = min(runs, key=lambda r: r["seconds"])
    print(f"{'command':<22}{'run':<10}{'seconds':>9}{'cpu':>7}{'ratio':>8}{'peak RSS':>11}{'size':>10}")
    for mode in ("floor", "qualcode"):
        ratio = best["qualcode"]["seconds"] / best[mode]["seconds"]
        shown = "" if mode == "qualcode" else f"{ratio:.2f}x"
        size = (outdir / f"{mode}.qdpx").stat().st_size / 2**20
        print(
            f"{'export qdpx':<22}{mode:<10}{best[mode]['seconds']:>9.2f}{best[mode]['cpu']:>7.2f}{shown:>8}"
            f"{best[mode]['rss_mb']:>8.0f} MB{size:>7.0f} MB"
        )
    small_root = tenth(root, max(1, n_t // 10))
    small = measure("qualcode", small_root, outdir / "small.qdpx")
    shutil.rmtree(small_root)
    print(
        f"\nmemory is flat: export qdpx of {max(1, n_t // 10)} transcripts peaks at {small['rss_mb']:.0f} MB RSS,"
        f" of {n_t} at {best['qualcode']['rss_mb']:.0f} MB"
    )
    if args.validate:
        print(f"project.qde against Project-mrt2019.xsd: {validate(outdir / 'qualcode.qdpx')}")
    print()
    imports(
        {f"{n_t} transcripts": outdir / "qualcode.qdpx", f"{max(1, n_t // 10)} transcripts": outdir / "small.qdpx"}, args.repeat
    )
    shutil.rmtree(outdir)
    return 0


def imports(archives: dict[str, Path], repeat: int) -> None:
    """Import each archive into a new project (best of ``repeat``), against the floor: time and peak memory."""
    print(f"{'import of':<22}{'run':<10}{'seconds':>9}{'cpu':>7}{'ratio':>8}{'peak RSS':>11}{'ratio':>8}")
    peaks = {}
    for label, archive in archives.items():
        work = Path(tempfile.mkdtemp(prefix="qualcode-bench-import-"))
        best = {}
        for mode in ("import-floor", "import"):
            runs = []
            for n in range(repeat):
                runs.append(measure(mode, archive, work / f"{mode}-{n}"))
            best[mode] = min(runs, key=lambda r: r["seconds"])
        shutil.rmtree(work)
        peaks[label] = best["import"]["rss_mb"]
        for mode in ("import-floor", "import"):
            figures = best[mode]
            shown = "" if mode == "import" else f"{best['import']['seconds'] / figures['seconds']:.2f}x"
            memory = "" if mode == "import" else f"{best['import']['rss_mb'] / figures['rss_mb']:.2f}x"
            run = "floor" if mode == "import-floor" else "qualcode"
            print(
                f"{label:<22}{run:<10}{figures['seconds']:>9.2f}{figures['cpu']:>7.2f}{shown:>8}"
                f"{figures['rss_mb']:>8.0f} MB{memory:>8}"
            )
    if len(peaks) > 1:
        listed = ", ".join(f"of {label} at {mb:.0f} MB" for label, mb in peaks.items())
        print(f"\nimport memory is flat if these are close: peak RSS {listed}")


if __name__ == "__main__":
    sys.exit(main())
