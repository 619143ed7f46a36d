"""`executemany` at driver level for imports: SQLAlchemy's per-row parameter processing cost
more than SQLite itself (measured: 0.43 s of 2.4 s for 50,000 mentions), so rows are turned into
tuples here, with the models' Python-side defaults and SQLAlchemy's storage formats."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Table
from sqlalchemy.orm import Session

Converter = Callable[[Any], Any]


def _datetime(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def _converter(column: Any) -> Converter | None:
    if isinstance(column.type, JSON):
        return lambda value: json.dumps(value, ensure_ascii=False)
    if isinstance(column.type, DateTime):
        return _datetime
    if isinstance(column.type, Boolean):
        return int
    return None


def _default(column: Any) -> Callable[[], Any]:
    default = column.default
    if default is None:
        return lambda: None
    if default.is_callable:
        return lambda: default.arg(None)
    return lambda: default.arg


class BulkInserter:
    """Prepared INSERT for one table; `insert(session, rows)` runs one executemany.

    Timestamp defaults are taken once per batch: rows written by one statement share their time.
    """

    def __init__(self, table: Table):
        self.columns = [(column.name, _default(column), _converter(column)) for column in table.columns]
        self.timestamps = {column.name for column in table.columns
                           if isinstance(column.type, DateTime) and column.default is not None}
        names = ", ".join(f'"{name}"' for name, _, _ in self.columns)
        self.sql = f'INSERT INTO "{table.name}" ({names}) VALUES ({", ".join("?" * len(self.columns))})'

    def _values(self, row: dict[str, Any], batch: dict[str, Any]) -> tuple[Any, ...]:
        values = []
        for name, default, convert in self.columns:
            if name in row:
                value = row[name]
            elif name in batch:
                values.append(batch[name])
                continue
            else:
                value = default()
            values.append(convert(value) if convert is not None and value is not None else value)
        return tuple(values)

    def insert(self, session: Session, rows: list[dict[str, Any]]) -> None:
        batch = {name: _datetime(default()) for name, default, _ in self.columns if name in self.timestamps}
        session.connection().exec_driver_sql(self.sql, [self._values(row, batch) for row in rows])
