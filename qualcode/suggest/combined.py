"""One ranked list: the rules and the learned model combined into one score per sentence and code.

What the researcher's own coding decides, per code (:func:`calibrate`, by
cross-validation by transcript, so every figure is measured on interviews the
model did not see):

* **How far each hint is trusted.** A hint's score is its precision on the coded
  sentences (:func:`hint_key`: one keyword, lemma or pattern, whatever words it
  matched), smoothed towards its code's precision, which is smoothed towards
  :data:`PRIOR` (0.25 before any coding). Several hints matching one sentence
  add up (``1 - (1 - p1)(1 - p2)``; their best alone scored the same). So ``consultatiebureau``, wrong in twelve of twelve coded
  sentences, sinks while another hint of the same code keeps being proposed.
  (Cross-validated on the sample project: per-hint trust lifted the rules'
  precision 0.38 -> 0.44 at the same F1; per-code trust could not tell them apart.)
* **The rules are the base; the model only corrects them.** The model may
  *veto* a rule hit (drop it where its score for the code is below
  :data:`VETOES`' chosen value) and *add* sentences the hints miss (score at or
  above the code's learned threshold), each only where cross-validation shows
  the change lifts that code's F1 over the rules' own by more than
  :data:`MIN_GAIN`, and only for codes with enough coded sentences
  (:data:`~qualcode.suggest.learned.MIN_EXAMPLES`). A rule hit is dropped only
  when the model is confident it is wrong for this code; while little is
  coded the model abstains and the combined list *is* the rule list.
* **Passages.** Researchers code passages, not sentences: in the sample
  project 225 of 295 coded (sentence, code) pairs have the same code on a
  neighbouring sentence of the turn. So a sentence next to a hint of a code
  (:func:`context_of`: the sentence before and after it in its turn) may be
  proposed for it too, when its neighbours' rule score (:func:`near_score`)
  reaches the code's ``near`` setting -- chosen by the same cross-validation,
  and never where it costs the code precision below ``suggestion_threshold``.
  (Cross-validated on the sample project: combined micro F1 0.38 -> 0.39 on
  leaf codes, recall 0.33 -> 0.37; top level 0.40 -> 0.43. The same context
  as features of the learned model -- hints of the next sentence, of the whole
  turn, of the interviewer's question -- lowered it, 0.38 -> 0.34-0.36.)
  A proposed run then carries on over the passage around it (:func:`extend_runs`:
  over the next sentences with a hint of the code too weak alone, and over one
  sentence between two that propose the code).
* **The top level is protected.** A hint that names the wrong leaf of the
  right family still helps a researcher (and the rolled-up figures). So each
  code's settings are chosen by its F1 plus :data:`TOP_WEIGHT` times its
  family's (the sentences coded with any code under its top-level code), and
  on the calibration data the rolled-up F1 may not fall below the bare hints':
  while it would, the code whose bare hints lift it most goes back to them
  (``protected``; :func:`_protect_top_level`). (Cross-validated on the sample
  project: top-level F1 0.43 -> 0.44, equal to the rules', leaf F1 unchanged
  at 0.39; at ``suggestion_threshold`` 0.65 leaf 0.33 -> 0.35.)
* **Precision first.** ``suggestion_threshold`` is the precision a code's
  suggestions must show in cross-validation: per code, the settings (the rule
  score a hint needs, the veto, the learned threshold) with the best F1 among
  those whose cross-validated precision reaches it are kept; a code whose
  suggestions reach it in no setting is not proposed at all (abstention). So
  raising the threshold trades recall for precision, code by code, and
  ``suggest --evaluate`` shows the trade-off (:data:`~qualcode.suggest.evaluate.TARGETS`).
* **Shared settings while they hold better.** Each code's own best settings are
  chosen among hundreds on a few dozen coded sentences, so partly for luck: asked
  0.65, they give about 0.52 on transcripts they were not chosen on. Shared settings
  (:func:`_shared`: one for the codes whose own settings let the model speak, i.e.
  where it beat the rules by :data:`MIN_GAIN`, and one for the others, each chosen on
  all their codes' sentences together) claim what they give (asked 0.5: 0.50 claimed,
  0.46 given), but a code with its own reasons for its settings loses them. So the
  calibration measures both on transcripts they were not chosen on
  (:func:`_shared_is_better`: :data:`INNER_FOLDS` inner folds of the calibration's
  transcripts, each proposed by settings chosen on the others) and takes the shared
  ones where they propose better, summed over the codes, at a precision no lower
  (``shared``). (On the sample project, trained on every 2, 3, 4 and 5 of its six
  transcripts and scored on the others, 56 fits, combined leaf F1 at
  ``suggestion_threshold`` 0.3: 0.348, 0.396, 0.436, 0.483 -> 0.370, 0.405, 0.442,
  0.482 at the same precision (0.38, 0.41-0.42, 0.46, 0.51); top level 0.403, 0.450,
  0.483, 0.526 -> 0.428, 0.460, 0.490, 0.525; cross-validated, mean of 3, 5 and 6
  folds, leaf 0.463 -> 0.465, top level 0.511 -> 0.514, precision 0.50; at 0.5
  0.311, 0.370, 0.423, 0.464 -> 0.311, 0.367, 0.419, 0.464, cross-validated 0.443 /
  0.488 -> 0.445 / 0.492; at 0.65 0.287, 0.331, 0.360, 0.403 -> 0.287, 0.329, 0.359,
  0.403, cross-validated 0.371 both. The learning curve of ``suggest --evaluate``,
  one split per point, 0.36, 0.37, 0.32, 0.36, 0.45 -> 0.36, 0.38, 0.32, 0.29, 0.45:
  its four-transcript point is one of the 15 above. On the held-out interviews, read
  once at the end: at 0.3 the same suggestions, A and B (there the calibrations keep
  each code's own settings); B at 0.5 leaf 0.54/0.25/0.34 -> 0.57/0.26/0.36, top level
  0.42 -> 0.44; A at 0 and 0.2 leaf F1 0.28 and 0.29 -> 0.28 and 0.28, top level
  0.37 -> 0.38. Left out: the model's settings shared by every code it is learned
  for 0.369, 0.407, 0.436, 0.483, cross-validated 0.468 / 0.516, at 0.5 0.308, 0.370, 0.416, 0.464 and 0.440 / 0.485; without the condition on
  precision 0.369, 0.414, 0.445, 0.484, cross-validated 0.467 / 0.509 at precision
  0.475; the shared neighbours' setting searched together with the model's, six times
  the memory, 0.369, 0.414, 0.455, 0.480, cross-validated 0.470 / 0.515 at 0.49;
  always shared 0.377, 0.417, 0.460, 0.469; shared for the codes with fewer than 15
  or 20 coded sentences 0.375, 0.417, 0.454, 0.465, cross-validated 0.461-0.462.)

* **One code per sentence.** Researchers almost never give a sentence two
  codes (2 of the 293 coded sentences of the sample project), so a sentence with
  several proposals keeps its best-scored one only. (Cross-validated on the
  sample project: precision 0.42 -> 0.46, leaf F1 0.405 -> 0.417, top level
  0.453 -> 0.461; keeping the best per top-level family instead changed nothing.)
  Where the model has a say in a code (``source`` :data:`LEARNED`), its score adds
  to that code's hint or neighbour score as hints add up (``1 - (1 - rule)(1 -
  learned)``), so of two codes hinted in one sentence the one the model backs
  wins. (Cross-validated on the sample project, mean of 3, 5 and 6 folds: leaf
  P/R/F1 0.488/0.419/0.451 -> 0.501/0.429/0.463, top level 0.545/0.469/0.504 ->
  0.554/0.475/0.511, every fold count better; the sum used only to choose the code, each
  proposal keeping its hints' score, 0.461 / 0.508; the score of every learnable
  code added, also of those the model has no say in, 0.458 / 0.508. On the held-out
  interviews, read once at the end: B the same suggestions' figures, A one right
  sentence fewer, 0.30 -> 0.29 leaf F1: two hinted codes in one sentence where the
  model has a say are rare there. Then, against
  0.463 / 0.511: ``MIN_GAIN`` 0.02 0.465 / 0.514, noise.)

Tried and left out (sample cross-validation, mean of 3, 5 and 6 folds, where the
fold split alone moves leaf F1 by 0.02; the kept state: leaf 0.410, top level
0.458, precision 0.45; "5 folds": against 0.417 / 0.461). Learned scores smoothed
within the turn -- plus 0.2-0.5 of the best or mean score of the code in the other
sentences of the turn -- 0.39-0.40 / 0.44-0.45, or in the sentences just around it
0.39-0.41 / 0.43-0.45 (5 folds); neighbours' hints up to two sentences away 0.411 /
0.468 (5 folds); per-code settings chosen by F-beta (beta 1.3-2) instead of F1
0.40-0.41 / 0.45; backing off to the family (a sentence nothing proposes gets the
best learned code of the family whose learned scores add up to a setting chosen by
nested cross-validation) 0.412 / 0.463 at precision 0.42, the same after the cap
per turn 0.419 / 0.469 at 0.42; one logistic regression over every (sentence,
code)'s rule, learned and neighbour scores instead of the per-code settings 0.417 /
0.470 at 0.39 (5 folds); a cap per turn of 5 or more (on the sample: no cap)
0.417 / 0.469 at 0.45. Most missed sentences sit in a turn where the code is
proposed nowhere (113 of 182, 5 folds; by turn, precision and recall are only
0.58 / 0.56): what is missing is knowing the topic, not where a passage ends.
Measured again with the question's lemmas (0.451 / 0.504, precision 0.488): coarser
grids of settings (three rule thresholds, vetoes, additions or neighbour settings
instead of six to ten) 0.442-0.453 / 0.487-0.501; a setting's precision shrunk
(``tp / (tp + fp + k)``, k 1-4) before it is held to the threshold 0.443-0.451 /
0.489-0.505, and at ``suggestion_threshold`` 0.65 its precision fell (0.51 -> 0.38-0.40);
a code's family weighed half (``TOP_WEIGHT`` 0.5) 0.448 / 0.499; learned additions
from 0.1 0.446 / 0.499; ``MIN_GAIN`` 0, 0.02 and 0.1 0.454, 0.454 and 0.445 / 0.508,
0.508 and 0.496. Noise: left out. (The precision each threshold asks for is not
reached on transcripts the settings were not chosen on -- asked 0.65, 0.51 -- since
on six transcripts the best of many settings is chosen partly for luck.)
Measured to make the threshold's precision honest (leaf / top-level F1 and precision
at 0.3, 0.5 and 0.65 against 0.463 / 0.511 at 0.50, 0.443 at 0.53 and 0.371 at 0.52):
each code's threshold raised (by 0.05-0.3) until settings chosen on inner folds reach
the precision on the fold left out, per code 0.441 / 0.491 at 0.50, 0.330 at 0.49 and
0.325 at 0.43, or one raise for all codes 0.463 / 0.511, 0.366 at 0.52 and 0.366 at
0.51; a code switched off where that nested precision falls short 0.417 / 0.470, and
at 0.65 0.320 at 0.40 (switched off, its family falls back to bare hints), without
the top-level protection 0.096 at 0.51; the model's say per code by the same nested
figures 0.451 / 0.506, with its precision held to the threshold 0.435, switched off
below it 0.422; a setting's precision taken at the lower end of its Wilson interval
(z 0.5, 1) 0.462 and 0.454 / 0.507 and 0.495, at 0.65 precision 0.52-0.53 (0.59 at a
recall of 0.12 without the protection). Split by where proposals come from (5 folds,
0.65): the rules' own codes give 0.70, the codes the model has a say in 0.46-0.48;
by what they claimed on the calibration's sentences against what they gave on the
fold's: 0.72 -> 0.50. What is proposed wrongly sits mostly next to or in the same
turn as a passage of its code (53 of 125 at 0.3) or in a sentence nobody coded
(42): few settings of the hints and the model tell those apart. Family-level
backing, the learned score of each family (a code trained on the leaf codings
rolled up) beside its leaf's: mixed into the leaf's score (geometric mean, or
weighted 0.3, or added as hints add up, or multiplying) 0.456-0.458 / 0.505-0.514;
letting a weak hint through where the family's score reaches 0.3, 0.5, 0.7 0.459-0.466
/ 0.514, at 0.65 0.382-0.388 / 0.422-0.433; holding a hint back where it is below
0.05-0.2 0.422-0.448 / 0.477-0.501. A score of "coded at all" (one code for every
coded sentence) holding back proposals below 0.2-0.5 0.352-0.424 at precision
0.53. Neighbours' proposals only next to a sentence proposed on its own hints 0.463 /
0.509; hints' own record weighed as 1, 4 or 8 sentences (``HINT_WEIGHT``) 0.465,
0.459, 0.438; the codebook's sentences counted 0, 2 or 4 times 0.425, 0.457, 0.456.
Calibration measured on five assignments of the transcripts to folds (the usual
and four shuffled, ``bench_suggest``'s ``FOLD_ORDERS``, each the mean of 3, 5 and 6
folds; leaf F1 / top level / leaf precision, sample codebook then definitions',
against 0.453 / 0.497 / 0.486 and 0.339 / 0.376 / 0.447): each code's settings
chosen with its figures plus 10 coded sentences' worth of every code's pooled
(shrunk towards shared settings by how little it has) 0.446 / 0.489 / 0.457 and
0.337 / 0.386 / 0.410, with the precision held to the threshold on the code's own
figures 0.449 / 0.490 / 0.468 and 0.343 / 0.382 / 0.428, with 3 sentences' worth
0.456 / 0.497 / 0.484 and 0.340 / 0.378 / 0.441 (up on three of five assignments,
down on the usual one by 0.014 under the definitions); the learned score mapped to a
probability by one logistic fit pooled over codes (Platt; it ranks codes within a
sentence, a turn's cap and additions against hints) 0.454 / 0.498 / 0.488 and
0.340 / 0.375 / 0.445, fitted on hinted sentences only 0.451 and 0.338; each
setting the median of those chosen on every inner fold's complement and on all
(bagged; the model's say by majority) 0.453 / 0.497 / 0.495 and 0.337 / 0.375 /
0.447; settings chosen for the codes' summed (micro) F1 rather than each code's own
-- ``2 tp - F (tp + fp)`` at the current micro F1 ``F``, iterated -- 0.450 / 0.492
and 0.334 / 0.369, the same where a code whose best gain is not positive is not
proposed; a cap of 2 per turn 0.428 / 0.469 / 0.485 and 0.337 / 0.375 / 0.455.
On the same measure, suggest18's feature variants on this calibration: the question
only for a turn's first 2 sentences 0.425 / 0.470 and 0.330 / 0.383, the transcript's
attributes 0.461 / 0.506 and 0.330 / 0.368, 5-letter pieces of 8+-letter words at a
tenth of the pace 0.456 / 0.496 and 0.339 / 0.376. None lifts both codebooks by more
than the assignments move it: left out.
A sentence sharing 2 or 3+ content lemmas with one of a code's codebook sentences
(description, criteria, examples) as one more hint of the code ("like an example",
trusted by its record as any hint), against 0.457 / 0.501 and, definitions codebook,
0.349 / 0.386: 0.422 / 0.461, 0.338 / 0.363; 0.463 / 0.506, 0.334 / 0.382 (with the
shared lemmas at least a third or half of the shorter sentence's: 0.420-0.463 /
0.456-0.506, 0.328-0.341 / 0.361-0.383; over four other assignments of the transcripts
to folds 0.459 against 0.452, 0.322 against 0.336). Left out.
Word meaning from the word vectors PyPI's ``wordllama`` 0.4.0.post1 bundles (Llama-2's
32,000 tokens x 256 dimensions, mostly trained on English; read offline with ``tokenizers``
and ``safetensors``, the package found by ``importlib.util.find_spec`` so that its own
import, pydantic and requests, is not needed): a sentence's vector the mean of its content
words' tokens. On the sample's coded sentences, of the 20 codes the one whose codebook text
(description, criteria, examples; the nearest of them) is nearest a sentence is its coded
code for 0.18 of them (chance 0.05; per code, coded against not, AUC 0.61); content words
only and centred on the codebook's mean vector 0.27, among the nearest 3 0.45, AUC 0.72.
The nearest of the coded sentences of the other transcripts (20 neighbours) name the
coded code for 0.15 (tf-idf of the lemmas: 0.33; both 0.29). Among the hinted sentences,
the right hints stand closer to their code's text than the wrong ones (AUC 0.60 within a
code under the sample codebook, 130 right and 285 wrong; 0.70 under the definitions', 77
and 237; by thirds of closeness the hints' precision 0.22, 0.30, 0.42 and 0.10, 0.23,
0.41). Measured on the five assignments (against 0.453 / 0.497 and 0.339 / 0.376): as
features of the model, the sentence's nearest code and its nearest 3 (``m1:``, ``m3:``)
0.437 / 0.478 (the model's own F1 0.280 -> 0.242; the definitions' not run); a hinted
code among the sentence's nearest 3 (``mh:<code>``) 0.450 / 0.493, 0.331 / 0.370 (0.277,
0.228 against 0.219); as a
hint of its own ("close in meaning to the code's examples", trusted by its record like any
hint) beside a hinted code that is the sentence's nearest 0.448 / 0.494, 0.346 / 0.386,
among its nearest 3 0.436 / 0.491, 0.340 / 0.383. The definitions' codebook gains a little
where the sample's loses: not one lifts both by more than the assignments move them. Left
out (a new dependency of 19 MB, 33 MB installed, for no gain).
The same closeness as a veto on rule hits (a hit dropped where its sentence's closeness to
the code's text is below a percentile of that code's hits), against the same 0.453 / 0.497
and 0.339 / 0.376: for every code at the 25th and 33rd percentile 0.398 and 0.392 / 0.438
and 0.434, 0.322 and 0.316 / 0.361 and 0.356 (the rules alone gain precision, 0.32 -> 0.33-
0.35 and 0.25 -> 0.29-0.30, and lose more recall); per code, chosen by the calibration's
grid as the model's veto is (none, 25th, 33rd, 50th), 0.452 / 0.494, 0.329 / 0.371; none
or 25th 0.455 / 0.497, 0.332 / 0.374 (chosen for 3.6 of ~17 codes). The least close third
of the hits is right about as often (0.22) as dropping a hit needs it to be wrong to lift
F1 at 0.45: at best even. Left out; closeness costs ~55 ms per 1,000 sentences and ~5 s
to load once.

Never proposed: non-content sentences (:func:`~qualcode.suggest.segments.is_content`),
and more than :data:`MAX_PER_TURN` suggestions in one turn (the best ones stay).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import asdict, dataclass, field, fields, replace
from functools import lru_cache
from itertools import chain
from typing import Any, NamedTuple, overload

LEARNED = "learned"
RULES = "rules"
OFF = "none"  # the code is not proposed: its suggestions did not reach the precision asked for
# (right, wrong) guesses a code's hints start with: precision 0.25 before any coding, about
# what an untried hint delivers (a sentence with one hit of a code, before calibration: 0.28
# of them had the code in the sample project, 0.23 under hints written from the definitions
# alone). Below the default threshold (0.3): a fresh project proposes where two hints agree
# (0.44), not every single match (at 0.5 it proposed 235 suggestions at 0.30 precision on
# eight unseen interviews; now 54 at 0.43, and 23 at 0.61 since hints whose words lie within
# each other's count once, see same_evidence). Cross-validated figures, where hints have records,
# moved within noise (leaf 0.465 -> 0.458 sample codebook, 0.342 -> 0.353 definitions').
PRIOR = (1.0, 3.0)
HINT_WEIGHT = 2.0  # a hint's own record counts against this many sentences at its code's precision
THRESHOLDS = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7)  # learned scores to add a sentence at
RULE_THRESHOLDS = (0.0, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7)  # rule scores a hint needs
VETOES = (0.0, 0.03, 0.05, 0.1, 0.15, 0.2)  # learned scores below which a rule hit is dropped (0: never)
NEAR_THRESHOLDS = (1.01, 0.3, 0.4, 0.5, 0.6, 0.7)  # rule score of a neighbour's hints to propose a sentence (1.01: never)
TOP_WEIGHT = 1.0  # weight of a code's family F1 (its top-level code) beside its own in the calibration
MAX_PER_TURN = 3  # suggestions kept per turn (runs of sentences count once)
MIN_GAIN = 0.05  # the model's F1 must be above the rules' F1 by more than this (noise on a few interviews)
INNER_FOLDS = 5  # inner folds (of the calibration's transcripts) that choose between per-code and shared settings
NOTHING: frozenset[str] = frozenset()  # the sets of most sentences (no code, no hint): one for all of them
# A calibration item with only a learned score below this (no hint in or next to it) is
# proposed by no setting (every learned addition is one of THRESHOLDS): it is counted,
# not kept (see _columns_of).
ITEM_FLOOR = min(THRESHOLDS)
MIN_GROUPS = 2  # coded transcripts needed before settings are chosen (with one, nothing is measured out of sample)


@lru_cache(maxsize=1 << 16)  # a run asks for the same few thousand reasons again and again
def hint_key(reason: str) -> str:
    """The hint behind a rule reason, without the words it matched this time:
    ``matched lemma 'meegaan' in "ging … mee"`` -> ``matched lemma 'meegaan'``,
    ``matched pattern 2 "verwijst haar door"`` -> ``matched pattern 2``."""
    if reason.startswith("matched pattern "):
        return " ".join(reason.split(" ", 3)[:3])
    if reason.startswith("matched lemma "):
        return reason.split(' in "', 1)[0]
    return reason


def hint_words(reason: str) -> str | None:
    """The words a rule reason says its hint matched, in lower case (None: a bare hint
    key): ``matched keyword 'naar ons toe'`` and ``matched pattern 2 "naar ons toe"``
    -> ``naar ons toe``; ``matched lemma 'moeder' in "moeders"`` -> ``moeders``."""
    if reason.startswith("matched keyword '"):
        return reason[len("matched keyword '") : -1].lower()
    _, quote, rest = reason.partition(' "')
    if not quote:
        return None
    return rest.partition('"')[0].lower()


def _within(one: frozenset[str], other: frozenset[str]) -> bool:
    """Whether the words of one match are all among those of the other."""
    return one <= other or other <= one


def same_evidence(reasons: Iterable[str]) -> list[set[str]]:
    """The distinct hints behind ``reasons`` (:func:`hint_key`), those that matched the
    same words put together: a keyword and a pattern (or a lemma) of one code that found
    the same words, or words within the other's, are one piece of evidence, not two
    that add up (the sample codebook's keyword 'naar ons toe' and its pattern 2 both
    find "naar ons toe"; its keyword 'gemeente' and its pattern "van de gemeente" find
    the same word)."""
    groups: list[tuple[set[str], set[frozenset[str]]]] = []  # (hint keys, the words of each match)
    words_of: dict[str, set[frozenset[str]]] = {}
    for reason in reasons:
        words = hint_words(reason)
        found = words_of.setdefault(hint_key(reason), set())
        if words:
            found.add(frozenset(words.split()))
    for key, found_words in words_of.items():
        keys, matched = {key}, set(found_words)
        for group in [g for g in groups if any(_within(a, b) for a in g[1] for b in matched)]:
            groups.remove(group)
            keys |= group[0]
            matched |= group[1]
        groups.append((keys, matched))
    return [keys for keys, _ in groups]


def _with_prior(right: int, wrong: int) -> float:
    """A precision from ``right`` and ``wrong`` guesses, smoothed by :data:`PRIOR`."""
    prior_right, prior_wrong = PRIOR
    return (right + prior_right) / (right + wrong + prior_right + prior_wrong)


UNTRIED_HINT = _with_prior(0, 0)  # a hint's score before any coding checked it (0.25)


def _smoothed(record: Sequence[int], prior: float) -> float:
    """A hint's precision from its record ``(right, wrong)`` and ``prior``
    (``HINT_WEIGHT`` times its code's rule precision)."""
    right, wrong = record
    return (right + prior) / (right + wrong + HINT_WEIGHT)


@dataclass(slots=True)
class CodeCalibration:
    """What cross-validation on the researcher's coding said about one code."""

    code: str
    source: str = RULES  # RULES, LEARNED (the model vetoes or adds) or OFF
    threshold: float = 1.01  # learned score at which the model adds a sentence (above 1: never)
    rule_threshold: float | None = None  # rule score a hint needs (None: the project's threshold)
    veto: float = 0.0  # a rule hit whose learned score is below this is dropped
    near: float = 1.01  # a sentence next to hints of this rule score (same turn) is proposed too (above 1: never)
    rule_right: int = 0  # coded sentences where a hint matched and the code was given
    rule_wrong: int = 0  # ... and it was not
    positives: int = 0  # coded sentences with this code
    rules_f1: float | None = None  # cross-validated, the rules alone at the chosen rule threshold
    learned_f1: float | None = None  # ... with the model's veto and additions at their best
    precision: float | None = None  # ... of what is proposed, as chosen
    protected: bool = False  # back to its bare hints so that the top-level F1 does not fall (see _protect_top_level)
    shared: bool = False  # its settings are those of every code like it, chosen on all of them together (see _shared)
    hints: dict[str, list[int]] = field(default_factory=dict)  # hint_key -> [right, wrong]
    near_right: int = 0  # coded sentences proposed only for being next to its hints, where the code was given
    near_wrong: int = 0  # ... and where it was not

    @property
    def near_precision(self) -> float:
        """How often a sentence proposed only for its neighbours' hints had the code
        (smoothed like a hint): its score, so such proposals rank below what a
        sentence's own words give unless they were right as often."""
        return _with_prior(self.near_right, self.near_wrong)

    @property
    def rule_precision(self) -> float:
        return _with_prior(self.rule_right, self.rule_wrong)

    def hint_precision(self, reason: str) -> float:
        """The smoothed precision of one hint (see the module docstring)."""
        return _smoothed(self.hints.get(hint_key(reason), (0, 0)), HINT_WEIGHT * self.rule_precision)

    def rule_score(self, reasons: Iterable[str]) -> float:
        """A sentence's rule score for the code: its hints' evidence added up,
        ``1 - prod(1 - p)`` over its distinct hints."""
        # hint_precision's sum with the code's share worked out once (a run asks this
        # per sentence with hits); hint_key of a key is the key.
        prior, hints = HINT_WEIGHT * self.rule_precision, self.hints
        miss = 1.0
        for keys in same_evidence(reasons):
            miss *= 1 - max(_smoothed(hints.get(key, (0, 0)), prior) for key in keys)
        return 1 - miss


@dataclass(slots=True)
class Calibration:
    """Per code: source, thresholds and hint precisions (saved with the model)."""

    codes: dict[str, CodeCalibration] = field(default_factory=dict)
    folds: int = 0
    # One default per code without a calibration, built once: a run asks for it per
    # sentence (what get() returns is read, never changed).
    defaults: dict[str, CodeCalibration] = field(default_factory=dict, repr=False, compare=False)

    def get(self, code: str) -> CodeCalibration:
        found = self.codes.get(code)
        if found is None:
            found = self.defaults.get(code)
            if found is None:
                found = self.defaults[code] = CodeCalibration(code)
        return found

    @property
    def learned(self) -> list[str]:
        """The codes whose suggestions the learned model changes (a run scores sentences for these)."""
        return sorted(c for c, cal in self.codes.items() if cal.source == LEARNED)

    def near_codes(self) -> set[str]:
        """The codes whose hints propose the sentences next to them too (``near`` at most 1;
        none without a calibration, where every code's ``near`` is above 1)."""
        return {c for c, cal in self.codes.items() if cal.near <= 1}

    def to_dict(self) -> dict[str, Any]:
        return {"folds": self.folds, "codes": {c: asdict(cal) for c, cal in self.codes.items()}}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Calibration:
        """The calibration saved with a model; ValueError if it is damaged (the caller retrains)."""
        from .saved import from_saved

        if not data:
            return cls()
        if not isinstance(data, Mapping) or not isinstance(data.get("codes", {}), Mapping):
            raise ValueError("the calibration is not an object of codes")
        folds = data.get("folds", 0)
        if isinstance(folds, bool) or not isinstance(folds, int):
            raise ValueError(f"the calibration's folds are {folds!r:.40}, not a whole number")
        known = {f.name for f in fields(CodeCalibration)}  # a calibration saved by an older version: what still fits
        codes = {}
        for code, saved in data.get("codes", {}).items():
            what = f"the calibration of code {str(code)[:40]!r}"
            kept = {k: x for k, x in saved.items() if k in known} if isinstance(saved, Mapping) else saved
            calibration = codes[code] = from_saved(CodeCalibration, kept, what=what)
            if calibration.code != code or any(len(tally) != 2 for tally in calibration.hints.values()):
                raise ValueError(f"{what} names another code or has a hint without its [right, wrong] counts")
            # Scores run from 0 to 1 (1.01: never) and counts from 0: a threshold of -1 proposed every sentence.
            levels = (calibration.threshold, calibration.veto, calibration.near, calibration.rule_threshold or 0.0)
            counts = (calibration.rule_right, calibration.rule_wrong, calibration.near_right, calibration.near_wrong)
            if not all(0 <= v <= 1.01 for v in levels) or min((*counts, *chain(*calibration.hints.values())), default=0) < 0:
                raise ValueError(f"{what} has a threshold outside 0 to 1 or a count below 0")
        return cls(codes, folds)


@dataclass(slots=True)
class Proposal:
    """One code proposed for one sentence: its combined score and why."""

    score: float
    sources: set[str]
    reasons: list[str]


def _hint_tallies(
    gold: Sequence[set[str]], content: Sequence[bool], hits: Sequence[Mapping[str, Iterable[str]]], indices: Iterable[int]
) -> tuple[dict[str, list[int]], dict[tuple[str, str], list[int]]]:
    """[right, wrong] per code and per (code, hint) over the given content sentences."""
    per_code: dict[str, list[int]] = {}
    per_hint: dict[tuple[str, str], list[int]] = {}
    for i in indices:
        if not content[i]:
            continue
        for code, reasons in hits[i].items():
            k = 0 if code in gold[i] else 1
            per_code.setdefault(code, [0, 0])[k] += 1
            for key in {hint_key(r) for r in reasons}:
                per_hint.setdefault((code, key), [0, 0])[k] += 1
    return per_code, per_hint


def _minus(a: Sequence[int] | None, b: Sequence[int] | None) -> tuple[int, int]:
    a, b = a or (0, 0), b or (0, 0)
    return a[0] - b[0], a[1] - b[1]


Item = tuple[float | None, float | None, float | None, bool, bool]
"""Per sentence and code: (rule score, learned score, near score, coded with the code, coded in its family)."""


class Setting(NamedTuple):
    """One code's settings as :func:`_best` chose them, with their cross-validated figures."""

    value: float  # what was maximised: F1, plus TOP_WEIGHT x the family's F1
    f1: float
    rule: float
    veto: float
    add: float
    near: float
    precision: float | None


class Block(NamedTuple):
    """Every setting of one search of :class:`_Tally`, with its figures (numpy arrays, one entry per setting)."""

    value: Any  # F1 plus TOP_WEIGHT x the family's
    f1: Any
    precision: Any  # NaN where nothing is proposed
    settings: list[tuple[float, float, float, float]]  # (rule, near, veto, add)
    tp: Any  # proposed and coded with the code
    fp: Any  # proposed, not coded with it
    kin_tp: Any  # proposed where a code of its family was given


class _Tally:
    """One code's calibration items counted by kind, and what each setting of :func:`_best`
    proposes among them, worked out once however many thresholds are asked.

    The items are counted by (rule score, learned and near scores rounded down to
    their grids): a few hundred kinds, however many sentences. For each block of
    settings that :func:`_best` searches (the rules' own; the model's with one
    neighbours' setting) every setting's counts, precision and F1 are taken at
    once over the kinds (numpy: setting by setting and item by item in Python, the
    seven thresholds in five folds of ``suggest --evaluate`` took minutes at 72,000
    sentences). The counts are whole numbers and each figure is one division of
    them, as :mod:`.metrics` does it, so every figure is the same to the bit.
    """

    __slots__ = ("rule", "learned", "beside", "positive", "negative", "kin", "blocks")

    def __init__(self, columns: _Columns) -> None:
        import numpy

        # Each score rounded down to the largest grid value not above it (bisect_right).
        # A near setting w is reached by a score s exactly when it is reached by s rounded
        # down to any grid holding w: so one grid serves the rules' search and the model's.
        grid = numpy.asarray(sorted({*VETOES, *THRESHOLDS}), dtype=numpy.float64)
        near_grid = numpy.asarray(sorted(set(NEAR_THRESHOLDS)), dtype=numpy.float64)
        scored = columns.learned > -math.inf
        i = numpy.searchsorted(grid, columns.learned, side="right")
        learned = numpy.where(scored, numpy.where(i > 0, grid[numpy.maximum(i - 1, 0)], 0.0), -1.0)
        j = numpy.searchsorted(near_grid, columns.beside, side="right")
        beside = numpy.where(j > 0, near_grid[numpy.maximum(j - 1, 0)], -1.0)
        # Each item's kind as one whole number (one-dimensional sorts: rows sorted as rows took seconds).
        rules, rule_of = numpy.unique(columns.rule, return_inverse=True)
        learneds, learned_of = numpy.unique(learned, return_inverse=True)
        besides, beside_of = numpy.unique(beside, return_inverse=True)
        flags = columns.positive.astype(numpy.int64) * 2 + columns.kin
        kind = ((rule_of.astype(numpy.int64) * len(learneds) + learned_of) * len(besides) + beside_of) * 4 + flags
        kinds, count = numpy.unique(kind, return_counts=True)
        kinds, flags = numpy.divmod(kinds, 4)
        kinds, b = numpy.divmod(kinds, len(besides))
        r, m = numpy.divmod(kinds, len(learneds))
        self.rule, self.learned, self.beside = rules[r], learneds[m], besides[b]
        count = count.astype(numpy.int64)
        self.positive = count * (flags >= 2)
        self.negative = count * (flags < 2)
        self.kin = count * (flags % 2)
        self.blocks: dict[tuple, Block] = {}

    def block(
        self,
        positives: int,
        family_positives: int,
        rules: Sequence[float],
        near: Sequence[float],
        vetoes: Sequence[float],
        adds: Sequence[float],
    ) -> Block:
        """The figures of every setting, in the order of ``for t in rules: for w in near:
        for v in vetoes: for u in adds`` (settings: (t, w, v, u)); precision NaN where
        nothing is proposed. A setting proposes an item when ``(rule >= t or near >= w)
        and max(learned, 0) >= v or learned >= u``."""
        key = (positives, family_positives, tuple(rules), tuple(near), tuple(vetoes), tuple(adds))
        found = self.blocks.get(key)
        if found is None:
            import numpy

            def at_least(values, grid: Sequence[float]):
                return values[None, :] >= numpy.asarray(grid, dtype=numpy.float64)[:, None]

            spread = at_least(self.rule, rules)[:, None, None, None, :] | at_least(self.beside, near)[None, :, None, None, :]
            kept = at_least(numpy.maximum(self.learned, 0.0), vetoes)[None, None, :, None, :]
            added = at_least(self.learned, adds)[None, None, None, :, :]
            size = len(rules) * len(near) * len(vetoes) * len(adds)  # settings (a code may have no items left)
            proposed = (spread & kept | added).reshape(size, self.rule.shape[0]).astype(numpy.int64)
            tp, fp, kin_tp = proposed @ self.positive, proposed @ self.negative, proposed @ self.kin

            def ratio(top, bottom):  # metrics' x / y, 0 where y is 0 (a float64 division of whole numbers, as Python's)
                return numpy.divide(top, bottom, out=numpy.zeros(len(top)), where=bottom > 0)

            with numpy.errstate(invalid="ignore", divide="ignore"):
                p = numpy.where(tp + fp > 0, ratio(tp, tp + fp), numpy.nan)
            value = ratio(2 * tp, 2 * tp + fp + (positives - tp))
            family = ratio(2 * kin_tp, 2 * kin_tp + (tp + fp - kin_tp) + (family_positives - kin_tp))
            settings = [(t, w, v, u) for t in rules for w in near for v in vetoes for u in adds]
            found = self.blocks[key] = Block(value + TOP_WEIGHT * family, value, p, settings, tp, fp, kin_tp)
        return found


def _best(
    tally: _Tally,
    positives: int,
    family_positives: int,
    target: float,
    with_model: bool,
    near: Sequence[float] = NEAR_THRESHOLDS,
) -> Setting | None:
    """The settings with the best F1 among those whose precision reaches
    ``target`` (None if none does); F1 counts the code's own sentences plus
    :data:`TOP_WEIGHT` times its family's (see the module docstring).

    ``tally``: per content sentence with a hit, a hit next to it or a learned
    score (:data:`Item`), counted (:class:`_Tally`). Ties go to the simpler setting
    (lower thresholds, no veto, no additions, no neighbours: tried first).
    """
    import numpy

    vetoes = VETOES if with_model else (0.0,)
    adds = (1.01, *THRESHOLDS) if with_model else (1.01,)
    score, value, p, settings, *_ = tally.block(positives, family_positives, RULE_THRESHOLDS, near, vetoes, adds)
    allowed = p >= target  # NaN (nothing proposed) never reaches it
    if not allowed.any():
        return None
    k = int(numpy.argmax(numpy.where(allowed, score, -math.inf)))  # the first of the best: ties to the simpler
    t, w, v, u = settings[k]
    return Setting(float(score[k]), float(value[k]), t, v, u, w, float(p[k]))


class Neighbours(Sequence[tuple[int, ...]]):
    """Per sentence, the indices of the sentences just before and after it with the
    same key (transcript and turn): the passage a researcher codes with it. Each
    sentence's worked out when read, from ``key`` (its index -> its key): a calibration
    reads those of the few sentences with hints, and a tuple per sentence was a fifth
    of a first run's calibration at 100,000 sentences."""

    __slots__ = ("key", "n")

    def __init__(self, n: int, key: Callable[[int], Hashable]) -> None:
        self.n, self.key = n, key

    def __len__(self) -> int:
        return self.n

    @overload
    def __getitem__(self, index: int) -> tuple[int, ...]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[int, ...]]: ...
    def __getitem__(self, index: int | slice) -> tuple[int, ...] | list[tuple[int, ...]]:
        n, key = self.n, self.key
        if isinstance(index, slice):
            return [self[i] for i in range(n)[index]]
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError(index)
        here = key(index)
        return tuple(j for j in (index - 1, index + 1) if 0 <= j < n and key(j) == here)


