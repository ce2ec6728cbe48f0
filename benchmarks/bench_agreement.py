"""Benchmark: inter-coder agreement at character and sentence level against the `krippendorff` package.

A synthetic study (``benchmarks.corpus``): 200 transcripts of 5,000 words, coded
by two coders with about 24,000 codings each (the second coder is the first one
perturbed: shifted boundaries, other codes, omissions, extra codings). Both
sides compute Krippendorff's alpha (nominal) on the same data in the same process:

* **qualcode** - :func:`qualcode.agreement.compute` from the coded spans and the
  documents' units: it computes, run-length, every figure it reports (percent,
  Cohen's kappa, alpha; per code, per transcript, overall). Building the units
  from the text and turns (character regions, or sentences with the regex
  splitter) is timed separately and printed as a second ratio;
* **krippendorff** - ``krippendorff.alpha`` on the reliability matrix (2 coders x
  units, 0/1 values). Building that matrix is *not* timed: the package gets it for
  free. Character level: one matrix per code (2 x ~6 million characters each;
  all codes at once would need gigabytes), times summed. Sentence level: one
  matrix of every (sentence, code) pair, the pooled alpha.

The alphas of both sides are compared (1e-9) and printed. The peak memory of
qualcode's computation is the peak RSS of a child process that generates the
corpus and computes both levels (interpreter and corpus included).

Usage::

    python -m benchmarks.bench_agreement [--transcripts 200] [--words 5000] [--codings 24000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CODES = [f"code_{i:02d}" for i in range(20)]


def build_study(n_transcripts: int, words: int, codings: int, seed: int = 11):
    """Texts, turns and two coders' spans: ``(texts, turns, spans)``."""
    from benchmarks.corpus import generate_transcript
    from qualcode.agreement import CodedSpan
    from qualcode.model import Turn

    rng = random.Random(seed)
    texts, turns, spans = [], [], []
    per_doc = codings // n_transcripts
    for i in range(n_transcripts):
        text = generate_transcript(words, seed * 1_000_003 + i)
        doc_turns, offset = [], 0
        for line in text.split("\n"):
            if line[:3] in ("I: ", "R: "):
                doc_turns.append(Turn(len(doc_turns) + 1, line[0], offset + 3, offset + len(line)))
            offset += len(line) + 1
        texts.append(text)
        turns.append(doc_turns)
        answers = [t for t in doc_turns if t.speaker == "R"]
        seen: set[tuple[int, int, str]] = set()
        while len(seen) < per_doc:
            turn = rng.choice(answers)
            bounds = [m.span() for m in re.finditer(r"\S+", text[turn.start : turn.end])]
            a = rng.randrange(len(bounds))
            b = min(len(bounds) - 1, a + rng.randrange(3, 40))
            start, end, code = turn.start + bounds[a][0], turn.start + bounds[b][1], rng.choice(CODES)
            if (start, end, code) in seen:
                continue
            seen.add((start, end, code))
            spans.append(CodedSpan(i, start, end, code, "anna"))
            roll = rng.random()
            if roll < 0.60:  # the same coding
                spans.append(CodedSpan(i, start, end, code, "bram"))
            elif roll < 0.75:  # other boundaries
                shift = rng.randint(1, 30)
                spans.append(CodedSpan(i, max(turn.start, start - shift), max(start + 1, end - shift), code, "bram"))
            elif roll < 0.85:  # another code
                spans.append(CodedSpan(i, start, end, rng.choice(CODES), "bram"))
            elif roll < 0.95:  # omitted; sometimes an extra coding elsewhere
                if rng.random() < 0.5:
                    s = rng.randrange(turn.start, max(turn.start + 1, turn.end - 50))
                    spans.append(CodedSpan(i, s, min(turn.end, s + rng.randint(20, 200)), rng.choice(CODES), "bram"))
            else:  # the same coding twice under another code too
                spans.append(CodedSpan(i, start, end, code, "bram"))
                spans.append(CodedSpan(i, start, end, rng.choice(CODES), "bram"))
    return texts, turns, list(dict.fromkeys(spans))


def qualcode_documents(texts, turns, unit: str):
    """The documents with their units (sentences: the regex splitter over every turn)."""
    from qualcode.agreement import Document, document_units

    return [
        Document(i, f"synth_{i:04d}", document_units(text, t, unit))
        for i, (text, t) in enumerate(zip(texts, turns, strict=False))
    ]


def qualcode_agreement(docs, spans, unit: str):
    """What `qualcode agreement --unit UNIT` computes once codings and units are read."""
    from qualcode.agreement import compute

    return compute(spans, docs, ["anna", "bram"], unit=unit, codes=CODES)


