"""F1: the keyboard shortcuts and the schema's guidelines in one window that can stay open while annotating
(a modal box had to be closed before the next key could be pressed)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QScrollArea, QTabWidget, QVBoxLayout, QWidget

from workstation.core.guidelines import Guideline
from workstation.ui.guidelines_panel import GuidelinesPanel


class HelpWindow(QDialog):
    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setWindowTitle("Shortcuts and guidelines")
        self.setModal(False)
        self.shortcuts = QLabel(textFormat=Qt.TextFormat.RichText, alignment=Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea(widgetResizable=True)
        scroll.setWidget(self.shortcuts)
        self.guidelines = GuidelinesPanel()
        self.tabs = QTabWidget()
        self.tabs.addTab(scroll, "Shortcuts")
        self.tabs.addTab(self.guidelines, "Guidelines")
        QVBoxLayout(self).addWidget(self.tabs)
        self.resize(560, 620)

    def set_content(self, shortcuts: list[tuple[str, str]], guidelines: list[Guideline]) -> None:
        rows = "".join(f"<tr><td><b>{escape(keys)}</b></td><td>{escape(text)}</td></tr>" for keys, text in shortcuts)
        self.shortcuts.setText(f"<table cellpadding=3>{rows}</table>")
        self.guidelines.set_entries(guidelines)

    def present(self) -> None:
        """Show, or bring back to the front when it is already open behind the main window."""
        self.show()
        self.raise_()
        self.activateWindow()
