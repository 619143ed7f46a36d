"""A throw-away database on a PostgreSQL server, for the benchmarks that compare a server project with a file."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def scratch_database(server: str, prefix: str) -> Iterator[str]:
    """The URL of a new, empty database on `server` (a URL whose user may create databases), dropped afterwards
    whatever happened."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    database = f"{prefix}_{int(time.time())}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{database}"')
    try:
        yield make_url(server).set(database=database).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.dispose()
