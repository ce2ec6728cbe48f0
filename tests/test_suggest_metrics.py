"""Precision, recall, F1 and Cohen's kappa on a case small enough to compute by hand."""

from __future__ import annotations

import pytest

from qualcode.suggest.metrics import Counts, f1, kappa, precision, recall, report

# Ten sentences, two codes.
#   code a: human  1 1 1 1 0 0 0 0 0 0
#           model  1 1 1 0 1 0 0 0 0 0   -> tp 3, fp 1, fn 1, tn 5
#   code b: human  0 0 0 0 0 0 0 0 1 1
#           model  0 0 0 0 0 0 0 0 0 0   -> tp 0, fp 0, fn 2, tn 8
GOLD = [{"a"}, {"a"}, {"a"}, {"a"}, set(), set(), set(), set(), {"b"}, {"b"}]
PRED = [{"a"}, {"a"}, {"a"}, set(), {"a"}, set(), set(), set(), set(), set()]


def test_suggest_metrics_counts_by_code():
    a, b, c = report("x", GOLD, PRED, ["a", "b", "c"]).codes
    assert a.counts == Counts(tp=3, fp=1, fn=1, tn=5)
    assert b.counts == Counts(tp=0, fp=0, fn=2, tn=8)
    assert c.counts == Counts(tn=10)  # a code nobody used


def test_suggest_metrics_hand_computed_figures_for_one_code():
    c = Counts(tp=3, fp=1, fn=1, tn=5)
    assert precision(c) == pytest.approx(0.75)
    assert recall(c) == pytest.approx(0.75)
    assert f1(c) == pytest.approx(0.75)
    # po = 8/10; pe = 0.4*0.4 + 0.6*0.6 = 0.52; kappa = (0.8 - 0.52) / 0.48 = 7/12
    assert kappa(c) == pytest.approx(7 / 12)


def test_suggest_metrics_undefined_figures_are_none_not_zero_or_one():
    never = Counts(tp=0, fp=0, fn=2, tn=8)
    assert precision(never) is None  # no suggestions: nothing to be precise about
    assert recall(never) == 0.0
    assert f1(never) == 0.0
    assert kappa(never) == pytest.approx(0.0)  # pe = 0.8, po = 0.8
    nothing = Counts(tn=10)
    assert recall(nothing) is None and f1(nothing) is None and kappa(nothing) is None


def test_suggest_metrics_micro_pools_counts_and_macro_averages_defined_values():
    rep = report("rules", GOLD, PRED, ["a", "b"])
    assert [s.code for s in rep.codes] == ["a", "b"]
    # micro: tp 3, fp 1, fn 3, tn 13 over 20 cases
    assert rep.micro.counts == Counts(tp=3, fp=1, fn=3, tn=13)
    assert rep.micro.precision == pytest.approx(0.75)
    assert rep.micro.recall == pytest.approx(0.5)
    assert rep.micro.f1 == pytest.approx(0.6)
    # po = 16/20 = 0.8; pe = 0.2*0.3 + 0.8*0.7 = 0.62; kappa = 0.18/0.38
    assert rep.micro.kappa == pytest.approx(0.18 / 0.38)
    # macro: precision only defined for a; recall (0.75 + 0) / 2; f1 (0.75 + 0) / 2
    assert rep.macro.precision == pytest.approx(0.75)
    assert rep.macro.recall == pytest.approx(0.375)
    assert rep.macro.f1 == pytest.approx(0.375)
    assert rep.macro.kappa == pytest.approx((7 / 12 + 0.0) / 2)
    assert rep.sentences == 10


def test_suggest_metrics_perfect_and_opposite_agreement():
    assert kappa(Counts(tp=5, tn=5)) == pytest.approx(1.0)
    assert kappa(Counts(fp=5, fn=5)) == pytest.approx(-1.0)
