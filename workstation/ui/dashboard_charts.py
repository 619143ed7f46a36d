"""The dashboard's pictures: the report's charts drawn with pyqtgraph, and the confusion matrix of mention types.

pyqtgraph is imported with this module, which the Team menu imports only when
the dashboard opens, so the main window starts without it. The charts draw
the same `ChartData` the Excel report draws; the matrix reads
`mention_confusion` in the background and lists the items behind a cell when
it is clicked.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workstation.review.confusion import FIELDS, NONE, Confusion, mention_confusion
from workstation.review.report_charts import ChartData
from workstation.store.project import Project
from workstation.ui.background import BackgroundTask

PALETTE = ("#4f81bd", "#c0504d", "#9bbb59", "#8064a2", "#4bacc6", "#f79646", "#2c4d75", "#772c2a")
"""Series colours, as Excel and LibreOffice draw the report's charts."""
GROUP_WIDTH = 0.8
AGREE, CONFUSED, EMPTY = QColor("#d9f2d9"), QColor("#f4a582"), QColor("#ffffff")


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


def _item(text: str, colour: QColor | None = None, number: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if colour is not None:
        item.setBackground(colour)
    if number:
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
    return item


def _table(selectable: bool) -> QTableWidget:
    table = QTableWidget()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection if selectable
                           else QAbstractItemView.SelectionMode.NoSelection)
    return table


class ConfusionPanel(QWidget):
    """Two annotators chosen, their mention types against each other; a cell's items listed below it."""

    def __init__(self, project: Project, parent: QWidget | None = None):
        super().__init__(parent)
        self.project = project
        self.confusion: Confusion | None = None
        self.task: BackgroundTask | None = None
        self.first, self.second, self.compared = QComboBox(), QComboBox(), QComboBox()
        self.compared.addItems(list(FIELDS))
        for combo in (self.first, self.second, self.compared):
            combo.activated.connect(lambda _index: self.recompute())
        self.heading = QLabel("Choose two annotators")
        self.matrix = _table(selectable=True)
        self.matrix.cellClicked.connect(self.open_cell)
        self.items = _table(selectable=False)
        self.items.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.cell_label = QLabel("Click a cell to list the mentions behind it.")
        bar = QHBoxLayout()
        for widget in (QLabel("Rows:"), self.first, QLabel("Columns:"), self.second, QLabel("Compare:"),
                       self.compared):
            bar.addWidget(widget)
        bar.addStretch(1)
        below = QWidget()
        below_layout = QVBoxLayout(below)
        below_layout.setContentsMargins(0, 0, 0, 0)
        below_layout.addWidget(self.cell_label)
        below_layout.addWidget(self.items)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.matrix)
        splitter.addWidget(below)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.heading)
        layout.addWidget(splitter)

    def set_annotators(self, names: list[str]) -> None:
        """The annotators to choose from; the first two are compared until the user chooses others."""
        for combo, default in ((self.first, 0), (self.second, 1)):
            current = combo.currentText()
            combo.clear()
            combo.addItems(names)
            combo.setCurrentIndex(names.index(current) if current in names else min(default, len(names) - 1))
        self.recompute()

    def recompute(self) -> BackgroundTask | None:
        first, second, compared = self.first.currentText(), self.second.currentText(), self.compared.currentText()
        if not first or not second or first == second:
            self.heading.setText("Choose two different annotators")
            self.matrix.clear()
            self.matrix.setRowCount(0)
            return None
        project = self.project

        def compute(_progress, _cancel) -> Confusion:
            with project.session() as session:
                return mention_confusion(session, first, second, compared)

        self.heading.setText("Comparing…")
        self.task = BackgroundTask(self, "Comparing mention types…", compute)
        self.task.done.connect(self._show)
        self.task.error.connect(lambda error: self.heading.setText(f"Could not compare: {error}"))
        self.task.start()
        return self.task

    def _show(self, confusion: Confusion) -> None:
        self.confusion = confusion
        types = confusion.types()
        self.heading.setText(f"{confusion.compared.capitalize()} of {confusion.first}'s mentions (rows) against "
                             f"{confusion.second}'s (columns) on {confusion.documents} document(s) both annotated; "
                             f"{NONE}: no overlapping mention in the other layer.")
        self.matrix.clear()
        self.matrix.setRowCount(len(types))
        self.matrix.setColumnCount(len(types))
        self.matrix.setHorizontalHeaderLabels(types)
        self.matrix.setVerticalHeaderLabels(types)
        for row, mine in enumerate(types):
            for column, theirs in enumerate(types):
                count = confusion.count(mine, theirs)
                colour = EMPTY if not count else AGREE if mine == theirs else CONFUSED
                self.matrix.setItem(row, column, _item(str(count) if count else "", colour, number=True))
        self.matrix.horizontalHeader().setMinimumSectionSize(72)
        self.matrix.resizeColumnsToContents()
        self.items.setRowCount(0)

    def open_cell(self, row: int, column: int) -> None:
        """List the pairs of mentions behind a cell: where, and each annotator's text."""
        if self.confusion is None:
            return
        types = self.confusion.types()
        mine, theirs = types[row], types[column]
        pairs = self.confusion.cells.get((mine, theirs), [])
        self.cell_label.setText(f"{len(pairs)} mention(s): {self.confusion.first} {mine}, "
                                f"{self.confusion.second} {theirs}")
        self.items.clear()
        self.items.setColumnCount(4)
        self.items.setHorizontalHeaderLabels(["Document", "Start–end", self.confusion.first, self.confusion.second])
        self.items.setRowCount(len(pairs))
        for index, pair in enumerate(pairs):
            side = pair.first or pair.second
            values = (pair.title, f"{side.start}–{side.end}", pair.first.text if pair.first else "—",
                      pair.second.text if pair.second else "—")
            for column_index, value in enumerate(values):
                self.items.setItem(index, column_index, _item(value))
