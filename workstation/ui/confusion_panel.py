"""The dashboard's confusion matrix: two chosen annotators' mention types (or labels) against each other.

The matrix is read by `mention_confusion` in the background; clicking a cell
lists the pairs of mentions behind its count.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
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
from workstation.store.project import Project
from workstation.ui.background import BackgroundTask

AGREE, CONFUSED, EMPTY = QColor("#d9f2d9"), QColor("#f4a582"), QColor("#ffffff")


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
