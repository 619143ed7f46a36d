"""Adjudication (DESIGN.md §8): the supervisor builds the gold layer of a document from the annotators' layers.

What is compared, and how rows pair items, is in adjudication_rows. Accepting
copies the item exactly as the chosen layer holds it (attributes, stance
strength and evidence, event dates included), and the gold copy links the
surviving actor, so a merge made after annotation never reaches the gold data.
An item comes with what it joins: an event brings the gold mentions its
arguments need, and the relations of its layer to events gold already holds;
a relation is accepted only when gold holds both its events (in the relation's
row or as a near miss of it), so gold never has a relation to nothing.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workstation.core.schema import Schema
from workstation.editing.annotations import EditRefused, Layer
from workstation.editing.commands import Command, InsertRows, Row
from workstation.review.adjudication_rows import (
    KINDS,
    Comparison,
    Item,
    LayerDocument,
    Signature,
    compare,
    short,
)
from workstation.store.models import Event, EventRelation, Mention, Stance, new_id, utcnow

MODELS: dict[str, Any] = {"mention": Mention, "stance": Stance, "event": Event, "event_relation": EventRelation}


class _GoldCopy:
    """Plans copies into the gold layer, remembering what gold has (or will have) so nothing lands twice."""

    def __init__(self, document: LayerDocument, comparison: Comparison, gold_id: str):
        self.document, self.gold_id = document, gold_id
        gold = [item for item in document.items if item.annotator_id == gold_id]
        self.signatures = {item.signature for item in gold if item.table != "event_relation"}
        self.mentions: dict[tuple[int, int, str | None], list[tuple[Signature, str]]] = defaultdict(list)
        for item in gold:
            if item.table == "mention":
                self._remember_mention(item.signature, item.row)
        self.events = comparison.gold_counterparts("event")
        """Layer event id → its gold counterpart, events planned here included."""
        self.relations = {self._relation_key(item.row) for item in gold if item.table == "event_relation"}
        self.rows: list[Row] = []

    @staticmethod
    def _relation_key(row: dict[str, Any]) -> tuple[str, str, str]:
        return row["type"], row["from_event_id"], row["to_event_id"]

    def _remember_mention(self, signature: Signature, row: dict[str, Any]) -> None:
        self.mentions[(row["start"], row["end"], row["mention_type"])].append((signature, row["id"]))

    def _copy(self, row: dict[str, Any]) -> dict[str, Any]:
        now = utcnow()
        return {**row, "id": new_id(), "external_id": None, "annotator_id": self.gold_id, "created_at": now,
                "updated_at": now}

    def holds(self, item: Item) -> bool:
        if item.table == "event_relation":
            ends = [self.events.get(item.row[column]) for column in ("from_event_id", "to_event_id")]
            return (item.row["type"], *ends) in self.relations
        return item.signature in self.signatures

    def add(self, item: Item) -> None:
        what = item.table.replace("_", " ")
        if item.annotator_id == self.gold_id:
            raise EditRefused(f"this {what} is already in the gold layer")
        if self.holds(item):
            raise EditRefused(f"the gold layer already has this {what}")
        resolve = self.document.resolve
        if item.table == "mention":
            self._add_mention(item)
        elif item.table == "stance":
            self.signatures.add(item.signature)
            self.rows.append(("stance", self._copy({**item.row, "holder_id": resolve(item.row["holder_id"]),
                                                    "target_id": resolve(item.row["target_id"])})))
        elif item.table == "event":
            self._add_event(item)
        else:
            self._add_relation(item, refuse=True)

    def _add_event(self, item: Item) -> None:
        self.signatures.add(item.signature)
        event = self._copy(item.row)
        self.events[item.id] = event["id"]
        arguments = [{**argument, "id": new_id(), "event_id": event["id"],
                      "mention_id": argument["mention_id"] and self._gold_mention(argument["mention_id"])}
                     for argument in item.arguments]
        self.rows += [("event", event), *(("event_argument", argument) for argument in arguments)]
        for relation in self.document.relations_of(item):
            if not self.holds(relation):
                self._add_relation(relation, refuse=False)

    def _add_relation(self, item: Item, refuse: bool) -> None:
        """Copy a relation whose events gold holds; a missing one refuses (or, carried by its event, skips)."""
        ends = {}
        for column, end in (("from_event_id", "first"), ("to_event_id", "second")):
            gold = self.events.get(item.row[column])
            if gold is None:
                if not refuse:
                    return
                event = self.document.events[item.row[column]].row
                trigger = short(self.document.document.text[event["trigger_start"]:event["trigger_end"]])
                raise EditRefused(f"accept the {end} event of this relation ({event['type']} “{trigger}”) into "
                                  f"gold first: a relation can only join events that are in gold")
            ends[column] = gold
        row = {**item.row, **ends, "id": new_id(), "external_id": None, "annotator_id": self.gold_id}
        self.relations.add(self._relation_key(row))
        self.rows.append(("event_relation", row))

    def _add_mention(self, item: Item) -> str:
        row = self._copy({**item.row, "actor_id": self.document.resolve(item.row["actor_id"])})
        self.signatures.add(item.signature)
        self._remember_mention(item.signature, row)
        self.rows.append(("mention", row))
        return row["id"]

    def _gold_mention(self, mention_id: str) -> str:
        """The gold mention with the argument's span and type (preferring an identical one), copied if none."""
        source = self.document.mentions[mention_id]
        found = self.mentions.get((source.row["start"], source.row["end"], source.row["mention_type"]))
        if not found:
            return self._add_mention(source)
        return next((gold for signature, gold in found if signature == source.signature), found[0][1])


