"""Undoable edits below the UI: each command changes rows in one transaction and knows its reverse.

Commands hold plain row snapshots, never ORM objects, so they can be redone
and undone any number of times across sessions. The GUI wraps them in
`QUndoCommand`s; tests and scripts call `Editor.run` / `Editor.revert`.
"""

from __future__ import annotations

import functools
import operator
import secrets
from abc import ABC, abstractmethod
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update

from workstation.core.errors import UserError
from workstation.store.models import Base, utcnow
from workstation.store.project import Database

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

    An event whose arguments or relations came or went counts as updated. Mention
    counts (a document's in the list, an actor's in the registry) come as deltas,
    so that no panel counts 20,000 mentions again after adding one.
    """

    document_id: str | None
    added: frozenset[Item] = frozenset()
    removed: frozenset[Item] = frozenset()
    updated: frozenset[Item] = frozenset()
    layer_mentions: Counter[tuple[str, str]] = field(default_factory=Counter)
    """Mentions gained (or, negative, lost) per (document, annotator) layer."""
    actor_mentions: Counter[str] = field(default_factory=Counter)
    """Mentions gained (or lost) per actor, over every layer (the registry's counts)."""

    def touched(self, table: str) -> set[str]:
        """Ids of `table` added, removed or updated: a panel showing them re-reads them as they are now."""
        return {item_id for name, item_id in self.added | self.removed | self.updated if name == table}

    def __or__(self, other: Changes) -> Changes:
        document_id = self.document_id if self.document_id == other.document_id else None
        return Changes(document_id, self.added | other.added, self.removed | other.removed,
                       self.updated | other.updated, _sum(self.layer_mentions, other.layer_mentions),
                       _sum(self.actor_mentions, other.actor_mentions))


def _sum(first: Counter, second: Counter) -> Counter:
    """Deltas added up, keeping none that cancelled out (Counter's own `+` also drops negative ones)."""
    total = Counter(first)
    total.update(second)
    return Counter({key: delta for key, delta in total.items() if delta})


VERSIONED = frozenset(name for name, table in TABLES.items() if "version" in table.c)
"""Tables whose rows carry a version: each edit of a row writes a new one, and names the one it expects."""
ITEM_NAMES = {"mention_relation": "relation", "actor": "registry entry"}


def new_version() -> int:
    """A version no other edit writes (a random one, not a counter): undo and redo name the versions they wrote,
    so a row that another edit changed meanwhile never matches, even when its content came back (A-B-A)."""
    return secrets.randbelow(2**31 - 2) + 2


class StaleEdit(UserError):
    """The row changed (or went) since the edit's author saw it: the edit is refused, nothing is written, and
    the views read the row again as it is now."""

    def __init__(self, table: str, item_id: str, document_id: str | None, gone: bool = False):
        what = ITEM_NAMES.get(table, table)
        happened = "deleted" if gone else "changed"
        super().__init__(f"someone else {happened} this {what} since you saw it, so your edit was not saved; "
                         + ("it is no longer shown" if gone else
                            "it is shown again as it is now: make your change again if it still applies"))
        self.item: Item = (table, item_id)
        self.document_id, self.gone = document_id, gone

    def changes(self) -> Changes:
        """What the views re-read: the refused item, as updated, or as removed when it is gone."""
        items = frozenset({self.item})
        return Changes(self.document_id, removed=items) if self.gone else Changes(self.document_id, updated=items)


@functools.cache
def _statement(kind: str, table: str, versioned: bool = False) -> Any:
    """One row's insert, delete or update, built once: building a statement costs more than
    SQLite running it. The row is `item_id_` and the version expected `expected_` (names no column has)."""
    model = TABLES[table]
    if kind == "insert":
        return insert(model)
    condition = model.c.id == bindparam("item_id_")
    if versioned:
        condition = condition & (model.c.version == bindparam("expected_"))
    return delete(model).where(condition) if kind == "delete" else update(model).where(condition)


@functools.cache
def _rows_by(table: str, key: str = "id", columns: tuple[str, ...] | None = None) -> Any:
    """A select of the rows whose `key` is `item_id_` (every column, or these), built once."""
    model = TABLES[table]
    chosen = model.c if columns is None else [model.c[name] for name in columns]
    return select(*chosen).where(model.c[key] == bindparam("item_id_"))


def _one_row(session: Database, kind: str, table: str, item_id: str, version: int | None,
             document_id: str | None, values: dict[str, Any] | None = None) -> None:
    """Delete or update one row, expecting `version` where the table has one; refused when no row matched."""
    versioned = table in VERSIONED and version is not None
    params = {**(values or {}), "item_id_": item_id, **({"expected_": version} if versioned else {})}
    if session.execute(_statement(kind, table, versioned), params).rowcount != 1:
        gone = session.scalar(_rows_by(table, columns=("id",)), {"item_id_": item_id}) is None
        raise StaleEdit(table, item_id, document_id, gone)


Row = tuple[str, dict[str, Any]]
OWNERS = {"event_argument": "event_id", "event_relation": "from_event_id"}
"""An argument or relation belongs to an event: the event changes when it comes or goes."""


def _rows_changed(document_id: str | None, rows: list[Row], inserted: bool) -> Changes:
    items = frozenset((table, row["id"]) for table, row in rows)
    owners = frozenset((("event", row[OWNERS[table]]) for table, row in rows if table in OWNERS)) - items
    sign = 1 if inserted else -1
    mentions = [row for table, row in rows if table == "mention"]
    return Changes(document_id, items if inserted else frozenset(), frozenset() if inserted else items, owners,
                   _counted([(row["document_id"], row["annotator_id"]) for row in mentions], sign),
                   _counted([row["actor_id"] for row in mentions if row["actor_id"]], sign))


def _counted(keys: list[Any], sign: int) -> Counter:
    return Counter({key: sign * count for key, count in Counter(keys).items()})


class Command(ABC):
    text: str
    document_id: str | None = None

    @abstractmethod
    def do(self, session: Database) -> Changes: ...

    @abstractmethod
    def undo(self, session: Database) -> Changes: ...


def _insert(session: Database, rows: list[Row]) -> None:
    for table, row in rows:
        session.execute(_statement("insert", table), [row])


class InsertRows(Command):
    """Create items (rows in dependency order); undo deletes them again."""

    def __init__(self, text: str, rows: list[Row], document_id: str | None = None):
        self.text, self.rows, self.document_id = text, rows, document_id

    def do(self, session: Database) -> Changes:
        _insert(session, self.rows)
        return _rows_changed(self.document_id, self.rows, inserted=True)

    def undo(self, session: Database) -> Changes:
        """Refused when another edit changed one of the rows since: its new version is no longer the first."""
        for table, row in reversed(self.rows):
            _one_row(session, "delete", table, row["id"], row.get("version", 1), self.document_id)
        return _rows_changed(self.document_id, self.rows, inserted=False)


def snapshot(session: Database, table: str, item_id: str, document_id: str | None = None) -> list[Row]:
    """The row and every row a delete of it cascades to, in re-insert order; a row someone else deleted
    meanwhile is a stale edit."""
    key = {"item_id_": item_id}
    row = session.execute(_rows_by(table), key).mappings().one_or_none()
    if row is None:
        raise StaleEdit(table, item_id, document_id, gone=True)
    rows: list[Row] = [(table, dict(row))]
    for dependent, column in DEPENDENTS.get(table, []):
        rows += [(dependent, dict(found)) for found in session.execute(_rows_by(dependent, column), key).mappings()]
    return rows


class DeleteRows(Command):
    """Delete an item and what cascades from it; undo puts every row back as it was.

    The delete expects `version` (the one its author saw; by default the snapshot's): it is refused when the
    item changed since."""

    def __init__(self, text: str, rows: list[Row], document_id: str | None = None, version: int | None = None):
        self.text, self.rows, self.document_id = text, rows, document_id
        self.version = rows[0][1].get("version") if version is None else version

    def do(self, session: Database) -> Changes:
        table, row = self.rows[0]
        _one_row(session, "delete", table, row["id"], self.version, self.document_id)
        return _rows_changed(self.document_id, self.rows, inserted=False)

    def undo(self, session: Database) -> Changes:
        _insert(session, self.rows)
        return _rows_changed(self.document_id, self.rows, inserted=True)


class UpdateRow(Command):
    """Change some columns of one row; undo restores them, timestamp included, as they were when made.

    On a versioned table the edit expects `version` (the one its author saw; by default the row's version as
    the command is made), undo the version the edit wrote, redo the one undo wrote: each is refused
    (`StaleEdit`) when another edit came in between."""

    def __init__(self, session: Database, text: str, table: str, item_id: str, new: dict[str, Any],
                 document_id: str | None = None, version: int | None = None):
        self.text, self.table, self.item_id, self.document_id, self.new = text, table, item_id, document_id, new
        model = TABLES[table]
        columns = [*new, "updated_at"] if "updated_at" in model.c else list(new)
        versioned = [*columns, "version"] if table in VERSIONED else columns
        found = session.execute(_rows_by(table, columns=tuple(versioned)),
                                {"item_id_": item_id}).mappings().one_or_none()
        if found is None:
            raise StaleEdit(table, item_id, document_id, gone=True)
        self.old = {name: found[name] for name in columns}
        seen = found.get("version") if version is None else version
        self._versions = (seen, new_version(), new_version()) if table in VERSIONED else (None, None, None)
        """(seen, written by do, written by undo)."""
        self._undone = False

    @property
    def version_written(self) -> int | None:
        """The version `do` writes (what a client that saw the edit succeed holds as the row's version)."""
        return self._versions[1]

    def _set(self, session: Database, values: dict[str, Any], previous: dict[str, Any], expected: int | None,
             written: int | None) -> Changes:
        if written is not None:
            values = {**values, "version": written}
        _one_row(session, "update", self.table, self.item_id, expected, self.document_id, values)
        moved = Counter()
        if self.table == "mention" and "actor_id" in values:
            moved = _sum(Counter({previous["actor_id"]: -1}), Counter({values["actor_id"]: 1}))
            moved.pop(None, None)
        return Changes(self.document_id, updated=frozenset({(self.table, self.item_id)}), actor_mentions=moved)

    def do(self, session: Database) -> Changes:
        seen, done, undone = self._versions
        stamp = {"updated_at": utcnow()} if "updated_at" in self.old else {}
        changes = self._set(session, {**self.new, **stamp}, self.old, undone if self._undone else seen, done)
        self._undone = False
        return changes

    def undo(self, session: Database) -> Changes:
        _seen, done, undone = self._versions
        changes = self._set(session, self.old, self.new, done, undone)
        self._undone = True
        return changes


@functools.cache
def _clear_status() -> Any:
    table = TABLES["assignment"]
    return delete(table).where(table.c.document_id == bindparam("document_id"),
                               table.c.annotator_id == bindparam("annotator_id"))


class SetStatus(Command):
    """A layer's status (new, in progress, done, skipped); undo restores the previous one, or no row."""

    def __init__(self, document_id: str, annotator_id: str, old: str | None, new: str):
        self.text = f"Mark {new.replace('_', ' ')}"
        self.document_id, self.annotator_id, self.old, self.new = document_id, annotator_id, old, new

    def _set(self, session: Database, status: str | None) -> Changes:
        layer = {"document_id": self.document_id, "annotator_id": self.annotator_id}
        session.execute(_clear_status(), layer)
        if status is not None:
            session.execute(_statement("insert", "assignment"), [{**layer, "status": status, "updated_at": utcnow()}])
        return Changes(self.document_id, updated=frozenset({("assignment", self.document_id)}))

    def do(self, session: Database) -> Changes:
        return self._set(session, self.new)

    def undo(self, session: Database) -> Changes:
        return self._set(session, self.old)


class Sequence(Command):
    """Several commands as one undo step (e.g. merging actors moves every mention, then marks the merge)."""

    def __init__(self, text: str, commands: list[Command], document_id: str | None = None):
        self.text, self.commands, self.document_id = text, commands, document_id

    def do(self, session: Database) -> Changes:
        return _merged(self.document_id, [command.do(session) for command in self.commands])

    def undo(self, session: Database) -> Changes:
        return _merged(self.document_id, [command.undo(session) for command in reversed(self.commands)])


def _merged(document_id: str | None, changes: list[Changes]) -> Changes:
    return replace(functools.reduce(operator.or_, changes, Changes(document_id)), document_id=document_id)