def matrices(texts, turns, spans, unit: str):
    """Yield the reliability matrices the package needs (not timed), one at a time:
    per code at character level (one 2 x 6 million matrix is ~100 MB), pooled at sentence level."""
    import numpy as np

    from qualcode.agreement import document_units

    units = [document_units(text, t, unit) for text, t in zip(texts, turns, strict=False)]
    offsets, size = [], 0
    for doc_units in units:
        offsets.append(size)
        size += sum(e - s for s, e in doc_units) if unit == "character" else len(doc_units)
    by_code: dict[str, list] = {c: [] for c in CODES}
    for s in spans:
        by_code[s.code].append(s)
    pooled = []
    for code in CODES:
        m = np.zeros((2, size), dtype=np.float64)
        for s in by_code[code]:
            row, base = m[0 if s.coder == "anna" else 1], offsets[s.transcript]
            if unit == "character":
                seen = 0
                for us, ue in units[s.transcript]:
                    lo, hi = max(us, s.start), min(ue, s.end)
                    if lo < hi:
                        row[base + seen + lo - us : base + seen + hi - us] = 1
                    seen += ue - us
            else:
                for k, (us, ue) in enumerate(units[s.transcript]):
                    if us < s.end and ue > s.start:
                        row[base + k] = 1
        if unit == "character":
            yield code, m
        else:
            pooled.append(m)
    if pooled:
        yield "pooled", np.concatenate(pooled, axis=1)


def package_alpha(matrix) -> float:
    import krippendorff

    return krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal", value_domain=[0.0, 1.0])


def best_of(repeat: int, fn):
    best, value = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - start)
    return best, value


def child(args) -> None:
    """Generate the study and compute both levels; print the peak RSS (MB)."""
    texts, turns, spans = build_study(args.transcripts, args.words, args.codings)
    for unit in ("character", "sentence"):
        qualcode_agreement(qualcode_documents(texts, turns, unit), spans, unit)
    print(json.dumps({"peak_mb": peak_rss_mb()}))


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: a spawned child's
    ru_maxrss can start from the parent's peak (Linux keeps it across exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_agreement", description=__doc__.split("\n")[0])
    parser.add_argument("--transcripts", type=int, default=200)
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--codings", type=int, default=24000, help="codings of the first coder")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args)
        return 0
    t0 = time.perf_counter()
    texts, turns, spans = build_study(args.transcripts, args.words, args.codings)
    chars = sum(len(t) for t in texts)
    per_coder = {c: sum(s.coder == c for s in spans) for c in ("anna", "bram")}
    print(
        f"study: {args.transcripts} transcripts, {chars:,} characters, codings {per_coder}, {len(CODES)} codes"
        f" (built in {time.perf_counter() - t0:.1f} s)"
    )
    ok = True
    for unit in ("character", "sentence"):
        units_s, docs = best_of(args.repeat, lambda unit=unit: qualcode_documents(texts, turns, unit))
        ours_s, result = best_of(args.repeat, lambda unit=unit, docs=docs: qualcode_agreement(docs, spans, unit))
        theirs_s, worst, count = 0.0, 0.0, 0
        for key, matrix in matrices(texts, turns, spans, unit):
            t, alpha = best_of(args.repeat, lambda matrix=matrix: package_alpha(matrix))
            theirs_s += t
            count, units = count + 1, matrix.shape[1]
            ours = result.overall.alpha if key == "pooled" else next(r.alpha for r in result.by_code if r.code == key)
            worst = max(worst, abs(ours - alpha))
            del matrix
        ok &= worst < 1e-9
        print(
            f"{unit:9s}: qualcode {ours_s:.3f} s (every figure: {len(result.rows)} rows) + {units_s:.3f} s building"
            f" the units | krippendorff.alpha {theirs_s:.3f} s (alpha only; {count} matrix(es) of 2 x {units:,},"
            f" built untimed) | ratio {ours_s / theirs_s:.3f}x, with the units {(ours_s + units_s) / theirs_s:.3f}x"
            f" | alpha max |diff| {worst:.1e} | overall alpha {result.overall.alpha:.4f}"
        )
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_agreement", "--child", "--transcripts", str(args.transcripts),
         "--words", str(args.words), "--codings", str(args.codings)],
        cwd=REPO, capture_output=True, text=True, check=True,
    )  # fmt: skip
    peak = json.loads(out.stdout)["peak_mb"]
    print(f"peak RSS of qualcode (child: corpus + both levels): {peak:.0f} MB (aim < 300 MB)")
    print("alphas agree" if ok else "ALPHAS DIFFER")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
