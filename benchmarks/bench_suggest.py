"""Benchmark of spaCy suggestions: throughput, training cost, and quality on seen and unseen text.

1. **Throughput.** A synthetic corpus of about 1,000,000 words (``benchmarks.corpus``)
   is imported into a temporary project with the sample codebook. Against a full
   rules-only suggestion run (``run_suggestions``: reading transcripts from
   SQLite, sentence segments, keyword/lemma/pattern matching, filtering, storing)
   stand two baselines over the same respondent turns, texts already in memory:

   A. the bare pipeline: ``nlp.pipe`` with blank Dutch + sentencizer + lookup
      lemmatizer -- the NLP alone, no matching at all;
   B. the same plus the codebook's hints run the plain spaCy way: one
      ``PhraseMatcher`` for the keywords and one ``Matcher`` with all token
      patterns over every doc (what the rule suggester would be without its
      anchoring and its own lemma matching).

   Each is run twice in alternation and the faster time counts. Then one
   50,000-word transcript (issue #12's target: ``qualcode suggest`` <= 1.25x bare
   spaCy): rules only and the default run (rules + learned model), each as a
   first run and a re-run, against A and A' over its respondent turns; the
   default run also against A plus the trained classifier scoring the
   features of every content sentence, as the learned model scores them: the
   same components. The "first" runs there share a process that has analysed the
   corpus already (first only for what is stored), so the same four also run in
   fresh processes, each side paying its own first-use costs, as a `qualcode
   suggest` process does (building the pipelines, and compiling the hints for
   ours, timed apart as load). Also measured:
   whether ``n_process=2`` helps on this machine, for the bare pipeline and for
   the analysis step.
2. **Training.** The learned suggester on 2,000 coded sentences (plus the
   uncoded sentences of the same transcripts), then on 72,000 sentences with
   ``--evaluate``'s work on the same (cross-validation with and without the
   learning curve), each in a fresh process so that its peak memory is its own.
3. **Quality** (part ``quality``). ``qualcode suggest --evaluate`` on a copy of the
   sample project: cross-validation by transcript, what tuning may look at. Then
   the micro figures again with 3, 5 and 6 folds and their mean: with six coded
   transcripts the fold split alone moves F1 by about 0.02 (0.398-0.417 on leaf
   codes), so an idea is judged by the mean and should beat that spread. Which
   transcripts share a fold moves it too (the usual assignment is a lucky one for
   the definitions codebook: 0.349, four others 0.330-0.345), so that mean is taken
   again for four other assignments (``FOLD_ORDERS``), and ideas are judged by the
   mean over all five (about 30 s per codebook on this machine).
4. **Held out** (part ``heldout``). The transcripts in ``benchmarks/heldout/`` (eight
   interviews in six conventions, coded before any suggestion was run on them, never
   used for tuning: skip this part while tuning). The rule suggester on unseen text,
   and the learned and combined suggesters (A) trained and calibrated on the six
   sample transcripts, (B) for each held-out interview, trained and calibrated on all
   the other coded transcripts (issue #12's protocol). Beside them, what they aim at:
   a second coder's coding of the same interviews (``heldout_second_coder.csv``: an AI
   model coding from the codebook alone before it read the gold) scored as a suggester
   is, leaf micro F1 0.79 and top level 0.83.

Parts 3 and 4 run under two codebooks (``--codebooks``): the sample's own, whose hints
were written while reading the sample (so the rules look better on it than on new
text), and ``benchmarks/codebook_definitions.yaml``, the same codes with hints written
from each code's definition, criteria and examples alone -- how issue #12's graders
measure, and what a researcher new to the text writes.

Usage::

    python -m benchmarks.bench_suggest [--words 1000000] [--coded 2000] [--sentences 72000]
        [--skip throughput,training,training-large,quality,heldout] [--codebooks sample,definitions]
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _project_with_corpus(folder: Path, words: int):
    from benchmarks.corpus import generate_corpus
    from qualcode.importing import import_paths
    from qualcode.project import Project

    shutil.copytree(REPO / "codebooks", folder / "codebooks")
    per_file = 5000
    generate_corpus(folder / "transcripts", max(1, words // per_file), per_file, seed=1)
    project = Project(folder)
    import_paths(project, [folder / "transcripts"])
    return project


def hint_matchers(nlp, codebook) -> list:
    """spaCy's own matchers for a codebook's hints: keywords by lower case, lemmas by lemma
    (made with ``nlp``'s lemmatizer, when it has one), token patterns."""
    from spacy.matcher import Matcher, PhraseMatcher

    keywords = PhraseMatcher(nlp.vocab, attr="LOWER")
    lemmas = PhraseMatcher(nlp.vocab, attr="LEMMA")
    patterns = Matcher(nlp.vocab)
    for code in codebook.walk():
        if code.hints.keywords:
            keywords.add(code.id, [nlp.make_doc(k.lower()) for k in code.hints.keywords])
        if code.hints.lemmas:
            lemmas.add(code.id, list(nlp.pipe(code.hints.lemmas)))
        if code.hints.patterns:
            patterns.add(code.id, code.hints.patterns)
    return [keywords, lemmas, patterns]


def throughput(words: int) -> None:
    from qualcode.suggest.analysis import analyse
    from qualcode.suggest.pipeline import load_pipeline
    from qualcode.suggest.rules import RuleSuggester
    from qualcode.suggest.runner import run_suggestions
    from qualcode.suggest.segments import respondent_turns

    with tempfile.TemporaryDirectory(prefix="qc-bench-suggest-") as tmp:
        project = _project_with_corpus(Path(tmp), words)
        store = project.store
        transcripts = [store.transcripts.load(t) for t in store.transcripts.names()]
        texts = [t.text[u.start : u.end] for t in transcripts for u in respondent_turns(t)]
        respondent_words = sum(len(x.split()) for x in texts)
        total_words = sum(t.word_count for t in transcripts)
        pipeline = load_pipeline(project.config.spacy_model)  # loaded once, outside the timings
        nlp = pipeline.nlp
        import spacy

        # spaCy's own components for the same job: what a bare spaCy user would run.
        standard = spacy.blank("nl")
        standard.add_pipe("sentencizer")
        standard.add_pipe("lemmatizer", config={"mode": "lookup"})
        standard.initialize()

        # CPU seconds per timed run as well (this process only: the machine may be shared
        # with other work, which stretches wall time but not CPU time).
        cpu: dict[str, list[float]] = {"A": [], "A'": [], "suggest": []}

        def bare(n_process: int = 1, model=None, label: str | None = None) -> float:
            started, cpu_started = time.perf_counter(), time.process_time()
            for _ in (model or nlp).pipe(texts, batch_size=64, n_process=n_process):
                pass
            if label:
                cpu[label].append(time.process_time() - cpu_started)
            return time.perf_counter() - started

        matchers = hint_matchers(nlp, project.codebook)

        def bare_matchers() -> float:
            started = time.perf_counter()
            for doc in nlp.pipe(texts, batch_size=64):
                for match in matchers:
                    match(doc)
            return time.perf_counter() - started

        def suggest() -> float:
            started, cpu_started = time.perf_counter(), time.process_time()
            summary = run_suggestions(project, learned=False)
            elapsed = time.perf_counter() - started
            cpu["suggest"].append(time.process_time() - cpu_started)
            suggest.summary = summary  # type: ignore[attr-defined]
            return elapsed

        bare(1)  # warm-up (tokenizer caches, lemma tables)
        bare(1, standard)
        # The suggestions too: its first run also stores every suggestion (timed apart, in
        # one_transcript and fresh_processes); this is the steady-state throughput.
        first_run = suggest()
        cpu["suggest"].clear()
        bare_times, standard_times, matcher_times, suggest_times = [], [], [], []
        for _ in range(3):
            bare_times.append(bare(1, label="A'"))
            standard_times.append(bare(1, standard, label="A"))
            matcher_times.append(bare_matchers())
            suggest_times.append(suggest())
        b, a, m, s = min(bare_times), min(standard_times), min(matcher_times), min(suggest_times)
        summary = suggest.summary  # type: ignore[attr-defined]
        print(
            f"corpus: {len(transcripts)} transcripts, {total_words:,} words ({respondent_words:,} in {len(texts):,} respondent turns)"
        )
        print(f"  A  bare spaCy: blank nl + sentencizer + lookup lemmatizer {a:7.2f} s   {respondent_words / a:10,.0f} words/s")
        print(f"  A' bare nlp.pipe of qualcode's pipeline ({pipeline.name})  {b:7.2f} s   {respondent_words / b:10,.0f} words/s")
        print(f"  B  A' + spaCy's PhraseMatchers and Matcher for the hints    {m:7.2f} s   {respondent_words / m:10,.0f} words/s")
        print(
            f"     qualcode suggest --rules-only (run_suggestions)     {s:7.2f} s   {respondent_words / s:10,.0f} words/s"
            f"   ({summary.sentences:,} sentences, {summary.pending:,} pending suggestions)"
        )
        print(
            f"  throughput ratio suggest/A: {a / s:.2f}x (aim >= 0.80x);  suggest/A': {b / s:.2f}x (overhead {s / b - 1:+.0%});"
            f"  suggest/B: {m / s:.2f}x;  the first run, which stores them all: {first_run:.2f} s ({a / first_run:.2f}x)"
        )
        ca, cb, cs = min(cpu["A"]), min(cpu["A'"]), min(cpu["suggest"])
        print(
            f"  CPU time (this process): A {ca:.2f} s, A' {cb:.2f} s, suggest {cs:.2f} s;"
            f" ratio suggest/A: {ca / cs:.2f}x (aim >= 0.80x), suggest/A': {cb / cs:.2f}x"
        )
        one_transcript(project, pipeline, standard)

        rules = RuleSuggester(pipeline, project.codebook)

        def analysis(n_process: int) -> float:
            started = time.perf_counter()
            for _ in analyse(pipeline, transcripts, rules=rules, n_process=n_process):
                pass
            return time.perf_counter() - started

        # The learned suggester's extra cost: lemma features and scoring of every
        # sentence, with a model trained on the sample project's coding.
        from qualcode.project import Project
        from qualcode.suggest.dataset import labelled_sentences
        from qualcode.suggest.learned import features, train
        from qualcode.suggest.training import codable_codes

        sample = Path(tmp) / "sample"
        for sub in ("codebooks", "transcripts"):
            shutil.copytree(REPO / sub, sample / sub)
        seen = Project(sample)
        from qualcode.importing import auto_import

        auto_import(seen)
        data = labelled_sentences(seen.store, pipeline, rules, codable_codes(seen.codebook))
        model = train([features(d.sentence.words, d.sentence.hits) for d in data], [d.gold for d in data])
        seen.close()
        started = time.perf_counter()
        scored = 0
        for _, found in analyse(pipeline, transcripts, rules=rules, words=True):
            model.scores([features(x.words, x.hits) for x in found])
            scored += len(found)
        learned_time = time.perf_counter() - started
        plain_time = analysis(1)
        print(
            f"  learned suggester on top (features + scores of {scored:,} sentences, {len(model.codes)} codes):"
            f" +{learned_time - plain_time:.2f} s over the analysis with rules ({plain_time:.2f} s)"
        )

        b2 = bare(2)
        a1, a2 = analysis(1), analysis(2)
        print(f"  n_process=2, bare nlp.pipe:           {b2:7.2f} s  vs {b:.2f} s with 1 process ({b / b2:.2f}x)")
        print(f"  n_process=2, analysis with rules:     {a2:7.2f} s  vs {a1:.2f} s with 1 process ({a1 / a2:.2f}x)")
        print(f"  cores: {os.cpu_count()}")
        project.close()


ROUNDS = 5  # timed rounds of the one-transcript runs (0.1-0.3 s each: the best of several counts)


def one_transcript(project, pipeline, standard, words: int = 50_000) -> None:
    """`qualcode suggest` on one 50,000-word transcript against the bare pipelines over its text.

    Twice: rules only, and the default run (rules and the learned model combined),
    with a model trained on the sample project's coded transcripts, imported into
    the same project (trained once before the timings; each timed run loads it, as
    a `qualcode suggest` process does). Each suggestion run is timed as a first run
    (nothing stored yet for the transcript) and again (what is stored is compared).
    """
    from benchmarks.corpus import generate_corpus
    from qualcode.importing import import_paths
    from qualcode.suggest.runner import run_suggestions
    from qualcode.suggest.segments import respondent_turns

    folder = project.root / "long"
    generate_corpus(folder, 1, words, seed=7)
    import_paths(project, [folder])
    tid = max(project.store.transcripts.names())
    transcript = project.store.transcripts.load(tid)
    texts = [transcript.text[u.start : u.end] for u in respondent_turns(transcript)]
    shutil.copytree(REPO / "transcripts", project.root / "coded")
    import_paths(project, [project.root / "coded"])  # with its codings.csv: something to learn from
    run_suggestions(project, [], train=True)  # trains the model, outside the timings

    # The default run's fair baseline (issue #12: "the same components"): bare spaCy
    # plus the trained classifier (a numpy logistic regression since it replaced
    # spaCy's textcat) over the sentences the learned model scores (the content
    # ones), given as the features it scores (built outside the timings).
    from qualcode.suggest.analysis import analyse
    from qualcode.suggest.learned import LearnedModel, sentence_features
    from qualcode.suggest.rules import RuleSuggester
    from qualcode.suggest.training import model_dir

    model = LearnedModel.load(model_dir(project.root))
    rules = RuleSuggester(pipeline, project.codebook)
    ((_, sentences),) = analyse(pipeline, [transcript], rules=rules, words=True)
    feats = [f for s, f in zip(sentences, sentence_features(sentences), strict=True) if s.content]

    def standard_textcat() -> None:
        list(standard.pipe(texts, batch_size=64))
        model.scores(feats)

    # What a bare spaCy user would run for the hints: spaCy's own matchers over every doc.
    matchers = hint_matchers(standard, project.codebook)

    def standard_hints() -> None:
        for doc in standard.pipe(texts, batch_size=64):
            for match in matchers:
                match(doc)

    def standard_hints_textcat() -> None:
        standard_hints()
        model.scores(feats)

    runs = {
        "ours": lambda: list(pipeline.nlp.pipe(texts, batch_size=64)),
        "standard": lambda: list(standard.pipe(texts, batch_size=64)),
        "standard+textcat": standard_textcat,
        "standard+hints": standard_hints,
        "standard+hints+textcat": standard_hints_textcat,
        "rules first": lambda: run_suggestions(project, [tid], learned=False),
        "rules again": lambda: run_suggestions(project, [tid], learned=False),
        "combined first": lambda: run_suggestions(project, [tid]),
        "combined again": lambda: run_suggestions(project, [tid]),
    }
    timings: dict[str, list[float]] = {name: [] for name in runs}
    cpu: dict[str, list[float]] = {name: [] for name in runs}  # CPU seconds of this process
    for _ in range(ROUNDS):
        for name, run in runs.items():
            if name.endswith("first"):
                project.store.suggestions.replace_pending(tid, [])  # nothing stored: a first run
            started, cpu_started = time.perf_counter(), time.process_time()
            run()
            timings[name].append(time.perf_counter() - started)
            cpu[name].append(time.process_time() - cpu_started)
    best = {name: min(times) for name, times in timings.items()}
    best_cpu = {name: min(times) for name, times in cpu.items()}
    print(
        f"  one transcript of {transcript.word_count:,} words ({len(texts)} respondent turns): bare spaCy {best['standard']:.2f} s,"
        f" bare qualcode pipeline {best['ours']:.2f} s, bare spaCy + the trained classifier over its {len(feats):,} content"
        f" sentences {best['standard+textcat']:.2f} s"
    )
    print(
        f"  bare spaCy + spaCy's matchers for the hints {best['standard+hints']:.2f} s,"
        f" and + the trained classifier {best['standard+hints+textcat']:.2f} s (what a bare spaCy user would run for the hints)"
    )
    for name in ("rules first", "rules again", "combined first", "combined again"):
        rules_only = name.startswith("rules")
        fair = "standard" if rules_only else "standard+textcat"
        whole = "standard+hints" if rules_only else "standard+hints+textcat"
        print(
            f"    suggest {'--rules-only' if rules_only else '(rules + learned)'} {name.split()[1]:5s}"
            f" {best[name]:5.2f} s: {best[name] / best[fair]:.2f}x bare spaCy{'' if rules_only else ' + classifier'}"
            f" (aim <= 1.25x), {best[name] / best['standard']:.2f}x bare spaCy alone,"
            f" {best[name] / best['ours']:.2f}x the bare qualcode pipeline,"
            f" {best[name] / best[whole]:.2f}x bare spaCy with its own matchers for the hints;"
            f" CPU {best_cpu[name]:.2f} s: {best_cpu[name] / best_cpu[fair]:.2f}x bare spaCy{'' if rules_only else ' + classifier'}"
        )
    fresh_processes(project, tid, texts, feats)


def fresh_processes(project, tid: int, texts: list[str], feats: list[list[str]]) -> None:
    """First runs as a `qualcode suggest` process makes them: each in a fresh process.

    The runs above share a process that has analysed the corpus already, so a "first"
    run there is first only for the transcript's stored suggestions. Here every side
    starts cold and pays its own first-use costs (spaCy's tokenizer cache and new
    lexemes for the baselines; our caches per word type as well): the bare pipeline
    (plus the trained classifier) and `run_suggestions` (rules only; default), each in
    its own spawned process, in alternation. Before the clock starts, the baselines
    have their texts (and feature lists) in memory; ours has the project open with
    its codebook read, as the CLI opens it before the run. Building the pipelines is
    timed apart and reported as load: spacy.blank + components + initialize (+ the
    classifier loaded from disk) against load_pipeline + the codebook's hints compiled
    (what run_suggestions does first, under "loading the spaCy pipeline") + for the
    default run simplemma's dictionary (loaded by run_suggestions with the learned
    model; the model itself stays inside every timed run of ours, as it loads it on
    every run). In the same process each then runs again: ours first with nothing
    stored (a warm process's first run of the transcript), then as a re-run.
    """
    context = multiprocessing.get_context("spawn")
    kinds = ("standard", "rules", "standard+textcat", "combined")
    found: dict[str, list[tuple[float, ...]]] = {kind: [] for kind in kinds}
    for _ in range(3):
        for kind in kinds:
            project.store.suggestions.replace_pending(tid, [])  # nothing stored: a first run
            queue = context.Queue()
            child = context.Process(target=_fresh_child, args=(kind, str(project.root), tid, texts, feats, queue))
            child.start()
            found[kind].append(queue.get())
            child.join()
    # Per kind and measure (load, first, again[, re-run]; wall and CPU): the best of the rounds.
    best = {kind: [min(col) for col in zip(*rows, strict=True)] for kind, rows in found.items()}
    print("  in fresh processes (best of 3 each; CPU in brackets):")
    for kind, fair in (("rules", "standard"), ("combined", "standard+textcat")):
        b, o = best[fair], best[kind]
        name = "--rules-only" if kind == "rules" else "(rules + learned)"
        warm, warm_cpu = min(b[2], b[4]), min(b[3], b[5])  # ours again against the baseline's best pass
        print(
            f"    {fair:16s}: build {b[0]:.2f} s ({b[1]:.2f}); first pass {b[2]:.3f} s ({b[3]:.3f}); again {b[4]:.3f} s ({b[5]:.3f})"
        )
        print(
            f"    suggest {name}: load (pipeline + hints{'' if kind == 'rules' else ' + dictionary'}) {o[0]:.2f} s ({o[1]:.2f}); first run {o[2]:.3f} s ({o[3]:.3f}):"
            f" {o[2] / b[2]:.2f}x ({o[3] / b[3]:.2f}x) the first pass (aim <= 1.25x); first run of the transcript in the warm"
            f" process {o[4]:.3f} s ({o[5]:.3f}): {o[4] / warm:.2f}x ({o[5] / warm_cpu:.2f}x) its best pass;"
            f" re-run {o[6]:.3f} s ({o[7]:.3f}): {o[6] / warm:.2f}x ({o[7] / warm_cpu:.2f}x)"
        )


def _fresh_child(kind: str, root: str, tid: int, texts: list[str], feats: list[list[str]], queue) -> None:
    """In a fresh process: build (timed as load), then the timed runs (see fresh_processes)."""

    def clock(run) -> tuple[float, float]:
        started, cpu = time.perf_counter(), time.process_time()
        run()
        return time.perf_counter() - started, time.process_time() - cpu

    if kind.startswith("standard"):
        import spacy

        from qualcode.suggest.learned import LearnedModel
        from qualcode.suggest.training import model_dir

        built: list = []

        def build() -> None:
            standard = spacy.blank("nl")
            standard.add_pipe("sentencizer")
            standard.add_pipe("lemmatizer", config={"mode": "lookup"})
            standard.initialize()
            built.extend([standard, LearnedModel.load(model_dir(Path(root))) if kind.endswith("textcat") else None])

        def run() -> None:
            standard, model = built
            list(standard.pipe(texts, batch_size=64))
            if model is not None:
                model.scores(feats)  # the trained classifier over the content sentences' features

        queue.put((*clock(build), *clock(run), *clock(run)))
        return
    import spacy  # noqa: F401  (imported before the clock starts, as the baselines import it)

    from qualcode.project import Project
    from qualcode.suggest.pipeline import load_pipeline
    from qualcode.suggest.rules import rule_suggester
    from qualcode.suggest.runner import run_suggestions

    project = Project(Path(root))
    project.sync_codebook()  # what the CLI does when it opens the project
    learned = kind == "combined"

    def load() -> None:  # what run_suggestions loads first (the learned model itself it loads on every run)
        pipeline = load_pipeline(project.config.spacy_model)
        rule_suggester(pipeline, project.codebook)
        if learned:
            pipeline.load_lemma_dictionary()

    loaded = clock(load)
    first = clock(lambda: run_suggestions(project, [tid], learned=learned))
    project.store.suggestions.replace_pending(tid, [])
    again = clock(lambda: run_suggestions(project, [tid], learned=learned))
    rerun = clock(lambda: run_suggestions(project, [tid], learned=learned))
    project.close()
    queue.put((*loaded, *first, *again, *rerun))


def _train_child(coded: int, sentences_wanted: int, evaluate_too: bool, queue) -> None:
    """In a fresh process: build coded sentences, train (and evaluate), report time and peak memory.

    Stand-in for a researcher's coding: the codes the hints find. Only the amount
    matters for timing; every sentence of a transcript is used, so the uncoded
    ones are the negatives, as in a real project.
    """
    from qualcode.suggest.analysis import analyse
    from qualcode.suggest.dataset import Labelled
    from qualcode.suggest.evaluate import evaluate
    from qualcode.suggest.fitting import features_of
    from qualcode.suggest.learned import train
    from qualcode.suggest.pipeline import load_pipeline
    from qualcode.suggest.rules import RuleSuggester
    from qualcode.suggest.training import codable_codes

    words = 200_000 if sentences_wanted == 0 else max(200_000, sentences_wanted * 12)
    with tempfile.TemporaryDirectory(prefix="qc-bench-train-") as tmp:
        project = _project_with_corpus(Path(tmp), words)
        pipeline = load_pipeline(None)
        rules = RuleSuggester(pipeline, project.codebook)
        codebook, codes = project.codebook, codable_codes(project.codebook)
        store = project.store
        transcripts = (store.transcripts.load(t) for t in store.transcripts.names())
        data, n_coded = [], 0
        for _, found in analyse(pipeline, transcripts, rules=rules, words=True):
            data.extend(Labelled(s, set(s.hits)) for s in found)
            n_coded += sum(bool(s.hits) for s in found)
            if (sentences_wanted and len(data) >= sentences_wanted) or (not sentences_wanted and n_coded >= coded):
                break
        project.close()
    n_sentences = len(data)
    if evaluate_too:  # in its own process: evaluate holds every analysed sentence
        started, cpu = time.perf_counter(), time.process_time()
        result = evaluate(data, codes, rules.codes, codebook, 0.3)
        evaluation = (
            (time.perf_counter() - started, time.process_time() - cpu),
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            result.notes,
        )
        queue.put((n_coded, n_sentences, 0, 0.0, 0, 0, evaluation, None))
        return
    feats = features_of(data)
    labels = [d.gold for d in data]
    fitted = None
    if n_sentences < 10_000:
        from qualcode.suggest.fitting import fit

        started, cpu = time.perf_counter(), time.process_time()
        fit(data, codes, 0.3)  # what a suggestion run does when it retrains: model plus calibration
        fitted = (time.perf_counter() - started, time.process_time() - cpu)
    del data, found  # training needs the feature lists only
    gc.collect()
    before = _rss_kib()
    _reset_peak()
    started, cpu = time.perf_counter(), time.process_time()
    model = train(feats, labels)
    seconds = (time.perf_counter() - started, time.process_time() - cpu)
    after = _rss_kib("VmHWM:")
    queue.put((n_coded, n_sentences, len(model.codes), seconds, before, after, None, fitted))


def _rss_kib(field: str = "VmRSS:") -> int:
    """The process's resident memory now (VmRSS) or its peak (VmHWM), in KiB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _reset_peak() -> None:
    """Start VmHWM afresh, so the peak after training is training's own (Linux >= 4.0)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def training(coded: int, sentences: int = 0, evaluate_too: bool = False) -> None:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_train_child, args=(coded, sentences, evaluate_too, queue))
    child.start()
    n_coded, n_sentences, n_codes, seconds, before, after, evaluation, fitted = queue.get()
    child.join()
    if evaluation is not None:
        plain, rss, notes = evaluation
        print(
            f"  suggest --evaluate's work on {n_sentences:,} sentences: {plain[0]:.1f} s, {plain[1]:.1f} s CPU (aim <= 60 s);"
            f" peak RSS {rss / 1024:.0f} MiB" + "".join(f"\n    note: {n}" for n in notes)
        )
        return
    print(f"training: {n_coded:,} coded sentences ({n_sentences:,} with the uncoded ones), {n_codes} codes")
    aim = "aim <= 15 s, <= 400 MB" if sentences else "aim <= 10 s"
    print(f"  train() {seconds[0]:.1f} s, {seconds[1]:.1f} s CPU ({aim})")
    print(
        f"  process RSS: {before / 1024:.0f} MiB when training starts (spaCy, lemma tables, the features);"
        f" peak during training {after / 1024:.0f} MiB"
    )
    if fitted is not None:
        print(
            f"  fit() {fitted[0]:.1f} s, {fitted[1]:.1f} s CPU: the model plus its calibration"
            " by 5-fold cross-validation (what a run retrains; aim <= 10 s)"
        )


# The codebooks the quality parts measure under: the sample's own (its hints written while
# reading the sample) and the same codes with hints written from the definitions alone
# (``benchmarks/codebook_definitions.yaml``), as a researcher new to the text would.
CODEBOOKS = {
    "sample": REPO / "codebooks" / "samenwerking.yaml",
    "definitions": REPO / "benchmarks" / "codebook_definitions.yaml",
}


def _copy_codebooks(folder: Path, codebook: str) -> None:
    """The sample's ``codebooks/`` folder in ``folder``, its codebook's hints those of
    :data:`CODEBOOKS` [``codebook``] (same codes, same file name)."""
    shutil.copytree(REPO / "codebooks", folder / "codebooks")
    shutil.copyfile(CODEBOOKS[codebook], folder / "codebooks" / "samenwerking.yaml")


def quality(codebook: str = "sample") -> None:
    """``qualcode suggest --evaluate`` on a copy of the sample project (cross-validation by transcript)."""
    with tempfile.TemporaryDirectory(prefix="qc-bench-quality-") as tmp:
        sample = Path(tmp) / "sample"
        sample.mkdir()
        _copy_codebooks(sample, codebook)
        shutil.copytree(REPO / "transcripts", sample / "transcripts")
        print(f"sample project, {codebook} codebook: qualcode suggest --evaluate", flush=True)
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "qualcode", "--project", str(sample), "suggest", "--evaluate"],
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - started
        print(done.stdout + "\n".join("  " + line for line in done.stderr.splitlines()), flush=True)
        print(f"  ({seconds:.1f} s including the import)")
        by_folds(sample, codebook)


