"""Preferences, the toolbar, read-only layers and export dialogs, driven like a user would."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QSettings, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QToolBar
from sqlalchemy import select

from workstation.editing.editor import Editor
from workstation.formats.exporting import suggested_export_name, with_export_extension
from workstation.store.models import Annotator, Mention
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
    assert shown_tip(bar, "Undo") == f"Undo {window.annotation.stack.undoText()} (Ctrl+Z)" != "Undo (Ctrl+Z)"
    window.annotation.actions["undo"].trigger()
    assert window.table.model().index(0, 2).data() == "new"
    assert shown_tip(bar, "Undo") == "Undo (Ctrl+Z)"
    assert shown_tip(bar, "Redo").startswith(f"Redo {window.annotation.stack.redoText()} (")


def shown_tip(bar: QToolBar, label: str) -> str:
    """The tooltip a toolbar button shows when the pointer rests on it (the undo buttons write theirs then)."""
    button = bar.widgetForAction(next(action for action in bar.actions() if action.text() == label))
    QApplication.sendEvent(button, QHelpEvent(QEvent.Type.ToolTip, QPoint(2, 2), button.mapToGlobal(QPoint(2, 2))))
    return button.toolTip()


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
    from workstation.editing.annotations import EditRefused
    from workstation.formats.importing import import_paths
    from workstation.paths import SAMPLE_ARTICLE, resource
    with open_project(project_path) as project:
        import_paths(project, [resource(SAMPLE_ARTICLE)])
        editor = Editor(project, "alice")
        with project.session() as session:
            from workstation.store.models import Document
            document_id = session.query(Document.id).scalar()
        with editor.layer(document_id) as layer, pytest.raises(EditRefused, match="2020-13"):
            layer.create_event("THREATEN", (10, 20), date="2020-13")


def test_first_run_name_is_selected_so_typing_replaces_it(window: MainWindow, qtbot):
    login = window.annotator
    dialog = window.show_preferences(welcome=True)
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.annotator.text() == login and dialog.annotator.selectedText() == login
    assert dialog.focusWidget() is dialog.annotator
    qtbot.keyClicks(dialog.annotator, "alice")
    assert dialog.annotator.text() == "alice"


def annotator_names(window: MainWindow) -> list[str]:
    with window.project.session() as session:
        return list(session.scalars(select(Annotator.name)))


def test_a_name_that_made_no_edit_leaves_no_layer(window: MainWindow, qtbot):
    login = window.annotator
    dialog = window.show_preferences(welcome=True)
    qtbot.waitUntil(dialog.isVisible)
    qtbot.keyClicks(dialog.annotator, "alice")
    qtbot.mouseClick(ok_button(dialog), Qt.MouseButton.LeftButton)
    assert window.annotator == "alice" and annotator_names(window) == []
    qtbot.keyClick(window.text_view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert annotator_names(window) == ["alice"] and login != "alice"
    assert window.table.model().index(0, 2).data() == "done"
    qtbot.keyClick(window.text_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert annotator_names(window) == [], "undoing the only edit leaves no empty layer either"
    window.annotation.actions["redo"].trigger()
    assert annotator_names(window) == ["alice"] and window.table.model().index(0, 2).data() == "done"
    window.annotation.actions["undo"].trigger()
    window.switch_annotator("bob")
    window.switch_annotator("alice")
    qtbot.keyClick(window.text_view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert annotator_names(window) == ["alice"] and window.table.model().index(0, 2).data() == "done"


def test_export_names_are_suggested_and_completed():
    assert suggested_export_name(Path("/work/news.sqlite"), "Dilara K/2", "jsonl") == "news-Dilara_K_2.jsonl"
    assert suggested_export_name(Path("/work/news.sqlite"), None, "xlsx") == "news-all-layers.xlsx"
    assert suggested_export_name(Path("news.sqlite"), "gold", "brat") == "news-gold"
    assert with_export_extension(Path("/out/report"), "xlsx") == Path("/out/report.xlsx")
    assert with_export_extension(Path("/out/report.v2"), "conll") == Path("/out/report.v2")
    assert with_export_extension(Path("/out/folder"), "brat") == Path("/out/folder")


def test_export_dialog_suggests_adds_the_extension_and_remembers_the_folder(window: MainWindow, qtbot,
                                                                            tmp_path: Path, monkeypatch):
    from openpyxl import load_workbook
    window.annotator = "alice"
    window.annotation.set_annotator()
    qtbot.keyClick(window.text_view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    target = tmp_path / "exports"
    target.mkdir()
    asked = []
    answers = [str(target / "report"), ""]

    def save_dialog(_parent, _caption, start, file_filter):
        asked.append((start, file_filter))
        return answers[len(asked) - 1], file_filter
    monkeypatch.setattr("workstation.ui.actions.QFileDialog.getSaveFileName", save_dialog)
    project = window.project.path
    window.export_actions["xlsx"].trigger()
    assert asked[0] == (str(project.parent / "sample-project-alice.xlsx"), "Excel workbook (*.xlsx)")
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("wrote"), timeout=20_000)
    assert window.statusBar().currentMessage() == f"wrote 1 document(s) to {target / 'report.xlsx'}"
    assert not (target / "report").exists()
    assert load_workbook(target / "report.xlsx")["Documents"].max_row == 2
    window.export_actions["conll"].trigger()
    assert asked[1] == (str(target / "sample-project-alice.conll"), "CoNLL (*.conll *.txt)")
    assert QSettings().value("export/folder") == str(target)


def test_the_layer_box_stays_visible_at_1024_by_700(window: MainWindow, qtbot):
    from workstation.editing.annotations import create_actor
    window.resize(1024, 700)
    window.annotator = "Dilara Yılmaz-Schneider of the Ankara desk"
    window.annotation.set_annotator()
    window.refresh_layers()
    long_name = "The Supreme Coordination Council of the Revolutionary Forces of Northern Syria"
    window.annotation.push(create_actor(window.project.schema, long_name, "REB", "group", "SYR"))
    assert window.annotation.stack.undoText() == f"Add actor {long_name}"
    qtbot.waitUntil(lambda: window.width() == 1024)
    combo = window.layer_choice
    bar = combo.parentWidget()
    assert isinstance(bar, QToolBar) and bar.isVisible() and combo.isVisible()
    assert bar.rect().contains(combo.geometry())
    assert window.rect().contains(bar.geometry()) and bar.geometry().right() < 1024
    assert combo.currentText().startswith("My layer (Dilara")
