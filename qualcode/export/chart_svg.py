"""A bar chart as an SVG file, for a report: ``qualcode stats frequencies --chart FILE.svg``.

The chart the statistics screen draws (:func:`qualcode.analysis.chart.frequency_chart`),
as a plain SVG 1.1 document: horizontal bars (long Dutch code names need the room),
sub-codes indented under their parent, one colour per group with a legend, each value
written at its bar's end and in the bar's tooltip. Colours are the Okabe-Ito palette,
which readers with a colour vision deficiency can tell apart, and print in grey
scale as different greys. Text is measured by an estimate of its width (an SVG
has no layout engine); names longer than :data:`LABEL_MAX` characters are cut.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from ..analysis.chart import Chart
from ..refi.xmlwrite import xml_safe
from .csvfile import atomic_output

COLOURS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9")  # Okabe-Ito
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
CHAR_WIDTH = 7.0  # px per character of 12 px text (an estimate: an SVG cannot measure)
LABEL_MAX = 48  # characters of a code name; longer names are cut with an ellipsis
INDENT = 14  # px per level of the code tree
BAR = 14  # px: a bar's height
GAP = 3  # px between the bars of one code
CLUSTER_GAP = 10  # px between codes
BAR_AREA = 420  # px: the longest bar
MARGIN = 16


def _text(value: str) -> str:
    return escape(xml_safe(value)[0])


def _cut(label: str) -> str:
    return label if len(label) <= LABEL_MAX else label[: LABEL_MAX - 1] + "…"


def chart_svg(chart: Chart) -> str:
    """The chart as an SVG document."""
    labels = [_cut(label) for label in chart.labels]
    label_width = max(
        (len(label) * CHAR_WIDTH + depth * INDENT for label, depth in zip(labels, chart.depths, strict=True)), default=0
    )
    texts = [[chart.value_text(v) for v in s.values] for s in chart.series]
    value_width = max((len(t) for values in texts for t in values), default=0) * CHAR_WIDTH
    top = max((v for s in chart.series for v in s.values), default=0) or 1
    several = len(chart.series) > 1
    x_bars = MARGIN + label_width + 8
    width = int(x_bars + BAR_AREA + 6 + value_width + MARGIN)
    y = MARGIN + 14  # the title's baseline
    out = [f'<text x="{MARGIN}" y="{y}" font-size="14" font-weight="bold">{_text(chart.title)}</text>']
    if several:  # the legend
        y += 22
        x = float(MARGIN)
        for k, s in enumerate(chart.series):
            colour = COLOURS[k % len(COLOURS)]
            out.append(f'<rect x="{x:.0f}" y="{y - 10}" width="10" height="10" fill="{colour}"/>')
            out.append(f'<text x="{x + 14:.0f}" y="{y}">{_text(s.name)}</text>')
            x += 14 + len(s.name) * CHAR_WIDTH + 18
        width = max(width, int(x + MARGIN))
    y += 14
    if not labels:
        out.append(f'<text x="{MARGIN}" y="{y + 12}">(no codes)</text>')
        y += 20
    for i, label in enumerate(labels):
        cluster = len(chart.series) * (BAR + GAP) - GAP
        out.append(
            f'<text x="{MARGIN + chart.depths[i] * INDENT}" y="{y + cluster / 2 + 4:.0f}"'
            f' font-weight="{"bold" if chart.depths[i] == 0 else "normal"}">{_text(label)}</text>'
        )
        for k, s in enumerate(chart.series):
            colour = COLOURS[k % len(COLOURS)]
            length = s.values[i] / top * BAR_AREA
            tip = f"{chart.labels[i]}" + (f" · {s.name}" if several else "") + f": {texts[k][i]}"
            out.append(
                f'<rect x="{x_bars:.0f}" y="{y}" width="{length:.1f}" height="{BAR}" fill="{colour}">'
                f"<title>{_text(tip)}</title></rect>"
            )
            out.append(f'<text x="{x_bars + length + 4:.1f}" y="{y + BAR - 3}" fill="#333">{_text(texts[k][i])}</text>')
            y += BAR + GAP
        y += CLUSTER_GAP - GAP
    height = int(y + MARGIN)
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" font-family={quoteattr(FONT)} font-size="12">\n'
        f"<title>{_text(chart.title)}</title>\n"
        f'<rect width="{width}" height="{height}" fill="white"/>\n'
    )
    return head + "\n".join(out) + "\n</svg>\n"


def write_chart_svg(chart: Chart, path: Path) -> None:
    """Write the chart to ``path`` (replaced only once complete); a file the system refuses
    is a :data:`~qualcode.errors.OUTPUT_UNWRITABLE` error naming it, as for a table."""
    text = chart_svg(chart)
    with atomic_output(path) as handle:
        handle.write(text)
