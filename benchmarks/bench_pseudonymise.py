"""Benchmark of pseudonymisation detection: throughput against deduce alone, and quality.

1. **One-time cost.** Building deduce's lookup tables into the user cache (only when
   they are not there yet: 1-2 minutes) and loading them (seconds), with progress.
2. **Throughput.** 200 transcripts of ~5,000 words (``--transcripts``, ``--words``):
   synthetic interview text (``benchmarks.corpus``) with the turns of the gold test
   interviews mixed in every ~250 words, so that there are names, places, numbers and
   dates to find. In the same process, over the same texts, already in memory:

   A. deduce alone, as its documentation calls it: ``Deduce().deidentify(text)``;
   B. deduce without its redactor (the annotations only, as qualcode calls it);
   Q. qualcode's ``detect``: deduce (B) plus the Dutch patterns, proper nouns in
      context, known names, filtering and overlap resolution.

   They run interleaved per transcript, three rounds; each transcript counts with its
   fastest round (load from other processes hits all three alike). The figure that
   matters is the ratio Q/A of throughputs (aim: >= 0.8).
3. **Quality** (``--evaluate``): precision and recall per category on the tuning and
   the held-out sets of gold interviews in ``tests/data/pseudo`` (see its README),
   each set twice: with the ``samenwerking`` codebook's vocabulary (whose words are
   never names) and with none (``--vocabulary`` picks one), as an unseen project whose
   codebook does not know the interviews' words.

4. **Exports** (``--export PROJECT``): ``export segments`` and ``export qdpx``, each
   with and without ``--pseudonymise``, as ``qualcode`` processes on a project (e.g.
   the 1,000-interview one, after ``pseudonymise detect`` and review), timed as
   ``benchmarks.bench_cli`` times them (first output, total, CPU, peak RSS; best of
   ``--rounds``). The figure: pseudonymised over plain, per export. Time two variants:
   every candidate rejected (no name to replace: the project is only read), and names in
   every interview (the synthetic 1,000-interview project has few: after ``detect``,
   accept the places and ``pseudonymise always WORD --category organisation`` for a few
   organisations it names, e.g. ``CJG``, ``JGZ``, ``Kind en Gezin``; ~30 replacements per
   interview), where every coding after the first name moves.

5. **Decisions** (``--decide PROJECT``): ``pseudonymise accept`` and ``reject`` with
   the first ``--ids`` (2,000) pending candidates in reading order, on a copy of the
   project's key each time (the key is put back after), against the same command with
   one id: the figure, N ids over one id, shows what each further decision costs
   (before one transaction per command and the texts read once: minutes).

Usage::

    python -m benchmarks.bench_pseudonymise [--transcripts 200] [--words 5000] [--evaluate]
    python -m benchmarks.bench_pseudonymise --export PROJECT [--rounds 3]
    python -m benchmarks.bench_pseudonymise --decide PROJECT [--ids 2000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "tests" / "data" / "pseudo"
GOLD_SETS = ("tuning", "heldout", "heldout2", "heldout3", "heldout4", "heldout5")


def _progress(done: int, total: int, what: str) -> None:
    print(f"  [{done}/{total}] {what}", file=sys.stderr, flush=True)


def _texts(n: int, words: int) -> list[str]:
    """``n`` interviews of ~``words`` words with real-looking personal data mixed in."""
    from benchmarks.corpus import generate_transcript
    from qualcode.pseudonymise.gold import read_gold_folder

    gold_lines = []
    for folder in ("tuning", "heldout", "heldout2"):
        for g in read_gold_folder(GOLD / folder):
            t = g.transcript
            gold_lines += [f"R: {t.text[u.start : u.end]}" for u in t.turns if "\n" not in t.text[u.start : u.end]]
    texts = []
    for i in range(n):
        lines = generate_transcript(words, seed=i).split("\n")
        mixed, count = [], 0
        for line in lines:
            mixed.append(line)
            count += len(line.split())
            if count >= 250:
                mixed.append(gold_lines[(i * 7 + len(mixed)) % len(gold_lines)])
                count = 0
        texts.append("\n".join(mixed))
    return texts


def throughput(n: int, words: int, rounds: int) -> None:
    from qualcode.ingest import parse_turns
    from qualcode.pseudonymise import DetectionContext, detect, engine

    print(f"deduce {engine.deduce_version()}, tables in {engine.cache_dir()}")
    built = engine.tables_built()
    start = time.perf_counter()
    model = engine.load(_progress)
    print(f"one-time: {'load' if built else 'build + load'} of deduce's tables: {time.perf_counter() - start:.1f} s")

    texts = _texts(n, words)
    total_words = sum(len(t.split()) for t in texts)
    turns = {id(t): parse_turns(t) for t in texts}
    context = DetectionContext.build()
    detector = engine.DeduceDetector(model)
    runs = {
        "A deduce alone (deidentify)": lambda t: model.deidentify(t),
        "B deduce, annotations only": lambda t: model.deidentify(t, disabled={"redactor", "patient_name"}),
        "Q qualcode detect": lambda t: detect(t, turns[id(t)], context, detector),
    }
    # Interleaved per transcript (A, B, Q on the same text, one after another) and
    # repeated: each transcript counts with its fastest of the rounds, so that load
    # from other processes on the machine hits the three alike.
    fastest = {name: [float("inf")] * len(texts) for name in runs}
    for _ in range(rounds):
        for i, text in enumerate(texts):
            for name, fn in runs.items():
                start = time.perf_counter()
                fn(text)
                fastest[name][i] = min(fastest[name][i], time.perf_counter() - start)
    best = {name: sum(times) for name, times in fastest.items()}
    print(f"{n} transcripts, {total_words:,} words")
    for name, seconds in best.items():
        print(f"  {name:<30} {seconds:7.2f} s  {total_words / seconds:>10,.0f} words/s")
    a, q = best["A deduce alone (deidentify)"], best["Q qualcode detect"]
    print(f"ratio of throughputs Q/A: {a / q:.2f} (aim >= 0.8)")
    print(f"ratio of throughputs Q/B: {best['B deduce, annotations only'] / q:.2f}")


VOCABULARIES = ("samenwerking", "none")


def quality(vocabularies: tuple[str, ...] = VOCABULARIES) -> None:
    """Every gold set, once per codebook vocabulary: ``samenwerking`` (the repository's
    codebook, whose words are never taken as names) and ``none`` (no codebook, as in an
    unseen project whose codebook knows nothing of these interviews: a false positive
    the samenwerking vocabulary hides shows here), then a summary of both."""
    from qualcode.codebook import load_codebook
    from qualcode.pseudonymise import DetectionContext, detect, engine
    from qualcode.pseudonymise.evaluate import evaluate, format_evaluation
    from qualcode.pseudonymise.gold import read_gold_folder
    from qualcode.pseudonymise.project import codebook_vocabulary

    detector = engine.DeduceDetector(engine.load(_progress))
    summary = []
    for name in vocabularies:
        terms = codebook_vocabulary(load_codebook(REPO / "codebooks" / f"{name}.yaml")) if name != "none" else []
        context = DetectionContext.build(vocabulary=terms)
        for folder in GOLD_SETS:
            golds = read_gold_folder(GOLD / folder)
            ev = evaluate(
                golds,
                lambda g, context=context: detect(
                    g.transcript.text, g.transcript.turns, context, detector, attributes=g.transcript.attributes
                ),
                context.vocabulary,
            )
            print(f"\n{folder} ({len(golds)} interviews), codebook vocabulary: {name}")
            print("\n".join(format_evaluation(ev)))
            for line in ev.misses:
                print(f"  missed: {line}")
            for line in ev.false_positives:
                print(f"  not in gold: {line}")
            t, org = ev.total, ev.scores["organisation"]
            summary.append(
                f"{folder:<10} {name:<13} {t.gold:>4} {t.recall or 0:6.2f} {t.category_recall or 0:7.2f} "
                f"{t.precision or 0:9.2f} {len(ev.false_positives):>4} {org.category_recall or 0:8.2f}"
            )
    print(f"\n{'set':<10} {'vocabulary':<13} {'gold':>4} {'recall':>6} {'in cat.':>7} {'precision':>9} {'FP':>4} {'org cat.':>8}")
    print("\n".join(summary))


def exports(root: Path, rounds: int) -> None:
    from benchmarks.bench_cli import OUT, _env, best, qualcode_cmd, timed

    env = _env()
    print(f"{'command':<36}{'first':>8}{'total':>8}{'cpu':>8}{'peak RSS':>10}{'vs plain':>10}")
    for what in ("segments", "qdpx"):
        plain = None
        for extra in ([], ["--pseudonymise"]):
            r = best([timed(qualcode_cmd(root, ["export", what, "-o", OUT, *extra]), env) for _ in range(rounds)])
            plain = plain or r
            print(
                f"{' '.join(['export', what, *extra]):<36}{r['first']:>8.2f}{r['total']:>8.2f}{r['cpu']:>8.2f}"
                f"{r['rss_mb']:>7.0f} MB{r['total'] / plain['total']:>9.2f}x"
            )


def decisions(root: Path, count: int, rounds: int) -> None:
    from benchmarks.bench_cli import _env, best, qualcode_cmd, timed
    from qualcode.store.key import KEY_NAME

    key = root / KEY_NAME
    conn = sqlite3.connect(f"file:{key}?mode=ro", uri=True)
    pending = [
        str(r[0])
        for r in conn.execute(
            "SELECT id FROM candidates WHERE status = 'pending' ORDER BY transcript_id, start, end LIMIT ?", (count,)
        )
    ]
    conn.close()
    if not pending:
        raise SystemExit(f"{key}: no pending candidate (run `qualcode pseudonymise detect` there first)")
    env = _env()
    with tempfile.TemporaryDirectory(prefix="qualcode-bench-key-") as tmp:
        saved = Path(tmp) / KEY_NAME
        shutil.copy2(key, saved)

        def run(args: list[str]) -> dict:
            try:
                return timed(qualcode_cmd(root, ["--coder", "bench", "pseudonymise", *args]), env)
            finally:
                shutil.copy2(saved, key)  # every run decides the same candidates
                for extra in root.glob(KEY_NAME + "-*"):
                    extra.unlink()

        print(f"{'command':<36}{'first':>8}{'total':>8}{'cpu':>8}{'peak RSS':>10}{'vs 1 id':>10}")
        for action in ("accept", "reject"):
            one = None
            for ids in (pending[:1], pending):
                r = best([run([action, *ids]) for _ in range(rounds)])
                one = one or r
                print(
                    f"{f'{action} ({len(ids)} ids)':<36}{r['first']:>8.2f}{r['total']:>8.2f}{r['cpu']:>8.2f}"
                    f"{r['rss_mb']:>7.0f} MB{r['total'] / one['total']:>9.2f}x"
                )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--transcripts", type=int, default=200)
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3, help="runs of each; the fastest per transcript counts")
    parser.add_argument("--evaluate", action="store_true", help="also report precision and recall on the gold interviews")
    parser.add_argument("--quality-only", action="store_true", help="report precision and recall only (no throughput)")
    parser.add_argument(
        "--vocabulary",
        action="append",
        choices=VOCABULARIES,
        help="codebook vocabulary of the quality run (repeatable; default: both, samenwerking and none)",
    )
    parser.add_argument("--export", type=Path, metavar="PROJECT", help="time the exports of PROJECT instead")
    parser.add_argument("--decide", type=Path, metavar="PROJECT", help="time accept/reject of many ids in PROJECT instead")
    parser.add_argument("--ids", type=int, default=2000, help="pending candidates to decide at once (with --decide)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    if args.decide:
        decisions(args.decide.resolve(), args.ids, args.rounds)
        return 0
    if args.export:
        exports(args.export.resolve(), args.rounds)
        return 0
    vocabularies = tuple(args.vocabulary or VOCABULARIES)
    if args.quality_only:
        quality(vocabularies)
        return 0
    throughput(args.transcripts, args.words, args.rounds)
    if args.evaluate:
        quality(vocabularies)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
