"""The layer rows of a chunk of documents, as exports read them: plain tuples from the driver.

An export reads every item of a project once. SQLAlchemy's rows cost about
1.5 µs per attribute read and its JSON processing decoded `{}` for nearly
every item: together most of an export's time, before any format work. Here
each table is one query per chunk of documents, each row a plain tuple of
just what a record needs (`SELECTED`, unpacked in that order by the reader),
external ids already resolved by SQLite, and JSON left as text until
`json_value` reads it.
"""

from __future__ import annotations

import copy
import json
from collections import defaultdict
from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter
from typing import Any

from sqlalchemy.orm import Session

from workstation.store.engine import driver_connection

EXTERNAL = "coalesce(external_id, id)"
SELECTED = {
    "mention": f'id, {EXTERNAL}, "start", "end", mention_type, actor_id, label, attributes, origin, suggester',
    "stance": f"{EXTERNAL}, holder_id, target_id, issue, issue_position, label, strength, implicit_target, "
              "evidence_start, evidence_end, attributes",
    "event": f"id, {EXTERNAL}, type, trigger_start, trigger_end, date, attributes, origin, suggester",
    "event_relation": "type, from_event_id, to_event_id",
    "mention_relation": f"{EXTERNAL}, type, from_mention_id, to_mention_id, attributes",
}
"""Per layer table, the columns a record is made of, in the order `DocumentReader` unpacks them (after the
document and annotator ids every row starts with)."""
ARGUMENT = 'role, mention_id, "start", "end"'
LABELLED_MENTION = ("SELECT m.document_id, m.annotator_id, m.\"start\", m.\"end\", m.mention_type, "
                    "coalesce(nullif(m.label, ''), nullif(a.type, ''), nullif(m.mention_type, ''), 'MENTION') "
                    "FROM mention AS m LEFT JOIN actor AS a ON a.id = m.actor_id")
"""A mention as the token exports label it: its own label, else its actor's type, else its mention type, else
MENTION (`records.mention_label`), the choice made by SQLite."""
STANDOFF_MENTION = ('SELECT m.document_id, m."start", m."end", m.mention_type, m.label, m.actor_id, m.attributes, '
                    "coalesce(m.external_id, m.id) "
                    "FROM chunk JOIN mention AS m ON m.document_id = chunk.id AND m.annotator_id = ? "
                    "ORDER BY chunk.position, m.rowid")
"""A mention as brat and Prodigy write it, in the order of the chunk's documents (`chunk`, a VALUES list) and then of
creation. The writer resolves its label and actor: joining the actor here (for its type, external id and name)
cost more than a look-up in the registry it already holds."""
StandoffMention = tuple[str, int, int, str | None, str | None, str | None, Any, str]
"""(document, start, end, mention type, label, actor, attributes as stored, id in files): the stored label (an
actor's mention may have none) and the actor's database id."""
IN_BATCH = 10_000
"""Ids per IN (...) list, well below SQLite's limit on bound parameters."""


def json_value(stored: Any) -> Any:
    """A JSON column's value from its stored text (SQLite), or from what psycopg already decoded (PostgreSQL), a
    fresh object per call (records own their attributes)."""
    if stored == "{}":
        return {}
    if stored is None or not isinstance(stored, str):
        return copy.deepcopy(stored)
    return json.loads(stored)


def _marks(values: list[str]) -> str:
    return ", ".join("?" * len(values))


def labelled_mentions(session: Session, document_ids: list[str],
                      annotator_ids: list[str]) -> dict[tuple[str, str], list[tuple[int, int, str | None, str]]]:
    """(document, annotator) → (start, end, mention type, label) of its mentions in creation order: all that
    CoNLL and a DocBin write, without a row of every column and a Python pass to label each mention."""
    if not annotator_ids:
        return {}
    rows = driver_connection(session).execute(
        f"{LABELLED_MENTION} WHERE m.document_id IN ({_marks(document_ids)}) "
        f"AND m.annotator_id IN ({_marks(annotator_ids)}) ORDER BY m.document_id, m.annotator_id, m.rowid",
        [*document_ids, *annotator_ids])
    labelled = itemgetter(2, 3, 4, 5)
    return {key: list(map(labelled, layer)) for key, layer in groupby(rows, key=itemgetter(0, 1))}


def standoff_mentions(session: Session, document_ids: list[str],
                      annotator_id: str) -> Iterator[Iterator[StandoffMention]]:
    """Each document's mentions by one annotator, in the order of `document_ids`. The rows come straight from
    the driver, each document's valid until the next is taken: a brat export formats them as they come, where
    holding a chunk's rows cost the garbage collector a third as much as the query."""
    positions = ", ".join(f"({position}, ?)" for position in range(len(document_ids)))
    rows = driver_connection(session).execute(f"WITH chunk(position, id) AS (VALUES {positions}) {STANDOFF_MENTION}",
                                              [*document_ids, annotator_id])
    layers = groupby(rows, key=itemgetter(0))
    layer = next(layers, None)
    for document_id in document_ids:
        if layer is None or layer[0] != document_id:
            yield iter(())
            continue
        yield layer[1]
        layer = next(layers, None)


class ChunkRows:
    """Every layer row of some documents (of `tables`, by default all), grouped by (table, document, annotator),
    in creation order."""

    def __init__(self, session: Session, document_ids: list[str], annotator_ids: list[str] | None,
                 tables: tuple[str, ...] = tuple(SELECTED)):
        driver = driver_connection(session)
        where = f"document_id IN ({_marks(document_ids)})"
        if annotator_ids is not None:
            where += f" AND annotator_id IN ({_marks(annotator_ids)})"
        params = [*document_ids, *(annotator_ids or [])]
        self.statuses: dict[str, dict[str, str]] = defaultdict(dict)
        """document → annotator → status: layers with a status, and layers with items (`new` then)."""
        for document_id, annotator_id, status in driver.execute(
                f"SELECT document_id, annotator_id, status FROM assignment WHERE {where}", params):
            self.statuses[document_id][annotator_id] = status
        self.items: dict[tuple[str, str, str], list[tuple]] = {}
        """(table, document, annotator) → rows of (document, annotator, *SELECTED[table]) in creation order."""
        for table in tables:
            rows = driver.execute(f"SELECT document_id, annotator_id, {SELECTED[table]} FROM {table} WHERE {where} "
                                  "ORDER BY document_id, annotator_id, rowid", params)
            for (document_id, annotator_id), layer in groupby(rows, key=itemgetter(0, 1)):
                self.items[(table, document_id, annotator_id)] = list(layer)
                self.statuses[document_id].setdefault(annotator_id, "new")
        events = [row[2] for (table, _, _), rows in self.items.items() if table == "event" for row in rows]
        self.arguments: dict[str, list[tuple]] = defaultdict(list)
        """event → (role, mention_id, start, end) in argument order."""
        for start in range(0, len(events), IN_BATCH):
            batch = events[start:start + IN_BATCH]
            for row in driver.execute(f"SELECT event_id, {ARGUMENT} FROM event_argument "
                                      f"WHERE event_id IN ({_marks(batch)}) ORDER BY position, rowid", batch):
                self.arguments[row[0]].append(row[1:])
