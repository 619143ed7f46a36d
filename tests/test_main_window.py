"""The main window as a user meets it: first run on the sample project, search and its hits, import in the
background, the F1 help and the guidelines, one instance per project."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from conftest import DATA, REPO
from PySide6.QtCore import QSettings, Qt
from test_search_hits import ODD_TEXT, add_odd_document

from workstation.core.schema import default_schema
from workstation.ui.actions import run_import
from workstation.ui.main_window import MainWindow, initial_project


@pytest.fixture
def window(qtbot, isolated_qt):
    win = MainWindow()
    qtbot.addWidget(win)
    win.open_project(initial_project())
    win.show()
    yield win
    win.close()


def visible_titles(win: MainWindow) -> list[str]:
    model = win.table.model()
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def test_first_run_opens_the_sample_project(window: MainWindow, screenshots):
    assert visible_titles(window) == ["Erdogan Threatens to Use Force Against Syrian Military in Idlib"]
    model = window.table.model()
    assert model.index(0, 1).data() == "2020-02-05 ?"
    assert model.index(0, 2).data() == "new"
    assert "Erdogan Threatens" in window.heading.text() and "2020-02-05 (ambiguous)" in window.heading.text()
    assert window.text_view.toPlainText().startswith("\n\n---\n\n**Erdogan Threatens")
    assert window.windowTitle().startswith("sample-project.sqlite")
    window.resize(1200, 700)
    window.grab().save(str(screenshots / "main-window-sample.png"))


def test_import_runs_in_background_and_search_filters(window: MainWindow, qtbot):
    task = run_import(window, [DATA / "two_layers.jsonl"])
    with qtbot.waitSignal(task.done, timeout=10_000):
        pass
    assert "2 document(s) added" in window.statusBar().currentMessage()
    assert len(visible_titles(window)) == 3
    qtbot.keyClicks(window.search, "deni")
    assert visible_titles(window) == ["Erdogan threatens"]
    window.search.clear()
    qtbot.keyClicks(window.search, 'idlib "AND (')
    assert visible_titles(window) == ["Erdogan Threatens to Use Force Against Syrian Military in Idlib"]
    window.search.clear()
    assert len(visible_titles(window)) == 3


def test_failed_import_is_reported_and_changes_nothing(window: MainWindow, qtbot, tmp_path: Path, monkeypatch):
    warnings = []
    monkeypatch.setattr("workstation.ui.main_window.QMessageBox.warning",
                        lambda _parent, title, text: warnings.append((title, text)))
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x"}\n{oops\n')
    task = run_import(window, [bad])
    with qtbot.waitSignal(task.error, timeout=10_000):
        pass
    assert warnings and "bad.jsonl:2: malformed JSON" in warnings[0][1]
    assert len(visible_titles(window)) == 1


def test_last_project_and_layout_are_remembered(window: MainWindow):
    path = window.project.path
    window.close()
    assert QSettings().value("last_project") == str(path)
    assert QSettings().value("window/splitter") is not None
    assert initial_project() == path


def test_selecting_a_document_shows_it(window: MainWindow, qtbot):
    task = run_import(window, [DATA / "two_layers.jsonl"])
    with qtbot.waitSignal(task.done, timeout=10_000):
        pass
    window.table.selectRow(2)
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton,
                     pos=window.table.visualRect(window.table.model().index(1, 0)).center())
    assert window.text_view.toPlainText().startswith("Turkish President Erdogan")


STARTUP_PROBE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from workstation.ui.app import run_gui
from workstation.ui.main_window import MainWindow

app = QApplication(sys.argv[:1])

def report_and_close():
    for window in QApplication.topLevelWidgets():
        if isinstance(window, MainWindow) and window.isVisible():
            model = window.table.model()
            print("TITLES", [model.index(row, 0).data() for row in range(model.rowCount())])
            window.close()
    app.quit()

QTimer.singleShot(0, report_and_close)
sys.exit(run_gui())
"""


def test_first_start_in_a_fresh_home_shows_the_sample_project(tmp_path: Path):
    """The `make run` path in its own process: no settings yet, so the sample project is created and shown."""
    import os
    import subprocess
    import sys
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", STARTUP_PROBE], capture_output=True, text=True, env=env,
                            cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "TITLES ['Erdogan Threatens to Use Force Against Syrian Military in Idlib']" in result.stdout
    assert list((tmp_path / "data").rglob("sample-project.sqlite"))
    assert "Workstation 0.1.0 started" in next((tmp_path / "data").rglob("workstation.log")).read_text()


def test_missing_display_is_explained(monkeypatch):
    from workstation.ui import platform_check
    monkeypatch.setattr(platform_check.sys, "platform", "linux")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert "no display found" in platform_check.display_problem()
    monkeypatch.setenv("DISPLAY", ":99")
    monkeypatch.setattr(platform_check.ctypes.util, "find_library", lambda name: None if name == "xcb-cursor" else name)
    assert platform_check.display_problem().endswith("sudo apt-get install libxcb-cursor0")
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert platform_check.display_problem() is None


