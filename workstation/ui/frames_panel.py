"""The "Events and stances" panel: the shown layer's frames of the current document, kept up to date
item by item from each edit's `Changes`."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget

from workstation.editing.commands import Changes
from workstation.store.layer_items import LayerItem, layer_items
from workstation.ui.keyed_list import KeyedList
from workstation.ui.workspace import Workspace

FRAME_TABLES = {"event": "event", "event_relation": "relation", "stance": "stance"}
"""The tables whose rows the panel lists, and the kind of item each row is."""


class FramesPanel(QListWidget):
    def __init__(self, workspace: Workspace):
        super().__init__()
        self.setWordWrap(True)
        self.workspace = workspace
        self.rows: KeyedList[LayerItem] = KeyedList(self, lambda item: item.item_id, lambda item: item.order,
                                                    lambda item: item.summary)
        workspace.changed.connect(self.apply)

    def load(self) -> None:
        """Every frame of the current document's shown layer (a document or layer was chosen)."""
        self.rows.reset(self._read(None) if self.workspace.document_id is not None else [])

    def apply(self, changes: Changes) -> None:
        if not self.workspace.concerns_current(changes):
            return
        touched = {kind: changes.touched(table) for table, kind in FRAME_TABLES.items()}
        actors = changes.touched("actor")
        if actors:
            touched["stance"] |= {item.item_id for item in self.rows.values() if actors.intersection(item.actors)}
        touched = {kind: ids for kind, ids in touched.items() if ids}
        if touched:
            self.rows.update(set().union(*touched.values()), self._read(touched))

    def _read(self, ids: dict[str, set[str]] | None) -> list[LayerItem]:
        workspace = self.workspace
        annotator_id = workspace.shown_annotator_id()
        if annotator_id is None:
            return []
        with workspace.project.session() as session:
            return layer_items(session, workspace.text, workspace.document_id, annotator_id, ids)

    def chosen(self) -> LayerItem | None:
        entry = self.currentItem()
        return entry.data(Qt.ItemDataRole.UserRole) if entry is not None else None

    def items_of_kind(self, kind: str) -> list[LayerItem]:
        return [item for item in self.rows.values() if item.kind == kind]
