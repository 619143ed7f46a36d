"""What a disk, a damaged file or a strange input did, as one line that names the file and the cure.

The CLI and the GUI share this one translation at their error boundary: an `OSError` (read-only, disk full,
a folder where a file was expected), an SQLite error that means the file or the disk is at fault, a text that
cannot be decoded or a structure nested too deeply becomes a `UserError`. Anything else is a bug and is left
alone, so that it still shows a traceback or the crash dialog.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import sys
from pathlib import Path

from workstation.core.errors import UserError
from workstation.store.output_guard import BACKUP_INFIX
from workstation.store.project_ref import display_url, is_server_url


def _driver_error_wrapper() -> tuple[type[BaseException], ...]:
    """SQLAlchemy's wrapper of driver errors, when SQLAlchemy is loaded: a command that never loaded it (`stats`
    reads through sqlite3 alone) cannot have raised it, and importing it would cost more than the command."""
    loaded = sys.modules.get("sqlalchemy.exc")
    return (loaded.DBAPIError,) if loaded is not None else ()


def failure_types() -> tuple[type[BaseException], ...]:
    """The exception types an error boundary hands to `explain_failure`."""
    return OSError, sqlite3.DatabaseError, *_driver_error_wrapper(), UnicodeError, RecursionError


DAMAGE_SIGNS = ("malformed", "not a database", "no such table", "no such column", "corrupt")
SQLITE_PROBLEMS = {
    "database or disk is full": "the disk is full: free some space and run it again (the project is as it was)",
    "readonly database": "the project file or its folder is read-only: make both writable, or copy the project "
                         "to a writable folder",
    "unable to open database file": "cannot open the project: its folder must be writable (SQLite keeps its "
                                    "-wal and -shm files beside the project) and the disk not full",
    "disk i/o error": "the disk failed while reading or writing the project (full, removed or failing?); "
                      "check it and run `check` on the project",
    "database is locked": "another program is writing the project; try again when it has finished",
}
OS_PROBLEMS = {
    errno.ENOSPC: "the disk is full: free some space and run it again",
    errno.EDQUOT: "the disk quota is used up: free some space and run it again",
    errno.EROFS: "the disk is read-only: choose a writable place",
    errno.EACCES: "permission denied: the file or its folder is read-only or belongs to someone else",
    errno.EPERM: "permission denied: the file or its folder is read-only or belongs to someone else",
    errno.EISDIR: "this is a folder; give the name of a file",
    errno.ENOTDIR: "a part of this path is a file, not a folder",
    errno.ENOENT: "no such file or folder",
    errno.ENAMETOOLONG: "the file name is too long",
}


def latest_backup(project: Path) -> Path | None:
    """The newest backup the app wrote beside the project before an upgrade, if any."""
    backups = sorted(project.parent.glob(f"{project.name}{BACKUP_INFIX}*"), key=lambda path: path.stat().st_mtime)
    return backups[-1] if backups else None


class DamagedProject(UserError):
    """The project file is damaged: `check` lists it as a problem, other commands refuse to work on it."""


def damaged(project: Path, detail: str) -> DamagedProject:
    """The project file itself is damaged: say so and name the backup to restore."""
    detail = " ".join(detail.replace("*** in database main ***", "").split())
    backup = latest_backup(project)
    cure = (f"restore the latest backup ({backup.name}: copy it over the project with the app closed)"
            if backup else "restore it from your latest copy of the project (there is no backup beside it)")
    return DamagedProject(f"the project file is damaged ({detail}); {cure}", file=project)


def _sqlite_problem(error: sqlite3.Error, project: Path | None) -> UserError | None:
    message = str(error).lower()
    for sign, problem in SQLITE_PROBLEMS.items():
        if sign in message:
            return UserError(problem, file=project)
    if any(sign in message for sign in DAMAGE_SIGNS) and isinstance(error, sqlite3.DatabaseError) \
            and not isinstance(error, sqlite3.IntegrityError | sqlite3.ProgrammingError):
        return damaged(project, str(error)) if project is not None else UserError(f"damaged database ({error})")
    return None


SERVER_PROBLEMS = {
    "password authentication failed": "the server refused the user name or password",
    "no password supplied": "the server wants a password: put it in ~/.pgpass (or run from a terminal, which asks)",
    "does not exist": None,
    "connection refused": "no PostgreSQL server answers at this address (is it running, and is the port right?)",
    "could not translate host name": "the server's host name is unknown",
    "timeout expired": "the server did not answer in time",
    "permission denied": "your database role may not do this (ask the project's supervisor)",
    "row-level security": "your database role may not do this: an annotator writes only their own layer "
                          "(gold and registry merges are the supervisor's)",
    "terminating connection": "the server closed the connection; open the project again",
    "server closed the connection": "the server closed the connection; open the project again",
}


def _server_problem(error: BaseException, location: str | None) -> UserError | None:
    """A server's refusal or absence, as one line; the server's own words where they are the clearest."""
    message = str(error).strip()
    lowered = message.lower()
    for sign, problem in SERVER_PROBLEMS.items():
        if sign in lowered:
            detail = message.splitlines()[-1].split("FATAL:")[-1].strip()
            return UserError(problem or detail, file=location)
    if type(error).__name__ == "OperationalError":
        return UserError(f"the server failed ({message.splitlines()[0]})", file=location)
    return None


def explain_failure(error: BaseException, file: str | os.PathLike[str] | None = None) -> UserError | None:
    """One line for an error a disk, a damaged file, a server or an odd input caused, naming `file` where the
    error itself names none; None for a bug."""
    if isinstance(error, _driver_error_wrapper()):
        error = error.orig  # type: ignore[attr-defined]
    if is_server_url(file or ""):
        return _server_problem(error, display_url(str(file))) if type(error).__module__.startswith("psycopg") \
            else None
    fallback = None if file is None else Path(file)
    if isinstance(error, sqlite3.Error):
        return _sqlite_problem(error, fallback)
    if isinstance(error, OSError):
        problem = OS_PROBLEMS.get(error.errno or 0, error.strerror or str(error))
        return UserError(problem, file=error.filename or fallback)
    if isinstance(error, UnicodeError):
        reason = getattr(error, "reason", str(error))
        return UserError(f"text that cannot be encoded or decoded ({error.__class__.__name__}: {reason})",
                         file=fallback)
    if isinstance(error, RecursionError):
        return UserError("the input is nested too deeply to read", file=fallback)
    return None
