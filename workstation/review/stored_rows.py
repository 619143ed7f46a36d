"""Rows as a project file stores them, read and written on either backend: what packages and merges work on.

A package is always an SQLite file, and cutting and merging compare its rows with the project's by digest
(`layer_units`): JSON as its text, booleans as 0/1, timestamps as SQLAlchemy's SQLite text. On a file the
project's rows are already that. On a server, PostgreSQL's own types come back as that same storage form here
(JSON as the text it holds, which is the text it was given), and rows in that form go in with the server's
types, so a unit that nobody changed has the same digest on both sides, and a row copied across is the same
row. The SQL is written once, in SQLite's dialect with `?` marks and `json_each(?)` for a list of ids, and
spelt for PostgreSQL here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from workstation.store.engine import driver_sql
from workstation.store.models import Base

JSON_LIST = "json_each(?)"
"""The ids of a JSON array given as one parameter, as a table with a `value` column."""
SERVER_JSON_LIST = "json_array_elements_text(CAST(? AS json))"
STORED_TIME = "%Y-%m-%d %H:%M:%S.%f"
"""How SQLAlchemy stores a DateTime in SQLite."""


def _stored(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return value.strftime(STORED_TIME)
    return value


def _text(value: Any) -> str | None:
    """A stored value as text, which PostgreSQL casts to its column's type (JSON text as it is, a boolean's 0/1
    to false/true, SQLite's timestamp text to a timestamp)."""
    return None if value is None else str(value)


class StoredRows:
    """Raw SQL on the project's connection (and so on its transaction), rows in an SQLite file's form."""

    def __init__(self, connection: Connection):
        self.connection = connection
        self.server = connection.dialect.name == "postgresql"

    def _sql(self, sql: str) -> str:
        if self.server:
            sql = sql.replace(JSON_LIST, SERVER_JSON_LIST)
        return driver_sql(sql, self.connection.dialect)

    def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        if not self.server:
            return list(self.connection.exec_driver_sql(self._sql(sql), tuple(params)).tuples())
        from psycopg.types.string import TextLoader

        cursor = self.connection.connection.dbapi_connection.cursor()
        try:
            for json_type in ("json", "jsonb"):
                cursor.adapters.register_loader(json_type, TextLoader)
            cursor.execute(self._sql(sql), tuple(params))
            return [tuple(map(_stored, row)) for row in cursor.fetchall()]
        finally:
            cursor.close()

    def execute(self, sql: str, params: Sequence[Any] | list[Sequence[Any]] = ()) -> None:
        """One statement, or one per parameter tuple when given a list of them."""
        self.connection.exec_driver_sql(self._sql(sql), params if isinstance(params, list) else tuple(params))

    def insert(self, table: str, names: Sequence[str], values: list[tuple], tail: str = "") -> None:
        """`INSERT INTO table (names) ... tail` of rows' stored `values`: one executemany on a file; on a server
        one statement, each column given as a text array and cast to the column's type (a statement a row made
        the server's half of a 6,000-item merge twice as long)."""
        quoted = ", ".join(f'"{name}"' for name in names)
        if not self.server:
            self.execute(f'INSERT INTO "{table}" ({quoted}) VALUES ({", ".join("?" * len(names))}) {tail}', values)
            return
        if not values:
            return
        columns = Base.metadata.tables[table].columns
        casts = ", ".join(f"CAST(c{index} AS {columns[name].type.compile(dialect=self.connection.dialect)})"
                          for index, name in enumerate(names))
        aliases = ", ".join(f"c{index}" for index in range(len(names)))
        arrays = ", ".join("CAST(? AS text[])" for _ in names)
        self.execute(f'INSERT INTO "{table}" ({quoted}) SELECT {casts} FROM unnest({arrays}) AS stored ({aliases}) '
                     f'{tail}', tuple([_text(value) for value in column] for column in zip(*values, strict=True)))
