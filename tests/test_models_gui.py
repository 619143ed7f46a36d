"""Training from the Suggestions menu: a worker with progress and Cancel; the model is listed under Suggest from
and, once chosen, suggests the ghost spans of the text view."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from test_model_training import CORPUS

from workstation.core.progress import Cancelled
from workstation.formats.importing import import_paths
from workstation.store.models import TrainedModel
from workstation.store.project import open_project
from workstation.ui.main_window import MainWindow
from workstation.ui.suggestion_controller import SuggestionController

TRAINING = 120_000
"""Milliseconds a tiny training may take on a busy machine."""


@pytest.fixture
def window(qtbot, isolated_qt, project_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(SuggestionController, "automatic", True)
    with open_project(project_path) as project:
        import_paths(project, [CORPUS])
    win = MainWindow()
    qtbot.addWidget(win)
    assert win.open_project(project_path)
    win.show()
    qtbot.waitUntil(lambda: bool(win.text_view.ghosts.suggestions), timeout=30_000)
    yield win
    win.close()


def test_train_in_the_background_choose_the_model_and_see_its_suggestions(window: MainWindow, qtbot):
    models = window.suggestions.models
    task = models.train("gold", iterations=2)
    with qtbot.waitSignal(task.done, timeout=TRAINING) as done:
        pass
    info = done.args[0]
    assert models.report is not None and "ALL" in models.report.informativeText()
    with window.project.session() as session:
        assert session.query(TrainedModel.name).scalar() == info.name
    models.list_sources()
    texts = [action.text() for action in models.source_menu.actions()]
    assert texts[0] == "Actor registry" and texts[1].startswith(f"{info.name} (F1 ")
    assert models.source_menu.actions()[0].isChecked()
    window.text_view.show_suggestions([], set())
    models.source_menu.actions()[1].trigger()
    assert window.project.settings.suggester == info.name
    qtbot.waitUntil(lambda: bool(window.text_view.ghosts.suggestions), timeout=30_000)
    assert {suggestion.source for suggestion in window.text_view.ghosts.suggestions} == {info.name}


def test_cancel_stops_training_and_keeps_nothing(window: MainWindow, qtbot):
    task = window.suggestions.models.train("gold", iterations=50)
    qtbot.waitUntil(task.dialog.isVisible, timeout=TRAINING)
    assert task.dialog.labelText().startswith("iteration") or task.dialog.labelText() == "Training a model…"
    with qtbot.waitSignal(task.error, timeout=TRAINING) as failed:
        qtbot.mouseClick(task.dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)
    assert isinstance(failed.args[0], Cancelled)
    assert window.statusBar().currentMessage() == "Cancelled; nothing was changed"
    with window.project.session() as session:
        assert session.query(TrainedModel).count() == 0
    assert not window.project.path.with_name("project.models").exists()
