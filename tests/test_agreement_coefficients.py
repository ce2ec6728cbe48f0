"""Agreement coefficients against published worked examples, the `krippendorff` package and hand counts."""

from __future__ import annotations

import random

import pytest

from qualcode.agreement import (
    brennan_prediger,
    cohen_kappa,
    krippendorff_alpha,
    pairable_units,
    patterns_of,
    percent_agreement,
)
from qualcode.agreement.coefficients import coincidences

N = None

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", example A:
# binary data, two observers, no missing data.
EXAMPLE_A = [[0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]]
# Example B: nominal data, two observers, no missing data.
EXAMPLE_B = ["a a b b d c c c e d d a".split(), "b a b b b c c c e d d d".split()]
# Example C: nominal data, any number of observers, missing data.
EXAMPLE_C = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]


def units(observers):
    """Observers x units (as printed in the paper) to pattern counts."""
    return patterns_of(zip(*observers, strict=True))


@pytest.mark.parametrize(
    ("data", "alpha"),
    [(EXAMPLE_A, 0.095), (EXAMPLE_B, 0.692), (EXAMPLE_C, 0.743)],
    ids=["binary-two-observers", "nominal-two-observers", "nominal-missing-data"],
)
def test_agreement_alpha_matches_krippendorffs_worked_examples(data, alpha):
    assert krippendorff_alpha(units(data)) == pytest.approx(alpha, abs=5e-4)


def test_agreement_coincidences_match_example_c_table():
    # The paper's coincidence matrix for example C (values 1..5): row sums n_c = 9, 13, 10, 5, 3 (n = 40).
    o = coincidences(units(EXAMPLE_C))
    totals = {c: sum(v for (a, _), v in o.items() if a == c) for c in range(1, 6)}
    assert totals == pytest.approx({1: 9, 2: 13, 3: 10, 4: 5, 5: 3})
    assert o[(1, 2)] == pytest.approx(4 / 3)
    assert pairable_units(units(EXAMPLE_C)) == 11  # unit 12 has one value only


def test_agreement_cohen_and_percent_by_hand_example_a():
    p = units(EXAMPLE_A)
    # 6 of 10 units agree; marginals 0.8/0.2 and 0.6/0.4: p_e = .48 + .08 = .56.
    assert percent_agreement(p) == pytest.approx(0.6)
    assert cohen_kappa(p) == pytest.approx((0.6 - 0.56) / 0.44)


def test_agreement_weights_equal_repeated_units():
    table = [(1, 1)] * 40 + [(1, 0)] * 3 + [(0, 0)] * 50 + [(0, 1)] * 7
    compressed = {(1, 1): 40, (1, 0): 3, (0, 0): 50, (0, 1): 7}
    full = patterns_of(table)
    for f in (percent_agreement, cohen_kappa, krippendorff_alpha):
        assert f(compressed) == pytest.approx(f(full))


@pytest.mark.parametrize(
    "data",
    [[[1, 1, 1], [1, 1, 1]], [[0, 0, 0, 0], [0, 0, 0, 0]]],
    ids=["one-category", "all-absent"],
)
def test_agreement_degenerate_data_is_undefined_not_zero_or_one(data):
    p = units(data)
    assert krippendorff_alpha(p) is None
    assert cohen_kappa(p) is None
    assert percent_agreement(p) == 1.0  # agreement itself is defined: they agree


def test_agreement_one_disagreeing_unit_is_defined():
    # Two values in two categories: n = 2, sum n_c n_k = 2, alpha = 1 - 1 * 2 / 2 = 0.
    p = units([[1], [0]])
    assert krippendorff_alpha(p) == pytest.approx(0.0)
    assert percent_agreement(p) == 0.0


def test_agreement_no_pairable_unit_is_undefined():
    p = units([[1, N, 0], [N, 1, N]])
    assert pairable_units(p) == 0
    assert krippendorff_alpha(p) is None
    assert cohen_kappa(p) is None
    assert percent_agreement(p) is None


def test_agreement_cohen_needs_two_coders():
    with pytest.raises(ValueError):
        cohen_kappa(units([[1, 0], [1, 0], [0, 0]]))


def test_agreement_brennan_prediger():
    assert brennan_prediger(0.8, 2) == pytest.approx(0.6)
    assert brennan_prediger(0.8, 5) == pytest.approx((0.8 - 0.2) / 0.8)
    assert brennan_prediger(0.8, 1) is None
    assert brennan_prediger(None, 4) is None


@pytest.mark.parametrize("seed", range(6))
def test_agreement_alpha_equals_krippendorff_package_on_random_data(seed):
    krippendorff = pytest.importorskip("krippendorff")
    np = pytest.importorskip("numpy")
    rng = random.Random(seed)
    coders, n_units, categories = rng.randint(2, 5), rng.randint(5, 60), rng.randint(2, 5)
    data = [[None if rng.random() < 0.2 else rng.randrange(categories) for _ in range(n_units)] for _ in range(coders)]
    ours = krippendorff_alpha(units(data))
    matrix = np.array([[np.nan if v is None else v for v in row] for row in data], dtype=float)
    try:
        theirs = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
    except ValueError:  # the package refuses data with one value only; ours says undefined
        assert ours is None
        return
    assert ours == pytest.approx(theirs, abs=1e-9)


def test_agreement_cohen_equals_textbook_formula_on_random_data():
    rng = random.Random(7)
    a = [rng.randrange(3) for _ in range(200)]
    b = [x if rng.random() < 0.7 else rng.randrange(3) for x in a]
    n = len(a)
    p_o = sum(x == y for x, y in zip(a, b, strict=False)) / n
    p_e = sum((a.count(c) / n) * (b.count(c) / n) for c in range(3))
    assert cohen_kappa(units([a, b])) == pytest.approx((p_o - p_e) / (1 - p_e))
