"""A horizontal bar chart for the statistics screen: one bar per code, or one per group.

Drawn with block characters down to an eighth of a cell, so short bars stay
distinguishable; bar colours are the theme's (``$primary``, ``$secondary``, ...).
Written for this screen instead of using textual-plotext: plotext 5.3 draws
horizontal grouped bars overlapping each other, and long Dutch code names need
horizontal bars. The chart's height follows its data, so it scrolls in a
``VerticalScroll``.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from ...analysis.chart import Series

EIGHTHS = " ▏▎▍▌▋▊▉"
SERIES_COLOURS = ("primary", "accent", "success", "error", "secondary", "warning")  # distinct hues first
LABEL_MAX = 34  # longer code names are cut with an ellipsis


class BarChart(Widget):
    """Labels on the left, bars to the right; with several series, clusters per label."""

    DEFAULT_CSS = """
    BarChart {
        height: auto;
        padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = ""
        self.labels: list[str] = []
        self.series: list[Series] = []
        self.value_format = "{:,.0f}"

    def plot(self, title: str, labels: list[str], series: list[Series], value_format: str = "{:,.0f}") -> None:
        """Replace what the chart shows."""
        self.title, self.labels, self.series, self.value_format = title, labels, series, value_format
        self.refresh(layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self._lines(max(width, 20)))

    def render(self) -> Text:
        return Text("\n").join(self._lines(self.content_size.width or 80))

    def _lines(self, width: int) -> list[Text]:
        if not self.labels:
            return [Text(self.title)]
        variables = self.app.theme_variables
        colours = [Style(color=variables.get(name, "white")) for name in SERIES_COLOURS]
        labels = [label if cell_len(label) <= LABEL_MAX else label[: LABEL_MAX - 1] + "…" for label in self.labels]
        label_width = max(cell_len(label) for label in labels)
        texts = [[self.value_format.format(v) for v in s.values] for s in self.series]
        value_width = max(len(t) for values in texts for t in values)
        bar_width = max(width - label_width - value_width - 2, 4)
        top = max((v for s in self.series for v in s.values), default=0) or 1

        lines = [Text(self.title, style="bold")]
        if len(self.series) > 1:
            legend = Text()
            for k, s in enumerate(self.series):
                legend.append("■ ", colours[k % len(colours)]).append(f"{s.name}   ")
            lines.append(legend)
        lines.append(Text())
        for i, label in enumerate(labels):
            for k, s in enumerate(self.series):
                line = Text((label if k == 0 else "").ljust(label_width) + " ")
                line.append(_bar(s.values[i] / top * bar_width), colours[k % len(colours)])
                line.append(" " + texts[k][i], "dim")
                lines.append(line)
            if len(self.series) > 1 and i < len(labels) - 1:
                lines.append(Text())
        return lines


def _bar(cells: float) -> str:
    """A bar ``cells`` wide, to the nearest eighth of a cell."""
    eighths = round(cells * 8)
    return "█" * (eighths // 8) + (EIGHTHS[eighths % 8] if eighths % 8 else "")
