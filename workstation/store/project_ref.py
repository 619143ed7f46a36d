"""What names a project: a file's path or a server project's URL (`postgresql+psycopg://user@host/db`).

Told apart without SQLAlchemy: `stats` on a project file, and the error boundary of every command, read it
before SQLAlchemy is imported, or instead of importing it.
"""

from __future__ import annotations

import os
from pathlib import Path

SCHEMES = ("postgresql://", "postgresql+psycopg://", "postgres://")
ProjectRef = str | os.PathLike[str]
"""A project file's path or a server project's URL."""


def is_server_url(ref: ProjectRef) -> bool:
    return isinstance(ref, str) and ref.startswith(SCHEMES)


def project_ref(text: str) -> ProjectRef:
    """A command-line PROJECT: a URL stays text, anything else is a path."""
    return text if is_server_url(text) else Path(text)


def display_url(ref: ProjectRef) -> str:
    """What the app shows and remembers: a file's path, or the URL with any password left out."""
    if not is_server_url(ref):
        return str(ref)
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(str(ref))._replace(password=None).render_as_string(hide_password=False)
    except ArgumentError:
        return str(ref).split("@")[-1]
