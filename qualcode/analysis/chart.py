"""What the frequency chart shows, for the app's bar chart and for ``stats frequencies --chart``.

Without groups: the segments of each code. With groups (``--by``): each group's
coverage of each code (the share of the group's words that are coded with it), so
groups of unequal size compare fairly; at most :data:`MAX_GROUPS` groups, the first
ones, with the title saying so.
"""

from __future__ import annotations

from dataclasses import dataclass

from .frequencies import ALL_GROUP, FrequencyTable

MAX_GROUPS = 6  # bars per code at most (more are unreadable, and run out of the app's theme colours)

CHART_SEGMENTS = "Segments per code"
CHART_COVERAGE = "Coverage per group (% of the group's words)"
CHART_SOME_GROUPS = " - first {shown} of {total} groups"


@dataclass(slots=True)
class Series:
    """One colour of bars: a group (or the whole selection) with a value per label."""

    name: str
    values: list[float]


@dataclass(slots=True)
class Chart:
    """A horizontal bar chart: a bar (or a cluster, one per series) per label."""

    title: str
    labels: list[str]
    depths: list[int]  # each label's depth in the code tree (indented when drawn)
    series: list[Series]
    value_format: str = "{:,.0f}"

    def value_text(self, value: float) -> str:
        return self.value_format.format(value)


def frequency_chart(table: FrequencyTable, *, all_codes: bool = True, max_groups: int = MAX_GROUPS) -> Chart:
    """The chart of a frequency table (``all_codes`` False: the top-level codes only)."""
    rows = [r for r in table.rows if all_codes or r.code.depth == 0]
    labels = [r.code.name for r in rows]
    depths = [r.code.depth for r in rows]
    if not table.groups:
        return Chart(CHART_SEGMENTS, labels, depths, [Series(ALL_GROUP, [float(r.total.segments) for r in rows])])
    groups = table.groups[:max_groups]
    series = [Series(g.name, [100 * (g.coverage(r.in_group(g.name)) or 0) for r in rows]) for g in groups]
    title = CHART_COVERAGE
    if len(table.groups) > len(groups):
        title += CHART_SOME_GROUPS.format(shown=len(groups), total=len(table.groups))
    return Chart(title, labels, depths, series, value_format="{:.1f}%")
