"""The Conflicts window: every merge conflict not yet resolved, its two versions side by side.

It stays open beside the main window (never modal). "Keep this" accepts the
version standing in the project, "Take the other" puts the recorded one in its
place; each is one step on the main window's undo stack, and the list redraws
whenever that stack moves, so an undone resolution brings its conflict back.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workstation.core.errors import UserError
from workstation.editing.commands import Changes
from workstation.editing.editor import Editor
from workstation.review.conflicts import OpenConflict, open_conflicts, resolve
from workstation.store.project import Project
from workstation.ui.rich_cells import HTML_ROLE, HtmlDelegate, marked
from workstation.ui.undo import EditCommand

LIST_COLUMNS = ("What", "Where", "Who", "Recorded (UTC)", "The merge kept")
SIDE_COLUMNS = ("Field", "Standing in the project", "The other version (recorded)")


def _table(columns: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return table


def _item(text: str, html: str | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(text)
    if html is not None:
        item.setData(HTML_ROLE, html)
    return item


class ConflictsView(QDialog):
    def __init__(self, project: Project, editor: Editor, undo_stack: QUndoStack,
                 on_changed: Callable[[Changes], None], parent: QWidget | None = None):
        super().__init__(parent)
        self.project, self.editor, self.undo_stack, self.on_changed = project, editor, undo_stack, on_changed
        self.conflicts: list[OpenConflict] = []
        self.setModal(False)
        self.setWindowTitle("Merge conflicts")
        self.summary = QLabel()
        self.list = _table(LIST_COLUMNS)
        self.list.currentCellChanged.connect(lambda *_: self._show_sides())
        self.sides = _table(SIDE_COLUMNS)
        self.sides.setItemDelegate(HtmlDelegate(self.sides))
        self.sides.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.message = QLabel()
        self.message.setStyleSheet("color: #a40000")
        self.keep_button = QPushButton("Keep this (the standing version)")
        self.keep_button.clicked.connect(lambda: self._resolve(take_other=False))
        self.take_button = QPushButton("Take the other")
        self.take_button.clicked.connect(lambda: self._resolve(take_other=True))
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        bar = QHBoxLayout()
        bar.addWidget(self.message, 1)
        for button in (self.keep_button, self.take_button, close):
            button.setAutoDefault(False)
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        for widget in (self.summary, self.list, QLabel("Both versions, field by field (highlighted: they differ)"),
                       self.sides):
            layout.addWidget(widget)
        layout.addLayout(bar)
        self.resize(1000, 560)
        undo_stack.indexChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Re-read the open conflicts, keeping the selected one (or its place) selected."""
        row = max(self.list.currentRow(), 0)
        with self.project.session() as session:
            self.conflicts = open_conflicts(session)
        self.summary.setText(f"{len(self.conflicts)} open conflict(s)" if self.conflicts else
                             "No open conflicts: every merge conflict has been reviewed.")
        self.list.setRowCount(len(self.conflicts))
        for index, conflict in enumerate(self.conflicts):
            values = (conflict.what, conflict.where, conflict.who, conflict.recorded_at[:19],
                      f"the {conflict.kept}'s version")
            for column, value in enumerate(values):
                self.list.setItem(index, column, _item(value))
        self.list.resizeRowsToContents()
        for button in (self.keep_button, self.take_button):
            button.setEnabled(bool(self.conflicts))
        if self.conflicts:
            self.list.setCurrentCell(min(row, len(self.conflicts) - 1), 0)
        self._show_sides()

    def selected(self) -> OpenConflict | None:
        index = self.list.currentRow()
        return self.conflicts[index] if 0 <= index < len(self.conflicts) else None

    def _show_sides(self) -> None:
        conflict = self.selected()
        if conflict is None:
            self.sides.setRowCount(0)
            return
        differing = conflict.differing()
        sides = [side.fields if side else None for side in (conflict.standing, conflict.recorded)]
        names = list(dict.fromkeys(name for fields in sides if fields for name in fields))
        changed = [side.changed_at[:19] if side else "" for side in (conflict.standing, conflict.recorded)]
        rows = [("last changed", *changed), *((name, *(fields.get(name, "—") if fields is not None else "(deleted)"
                                                     for fields in sides)) for name in names)]
        self.sides.setRowCount(len(rows))
        for index, (name, *values) in enumerate(rows):
            self.sides.setItem(index, 0, _item(name))
            for column, value in enumerate(values, start=1):
                self.sides.setItem(index, column, _item(value, marked(value, name in differing)))
        self.sides.resizeRowsToContents()

    def _resolve(self, take_other: bool) -> None:
        conflict = self.selected()
        if conflict is None:
            return
        try:
            with self.project.session() as session:
                command = resolve(session, conflict.id, take_other)
        except UserError as refused:
            self.message.setText(str(refused))
            return
        self.message.clear()
        self.undo_stack.push(EditCommand(self.editor, command, self.on_changed))
