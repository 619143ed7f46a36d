"""The actor registry beside the text: counts, aliases, merges, and every mention of the chosen actor lit up."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import astuple, replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workstation.editing.annotations import EditRefused, add_alias, edit_actor, merge_actors
from workstation.editing.commands import Changes, Command, StaleEdit
from workstation.editing.suggestion_edits import forget_name
from workstation.store.actor_registry import ActorEntry, mentions_of, registry
from workstation.store.models import Actor
from workstation.store.suggestion_names import suggestion_names
from workstation.ui.actor_dialog import ActorDialog, NewActor
from workstation.ui.keyed_list import KeyedList
from workstation.ui.text_view import TextView
from workstation.ui.workspace import Workspace


def _entry_text(entry: ActorEntry) -> str:
    aliases = f" — {', '.join(entry.aliases)}" if entry.aliases else ""
    return f"{entry.name} ({entry.type}) · {entry.mentions}{aliases}"


class ActorPanel(QWidget):
    """Edits go through `push` (the one undo stack) and refusals to `refuse` (the status bar); what an edit
    changed comes back through the workspace's `changed`, which updates only the actors it touched. An edit
    expects the actor's version as the panel (or the form) showed it."""

    def __init__(self, workspace: Workspace, text_view: TextView, push: Callable[[Command], None],
                 refuse: Callable[[str], None]):
        super().__init__()
        self.workspace, self.text_view, self.push, self.refuse = workspace, text_view, push, refuse
        self.list = QListWidget()
        self.rows: KeyedList[ActorEntry] = KeyedList(self.list, lambda entry: entry.id, lambda entry: entry.order,
                                                     _entry_text)
        workspace.changed.connect(self.apply)
        workspace.reloaded.connect(self.refresh)
        self.list.currentItemChanged.connect(self.highlight)
        self.list.itemDoubleClicked.connect(self.jump)
        self.edit_button = QPushButton("Edit…")
        self.edit_button.clicked.connect(self.ask_edit)
        self.alias_button = QPushButton("Add alias…")
        self.merge_button = QPushButton("Merge into…")
        self.learned_button = QPushButton("Learned names…", toolTip="Names the registry learned from NAME mentions "
                                          "linked to the actor (suggested like aliases); remove one it should not "
                                          "suggest")
        self.learned_button.clicked.connect(self.ask_forget)
        self.alias_button.clicked.connect(self.ask_alias)
        self.merge_button.clicked.connect(self.ask_merge)
        buttons = QHBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.alias_button)
        buttons.addWidget(self.merge_button)
        buttons.addWidget(self.learned_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self._jumps = 0

    def refresh(self) -> None:
        """The whole registry (a project was opened, or packages merged into it)."""
        with self.workspace.project.session() as session:
            self.rows.reset(registry(session))

    def apply(self, changes: Changes) -> None:
        """Actors whose rows changed are re-read; the others touched only change their count by the edit's delta
        (counting an actor's thousands of mentions again would cost more than the edit)."""
        edited = changes.touched("actor")
        if edited:
            with self.workspace.project.connect() as connection:
                self.rows.update(edited, registry(connection, edited))
        recounted = [replace(entry, mentions=entry.mentions + delta)
                     for actor_id, delta in changes.actor_mentions.items()
                     if actor_id not in edited and (entry := self.rows.get(actor_id)) is not None]
        self.rows.update([entry.id for entry in recounted], recounted)
        if self.rows.current_key() in edited | set(changes.actor_mentions):
            self.highlight()

    def current(self) -> ActorEntry | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _mentions(self) -> list[tuple[str, int, int]]:
        entry, document_id = self.current(), self.workspace.document_id
        if entry is None or document_id is None:
            return []
        with self.workspace.project.session() as session:
            return mentions_of(session, entry.id, document_id)

    def highlight(self, *_args: object) -> None:
        """The chosen actor's mentions in the current document are drawn as selected."""
        self._jumps = 0
        self.text_view.select_items({mention_id for mention_id, _, _ in self._mentions()})

    def jump(self, *_args: object) -> None:
        """Each double-click moves to the actor's next mention in the document."""
        found = self._mentions()
        if found:
            _, start, end = found[self._jumps % len(found)]
            self._jumps += 1
            self.text_view.select_span(start, end)

    def ask_edit(self) -> ActorDialog | None:
        entry = self.current()
        if entry is None:
            return None
        with self.workspace.project.session() as session:
            actor = session.get(Actor, entry.id)
            fields = NewActor(actor.name, actor.type, actor.kind, actor.country, actor.code)
            version = actor.version
        dialog = ActorDialog(self, self.workspace.project.schema, [], entry.name, editing=fields)
        dialog.accepted.connect(lambda: self.edit(entry.id, dialog.choice() or replace(fields, name=""), version))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def seen_version(self, actor_id: str) -> int | None:
        entry = self.rows.get(actor_id)
        return entry.version if entry is not None else None

    def edit(self, actor_id: str, fields: NewActor, version: int | None = None) -> None:
        """`version`: the actor's as the form showed it (by default, as the panel shows it)."""
        seen = self.seen_version(actor_id) if version is None else version
        self._push(lambda session: edit_actor(session, self.workspace.project.schema, actor_id, *astuple(fields),
                                              version=seen))

    def ask_alias(self) -> None:
        entry = self.current()
        if entry is None:
            return
        alias, ok = QInputDialog.getText(self, "Add alias", f"New alias of {entry.name}:")
        if ok:
            self.add_alias(entry.id, alias)

    def add_alias(self, actor_id: str, alias: str) -> None:
        self._push(lambda session: add_alias(session, actor_id, alias, self.seen_version(actor_id)))

    def ask_forget(self) -> None:
        """The learned names, apart from the curated name and aliases; the one picked is no longer suggested."""
        entry = self.current()
        if entry is None:
            return
        with self.workspace.project.session() as session:
            learned = list(suggestion_names(session, [entry.id])[entry.id].learned)
        if not learned:
            self.refuse(f"The registry has learned no names of {entry.name} beyond its name and aliases")
            return
        name, ok = QInputDialog.getItem(self, "Learned names", f"Names learned for {entry.name} (curated: "
                                        f"{', '.join((entry.name, *entry.aliases))}).\nRemove from suggestions:",
                                        learned, 0, False)
        if ok and name:
            self.forget(entry.id, name)

    def forget(self, actor_id: str, name: str) -> None:
        self._push(lambda session: forget_name(session, actor_id, name))

    def ask_merge(self) -> None:
        entry = self.current()
        if entry is None:
            return
        others = {f"{other.name} ({other.type})": other.id for other in self.rows.values() if other.id != entry.id}
        target, ok = QInputDialog.getItem(self, "Merge actors", f"Merge {entry.name} into:", list(others), 0, False)
        if ok and target:
            self.merge(entry.id, others[target])

    def merge(self, source_id: str, target_id: str) -> None:
        self._push(lambda session: merge_actors(session, source_id, target_id, self.seen_version(source_id)))

    def _push(self, build) -> None:
        try:
            with self.workspace.project.session() as session:
                command = build(session)
            self.push(command)
        except EditRefused as refused:
            self.refuse(str(refused))
        except StaleEdit as stale:
            self.refuse(str(stale))
            self.workspace.changed.emit(stale.changes())
