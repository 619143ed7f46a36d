"""Gold progress per document: how far adjudication has come, and which document comes next.

A document waits for gold when at least one annotator's layer on it takes part
(see `takes_part`). Its gold status is the gold annotator's assignment, read
as the supervisor thinks of it: none or new is "not started", then "in
progress", "done". A gold layer marked skipped takes the document out: the
supervisor decided there is nothing to adjudicate.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from workstation.core.records import GOLD, takes_part

GOLD_STATES = ("not started", "in progress", "done")
STATE_OF = {"in_progress": "in progress", "done": "done"}


@dataclass(frozen=True)
class GoldDocument:
    id: str
    title: str
    layers: int
    """Annotators' layers that take part."""
    state: str
    """One of GOLD_STATES."""


def gold_documents(connection: Any) -> list[GoldDocument]:
    """The documents waiting for gold (or done), in import order, with their gold state. Plain SQL on a DB-API
    connection (`DriverConnection` of a session): `stats` counts gold progress without loading SQLAlchemy."""
    found = connection.execute("SELECT id FROM annotator WHERE name = ?", (GOLD,)).fetchone()
    gold_id = found[0] if found else None
    statuses: dict[str, dict[str, str]] = defaultdict(dict)
    for document_id, annotator_id, status in connection.execute(
            "SELECT document_id, annotator_id, status FROM assignment"):
        statuses[document_id][annotator_id] = status
    with_items: dict[str, set[str]] = defaultdict(set)
    for document_id, annotator_id in connection.execute(" UNION ".join(
            f"SELECT DISTINCT document_id, annotator_id FROM {table}" for table in ("mention", "stance", "event"))):
        with_items[document_id].add(annotator_id)
    documents = []
    for document_id, title in connection.execute("SELECT id, title FROM document ORDER BY rowid"):
        layer_status = statuses.get(document_id, {})
        items = with_items.get(document_id, set())
        taking_part = [who for who in layer_status.keys() | items
                       if who != gold_id and takes_part(layer_status.get(who), who in items)]
        gold = layer_status.get(gold_id) if gold_id else None
        if taking_part and gold != "skipped":
            documents.append(GoldDocument(document_id, title, len(taking_part), STATE_OF.get(gold, "not started")))
    return documents


def next_to_adjudicate(documents: list[GoldDocument], after: str | None = None) -> GoldDocument | None:
    """The first document whose gold is not done, after `after` in import order and wrapping around, so that
    asking again from the document just adjudicated moves on through the project (it comes last)."""
    ids = [document.id for document in documents]
    start = ids.index(after) + 1 if after in ids else 0
    for document in documents[start:] + documents[:start]:
        if document.state != "done":
            return document
    return None


def gold_progress(documents: list[GoldDocument]) -> dict[str, int]:
    """Documents per gold state, every state present (0 when none), and the total waiting for gold."""
    counts = Counter(document.state for document in documents)
    return {**{state: counts[state] for state in GOLD_STATES}, "documents": len(documents)}
