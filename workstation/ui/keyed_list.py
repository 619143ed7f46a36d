"""A list widget's rows keyed by item id and kept in order, so that an edit touches just its rows.

The registry and the frames panel list hundreds of items; reloading them after
each key press cost more than the edit. Here an edit replaces, inserts or
removes only the rows of the ids it touched, and a row that stays keeps its
place as the current row (an event chosen for its next argument stays chosen).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Collection, Iterable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem

Value = TypeVar("Value")


class KeyedList(Generic[Value]):
    def __init__(self, widget: QListWidget, key: Callable[[Value], str], order: Callable[[Value], Any],
                 text: Callable[[Value], str]):
        self.widget, self.key, self.order, self.text = widget, key, order, text
        self._orders: list[Any] = []
        self._rows: dict[str, QListWidgetItem] = {}

    def values(self) -> list[Value]:
        return [self.widget.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.widget.count())]

    def reset(self, values: Iterable[Value]) -> None:
        """Show exactly these values (already in order), keeping the current row's id current."""
        current = self.current_key()
        self.widget.blockSignals(True)
        self.widget.clear()
        self._orders, self._rows = [], {}
        for value in values:
            self._insert(value)
        self.widget.blockSignals(False)
        if current in self._rows:
            self.widget.setCurrentItem(self._rows[current])

    def update(self, touched: Collection[str], fresh: Iterable[Value]) -> None:
        """The rows of `touched` ids become `fresh` (the ones still there, as they are now)."""
        found = {self.key(value): value for value in fresh}
        for key in touched:
            row = self._rows.get(key)
            value = found.get(key)
            if row is not None and value is not None and self.order(row.data(Qt.ItemDataRole.UserRole)) \
                    == self.order(value):
                self._fill(row, value)
                continue
            if row is not None:
                self._remove(key)
            if value is not None:
                self._insert(value)

    def get(self, key: str) -> Value | None:
        row = self._rows.get(key)
        return row.data(Qt.ItemDataRole.UserRole) if row is not None else None

    def current_key(self) -> str | None:
        row = self.widget.currentItem()
        return self.key(row.data(Qt.ItemDataRole.UserRole)) if row is not None else None

    def _fill(self, row: QListWidgetItem, value: Value) -> None:
        row.setText(self.text(value))
        row.setData(Qt.ItemDataRole.UserRole, value)

    def _insert(self, value: Value) -> None:
        order = self.order(value)
        position = bisect_left(self._orders, order)
        row = QListWidgetItem()
        self._fill(row, value)
        self._orders.insert(position, order)
        self.widget.insertItem(position, row)
        self._rows[self.key(value)] = row

    def _remove(self, key: str) -> None:
        row = self._rows.pop(key)
        position = self.widget.row(row)
        del self._orders[position]
        self.widget.takeItem(position)
