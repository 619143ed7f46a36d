"""Start the GUI: check the platform, create the QApplication, open the last (or sample) project.

Before any window opens, the log file is started in the user's data folder, old settings are upgraded and
the exception hook is installed, so that an error from the first project open onwards is logged and shown.
"""

from __future__ import annotations

import logging
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from workstation.ui.platform_check import display_problem

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

    from workstation.store.project_ref import ProjectRef

ORGANISATION = "Workstation"
APPLICATION = "Workstation"
DESKTOP_FILE = "org.workstation.Workstation"
"""The .desktop file's name without its extension: Wayland compositors match the window to its icon by it."""
TERMINATE_CHECK_MS = 250
"""A session that ends (logout, shutdown, `kill`) sends SIGTERM: the windows then close as File ▸ Quit closes
them, so the project is closed and its lock removed. Python runs a signal handler only when it gets control,
which Qt's event loop never gives it: a timer wakes it this often."""
REFUSED = 1
"""Exit status when the project cannot be opened (e.g. another instance holds it): after the message the
process ends, rather than leaving a main window without a project whose buttons do nothing."""


def run_gui(project: ProjectRef | None = None) -> int:
    problem = display_problem()
    if problem:
        print(f"workstation: {problem}", file=sys.stderr)
        return 2
    from PySide6.QtCore import QStandardPaths, QTimer
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication, QMessageBox

    from workstation import __version__
    from workstation.core.errors import UserError
    from workstation.logs import start_log
    from workstation.paths import icon
    from workstation.store.failures import explain_failure
    from workstation.ui.about_dialog import window_facts
    from workstation.ui.crash_dialog import install_exception_hook
    from workstation.ui.main_window import MainWindow, initial_project
    from workstation.ui.preferences import first_run
    from workstation.ui.server_login import open_asking_password
    from workstation.ui.settings_upgrade import upgrade_settings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication), "a QCoreApplication without widgets was created before the GUI"
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(DESKTOP_FILE)
    app.setWindowIcon(QIcon(str(icon())))
    start_log(Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)))
    logging.getLogger("workstation").info("Workstation %s started", __version__)
    upgrade_settings()
    hook = install_exception_hook(lambda: window_facts(None))
    try:
        opened = open_asking_password(None, project or initial_project())
    except Exception as error:
        refusal = error if isinstance(error, UserError) else explain_failure(error, project)
        if refusal is None:
            raise
        print(f"workstation: {refusal}", file=sys.stderr)
        QMessageBox.critical(None, "Cannot open the project", str(refusal))
        return REFUSED
    if opened is None:
        return REFUSED
    window = MainWindow()
    hook.attach(window, lambda: window_facts(window))
    window.set_project(opened)
    signal.signal(signal.SIGTERM, lambda *_: _terminate(app, window))
    wake = QTimer(app, interval=TERMINATE_CHECK_MS)
    wake.timeout.connect(lambda: None)
    wake.start()
    window.show()
    log = logging.getLogger("workstation")
    log.info("window shown on %s", opened.path)
    if first_run():
        window.show_preferences(welcome=True)
    status = app.exec()
    log.info("Workstation closed with status %s", status)
    return status


def _terminate(app: QApplication, window: QWidget) -> None:
    """A desktop session's SIGTERM closes the window as a user would (its project closed, the lock removed), then
    ends the event loop: a dialog open at that moment, such as the first run's welcome, kept the loop running.
    The quit is queued: a signal that arrives before the loop starts would otherwise be lost with it."""
    from PySide6.QtCore import QTimer

    app.closeAllWindows()
    window.close()
    QTimer.singleShot(0, app.quit)


def main() -> int:
    """The `workstation-gui` entry point: an optional project file, as a file manager passes it (`%f`)."""
    arguments = sys.argv[1:]
    return run_gui(Path(arguments[0]) if arguments else None)
