"""When the app hits a bug: log it, tell the user what happened and where the log is, let them copy the details.

Edits are committed one transaction at a time, so an error in the middle of one leaves the project as it was
before that edit; the dialog says so and offers to go on or to quit. Quitting closes the window the normal way
(the project is closed and its lock removed), never `os._exit`, so no file is left half-written.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from workstation.crash_report import crash_details, crash_summary
from workstation.logs import log_path
from workstation.store.failures import explain_failure

Facts = Callable[[], list[tuple[str, str]]]
log = logging.getLogger("workstation.crash")


class CrashDialog(QDialog):
    def __init__(self, parent: QWidget | None, summary: str, details: str, log_file: str):
        super().__init__(parent, windowTitle="Workstation hit a bug")
        self.details = details
        self.message = QLabel(
            f"<b>Something went wrong:</b> {_escaped(summary)}<br><br>"
            "Your annotations up to the last finished edit are saved in the project; the edit that failed was "
            "not stored. You can go on working, or quit and start again.<br><br>"
            f"The details are in the log file:<br><code>{_escaped(log_file)}</code>", wordWrap=True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text = QPlainTextEdit(details, readOnly=True)
        self.text.setMinimumSize(560, 180)
        buttons = QDialogButtonBox()
        self.copy_button = buttons.addButton("Copy details", QDialogButtonBox.ButtonRole.ActionRole)
        self.quit_button = buttons.addButton("Quit", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.continue_button = buttons.addButton("Continue", QDialogButtonBox.ButtonRole.AcceptRole)
        self.continue_button.setDefault(True)
        self.copy_button.clicked.connect(self.copy)
        self.quit_button.clicked.connect(self._quit)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.text)
        layout.addWidget(buttons)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.details)

    def _quit(self) -> None:
        """Close every window the normal way (each closes its project), then leave the event loop."""
        self.accept()
        QApplication.closeAllWindows()
        QApplication.quit()


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class ExceptionHook:
    """Installed as `sys.excepthook`: every uncaught error in a slot or event handler is logged and shown once;
    errors raised while its dialog is open are logged only, so a failing paint event cannot stack dialogs."""

    def __init__(self, facts: Facts):
        self.facts = facts
        self.parent: QWidget | None = None
        self.dialog: CrashDialog | None = None

    def attach(self, parent: QWidget, facts: Facts) -> None:
        """Once the main window exists, dialogs open over it and reports name its project."""
        self.parent, self.facts = parent, facts

    def __call__(self, kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        """A disk, permission or damaged-file error gets one plain dialog naming the file and the cure; a bug
        gets the crash dialog with the log."""
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        details = crash_details(kind, error, trace, self.facts())
        log.error("uncaught error\n%s", details)
        project = getattr(getattr(self.parent, "project", None), "path", None)
        explained = explain_failure(error, project)
        if explained is not None:
            QMessageBox.warning(self.parent, "Workstation", str(explained))
            return
        if self.dialog is not None and self.dialog.isVisible():
            return
        self.dialog = CrashDialog(self.parent, crash_summary(kind, error), details, str(log_path() or "none"))
        self.dialog.open()


def install_exception_hook(facts: Facts) -> ExceptionHook:
    hook = ExceptionHook(facts)
    sys.excepthook = hook
    return hook
