"""Main window: the project's document list with search, and the selected article's text.

Menus are built by `actions.py`; this class only wires the list, the text
preview and project opening. Annotation panels arrive with their own modules.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QSettings, QStandardPaths, Qt
from PySide6.QtGui import QCloseEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from workstation.core.errors import UserError
from workstation.core.guidelines import schema_guidelines
from workstation.core.span_index import Span
from workstation.editing.commands import Changes
from workstation.review.packages import PackageInfo, package_of
from workstation.store.document_list import layer_status, list_documents
from workstation.store.failures import explain_failure
from workstation.store.layer_names import layer_names
from workstation.store.layer_spans import layer_spans
from workstation.store.models import GOLD, STATUSES, Document
from workstation.store.project import Project
from workstation.store.project_ref import ProjectRef
from workstation.store.search_hits import search_hits
from workstation.ui.about_dialog import build_help_menu
from workstation.ui.actions import build_menus, build_toolbar
from workstation.ui.actor_panel import ActorPanel
from workstation.ui.annotation_controller import AnnotationController
from workstation.ui.background import BackgroundTask
from workstation.ui.document_list_model import DocumentListModel
from workstation.ui.frames_panel import FramesPanel
from workstation.ui.guidelines_panel import GuidelinesPanel
from workstation.ui.live_updates import LiveUpdates
from workstation.ui.memory import CollectBetweenEdits
from workstation.ui.preferences import Preferences, PreferencesDialog, store_preferences, stored_preferences
from workstation.ui.recent_menu import remember_project
from workstation.ui.search_hits import SearchHits, build_search_menu
from workstation.ui.server_login import open_asking_password
from workstation.ui.suggestion_controller import SuggestionController
from workstation.ui.team_menu import ConflictBadge, build_team_menu
from workstation.ui.text_marks import TextMarks
from workstation.ui.text_view import TextView
from workstation.ui.workspace import Workspace

LAYER_CHOICE_CHARACTERS = 18
"""The layer chooser's width in characters, whatever the names: a long one is elided rather than pushing the
toolbar wider than a 1024-pixel window."""


def initial_project() -> Path:
    """The last project if it still exists, else the sample project (first run; only then is the import
    machinery loaded)."""
    last = QSettings().value("last_project", "", str)
    if last and Path(last).is_file():
        return Path(last)
    from workstation.sample import ensure_sample_project

    data = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    return ensure_sample_project(data)


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setPalette(_same_when_inactive(self.palette()))
        self.workspace = Workspace(self)
        self.workspace.changed.connect(self._update_list_row)
        self.workspace.reloaded.connect(self._reload)
        self.package: PackageInfo | None = None
        self.live: LiveUpdates | None = None
        """Others' changes on a server project."""
        preferences = stored_preferences()
        self.annotator = preferences.annotator
        self.layer_choice = QComboBox(toolTip="Whose layer the text shows; other layers are read-only")
        self.layer_choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.layer_choice.setMinimumContentsLength(LAYER_CHOICE_CHARACTERS)
        self.layer_choice.activated.connect(self._choose_layer)
        self.read_only_badge = QLabel(styleSheet="color: #8a4b00; font-weight: bold; padding: 0 6px;")
        self.model = DocumentListModel(self)
        self.search = QLineEdit(placeholderText="Search titles and text…", clearButtonEnabled=True)
        self.search.textChanged.connect(self.refresh_documents)
        self.status_filter = QComboBox()
        self.status_filter.addItem("All statuses", None)
        for status in STATUSES:
            self.status_filter.addItem(status.replace("_", " "), status)
        self.status_filter.currentIndexChanged.connect(self.refresh_documents)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        _size_columns(self.table)
        self.table.setWordWrap(False)
        self.table.selectionModel().currentRowChanged.connect(self._show_document)
        self.heading = QLabel(wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.heading.setStyleSheet("font-weight: bold; font-size: 14pt;")
        self.text_view = TextView()
        self.text_view.apply_preferences(preferences.snapping, preferences.font_size)
        self.collector = CollectBetweenEdits(self)
        self.text_view.spans_loaded.connect(self.collector.settle)
        self.text_view.tokenized.connect(self.collector.set_apart)
        self.splitter = QSplitter()
        self.splitter.addWidget(_column(self.search, self.status_filter, self.table))
        self.frames = FramesPanel(self.workspace)
        self.splitter.addWidget(_column(self.heading, self.text_view))
        self.side = QTabWidget()
        self.side.addTab(self.frames, "Frames")
        self.splitter.addWidget(self.side)
        self.splitter.setStretchFactor(1, 2)
        self.setCentralWidget(self.splitter)
        self.file_actions, self.export_actions = build_menus(self)
        self.marks = TextMarks(self, self.workspace, self.text_view)
        self.annotation = AnnotationController(self, self.workspace, self.text_view, self.frames)
        self.suggestions = SuggestionController(self, self.workspace, self.text_view, self.annotation)
        self.team_dialog: QWidget | None = None
        """The Team menu's window open now (packages, merge, adjudication or agreement)."""
        self.team_actions = build_team_menu(self)
        self.conflict_badge = ConflictBadge(self)
        self.actors = ActorPanel(self.workspace, self.text_view, self.annotation.push, self.annotation.refuse)
        self.side.addTab(self.actors, "Actors")
        self.side.addTab(self.marks.legend, "Legend")
        self.text_view.arc_clicked.connect(self.frames.choose)
        self.guidelines = GuidelinesPanel()
        self.side.addTab(self.guidelines, "Guidelines")
        self.hits = SearchHits(self.text_view, self.statusBar().showMessage)
        self.search_actions = build_search_menu(self.menuBar(), self._focus_search, self.hits)
        build_toolbar(self)
        self.about_action = build_help_menu(self)
        self.statusBar().addPermanentWidget(self.conflict_badge)
        self.statusBar().addPermanentWidget(self.read_only_badge)
        self.project_label = QLabel(textFormat=Qt.TextFormat.PlainText)
        self.statusBar().addPermanentWidget(self.project_label)
        self._restore_layout()

    @property
    def project(self) -> Project | None:
        return self.workspace.project

    @property
    def annotator(self) -> str:
        return self.workspace.annotator

    @annotator.setter
    def annotator(self, name: str) -> None:
        self.workspace.annotator = name

    @property
    def viewed_layer(self) -> str | None:
        return self.workspace.viewed_layer

    @viewed_layer.setter
    def viewed_layer(self, name: str | None) -> None:
        self.workspace.viewed_layer = name

    @property
    def shown_layer(self) -> str:
        return self.workspace.shown_layer

    def refresh_layers(self) -> None:
        """The layer chooser lists the annotator's own layer first, then every other layer in the project."""
        with self.project.session() as session:
            others = [name for name in layer_names(session) if name != self.annotator]
        self.layer_choice.clear()
        self.layer_choice.addItem(f"My layer ({self.annotator})", None)
        for name in others:
            self.layer_choice.addItem(f"{name} (read-only)", name)
        found = self.layer_choice.findData(self.viewed_layer)
        self.viewed_layer = self.layer_choice.itemData(max(0, found))
        self.layer_choice.setCurrentIndex(max(0, found))
        self.read_only_badge.setText(f"Read-only: {self.viewed_layer}" if self.viewed_layer else "")

    def _choose_layer(self, index: int) -> None:
        self.viewed_layer = self.layer_choice.itemData(index)
        self.read_only_badge.setText(f"Read-only: {self.viewed_layer}" if self.viewed_layer else "")
        self._show_document(self.table.currentIndex())

    def show_preferences(self, welcome: bool = False) -> PreferencesDialog:
        date_order = self.project.settings.date_order if self.project else "day-first"
        dialog = PreferencesDialog(self, replace(stored_preferences(), annotator=self.annotator,
                                                 date_order=date_order), welcome)
        dialog.accepted.connect(lambda: self.apply_preferences(dialog.preferences()))
        dialog.open()
        return dialog

    def apply_preferences(self, preferences: Preferences) -> None:
        """Store them; a new annotator name switches to that person's layer with a fresh undo stack (except in a
        work package, whose layer is its annotator's whoever opens it)."""
        renamed = preferences.annotator != stored_preferences().annotator
        store_preferences(preferences)
        self.text_view.apply_preferences(preferences.snapping, preferences.font_size)
        if self.project is not None and preferences.date_order != self.project.settings.date_order:
            self.project.update_settings(date_order=preferences.date_order)
        if renamed and self.own_annotator() != self.annotator:
            self.switch_annotator(self.own_annotator())

    def _check_gold_toggle(self, on: bool) -> None:
        toggle = self.team_actions["edit_gold"]
        toggle.blockSignals(True)
        toggle.setChecked(on)
        toggle.blockSignals(False)

    def own_annotator(self) -> str:
        """The layer this user edits: a package's annotator, on a server the user who logged in (the server
        lets them write no other), else the name from the preferences."""
        if self.package:
            return self.package.annotator
        if self.project is not None and self.project.user:
            return self.project.user
        return stored_preferences().annotator

    def switch_annotator(self, name: str) -> None:
        """Edit `name`'s layer from now on (the supervisor's gold toggle, a new name in the preferences)."""
        self.annotator = name
        self._check_gold_toggle(name == GOLD)
        if self.project is not None:
            self.workspace.forget_layer_ids()
            self.annotation.set_annotator()
            self.refresh_layers()
            self.refresh_documents()
            self._show_document(self.table.currentIndex())

    def _reload(self) -> None:
        self.refresh_layers()
        self.refresh_documents()
        self._show_document(self.table.currentIndex())

    def apply_gold_edit(self, changes: Changes) -> None:
        """Adjudication's edits of gold reach the panels like any other edit; the layer list, which scans every
        annotation table, is reloaded only when the first gold item makes gold a layer."""
        if self.layer_choice.findData(GOLD) < 0 and self.annotator != GOLD:
            self.refresh_layers()
        self.annotation.publish(changes)

    def open_project(self, ref: ProjectRef) -> bool:
        """Switch to the project at `ref` (a file, or a server URL); a refused one leaves the current project
        open."""
        try:
            project = open_asking_password(self, ref)
        except Exception as error:
            refusal = error if isinstance(error, UserError) else explain_failure(error, ref)
            if refusal is None:
                raise
            self.show_error("Cannot open the project", refusal)
            return False
        if project is None:
            return False
        self.set_project(project)
        return True

    def set_project(self, project: Project) -> None:
        if self.live is not None:
            self.live.close()
            self.live = None
        if self.project is not None:
            self.project.close()
        self.workspace.open(project)
        self.package = package_of(project)
        self.annotator = self.own_annotator()
        self._check_gold_toggle(False)
        self.annotation.set_project()
        self.suggestions.set_project()
        self.marks.set_project()
        self.viewed_layer = None
        self.refresh_layers()
        self.actors.refresh()
        self.guidelines.set_entries(schema_guidelines(project.schema))
        if not project.server:
            QSettings().setValue("last_project", str(project.path))
            remember_project(project.path)
        role = f" — work package for {self.package.annotator}" if self.package else ""
        self.setWindowTitle(f"{project.path.name}{role} — Workstation")
        self.project_label.setText(project.location)
        where = project.location if project.server else project.path.resolve()
        self.project_label.setToolTip(f"The open project: {where}")
        self.refresh_documents()
        self.conflict_badge.refresh()
        self.team_actions["read_rights"].setEnabled(project.server)
        if self.model.rowCount():
            self.table.selectRow(0)
        if project.server:
            self.live = LiveUpdates(self, project)

    def refresh_documents(self) -> None:
        """Reload the list, keeping the current document selected when it is still listed; else the first listed
        one is shown, or none (an article the search or filter left out must not stay on screen)."""
        if self.project is None:
            return
        with self.project.session() as session:
            rows = list_documents(session, annotator=self.annotator, search=self.search.text(),
                                  status=self.status_filter.currentData())
        kept = next((row for row, summary in enumerate(rows) if summary.id == self.annotation.document_id), None)
        self.table.selectionModel().blockSignals(True)
        self.model.set_rows(rows)
        if kept is not None:
            self.table.selectRow(kept)
        self.table.selectionModel().blockSignals(False)
        if kept is not None:
            self._mark_hits()
        elif rows:
            self.table.selectRow(0)
        else:
            self._show_document(QModelIndex())
        self.statusBar().showMessage(f"{len(rows)} document(s)" + (
            f"; {len(self.hits.hits)} hit(s) in the shown one (F3: next)" if self.search.text().strip() else ""))

    def sort_documents(self, weights: dict[str, Any]) -> None:
        """List the documents by their weight, heaviest first (equal ones, and any weighed before it came, in the
        list's order), keeping the current one chosen."""
        rows = [self.model.summary(row) for row in range(self.model.rowCount())]
        current = self.workspace.document_id
        self.table.selectionModel().blockSignals(True)
        self.model.set_rows(sorted(rows, key=lambda summary: (summary.id in weights, weights.get(summary.id)),
                                   reverse=True))
        if self.model.row_of(current) is not None:
            self.table.selectRow(self.model.row_of(current))
        self.table.selectionModel().blockSignals(False)
        self.statusBar().showMessage("Documents sorted: most useful next first (Ctrl+PgDown moves on)", 8000)

    def _mark_hits(self) -> None:
        document_id = self.workspace.document_id
        if document_id is None:
            self.hits.show([])
            return
        with self.project.reading() as session:
            self.hits.show(search_hits(session, document_id, self.search.text()))

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _update_list_row(self, changes: Changes) -> None:
        """An edit changes its document's mention count or status: that row alone is redrawn, from the edit's
        count deltas and the one status it may have set (counting 20,000 mentions again would cost more)."""
        own = self.workspace.layer_id(self.annotator)
        for (document_id, annotator_id), delta in changes.layer_mentions.items():
            if annotator_id == own:
                self.model.add_mentions(document_id, delta)
        for document_id in changes.touched("assignment"):
            if self.model.row_of(document_id) is not None:
                with self.project.connect() as connection:
                    self.model.set_status(document_id, layer_status(connection, document_id, own))

    def _show_document(self, current, _previous=None) -> None:
        workspace = self.workspace
        if self.project is None or not current.isValid():
            workspace.document_id, workspace.text = None, ""
            self.frames.load()
            self.heading.clear()
            self.text_view.clear()
            self.hits.show([])
            return
        summary = self.model.summary(current.row())
        with self.project.connect() as connection:
            text, language = connection.execute(select(Document.text, Document.language)
                                                .where(Document.id == summary.id)).one()
        workspace.document_id, workspace.text = summary.id, text
        date = f"  ·  {summary.published}" + (" (ambiguous)" if summary.date_ambiguous else "") \
            if summary.published else ""
        self.heading.setText(f"{summary.title}{date}")
        self.text_view.show_text_lazily(text, functools.partial(self._read_spans, summary.id,
                                                                workspace.shown_annotator_id()), language,
                                        self.marks.arcs())
        self._mark_hits()
        self.frames.load()
        self.actors.highlight()
        self.suggestions.show_document()

    def _read_spans(self, document_id: str, annotator_id: str | None, first: int, last: int) -> list[Span]:
        with self.project.connect() as connection:
            return layer_spans(connection, document_id, annotator_id, first, last)

    def step_document(self, step: int) -> None:
        """Next (+1) or previous (-1) document of the list, as filtered."""
        row = self.table.currentIndex().row() + step
        if 0 <= row < self.model.rowCount():
            self.table.selectRow(row)

    def show_error(self, title: str, error: Exception) -> None:
        self.statusBar().showMessage(str(error))
        QMessageBox.warning(self, title, str(error))

    def _restore_layout(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1200, 800)
        splitter = settings.value("window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        else:
            self.splitter.setSizes([360, 640, 300])

    def closeEvent(self, event: QCloseEvent) -> None:
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/splitter", self.splitter.saveState())
        for task in self.findChildren(BackgroundTask):
            task.cancel_and_wait()
        if self.live is not None:
            self.live.close()
            self.live = None
        if self.project is not None:
            self.project.close()
            self.workspace.open(None)
        self.collector.stop()
        super().closeEvent(event)


def _same_when_inactive(palette: QPalette) -> QPalette:
    """The window looks the same while a dialog has the focus: the selection being annotated stays in its
    active colour beside the actor or event form, and closing the form does not repaint every list, table and
    field of the window (Qt redraws a widget on activation only when the two palettes differ)."""
    for role in QPalette.ColorRole:
        if role != QPalette.ColorRole.NColorRoles:
            palette.setColor(QPalette.ColorGroup.Inactive, role, palette.color(QPalette.ColorGroup.Active, role))
    return palette


def _size_columns(table: QTableView) -> None:
    """The title stretches; the other columns are as wide as their widest possible value. Sized to contents,
    the header measured up to 1,000 rows again after every edit of one row."""
    header = table.horizontalHeader()
    metrics = table.fontMetrics()
    for column, widest in enumerate(("2020-02-05 ?", "in progress", "Mentions"), start=1):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(column, metrics.horizontalAdvance(widest) + 12)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)


def _column(*widgets: QWidget) -> QWidget:
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(4, 4, 4, 4)
    for widget in widgets:
        layout.addWidget(widget)
    return holder