def neighbours_of(keys: Sequence[Hashable]) -> Neighbours:
    """:class:`Neighbours` of sentences with these keys (transcript and turn)."""
    return Neighbours(len(keys), keys.__getitem__)


def near_score(cal: CodeCalibration, beside: Iterable[Iterable[str]]) -> float | None:
    """The evidence that a sentence belongs to a passage of the code: its
    neighbours' rule scores added up (None: no hint next to it)."""
    miss, found = 1.0, False
    for reasons in beside:
        miss *= 1 - cal.rule_score(reasons)
        found = True
    return 1 - miss if found else None


@dataclass(slots=True)
class CalibrationData:
    """What :func:`calibration_from` works out from the coded sentences before any
    threshold comes in (:func:`calibration_data`): calibrating the same sentences at
    several thresholds (``suggest --evaluate``'s targets, in each of its folds) does
    it once."""

    codes: list[str]
    learnable: set[str]
    too_few: bool  # fewer than MIN_GROUPS groups
    with_model: bool  # learned scores were given
    family: Mapping[str, str]
    positives: dict[str, int]
    family_positives: dict[str, int]
    tops: list[AbstractSet[str]]  # per sentence, the families of its codes
    rules_found: list[AbstractSet[str]]  # per sentence, the families its hints name
    per_code: dict[str, list[int]]  # [right, wrong] of each code's hints
    hints: dict[str, list[tuple[str, list[int]]]]  # per code, (hint_key, [right, wrong])
    columns: dict[str, _Columns]  # per code, its items (:data:`Item`) that some setting may propose, as arrays
    # Per code, how many items it has, those that no setting proposes too (see _columns_of),
    # and the inner folds they stand in (None: no inner folds).
    items: dict[str, int] = field(default_factory=dict)
    item_folds: dict[str, set[int] | None] = field(default_factory=dict)
    tallies: dict[str, _Tally] = field(default_factory=dict)
    # The inner folds in which :func:`_shared_is_better` measures (None: no groups, or too few):
    # each sentence's inner fold (numpy), and per code and per family its coded sentences in each.
    inner: Any = None
    inner_positives: dict[str, list[int]] = field(default_factory=dict)
    inner_family: dict[str, list[int]] = field(default_factory=dict)
    inner_tallies: dict[tuple[str, int], _Tally] = field(default_factory=dict)

    def tally(self, code: str) -> _Tally:
        """The code's items counted for :func:`_best` (once, on first use)."""
        found = self.tallies.get(code)
        if found is None:
            found = self.tallies[code] = _Tally(self.columns[code])
        return found

    def inner_tally(self, code: str, fold: int) -> _Tally:
        """The code's items outside inner ``fold``, counted for :func:`_best` (once, on first use)."""
        found = self.inner_tallies.get((code, fold))
        if found is None:
            col = self.columns[code]
            found = self.inner_tallies[(code, fold)] = _Tally(_subset(col, self.inner[col.where] != fold))
        return found


