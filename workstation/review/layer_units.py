"""One annotator's layer on some documents, plus the actor registry, as units that merge compares.

A unit is what a merge takes or leaves whole: an actor, a layer's status on a
document, a mention, a stance, a mention relation, or an event together with
its arguments and the relations leading out of it (those rows have no
timestamps of their own, so they travel with their event). Each unit has a
digest of its content (timestamps left out) and the time it was last changed,
which decides a conflict.

Rows are read with raw SQL on either side (a package opened read-only with
`sqlite3`, the project through its session, a file's or a server's: see
`stored_rows`) so that both give the stored values exactly as an SQLite file
holds them, and a row copied across is the same row.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON

from workstation.store.models import Base

Fetch = Callable[[str, Sequence[Any]], list[tuple]]
"""fetch(sql, params) → rows: raw SQL on a package file or on the project."""
Row = tuple[str, dict[str, Any]]

TABLES = Base.metadata.tables
LAYER_TABLES = ("mention", "stance", "mention_relation", "event")
UNSTAMPED = {"created_at", "updated_at", "version"}
"""Left out of digests: when and in which version a row was written is not what it says."""
IN_DOCUMENTS = "document_id IN (SELECT value FROM json_each(?))"


@dataclass(frozen=True)
class Unit:
    key: str
    """"<table>:<id>", or "assignment:<document id>" for the layer's status."""
    digest: str
    changed_at: str
    rows: tuple[Row, ...]
    """The unit's own row first, then (for an event) its arguments and outgoing relations."""

    @property
    def table(self) -> str:
        return self.key.split(":", 1)[0]

    def describe(self) -> str:
        """A short human name for summaries and conflict lists."""
        row = self.rows[0][1]
        if self.table == "actor":
            return f"actor {row['name']}"
        if self.table == "assignment":
            return f"status of document {row['document_id'][:8]} ({row['status']})"
        label = row.get("label") or row.get("type") or row.get("mention_type") or ""
        return f"{self.table.replace('_', ' ')} {label} in document {row['document_id'][:8]}".replace("  ", " ")


def columns(table: str) -> list[str]:
    return [column.name for column in TABLES[table].columns]


def _json_columns(table: str) -> set[str]:
    return {column.name for column in TABLES[table].columns if isinstance(column.type, JSON)}


JSON_COLUMNS = {name: _json_columns(name) for name in TABLES}


TRIVIAL_JSON = {"{}", "[]", "null", None}
CONTENT = {name: [column.name for column in table.columns if column.name not in UNSTAMPED]
           for name, table in TABLES.items()}
CONTENT_OF = {name: itemgetter(*names) for name, names in CONTENT.items()}


def _content(table: str, row: dict[str, Any]) -> tuple:
    """Content only, in column order: timestamps dropped, JSON text re-serialised with sorted keys
    (skipped for the empty values almost every row has, which keeps a 50,000-item merge fast)."""
    values = CONTENT_OF[table](row)
    odd = [name for name in JSON_COLUMNS[table] if row[name] not in TRIVIAL_JSON and isinstance(row[name], str)]
    if not odd:
        return values
    canonical = {name: json.dumps(json.loads(row[name]), sort_keys=True, ensure_ascii=False) for name in odd}
    return tuple(canonical.get(name, value) for name, value in zip(CONTENT[table], values, strict=True))


def digest_of(rows: Sequence[Row]) -> str:
    return hashlib.sha1(repr([(table, _content(table, row)) for table, row in rows]).encode()).hexdigest()


def _select(fetch: Fetch, table: str, where: str, params: Sequence[Any]) -> list[dict[str, Any]]:
    names = columns(table)
    quoted = ", ".join(f'"{name}"' for name in names)
    return [dict(zip(names, values, strict=True))
            for values in fetch(f'SELECT {quoted} FROM "{table}" WHERE {where} ORDER BY rowid', params)]


def _unit(key: str, rows: list[Row]) -> Unit:
    return Unit(key, digest_of(rows), str(rows[0][1].get("updated_at") or ""), tuple(rows))


def load_units(fetch: Fetch, annotator_id: str, document_ids: Sequence[str]) -> dict[str, Unit]:
    """Every actor, and the annotator's status and items on the given documents, by unit key."""
    documents = json.dumps(list(document_ids))
    layer = (f"annotator_id = ? AND {IN_DOCUMENTS}", (annotator_id, documents))
    units = {f"actor:{row['id']}": _unit(f"actor:{row['id']}", [("actor", row)])
             for row in _select(fetch, "actor", "TRUE", ())}
    for row in _select(fetch, "assignment", *layer):
        key = f"assignment:{row['document_id']}"
        units[key] = _unit(key, [("assignment", row)])
    attached: dict[str, list[Row]] = defaultdict(list)
    events_of_layer = f"event_id IN (SELECT id FROM event WHERE annotator_id = ? AND {IN_DOCUMENTS})"
    for row in _select(fetch, "event_argument", events_of_layer, layer[1]):
        attached[row["event_id"]].append(("event_argument", row))
    for row in _select(fetch, "event_relation", *layer):
        attached[row["from_event_id"]].append(("event_relation", row))
    for table in LAYER_TABLES:
        for row in _select(fetch, table, *layer):
            key = f"{table}:{row['id']}"
            units[key] = _unit(key, [(table, row), *sorted(attached.get(row["id"], []),
                                                          key=lambda item: (item[0], item[1].get("position", 0),
                                                                            item[1]["id"]))])
    return units
