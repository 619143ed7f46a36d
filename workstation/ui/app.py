"""Start the GUI: check the platform, create the QApplication, open the last (or sample) project."""

from __future__ import annotations

import sys
from pathlib import Path

from workstation.ui.platform_check import display_problem

ORGANISATION = "Workstation"
APPLICATION = "Workstation"
REFUSED = 1
"""Exit status when the project cannot be opened (e.g. another instance holds it): after the message the
process ends, rather than leaving a main window without a project whose buttons do nothing."""


def run_gui(project: Path | None = None) -> int:
    problem = display_problem()
    if problem:
        print(f"workstation: {problem}", file=sys.stderr)
        return 2
    from PySide6.QtWidgets import QApplication, QMessageBox

    from workstation.core.errors import UserError
    from workstation.store.project import open_project
    from workstation.ui.main_window import MainWindow, initial_project
    from workstation.ui.preferences import first_run

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    try:
        opened = open_project(project or initial_project())
    except UserError as error:
        print(f"workstation: {error}", file=sys.stderr)
        QMessageBox.critical(None, "Cannot open the project", str(error))
        return REFUSED
    window = MainWindow()
    window.set_project(opened)
    window.show()
    if first_run():
        window.show_preferences(welcome=True)
    return app.exec()
