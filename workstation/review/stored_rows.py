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

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Connection

from workstation.store.engine import driver_sql
from workstation.store.models import Base

JSON_LIST = "json_each(?)"
"""The ids of a JSON array given as one parameter, as a table with a `value` column."""
SERVER_JSON_LIST = "json_array_elements_text(CAST(? AS json))"
STORED_TIME = "%Y-%m-%d %H:%M:%S.%f"
"""How SQLAlchemy stores a DateTime in SQLite."""
BOOLEANS = {name: {column.name for column in table.columns if isinstance(column.type, Boolean)}
            for name, table in Base.metadata.tables.items()}


def _stored(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return value.strftime(STORED_TIME)
    return value


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

    def insert_values(self, table: str, names: Sequence[str], rows: Iterable[dict[str, Any]]) -> list[tuple]:
        """Parameters of stored rows for `names` of `table`: a server takes its booleans as such."""
        flags = [index for index, name in enumerate(names) if name in BOOLEANS[table]] if self.server else []
        values = [tuple(row[name] for name in names) for row in rows]
        if not flags:
            return values
        return [tuple(bool(value) if index in flags and value is not None else value
                      for index, value in enumerate(row)) for row in values]
