"""The Team menu: what a supervisor does with several annotators' work, each in its own window.

All of these stay open beside the main window (never modal), so the
supervisor can keep reading documents while a dashboard or a merge is open.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from workstation.ui.agreement_dashboard import AgreementDashboard
from workstation.ui.package_dialogs import MergeDialog, PackageDialog

if TYPE_CHECKING:
    from workstation.ui.main_window import MainWindow


def _show(window: MainWindow, dialog: QWidget) -> QWidget:
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    window.team_dialog = dialog
    return dialog


def build_team_menu(window: MainWindow) -> None:
    menu = window.menuBar().addMenu("&Team")
    window.team_dialog = None
    window.team_actions = {}
    entries = (
        ("package", "Cut &Work Packages…", lambda: PackageDialog(window)),
        ("merge", "&Merge Packages…", lambda: MergeDialog(window)),
        ("agreement", "&Agreement and Progress…", lambda: AgreementDashboard(window.project, window)),
    )
    for key, text, make in entries:
        action = QAction(text, window)
        action.triggered.connect(lambda _checked=False, make=make: window.project and _show(window, make()))
        menu.addAction(action)
        window.team_actions[key] = action
