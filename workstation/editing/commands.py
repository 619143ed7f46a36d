"""Undoable edits below the UI: each command changes rows in one transaction and knows its reverse.

Commands hold plain row snapshots, never ORM objects, so they can be redone
and undone any number of times across sessions. The GUI wraps them in
`QUndoCommand`s; tests and scripts call `Editor.run` / `Editor.revert`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.orm import Session

from workstation.store.models import Base, utcnow

TABLES = Base.metadata.tables
DEPENDENTS: dict[str, list[tuple[str, str]]] = {
    "mention": [("event_argument", "mention_id"), ("mention_relation", "from_mention_id"),
                ("mention_relation", "to_mention_id")],
    "event": [("event_argument", "event_id"), ("event_relation", "from_event_id"),
              ("event_relation", "to_event_id")],
}
"""Rows that a delete cascades to, and must therefore come back on undo."""


@dataclass(frozen=True)
class Changes:
    """What an edit touched: panels refresh from this instead of reloading everything."""

    document_id: str | None
    tables: frozenset[str]
    ids: frozenset[str]


Row = tuple[str, dict[str, Any]]


def _changes(document_id: str | None, rows: list[Row]) -> Changes:
    return Changes(document_id, frozenset(table for table, _ in rows), frozenset(row["id"] for _, row in rows))


class Command(ABC):
    text: str
    document_id: str | None = None

    @abstractmethod
    def do(self, session: Session) -> Changes: ...

    @abstractmethod
    def undo(self, session: Session) -> Changes: ...


def _insert(session: Session, rows: list[Row]) -> None:
    for table, row in rows:
        session.execute(insert(TABLES[table]), [row])


def _delete(session: Session, rows: list[Row]) -> None:
    for table, row in reversed(rows):
        session.execute(delete(TABLES[table]).where(TABLES[table].c.id == row["id"]))


class InsertRows(Command):
    """Create items (rows in dependency order); undo deletes them again."""

    def __init__(self, text: str, rows: list[Row], document_id: str | None = None):
        self.text, self.rows, self.document_id = text, rows, document_id

    def do(self, session: Session) -> Changes:
        _insert(session, self.rows)
        return _changes(self.document_id, self.rows)

    def undo(self, session: Session) -> Changes:
        _delete(session, self.rows)
        return _changes(self.document_id, self.rows)


def snapshot(session: Session, table: str, item_id: str) -> list[Row]:
    """The row and every row a delete of it cascades to, in re-insert order."""
    model: Table = TABLES[table]
    row = session.execute(select(model).where(model.c.id == item_id)).mappings().one()
    rows: list[Row] = [(table, dict(row))]
    for dependent, column in DEPENDENTS.get(table, []):
        child = TABLES[dependent]
        rows += [(dependent, dict(found)) for found in
                 session.execute(select(child).where(child.c[column] == item_id)).mappings()]
    return rows


class DeleteRows(Command):
    """Delete an item and what cascades from it; undo puts every row back as it was."""

    def __init__(self, text: str, rows: list[Row], document_id: str | None = None):
        self.text, self.rows, self.document_id = text, rows, document_id

    def do(self, session: Session) -> Changes:
        table, row = self.rows[0]
        session.execute(delete(TABLES[table]).where(TABLES[table].c.id == row["id"]))
        return _changes(self.document_id, self.rows)

    def undo(self, session: Session) -> Changes:
        _insert(session, self.rows)
        return _changes(self.document_id, self.rows)


class UpdateRow(Command):
    """Change some columns of one row; undo restores them, timestamp included, as they were when made."""

    def __init__(self, session: Session, text: str, table: str, item_id: str, new: dict[str, Any],
                 document_id: str | None = None):
        self.text, self.table, self.item_id, self.document_id, self.new = text, table, item_id, document_id, new
        model = TABLES[table]
        columns = [*new, "updated_at"] if "updated_at" in model.c else list(new)
        self.old = dict(session.execute(select(*(model.c[name] for name in columns))
                                        .where(model.c.id == item_id)).mappings().one())

    def _set(self, session: Session, values: dict[str, Any]) -> Changes:
        model = TABLES[self.table]
        session.execute(update(model).where(model.c.id == self.item_id).values(**values))
        return Changes(self.document_id, frozenset({self.table}), frozenset({self.item_id}))

    def do(self, session: Session) -> Changes:
        stamp = {"updated_at": utcnow()} if "updated_at" in self.old else {}
        return self._set(session, {**self.new, **stamp})

    def undo(self, session: Session) -> Changes:
        return self._set(session, self.old)


class SetStatus(Command):
    """A layer's status (new, in progress, done, skipped); undo restores the previous one, or no row."""

    def __init__(self, document_id: str, annotator_id: str, old: str | None, new: str):
        self.text = f"Mark {new.replace('_', ' ')}"
        self.document_id, self.annotator_id, self.old, self.new = document_id, annotator_id, old, new

    def _set(self, session: Session, status: str | None) -> Changes:
        table = TABLES["assignment"]
        key = (table.c.document_id == self.document_id) & (table.c.annotator_id == self.annotator_id)
        session.execute(delete(table).where(key))
        if status is not None:
            session.execute(insert(table), [{"document_id": self.document_id, "annotator_id": self.annotator_id,
                                             "status": status, "updated_at": utcnow()}])
        return Changes(self.document_id, frozenset({"assignment"}), frozenset({self.document_id}))

    def do(self, session: Session) -> Changes:
        return self._set(session, self.new)

    def undo(self, session: Session) -> Changes:
        return self._set(session, self.old)


class Sequence(Command):
    """Several commands as one undo step (e.g. merging actors moves every mention, then marks the merge)."""

    def __init__(self, text: str, commands: list[Command], document_id: str | None = None):
        self.text, self.commands, self.document_id = text, commands, document_id

    def do(self, session: Session) -> Changes:
        return _merged(self.document_id, [command.do(session) for command in self.commands])

    def undo(self, session: Session) -> Changes:
        return _merged(self.document_id, [command.undo(session) for command in reversed(self.commands)])


def _merged(document_id: str | None, changes: list[Changes]) -> Changes:
    return Changes(document_id, frozenset().union(*(c.tables for c in changes)),
                   frozenset().union(*(c.ids for c in changes)))
