"""What a user meets around the work itself: the About box, the crash dialog and its log, recent projects,
settings from an older version, and a window that closes while an import runs."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

import pytest
from conftest import database_fingerprint
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QGuiApplication, QPainter
from PySide6.QtWidgets import QApplication, QMenu
from test_main_window import window  # noqa: F401  (fixture)

from workstation import __version__
from workstation.about import library_version
from workstation.logs import LOG_NAME, start_log
from workstation.paths import icon
from workstation.recent import RECENT_LIMIT, existing, with_recent
from workstation.store.project import create_project
from workstation.ui.about_dialog import AboutDialog
from workstation.ui.background import BackgroundTask
from workstation.ui.crash_dialog import ExceptionHook
from workstation.ui.main_window import MainWindow
from workstation.ui.recent_menu import RECENT_KEY, RecentMenu
from workstation.ui.settings_upgrade import SETTINGS_VERSION, VERSION_KEY, upgrade_settings


@pytest.fixture
def log_file(tmp_path: Path):
    """The app's log, started in a folder of this test and detached afterwards."""
    path = start_log(tmp_path / "data")
    yield path
    logger = logging.getLogger("workstation")
    for handler in [h for h in logger.handlers if getattr(h, "baseFilename", None) == str(path)]:
        logger.removeHandler(handler)
        handler.close()


def test_about_names_the_versions_the_schema_and_the_project(window: MainWindow, qtbot, log_file, screenshots):
    window.about_action.trigger()
    dialog = window.findChild(AboutDialog)
    qtbot.waitUntil(dialog.isVisible)
    facts = dict(dialog.facts)
    assert facts["Workstation"] == __version__
    assert facts["Project"] == str(window.project.path)
    assert facts["Schema"] == f"{window.project.schema.name} {window.project.schema.version}"
    assert facts["Qt"].startswith("6.") and facts["PySide6"].startswith("6.")
    assert facts["spaCy"] == library_version("spacy") != "not installed"
    assert facts["Log file"] == str(log_file)
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert f"Project: {window.project.path}" in QGuiApplication.clipboard().text()
    dialog.grab().save(str(screenshots / "about.png"))


def failing_edit() -> tuple[type[BaseException], BaseException, object]:
    try:
        {}["no such mention"]
    except KeyError:
        return sys.exc_info()
    raise AssertionError("unreachable")


