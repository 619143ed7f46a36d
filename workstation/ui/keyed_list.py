"""Rows of a list widget or a tree's branch keyed by item id and kept in order, so that an edit touches just
its rows.

The registry and the frames tree list hundreds of items; reloading them after
each key press cost more than the edit. Here an edit replaces, inserts or
removes only the rows of the ids it touched, and a row that stays keeps its
place as the current row (an event chosen for its next argument stays chosen).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from bisect import bisect_left
from collections.abc import Callable, Collection, Iterable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QTreeWidgetItem

Value = TypeVar("Value")
Row = TypeVar("Row")


class KeyedRows(ABC, Generic[Value, Row]):
    """The bookkeeping; subclasses say how a row is made, filled, placed and taken in their widget."""

    def __init__(self, key: Callable[[Value], str], order: Callable[[Value], Any]):
        self.key, self.order = key, order
        self._orders: list[Any] = []
        self._rows: dict[str, Row] = {}

    def values(self) -> list[Value]:
        return [self._value(self._row_at(position)) for position in range(len(self._orders))]

    def __len__(self) -> int:
        return len(self._orders)

    def reset(self, values: Iterable[Value]) -> None:
        """Show exactly these values (already in order)."""
        self._clear()
        self._orders, self._rows = [], {}
        for value in values:
            self._insert(value)

    def update(self, touched: Collection[str], fresh: Iterable[Value]) -> None:
        """The rows of `touched` ids become `fresh` (the ones still there, as they are now)."""
        found = {self.key(value): value for value in fresh}
        for key in touched:
            row = self._rows.get(key)
            value = found.get(key)
            if row is not None and value is not None and self.order(self._value(row)) == self.order(value):
                self._fill(row, value)
                continue
            if row is not None:
                self._remove(key)
            if value is not None:
                self._insert(value)

    def get(self, key: str) -> Value | None:
        row = self._rows.get(key)
        return self._value(row) if row is not None else None

    def row(self, key: str) -> Row | None:
        return self._rows.get(key)

    def _insert(self, value: Value) -> None:
        order = self.order(value)
        position = bisect_left(self._orders, order)
        row = self._new_row()
        self._orders.insert(position, order)
        self._place(position, row)
        self._fill(row, value)
        self._rows[self.key(value)] = row

    def _remove(self, key: str) -> None:
        position = self._position(self._rows.pop(key))
        del self._orders[position]
        self._take(position)

    @abstractmethod
    def _value(self, row: Row) -> Value: ...

    @abstractmethod
    def _new_row(self) -> Row: ...

    @abstractmethod
    def _fill(self, row: Row, value: Value) -> None: ...

    @abstractmethod
    def _row_at(self, position: int) -> Row: ...

    @abstractmethod
    def _position(self, row: Row) -> int: ...

    @abstractmethod
    def _place(self, position: int, row: Row) -> None: ...

    @abstractmethod
    def _take(self, position: int) -> None: ...

    @abstractmethod
    def _clear(self) -> None: ...


class KeyedList(KeyedRows[Value, QListWidgetItem]):
    """A whole list widget, each row one line of text."""

    def __init__(self, widget: QListWidget, key: Callable[[Value], str], order: Callable[[Value], Any],
                 text: Callable[[Value], str]):
        super().__init__(key, order)
        self.widget, self.text = widget, text

    def reset(self, values: Iterable[Value]) -> None:
        """Also keeps the current row's id current."""
        current = self.current_key()
        self.widget.blockSignals(True)
        super().reset(values)
        self.widget.blockSignals(False)
        if current in self._rows:
            self.widget.setCurrentItem(self._rows[current])

    def current_key(self) -> str | None:
        row = self.widget.currentItem()
        return self.key(self._value(row)) if row is not None else None

    def _value(self, row: QListWidgetItem) -> Value:
        return row.data(Qt.ItemDataRole.UserRole)

    def _new_row(self) -> QListWidgetItem:
        return QListWidgetItem()

    def _fill(self, row: QListWidgetItem, value: Value) -> None:
        row.setText(self.text(value))
        row.setData(Qt.ItemDataRole.UserRole, value)

    def _row_at(self, position: int) -> QListWidgetItem:
        return self.widget.item(position)

    def _position(self, row: QListWidgetItem) -> int:
        return self.widget.row(row)

    def _place(self, position: int, row: QListWidgetItem) -> None:
        self.widget.insertItem(position, row)

    def _take(self, position: int) -> None:
        self.widget.takeItem(position)

    def _clear(self) -> None:
        self.widget.clear()


class KeyedBranch(KeyedRows[Value, QTreeWidgetItem]):
    """The children of one tree item (a group). `fill` writes a row's text and children once the row is in the
    tree (hiding a row has no effect before); new rows come expanded, so their children show at once."""

    def __init__(self, branch: QTreeWidgetItem, key: Callable[[Value], str], order: Callable[[Value], Any],
                 fill: Callable[[QTreeWidgetItem, Value], None]):
        super().__init__(key, order)
        self.branch, self.fill = branch, fill

    def _value(self, row: QTreeWidgetItem) -> Value:
        return row.data(0, Qt.ItemDataRole.UserRole)

    def _new_row(self) -> QTreeWidgetItem:
        return QTreeWidgetItem()

    def _fill(self, row: QTreeWidgetItem, value: Value) -> None:
        row.setData(0, Qt.ItemDataRole.UserRole, value)
        self.fill(row, value)

    def _row_at(self, position: int) -> QTreeWidgetItem:
        return self.branch.child(position)

    def _position(self, row: QTreeWidgetItem) -> int:
        return self.branch.indexOfChild(row)

    def _place(self, position: int, row: QTreeWidgetItem) -> None:
        self.branch.insertChild(position, row)
        row.setExpanded(True)

    def _take(self, position: int) -> None:
        self.branch.takeChild(position)

    def _clear(self) -> None:
        self.branch.takeChildren()
