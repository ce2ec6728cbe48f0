"""Benchmark: proposing a place for a detached coding (``qualcode.reattach.likely_place``).

Pressing Enter on a detached coding in the app computes the proposal on the UI
thread, so it must stay well inside a frame even on the longest transcript we
plan for. A synthetic interview of 200,000 words (``benchmarks.corpus``) is split
into turns (one per line, label excluded) and sentences; quotes of one to three
sentences are taken from it and edited as a corrected source file would be (a
word replaced, one dropped), and their old places are moved by up to 2,000
characters. Both sides run in the same process:

* **proposal** - ``likely_place`` for each edited quote (the sentences of the
  region it compares are computed inside the timing, as the screen does the first
  time it reads them);
* **baseline** - what the screen does anyway on opening the list: reading the
  text for the quote word for word (``str.find`` from the start) and splitting
  the same region into sentences.

Printed: milliseconds per proposal (aim: under 50), the ratio to the baseline, and
how many edited quotes were found again at their own passage.

Usage::

    python -m benchmarks.bench_reattach [--words 200000] [--quotes 50]
"""

from __future__ import annotations

import argparse
import random
import re
import time


def build(words: int, quotes: int, seed: int = 5):
    """The text, its turns' sentence spans, and ``(edited quote, old place, true span)`` triples."""
    from benchmarks.corpus import generate_transcript
    from qualcode.text import sentence_spans

    text = generate_transcript(words, seed)
    blocks = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start() + 3  # "I: " / "R: "
        blocks.append(sentence_spans(text, start, line.end()))
    rng = random.Random(seed)
    cases = []
    respondent = [b for b in blocks if len(b) >= 3]
    for _ in range(quotes):
        sentences = rng.choice(respondent)
        first = rng.randrange(len(sentences) - 2)
        span = (sentences[first][0], sentences[first + rng.randrange(3)][1])
        words_ = text[span[0] : span[1]].split()
        words_[rng.randrange(len(words_))] = "eigenlijk"
        if len(words_) > 4:
            del words_[rng.randrange(len(words_))]
        cases.append((" ".join(words_), max(0, span[0] + rng.randint(-2000, 2000)), span))
    return text, blocks, cases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=200_000)
    parser.add_argument("--quotes", type=int, default=50)
    args = parser.parse_args(argv)

    from qualcode.reattach import REACH, likely_place
    from qualcode.text import sentence_spans

    text, blocks, cases = build(args.words, args.quotes)
    lines = [(m.start() + 3, m.end()) for m in re.finditer(r"[^\n]+", text)]

    def near(at: int):
        return [(s, e) for s, e in lines if e >= at - REACH and s <= at + REACH]

    started = time.perf_counter()
    found = 0
    for quote, at, span in cases:
        region = (sentence_spans(text, s, e) for s, e in near(at))
        guess = likely_place(text, region, quote, at)
        found += guess is not None and (guess.start, guess.end) == span
    proposal = (time.perf_counter() - started) / len(cases)

    started = time.perf_counter()
    for quote, at, _ in cases:
        text.find(quote)
        for s, e in near(at):
            sentence_spans(text, s, e)
    baseline = (time.perf_counter() - started) / len(cases)

    print(f"{len(text.split()):,} words, {len(cases)} edited quotes, region ±{REACH:,} characters")
    print(
        f"proposal: {proposal * 1000:.1f} ms each (aim: < 50 ms); baseline {baseline * 1000:.2f} ms; ratio {proposal / baseline:.1f}x"
    )
    print(f"found again at their own passage: {found} of {len(cases)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