def calibration_from(
    gold: Sequence[set[str]],
    content: Sequence[bool],
    hits: Sequence[Mapping[str, Iterable[str]]],
    scores: Sequence[Mapping[str, float]] | None,
    codes: Iterable[str],
    learnable: Iterable[str],
    threshold: float,
    folds: int = 0,
    **context,
) -> Calibration:
    """The calibration from held-out predictions: :func:`calibration_data` (the same
    arguments; ``context`` is its ``groups``, ``neighbours`` and ``family``) calibrated
    at ``threshold`` by :func:`calibrated`."""
    return calibrated(calibration_data(gold, content, hits, scores, codes, learnable, **context), threshold, folds)


def calibration_data(
    gold: Sequence[set[str]],
    content: Sequence[bool],
    hits: Sequence[Mapping[str, Iterable[str]]],
    scores: Sequence[Mapping[str, float]] | None,
    codes: Iterable[str],
    learnable: Iterable[str],
    groups: Sequence[Hashable] | None = None,
    neighbours: Sequence[Sequence[int]] | None = None,
    family: Mapping[str, str] | None = None,
) -> CalibrationData:
    """Everything of a calibration that does not depend on the threshold (see :func:`calibrated`).

    ``scores`` are out-of-fold learned scores (None: no model), ``learnable`` the codes
    with enough examples, ``groups`` the transcript (or fold) of each sentence: a
    sentence's hint trust is measured on the other groups' sentences, as it would be on a
    new interview (None: on all sentences, itself included). ``neighbours``
    (:func:`neighbours_of`): the sentences around each one in its turn, whose hints may
    propose it too (None: none). ``family``: each code's top-level code (None: every code
    is its own)."""
    learnable = set(learnable)
    too_few = groups is not None and len(set(groups)) < MIN_GROUPS
    codes = list(codes)
    n = len(gold)
    per_code, per_hint = _hint_tallies(gold, content, hits, range(n))
    own: dict[Hashable, tuple[dict, dict]] = {}
    if groups is not None:
        members: dict[Hashable, list[int]] = {}
        for i, group in enumerate(groups):
            members.setdefault(group, []).append(i)
        own = {group: _hint_tallies(gold, content, hits, idx) for group, idx in members.items()}
    family = family or {}
    positives = {code: 0 for code in codes}
    family_positives = {family.get(code, code): 0 for code in codes}
    tops: list[AbstractSet[str]] = []  # per sentence, the families of its codes (most: none, one set for all)
    shared: dict[frozenset[str], AbstractSet[str]] = {}  # the same codes' families: one set (read, never changed)
    for g in gold:
        for code in g:
            if code in positives:
                positives[code] += 1
        if g:
            codes_of = frozenset(g)
            families = shared.get(codes_of)
            if families is None:
                families = shared[codes_of] = {family.get(code, code) for code in g}
            tops.append(families)
        else:
            tops.append(NOTHING)
        for top in tops[-1]:
            if top in family_positives:
                family_positives[top] += 1

    scored: dict[tuple[Hashable, ...], float] = {}  # the same hints of a code in one group: one score

    def rule_score(i: int, code: str) -> float:
        """Sentence i's rule score for the code, its hints' trust measured without its group."""
        key = (groups[i] if groups is not None else None, code, *hits[i][code])
        score = scored.get(key)
        if score is None:
            score = scored[key] = _group_rule_score(i, code)
        return score

    def _group_rule_score(i: int, code: str) -> float:
        cal = CodeCalibration(code)
        keys = {hint_key(r) for r in hits[i][code]}
        if groups is not None:
            own_code, own_hint = own[groups[i]]
            cal.rule_right, cal.rule_wrong = _minus(per_code.get(code), own_code.get(code))
            cal.hints = {k: list(_minus(per_hint.get((code, k)), own_hint.get((code, k)))) for k in keys}
        else:
            cal.rule_right, cal.rule_wrong = per_code.get(code, (0, 0))
            cal.hints = {k: list(per_hint.get((code, k), (0, 0))) for k in keys}
        return cal.rule_score(hits[i][code])

    none: dict[str, float] = {}  # the rule scores of a sentence without hints (most): one dict for all, read only
    rules = [
        ({c: rule_score(i, c) for c in hits[i] if c in positives} or none) if content[i] and hits[i] else none for i in range(n)
    ]
    # Per code, the sentences that matter: a hint matched in it or next to it, or the
    # model scored it. The hints, in few sentences, are gathered sentence by sentence;
    # the learned scores column by column (an item tuple per sentence and code took
    # a quarter of a first run and most of its memory at 100,000 sentences). Per code, three
    # flat lists (the sentences, their rule and neighbours' scores, -inf for none): a tuple
    # and a dict entry per item were a calibration's peak at 100,000 sentences.
    hinted: dict[str, Hinted] = {code: ([], [], []) for code in codes}
    for i in range(n):
        if not content[i]:
            continue
        beside = [rules[j] for j in neighbours[i]] if neighbours is not None else []
        if not rules[i] and not any(beside):
            continue
        for code in {*rules[i], *(c for r in beside for c in r)}:
            near = [r[code] for r in beside if code in r]
            at, rule, besides = hinted[code]
            at.append(i)
            rule.append(rules[i].get(code, -math.inf))
            besides.append(1 - math.prod(1 - x for x in near) if near else -math.inf)
    del rules  # read: hinted holds what the columns need of it
    learned_of = _learned_columns(scores, n, [c for c in codes if c in learnable])
    # The groups round robin over at most INNER_FOLDS inner folds, in a fixed order.
    order: dict[Hashable, int] = {}
    inner = None
    if groups is not None and not too_few:
        import numpy

        order = {g: k % INNER_FOLDS for k, g in enumerate(sorted(set(groups), key=repr))}
        inner = numpy.asarray([order[g] for g in groups], dtype=numpy.int64)
    columns = {}
    items: dict[str, int] = {}
    item_folds: dict[str, set[int] | None] = {}
    if codes:
        import numpy

        is_content = numpy.fromiter(map(bool, content), dtype=bool, count=n)
        coded: dict[str, list[int]] = {code: [] for code in codes}
        kin_of: dict[str, list[int]] = {family.get(code, code): [] for code in codes}
        for i, (given, found) in enumerate(zip(gold, tops, strict=True)):
            for code in given:
                if code in coded:
                    coded[code].append(i)
            for top in found:
                if top in kin_of:
                    kin_of[top].append(i)
        for code in codes:  # as arrays: a fraction of the memory, and counted and compared at once
            columns[code], items[code], item_folds[code] = _columns_of(
                is_content, hinted.pop(code), learned_of.get(code), coded[code], kin_of[family.get(code, code)], inner
            )
    hints: dict[str, list[tuple[str, list[int]]]] = {}
    for (code, key), tally in per_hint.items():
        hints.setdefault(code, []).append((key, tally))
    rules_found: list[AbstractSet[str]] = [
        ({family.get(c, c) for c in h if c in positives} or NOTHING) if content[i] else NOTHING for i, h in enumerate(hits)
    ]
    out = CalibrationData(
        codes, learnable, too_few, scores is not None, family, positives, family_positives, tops, rules_found,
        per_code, hints, columns, items, item_folds,
    )  # fmt: skip
    if groups is not None and not too_few:
        out.inner = inner
        k = min(INNER_FOLDS, len(order))
        out.inner_positives = {code: [0] * k for code in codes}
        out.inner_family = {top: [0] * k for top in family_positives}
        for i, given in enumerate(gold):
            fold = order[groups[i]]
            for code in given:
                if code in out.inner_positives:
                    out.inner_positives[code][fold] += 1
            for top in tops[i]:
                if top in out.inner_family:
                    out.inner_family[top][fold] += 1
    return out


