"""Preferences, the toolbar and read-only layers, driven like a user would."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialogButtonBox, QToolBar
from test_main_window import isolated_qt  # noqa: F401  (fixture)

from workstation.editing.editor import Editor
from workstation.store.models import Mention
from workstation.store.project import open_project
from workstation.ui.main_window import MainWindow, initial_project
from workstation.ui.preferences import PreferencesDialog, first_run


@pytest.fixture
def window(qtbot, isolated_qt):  # noqa: F811
    win = MainWindow()
    qtbot.addWidget(win)
    win.open_project(initial_project())
    win.show()
    yield win
    win.close()


def ok_button(dialog: PreferencesDialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_first_run_asks_for_the_name_and_refuses_gold(window: MainWindow, qtbot, screenshots):
    assert first_run()
    dialog = window.show_preferences(welcome=True)
    assert dialog.windowTitle() == "Welcome to Workstation"
    dialog.annotator.clear()
    assert not ok_button(dialog).isEnabled() and dialog.problem.text() == "A name is needed"
    qtbot.keyClicks(dialog.annotator, "Gold")
    assert not ok_button(dialog).isEnabled() and "adjudicated layer" in dialog.problem.text()
    dialog.annotator.setText("Dilara")
    dialog.font_size.setValue(15)
    dialog.snapping.setChecked(False)
    dialog.date_order.setCurrentText("month-first")
    dialog.resize(460, dialog.sizeHint().height())
    dialog.grab().save(str(screenshots / "preferences.png"))
    qtbot.mouseClick(ok_button(dialog), Qt.MouseButton.LeftButton)
    assert not first_run() and QSettings().value("annotator") == "Dilara"
    assert window.annotator == "Dilara" and window.layer_choice.currentText() == "My layer (Dilara)"
    assert window.text_view.font().pointSize() == 15
    assert window.project.settings.date_order == "month-first"
    view = window.text_view
    start = view.text.index("Erdogan")
    view.select_span(start + 1, start + 4)
    assert view.selected_span() == (start + 1, start + 4)
    path = window.project.path
    window.close()
    with open_project(path) as project:
        assert project.settings.date_order == "month-first"


def test_another_layer_is_shown_read_only(window: MainWindow, qtbot, screenshots):
    window.annotator = "alice"
    window.annotation.set_project()
    document_id = window.annotation.document_id or window.model.summary(0).id
    text = window.text_view.text
    start = text.index("Idlib")
    bob = Editor(window.project, "bob")
    with bob.layer(document_id) as layer:
        command = layer.create_mention(start, start + 5, "NAME", None, label="STATE")
    bob.run(command)
    window.refresh_layers()
    window.table.selectRow(0)
    assert [window.layer_choice.itemText(i) for i in range(window.layer_choice.count())] == [
        "My layer (alice)", "bob (read-only)"]
    assert window.text_view.index.all_spans() == []
    window.layer_choice.setCurrentIndex(1)
    window.layer_choice.activated.emit(1)
    assert [(s.start, s.end) for s in window.text_view.index.all_spans()] == [(start, start + 5)]
    assert window.read_only_badge.text() == "Read-only: bob"
    window.text_view.select_span(start, start + 5)
    qtbot.keyClick(window.text_view, Qt.Key.Key_1)
    assert window.statusBar().currentMessage() == \
        "Showing bob's layer read-only; switch to your own layer to edit"
    assert window.annotation.dialog is None
    with window.project.session() as session:
        assert session.query(Mention).count() == 1
    window.resize(1300, 700)
    window.grab().save(str(screenshots / "read-only-layer.png"))
    window.layer_choice.setCurrentIndex(0)
    window.layer_choice.activated.emit(0)
    assert window.text_view.index.all_spans() == [] and window.read_only_badge.text() == ""


def test_toolbar_buttons_name_their_shortcuts(window: MainWindow, qtbot):
    bar = window.findChild(QToolBar)
    tips = [action.toolTip() for action in bar.actions() if action.text()]
    assert "Undo (Ctrl+Z)" in tips and "Mark done (Ctrl+D)" in tips and "Preferences (Ctrl+,)" in tips
    window.annotation.actions["done"].trigger()
    assert window.table.model().index(0, 2).data() == "done"
    window.annotation.actions["undo"].trigger()
    assert window.table.model().index(0, 2).data() == "new"


def test_a_date_that_is_no_date_is_refused(window: MainWindow, qtbot):
    view = window.text_view
    start = view.text.index("threatened")
    view.select_span(start, start + 10)
    window.annotation.start_event()
    dialog = window.annotation.dialog
    qtbot.keyClicks(dialog.date, "next tuesday")
    assert dialog.date_reading.text() == "not a date"
    dialog.accept()
    assert window.statusBar().currentMessage() == "Not a date: next tuesday; the event was not added"
    assert window.frames.count() == 0


def test_the_store_refuses_a_malformed_event_date(project_path: Path):
    from conftest import REPO

    from workstation.editing.annotations import EditRefused
    from workstation.formats.importing import import_paths
    with open_project(project_path) as project:
        import_paths(project, [REPO / "resources" / "sample-article.md"])
        editor = Editor(project, "alice")
        with project.session() as session:
            from workstation.store.models import Document
            document_id = session.query(Document.id).scalar()
        with editor.layer(document_id) as layer, pytest.raises(EditRefused, match="2020-13"):
            layer.create_event("THREATEN", (10, 20), date="2020-13")
