"""The schema's guidelines beside the text (a side tab) and in the F1 help window, with a filter field.

An annotator looks a definition up in the middle of a sentence; typing a few
letters ("nominal", "casualty") must bring the entry up without scrolling
through fifty event types.
"""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QLabel, QLineEdit, QTextBrowser, QVBoxLayout, QWidget

from workstation.core.guidelines import Guideline, filter_guidelines


class GuidelinesPanel(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.filter = QLineEdit(placeholderText="Filter the guidelines…", clearButtonEnabled=True)
        self.filter.textChanged.connect(self._render)
        self.count = QLabel()
        self.browser = QTextBrowser(openLinks=False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        for widget in (self.filter, self.count, self.browser):
            layout.addWidget(widget)
        self.entries: list[Guideline] = []
        self.shown: list[Guideline] = []

    def set_entries(self, entries: list[Guideline]) -> None:
        self.entries = entries
        self._render()

    def _render(self) -> None:
        self.shown = filter_guidelines(self.entries, self.filter.text())
        self.count.setText(f"{len(self.shown)} of {len(self.entries)} entries")
        parts: list[str] = []
        section = None
        for entry in self.shown:
            if entry.section != section:
                section = entry.section
                parts.append(f"<h3>{escape(section)}</h3>")
            definition = escape(entry.definition) if entry.definition else "<i>no definition in the schema</i>"
            details = f"<br><span style='color:#555'>{escape(entry.details)}</span>" if entry.details else ""
            parts.append(f"<p><b>{escape(entry.name)}</b> — {definition}{details}</p>")
        if not self.shown:
            parts.append("<p><i>Nothing matches the filter.</i></p>" if self.entries
                         else "<p><i>This project's schema has no guidelines.</i></p>")
        self.browser.setHtml("".join(parts))
