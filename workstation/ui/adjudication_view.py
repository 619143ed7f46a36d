"""The supervisor's adjudication view: one document's layers side by side, accepted into gold with one key.

Each row is one item or near misses of it; a layer's cell gives its version's
description and offsets, with the fields where the versions differ
highlighted. Keys: N / P go to the next / previous disagreement, 1–9 accept
the row from that layer, Enter or A from the selected cell's layer.

It stays open beside the main window (never modal) and pushes every change on
the main window's undo stack, so Ctrl+Z undoes an acceptance like any edit,
in either window; the view redraws whenever that stack moves, whoever moved it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
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
from workstation.editing.commands import Changes, Command
from workstation.editing.editor import Editor
from workstation.review.adjudication import accept, accept_all_agreed, reject, set_gold_status
from workstation.review.adjudication_rows import Comparison, ComparisonRow, Version, compare_layers
from workstation.store.engine import driver_connection
from workstation.store.gold_status import gold_documents, next_to_adjudicate
from workstation.store.models import GOLD, STATUSES
from workstation.store.project import Project
from workstation.ui.rich_cells import HTML_ROLE, HtmlDelegate, marked
from workstation.ui.undo import EditCommand

AGREED, DIFFERENT, MISSING, GOLDEN = QColor("#d9f2d9"), QColor("#fde9c8"), QColor("#f6d2d2"), QColor("#ffe58a")
FIXED_COLUMNS = ("", "Kind", "Text")
LEGEND = ("✓ all annotators agree   ≠ the layers differ (— marks a layer without the item; a highlighted field "
          "differs between versions)   ★ in gold.   N / P: next / previous disagreement.   1–9 accept the row "
          "from that layer; Enter or A from the selected cell's layer (else the first that has it); Delete "
          "removes it from gold.")
OFFSETS = ("span", "evidence", "trigger")
"""Fields shown in every cell: where the version is, even when all versions agree on it."""


class _LayerTable(QTableWidget):
    """The table hands its adjudication keys to the view instead of letting the dialog take Enter."""

    accept_pressed = Signal()
    remove_pressed = Signal()
    layer_pressed = Signal(int)
    """Accept from the layer of this number (1 = the first layer column)."""
    step_pressed = Signal(int)
    """Go to the next (1) or previous (-1) disagreement."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        plain = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier == Qt.KeyboardModifier.NoModifier
        key = event.key()
        if plain and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_A):
            self.accept_pressed.emit()
        elif plain and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.remove_pressed.emit()
        elif plain and Qt.Key.Key_1 <= key <= Qt.Key.Key_9:
            self.layer_pressed.emit(key - Qt.Key.Key_0)
        elif plain and key in (Qt.Key.Key_N, Qt.Key.Key_P):
            self.step_pressed.emit(1 if key == Qt.Key.Key_N else -1)
        else:
            super().keyPressEvent(event)