def test_export_menu_writes_a_report_in_the_background(window: MainWindow, qtbot, tmp_path: Path, screenshots):
    from openpyxl import load_workbook

    from workstation.formats.exporting import ExportOptions
    from workstation.ui.actions import run_export
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus == ["&File", "&Export", "&View", "&Annotate", "S&uggestions", "&Team", "&Search", "&Help"]
    export_menu = window.menuBar().actions()[1].menu()
    export_menu.adjustSize()
    export_menu.grab().save(str(screenshots / "export-menu.png"))
    assert [a.text() for a in window.export_actions.values()] == [
        "Native JSONL (lossless)…", "spaCy DocBin…", "Prodigy JSONL…", "CoNLL-2003 (IOB2)…",
        "brat standoff folder…", "Excel report…"]
    out = tmp_path / "report.xlsx"
    task = run_export(window, "xlsx", out, ExportOptions())
    with qtbot.waitSignal(task.done, timeout=20_000):
        pass
    assert window.statusBar().currentMessage() == f"wrote 1 document(s) to {out}"
    assert load_workbook(out)["Documents"].max_row == 2


def test_the_annotators_layer_is_painted_in_the_text(window: MainWindow, qtbot, screenshots):
    from workstation.editing.annotations import create_actor
    from workstation.editing.editor import Editor
    window.annotator = "alice"
    editor = Editor(window.project, "alice")
    summary = window.model.summary(0)
    text = window.text_view.toPlainText()
    erdogan = create_actor(window.project.schema, "Recep Tayyip Erdogan", "GOV", "person", "TUR")
    syria = create_actor(window.project.schema, "Syrian military", "MIL", "organization", "SYR")
    editor.run(erdogan)
    editor.run(syria)
    with editor.layer(summary.id) as layer:
        for word, actor in (("Erdogan", erdogan), ("Syrian Military", syria), ("Turkish President Recep Tayyip "
                                                                                "Erdogan", erdogan)):
            start = text.index(word)
            editor.run(layer.create_mention(start, start + len(word), "NAME", actor.rows[0][1]["id"]))
        start = text.index("Erdogan", text.index("Recep"))
        editor.run(layer.create_mention(start, start + 7, "NAME", erdogan.rows[0][1]["id"]))
        trigger = text.index("threatened")
        editor.run(layer.create_event("THREATEN", (trigger, trigger + 10), {"realis": "actual"}))
    window.refresh_documents()
    window.table.selectRow(0)
    window._show_document(window.table.model().index(0, 0))
    assert window.table.model().index(0, 3).data() == 4
    block = window.text_view.document().findBlock(trigger)
    ranges = block.layout().formats()
    palette = window.text_view.painter.colours
    fills = {r.format.background().color().name() for r in ranges}
    underlines = {r.format.underlineColor().name() for r in ranges if r.format.fontUnderline()}
    assert palette.fill("GOV").name() in fills and palette.fill("THREATEN").name() not in fills
    assert palette.colour("THREATEN").darker(130).name() in underlines
    window.resize(1200, 700)
    window.grab().save(str(screenshots / "main-window-spans.png"))


REFUSED_PROBE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox
from workstation.cli import main

app = QApplication(sys.argv[:1])

def answer_the_message():
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox) and widget.isVisible():
            print("MESSAGE", widget.text(), flush=True)
            widget.accept()

