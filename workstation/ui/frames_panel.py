"""The frames tree beside the text: the shown layer's events, stances and relations of the current document,
in words, kept up to date item by item from each edit's `Changes`.

Grouped by kind (Events, Stances, Relations, each with its count) rather than one flat list with kind icons:
an annotator checks one kind at a time ("have I tagged every event?"), a group folds away when it is in the
way, and a count in a heading is read at a glance where icons must be counted. Under each item: its arguments
(role: filler words), its attributes and date, or a stance's evidence and issue. Filters (kind, type, words)
hide rows, and the headings count what they leave ("12 of 34").
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSignalBlocker, Qt, Signal, SignalInstance
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workstation.editing.commands import Changes
from workstation.store.layer_items import Detail, LayerItem, layer_items
from workstation.ui.keyed_list import KeyedBranch
from workstation.ui.workspace import Workspace

GROUPS = {"event": "Events", "stance": "Stances", "relation": "Relations"}
"""The tree's groups, in the order of `LayerItem.order`."""
FRAME_TABLES = {"event": "event", "event_relation": "relation", "stance": "stance"}
"""The tables whose rows the tree shows, and the kind of item each row is."""


class FramesTree(QTreeWidget):
    """Delete and Enter act on the chosen row while the tree has the focus: the window's Delete shortcut (which
    deletes at the text cursor) would take the key first."""

    delete_pressed = Signal()
    enter_pressed = Signal()

    def _signal(self, event: QKeyEvent) -> SignalInstance | None:
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return None
        return {Qt.Key.Key_Delete: self.delete_pressed, Qt.Key.Key_Backspace: self.delete_pressed,
                Qt.Key.Key_Return: self.enter_pressed, Qt.Key.Key_Enter: self.enter_pressed}.get(event.key())

    def event(self, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and self._signal(event) is not None):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        signal = self._signal(event)
        if signal is None:
            super().keyPressEvent(event)
        else:
            signal.emit()


