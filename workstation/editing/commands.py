"""Undoable edits below the UI: each command changes rows in one transaction and knows its reverse.

Commands hold plain row snapshots, never ORM objects, so they can be redone
and undone any number of times across sessions. The GUI wraps them in
`QUndoCommand`s; tests and scripts call `Editor.run` / `Editor.revert`.
"""

from __future__ import annotations

import functools
import operator
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


Item = tuple[str, str]
"""(table, id) of one row; `assignment` rows, which have no id, are named by their document."""


@dataclass(frozen=True)
class Changes:
    """What an edit did, row by row, so that every panel applies just that instead of reloading.

    An item whose parts changed counts as updated too: an event when one of its
    arguments comes or goes, an actor when a mention links to it or leaves it
    (its mention count changed). Panels re-read only the items named here.
    """

    document_id: str | None
    added: frozenset[Item] = frozenset()
    removed: frozenset[Item] = frozenset()
    updated: frozenset[Item] = frozenset()

    def touched(self, table: str) -> set[str]:
        """Ids of `table` added, removed or updated: a panel showing them re-reads them as they are now."""
        return {item_id for name, item_id in self.added | self.removed | self.updated if name == table}

    def __or__(self, other: Changes) -> Changes:
        document_id = self.document_id if self.document_id == other.document_id else None
        return Changes(document_id, self.added | other.added, self.removed | other.removed,
                       self.updated | other.updated)


Row = tuple[str, dict[str, Any]]
OWNERS = {"mention": (("actor", "actor_id"),), "event_argument": (("event", "event_id"),),
          "event_relation": (("event", "from_event_id"),)}
"""The items a row belongs to: they change when it comes, goes or changes these columns."""


def _owners(table: str, row: dict[str, Any]) -> set[Item]:
    return {(owner, row[column]) for owner, column in OWNERS.get(table, ()) if row.get(column) is not None}


def _rows_changed(document_id: str | None, rows: list[Row], inserted: bool) -> Changes:
    items = frozenset((table, row["id"]) for table, row in rows)
    owners = frozenset().union(*(_owners(table, row) for table, row in rows)) - items
    return Changes(document_id, items if inserted else frozenset(), frozenset() if inserted else items, owners)


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
        return _rows_changed(self.document_id, self.rows, inserted=True)

    def undo(self, session: Session) -> Changes:
        _delete(session, self.rows)
        return _rows_changed(self.document_id, self.rows, inserted=False)


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
        return _rows_changed(self.document_id, self.rows, inserted=False)

    def undo(self, session: Session) -> Changes:
        _insert(session, self.rows)
        return _rows_changed(self.document_id, self.rows, inserted=True)


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
        owners = _owners(self.table, self.old) | _owners(self.table, self.new)
        return Changes(self.document_id, updated=frozenset({(self.table, self.item_id), *owners}))

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
        return Changes(self.document_id, updated=frozenset({("assignment", self.document_id)}))

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
    merged = functools.reduce(operator.or_, changes, Changes(document_id))
    return Changes(document_id, merged.added, merged.removed, merged.updated)