def _command(session: Session, schema: Schema, copy: _GoldCopy, text: str) -> Command:
    """The copies as one undo step; the first gold edit also marks the gold layer in progress, as for annotators."""
    document_id = copy.document.document_id
    layer = Layer(session, schema, document_id, copy.gold_id)
    return layer.marking_progress(InsertRows(text, copy.rows, document_id))


def accept(session: Session, schema: Schema, gold_annotator_id: str, table: str, item_id: str,
           comparison: Comparison | None = None) -> Command:
    """Copy one item of an annotator's layer into gold, with what it joins (see the module docstring).
    `comparison`: the document's, as the caller shows it and current (comparing again costs a third of a second
    on a document of 2,000 mentions a layer)."""
    if table not in KINDS:
        raise EditRefused(f"only mentions, stances, events and event relations can be accepted, not '{table}'")
    model = MODELS[table]
    what = table.replace("_", " ")
    document_id = session.scalar(select(model.document_id).where(model.id == item_id))
    if document_id is None:
        raise EditRefused(f"the {what} to accept no longer exists")
    document = LayerDocument(session, document_id)
    current = comparison if comparison is not None and comparison.document_id == document_id else None
    copy = _GoldCopy(document, current or compare(session, document), gold_annotator_id)
    copy.add(document.find(table, item_id))
    return _command(session, schema, copy, f"Accept {what} into gold")


def accept_all_agreed(session: Session, schema: Schema, gold_annotator_id: str, document_id: str) -> Command | None:
    """Everything all annotators agree on and gold lacks, as one undo step; None when there is nothing to add."""
    document = LayerDocument(session, document_id)
    comparison = compare(session, document)
    missing = comparison.agreed_missing()
    if not missing:
        return None
    copy = _GoldCopy(document, comparison, gold_annotator_id)
    for row in missing:
        item = document.find(row.table, row.items[comparison.layers[0]])
        if not copy.holds(item):
            copy.add(item)
    return _command(session, schema, copy, f"Accept {len(missing)} agreed item(s) into gold")


def reject(session: Session, schema: Schema, gold_annotator_id: str, table: str, item_id: str) -> Command:
    """Take an item out of gold (with the arguments a gold mention fills and the relations a gold event has):
    how a wrong acceptance is corrected without undoing everything accepted after it."""
    model = MODELS.get(table)
    what = table.replace("_", " ")
    found = None if model is None else session.execute(
        select(model.document_id, model.annotator_id).where(model.id == item_id)).first()
    if found is None or found.annotator_id != gold_annotator_id:
        raise EditRefused(f"this {what} is not in the gold layer")
    command = Layer(session, schema, found.document_id, gold_annotator_id).delete(table, item_id)
    command.text = f"Remove {what} from gold"
    return command


def set_gold_status(session: Session, schema: Schema, gold_annotator_id: str, document_id: str,
                    status: str) -> Command:
    """Gold status lives in the gold annotator's assignment, so document lists and exports read it like any layer's."""
    return Layer(session, schema, document_id, gold_annotator_id).set_status(status)
