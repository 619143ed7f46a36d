"""Engine set-up: every connection gets WAL, foreign keys and a busy timeout."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session

from workstation.store.project_file import configure_connection


def make_engine(path: Path, read_only: bool = False) -> Engine:
    """`read_only` engines refuse every write in SQLite itself: a reader opened beside the GUI's writer (WAL
    lets both work) can never change the project by mistake."""
    # Connections move between the GUI thread and workers through the pool, one user at a time.
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    event.listen(engine, "connect", lambda connection, _record: configure_connection(connection, read_only))
    return engine


def driver_connection(session: Session) -> sqlite3.Connection:
    """The sqlite3 connection under the session's transaction, for bulk reads and writes where SQLAlchemy's
    per-statement and per-row work would cost more than SQLite's own (imports, exports)."""
    return session.connection().connection.dbapi_connection