FOLD_COUNTS = (3, 5, 6)  # the sample's six transcripts split three ways
# The assignments of transcripts to folds (folds_of's ``order``; 0: the usual one). One
# split is noise-prone: the usual one is lucky for the definitions codebook (combined
# leaf F1 0.349 there, 0.330-0.345 on the four others), so ideas are judged on the mean.
FOLD_ORDERS = (0, 1, 2, 3, 4)


def by_folds(folder: Path, codebook: str = "sample") -> None:
    """The sample's micro figures (leaf and top level; rules, learned and combined)
    cross-validated with each of :data:`FOLD_COUNTS` folds, and their mean: how far
    the fold split alone moves them (the noise any idea must beat). Then the combined
    figures' mean over :data:`FOLD_COUNTS` for each of :data:`FOLD_ORDERS`, and their
    mean: the measure an idea is judged by."""
    from qualcode.suggest.evaluate import evaluate_project

    names = ("rules", "learned", "combined", "top rules", "top combined")
    per_order: list[tuple[str, list[float | None]]] = []
    for order in FOLD_ORDERS:
        rows: list[tuple[str, list[float | None]]] = []
        for folds in FOLD_COUNTS:
            result = evaluate_project(folder, folds=folds, curve=False, fold_order=order)
            reports = {
                "rules": result.rules,
                "learned": result.learned,
                "combined": result.combined,
                "top rules": result.top_level[0] if result.top_level else None,
                "top combined": result.top_level[1] if len(result.top_level) > 1 else None,
            }
            figures: list[float | None] = []
            for found in reports.values():
                micro = found.micro if found is not None else None
                figures += [micro.precision, micro.recall, micro.f1] if micro is not None else [None, None, None]
            rows.append((f"{folds} folds", figures))
        rows.append(("mean", _mean([figures for _, figures in rows])))
        per_order.append((f"order {order}", rows[-1][1]))
        if order == 0:
            print(
                f"\nsample project, {codebook} codebook, micro P/R/F1 by the number of folds"
                " (the spread is the noise an idea must beat)"
            )
            _figure_table("folds", names, rows)
    per_order.append(("mean", _mean([figures for _, figures in per_order])))
    print(
        f"\nsample project, {codebook} codebook, micro P/R/F1, mean of {', '.join(map(str, FOLD_COUNTS))} folds,"
        " by the assignment of transcripts to folds (0: the usual; judge ideas by the mean)"
    )
    _figure_table("assignment", names, per_order)