class Choice(NamedTuple):
    """One code's settings as chosen: the rules' own, the model's, and whether the model's are kept."""

    rules_only: Setting | None
    model: Setting | None
    learned: bool


def _choose(tally: _Tally, positives: int, kin: int, threshold: float, with_model: bool) -> Choice:
    """The code's own settings: the best whose precision reaches ``threshold`` (:func:`_best`),
    the model's kept where they beat the rules' by more than :data:`MIN_GAIN`."""
    rules_only = _best(tally, positives, kin, threshold, with_model=False)
    model = None
    if with_model:
        # The neighbours' setting is the rules' own: searched together with the
        # model's it would take six times as long for the same choice.
        spread = (rules_only.near,) if rules_only else (1.01,)
        model = _best(tally, positives, kin, threshold, with_model=True, near=spread)
    learned = model is not None and model.value > (rules_only.value if rules_only else 0.0) + MIN_GAIN
    return Choice(rules_only, model, learned)


def _settle(cal: CodeCalibration, choice: Choice) -> None:
    """``cal`` set as ``choice`` says: its source, thresholds and cross-validated figures."""
    rules_only, model = choice.rules_only, choice.model
    if rules_only is not None:
        cal.rules_f1, cal.rule_threshold, cal.near, cal.precision = (
            rules_only.f1,
            rules_only.rule,
            rules_only.near,
            rules_only.precision,
        )
    if model is not None:
        cal.learned_f1 = model.f1
    if choice.learned and model is not None:
        cal.source, cal.rule_threshold, cal.veto, cal.threshold, cal.near, cal.precision = (
            LEARNED,
            model.rule,
            model.veto,
            model.add,
            model.near,
            model.precision,
        )
    elif rules_only is None:
        cal.source = OFF