def _cell(text: str, colour: QColor | None = None, tooltip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if colour is not None:
        item.setBackground(colour)
    item.setToolTip(tooltip or text)
    return item


def _version_cell(version: Version, differing: set[str], colour: QColor, prefix: str = "") -> QTableWidgetItem:
    """The description, then the offsets and every field that differs between the row's versions, highlighted."""
    shown = [(name, value) for name, value in version.fields.items() if name in OFFSETS or name in differing]
    details = " · ".join(f"{name} {value or '—'}" for name, value in shown)
    cell = _cell(f"{prefix}{version.description}\n{details}", colour)
    html = " · ".join(marked(f"{name} {value or '—'}", name in differing) for name, value in shown)
    cell.setData(HTML_ROLE, f"{marked(prefix + version.description, False)}<br>{html}")
    return cell


def _button(text: str, slot: Callable[[], None]) -> QPushButton:
    button = QPushButton(text)
    button.setAutoDefault(False)
    button.clicked.connect(slot)
    return button


class AdjudicationView(QDialog):
    def __init__(self, project: Project, document_id: str, undo_stack: QUndoStack,
                 on_changed: Callable[[Changes], None] | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.project, self.document_id, self.undo_stack = project, document_id, undo_stack
        self.on_changed = on_changed
        self.editor = Editor(project, GOLD)
        self.comparison: Comparison | None = None
        self.setModal(False)
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setStyleSheet("font-weight: bold")
        legend = QLabel(LEGEND)
        legend.setWordWrap(True)
        self.table = _LayerTable(0, 0)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        self.table.setItemDelegate(HtmlDelegate(self.table))
        self.table.accept_pressed.connect(self.accept_selected)
        self.table.remove_pressed.connect(self.remove_selected)
        self.table.layer_pressed.connect(self.accept_from_layer)
        self.table.step_pressed.connect(self.step_disagreement)
        self.summary = QLabel()
        self.message = QLabel()
        self.message.setStyleSheet("color: #a40000")
        self.status_combo = QComboBox()
        self.status_combo.addItems([status.replace("_", " ") for status in STATUSES])
        self.status_combo.activated.connect(self._status_chosen)
        self.accept_button = _button("Accept selected (Enter)", self.accept_selected)
        self.accept_all_button = _button("Accept all agreed", self.accept_all)
        self.remove_button = _button("Remove from gold (Del)", self.remove_selected)
        self.next_button = _button("Next document ▸", self.next_document)
        self.next_button.setToolTip("The next document whose gold is not done")
        bar = QHBoxLayout()
        for widget in (self.summary, QLabel("Gold status:"), self.status_combo):
            bar.addWidget(widget)
        bar.addStretch(1)
        for widget in (self.accept_button, self.accept_all_button, self.remove_button, self.next_button,
                       _button("Close", self.close)):
            bar.addWidget(widget)
        layout = QVBoxLayout(self)
        for widget in (self.heading, legend, self.table, self.message):
            layout.addWidget(widget)
        layout.addLayout(bar)
        self.resize(1200, 600)
        for action, keys in ((undo_stack.createUndoAction(self), QKeySequence.StandardKey.Undo),
                             (undo_stack.createRedoAction(self), QKeySequence.StandardKey.Redo)):
            action.setShortcuts(keys)
            self.addAction(action)
        self._sized: set[int] = set()
        """Rows already sized to their text (`_size_rows_in_view`)."""
        self.table.verticalScrollBar().valueChanged.connect(self._size_rows_in_view)
        undo_stack.indexChanged.connect(self.refresh)
        self.refresh()
        self.table.setFocus()

    def done(self, result: int) -> None:
        """A closed view stops following the undo stack, which it shares with the main window: it would re-read
        the layers after every later edit, until it is deleted (and from a project that may be closed by then)."""
        if self.isVisible():
            self.undo_stack.indexChanged.disconnect(self.refresh)
        super().done(result)

    def refresh(self) -> None:
        """Re-read the document's layers, keeping the selected item (or its place) selected."""
        previous = self.selected_row()
        row_index, column = max(self.table.currentRow(), 0), max(self.table.currentColumn(), 0)
        with self.project.session() as session:
            before, self.comparison = self.comparison, compare_layers(session, self.document_id)
        comparison = self.comparison
        self.setWindowTitle(f"Adjudication — {comparison.title}")
        layers = ", ".join(comparison.layers) or "none"
        self.heading.setText(f"{comparison.title}   (layers: {layers})")
        status = comparison.gold_status or "new"
        self.summary.setText(f"Gold: {comparison.gold_items} items, status {status.replace('_', ' ')}")
        self.layout().activate()
        self.status_combo.setCurrentIndex(STATUSES.index(status))
        self.accept_all_button.setEnabled(bool(comparison.agreed_missing()))
        if not self._update_rows(before, comparison):
            self._fill(comparison)
        keys = [row.key for row in comparison.rows]
        if previous is not None and previous.key in keys:
            row_index = keys.index(previous.key)
        if comparison.rows:
            self.table.setCurrentCell(min(row_index, len(comparison.rows) - 1), column)

    def _fill(self, comparison: Comparison) -> None:
        headers = [*FIXED_COLUMNS, *comparison.layers, "Gold"]
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(comparison.rows))
        for index, row in enumerate(comparison.rows):
            self._fill_row(index, row, comparison.layers)
        header = self.table.horizontalHeader()
        for column in range(len(FIXED_COLUMNS), len(headers)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self._sized = set()
        self._size_rows_in_view()
        for column in range(len(FIXED_COLUMNS)):
            self.table.resizeColumnToContents(column)

    def _fill_row(self, index: int, row: ComparisonRow, layers: list[str]) -> None:
        tone = AGREED if row.agreed else DIFFERENT
        mark = _cell(*(("✓", tone, "all annotators agree") if row.agreed else ("≠", tone, "the layers differ")))
        mark.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        differing = row.differing()
        cells = [mark, _cell(row.table.replace("_", " ")), _cell(row.text)]
        cells += [_version_cell(row.versions[name], differing, tone) if name in row.versions
                  else _cell("—", MISSING, f"not in {name}") for name in layers]
        cells.append(_version_cell(row.gold, differing, GOLDEN, "★ ") if row.gold else _cell(""))
        for column, cell in enumerate(cells):
            self.table.setItem(index, column, cell)

    def _update_rows(self, before: Comparison | None, now: Comparison) -> bool:
        """After an edit the rows are mostly the same ones (an acceptance changes one row's gold): only the rows
        that changed are filled again. False when the rows themselves came or went (then the table is filled
        anew). Filling 2,000 rows, each sized to its wrapped text, took two seconds."""
        if before is None or before.layers != now.layers or [row.key for row in before.rows] != [
                row.key for row in now.rows]:
            return False
        for index, (old, new) in enumerate(zip(before.rows, now.rows)):
            if old != new:
                self._fill_row(index, new, now.layers)
                if index in self._sized:
                    self.table.resizeRowToContents(index)
        return True

    def _size_rows_in_view(self) -> None:
        """Rows get the height of their wrapped text as they come into view (and a screen below it): measuring a
        cell lays out its text, and a long document has thousands of rows. A view scrolled to the end stays
        there as its last rows grow."""
        bar = self.table.verticalScrollBar()
        at_end = bar.value() == bar.maximum() > 0
        index, bottom = max(self.table.rowAt(0), 0), 0
        while index < self.table.rowCount() and bottom <= 2 * self.table.viewport().height():
            if index not in self._sized:
                self._sized.add(index)
                self.table.resizeRowToContents(index)
            bottom += self.table.rowHeight(index)
            index += 1
        if at_end and bar.value() != bar.maximum():
            bar.setValue(bar.maximum())

    def selected_row(self) -> ComparisonRow | None:
        index = self.table.currentRow()
        if self.comparison is None or not 0 <= index < len(self.comparison.rows):
            return None
        return self.comparison.rows[index]

    def _source(self, row: ComparisonRow) -> str | None:
        """The item to copy: the selected cell's layer if it has one, else the first layer that does."""
        layers = self.comparison.layers
        column = self.table.currentColumn() - len(FIXED_COLUMNS)
        if 0 <= column < len(layers) and layers[column] in row.items:
            return row.items[layers[column]]
        return next((row.items[name] for name in layers if name in row.items), None)

    def _push(self, build: Callable[..., Command | None]) -> bool:
        """Build a command in a fresh session and put it on the undo stack; a refusal shows in the view."""
        try:
            with self.project.session() as session:
                command = build(session)
        except UserError as refused:
            self.message.setText(str(refused))
            return False
        self.message.clear()
        if command is None:
            return False
        self.undo_stack.push(EditCommand(self.editor, command, self._changed))
        return True

    def _changed(self, changes: Changes) -> None:
        if self.on_changed is not None:
            self.on_changed(changes)

    def step_disagreement(self, step: int) -> None:
        """Select the next (1) or previous (-1) row where the layers differ, keeping the column."""
        rows = self.comparison.rows if self.comparison else []
        index = self.table.currentRow() + step
        while 0 <= index < len(rows):
            if not rows[index].agreed:
                self.table.setCurrentCell(index, max(self.table.currentColumn(), 0))
                self.message.clear()
                return
            index += step
        self.message.setText("no further disagreement " + ("below" if step > 0 else "above"))

    def accept_from_layer(self, number: int) -> None:
        row = self.selected_row()
        layers = self.comparison.layers if self.comparison else []
        if row is None or number > len(layers):
            self.message.setText(f"there is no layer {number}")
            return
        name = layers[number - 1]
        if name not in row.versions:
            self.message.setText(f"{name} has no version of this {row.table.replace('_', ' ')}")
            return
        self._accept(row, row.items[name])

    def accept_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        source = self._source(row)
        if source is None:
            self.message.setText(f"this {row.table.replace('_', ' ')} is only in the gold layer")
            return
        self._accept(row, source)

    def _accept(self, row: ComparisonRow, source: str) -> None:
        """Copy the layer's version into gold; a row whose gold holds another version is left for the supervisor
        to clear first (Delete), so picking a version never leaves two versions of one item in gold."""
        versions = {version.item_id: version for version in row.versions.values()}
        if row.gold is not None and source in versions and versions[source].signature != row.gold.signature:
            what = row.table.replace("_", " ")
            self.message.setText(f"gold holds another version of this {what}: Delete removes it, then accept "
                                 f"the version you want")
            return
        schema, gold, comparison = self.project.schema, self.editor.annotator_id, self.comparison
        if self._push(lambda session: accept(session, schema, gold, row.table, source, comparison)):
            self.table.setCurrentCell(min(self.table.currentRow() + 1, self.table.rowCount() - 1),
                                      self.table.currentColumn())

    def accept_all(self) -> None:
        schema, gold, document_id = self.project.schema, self.editor.annotator_id, self.document_id
        self._push(lambda session: accept_all_agreed(session, schema, gold, document_id))

    def remove_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        if row.gold_id is None:
            self.message.setText(f"this {row.table} is not in the gold layer")
            return
        schema, gold = self.project.schema, self.editor.annotator_id
        self._push(lambda session: reject(session, schema, gold, row.table, row.gold_id))

    def next_document(self) -> None:
        """Move the view to the next document whose gold is not done (see `next_to_adjudicate`)."""
        with self.project.session() as session:
            chosen = next_to_adjudicate(gold_documents(driver_connection(session)), self.document_id)
        if chosen is None or chosen.id == self.document_id:
            self.message.setText("every other document's gold is done")
            return
        self.document_id = chosen.id
        self.message.clear()
        self.table.setCurrentCell(0, 0)
        self.refresh()

    def _status_chosen(self, index: int) -> None:
        status = STATUSES[index]
        if status == (self.comparison.gold_status or "new"):
            return
        schema, gold, document_id = self.project.schema, self.editor.annotator_id, self.document_id
        self._push(lambda session: set_gold_status(session, schema, gold, document_id, status))
