"""The dashboard's charts: the report's `ChartData` drawn with pyqtgraph, as the Excel report draws them.

pyqtgraph is imported with this module. The dashboard imports it in its
background computation (so neither start-up nor the dashboard's window waits
for it) and this module only once the figures are in.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QGridLayout, QWidget

from workstation.review.report_charts import ChartData

PALETTE = ("#4f81bd", "#c0504d", "#9bbb59", "#8064a2", "#4bacc6", "#f79646", "#2c4d75", "#772c2a")
"""Series colours, as Excel and LibreOffice draw the report's charts."""
GROUP_WIDTH = 0.8


def _bars(plot: pg.PlotItem, data: ChartData) -> None:
    """Grouped bars, or stacked ones when the data says so; an undefined value draws no bar."""
    count = len(data.series)
    width = GROUP_WIDTH if data.stacked else GROUP_WIDTH / max(count, 1)
    base = [0.0] * len(data.categories)
    for index, (name, values) in enumerate(data.series.items()):
        shown = [(position, value) for position, value in enumerate(values) if value is not None]
        offset = 0.0 if data.stacked else (index - (count - 1) / 2) * width
        bars = pg.BarGraphItem(x=[position + offset for position, _ in shown], height=[value for _, value in shown],
                               y0=[base[position] for position, _ in shown], width=width,
                               brush=PALETTE[index % len(PALETTE)], pen=pg.mkPen("#ffffff"), name=name)
        plot.addItem(bars)
        if data.stacked:
            for position, value in shown:
                base[position] += value


def chart_widget(data: ChartData) -> pg.PlotWidget:
    widget = pg.PlotWidget(background="w")
    plot = widget.getPlotItem()
    plot.setTitle(data.title, color="#222222", size="11pt")
    plot.addLegend(offset=(-10, 10), labelTextColor="#222222")
    _bars(plot, data)
    axis = plot.getAxis("bottom")
    axis.setTicks([[(position, category) for position, category in enumerate(data.categories)]])
    for side, title in (("bottom", data.categories_title), ("left", data.values_title)):
        plot.getAxis(side).enableAutoSIPrefix(False)
        plot.getAxis(side).setLabel(title, color="#222222")
        plot.getAxis(side).setTextPen("#222222")
    plot.setXRange(-0.6, len(data.categories) - 0.4, padding=0)
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()
    widget.setMinimumSize(360, 240)
    return widget


class ChartsPanel(QWidget):
    """The report's charts, two to a row."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.charts: list[pg.PlotWidget] = []

    def show_charts(self, charts: list[ChartData]) -> None:
        for widget in self.charts:
            self.grid.removeWidget(widget)
            widget.deleteLater()
        self.charts = [chart_widget(data) for data in charts]
        for index, widget in enumerate(self.charts):
            self.grid.addWidget(widget, index // 2, index % 2)