def test_an_uncaught_error_is_logged_shown_and_copied_and_changes_nothing(window: MainWindow, qtbot, log_file,
                                                                          screenshots):
    path = window.project.path
    before = database_fingerprint(path)
    hook = ExceptionHook(lambda: [])
    hook.attach(window, lambda: [("Project", str(path))])
    hook(*failing_edit())
    dialog = hook.dialog
    qtbot.waitUntil(dialog.isVisible)
    assert "KeyError: 'no such mention'" in dialog.text.toPlainText()
    assert str(log_file) in dialog.message.text() and "KeyError" in dialog.message.text()
    logged = log_file.read_text()
    assert "uncaught error" in logged and "KeyError: 'no such mention'" in logged and f"Project: {path}" in logged
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert "Traceback" in QGuiApplication.clipboard().text()
    hook(*failing_edit())
    assert log_file.read_text().count("uncaught error") == 2 and hook.dialog is dialog, "a second dialog stacked"
    dialog.resize(640, 420)
    dialog.grab().save(str(screenshots / "crash-dialog.png"))
    qtbot.mouseClick(dialog.continue_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and window.project is not None
    assert database_fingerprint(path) == before


def test_quit_from_the_crash_dialog_closes_the_project_and_its_lock(window: MainWindow, qtbot, log_file):
    path = window.project.path
    hook = ExceptionHook(lambda: [])
    hook.attach(window, lambda: [])
    hook(*failing_edit())
    qtbot.waitUntil(hook.dialog.isVisible)
    qtbot.mouseClick(hook.dialog.quit_button, Qt.MouseButton.LeftButton)
    assert not window.isVisible() and window.project is None
    assert not Path(f"{path}.lock").exists()


def test_the_log_rotates_and_is_started_once(tmp_path: Path):
    first = start_log(tmp_path)
    again = start_log(tmp_path)
    logger = logging.getLogger("workstation")
    try:
        assert first == again == tmp_path / LOG_NAME
        assert [getattr(h, "baseFilename", None) for h in logger.handlers].count(str(first)) == 1
        handler = next(h for h in logger.handlers if getattr(h, "baseFilename", None) == str(first))
        assert handler.maxBytes > 0 and handler.backupCount > 0
    finally:
        for handler in [h for h in logger.handlers if getattr(h, "baseFilename", None) == str(first)]:
            logger.removeHandler(handler)
            handler.close()


def test_recent_list_is_most_recent_first_without_duplicates(tmp_path: Path):
    a, b = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    recent = with_recent(with_recent(with_recent([], a), b), a)
    assert recent == [str(a.resolve()), str(b.resolve())]
    many = [str(tmp_path / f"{n}.sqlite") for n in range(20)]
    assert len(with_recent(many, a)) == RECENT_LIMIT
    a.write_text("")
    assert existing(recent) == [a.resolve()]


def compose(window: MainWindow, *menus: QMenu):
    """The window with its open menus drawn where they are on screen (each menu is a window of its own)."""
    image = window.grab().toImage()
    painter = QPainter(image)
    for menu in menus:
        painter.drawPixmap(window.mapFromGlobal(menu.pos()), menu.grab())
    painter.end()
    return image


def test_recent_projects_reopen_in_one_click(window: MainWindow, qtbot, tmp_path: Path, screenshots):
    sample = window.project.path
    for name in ("elections-2020.sqlite", "idlib-gold.sqlite"):
        create_project(tmp_path / name).close()
        assert window.open_project(tmp_path / name)
    create_project(tmp_path / "gone.sqlite").close()
    assert window.open_project(tmp_path / "gone.sqlite")
    assert window.open_project(tmp_path / "idlib-gold.sqlite")
    (tmp_path / "gone.sqlite").unlink()
    assert window.project_label.text() == str(tmp_path / "idlib-gold.sqlite")
    menu = window.findChild(RecentMenu)
    menu.refresh()
    entries = [action.text() for action in menu.actions() if not action.isSeparator()]
    assert entries == ["&1 elections-2020.sqlite", f"&2 {sample.name}", "&Clear the List"]
    file_menu = window.menuBar().actions()[0].menu()
    file_menu.popup(window.mapToGlobal(QPoint(0, window.menuBar().height())))
    menu.popup(file_menu.pos() + QPoint(file_menu.width(), file_menu.actionGeometry(menu.menuAction()).top()))
    qtbot.waitUntil(menu.isVisible)
    compose(window, file_menu, menu).save(str(screenshots / "recent-projects.png"))
    menu.actions()[0].trigger()
    file_menu.close()
    assert window.project.path.resolve() == (tmp_path / "elections-2020.sqlite").resolve()
    menu.clear_list()
    assert QSettings().value(RECENT_KEY, [], list) == []


def test_settings_of_version_1_are_upgraded_once(isolated_qt, tmp_path: Path):
    settings = QSettings()
    settings.setValue("last_project", str(tmp_path / "old.sqlite"))
    settings.setValue("annotator", "Dilara")
    assert upgrade_settings() == 1
    assert settings.value(RECENT_KEY, [], list) == [str(tmp_path / "old.sqlite")]
    assert settings.value(VERSION_KEY, 0, int) == SETTINGS_VERSION
    settings.setValue(RECENT_KEY, [])
    assert upgrade_settings() == SETTINGS_VERSION
    assert settings.value(RECENT_KEY, [], list) == [] and settings.value("annotator") == "Dilara"


def test_fresh_settings_start_at_the_current_version(isolated_qt):
    assert upgrade_settings() == SETTINGS_VERSION
    assert QSettings().value(VERSION_KEY, 0, int) == SETTINGS_VERSION


def test_closing_the_window_cancels_and_waits_for_its_background_work(window: MainWindow, qtbot):
    started, stopped = threading.Event(), threading.Event()
    reported = []

    def long_work(progress, cancelled):
        started.set()
        while not cancelled():
            stopped.wait(0.01)
        stopped.set()

    task = BackgroundTask(window, "Working…", long_work)
    task.done.connect(reported.append)
    task.start()
    assert started.wait(10)
    window.close()
    assert stopped.is_set() and window.project is None
    QApplication.processEvents()
    assert reported == []


def test_the_icon_ships_as_svg_and_pngs():
    assert icon().read_text(encoding="utf-8").startswith("<svg")
    for size in (16, 32, 48, 64, 128, 256):
        assert icon(size).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
