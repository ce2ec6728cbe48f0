"""Adversarial inputs: how the cost of each grows with the input's size.

Each case runs at size n and 4n in the same process; the ratio is about 4 when the cost
is linear and 16 when it is quadratic (an exponential case is given in letters: +4 letters
multiply its cost by about 7). Old code: ``PYTHONPATH=/tmp/old python -m benchmarks.bench_hostile``.

    python -m benchmarks.bench_hostile [--size N] [CASE ...]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path


def _f4(n: int) -> None:
    from qualcode.ingest import parse_turns

    parse_turns("Interviewer: hallo" + " " * n + "x #00:01:02-3#")


def _timing_line(n: int) -> None:
    from qualcode.ingest.subtitles import read_srt

    srt = "1\n00:00:01,000 --> 00:00:02,000\nhallo\n\n2\n" + "1:" * (n // 2) + "x\nhoi\n"
    read_srt(srt.encode(), Path("t.srt"), None)


def _detect(text: str) -> None:
    from qualcode.ingest import parse_turns
    from qualcode.pseudonymise import DetectionContext, detect

    detect(text, parse_turns(text), DetectionContext.build(), None)


def _initials(n: int) -> None:
    _detect("Interviewer: Ik sprak meneer " + "A " * n + "Ab gisteren.\n")


def _names(n: int) -> None:
    _detect("Interviewer: " + "Jan, " * (n // 5) + "eind.\n")


def _street(n: int) -> None:
    from qualcode.pseudonymise.patterns import find_patterns

    find_patterns("A'" * (n // 2))


def _spoken_email(n: int) -> None:
    from qualcode.pseudonymise.patterns import find_patterns

    find_patterns("a punt at punt " * (n // 15))


def _long_word(n: int) -> None:
    _detect("Interviewer: Ik woon in Roma" + "a" * n + " echt.\n")


def _long_caseless_word(n: int) -> None:
    _detect("Interviewer: " + "ik ben hier en daar " * 5 + "ik woon in " + "qz" * (n // 2) + " en ik ben hier\n")


def _filter(n: int) -> None:
    from qualcode.tui.screens.transcripts import parse_filter

    parse_filter("a" * n)


def _interviewer_pattern(n: int) -> None:
    import tempfile

    from qualcode.errors import QualcodeError
    from qualcode.project import load_config

    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as folder:
        Path(folder, "qualcode.yaml").write_text('interviewer_speakers: ["(a+)+$"]\n', encoding="utf-8")
        try:
            config = load_config(Path(folder))
        except QualcodeError:
            return  # refused where it is read (QC005): nothing is matched
        config.role_of("a" * n + " x")


_RULES: list = []


def _regex_long_word(n: int) -> None:
    if not _RULES:
        from qualcode.codebook import parse_codebook
        from qualcode.suggest.pipeline import load_pipeline
        from qualcode.suggest.rules import RuleSuggester

        book = "title: T\ncodes:\n  - id: v\n    name: V\n    hints:\n      patterns:\n        - [{LOWER: {REGEX: '.*heid$'}}]\n"
        _RULES.append(RuleSuggester(load_pipeline(None), parse_codebook(book, "codebook.yaml")[0]))
    rules = _RULES[0]
    rules.match(rules.pipeline.nlp("Hier staat " + "a" * n + " echt."))


# name -> (function, default size: what the old code does in about a second)
CASES: dict[str, tuple[Callable[[int], None], int]] = {
    "f4-after-spaces": (_f4, 40_000),
    "subtitle-timing-line": (_timing_line, 20_000),
    "initials (letters)": (_initials, 18),
    "names-in-a-turn": (_names, 40_000),
    "street-apostrophes": (_street, 40_000),
    "transcripts-filter": (_filter, 20_000),
    "spoken-email-chain": (_spoken_email, 40_000),
    "long-capitalised-word": (_long_word, 60_000),
    "long-caseless-word": (_long_caseless_word, 60_000),
    "interviewer-regex (letters)": (_interviewer_pattern, 22),
    "regex-on-a-long-word": (_regex_long_word, 15_000),
}


def _measure(run: Callable[[int], None], n: int) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    run(n)
    return time.process_time() - cpu, time.perf_counter() - wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", help=f"some of: {', '.join(CASES)}")
    parser.add_argument("--size", type=int, help="n instead of each case's default")
    args = parser.parse_args()
    for name in args.cases or CASES:
        run, default = CASES[name]
        n = args.size or default
        _measure(run, 10)  # imports and compiled patterns out of the way
        small, large = _measure(run, n), _measure(run, n + 4 if "letters" in name else 4 * n)
        print(
            f"{name:22} n={n:>9,}  cpu {small[0]:7.3f} s  wall {small[1]:7.3f} s   "
            f"x4: cpu {large[0]:7.3f} s  wall {large[1]:7.3f} s   ratio {large[0] / max(small[0], 1e-6):6.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
