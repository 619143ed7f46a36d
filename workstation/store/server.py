"""Server projects: a PostgreSQL URL (`postgresql+psycopg://user@host/db`) where a project file is accepted.

The password is never part of what the app stores or shows: libpq reads it from `~/.pgpass` (or
`PGPASSWORD`), and a front end that can ask (a terminal, a dialog) passes it for one connection through
`password=`. What is shown and remembered is the URL without it (`display_url`).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DisconnectionError

from workstation.core.errors import UserError
from workstation.store.project_ref import display_url


def server_url(ref: str) -> URL:
    """The URL with the psycopg (v3) driver, whichever PostgreSQL spelling the user typed."""
    try:
        url = make_url(ref.replace("postgres://", "postgresql://", 1))
    except ArgumentError:
        raise UserError("not a valid PostgreSQL URL (expected postgresql+psycopg://user@host/database)",
                        file=ref) from None
    if not url.database:
        raise UserError("the URL names no database (postgresql+psycopg://user@host/database)", file=display_url(ref))
    return url.set(drivername="postgresql+psycopg")


_BACKENDS: WeakKeyDictionary[Engine, set[int]] = WeakKeyDictionary()


def own_backends(engine: Engine) -> set[int]:
    """The server processes of this engine's connections: the notices they send are this client's own."""
    return _BACKENDS.setdefault(engine, set())


def server_engine(url: URL, *, read_only: bool = False, password: str | None = None) -> Engine:
    """`read_only` sessions refuse writes in the server itself, as the SQLite reader does with query_only."""
    options = "-c default_transaction_read_only=on" if read_only else ""
    connect_args: dict[str, str] = {"options": options, "application_name": "workstation"}
    if password is not None:
        connect_args["password"] = password
    engine = create_engine(url, connect_args=connect_args)
    backends = own_backends(engine)
    event.listen(engine, "connect", lambda connection, _record: backends.add(connection.info.backend_pid))
    _ping_after_idle(engine)
    return engine


IDLE_SECONDS = 5.0
"""A pooled connection unused this long is pinged before use (the server may have closed it meanwhile)."""


def _ping_after_idle(engine: Engine) -> None:
    """Pessimistic disconnect handling without a round trip per checkout: showing a document opens a few short
    sessions in a row, and `pool_pre_ping` pinged each (six round trips per switch of documents). A connection
    back from the pool after a pause is pinged, and a dead one replaced by the pool, as `pool_pre_ping` would."""
    def checked_in(_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    def checked_out(connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(connection)
        except engine.dialect.loaded_dbapi.Error:
            raise DisconnectionError() from None

    event.listen(engine, "checkin", checked_in)
    event.listen(engine, "checkout", checked_out)


def server_label(url: URL) -> Path:
    """A stand-in for the file path where one names the project (package and export names): the database."""
    return Path(str(url.database))


def needs_password(error: BaseException) -> bool:
    """The server wants a password and had none (or a wrong one): a front end may ask and try again."""
    message = str(getattr(error, "orig", None) or error).lower()
    return "password" in message and ("no password supplied" in message or "authentication failed" in message)