Candidate = tuple[_Tally, int, int, bool]  # a code's counted items, its positives, its family's, whether with the model


def _shared(codes: Mapping[str, Candidate], threshold: float) -> dict[str, Choice]:
    """Shared settings: one for the codes given as with the model and one for the others,
    each the best whose precision over all those codes' items together reaches
    ``threshold`` (F1 and the family's summed over them, as for one code). A group
    whose settings reach it in no setting is left out (its codes choose their own).
    Each code's figures in its :class:`Choice` are its own at the shared setting."""
    import numpy

    def best(group: list[str], near: Sequence[float], vetoes: Sequence[float], adds: Sequence[float]):
        """The best setting of a block over the group's codes together: (its index, the blocks), or None."""
        blocks = {c: codes[c][0].block(codes[c][1], codes[c][2], RULE_THRESHOLDS, near, vetoes, adds) for c in group}
        tp = sum(b.tp for b in blocks.values())
        fp = sum(b.fp for b in blocks.values())
        kin = sum(b.kin_tp for b in blocks.values())
        positives = sum(codes[c][1] for c in group)
        family = sum(codes[c][2] for c in group)
        with numpy.errstate(invalid="ignore", divide="ignore"):
            p = numpy.where(tp + fp > 0, tp / numpy.maximum(tp + fp, 1), numpy.nan)
        value = 2 * tp / numpy.maximum(tp + fp + positives, 1) + TOP_WEIGHT * 2 * kin / numpy.maximum(tp + fp + family, 1)
        allowed = p >= threshold  # NaN (nothing proposed) never reaches it
        if not allowed.any():
            return None
        return int(numpy.argmax(numpy.where(allowed, value, -math.inf))), blocks  # the first of the best: ties to the simpler

    out: dict[str, Choice] = {}
    for with_model in (False, True):
        group = sorted(c for c, found in codes.items() if found[3] == with_model)
        if not group:
            continue
        found = best(group, NEAR_THRESHOLDS, (0.0,), (1.01,))
        if with_model:  # the neighbours' setting is the rules' own, as for one code (see _choose)
            w = found[1][group[0]].settings[found[0]][1] if found is not None else 1.01
            found = best(group, (w,), VETOES, (1.01, *THRESHOLDS))
        if found is None:
            continue
        k, blocks = found
        t, w, v, u = blocks[group[0]].settings[k]
        for code in group:
            b = blocks[code]
            own = Setting(
                float(b.value[k]), float(b.f1[k]), t, v, u, w, None if math.isnan(b.precision[k]) else float(b.precision[k])
            )
            if with_model and (v > 0 or u <= 1):
                out[code] = Choice(None, own, True)
            else:
                out[code] = Choice(own, None, False)
    return out


