"""`qualcode stats frequencies --chart FILE.svg`: the statistics screen's bar chart as an SVG
for a report (the tiny hand-counted project of analysis_fixture)."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from analysis_fixture import build
from click.testing import CliRunner

from qualcode.analysis import frequencies, select
from qualcode.analysis.chart import CHART_COVERAGE, CHART_SEGMENTS, Chart, Series, frequency_chart
from qualcode.analysis.frequencies import ALL_GROUP
from qualcode.cli import main
from qualcode.export.chart_svg import chart_svg
from qualcode.project import Project

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def root(tmp_path):
    return build(tmp_path / "p")


def run(root, *args):
    return CliRunner().invoke(main, ["--project", str(root), *args])


def _table(root, by=None):
    project = Project.open(root)
    try:
        return frequencies(project.store, project.codebook, select(project.store, project.codebook), by=by)
    finally:
        project.close()


def _bars(svg: str) -> dict[str, str]:
    """Each bar's tooltip -> its width."""
    tree = ElementTree.fromstring(svg)
    return {
        rect.find(f"{SVG}title").text: rect.get("width")
        for rect in tree.iter(f"{SVG}rect")
        if rect.find(f"{SVG}title") is not None
    }


def test_the_chart_without_groups_counts_segments_per_code(root):
    chart = frequency_chart(_table(root))
    assert chart.title == CHART_SEGMENTS and [s.name for s in chart.series] == [ALL_GROUP]
    by_code = dict(zip(chart.labels, chart.series[0].values, strict=True))
    table = _table(root)
    assert by_code == {r.code.name: r.total.segments for r in table.rows}
    assert chart.depths == [r.code.depth for r in table.rows]
    top = frequency_chart(table, all_codes=False)
    assert top.labels == [r.code.name for r in table.rows if r.code.depth == 0]


def test_the_chart_by_group_shows_each_groups_coverage_and_says_when_groups_are_left_out(root):
    table = _table(root, by="type")
    chart = frequency_chart(table)
    assert chart.title == CHART_COVERAGE and [s.name for s in chart.series] == [g.name for g in table.groups]
    row = next(r for r in table.rows if r.code.id == "kracht")
    i = chart.labels.index(row.code.name)
    for series, group in zip(chart.series, table.groups, strict=True):
        assert series.values[i] == pytest.approx(100 * (group.coverage(row.in_group(group.name)) or 0))
    two = frequency_chart(table, max_groups=2)
    assert len(two.series) == 2 and two.title.endswith(f"first 2 of {len(table.groups)} groups")


def test_the_svg_has_a_bar_per_code_and_group_scaled_to_the_largest_with_its_value():
    chart = Chart("Titel", ["Rol", "Sub <b> & co\x1b[31m"], [0, 1], [Series("org", [4, 2]), Series("prof", [1, 0])])
    svg = chart_svg(chart)
    bars = _bars(svg)  # it parses: the name's markup and control characters are escaped or left out
    assert bars == {
        "Rol · org: 4": "420.0",
        "Sub <b> & co[31m · org: 2": "210.0",
        "Rol · prof: 1": "105.0",
        "Sub <b> & co[31m · prof: 0": "0.0",
    }
    texts = [t.text for t in ElementTree.fromstring(svg).iter(f"{SVG}text")]
    assert "Titel" in texts and "org" in texts and "prof" in texts  # the title and the legend
    assert "Sub <b> & co[31m" in texts and "\x1b" not in svg


def test_cli_chart_writes_the_svg_and_refuses_to_replace_a_file_without_force(root, tmp_path):
    target = tmp_path / "chart.svg"
    r = run(root, "stats", "frequencies", "--by", "type", "--chart", str(target))
    assert r.exit_code == 0, r.output
    assert "wrote the chart (coverage per group" in r.output
    assert len(_bars(target.read_text(encoding="utf-8"))) > 0
    before = target.read_bytes()
    r = run(root, "stats", "frequencies", "--chart", str(target))
    assert r.exit_code != 0 and "--force" in r.output and "Traceback" not in r.output
    assert target.read_bytes() == before
    r = run(root, "stats", "frequencies", "--chart", str(target), "--force")
    assert r.exit_code == 0 and "segments per code" in r.output
    r = run(root, "stats", "frequencies", "--chart", str(target), "-o", str(target), "--force")
    assert r.exit_code == 2 and "same file" in r.output
