"""Others' changes on screen without reopening: the server's notices (`editing/change_feed.py`) applied to the
window as they arrive.

The feed's connection is watched by a socket notifier in the GUI thread: nothing polls, and a notice is
handled when the event loop is idle. The document list reads again when documents or statuses changed, the
registry when entries changed, everything when the supervisor changed what annotators may read (the layers
one may see), and the open document takes the items changed in the layer it shows (another's read-only layer,
gold, or one's own when the supervisor wrote in it) through the same `changed` signal as an edit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSocketNotifier

from workstation.editing.change_feed import ChangeFeed
from workstation.store.project import Project

if TYPE_CHECKING:
    from workstation.ui.main_window import MainWindow


class LiveUpdates(QObject):
    def __init__(self, window: MainWindow, project: Project):
        super().__init__(window)
        self.window = window
        self.feed = ChangeFeed(project)
        self.notifier = QSocketNotifier(self.feed.fileno(), QSocketNotifier.Type.Read, self)
        self.notifier.activated.connect(self.arrived)

    def arrived(self) -> None:
        changes = self.feed.take()
        if not changes:
            return
        window, workspace = self.window, self.window.workspace
        if changes.rights:
            workspace.reloaded.emit()
            return
        if changes.items:
            workspace.forget_missing_layers()
        if changes.documents:
            window.refresh_documents()
        if changes.registry:
            window.actors.refresh()
        shown = (workspace.document_id, workspace.shown_annotator_id())
        if shown in changes.items:
            workspace.changed.emit(changes.items[shown])

    def close(self) -> None:
        self.notifier.setEnabled(False)
        self.feed.close()