def _shared_is_better(data: CalibrationData, pending: Mapping[str, tuple[CodeCalibration, int, bool]], threshold: float) -> bool:
    """Whether shared settings (:func:`_shared`) propose better than each code's own
    (:func:`_choose`) on transcripts they were not chosen on: nested cross-validation,
    each inner fold's sentences proposed by settings chosen on the other inner folds,
    F1 plus :data:`TOP_WEIGHT` times the families' summed over every code, and at a
    precision no lower."""
    import numpy

    if data.inner is None:
        return False
    tp, fp, kin = [0, 0], [0, 0], [0, 0]  # [own, shared]
    positives = family = 0
    for fold in range(len(next(iter(data.inner_family.values()), ()))):
        candidates: dict[str, Candidate] = {}
        for code, (_, _, with_model) in pending.items():
            folds = data.item_folds[code]
            if folds is None or folds <= {fold}:  # nothing to choose on: nothing proposed
                continue
            pos, fam = data.inner_positives[code], data.inner_family[data.family.get(code, code)]
            candidates[code] = (data.inner_tally(code, fold), sum(pos) - pos[fold], sum(fam) - fam[fold], with_model)
        own = {c: _choose(*found[:3], threshold, found[3]) for c, found in candidates.items()}
        # The model's settings are shared by the codes whose own the model's beat (MIN_GAIN) only.
        chosen = (own, _shared({c: (*found[:3], own[c].learned) for c, found in candidates.items()}, threshold))
        for code in pending:
            col = data.columns[code]
            positives += data.inner_positives[code][fold]
            family += data.inner_family[data.family.get(code, code)][fold]
            held = _subset(col, data.inner[col.where] == fold)
            for k, choices in enumerate(chosen):
                choice = choices.get(code) or chosen[0].get(code)  # a group left out of the shared: its own
                if choice is None:
                    continue
                cal = CodeCalibration(code)
                _settle(cal, choice)
                proposed = _proposing(cal, held, threshold)
                tp[k] += int(numpy.count_nonzero(proposed & held.positive))
                fp[k] += int(numpy.count_nonzero(proposed & ~held.positive))
                kin[k] += int(numpy.count_nonzero(proposed & held.kin))
    apart, together = (
        2 * tp[k] / (tp[k] + fp[k] + positives or 1) + TOP_WEIGHT * 2 * kin[k] / (tp[k] + fp[k] + family or 1) for k in (0, 1)
    )
    # Better, and no less precise: a researcher reviews what is proposed.
    return together > apart and tp[1] * (tp[0] + fp[0]) >= tp[0] * (tp[1] + fp[1])


def calibrated(data: CalibrationData, threshold: float, folds: int = 0) -> Calibration:
    """:func:`calibration_from` at one threshold, from its :func:`calibration_data`."""
    out = Calibration(folds=folds)
    codes, learnable, too_few, positives, family = data.codes, data.learnable, data.too_few, data.positives, data.family
    family_positives, per_code, columns = data.family_positives, data.per_code, data.columns
    pending: dict[str, tuple[CodeCalibration, int, bool]] = {}  # code -> (calibration, family's positives, with the model)
    for code in codes:
        cal = CodeCalibration(code, positives=positives[code])
        cal.rule_right, cal.rule_wrong = per_code.get(code, (0, 0))
        cal.hints = {k: list(v) for k, v in data.hints.get(code, ())}
        found = columns[code]
        if too_few or not data.items[code] or not (found.rule > -math.inf).any() and code not in learnable:
            # Nothing coded to check its hints against: the prior and the project's
            # threshold decide. One coded transcript: every setting would be chosen on
            # the sentences it is then judged on, so every hit is proposed, ranked by
            # its hint's record (sample, trained on one transcript: F1 0.28 -> 0.34,
            # precision 0.26 -> 0.33; the rules alone 0.36 / 0.30).
            cal.rule_threshold = 0.0 if too_few else None
            out.codes[code] = cal
            continue
        pending[code] = (cal, family_positives[family.get(code, code)], data.with_model and code in learnable)
    own = {c: _choose(data.tally(c), positives[c], kin, threshold, m) for c, (_, kin, m) in pending.items()}
    shared: dict[str, Choice] = {}
    if pending and _shared_is_better(data, pending, threshold):
        shared = _shared({c: (data.tally(c), positives[c], kin, own[c].learned) for c, (_, kin, _) in pending.items()}, threshold)
    for code, (cal, _, _) in pending.items():
        choice = shared.get(code)
        cal.shared = choice is not None
        _settle(cal, choice or own[code])
        out.codes[code] = cal
    _protect_top_level(out, columns, data.tops, data.rules_found, family, threshold)
    for code, cal in out.codes.items():
        if cal.near > 1:
            continue
        needed = threshold if cal.rule_threshold is None else cal.rule_threshold
        # Proposed only for its neighbours: next to hints that reach the setting, its own hints (if any) do not.
        col = columns[code]
        only_near = (col.beside >= cal.near) & ~(col.rule >= needed)
        cal.near_right += int((only_near & col.positive).sum())
        cal.near_wrong += int((only_near & ~col.positive).sum())
    return out


def _proposes(cal: CodeCalibration, item: Item, threshold: float) -> bool:
    """Whether :func:`combine` proposes the code for a calibration item."""
    if cal.source == OFF:
        return False
    rule, learned, beside, _, _ = item
    needed = threshold if cal.rule_threshold is None else cal.rule_threshold
    spread = (rule is not None and rule >= needed) or (beside is not None and beside >= cal.near)
    if cal.source != LEARNED:
        return spread
    return spread and (learned or 0.0) >= cal.veto or learned is not None and learned >= cal.threshold


class _Columns(NamedTuple):
    """One code's calibration items as arrays (numpy), for :func:`_proposing`; a
    missing score is -inf, which reaches no setting."""

    where: Any  # the sentence of each item
    rule: Any
    learned: Any
    learned_or_zero: Any  # what a veto compares
    beside: Any
    positive: Any
    kin: Any


def _subset(columns: _Columns, keep: Any) -> _Columns:
    """The items where ``keep`` (numpy bools, one per item) is true."""
    return _Columns(*(column[keep] for column in columns))


def _columns(where: Sequence[int], items: Sequence[Item]) -> _Columns:
    import numpy

    def column(values: Iterable[float | None]):
        return numpy.asarray([-math.inf if v is None else v for v in values], dtype=numpy.float64)

    rule, learned, beside = (column(x[0] for x in items), column(x[1] for x in items), column(x[2] for x in items))
    positive, kin = (numpy.asarray([x[k] for x in items], dtype=bool) for k in (3, 4))
    where_ = numpy.asarray(where, dtype=numpy.int64)
    return _Columns(where_, rule, learned, numpy.maximum(learned, 0.0), beside, positive, kin)


def _learned_columns(scores: Sequence[Mapping[str, float]] | None, n: int, codes: Sequence[str]) -> dict[str, Any]:
    """Per code of ``codes``, the learned score of each of the ``n`` sentences (numpy,
    NaN: not scored); a :class:`ScoreMatrix` gives its columns as they are."""
    import numpy

    if scores is None:
        return {}
    if isinstance(scores, ScoreMatrix):
        return {code: column for code in codes if (column := scores.column(code)) is not None}
    wanted = set(codes)
    out: dict[str, Any] = {}
    for i, found in enumerate(scores):
        for code, value in found.items():
            if code in wanted:
                if code not in out:
                    out[code] = numpy.full(n, numpy.nan)
                out[code][i] = value
    return out


# One code's hinted items (see calibration_data): the sentences (ascending), each one's
# rule score and its neighbours' (-inf: none).
Hinted = tuple[list[int], list[float], list[float]]


def _columns_of(
    is_content: Any,
    hinted: Hinted,
    learned: Any,
    coded: Sequence[int],
    kin: Sequence[int],
    inner: Any = None,
) -> tuple[_Columns, int, set[int] | None]:
    """One code's calibration items as arrays: the content sentences with a hint in or
    next to them (``hinted``: the sentences, their rule scores and their neighbours',
    -inf for none) or a learned score (``learned``, NaN: none; None: the code is not learned);
    ``coded`` and ``kin``: the sentences coded with the code, and with its family.

    Of the items, those that some setting proposes: not those with only a learned score
    below every threshold of an addition (most sentences of a learned code; no setting
    proposes them, so they count in no setting's figures). Also how many items there
    are, those left out too, and the inner folds (``inner``: per sentence) they stand in.
    """
    import numpy

    n = len(is_content)
    if learned is not None:
        every = is_content & ~numpy.isnan(learned)
        keep = is_content & (learned >= numpy.float64(ITEM_FLOOR))  # NaN: False; compared as float64
    else:
        every, keep = numpy.zeros(n, dtype=bool), numpy.zeros(n, dtype=bool)
    at = numpy.asarray(hinted[0], dtype=numpy.int64)
    keep[at] = True
    every[at] = True
    count = int(numpy.count_nonzero(every))
    folds = set(numpy.unique(inner[every]).tolist()) if inner is not None else None
    del every
    where = numpy.flatnonzero(keep).astype(numpy.int64)
    place = numpy.searchsorted(where, at)
    rule = numpy.full(len(where), -math.inf)
    beside = numpy.full(len(where), -math.inf)
    rule[place] = hinted[1]
    beside[place] = hinted[2]
    if learned is None:
        scored = numpy.full(len(where), -math.inf)
    else:
        scored = learned[where].astype(numpy.float64)  # (a ScoreMatrix's float32 scores: the same values)
        scored[numpy.isnan(scored)] = -math.inf
    positive, family = numpy.zeros(n, dtype=bool), numpy.zeros(n, dtype=bool)
    positive[list(coded)] = True
    family[list(kin)] = True
    return _Columns(where, rule, scored, numpy.maximum(scored, 0.0), beside, positive[where], family[where]), count, folds


