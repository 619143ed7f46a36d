"""A project file as SQLite sees it, read without SQLAlchemy: is it one of ours, is it whole, which revision,
and a configured connection to it.

`open_project` starts here, and so does `stats`, which reads a few counts and must answer before SQLAlchemy
would have finished importing (about half a second on this kind of machine).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from workstation.core.errors import UserError
from workstation.store.failures import damaged, explain_failure
from workstation.store.output_guard import SQLITE_MAGIC

BUSY_TIMEOUT_MS = 5000
OPEN_CHECK_SECONDS = 0.25
"""How long opening a project spends in SQLite's `quick_check`: all of a small project, which is most of them;
the first part of a large one (it reads every page: about 1 s per 100 MB, which `stats` and start-up would wait
for on every run). A damaged page found later is still reported in one line by the command that meets it, and
`check` reads every page."""


def configure_connection(connection: sqlite3.Connection, read_only: bool = False) -> None:
    """What every connection to a project gets: WAL, foreign keys and a busy timeout; `read_only` connections
    refuse every write in SQLite itself, so a reader opened beside the GUI's writer (WAL lets both work) can
    never change the project by mistake."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    if read_only:
        cursor.execute("PRAGMA query_only=ON")
    cursor.close()


def stored_revision(path: Path) -> str:
    """Read the migration revision without writing anything (a too-new file must stay untouched), after SQLite's
    `quick_check`: a damaged project is reported before any command works on it."""
    if not path.is_file():
        raise UserError("not a regular file" if path.exists() else "no such project file", file=path)
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise UserError("not a Workstation project (the file is not an SQLite database)", file=path)
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        found = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'").fetchone()
        check = quick_check(connection)
        if check not in ("ok", None):
            raise damaged(path, check)
        row = found and connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as error:
        raise explain_failure(error, path) or error from None
    finally:
        connection.close()
    if not row:
        raise UserError("not a Workstation project (no migration revision found)", file=path)
    return row[0]


def quick_check(connection: sqlite3.Connection) -> str | None:
    """SQLite's verdict, or None when the check ran out of time before it finished."""
    deadline = time.perf_counter() + OPEN_CHECK_SECONDS
    connection.set_progress_handler(lambda: int(time.perf_counter() > deadline), 10_000)
    try:
        return connection.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.OperationalError as error:
        if "interrupted" in str(error):
            return None
        raise
    finally:
        connection.set_progress_handler(None, 0)


def read_only_connection(path: Path) -> sqlite3.Connection:
    """A plain connection for reading an up-to-date project (check its `stored_revision` first)."""
    connection = sqlite3.connect(path)
    configure_connection(connection, read_only=True)
    return connection


@contextmanager
def counting_connection(path: Path) -> Iterator[Any]:
    """A DB-API connection for reading counts: plain sqlite3 when the project is up to date, without loading
    SQLAlchemy; a project that needs an upgrade goes through `open_project`, which upgrades it under the lock
    (or refuses a file a newer app wrote) first."""
    from workstation.store.migrate import head_revision

    if stored_revision(path) != head_revision():
        from workstation.store.engine import driver_connection
        from workstation.store.project import open_project

        with open_project(path, read_only=True) as project, project.session() as session:
            yield driver_connection(session)
        return
    connection = read_only_connection(path)
    try:
        yield connection
    finally:
        connection.close()
