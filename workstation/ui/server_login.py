"""Opening a server project from the GUI: the URL from a dialog, the password from `~/.pgpass` or a prompt.

The password typed here serves the one connection pool of the project being opened: it is not written to
the settings, the recent list or the log (they get the URL without it).
"""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from workstation.store.project import Project, open_project
from workstation.store.project_ref import ProjectRef, display_url, is_server_url
from workstation.store.server import needs_password

LAST_SERVER_KEY = "last_server_project"
URL_HINT = "postgresql+psycopg://user@host:5432/database"


def ask_server_url(parent: QWidget) -> str | None:
    """The URL of a server project, prefilled with the last one opened; None when cancelled or not a URL."""
    last = str(QSettings().value(LAST_SERVER_KEY, URL_HINT, str))
    url, accepted = QInputDialog.getText(
        parent, "Open server project", "PostgreSQL URL of the project (the password comes from ~/.pgpass, or "
        "you are asked for it):", QLineEdit.EchoMode.Normal, last)
    url = url.strip()
    return url if accepted and url else None


def open_asking_password(parent: QWidget | None, ref: ProjectRef) -> Project | None:
    """Open the project; a server that wants a password gets one from a dialog (None when cancelled). Any other
    refusal is raised for the caller's message."""
    try:
        project = open_project(ref)
    except Exception as error:
        if not (is_server_url(ref) and needs_password(error)):
            raise
        password, accepted = QInputDialog.getText(parent, "Server password", f"Password for {display_url(ref)}:",
                                                  QLineEdit.EchoMode.Password)
        if not accepted:
            return None
        project = open_project(ref, password=password)
    if project.server:
        QSettings().setValue(LAST_SERVER_KEY, project.location)
    return project
