"""Keyboard-first annotation in the main window: mentions (keys 1–9) linked to actors, events (E),
stances (S), delete, status.

Every action builds a command in `editing/` and pushes it on the one undo
stack; the text view and the document list refresh from what changed. An edit
of an item expects the item's version as the view showed it (the text's span,
the frames tree's line, or the form it was edited in): someone else's change
in between refuses it, and the view shows their version.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QDialog, QInputDialog, QMenu
from sqlalchemy import select

from workstation.core.dates import parse_date
from workstation.core.guidelines import schema_guidelines
from workstation.core.mention_context import nearest_first
from workstation.core.span_index import EVIDENCE, MENTION, TRIGGER, Span
from workstation.editing.annotations import EditRefused, Layer, create_actor
from workstation.editing.commands import Changes, Command, Sequence, StaleEdit
from workstation.editing.editor import Editor
from workstation.store.layer_items import Detail, LayerItem, event_values, form_version, stance_values
from workstation.store.layer_spans import touched_spans
from workstation.store.mention_lookup import guess_actor_type, linked_actors, type_of_mention
from workstation.store.models import Actor
from workstation.store.span_labels import describe_item
from workstation.ui.actor_dialog import ActorDialog, NewActor
from workstation.ui.frame_dialogs import EventDialog, StanceDialog
from workstation.ui.frame_edit_dialogs import EventEditDialog, StanceEditDialog
from workstation.ui.frames_panel import FramesPanel
from workstation.ui.help_window import HelpWindow
from workstation.ui.text_view import TextView
from workstation.ui.undo import EditCommand
from workstation.ui.workspace import Workspace

if TYPE_CHECKING:
    from workstation.ui.main_window import MainWindow


SPAN_TABLES = {MENTION: "mention", TRIGGER: "event", EVIDENCE: "stance"}
"""The table whose row a span of each kind shows (what Delete at the cursor deletes)."""


def edits_layer(method: Callable[..., None]) -> Callable[..., None]:
    """Entry points that change the layer do nothing but explain while another layer is shown read-only."""
    @functools.wraps(method)
    def guarded(self: AnnotationController, *args: Any) -> None:
        if self.editable():
            method(self, *args)
    return guarded


class AnnotationController(QObject):
    """Turns keys and dialogs into edit commands on the undo stack; the window hosts its menu and dialogs."""

    def __init__(self, window: MainWindow, workspace: Workspace, text_view: TextView, frames: FramesPanel):
        super().__init__(window)
        self.window, self.workspace, self.text_view, self.frames = window, workspace, text_view, frames
        self.stack = QUndoStack(self)
        self.editor: Editor | None = None
        self.dialog: ActorDialog | EventDialog | StanceDialog | None = None
        self.help: HelpWindow | None = None
        self.menu: QMenu = window.menuBar().addMenu("&Annotate")
        self.actions = self._fixed_actions()
        text_view.describe = self.describe
        frames.activated.connect(self.show_item)
        frames.edit_requested.connect(self.edit_item)
        frames.delete_requested.connect(self.delete_item)
        workspace.changed.connect(self._repaint_spans)

    @property
    def document_id(self) -> str | None:
        return self.workspace.document_id

    def describe(self, span: Span) -> list[str]:
        with self.workspace.project.session() as session:
            return describe_item(session, self.text_view.text, span.item_id)

    def set_project(self) -> None:
        """A new project: a menu built from its schema's mention types."""
        self.set_annotator()
        self._build_menu()

    def set_annotator(self) -> None:
        """Edits go to the window's annotator; the undo stack of the previous one would write into their layer."""
        self.editor = Editor(self.workspace.project, self.workspace.annotator)
        self.stack.clear()

    def _fixed_actions(self) -> dict[str, QAction]:
        """Actions that do not depend on the project's schema; built once so the toolbar can share them."""
        undo = self.stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence.StandardKey.Redo, QKeySequence("Ctrl+Y")])
        actions = {"undo": undo, "redo": redo}
        for key, text, shortcut, handler in (
                ("event", "Event on the selected trigger…", "E", self.start_event),
                ("stance", "Stance with the selection as evidence…", "S", self.start_stance),
                ("argument", "Add the selection as an argument of the chosen event…", "A", self.add_argument),
                ("relation", "Relate the chosen event to another…", "R", self.add_relation),
                ("link", "Link the mention at the cursor to an actor…", "L", self.start_link),
                ("delete", "Delete annotation at cursor", QKeySequence.StandardKey.Delete, self.delete_at_cursor),
                ("next", "Next document", "Ctrl+PgDown", lambda: self.window.step_document(1)),
                ("previous", "Previous document", "Ctrl+PgUp", lambda: self.window.step_document(-1)),
                ("done", "Mark done", "Ctrl+D", lambda: self.mark("done")),
                ("in_progress", "Mark in progress", "Ctrl+Shift+P", lambda: self.mark("in_progress")),
                ("skipped", "Mark skipped", "Ctrl+Shift+K", lambda: self.mark("skipped")),
                ("help", "Shortcuts and guidelines", "F1", self.show_help)):
            actions[key] = self._action(text, shortcut, handler)
        return actions

    def _build_menu(self) -> None:
        menu, actions = self.menu, self.actions
        menu.clear()
        menu.addActions([actions["undo"], actions["redo"]])
        menu.addSeparator()
        menu.setToolTipsVisible(True)
        mention_types = self.workspace.project.schema.mention_types
        for number, (mention_type, definition) in enumerate(list(mention_types.items())[:9], start=1):
            action = self._action(f"{mention_type} mention", str(number), lambda t=mention_type: self.start_mention(t))
            action.setToolTip(definition or action.text())
            menu.addAction(action)
        menu.addActions([actions[key] for key in ("link", "event", "stance", "argument", "relation", "delete")])
        menu.addSeparator()
        menu.addActions([actions[key] for key in ("next", "previous", "done", "in_progress", "skipped")])
        menu.addSeparator()
        menu.addAction(actions["help"])

    def _action(self, text: str, shortcut: object, handler: Callable[[], object]) -> QAction:
        action = QAction(text, self.window)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: handler())
        return action

    def shortcuts(self) -> list[tuple[str, str]]:
        """(keys, action) for every menu action that has a shortcut, as the help overlay lists them."""
        found = []
        for menu_action in self.window.menuBar().actions():
            for action in menu_action.menu().actions():
                keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                if keys:
                    found.append((keys, action.text().replace("&", "").rstrip("…")))
        return found

    def show_help(self) -> None:
        """The help window stays open beside the text (not one of the forms `_open` replaces)."""
        if self.help is None:
            self.help = HelpWindow(self.window)
        self.help.set_content(self.shortcuts(), schema_guidelines(self.workspace.project.schema))
        self.help.present()

    def _open(self, dialog: QDialog, accepted: Callable[[], None] | None = None) -> None:
        """One form at a time: the previous one is deleted. Kept hidden, each held its widgets (an event form,
        a role list of every mention) and made every later activation of the window slower."""
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = dialog
        if accepted is not None:
            dialog.accepted.connect(accepted)
        dialog.open()

    def push(self, command: Command) -> None:
        self.stack.push(EditCommand(self.editor, command, self.publish, self.refuse))

    def publish(self, changes: Changes) -> None:
        """Every panel applies an edit's changes; the text view lays out the lines they touched once."""
        with self.text_view.batch():
            self.workspace.changed.emit(changes)

    def _repaint_spans(self, changes: Changes) -> None:
        """The text view re-reads only the mentions, triggers and evidence an edit touched."""
        mentions, events, stances = changes.touched("mention"), changes.touched("event"), changes.touched("stance")
        if not (mentions or events or stances) or not self.workspace.concerns_current(changes):
            return
        with self.workspace.project.connect() as connection:
            spans = touched_spans(connection, self.document_id, self.workspace.shown_annotator_id(), mentions, events,
                                  stances)
        self.text_view.replace_items(mentions | events | stances, spans)

    def show_item(self, item: LayerItem, span: tuple[int, int] | None = None) -> None:
        """Choosing a frame in the tree highlights it and selects its words in the text (for a line under it, the
        words that line names: an argument's filler, a stance's evidence)."""
        self.text_view.select_items({item.item_id, *item.related})
        if (span or item.span) is not None:
            self.text_view.select_span(*(span or item.span))

    def seen_version(self, item_id: str) -> int | None:
        """The item's version as the view shows it: the frames tree's (events, stances, relations) or the
        text's (mentions, triggers, evidence); None when neither does (the edit expects the version it reads)."""
        item = self.frames.item(item_id)
        if item is not None:
            return item.version
        spans = self.text_view.index.spans_of(item_id)
        return spans[0].version if spans else None

    def _fillers(self, trigger: tuple[int, int]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """The layer's mentions by their words in context: the trigger's paragraph first, then the nearest. The
        text view holds them all (the layer shown is the one edited), which spares reading 20,000 rows again."""
        mentions = [(span.item_id, span.start, span.end) for span in self.text_view.index.all_spans()
                    if span.kind == MENTION]
        return nearest_first(self.text_view.text, mentions, trigger)

    def _actors(self) -> list[tuple[str, str, list[str]]]:
        with self.workspace.project.session() as session:
            return [tuple(row) for row in session.execute(
                select(Actor.id, Actor.name, Actor.aliases).where(Actor.merged_into.is_(None)).order_by(Actor.name))]

    @edits_layer
    def start_event(self) -> None:
        trigger = self.text_view.selected_span()
        if trigger is None or self.document_id is None:
            self.refuse("Select the event's trigger first, then press E")
            return
        if self._wordless(trigger):
            return
        project = self.workspace.project
        dialog = EventDialog(self.window, project.schema, self.text_view.text[trigger[0]:trigger[1]],
                             self._fillers(trigger), [(name, actor_id) for actor_id, name, _ in self._actors()],
                             project.settings.date_order)
        self._open(dialog, lambda: self.finish_event(trigger, dialog.event_type.currentData(), dialog.attributes(),
                                                     dialog.arguments(), dialog.date.text()))

    def finish_event(self, trigger: tuple[int, int], event_type: str, attributes: dict[str, Any],
                     arguments: list[tuple[str, Any]], date_text: str = "") -> None:
        """What the event form's OK does."""
        self.run_edit(lambda layer: layer.create_event(event_type, trigger, attributes, arguments,
                                                   self._event_date(date_text, "the event was not added")))

    def _event_date(self, date_text: str, outcome: str) -> str | None:
        """The date as typed, read with the project's day/month order."""
        date = parse_date(date_text, self.workspace.project.settings.date_order)
        if date_text.strip() and date is None:
            raise EditRefused(f"Not a date: {date_text.strip()}; {outcome}")
        return date.iso if date else None

    @edits_layer
    def start_stance(self) -> None:
        evidence = self.text_view.selected_span()
        if self.document_id is None:
            return
        inside = [span.item_id for span in (self.text_view.index.within(*evidence) if evidence else [])
                  if span.kind == MENTION]
        with self.workspace.project.session() as session:
            actors = linked_actors(session, inside)
        holder = actors.get(inside[0]) if inside else None
        others = set(actors.values()) - {holder}
        dialog = StanceDialog(self.window, self.workspace.project.schema,
                              [(name, actor_id) for actor_id, name, _ in self._actors()], holder,
                              others.pop() if len(others) == 1 else None)
        self._open(dialog, lambda: self.finish_stance(evidence, dialog.values()))

    def finish_stance(self, evidence: tuple[int, int] | None, values: dict[str, Any]) -> None:
        self.run_edit(lambda layer: layer.create_stance(evidence=evidence, **values))

    def _chosen_event(self) -> LayerItem | None:
        item = self.frames.chosen()
        if item is None or item.kind != "event":
            self.refuse("Choose an event in the Frames tree first")
            return None
        return item

    @edits_layer
    def add_argument(self) -> None:
        """A free span (or the mention it matches) fills a role of the chosen event."""
        event, span = self._chosen_event(), self.text_view.selected_span()
        if event is None or span is None:
            if event is not None:
                self.refuse("Select the argument's text first")
            return
        roles = list(self.workspace.project.schema.event_types[event.type].roles)
        role, ok = QInputDialog.getItem(self.window, "Add argument", f"Role in {event.type}:", roles, 0, False)
        if ok:
            self.finish_argument(event, role, span)

    def finish_argument(self, event: LayerItem, role: str, span: tuple[int, int]) -> None:
        """The mention exactly on the span fills the role, else the span itself."""
        match = [found.item_id for found in self.text_view.index.within(*span)
                 if (found.start, found.end) == span and found.kind == MENTION]
        filler = match[0] if match else span
        self.run_edit(lambda layer: layer.add_argument(event.item_id, event.type, role, filler, event.version))

    @edits_layer
    def add_relation(self) -> None:
        event = self._chosen_event()
        if event is None:
            return
        targets = {item.summary: item.item_id for item in self.frames.items_of_kind("event") if item != event}
        if not targets:
            self.refuse("There is no other event to relate it to")
            return
        kinds = list(self.workspace.project.schema.relation_types)
        kind, ok = QInputDialog.getItem(self.window, "Relate events", "Relation:", kinds, 0, False)
        target, ok2 = QInputDialog.getItem(self.window, "Relate events", f"{kind} to:", list(targets), 0, False) \
            if ok else ("", False)
        if ok and ok2:
            self.finish_relation(kind, event.item_id, targets[target])

    def finish_relation(self, kind: str, from_event: str, to_event: str) -> None:
        self.run_edit(lambda layer: layer.create_relation(kind, from_event, to_event, self.seen_version(from_event)))

    def run_edit(self, build: Callable[[Layer], Command]) -> None:
        try:
            with self.editor.layer(self.document_id) as layer:
                self.push(layer.marking_progress(build(layer)))
        except EditRefused as refused:
            self.refuse(str(refused))
        except StaleEdit as stale:
            self.refuse_stale(stale)

    def refuse_stale(self, stale: StaleEdit) -> None:
        """An item someone else deleted before the edit was even built: said, and the views drop it."""
        self.refuse(str(stale))
        self.publish(stale.changes())

    def editable(self) -> bool:
        """False (with the reason in the status bar) while another layer is shown read-only."""
        if self.workspace.viewed_layer is not None:
            self.refuse(f"Showing {self.workspace.viewed_layer}'s layer read-only; switch to your own layer to edit")
            return False
        return True

    def refuse(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 8000)

    def _wordless(self, span: tuple[int, int]) -> bool:
        """Refuses, with the reason, a selection without a letter or digit: a lone comma names no actor and
        triggers no event."""
        text = self.text_view.text[span[0]:span[1]]
        if any(character.isalnum() for character in text):
            return False
        self.refuse(f"“{' '.join(text.split()) or text}” has no letters or digits; select a word to annotate")
        return True

    def _actor_dialog(self, span: tuple[int, int], mention_type: str | None) -> ActorDialog:
        """The actor form for a mention of those words, with a new actor's type guessed from the project."""
        text = self.text_view.text
        with self.workspace.project.session() as session:
            guess = guess_actor_type(session, self.document_id, text, *span)
        return ActorDialog(self.window, self.workspace.project.schema, self._actors(), text[span[0]:span[1]],
                           mention_type=mention_type or "", guess=guess)

    @edits_layer
    def start_mention(self, mention_type: str) -> None:
        """Ask which actor the selected span refers to; "No actor" keeps it unlinked, Esc adds nothing."""
        span = self.text_view.selected_span()
        if span is None or self.document_id is None:
            self.refuse("Select some text first, then press the mention type's number")
            return
        if self._wordless(span):
            return
        dialog = self._actor_dialog(span, mention_type)
        self._open(dialog, lambda: self.finish_mention(span, mention_type, dialog.choice()))

    def finish_mention(self, span: tuple[int, int], mention_type: str, actor: str | NewActor | None) -> None:
        self._with_actor(actor, lambda layer, actor_id, label: layer.create_mention(*span, mention_type, actor_id,
                                                                                      label=label))

    def _with_actor(self, actor: str | NewActor | None,
                    build: Callable[[Layer, str | None, str | None], Command]) -> None:
        """One undo step: the new actor the dialog asked for (if any), then the edit that links to it; the edit
        gets the actor's id and, for a new actor, its type (not yet readable from the database)."""
        try:
            steps: list[Command] = []
            if isinstance(actor, NewActor):
                create = create_actor(self.workspace.project.schema, actor.name, actor.type, actor.kind, actor.country,
                                      actor.code)
                steps.append(create)
                actor = create.rows[0][1]["id"]
            new_type = steps[0].rows[0][1]["type"] if steps else None
            with self.editor.layer(self.document_id) as layer:
                edit = build(layer, actor, new_type)
                self.push(layer.marking_progress(Sequence(edit.text, [*steps, edit], self.document_id)))
        except EditRefused as refused:
            self.refuse(str(refused))
        except StaleEdit as stale:
            self.refuse_stale(stale)

    @edits_layer
    def start_link(self) -> None:
        """Link the mention under the cursor to an actor of the registry (or a new one); Esc changes nothing."""
        mention = self._mention_at_cursor()
        if mention is None:
            self.refuse("Put the cursor on a mention first, then press L")
            return
        with self.workspace.project.session() as session:
            known_type = type_of_mention(session, mention.item_id)
        dialog = self._actor_dialog((mention.start, mention.end), known_type)
        self._open(dialog, lambda: self.finish_link(mention.item_id, dialog.choice(), mention.version))

    def finish_link(self, mention_id: str, actor: str | NewActor | None, version: int | None = None) -> None:
        """`version`: the mention's as the text showed it when the form opened (by default, as it shows it)."""
        version = self.seen_version(mention_id) if version is None else version
        self._with_actor(actor, lambda layer, actor_id, label: layer.link_mention(mention_id, actor_id, label,
                                                                                  version))

    def _mention_at_cursor(self) -> Span | None:
        return next((span for span in self.text_view.index.at(self.text_view.cursor_offset())
                     if span.kind == MENTION), None)

    @edits_layer
    def delete_at_cursor(self) -> None:
        found = self.text_view.index.at(self.text_view.cursor_offset())
        if not found or self.document_id is None:
            self.refuse("No annotation at the cursor")
            return
        self.run_edit(lambda layer: layer.delete(SPAN_TABLES[found[0].kind], found[0].item_id, found[0].version))

    @edits_layer
    def mark(self, status: str) -> None:
        if self.document_id is None:
            return
        self.run_edit(lambda layer: layer.set_status(status))

    @edits_layer
    def edit_item(self, item: LayerItem) -> None:
        """Enter in the frames tree: the event or stance form, filled with what the item holds."""
        if item.kind == "relation":
            self.refuse("A relation has only its type: delete it and relate the events again (R)")
            return
        project = self.workspace.project
        actors = [(name, actor_id) for actor_id, name, _ in self._actors()]
        with project.session() as session:
            values = (event_values if item.kind == "event" else stance_values)(session, item.item_id)
            version = form_version(session, item.kind, item.item_id)
        if item.kind == "event":
            trigger = self.text_view.text[slice(*item.span)]
            dialog = EventEditDialog(self.window, project.schema, trigger, actors, project.settings.date_order,
                                     *values)
            self._open(dialog, lambda: self.finish_event_edit(
                item.item_id, dialog.event_type.currentData(), dialog.attributes(), dialog.date.text(), version))
        else:
            dialog = StanceEditDialog(self.window, project.schema, actors, values)
            self._open(dialog, lambda: self.finish_stance_edit(item.item_id, dialog.values(), version))

    def finish_event_edit(self, event_id: str, event_type: str, attributes: dict[str, Any],
                          date_text: str = "", version: int | None = None) -> None:
        """`version`: the event's as its form showed it (by default, as the view shows it)."""
        seen = self.seen_version(event_id) if version is None else version
        self.run_edit(lambda layer: layer.update_event(event_id, event_type, attributes,
                                                   self._event_date(date_text, "the event was not changed"), seen))

    def finish_stance_edit(self, stance_id: str, values: dict[str, Any], version: int | None = None) -> None:
        seen = self.seen_version(stance_id) if version is None else version
        self.run_edit(lambda layer: layer.update_stance(stance_id, **values, version=seen))

    @edits_layer
    def delete_item(self, item: LayerItem, line: Detail | None = None) -> None:
        """Delete in the frames tree: the item, or on an argument's line that argument alone."""
        if line is not None and line.argument_id is None:
            self.refuse("Delete removes an argument or a whole item; change attributes with Enter")
            return
        table, item_id = ("event_argument", line.argument_id) if line is not None else (
            {"event": "event", "stance": "stance", "relation": "event_relation"}[item.kind], item.item_id)
        self.run_edit(lambda layer: layer.delete(table, item_id, item.version))
