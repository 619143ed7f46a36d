"""The actor registry beside the text: counts, aliases, merges, and every mention of the chosen actor lit up."""

from __future__ import annotations

from dataclasses import astuple, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workstation.editing.annotations import EditRefused, add_alias, edit_actor, merge_actors
from workstation.store.actor_registry import ActorEntry, mentions_of, registry
from workstation.store.models import Actor
from workstation.ui.actor_dialog import ActorDialog, NewActor

if TYPE_CHECKING:
    from workstation.ui.main_window import MainWindow


class ActorPanel(QWidget):
    def __init__(self, window: MainWindow):
        super().__init__()
        self.window = window
        self.list = QListWidget()
        self.list.currentItemChanged.connect(self.highlight)
        self.list.itemDoubleClicked.connect(self.jump)
        self.edit_button = QPushButton("Edit…")
        self.edit_button.clicked.connect(self.ask_edit)
        self.alias_button = QPushButton("Add alias…")
        self.merge_button = QPushButton("Merge into…")
        self.alias_button.clicked.connect(self.ask_alias)
        self.merge_button.clicked.connect(self.ask_merge)
        buttons = QHBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.alias_button)
        buttons.addWidget(self.merge_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self._jumps = 0

    def refresh(self) -> None:
        current = self.current()
        with self.window.project.session() as session:
            entries = registry(session)
        self.list.blockSignals(True)
        self.list.clear()
        for entry in entries:
            aliases = f" — {', '.join(entry.aliases)}" if entry.aliases else ""
            item = QListWidgetItem(f"{entry.name} ({entry.type}) · {entry.mentions}{aliases}")
            item.setData(Qt.ItemDataRole.UserRole, entry)
            self.list.addItem(item)
            if current is not None and entry.id == current.id:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)

    def current(self) -> ActorEntry | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _mentions(self) -> list[tuple[str, int, int]]:
        entry, document_id = self.current(), self.window.annotation.document_id
        if entry is None or document_id is None:
            return []
        with self.window.project.session() as session:
            return mentions_of(session, entry.id, document_id)

    def highlight(self, *_args: object) -> None:
        """The chosen actor's mentions in the current document are drawn as selected."""
        self._jumps = 0
        self.window.text_view.select_items({mention_id for mention_id, _, _ in self._mentions()})

    def jump(self, *_args: object) -> None:
        """Each double-click moves to the actor's next mention in the document."""
        found = self._mentions()
        if found:
            _, start, end = found[self._jumps % len(found)]
            self._jumps += 1
            self.window.text_view.select_span(start, end)

    def ask_edit(self) -> ActorDialog | None:
        entry = self.current()
        if entry is None:
            return None
        with self.window.project.session() as session:
            actor = session.get(Actor, entry.id)
            fields = NewActor(actor.name, actor.type, actor.kind, actor.country, actor.code)
        dialog = ActorDialog(self, self.window.project.schema, [], entry.name, editing=fields)
        dialog.accepted.connect(lambda: self._edit(entry.id, dialog.choice() or replace(fields, name="")))
        dialog.open()
        return dialog

    def _edit(self, actor_id: str, fields: NewActor) -> None:
        self._push(lambda session: edit_actor(session, self.window.project.schema, actor_id, *astuple(fields)))

    def ask_alias(self) -> None:
        entry = self.current()
        if entry is None:
            return
        alias, ok = QInputDialog.getText(self, "Add alias", f"New alias of {entry.name}:")
        if ok:
            self._push(lambda session: add_alias(session, entry.id, alias))

    def ask_merge(self) -> None:
        entry = self.current()
        if entry is None:
            return
        others = {f"{item.data(Qt.ItemDataRole.UserRole).name} ({item.data(Qt.ItemDataRole.UserRole).type})":
                  item.data(Qt.ItemDataRole.UserRole).id
                  for item in (self.list.item(row) for row in range(self.list.count()))
                  if item.data(Qt.ItemDataRole.UserRole).id != entry.id}
        target, ok = QInputDialog.getItem(self, "Merge actors", f"Merge {entry.name} into:", list(others), 0, False)
        if ok and target:
            self._push(lambda session: merge_actors(session, entry.id, others[target]))

    def _push(self, build) -> None:
        try:
            with self.window.project.session() as session:
                command = build(session)
            self.window.annotation.push(command)
        except EditRefused as refused:
            self.window.annotation.refuse(str(refused))
