"""What the labels and arcs over the text need from the project, kept current from each edit's `Changes`:
the layer's arcs, the actors' names, the schema's colours; and the View menu's switch that hides them.

Built before the annotation controller, so that a new actor's name is known when the controller repaints the
line of the mention that introduced it (both follow `Workspace.changed`, in the order they connected)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import QMainWindow
from sqlalchemy import Connection

from workstation.core.guidelines import RULES, schema_guidelines
from workstation.core.span_index import EVIDENCE
from workstation.editing.commands import Changes
from workstation.store.actor_names import actor_names
from workstation.store.layer_arcs import TABLE_OF, Arc, layer_arcs
from workstation.store.layer_spans import touched_spans
from workstation.ui.legend_panel import LegendPanel
from workstation.ui.palette import TypeColours, schema_types
from workstation.ui.text_view import TextView
from workstation.ui.workspace import Workspace

ARC_TABLES = ("event", "event_relation", "stance", "mention_relation")
"""Edits of these rows add, change or remove arcs (an event counts as touched when its arguments change)."""
SHOWN_SETTING = "view/labels_and_arcs"


class TextMarks(QObject):
    def __init__(self, window: QMainWindow, workspace: Workspace, text_view: TextView):
        super().__init__(window)
        self.workspace, self.text_view = workspace, text_view
        self.legend = LegendPanel(self._choose_colour)
        self.toggle = QAction("Labels and arcs over the text", window, checkable=True)
        self.toggle.setShortcut(QKeySequence("Ctrl+T"))
        self.toggle.setToolTip("Show each span's type and actor above it, and arcs for roles, stances and relations")
        self.toggle.setChecked(QSettings().value(SHOWN_SETTING, True, bool))
        self.toggle.toggled.connect(self._show)
        window.menuBar().addMenu("&View").addAction(self.toggle)
        text_view.show_marks(self.toggle.isChecked())
        workspace.changed.connect(self.apply)
        workspace.reloaded.connect(self._read_names)

    def set_project(self) -> None:
        """A project was opened: its colours and its actors' names."""
        project = self.workspace.project
        colours = TypeColours(schema_types(project.schema), project.settings.colours)
        self._read_names()
        self.text_view.definitions = {entry.name: entry.definition for entry in schema_guidelines(project.schema)
                                      if entry.definition and entry.section != RULES}
        self.text_view.set_colours(colours)
        self.legend.show_types(project.schema, colours)

    def _read_names(self) -> None:
        """Every actor's name (a project was opened, or an import or merge brought many)."""
        with self.workspace.project.session() as session:
            self.text_view.set_actor_names(actor_names(session))

    def arcs(self) -> list[Arc]:
        """The arcs of the current document's shown layer (none without a document)."""
        workspace = self.workspace
        if workspace.document_id is None:
            return []
        with workspace.project.connect() as connection:
            return layer_arcs(connection, workspace.document_id, workspace.shown_annotator_id())

    def apply(self, changes: Changes) -> None:
        """Arcs are read again when an edit touched what they join; renamed actors' labels are redrawn."""
        actors = changes.touched("actor")
        if actors:
            with self.workspace.project.connect() as connection:
                found = actor_names(connection, actors)
            self.text_view.set_actor_names({**self.text_view.labeller.names, **found})
            if any(table == "actor" for table, _ in changes.updated | changes.removed):
                self.text_view.paint_again()
        if self.workspace.concerns_current(changes):
            self._update_arcs(changes)

    def _update_arcs(self, changes: Changes) -> None:
        """The arcs of the items an edit touched are read again; so are those of arcs ending at an item it
        touched (a deleted mention takes its relations with it) and of stances whose evidence holds a mention
        it touched (the stance's arc joins the first mentions of its actors there)."""
        touched = {table: changes.touched(table) for table in ARC_TABLES}
        mentions = changes.touched("mention")
        ends = mentions | touched["event"]
        arcs = self.text_view.arcs
        for arc in arcs:
            if ends.intersection(arc.ends):
                touched[TABLE_OF[arc.kind]].add(arc.item_id)
        workspace = self.workspace
        evidence = mentions and self.text_view.index.kinds[EVIDENCE]
        if not (evidence or any(touched.values())):
            return
        with workspace.project.connect() as connection:
            if evidence:
                touched["stance"] |= self._evidence_around(connection, mentions)
            touched = {table: ids for table, ids in touched.items() if ids}
            if not touched:
                return
            found = layer_arcs(connection, workspace.document_id, workspace.shown_annotator_id(), touched)
        again = {item_id for ids in touched.values() for item_id in ids}
        self.text_view.set_arcs([arc for arc in arcs if arc.item_id not in again] + found)

    def _evidence_around(self, connection: Connection, mentions: set[str]) -> set[str]:
        """Stances whose evidence (as the text view shows it) holds one of these mentions, where it was (still
        in the view's index: the view is updated after this) or is now."""
        index = self.text_view.index
        spans = [span for mention in mentions for span in index.spans_of(mention)]
        spans += touched_spans(connection, self.workspace.document_id, self.workspace.shown_annotator_id(), mentions,
                               ())
        return {found.item_id for span in spans for found in index.at(span.start) if found.kind == EVIDENCE}

    def _show(self, shown: bool) -> None:
        QSettings().setValue(SHOWN_SETTING, shown)
        self.text_view.show_marks(shown)

    def _choose_colour(self, type_name: str, colour: QColor) -> None:
        """A colour chosen in the legend is the project's from now on, for every annotator who opens it."""
        colours = self.text_view.labeller.colours
        colours.choose(type_name, colour)
        self.workspace.project.update_settings(colours=colours.chosen())
        self.text_view.set_colours(colours)
        self.legend.show_types(self.workspace.project.schema, colours)
