"""Start the GUI: check the platform, create the QApplication, open the last (or sample) project."""

from __future__ import annotations

import sys
from pathlib import Path

from workstation.ui.platform_check import display_problem

ORGANISATION = "Workstation"
APPLICATION = "Workstation"


def run_gui(project: Path | None = None) -> int:
    problem = display_problem()
    if problem:
        print(f"workstation: {problem}", file=sys.stderr)
        return 2
    from PySide6.QtWidgets import QApplication

    from workstation.ui.main_window import MainWindow, initial_project
    from workstation.ui.preferences import first_run

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    window = MainWindow()
    window.open_project(project or initial_project())
    window.show()
    if first_run():
        window.show_preferences(welcome=True)
    return app.exec()
