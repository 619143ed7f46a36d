"""Help ▸ About: the versions a bug report needs (app, schema, project, Qt, PySide, spaCy) and the log's path."""

from __future__ import annotations

from typing import TYPE_CHECKING

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QAction, QGuiApplication, QIcon
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from workstation.about import about_facts, facts_text
from workstation.logs import log_path
from workstation.paths import icon

if TYPE_CHECKING:
    from workstation.ui.main_window import MainWindow


def toolkit_versions() -> dict[str, str]:
    return {"Qt": qVersion(), "PySide6": PySide6.__version__}


def window_facts(window: MainWindow | None) -> list[tuple[str, str]]:
    """The facts of a window's project; without a window (an error while starting), those of the app alone."""
    project = window.project if window is not None else None
    rows = about_facts(project.path if project else None, project.schema if project else None, toolkit_versions())
    return [*rows, ("Log file", str(log_path() or "not started"))]


class AboutDialog(QDialog):
    """The facts as selectable text, with a button that copies them all for a mail or an issue."""

    def __init__(self, parent: QWidget, facts: list[tuple[str, str]]):
        super().__init__(parent, windowTitle="About Workstation")
        self.facts = facts
        heading = QLabel("<b>Workstation</b><br>Annotate actors, stances and events in political news.")
        logo = QLabel()
        logo.setPixmap(QIcon(str(icon())).pixmap(64, 64))
        form = QFormLayout()
        for label, value in facts:
            field = QLabel(value, wordWrap=True, textInteractionFlags=Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(f"{label}:", field)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = buttons.addButton("Copy details", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(logo)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(facts_text(self.facts))


def show_about(window: MainWindow) -> AboutDialog:
    dialog = AboutDialog(window, window_facts(window))
    dialog.open()
    return dialog


def build_help_menu(window: MainWindow) -> QAction:
    """Help ▸ About Workstation; returns the action (tests trigger it)."""
    action = QAction("&About Workstation", window, menuRole=QAction.MenuRole.AboutRole)
    action.triggered.connect(lambda: show_about(window))
    window.menuBar().addMenu("&Help").addAction(action)
    return action