class ScoreMatrix(Sequence[dict[str, float]]):
    """Learned scores of many sentences as one matrix: a row per sentence, a column per
    code of ``codes`` (numpy float32 or float64; NaN: no score, e.g. a fold whose model did not
    learn the code). As a sequence, each sentence's scores as the dict
    :meth:`~qualcode.suggest.learned.LearnedModel.scores` gives, made when read;
    :func:`calibration_data` reads the columns instead (a dict per sentence took most of a
    first run's memory at 100,000 sentences)."""

    __slots__ = ("codes", "matrix", "_place")

    def __init__(self, codes: Sequence[str], matrix: Any) -> None:
        self.codes = list(codes)
        self.matrix = matrix
        self._place = {code: j for j, code in enumerate(self.codes)}

    def column(self, code: str) -> Any:
        """The code's scores (NaN: none), or None if it has no column."""
        j = self._place.get(code)
        return None if j is None else self.matrix[:, j]

    def __len__(self) -> int:
        return len(self.matrix)

    @overload
    def __getitem__(self, index: int) -> dict[str, float]: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict[str, float]]: ...
    def __getitem__(self, index: int | slice) -> dict[str, float] | list[dict[str, float]]:
        if isinstance(index, slice):
            return [self._dict(row) for row in self.matrix[index].tolist()]
        return self._dict(self.matrix[index].tolist())

    def __iter__(self) -> Iterator[dict[str, float]]:
        return map(self._dict, self.matrix.tolist())

    def _dict(self, row: list[float]) -> dict[str, float]:
        return {code: value for code, value in zip(self.codes, row, strict=True) if value == value}  # NaN: none


def _proposing(cal: CodeCalibration, columns: _Columns, threshold: float):
    """:func:`_proposes` for each of a code's items at once: a numpy array of bools
    (item by item in Python it took most of a calibration at 72,000 sentences)."""
    if cal.source == OFF:
        return columns.rule < -math.inf  # all False
    needed = threshold if cal.rule_threshold is None else cal.rule_threshold
    spread = (columns.rule >= needed) | (columns.beside >= cal.near)
    if cal.source != LEARNED:
        return spread
    return spread & (columns.learned_or_zero >= cal.veto) | (columns.learned >= cal.threshold)


def _protect_top_level(
    out: Calibration,
    columns: Mapping[str, _Columns],
    tops: Sequence[AbstractSet[str]],
    rules_found: Sequence[AbstractSet[str]],
    family: Mapping[str, str],
    threshold: float,
) -> None:
    """Top-level protection: on the calibration data, the rolled-up (top-level)
    F1 of what is proposed must not fall below the rules' as they are. While it
    does, the code whose return to its bare hints (every hit proposed, nothing
    vetoed or added) lifts it most goes back to them; the rolled-up figure
    counts a hint right when it names the right family, even the wrong leaf.
    ``columns``: each code's calibration items (:func:`_columns`)."""

    # Per sentence, how many codes propose each family there. A trial changes one
    # code's proposals only, so it is counted from that code's items alone: every
    # code's items and every sentence for each trial took minutes at 400,000
    # sentences. The counts are whole numbers, so the F1s are the same to the bit.
    per: list[dict[str, int]] = [{} for _ in tops]
    for code, cal in out.codes.items():
        top = family.get(code, code)
        for i in columns[code].where[_proposing(cal, columns[code], threshold)].tolist():
            per[i][top] = per[i].get(top, 0) + 1
    gold = sum(map(len, tops))
    tp = sum(len(tops[i] & found.keys()) for i, found in enumerate(per))
    size = sum(map(len, per))

    def top_f1(tp: int, size: int) -> float:
        return 2 * tp / (size + gold or 1)

    def changes(code: str, old: CodeCalibration, new: CodeCalibration) -> list[tuple[int, int]]:
        """(sentence, +1 or -1): where ``code`` is proposed with ``new`` and not ``old``, or the reverse."""
        now = _proposing(new, columns[code], threshold)
        differ = now != _proposing(old, columns[code], threshold)
        return [(i, 1 if n else -1) for i, n in zip(columns[code].where[differ].tolist(), now[differ].tolist(), strict=True)]

    def counted(code: str, change: list[tuple[int, int]]) -> tuple[int, int]:
        """tp and size with ``change`` made to ``code``'s proposals."""
        top, t, n = family.get(code, code), tp, size
        for i, step in change:
            had = per[i].get(top, 0)
            if (had == 0) != (had + step == 0):  # the family appears or disappears there
                n += step
                if top in tops[i]:
                    t += step
        return t, n

    floor = 2 * sum(len(f & g) for f, g in zip(rules_found, tops, strict=True)) / (sum(map(len, rules_found)) + gold or 1)
    current = top_f1(tp, size)
    changed = {c for c, cal in out.codes.items() if cal.rule_threshold is not None or cal.source != RULES}
    tried: dict[str, list[tuple[int, int]]] = {}  # a code's change to bare hints: the same every round
    while current < floor and changed:
        trials = {}
        for code in changed:
            if code not in tried:
                tried[code] = changes(code, out.codes[code], CodeCalibration(code, rule_threshold=0.0))
            trials[code] = top_f1(*counted(code, tried[code]))
        code = max(sorted(trials), key=trials.__getitem__)
        if trials[code] <= current:
            break
        cal = out.codes[code]
        before = replace(cal)
        cal.source, cal.rule_threshold, cal.veto, cal.threshold, cal.near = RULES, 0.0, 0.0, 1.01, 1.01
        cal.protected = True
        change = changes(code, before, cal)
        tp, size = counted(code, change)
        top = family.get(code, code)
        for i, step in change:
            per[i][top] = per[i].get(top, 0) + step
            if not per[i][top]:
                del per[i][top]
        current = trials[code]
        changed.discard(code)


def context_of(sentences: Sequence[Any]) -> list[list[Mapping[str, list[str]]]]:
    """Per sentence (with ``transcript_id``, ``turn``, ``hits``, ``content``, in
    transcript order): the hits of the content sentences just before and after
    it in its turn, for :func:`combine`'s ``near``."""
    near = neighbour_hits(sentences)
    return [near.get(i, []) for i in range(len(sentences))]


def neighbour_hits(sentences: Sequence[Any]) -> dict[int, list[Mapping[str, list[str]]]]:
    """:func:`context_of` for the sentences that have such neighbours only (most have
    none): their position -> the neighbours' hits."""
    n = len(sentences)
    out: dict[int, list[Mapping[str, list[str]]]] = {}
    # From the few sentences with hits to their neighbours (most sentences have none):
    # j ascending, so each sentence gets the one before it first, as neighbours_of orders them.
    for j, sentence in enumerate(sentences):
        if not (sentence.content and sentence.hits):
            continue
        for i in (j - 1, j + 1):
            if 0 <= i < n and sentences[i].turn == sentence.turn and sentences[i].transcript_id == sentence.transcript_id:
                out.setdefault(i, []).append(sentence.hits)
    return out


def combine(
    hits: Mapping[str, list[str]],
    content: bool,
    scores: Mapping[str, float] | None,
    calibration: Calibration,
    threshold: float,
    codable: set[str],
    *,
    near: Sequence[Mapping[str, list[str]]] = (),
    explain: Callable[[str], str] | None = None,
    learned_codes: Mapping[str, float] | None = None,
    memo: dict[tuple[Any, ...], Any] | None = None,
) -> dict[str, Proposal]:
    """The code proposed for one sentence, if any, with its score and its reasons
    (a dict: none or one; see "One code per sentence" in the module docstring).

    ``near``: the hits of the sentences around it in its turn (:func:`context_of`);
    ``explain(code)`` gives the words behind a learned score (optional: it costs
    a few model calls, so it is asked only for what is proposed); ``learned_codes``:
    :attr:`Calibration.learned` with each code's threshold, when the caller has them at
    hand (a run asks per sentence; it may leave out the codes whose score does not
    reach their threshold); ``memo``: a dict the caller keeps for the sentences of one
    calibration (a run's: the same hints match again and again), where rule scores and
    reasons are kept once worked out.
    """
    if not content:
        return {}
    if memo is None:
        memo = {}
    # The candidates' scores first; reasons are written for the winner only (one code
    # per sentence), since wording them costs more than scoring. ``own``: its own hints
    # reach the threshold (else it is proposed for a neighbour's); None: learned.
    # (The order the codes are tried in does not matter: the winner is picked from them sorted.)
    found: dict[str, tuple[float, bool | None]] = {}
    known = calibration.codes
    for code in set(hits).union(*near) if near else hits:
        if code not in codable:
            continue
        cal = known.get(code) or calibration.get(code)
        if cal.source == OFF:
            continue
        reasons = hits.get(code)
        own = False
        if reasons:
            rule_key = (code, *reasons)  # _rule_score written out: most sentences have hits
            kept: float | None = memo.get(rule_key)
            if kept is None:
                kept = memo[rule_key] = cal.rule_score(reasons)
            score = kept
            own = score >= (threshold if cal.rule_threshold is None else cal.rule_threshold)
        if not own:
            # near_score's evidence, each neighbour's rule score worked out once
            if cal.near > 1 or not any(code in h for h in near):
                continue
            miss = 1.0
            for h in near:
                if code in h:
                    miss *= 1 - _rule_score(memo, cal, code, h[code])
            if 1 - miss < cal.near:
                continue
        if cal.source == LEARNED and cal.veto and ((scores or {}).get(code) or 0.0) < cal.veto:
            continue
        value = score if own else cal.near_precision
        if cal.source == LEARNED and scores:
            learned = scores.get(code)
            if learned is not None:  # evidence adds up: the model's score with the hints'
                value = 1 - (1 - value) * (1 - learned)
        found[code] = (value, own)
    if scores:
        if learned_codes is None:
            learned_codes = {c: calibration.get(c).threshold for c in calibration.learned}
        for code, needed in learned_codes.items():
            learned = scores.get(code)
            if learned is None or learned < needed or code in found or code not in codable:
                continue
            found[code] = (learned, None)
    if not found:
        return {}
    best = max(sorted(found), key=lambda c: found[c][0]) if len(found) > 1 else next(iter(found))  # ties to the first by name
    score, kind = found[best]
    cal = known.get(best) or calibration.get(best)
    if kind is None:
        why = explain(best) if explain is not None else ""
        reason = f"learned from {cal.positives} coded sentences" + (f": {why}" if why else "") + f" (score {score:.2f})"
        rule_reasons = [f"rule: {r}" for r in hits.get(best, ())]
        return {best: Proposal(score, {LEARNED} | ({RULES} if best in hits else set()), [reason, *rule_reasons])}
    if kind:
        reasons = hits[best]
        key = (None, best, *reasons)  # None: no code's rule score (see _rule_score)
        told = memo.get(key)
        if told is None:
            told = memo[key] = [f"rule: {r}" for r in reasons] + [_trust(cal, reasons)]
        because = list(told)
    else:
        matched = list(dict.fromkeys(r.removeprefix("matched ") for h in near for r in h.get(best, ())))
        because = [f"{NEAR_REASON}{', '.join(matched)}", _near_trust(cal)]
    learned = (scores or {}).get(best)
    if cal.source == LEARNED and learned is not None:  # its score is in the sentence's (see above)
        verdict = "agrees" if learned >= cal.threshold else "does not object" if cal.veto else "adds its score"
        because[-1] += f"; the learned model {verdict} (score {learned:.2f})"
    return {best: Proposal(score, {RULES}, because)}


