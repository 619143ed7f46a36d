"""Preferences: who is annotating on this laptop, token snapping, text size (per user, in QSettings)
and the project's date order (stored in the project, because it changes how its articles are read).

On first run the dialog opens by itself so that the first edit is made under a
real name rather than the login name of a shared laptop.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from workstation.store.models import GOLD

DEFAULT_FONT_SIZE = 11
DATE_ORDERS = ("day-first", "month-first")


@dataclass(frozen=True)
class Preferences:
    annotator: str
    snapping: bool = True
    font_size: int = DEFAULT_FONT_SIZE
    date_order: str = "day-first"


def stored_preferences(date_order: str = "day-first") -> Preferences:
    settings = QSettings()
    return Preferences(annotator=settings.value("annotator", "", str) or getpass.getuser(),
                       snapping=settings.value("snapping", True, bool),
                       font_size=settings.value("font_size", DEFAULT_FONT_SIZE, int), date_order=date_order)


def first_run() -> bool:
    return not QSettings().contains("annotator")


def store_preferences(preferences: Preferences) -> None:
    settings = QSettings()
    settings.setValue("annotator", preferences.annotator)
    settings.setValue("snapping", preferences.snapping)
    settings.setValue("font_size", preferences.font_size)


class PreferencesDialog(QDialog):
    def __init__(self, parent: QWidget, current: Preferences, welcome: bool = False):
        super().__init__(parent)
        self.setWindowTitle("Welcome to Workstation" if welcome else "Preferences")
        form = QFormLayout(self)
        if welcome:
            form.addRow(QLabel("Who is annotating on this computer? Your name marks your layer and is how a "
                               "supervisor tells your work from others'.", wordWrap=True))
        self.annotator = QLineEdit(current.annotator)
        self.problem = QLabel(styleSheet="color: #b00020")
        self.snapping = QCheckBox("Snap selections to whole tokens", checked=current.snapping)
        self.font_size = QSpinBox(minimum=8, maximum=32, value=current.font_size, suffix=" pt")
        self.date_order = QComboBox()
        self.date_order.addItems(DATE_ORDERS)
        self.date_order.setCurrentText(current.date_order)
        self.date_order.setToolTip("How this project reads dates such as 05/02/2020 (a project setting)")
        for label, widget in (("Annotator name", self.annotator), ("", self.problem), ("Selections", self.snapping),
                              ("Text size", self.font_size), ("Date order", self.date_order)):
            form.addRow(label, widget)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.annotator.textChanged.connect(self._check)
        self._check()
        self.annotator.selectAll()
        self.annotator.setFocus()

    def _check(self) -> None:
        """The name must be there and must not be the reserved gold layer."""
        name = self.annotator.text().strip()
        problem = "A name is needed" if not name else \
            f"'{GOLD}' is the adjudicated layer, not a person" if name.lower() == GOLD else ""
        self.problem.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)

    def preferences(self) -> Preferences:
        return Preferences(self.annotator.text().strip(), self.snapping.isChecked(), self.font_size.value(),
                           self.date_order.currentText())
