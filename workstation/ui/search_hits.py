"""The list's search words marked in the shown article, with next/previous hit (F3 / Shift+F3).

Marked as extra selections of the text view, which sit above the spans'
formats without touching them: clearing the search repaints nothing else.
Offsets arrive in code points and are converted to UTF-16 here, at the view.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QColor, QKeySequence, QTextCursor
from PySide6.QtWidgets import QMenuBar, QTextEdit

from workstation.ui.text_view import TextView

HIT_BACKGROUND = QColor("#ffd54f")


class SearchHits(QObject):
    def __init__(self, view: TextView, report: Callable[[str], None]):
        super().__init__(view)
        self.view, self.report = view, report
        self.hits: list[tuple[int, int]] = []
        self.current = -1

    def show(self, hits: list[tuple[int, int]]) -> None:
        """Mark these hits of the text now shown; the next F3 goes to the first."""
        self.hits, self.current = hits, -1
        units = self.view.units
        selections = []
        for start, end in hits:
            selection = QTextEdit.ExtraSelection()
            selection.format.setBackground(HIT_BACKGROUND)
            selection.cursor = QTextCursor(self.view.document())
            selection.cursor.setPosition(units.to_utf16(start))
            selection.cursor.setPosition(units.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
            selections.append(selection)
        self.view.setExtraSelections(selections)

    def step(self, direction: int) -> None:
        """Select the next (+1) or previous (-1) hit, wrapping at either end, and scroll to it."""
        if not self.hits:
            self.report("No search hits in this document")
            return
        self.current = (self.current + direction) % len(self.hits) if self.current >= 0 else \
            (0 if direction > 0 else len(self.hits) - 1)
        self.view.select_span(*self.hits[self.current])
        self.report(f"hit {self.current + 1} of {len(self.hits)}")


def build_search_menu(menu_bar: QMenuBar, focus_search: Callable[[], None], hits: SearchHits) -> dict[str, QAction]:
    """A Search menu, so that F3 and Shift+F3 are listed in the F1 help like every other key."""
    menu = menu_bar.addMenu("&Search")
    actions = {}
    for name, text, keys, handler in (("find", "Search titles and text", QKeySequence.StandardKey.Find, focus_search),
                                      ("next", "Next hit", "F3", lambda: hits.step(1)),
                                      ("previous", "Previous hit", "Shift+F3", lambda: hits.step(-1))):
        action = QAction(text, menu, shortcut=QKeySequence(keys))
        action.triggered.connect(handler)
        menu.addAction(action)
        actions[name] = action
    return actions