def _mean(rows: list[list[float | None]]) -> list[float | None]:
    """Column means of figure rows (None where any is missing)."""
    return [None if None in c else sum(v or 0.0 for v in c) / len(c) for c in zip(*rows, strict=True)]


def _figure_table(first: str, names: Sequence[str], rows: list[tuple[str, list[float | None]]]) -> None:
    """Rows of P/R/F1 triples, one column per name."""
    print(f"{first:10s}" + "".join(f"  {name:>16s}" for name in names))
    for label, figures in rows:
        cells = [
            "/".join("  – " if v is None else f"{v:.3f}"[1:] if v < 1 else f"{v:.2f}" for v in figures[k : k + 3])
            for k in range(0, len(figures), 3)
        ]
        print(f"{label:10s}" + "".join(f"  {cell:>16s}" for cell in cells))


def heldout(codebook: str = "sample") -> None:
    """The held-out transcripts (``benchmarks/heldout/``) scored two ways:

    A. the learned and combined suggesters trained and calibrated on the six sample
       transcripts only (what a researcher who coded the sample would get);
    B. issue #12's protocol, "with the learned part trained on the others": each
       held-out interview scored by a model trained and calibrated on ALL the other
       coded transcripts (the six sample ones and the seven other held-out ones),
       one fit per interview (``qualcode suggest --evaluate TRANSCRIPT...``).

    The rules need no training: their rows are the same in both tables.
    """
    from qualcode.cli.suggest_cmds import show_evaluation
    from qualcode.importing import import_paths
    from qualcode.project import Project
    from qualcode.suggest.dataset import codebook_sentences, labelled_sentences
    from qualcode.suggest.evaluate import evaluate
    from qualcode.suggest.pipeline import load_pipeline
    from qualcode.suggest.rules import RuleSuggester
    from qualcode.suggest.training import codable_codes

    def project_of(folder: Path, *sources: Path) -> Project:
        _copy_codebooks(folder, codebook)
        project = Project(folder)
        for source in sources:  # each with its codings.csv
            shutil.copytree(source, folder / source.name, ignore=shutil.ignore_patterns("__pycache__"))
            import_paths(project, [folder / source.name])
        return project

    with tempfile.TemporaryDirectory(prefix="qc-bench-heldout-") as tmp:
        seen = project_of(Path(tmp) / "sample", REPO / "transcripts")
        unseen = project_of(Path(tmp) / "heldout", REPO / "benchmarks" / "heldout")
        pipeline = load_pipeline(None)
        rules = RuleSuggester(pipeline, unseen.codebook)
        codes = codable_codes(unseen.codebook)
        extra = codebook_sentences(unseen.codebook, pipeline, rules)
        threshold = seen.config.suggestion_threshold
        test = labelled_sentences(unseen.store, pipeline, rules, codes)
        train = labelled_sentences(seen.store, pipeline, rules, codes)
        started = time.perf_counter()
        result = evaluate(train, codes, rules.codes, unseen.codebook, threshold, extra=extra, test=test)
        print(
            f"{codebook} codebook: held-out transcripts, A. trained on the sample only ({result.transcripts} transcripts,"
            f" {result.sentences} respondent sentences, {sum(bool(d.gold) for d in test)} coded; never used for"
            f" tuning): rules on unseen text; learned and combined trained and calibrated on the"
            f" {len({d.transcript_id for d in train})} sample transcripts ({len(train)} sentences)"
            f" [{time.perf_counter() - started:.1f} s]"
        )
        show_evaluation(result)
        seen.close()
        second_coder(unseen, Path(tmp) / "second", pipeline, rules, codes)
        unseen.close()

        both = project_of(Path(tmp) / "both", REPO / "transcripts", REPO / "benchmarks" / "heldout")
        names = {p.name for p in (REPO / "benchmarks" / "heldout").iterdir()}
        ids = {tid for tid, path in both.store.transcripts.source_paths().items() if path and Path(path).name in names}
        data = labelled_sentences(both.store, pipeline, rules, codes)
        started = time.perf_counter()
        result = evaluate(data, codes, rules.codes, both.codebook, threshold, extra=extra, held_out=ids)
        others = len({d.transcript_id for d in data}) - 1
        print(
            f"\n{codebook} codebook: held-out transcripts, B. each trained on all the others ({result.held_out} transcripts,"
            f" {result.sentences} respondent sentences): each held-out interview scored by the learned and combined"
            f" suggesters trained and calibrated on the {others} other coded transcripts (the sample's and the other"
            f" held-out ones), {result.folds}-fold cross-validation by transcript inside each"
            f" [{time.perf_counter() - started:.1f} s]"
        )
        show_evaluation(result)
        both.close()


