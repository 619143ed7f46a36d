"""The Suggestions menu's model entries: train a model on a layer (in a worker, with progress and Cancel), and
choose what suggests (the actor registry or a trained model), remembered in the project's settings."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup, QFont
from PySide6.QtWidgets import QInputDialog, QMenu, QMessageBox

from workstation.core.errors import UserError
from workstation.core.suggestions import REGISTRY
from workstation.nlp.model_files import saved_where
from workstation.nlp.model_suggester import installed_pipelines, label_table
from workstation.store.layer_names import layer_names
from workstation.store.models import GOLD
from workstation.ui.actions import report_failure
from workstation.ui.background import BackgroundTask

if TYPE_CHECKING:
    from workstation.nlp.training import TrainedInfo
    from workstation.ui.main_window import MainWindow


class ModelActions:
    """`chosen(name)` is called when the user picks another suggester."""

    def __init__(self, window: MainWindow, menu: QMenu, chosen: Callable[[str], None]):
        self.window, self.chosen = window, chosen
        self.train_action = QAction("Train a model on a layer…", window)
        self.train_action.triggered.connect(lambda _checked=False: self.ask_train())
        self.source_menu = QMenu("Suggest &from", window)
        self.source_menu.aboutToShow.connect(self.list_sources)
        menu.addSeparator()
        menu.addMenu(self.source_menu)
        menu.addAction(self.train_action)
        self.sort_action = QAction("Sort documents: most useful next", window)
        self.sort_action.setToolTip("The documents the chosen model is least sure of first; else those with the "
                                    "most registry suggestions")
        self.sort_action.triggered.connect(lambda _checked=False: self.sort_documents())
        menu.addAction(self.sort_action)
        self.group = QActionGroup(window)
        self.report: QMessageBox | None = None
        """The scores of the last model trained, as shown."""

    def list_sources(self) -> None:
        """The registry and every trained model, with its held-out F1; the project's choice checked."""
        from workstation.nlp.training import list_models

        project = self.window.project
        self.source_menu.clear()
        if project is None:
            return
        entries = [(REGISTRY, "Actor registry")] + [
            (model.name, f"{model.name} (F1 {model.scores.get('ALL', {}).get('f', 0):.2f}, {model.layers[0]})")
            for model in list_models(project)] + [
            (name, f"{name} (installed spaCy pipeline)") for name in installed_pipelines()]
        for name, text in entries:
            action = QAction(text, self.source_menu, checkable=True,
                             checked=name == project.settings.suggester)
            action.triggered.connect(lambda _checked=False, chosen=name: self.choose(chosen))
            self.group.addAction(action)
            self.source_menu.addAction(action)

    def choose(self, name: str) -> None:
        """An installed pipeline first needs its labels mapped to actor types (asked once, kept in the project)."""
        project = self.window.project
        if name in installed_pipelines() and not project.settings.pipeline_labels:
            text, ok = QInputDialog.getText(self.window, "Labels of the pipeline",
                                            f"{name}'s entity labels as actor types (e.g. PERSON=GOV, GPE=STATE):")
            if not ok:
                return
            try:
                project.update_settings(pipeline_labels=label_table(text, project.schema.entity_types))
            except UserError as error:
                self.window.show_error("Labels not set", error)
                return
        project.update_settings(suggester=name)
        self.chosen(name)

    def sort_documents(self) -> BackgroundTask | None:
        """Weigh every document in a worker, then list them most useful first (until the list is refreshed)."""
        from workstation.nlp.usefulness import usefulness

        project, window = self.window.project, self.window
        if project is None:
            return None
        layer, source = window.workspace.annotator, project.settings.suggester
        known = layer if window.workspace.layer_id(layer) is not None else None
        task = BackgroundTask(window, "Weighing documents…", lambda progress, cancel: usefulness(
            project, known, source, progress, cancel))
        task.done.connect(window.sort_documents)
        task.error.connect(lambda error: report_failure(window, "Sorting failed", error))
        task.start()
        return task

    def ask_train(self) -> BackgroundTask | None:
        project = self.window.project
        if project is None:
            return None
        with project.session() as session:
            layers = layer_names(session)
        if not layers:
            self.window.statusBar().showMessage("No layer has annotations to learn from yet", 8000)
            return None
        layer, ok = QInputDialog.getItem(self.window, "Train a model", "Learn the NAME mentions of the layer:",
                                         layers, layers.index(GOLD) if GOLD in layers else 0, False)
        return self.train(layer) if ok else None

    def train(self, layer: str, iterations: int = 15) -> BackgroundTask:
        """Train in a worker (progress per pass, Cancel stops it and keeps nothing); returns the task."""
        from workstation.nlp.training import TrainingOptions, train_model

        project = self.window.project
        options = TrainingOptions(layers=[layer], iterations=iterations)
        task = BackgroundTask(self.window, "Training a model…", lambda progress, cancel: train_model(
            project, options, progress=progress, cancel=cancel))
        task.done.connect(self._trained)
        task.error.connect(lambda error: report_failure(self.window, "Training failed", error))
        task.start()
        return task

    def _trained(self, info: TrainedInfo) -> None:
        from workstation.core.span_scores import format_scores

        box = QMessageBox(QMessageBox.Icon.Information, "Model trained",
                          f"Model '{info.name}' {saved_where(self.window.project, info.path)}.\nHeld-out scores "
                          f"({info.sizes['held_out_documents']} documents); choose it under Suggest from:",
                          parent=self.window)
        box.setInformativeText(format_scores(info.scores))
        box.setFont(QFont("monospace"))
        self.window.statusBar().showMessage(f"Model '{info.name}' trained: held-out F1 "
                                            f"{info.scores['ALL']['f']:.2f}", 10000)
        box.open()
        self.report = box