class FramesPanel(QWidget):
    activated = Signal(object, object)
    """A row was chosen (clicked, or reached with the arrow keys): its item, and the words its line names
    (an argument's filler, a stance's evidence) or None for the item's own."""
    edit_requested = Signal(object)
    delete_requested = Signal(object, object)
    """The item, and the line under it that was chosen (None: the item's own line)."""

    def __init__(self, workspace: Workspace):
        super().__init__()
        self.workspace = workspace
        self.kind = QComboBox(toolTip="Show one kind of frame")
        self.kind.addItem("All kinds", None)
        for kind, title in GROUPS.items():
            self.kind.addItem(title, kind)
        self.type = QComboBox(toolTip="Show one event type, stance label or relation type")
        self.words = QLineEdit(placeholderText="Filter by words…", clearButtonEnabled=True)
        self.tree = FramesTree(headerHidden=True, uniformRowHeights=True)
        self.tree.setToolTip("Enter edits the chosen item, Delete deletes it (an argument's line: that argument)")
        self.muted = self.tree.palette().color(QPalette.ColorRole.PlaceholderText)
        """Lines that name no words in the text (attributes, date, issue) are dimmed beside the arguments."""
        self.groups: dict[str, QTreeWidgetItem] = {}
        self.branches: dict[str, KeyedBranch[LayerItem]] = {}
        for kind in GROUPS:
            group = QTreeWidgetItem(self.tree)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            group.setExpanded(True)
            self.groups[kind] = group
            self.branches[kind] = KeyedBranch(group, lambda item: item.item_id, lambda item: item.order, self._fill)
        filters = QHBoxLayout()
        filters.addWidget(self.kind)
        filters.addWidget(self.type, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.words)
        layout.addWidget(self.tree)
        self.kind.currentIndexChanged.connect(self._list_types)
        self.type.currentIndexChanged.connect(self.refilter)
        self.words.textChanged.connect(self.refilter)
        self.tree.currentItemChanged.connect(self._moved)
        self.tree.itemClicked.connect(self._jump)
        self.tree.enter_pressed.connect(self._edit)
        self.tree.delete_pressed.connect(self._delete)
        workspace.changed.connect(self.apply)
        self._list_types()

    def load(self) -> None:
        """Every frame of the current document's shown layer (a document or layer was chosen)."""
        self._list_types()
        items = self._read(None) if self.workspace.document_id is not None else []
        with QSignalBlocker(self.tree):
            for kind, branch in self.branches.items():
                branch.reset([item for item in items if item.kind == kind])
                self._count(kind)

    def apply(self, changes: Changes) -> None:
        if not self.workspace.concerns_current(changes):
            return
        touched = {kind: changes.touched(table) for table, kind in FRAME_TABLES.items()}
        actors, events = changes.touched("actor"), set(touched["event"])
        for kind, named in (("event", actors), ("stance", actors), ("relation", events)):
            if named:
                touched[kind] |= {item.item_id for item in self.branches[kind].values()
                                  if named.intersection(item.shows)}
        touched = {kind: ids for kind, ids in touched.items() if ids}
        if not touched:
            return
        fresh = self._read(touched)
        with QSignalBlocker(self.tree):
            for kind, ids in touched.items():
                self.branches[kind].update(ids, [item for item in fresh if item.kind == kind])
                self._count(kind)

    def _read(self, ids: dict[str, set[str]] | None) -> list[LayerItem]:
        workspace = self.workspace
        annotator_id = workspace.shown_annotator_id()
        if annotator_id is None:
            return []
        with workspace.project.connect() as connection:
            return layer_items(connection, workspace.project.schema, workspace.text, workspace.document_id,
                               annotator_id, ids)

    def values(self) -> list[LayerItem]:
        """Every item the tree holds, shown or filtered out, in its order."""
        return [item for branch in self.branches.values() for item in branch.values()]

    def count(self) -> int:
        return sum(len(branch) for branch in self.branches.values())

    def chosen(self) -> LayerItem | None:
        """The item of the current row: the row itself, or the item a line under it belongs to."""
        row = self.tree.currentItem()
        while row is not None and not isinstance(row.data(0, Qt.ItemDataRole.UserRole), LayerItem):
            row = row.parent()
        return row.data(0, Qt.ItemDataRole.UserRole) if row is not None else None

    def choose(self, item_id: str) -> None:
        """Make an item's row current (and so shown in the text), as a click on it would; an item the tree does
        not list (a relation between mentions, whose arc was clicked) changes nothing."""
        row = next((branch.row(item_id) for branch in self.branches.values() if branch.row(item_id) is not None),
                   None)
        if row is not None:
            self.tree.setCurrentItem(row)

    def item(self, item_id: str) -> LayerItem | None:
        """The item as the tree holds it (shown or filtered out), if it does."""
        return next((found for branch in self.branches.values() if (found := branch.get(item_id)) is not None), None)

    def items_of_kind(self, kind: str) -> list[LayerItem]:
        return self.branches[kind].values()

    def refilter(self) -> None:
        """Hide what the kind, type and words filters leave out; the headings count the rest."""
        kind = self.kind.currentData()
        for name, group in self.groups.items():
            group.setHidden(kind not in (None, name))
            for position in range(group.childCount()):
                row = group.child(position)
                row.setHidden(not self._passes(row.data(0, Qt.ItemDataRole.UserRole)))
            self._count(name)

    def _list_types(self) -> None:
        """The type filter offers the schema's types of the chosen kind (all of them for all kinds)."""
        schema = self.workspace.project.schema if self.workspace.project is not None else None
        kind = self.kind.currentData()
        types: set[str] = set()
        if schema is not None:
            for name, listed in (("event", schema.event_types), ("stance", schema.stance_labels),
                                 ("relation", schema.relation_types)):
                types |= set(listed) if kind in (None, name) else set()
        chosen = self.type.currentData()
        with QSignalBlocker(self.type):
            self.type.clear()
            self.type.addItem("All types", None)
            for name in sorted(types):
                self.type.addItem(name, name)
            self.type.setCurrentIndex(max(0, self.type.findData(chosen)))
        self.refilter()

    def _passes(self, item: LayerItem) -> bool:
        wanted, words = self.type.currentData(), self.words.text().strip().casefold()
        return (wanted is None or item.type == wanted) and (
            not words or any(words in line.casefold() for line in (item.summary, *(d.text for d in item.details))))

    def _count(self, kind: str) -> None:
        group = self.groups[kind]
        total = group.childCount()
        shown = sum(not group.child(position).isHidden() for position in range(total))
        filtered = self.type.currentData() is not None or self.words.text().strip()
        group.setText(0, f"{GROUPS[kind]} ({shown} of {total})" if filtered else f"{GROUPS[kind]} ({total})")

    def _fill(self, row: QTreeWidgetItem, item: LayerItem) -> None:
        row.setText(0, item.summary)
        row.setToolTip(0, item.summary)
        row.takeChildren()
        for detail in item.details:
            line = QTreeWidgetItem(row, [detail.text])
            line.setToolTip(0, detail.text)
            line.setData(0, Qt.ItemDataRole.UserRole, detail)
            if detail.span is None:
                line.setForeground(0, self.muted)
        row.setHidden(not self._passes(item))

    def _moved(self, row: QTreeWidgetItem | None) -> None:
        """Arrow keys show each row in the text as they reach it; a click does so when released."""
        if row is not None and QApplication.mouseButtons() == Qt.MouseButton.NoButton:
            self._jump(row)

    def _jump(self, row: QTreeWidgetItem) -> None:
        item, detail = self.chosen(), row.data(0, Qt.ItemDataRole.UserRole)
        if item is not None:
            self.activated.emit(item, detail.span if isinstance(detail, Detail) else None)

    def _edit(self) -> None:
        item = self.chosen()
        if item is not None:
            self.edit_requested.emit(item)

    def _delete(self) -> None:
        item, row = self.chosen(), self.tree.currentItem()
        if item is not None:
            detail = row.data(0, Qt.ItemDataRole.UserRole)
            self.delete_requested.emit(item, detail if isinstance(detail, Detail) else None)
