"""Others' changes on a server project, as they happen: PostgreSQL's LISTEN/NOTIFY.

Every change of a layer item, a registry entry or a status sends a notice on the channel
`workstation_changes` (triggers of migration 0008; documents one per statement), committed or not at all
with the change. A `ChangeFeed` listens on a connection of its own and turns notices into the same `Changes`
an edit returns, so the views refresh from them as from an edit of their own.
"""

from __future__ import annotations

import json
import select as selector
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from workstation.editing.commands import Changes, Item
from workstation.store.project import Project
from workstation.store.server import own_backends

CHANNEL = "workstation_changes"
ITEM_TABLES = frozenset({"mention", "stance", "event", "event_relation", "mention_relation"})


@dataclass(frozen=True)
class Notice:
    table: str
    op: str
    """insert, update or delete."""
    item_id: str | None
    document_id: str | None
    annotator_id: str | None
    user: str

    @classmethod
    def from_payload(cls, payload: str) -> Notice:
        data: dict[str, Any] = json.loads(payload)
        return cls(data["table"], data["op"], data.get("id"), data.get("document_id"), data.get("annotator_id"),
                   data["user"])


@dataclass
class RemoteChanges:
    """What others changed since the last look: items per document, and whether the list or the registry
    needs reading again."""

    documents: bool = False
    """A document or a status came, went or changed: the document list reads again."""
    registry: set[str] = field(default_factory=set)
    """Registry entries changed."""
    rights: bool = False
    """The supervisor changed what annotators may read: every view reads again what it may now see."""
    items: dict[tuple[str | None, str | None], Changes] = field(default_factory=dict)
    """(document, annotator) → the items changed in that layer. An event's arguments are not told apart: an
    edit of them touches their event, which is."""

    def add(self, notice: Notice) -> None:
        if notice.table in ("document", "assignment"):
            self.documents = True
        if notice.table == "read_rights":
            self.rights = True
        if notice.table == "actor" and notice.item_id:
            self.registry.add(notice.item_id)
            return
        if notice.table not in ITEM_TABLES or not notice.item_id:
            return
        item: Item = (notice.table, notice.item_id)
        added = frozenset({item}) if notice.op == "insert" else frozenset()
        removed = frozenset({item}) if notice.op == "delete" else frozenset()
        layer = (notice.document_id, notice.annotator_id)
        counted = Counter({layer: 1 if added else -1}) if notice.table == "mention" and (added or removed) \
            else Counter()
        change = Changes(notice.document_id, added, removed, frozenset({item}) - added - removed,
                         layer_mentions=counted)
        known = self.items.get(layer)
        self.items[layer] = change if known is None else known | change

    def __bool__(self) -> bool:
        return self.documents or self.rights or bool(self.registry) or bool(self.items)


class ChangeFeed:
    """A listening connection of its own (outside the pool the edits use); `fileno` for a GUI's socket
    notifier, `take` for what came. Notices sent by this client's own connections are left out: its views
    applied those changes already."""

    def __init__(self, project: Project):
        self._own = own_backends(project.engine)
        self._record = project.engine.raw_connection()
        self._connection: Any = self._record.driver_connection
        self._connection.autocommit = True
        self._connection.execute(f"LISTEN {CHANNEL}")

    def fileno(self) -> int:
        return int(self._connection.fileno())

    def wait(self, timeout: float) -> bool:
        """True when something arrived within `timeout` seconds (for scripts and tests; a GUI watches
        `fileno`)."""
        ready, _, _ = selector.select([self.fileno()], [], [], timeout)
        return bool(ready)

    def take(self) -> RemoteChanges:
        changes = RemoteChanges()
        for notice in self._connection.notifies(timeout=0):
            if notice.pid not in self._own:
                changes.add(Notice.from_payload(notice.payload))
        return changes

    def close(self) -> None:
        """The connection is not given back to the pool: it listens, and an edit must never meet notices."""
        self._record.invalidate()