def _rule_score(memo: dict[tuple[Any, ...], Any], cal: CodeCalibration, code: str, reasons: Sequence[str]) -> float:
    """``cal.rule_score(reasons)``, kept in ``memo`` (see :func:`combine`)."""
    key = (code, *reasons)
    score = memo.get(key)
    if score is None:
        score = memo[key] = cal.rule_score(reasons)
    return score


NEAR_REASON = "next to a sentence that matched "
RUN_ON_REASON = "this code's coded passages run over several sentences"
CONTINUES_REASON = "continues the passage proposed next to it: "
BRIDGES_REASON = "between two sentences proposed for this code, in one passage"


def is_neighbour_reason(reason: str) -> bool:
    """Whether a reason is about a sentence's neighbours, not its own words (a run lists those last)."""
    return reason.startswith((NEAR_REASON, RUN_ON_REASON, CONTINUES_REASON, BRIDGES_REASON))


def extend_runs(
    turns: Sequence[Hashable],
    hits: Sequence[Mapping[str, list[str]]],
    proposed: Sequence[dict[str, Proposal]],
    calibration: Calibration,
    is_content: Callable[[int], bool],
    allowed: Callable[[int, str], bool] | None = None,
    scores: Sequence[Mapping[str, float] | None] | None = None,
) -> list[dict[str, Proposal]]:
    """The proposals with each run of a code carried on over the passage around it
    (hysteresis: a lower bar to continue a passage than to start one).

    * **Continuation.** From each sentence proposing a code, outward in its turn:
      each next content sentence that proposes nothing and has a hint of the code
      of *any* score (one too weak to propose it alone) joins the run, until one
      does not.
    * **Bridge.** A content sentence that proposes nothing between two sentences of
      its turn that propose the same code joins them (one passage, not two).

    ``is_content(i)``: whether sentence ``i`` is content (non-content sentences are
    never proposed, not even inside a run); ``allowed(i, code)``: whether the code may
    be proposed there at all (not when a coding or a decision covers it already);
    ``scores``: the learned scores per sentence (None: none), so that a hint the model
    vetoes (:func:`combine`) is not taken up again to continue a passage.
    Returns a new list; a dict given is never changed (a changed one is a copy).
    A sentence so added scores no higher than the sentence it continues, and says
    why in its reasons; a hint the model vetoes does not continue a passage either.
    (Cross-validated on the sample project, mean of 3, 5 and 6 folds: leaf P/R/F1
    0.448/0.377/0.410 -> 0.448/0.395/0.420, top level 0.501/0.421/0.458 ->
    0.503/0.444/0.472; each fold count gained. Tried and left out, leaf F1 / top
    level: continuing over any content sentence, one step 0.388 / 0.449, the whole
    turn 0.350 / 0.417; over sentences whose learned score for the code reaches
    0.03-0.2 instead of a hint 0.412-0.422 / 0.458-0.471 at precision 0.40-0.45;
    the rule per code (never, a hint, a learned score, one step of anything) chosen
    by nested cross-validation 0.406-0.412 / 0.452-0.457.)"""
    n = len(proposed)
    if len(turns) != n or len(hits) != n:
        raise ValueError("extend_runs: one turn and one hits mapping per sentence")
    out: list[dict[str, Proposal]] = list(proposed)

    def may(j: int, code: str) -> bool:
        return not out[j] and (allowed is None or allowed(j, code)) and is_content(j)

    for i in [i for i, found in enumerate(proposed) if found]:
        for code, proposal in proposed[i].items():
            cal = calibration.get(code)
            vetoed = scores is not None and cal.source == LEARNED and cal.veto > 0
            for step in (-1, 1):
                j = i + step
                while 0 <= j < n and turns[j] == turns[i] and code in hits[j] and may(j, code):
                    if vetoed and ((scores[j] or {}).get(code) or 0.0) < cal.veto:  # type: ignore[index]
                        break
                    own = cal.rule_score(hits[j][code])
                    matched = ", ".join(dict.fromkeys(r.removeprefix("matched ") for r in hits[j][code]))
                    out[j] = {
                        code: Proposal(
                            min(own, proposal.score),
                            {RULES},
                            [f"{CONTINUES_REASON}{matched}, too weak alone (score {own:.2f})"],
                        )
                    }
                    j += step
    for i in range(1, n - 1):
        if out[i] or not out[i - 1] or not out[i + 1] or not turns[i - 1] == turns[i] == turns[i + 1]:
            continue
        for code in sorted(set(out[i - 1]).intersection(out[i + 1])):
            if may(i, code):
                before, after = out[i - 1][code], out[i + 1][code]
                out[i] = {code: Proposal(min(before.score, after.score), before.sources | after.sources, [BRIDGES_REASON])}
                break
    return out


def _near_trust(cal: CodeCalibration) -> str:
    """Why a sentence next to a hint is proposed, with how often that was right."""
    seen = cal.near_right + cal.near_wrong
    record = f": right in {cal.near_right} of {seen} coded sentences" if seen else ""
    return f"{RUN_ON_REASON}{record}"


def _trust(cal: CodeCalibration, reasons: Iterable[str]) -> str:
    """Why a hint is trusted as far as it is, in a line a researcher reads."""
    # The first of the best hints, as max(reasons, key=cal.hint_precision) finds it,
    # each reason's key and record looked up once (most sentences have one).
    records = [cal.hints.get(hint_key(r), (0, 0)) for r in reasons]
    if len(records) == 1:
        right, wrong = records[0]
    else:
        prior = HINT_WEIGHT * cal.rule_precision
        right, wrong = max(records, key=lambda record: _smoothed(record, prior))
    if right + wrong:
        return f"this hint was right in {right} of {right + wrong} coded sentences"
    seen = cal.rule_right + cal.rule_wrong
    if seen:
        return f"this code's hints were right in {cal.rule_right} of {seen} coded sentences"
    return "no coded sentence to check this hint against yet"


def cap_per_turn(
    turns: Sequence[Hashable], proposed: Sequence[dict[str, Proposal]], limit: int = MAX_PER_TURN
) -> list[dict[str, Proposal]]:
    """Keep at most ``limit`` suggestions per turn, the highest scores first.

    A run of adjacent sentences proposing the same code is one suggestion (it is
    stored as one), scored by its best sentence.
    """
    out: list[dict[str, Proposal]] = list(proposed)  # a sentence's dict copied once something is taken out
    for _, code, members in capped_runs(turns, proposed, limit)[1]:
        for i in members:
            if out[i] is proposed[i]:
                out[i] = dict(proposed[i])
            out[i].pop(code, None)
    return out


Run = tuple[float, str, list[int]]  # a run's best score, its code, its sentences' positions


def capped_runs(
    turns: Sequence[Hashable], proposed: Sequence[dict[str, Proposal]], limit: int | None = MAX_PER_TURN
) -> tuple[list[Run], list[Run]]:
    """The runs of adjacent sentences of one turn proposing the same code: those that
    :func:`cap_per_turn` keeps (at most ``limit`` per turn, the best first; None: all)
    and those it takes out."""
    runs: dict[Hashable, list[Run]] = {}
    open_runs: dict[str, tuple[Hashable, list[int], float]] = {}  # code -> (turn, sentences, best)

    def close(code: str) -> None:
        turn, members, best = open_runs.pop(code)
        runs.setdefault(turn, []).append((best, code, members))

    if len(turns) != len(proposed):
        raise ValueError("cap_per_turn: one turn per sentence")
    # Only the sentences that propose something (most propose nothing): a run that
    # a sentence without proposals interrupts is closed at the next one that has.
    for i in [i for i, found in enumerate(proposed) if found]:
        turn, found = turns[i], proposed[i]
        if open_runs:
            for code in [c for c, (t, members, _) in open_runs.items() if t != turn or members[-1] != i - 1 or c not in found]:
                close(code)
        for code, proposal in found.items():
            if code in open_runs:
                t, members, best = open_runs[code]
                members.append(i)
                if proposal.score > best:
                    open_runs[code] = (t, members, proposal.score)
            else:
                open_runs[code] = (turn, [i], proposal.score)
    for code in list(open_runs):
        close(code)
    kept: list[Run] = []
    dropped: list[Run] = []
    for candidates in runs.values():
        if limit is not None and len(candidates) > limit:
            candidates.sort(key=lambda r: (-r[0], r[2][0], r[1]))
            dropped.extend(candidates[limit:])
            del candidates[limit:]
        kept.extend(candidates)
    return kept, dropped