def second_coder(gold, folder: Path, pipeline, rules, codes) -> None:
    """What the suggesters are aiming at: a second coder's coding of the held-out interviews
    (``benchmarks/heldout_second_coder.csv``, coded from the codebook alone before the gold
    was read; an AI model, not a researcher) scored against the gold as a suggester is."""
    from qualcode.importing import import_codings_csv, import_paths
    from qualcode.project import Project
    from qualcode.suggest.dataset import labelled_sentences
    from qualcode.suggest.evaluate import _roll
    from qualcode.suggest.metrics import report
    from qualcode.suggest.training import top_level

    shutil.copytree(
        REPO / "benchmarks" / "heldout", folder / "heldout", ignore=shutil.ignore_patterns("codings.csv", "__pycache__")
    )
    shutil.copytree(gold.root / "codebooks", folder / "codebooks")
    second = Project(folder)
    import_paths(second, [folder / "heldout"])
    import_codings_csv(second.store, REPO / "benchmarks" / "heldout_second_coder.csv", second.codebook, default_coder="second")
    truth = labelled_sentences(gold.store, pipeline, rules, codes)
    theirs = labelled_sentences(second.store, pipeline, rules, codes)
    if [(d.sentence.start, d.sentence.end) for d in truth] != [(d.sentence.start, d.sentence.end) for d in theirs]:
        raise RuntimeError("the two projects split the held-out transcripts differently")
    top = top_level(gold.codebook)
    g, m = [d.gold for d in truth], [d.gold for d in theirs]
    leaf = report("second coder", g, m, codes).micro
    rolled = report("second coder", _roll(g, top), _roll(m, top), sorted(set(top.values()))).micro
    print(
        f"\na second coder against the gold, same sentences and scoring (the ceiling a suggester aims at):"
        f" leaf P/R/F1 {leaf.precision:.2f}/{leaf.recall:.2f}/{leaf.f1:.2f},"
        f" top level {rolled.precision:.2f}/{rolled.recall:.2f}/{rolled.f1:.2f}"
    )
    second.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_suggest", description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=1_000_000, help="corpus size for the throughput run")
    parser.add_argument("--coded", type=int, default=2000, help="coded sentences for the training run")
    parser.add_argument("--sentences", type=int, default=72_000, help="sentences for the large training and evaluation run")
    parser.add_argument(
        "--skip", default="", help="comma-separated parts to skip: throughput,training,training-large,quality,heldout"
    )
    parser.add_argument(
        "--codebooks",
        default=",".join(CODEBOOKS),
        help="comma-separated codebooks the quality and heldout parts measure under: " + ",".join(CODEBOOKS),
    )
    args = parser.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    codebooks = [name for name in args.codebooks.split(",") if name]
    unknown = [name for name in codebooks if name not in CODEBOOKS]
    if unknown:
        parser.error(f"unknown codebook {unknown[0]!r}: choose from {', '.join(CODEBOOKS)}")
    if "throughput" not in skip:
        throughput(args.words)
        print()
    if "training" not in skip:
        training(args.coded)
        print()
    if "training-large" not in skip:
        training(0, args.sentences)
        training(0, args.sentences, evaluate_too=True)
        print()
    if "quality" not in skip:
        for codebook in codebooks:
            quality(codebook)
            print()
    if "heldout" not in skip:
        for codebook in codebooks:
            heldout(codebook)
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