timer = QTimer(interval=50, timeout=answer_the_message)
timer.start()
status = main(["gui", sys.argv[1]])
print("WINDOWS", [type(w).__name__ for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow)])
sys.exit(status)
"""


def test_a_second_instance_shows_its_message_and_exits(project_path: Path, tmp_path: Path):
    """The project is held by this process; the GUI started on it says so and ends, leaving no empty window."""
    import os
    import subprocess
    import sys

    from workstation.store.project import open_project
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "QT_QPA_PLATFORM": "offscreen"}
    with open_project(project_path):
        result = subprocess.run([sys.executable, "-c", REFUSED_PROBE, str(project_path)], capture_output=True,
                                text=True, env=env, cwd=REPO, timeout=120)
    assert result.returncode == 1, result.stderr
    assert f"MESSAGE {project_path}: the project is already open in another Workstation (process {os.getpid()})" \
        in result.stdout
    assert "WINDOWS []" in result.stdout
    assert "already open in another Workstation" in result.stderr and "Traceback" not in result.stderr


def test_a_clean_close_removes_the_lock_file(window: MainWindow):
    from workstation.store.project import open_project
    path = window.project.path
    lock = Path(f"{path}.lock")
    assert lock.is_file()
    window.close()
    assert not lock.exists()
    with open_project(path):
        assert lock.is_file()
    assert not lock.exists()


def test_f1_shows_shortcuts_and_searchable_guidelines(window: MainWindow, qtbot, screenshots):
    qtbot.keyClick(window.text_view, Qt.Key.Key_F1)
    help_window = window.annotation.help
    qtbot.waitUntil(help_window.isVisible)
    tabs = help_window.tabs
    assert [tabs.tabText(index) for index in range(tabs.count())] == ["Shortcuts", "Guidelines"]
    assert "NAME mention" in help_window.shortcuts.text() and "Next hit" in help_window.shortcuts.text()
    tabs.setCurrentIndex(1)
    panel = help_window.guidelines
    total = len(panel.entries)
    assert panel.count.text() == f"{total} of {total} entries"
    qtbot.keyClicks(panel.filter, "attack")
    assert {entry.name for entry in panel.shown} == {"ASSAULT", "Rule 4"}
    shown = panel.browser.toPlainText()
    assert "ASSAULT — attacks, shelling, strikes" in shown and "Casualty verbs" in shown and "NOMINAL" not in shown
    assert panel.count.text() == f"2 of {total} entries"
    help_window.resize(620, 520)
    help_window.grab().save(str(screenshots / "guidelines.png"))
    panel.filter.clear()
    qtbot.keyClicks(panel.filter, "no-such-word")
    assert panel.browser.toPlainText() == "Nothing matches the filter."
    qtbot.keyClick(window.text_view, Qt.Key.Key_F1)
    assert window.annotation.help is help_window and help_window.isVisible()


def test_the_guidelines_tab_and_the_mention_menu_explain_the_types(window: MainWindow, qtbot):
    side = window.side
    assert [side.tabText(index) for index in range(side.count())][-1] == "Guidelines"
    side.setCurrentWidget(window.guidelines)
    qtbot.keyClicks(window.guidelines.filter, "nominal")
    assert "NOMINAL — common-noun description" in window.guidelines.browser.toPlainText()
    menu = window.annotation.menu
    tips = {action.text(): action.toolTip() for action in menu.actions()}
    assert tips["NOMINAL mention"] == default_schema().mention_types["NOMINAL"]
    assert menu.toolTipsVisible()


def test_hits_are_marked_and_f3_steps_through_them(window: MainWindow, qtbot, tmp_path: Path):
    add_odd_document(window.project, tmp_path)
    window.refresh_documents()
    qtbot.keyClicks(window.search, "mexico")
    assert visible_titles(window) == ["Odd characters"]
    assert window.heading.text() == "Odd characters"
    view = window.text_view
    marked = [selection.cursor.selectedText() for selection in view.extraSelections()]
    assert marked == ["Mex\u0303ico", "mexico", "MEXICO", "Méxicos"]
    assert window.statusBar().currentMessage() == "1 document(s); 4 hit(s) in the shown one (F3: next)"
    seen = []
    for _ in range(5):
        qtbot.keyClick(view, Qt.Key.Key_F3)
        seen.append((view.textCursor().selectedText(), window.statusBar().currentMessage()))
    assert seen == [("Mex\u0303ico", "hit 1 of 4"), ("mexico", "hit 2 of 4"), ("MEXICO", "hit 3 of 4"),
                    ("Méxicos", "hit 4 of 4"), ("Mex\u0303ico", "hit 1 of 4")]
    qtbot.keyClick(view, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert view.textCursor().selectedText() == "Méxicos" and window.statusBar().currentMessage() == "hit 4 of 4"
    assert view.selected_span(snap=False) == (ODD_TEXT.index("Méxicos"), ODD_TEXT.index("Méxicos") + 7)
    window.search.clear()
    assert view.extraSelections() == [] and len(visible_titles(window)) == 2


def test_no_result_clears_the_article_and_the_heading(window: MainWindow, qtbot):
    assert window.text_view.toPlainText()
    qtbot.keyClicks(window.search, "zzyzx")
    assert visible_titles(window) == []
    assert window.text_view.toPlainText() == "" and window.heading.text() == ""
    assert window.workspace.document_id is None and window.text_view.extraSelections() == []
    qtbot.keyClick(window.text_view, Qt.Key.Key_F3)
    assert window.statusBar().currentMessage() == "No search hits in this document"
    window.search.clear()
    assert window.text_view.toPlainText().startswith("\n\n---\n\n**Erdogan Threatens")
    assert window.heading.text().startswith("Erdogan Threatens")


def test_search_hits_in_the_sample_article(window: MainWindow, qtbot, screenshots):
    qtbot.keyClick(window.text_view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search.hasFocus()
    qtbot.keyClicks(window.search, "syria")
    text = window.text_view.text
    marked = [selection.cursor.selectedText() for selection in window.text_view.extraSelections()]
    assert marked and {word.casefold() for word in marked} <= {"syria", "syrian", "syria's"}
    assert len(marked) == text.casefold().count("syria")
    qtbot.keyClick(window.text_view, Qt.Key.Key_F3)
    qtbot.keyClick(window.text_view, Qt.Key.Key_F3)
    assert window.statusBar().currentMessage() == f"hit 2 of {len(marked)}"
    window.resize(1200, 700)
    window.grab().save(str(screenshots / "search-hits.png"))


def test_the_token_index_is_set_apart_from_the_cycle_collector(window: MainWindow):
    """Built at the first selection, it lives as long as the text: the collector must not walk it again."""
    frozen = gc.get_freeze_count()
    try:
        window.text_view.select_span(0, 5)
        assert window.text_view.selected_span() is not None
        assert gc.get_freeze_count() > frozen
    finally:
        gc.unfreeze()
