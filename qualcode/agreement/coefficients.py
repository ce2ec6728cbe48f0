"""Agreement coefficients over *value patterns* (pure core, no I/O).

The data of a reliability study is a units x coders table of values (a category,
or ``None`` where a coder gave no value: missing data). Long runs of identical
units (millions of characters nobody coded) make the table itself far too large
to build, so every coefficient here takes the table compressed to its distinct
rows: a mapping ``pattern -> weight`` where a pattern is the tuple of the coders'
values for one unit (``None`` for missing) and the weight says how many units
have exactly that pattern. The coefficients depend on the table only through
those counts, so the result is the same as on the full table.

A coefficient that is 0/0 for the data (every value in one category, fewer than
two pairable units) is ``None``, *undefined*: never reported as 0 or 1.

References: Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability;
Cohen, J. (1960); Brennan, R. L. & Prediger, D. J. (1981).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence

Pattern = tuple[Hashable | None, ...]
Patterns = Mapping[Pattern, int | float]


def patterns_of(table: Iterable[Sequence[Hashable | None]]) -> Counter[Pattern]:
    """Compress a units x coders table (one row per unit) into pattern counts."""
    return Counter(tuple(row) for row in table)


def pairable_units(patterns: Patterns) -> int | float:
    """Units with values from at least two coders (only those carry information)."""
    return sum(w for p, w in patterns.items() if _present(p) >= 2)


def percent_agreement(patterns: Patterns) -> float | None:
    """Share of agreeing pairs of values among all pairs within units (0-1).

    For two coders this is the share of units (coded by both) on which they agree;
    with more coders it is the pairwise mean. Undefined without a pairable unit.
    """
    agree = pairs = 0.0
    for pattern, weight in patterns.items():
        values = [v for v in pattern if v is not None]
        m = len(values)
        if m < 2:
            continue
        counts = Counter(values)
        agree += weight * sum(n * (n - 1) / 2 for n in counts.values())
        pairs += weight * m * (m - 1) / 2
    return agree / pairs if pairs else None


def cohen_kappa(patterns: Patterns) -> float | None:
    """Cohen's kappa for exactly two coders over the units both coded.

    Undefined (``None``) with no such unit or when chance agreement is 1 (both
    coders put every unit in the same single category).
    """
    # weights may be fractions: float sums (typeshed's Counter holds ints only)
    joint: defaultdict[tuple[Hashable, Hashable], float] = defaultdict(float)
    for pattern, weight in patterns.items():
        if len(pattern) != 2:
            raise ValueError("Cohen's kappa needs exactly two coders")
        a, b = pattern
        if a is not None and b is not None:
            joint[(a, b)] += weight
    n = sum(joint.values())
    if not n:
        return None
    first: defaultdict[Hashable, float] = defaultdict(float)
    second: defaultdict[Hashable, float] = defaultdict(float)
    observed = 0.0
    for (a, b), weight in joint.items():
        first[a] += weight
        second[b] += weight
        if a == b:
            observed += weight
    p_o = observed / n
    p_e = sum(first[c] * second[c] for c in first) / (n * n)
    if p_e >= 1.0:
        return None
    return (p_o - p_e) / (1.0 - p_e)


def coincidences(patterns: Patterns) -> defaultdict[tuple[Hashable, Hashable], float]:
    """Krippendorff's coincidence matrix ``o[c, k]`` (units with m_u >= 2 only)."""
    o: defaultdict[tuple[Hashable, Hashable], float] = defaultdict(float)
    for pattern, weight in patterns.items():
        counts = Counter(v for v in pattern if v is not None)
        m = sum(counts.values())
        if m < 2:
            continue
        share = weight / (m - 1)
        for c, n_c in counts.items():
            for k, n_k in counts.items():
                o[(c, k)] += share * (n_c * (n_c - 1) if c == k else n_c * n_k)
    return o


def krippendorff_alpha(patterns: Patterns) -> float | None:
    """Krippendorff's alpha for nominal data; any number of coders, missing values allowed.

    ``alpha = 1 - (n - 1) * sum_{c != k} o_ck / sum_{c != k} n_c n_k``. Undefined when
    fewer than two values are pairable or all pairable values are one category.
    """
    return alpha_from_coincidences(coincidences(patterns))


def alpha_from_coincidences(o: Mapping[tuple[Hashable, Hashable], float]) -> float | None:
    """Nominal alpha from a coincidence matrix (so matrices can be summed first)."""
    n_c: defaultdict[Hashable, float] = defaultdict(float)
    disagreeing = 0.0
    for (c, k), value in o.items():
        n_c[c] += value
        if c != k:
            disagreeing += value
    n = sum(n_c.values())
    expected = n * n - sum(v * v for v in n_c.values())
    # Rounding in the 1/(m_u - 1) shares can leave a hair above 0 for one category.
    if n <= 1 or expected <= 1e-9 * max(n * n, 1.0):
        return None
    return 1.0 - (n - 1) * disagreeing / expected


def brennan_prediger(p_observed: float | None, categories: int) -> float | None:
    """Brennan & Prediger's free-marginal kappa: chance agreement is ``1/categories``.

    Undefined with fewer than two categories or no observed agreement figure.
    """
    if p_observed is None or categories < 2:
        return None
    chance = 1.0 / categories
    return (p_observed - chance) / (1.0 - chance)


def _present(pattern: Pattern) -> int:
    return sum(v is not None for v in pattern)
