"""The main window as a user meets it: first run on the sample project, search, import in the background."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest
from conftest import DATA, REPO
from PySide6.QtCore import QSettings, QStandardPaths, Qt

from workstation.ui.actions import run_import
from workstation.ui.main_window import MainWindow, initial_project



@pytest.fixture
def isolated_qt(tmp_path: Path, qapp):
    QStandardPaths.setTestModeEnabled(True)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    qapp.setOrganizationName("WorkstationTests")
    qapp.setApplicationName(f"test-{uuid.uuid4().hex}")
    yield
    QSettings().clear()
    shutil.rmtree(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation),
                  ignore_errors=True)


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
    assert menus == ["&File", "&Export", "&Annotate", "&Team", "&Search"]
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
    from workstation.ui.highlighter import colour_for
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
    colours = {r.format.background().color().name() for r in ranges}
    assert colour_for("THREATEN").name() in colours and colour_for("GOV").name() in colours
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
