"""The one way to run long work: a QThread, a progress dialog with Cancel, results on the GUI thread.

The operation is a plain function `op(progress, cancelled)` from the core; it
never touches widgets and opens its own database session.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from workstation.core.progress import CancelCheck, Progress

Operation = Callable[[Progress, CancelCheck], Any]


class _Worker(QObject):
    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, operation: Operation, cancel: threading.Event):
        super().__init__()
        self._operation = operation
        self._cancel = cancel

    @Slot()
    def run(self) -> None:
        try:
            result = self._operation(self.progressed.emit, self._cancel.is_set)
        except Exception as error:  # handed to the GUI thread, which decides how to show it
            self.failed.emit(error)
        else:
            self.succeeded.emit(result)


class BackgroundTask(QObject):
    """Runs one operation; `done(result)` or `error(exception)` is emitted on the GUI thread."""

    done = Signal(object)
    error = Signal(object)

    def __init__(self, parent: QWidget, title: str, operation: Operation, quiet: bool = False):
        """`quiet`: no progress dialog, for work the user did not ask for and need not wait on (suggestions
        for the document just shown)."""
        super().__init__(parent)
        self._cancel = threading.Event()
        self._thread = QThread(self)
        self._worker = _Worker(operation, self._cancel)
        self._worker.moveToThread(self._thread)
        self.dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setMinimumDuration(2**31 - 1 if quiet else 300)
        self.dialog.canceled.connect(self._cancel.set)
        self._thread.started.connect(self._worker.run)
        self._worker.progressed.connect(self._show_progress)
        self._worker.succeeded.connect(self._finish_ok)
        self._worker.failed.connect(self._finish_error)

    def start(self) -> None:
        self._thread.start()

    def cancel_and_wait(self) -> None:
        """Ask the operation to stop and wait until it has (its own transaction rolls back): the window that
        owns it is closing, and nothing may be reported to it, nor write to its project, afterwards."""
        self._worker.succeeded.disconnect(self._finish_ok)
        self._worker.failed.disconnect(self._finish_error)
        self._cancel.set()
        self._stop()

    def _show_progress(self, done: int, total: int, message: str) -> None:
        self.dialog.setMaximum(total)
        self.dialog.setValue(done)
        self.dialog.setLabelText(message)

    def _stop(self) -> None:
        self._thread.quit()
        self._thread.wait()
        self.dialog.reset()
        self.dialog.hide()

    def _finish_ok(self, result: object) -> None:
        self._stop()
        self.done.emit(result)
        self.deleteLater()

    def _finish_error(self, error: object) -> None:
        self._stop()
        self.error.emit(error)
        self.deleteLater()
