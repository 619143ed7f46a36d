"""Qt table model over `list_documents`: summaries only, so a large project lists at once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from workstation.store.document_list import DocumentSummary

COLUMNS = ("Title", "Date", "Status", "Mentions")
Index = QModelIndex | QPersistentModelIndex


class DocumentListModel(QAbstractTableModel):
    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._rows: list[DocumentSummary] = []
        self._positions: dict[str, int] = {}

    def set_rows(self, rows: list[DocumentSummary]) -> None:
        self.beginResetModel()
        self._rows = rows
        self._positions = {summary.id: row for row, summary in enumerate(rows)}
        self.endResetModel()

    def row_of(self, document_id: str | None) -> int | None:
        return self._positions.get(document_id)

    def add_mentions(self, document_id: str, delta: int) -> None:
        """An edit added (or removed) mentions of the document: its row is redrawn, the list stays as it is."""
        self._change(document_id, lambda summary: replace(summary, mentions=summary.mentions + delta))

    def set_status(self, document_id: str, status: str) -> None:
        self._change(document_id, lambda summary: replace(summary, status=status))

    def _change(self, document_id: str, change: Callable[[DocumentSummary], DocumentSummary]) -> None:
        row = self._positions.get(document_id)
        if row is not None:
            self._rows[row] = change(self._rows[row])
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def summary(self, row: int) -> DocumentSummary:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            date = (row.published or "") + (" ?" if row.date_ambiguous else "")
            return (row.title or "(untitled)", date, row.status.replace("_", " "), row.mentions)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 1 and row.date_ambiguous:
            return "Ambiguous date: day and month could be swapped (see the project's date order)"
        return None
