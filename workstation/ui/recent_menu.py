"""File ▸ Recent Projects: the projects opened last, kept in the settings, listed afresh each time it opens."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMenu

from workstation.recent import existing, with_recent

if TYPE_CHECKING:
    from workstation.ui.main_window import MainWindow

RECENT_KEY = "recent_projects"


def recent_projects() -> list[str]:
    value = QSettings().value(RECENT_KEY, [], list)
    return [str(entry) for entry in value] if isinstance(value, list) else []


def remember_project(path: Path) -> None:
    QSettings().setValue(RECENT_KEY, with_recent(recent_projects(), path))


class RecentMenu(QMenu):
    """Numbered entries (Alt+1…) with the file name and its folder as tooltip; the open project is not offered."""

    def __init__(self, window: MainWindow):
        super().__init__("Recent &Projects", window)
        self.main_window = window
        self.aboutToShow.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.clear()
        current = self.main_window.project.path.resolve() if self.main_window.project else None
        paths = [path for path in existing(recent_projects()) if path != current]
        for number, path in enumerate(paths, start=1):
            action = self.addAction(f"&{number} {path.name}")
            action.triggered.connect(lambda _checked=False, chosen=path: self.main_window.open_project(chosen))
            action.setToolTip(str(path))
            action.setStatusTip(str(path))
        if not paths:
            self.addAction("No other recent project").setEnabled(False)
        self.addSeparator()
        self.addAction("&Clear the List", self.clear_list).setEnabled(bool(paths))

    def clear_list(self) -> None:
        QSettings().setValue(RECENT_KEY, [])
        self.refresh()
