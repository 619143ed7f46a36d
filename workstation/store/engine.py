"""Engine set-up: every SQLite connection gets WAL, foreign keys and a busy timeout; raw SQL with `?` marks
runs on both SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from workstation.store.project_file import configure_connection


def make_engine(path: Path, read_only: bool = False) -> Engine:
    """`read_only` engines refuse every write in SQLite itself: a reader opened beside the GUI's writer (WAL
    lets both work) can never change the project by mistake."""
    # Connections move between the GUI thread and workers through the pool, one user at a time.
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    event.listen(engine, "connect", lambda connection, _record: configure_connection(connection, read_only))
    return engine


def is_server(session: Session) -> bool:
    """The session works on a PostgreSQL server project (else an SQLite file)."""
    return session.get_bind().dialect.name == "postgresql"


def driver_sql(sql: str, dialect: Dialect) -> str:
    """Our raw SQL marks its parameters with `?` (sqlite3's style); psycopg wants `%s`. The SQL we write holds
    no literal `?` or `%`, so the marks are all there is to change."""
    return sql.replace("?", "%s") if dialect.paramstyle in ("format", "pyformat") else sql


class DriverConnection:
    """The DBAPI connection under the session's transaction, for bulk reads and writes where SQLAlchemy's
    per-statement and per-row work would cost more than the database's own (imports, exports)."""

    def __init__(self, session: Session):
        connection = session.connection()
        self._dialect = connection.dialect
        self._connection: Any = connection.connection.dbapi_connection

    def execute(self, sql: str, params: Any = ()) -> Any:
        """A cursor over the rows (sqlite3 and psycopg cursors both iterate and `fetchone`)."""
        return self._connection.execute(driver_sql(sql, self._dialect), params)


def driver_connection(session: Session) -> DriverConnection:
    return DriverConnection(session)
