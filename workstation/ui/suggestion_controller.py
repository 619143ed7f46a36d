"""Working with suggestions in the text view: they arrive from a worker as ghost spans, and keys accept
(Enter), reject (Backspace) and move between them (Tab, Shift+Tab); Ctrl+Enter accepts every suggestion of one
actor in the document.

Every accept and reject is an edit command on the one undo stack, applied through `Workspace.changed` like any
other edit: an accepted suggestion becomes a mention span of the view (its ghost is then held and no longer
drawn), a rejection is read back as the layer's rejected keys. Nothing reloads the document. Edits of the
registry (and mentions that teach an actor a name) rebuild those actors' patterns and suggest the shown
document again, in the worker.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QMenu
from sqlalchemy import select

from workstation.core.suggestions import REGISTRY, Suggestion
from workstation.editing.annotations import Layer
from workstation.editing.commands import Changes, Command
from workstation.editing.suggestion_edits import accept, accept_all, reject
from workstation.nlp.model_suggester import ModelSuggester, load_model
from workstation.nlp.suggesting import RegistrySource, suggest_document
from workstation.nlp.trigger_lexicon import TRIGGERS, TriggerSuggester, build_lexicon
from workstation.store.models import Document
from workstation.store.suggestion_names import suggestion_names
from workstation.store.suggestion_state import pending, rejected_keys
from workstation.ui.annotation_controller import AnnotationController
from workstation.ui.background import BackgroundTask
from workstation.ui.model_actions import ModelActions
from workstation.ui.text_view import WARM_UP_DELAY_MS, TextView
from workstation.ui.workspace import Workspace

SETTLE_MS = 1000
"""After an edit that changed the registry's names, the document is suggested again once the annotator pauses
this long: suggesting a 1 MB document takes most of a second in the worker, and a worker running Python slows
the key presses of the edits that follow."""

if TYPE_CHECKING:
    from workstation.ui.main_window import MainWindow

Arrival = tuple[str, list[Suggestion], set[tuple[int, int, str]]] | None
"""(document, its suggestions, the layer's rejected keys), or None when nothing changed."""


class SuggestionController(QObject):
    automatic = True
    """Suggest each document as it is shown (the test suite turns it off where it does not test suggestions:
    a worker importing spaCy races the imports of the test's own thread)."""

    def __init__(self, window: MainWindow, workspace: Workspace, text_view: TextView,
                 annotation: AnnotationController):
        super().__init__(window)
        self.window, self.workspace, self.text_view, self.annotation = window, workspace, text_view, annotation
        self.registry = RegistrySource()
        self.task: BackgroundTask | None = None
        self._again: str | None = None
        """What to suggest when the running task ends: "document" (another was shown), "changed" (an edit)."""
        self.menu: QMenu = window.menuBar().addMenu("S&uggestions")
        self.actions: dict[str, QAction] = {}
        for key, text, shortcut, handler in (
                ("accept", "Accept the suggestion at the cursor", "Return", self.accept_at_cursor),
                ("reject", "Reject the suggestion at the cursor", "Backspace", self.reject_at_cursor),
                ("next", "Next suggestion", "Tab", lambda: self.step(True)),
                ("previous", "Previous suggestion", "Shift+Tab", lambda: self.step(False)),
                ("accept_actor", "Accept all suggestions of one actor…", "Ctrl+Return", self.accept_actor)):
            action = QAction(text, window)
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _checked=False, run=handler: run())
            text_view.addAction(action)
            self.menu.addAction(action)
            self.actions[key] = action
        self.actions["accept"].setShortcuts([QKeySequence("Return"), QKeySequence("Enter")])
        self.models = ModelActions(window, self.menu, lambda _name: self.show_document())
        self._loaded: dict[str, ModelSuggester | TriggerSuggester] = {}
        """Trained models loaded so far (in the worker), by name, and the trigger lexicon under `TRIGGERS` (an
        edit of events drops it, and the next document builds it again)."""
        self._warm_up = QTimer(self, singleShot=True, interval=WARM_UP_DELAY_MS)
        self._warm_up.timeout.connect(self._start)
        self._started = False
        """The first document is suggested a moment after it is shown: start-up paints first, and spaCy loads
        while the user reads."""
        self._settled = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self._settled.timeout.connect(lambda: self.show_document(only_if_changed=True))
        workspace.changed.connect(self.apply)
        workspace.reloaded.connect(self.reset)

    def busy(self) -> bool:
        """Suggestions of the shown document are still to come (waiting for the warm-up, or in the worker)."""
        return self.task is not None or self._warm_up.isActive()

    def set_project(self) -> None:
        """The registry of the project just opened is read at its first document."""
        self.registry, self._loaded = RegistrySource(), {}

    def reset(self) -> None:
        """Much changed at once (an import, a merge): the registry is read again."""
        self.set_project()
        self.show_document()

    def show_document(self, only_if_changed: bool = False) -> None:
        """Suggest the shown document in the worker; its ghosts appear when they are ready. With
        `only_if_changed`, only when the registry's names changed (after an edit)."""
        if not self.automatic or self.workspace.project is None or self.workspace.document_id is None:
            return
        if not self._started and "spacy" not in sys.modules:
            self._warm_up.start()
            return
        self._started = True
        if self.task is not None:
            self._again = (self._again or "changed") if only_if_changed else "document"
            return
        project, registry, loaded = self.workspace.project, self.registry, self._loaded
        document_id, annotator_id = self.workspace.document_id, self.workspace.shown_annotator_id()
        source = project.settings.suggester

        def suggest(_progress: object, _cancelled: object) -> Arrival:
            with project.session() as session:
                text, language = session.execute(select(Document.text, Document.language)
                                                 .where(Document.id == document_id)).one()
                if source == REGISTRY:
                    found = suggest_document(session, registry, document_id, text, language, annotator_id,
                                             only_if_changed)
                elif only_if_changed:
                    found = None
                else:
                    if source not in loaded:
                        loaded[source] = load_model(project, source, suggestion_names(session), language)
                    found = pending(session, document_id, annotator_id, loaded[source].suggest(text))
                if found is None:
                    return None
                if TRIGGERS not in loaded:
                    loaded[TRIGGERS] = TriggerSuggester(build_lexicon(session, language), language)
                found += pending(session, document_id, annotator_id, loaded[TRIGGERS].suggest(text))
                return document_id, found, rejected_keys(session, document_id, annotator_id)

        self.task = BackgroundTask(self.window, "Suggesting…", suggest, quiet=True)
        self.task.done.connect(self._arrived)
        self.task.error.connect(self._failed)
        self.task.start()

    def _start(self) -> None:
        self._started = True
        self.show_document()

    def _arrived(self, result: Arrival) -> None:
        self.task = None
        if result is not None and result[0] == self.workspace.document_id and self._again != "document":
            self.text_view.show_suggestions(*result[1:])
        self._next()

    def _failed(self, error: Exception) -> None:
        self.task = None
        self.window.statusBar().showMessage(f"No suggestions: {error}", 8000)
        self._next()

    def _next(self) -> None:
        again, self._again = self._again, None
        if again is not None:
            self.show_document(only_if_changed=again == "changed")

    def apply(self, changes: Changes) -> None:
        """An edit of actors, or of mentions linked to them, may change the names the registry suggests: those
        actors are rebuilt and, if their names changed, the document is suggested again. A rejection or its undo
        changes which ghosts are drawn; an accepted suggestion is held by the layer, whose spans the view
        already has."""
        if changes.touched("event"):
            self._loaded.pop(TRIGGERS, None)
        touched_actors = set(changes.actor_mentions) | changes.touched("actor")
        if touched_actors:
            self.registry.changed(touched_actors)
            self._settled.start()
        if changes.touched("rejected_suggestion") and self.workspace.concerns_current(changes):
            with self.workspace.project.session() as session:
                rejected = rejected_keys(session, self.workspace.document_id, self.workspace.shown_annotator_id())
            self.text_view.ghosts.rejected = rejected
            self.text_view.viewport().update()

    def at_cursor(self) -> Suggestion | None:
        return self.text_view.ghosts.at(self.text_view.index, self.text_view.cursor_offset())

    def accept_at_cursor(self) -> None:
        self._decide(accept)

    def reject_at_cursor(self) -> None:
        self._decide(reject)

    def _decide(self, decision: Callable[[Layer, Suggestion], Command]) -> None:
        """Accept or reject the suggestion at the cursor, then move on to the next one."""
        suggestion = self.at_cursor()
        if suggestion is None:
            self.annotation.refuse("No suggestion at the cursor (Tab goes to the next one)")
            return
        if self.annotation.editable():
            self.annotation.run_edit(lambda layer: decision(layer, suggestion))
            self.step(True)

    def step(self, forward: bool) -> None:
        """Put the cursor on the next (or previous) suggestion still shown, and draw that one bolder."""
        view = self.text_view
        found = view.ghosts.step(view.index, view.cursor_offset(), forward)
        if found is None:
            self.annotation.refuse("No more suggestions " + ("after" if forward else "before") + " the cursor")
            return
        view.ghosts.current = found
        view.select_span(found.start, found.start)
        view.viewport().update()

    def accept_actor(self) -> None:
        """Every suggestion of one actor in the document, as one undo step: the actor of the suggestion at the
        cursor, or one chosen from those with suggestions."""
        view = self.text_view
        shown = [suggestion for suggestion in view.ghosts.suggestions if view.ghosts.shown(view.index, suggestion)]
        here = self.at_cursor()
        actor_id = here.actor_id if here is not None else self._choose_actor(shown)
        if actor_id is None or not self.annotation.editable():
            return
        name = view.labeller.names.get(actor_id, ("the actor",))[0]
        chosen = [suggestion for suggestion in shown if suggestion.actor_id == actor_id]
        self.annotation.run_edit(lambda layer: accept_all(layer, chosen, name))

    def _choose_actor(self, shown: list[Suggestion]) -> str | None:
        names = self.text_view.labeller.names
        counts: dict[str, int] = {}
        for suggestion in shown:
            if suggestion.actor_id is not None:
                counts[suggestion.actor_id] = counts.get(suggestion.actor_id, 0) + 1
        if not counts:
            self.annotation.refuse("No suggestions left in this document")
            return None
        choices = {f"{names.get(actor_id, (actor_id,))[0]} ({count})": actor_id for actor_id, count in counts.items()}
        picked, ok = QInputDialog.getItem(self.window, "Accept suggestions", "Accept every suggestion of:",
                                          sorted(choices), 0, False)
        return choices[picked] if ok else None
