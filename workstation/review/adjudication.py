"""Adjudication (DESIGN.md §8): the supervisor builds the gold layer of a document from the annotators' layers.

Items of different layers are "the same" when their signatures are equal:
a mention by span, mention type, label and actor; a stance by holder, target
(or issue, compared without case and extra spaces) and label; an event by
type, trigger and its (role, argument span) pairs. Actors are compared after
following `merged_into`, as agreement does, and the gold copy links the
surviving actor, so a merge made after annotation never reaches the gold data.
Attributes, stance strength and evidence and event dates are not part of a
signature: accepting takes them from the layer the supervisor picked. Event
relations are not copied; they can be drawn in the gold layer afterwards.

A layer takes part when agreement would count it: started or done, or holding
items and not skipped. A layer's duplicate of one of its own items counts once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workstation.core.schema import Schema
from workstation.core.text import folded
from workstation.editing.annotations import EditRefused, Layer
from workstation.editing.commands import Command, InsertRows, Row
from workstation.review.agreement import actor_resolver, takes_part
from workstation.store.models import (
    GOLD,
    Actor,
    Annotator,
    Assignment,
    Document,
    Event,
    EventArgument,
    Mention,
    Stance,
    new_id,
    utcnow,
)

KINDS = ("mention", "stance", "event")
SHORT = 40
"""Characters of covered text shown per item before it is cut with an ellipsis."""


@dataclass
class _Item:
    table: str
    id: str
    annotator_id: str
    signature: tuple[Hashable, ...]
    row: dict[str, Any]
    arguments: list[dict[str, Any]] = field(default_factory=list)
    """An event's argument rows, in position order."""


@dataclass(frozen=True)
class ComparisonRow:
    """One signature on the document: which layers hold an item with it, and the item id in each."""

    table: str
    signature: tuple[Hashable, ...]
    text: str
    """The covered text, cut to SHORT characters."""
    description: str
    """Label or type and what the item links to, as a supervisor reads it."""
    position: int
    items: dict[str, str]
    """Annotator name → id of that layer's item (only layers that have it)."""
    gold_id: str | None
    agreed: bool
    """Every taking-part annotator (at least two) has it."""

    @property
    def in_gold(self) -> bool:
        return self.gold_id is not None


@dataclass
class Comparison:
    document_id: str
    title: str
    layers: list[str]
    """Names of the annotators whose layers take part, gold excluded, sorted."""
    rows: list[ComparisonRow]
    gold_status: str | None

    @property
    def gold_items(self) -> int:
        return sum(row.in_gold for row in self.rows)

    def agreed_missing(self) -> list[ComparisonRow]:
        """What `accept_all_agreed` would add."""
        return [row for row in self.rows if row.agreed and not row.in_gold]


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SHORT else text[:SHORT - 1] + "…"


class _Document:
    """Every item of every layer of one document, with signatures; small enough to load at once."""

    def __init__(self, session: Session, document_id: str):
        self.session, self.document_id = session, document_id
        self.document = session.get(Document, document_id)
        if self.document is None:
            raise EditRefused("the document is not in the project")
        self.resolve: Callable[[str | None], str | None] = actor_resolver(session)
        self.items: list[_Item] = []
        self.mentions: dict[str, _Item] = {}
        for row in session.execute(select(Mention.__table__).where(Mention.document_id == document_id)
                                   .order_by(Mention.start, Mention.end)).mappings():
            item = _Item("mention", row["id"], row["annotator_id"], self._mention_signature(row), dict(row))
            self.mentions[item.id] = item
            self.items.append(item)
        for row in session.execute(select(Stance.__table__).where(Stance.document_id == document_id)).mappings():
            target = ("actor", self.resolve(row["target_id"])) if row["target_id"] else ("issue", folded(row["issue"]))
            signature = ("stance", self.resolve(row["holder_id"]), target, row["label"])
            self.items.append(_Item("stance", row["id"], row["annotator_id"], signature, dict(row)))
        arguments: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in session.execute(select(EventArgument.__table__).join(Event, Event.id == EventArgument.event_id)
                                   .where(Event.document_id == document_id)
                                   .order_by(EventArgument.position)).mappings():
            arguments[row["event_id"]].append(dict(row))
        for row in session.execute(select(Event.__table__).where(Event.document_id == document_id)
                                   .order_by(Event.trigger_start)).mappings():
            roles = tuple(sorted((argument["role"], self.argument_span(argument))
                                 for argument in arguments[row["id"]]))
            signature = ("event", row["type"], (row["trigger_start"], row["trigger_end"]), roles)
            self.items.append(_Item("event", row["id"], row["annotator_id"], signature, dict(row),
                                    arguments[row["id"]]))

    def _mention_signature(self, row: Any) -> tuple[Hashable, ...]:
        return ("mention", row["start"], row["end"], row["mention_type"], row["label"], self.resolve(row["actor_id"]))

    def argument_span(self, argument: dict[str, Any]) -> tuple[int, int]:
        if argument["mention_id"] is None:
            return argument["start"], argument["end"]
        mention = self.mentions[argument["mention_id"]].row
        return mention["start"], mention["end"]

    def find(self, table: str, item_id: str) -> _Item:
        for item in self.items:
            if (item.table, item.id) == (table, item_id):
                return item
        raise EditRefused(f"the {table} to accept is not on this document")


def _gold_id(session: Session) -> str | None:
    return session.scalar(select(Annotator.id).where(Annotator.name == GOLD))


def _taking_part(session: Session, document: _Document, gold_id: str | None) -> dict[str, str]:
    """Annotator id → name of the layers compared (see the module docstring), sorted by name."""
    statuses = dict(session.execute(select(Assignment.annotator_id, Assignment.status)
                                    .where(Assignment.document_id == document.document_id)).tuples().all())
    with_items = {item.annotator_id for item in document.items}
    ids = {who for who in statuses.keys() | with_items if takes_part(statuses.get(who), who in with_items)}
    ids.discard(gold_id)
    names = dict(session.execute(select(Annotator.id, Annotator.name).where(Annotator.id.in_(ids))).tuples().all())
    return dict(sorted(names.items(), key=lambda pair: pair[1]))


class _Describer:
    """Readable text for items: what the supervisor compares by eye."""

    def __init__(self, session: Session, document: _Document):
        self.text = document.document.text
        self.document = document
        self.actors = dict(session.execute(select(Actor.id, Actor.name)).tuples().all())

    def actor(self, actor_id: str | None) -> str:
        return self.actors.get(self.document.resolve(actor_id), "?") if actor_id else ""

    def __call__(self, item: _Item) -> tuple[str, str, int]:
        """(covered text, description, position)."""
        row = item.row
        if item.table == "mention":
            parts = [row["mention_type"], row["label"], self.actor(row["actor_id"])]
            return (_short(self.text[row["start"]:row["end"]]), " · ".join(part for part in parts if part),
                    row["start"])
        if item.table == "stance":
            target = self.actor(row["target_id"]) if row["target_id"] else f"“{_short(row['issue'] or '')}”"
            start, end = row["evidence_start"], row["evidence_end"]
            covered = _short(self.text[start:end]) if start is not None else ""
            return covered, f"{row['label']}: {self.actor(row['holder_id'])} → {target}", start or 0
        roles = ", ".join(f"{role}={_short(self.text[start:end])}" for role, (start, end) in item.signature[3])
        trigger = self.text[row["trigger_start"]:row["trigger_end"]]
        return _short(trigger), f"{row['type']}({roles})", row["trigger_start"]


def compare_layers(session: Session, document_id: str) -> Comparison:
    """Every distinct item of the document's layers, in text order per kind, with who has it and whether gold does."""
    return _compare(session, _Document(session, document_id))


def _compare(session: Session, document: _Document) -> Comparison:
    document_id = document.document_id
    gold_id = _gold_id(session)
    layers = _taking_part(session, document, gold_id)
    describe = _Describer(session, document)
    holders: dict[tuple[Hashable, ...], dict[str, str]] = defaultdict(dict)
    first: dict[tuple[Hashable, ...], _Item] = {}
    for item in document.items:
        who = GOLD if item.annotator_id == gold_id else layers.get(item.annotator_id)
        if who is not None:
            holders[item.signature].setdefault(who, item.id)
            first.setdefault(item.signature, item)
    rows = []
    for signature, item in first.items():
        found = holders[signature]
        gold = found.pop(GOLD, None)
        text, description, position = describe(item)
        agreed = len(layers) >= 2 and len(found) == len(layers)
        rows.append(ComparisonRow(item.table, signature, text, description, position, found, gold, agreed))
    rows.sort(key=lambda row: (KINDS.index(row.table), row.position, row.description))
    status = None if gold_id is None else session.scalar(
        select(Assignment.status).where(Assignment.document_id == document_id, Assignment.annotator_id == gold_id))
    return Comparison(document_id, document.document.title, list(layers.values()), rows, status)


class _GoldCopy:
    """Plans copies into the gold layer, remembering what gold has (or will have) so nothing lands twice."""

    def __init__(self, document: _Document, gold_id: str):
        self.document, self.gold_id = document, gold_id
        gold = [item for item in document.items if item.annotator_id == gold_id]
        self.signatures = {item.signature for item in gold}
        self.mentions: dict[tuple[int, int, str | None], list[tuple[tuple[Hashable, ...], str]]] = defaultdict(list)
        for item in gold:
            if item.table == "mention":
                self._remember_mention(item.signature, item.row)
        self.rows: list[Row] = []

    def _remember_mention(self, signature: tuple[Hashable, ...], row: dict[str, Any]) -> None:
        self.mentions[(row["start"], row["end"], row["mention_type"])].append((signature, row["id"]))

    def _copy(self, row: dict[str, Any]) -> dict[str, Any]:
        now = utcnow()
        return {**row, "id": new_id(), "external_id": None, "annotator_id": self.gold_id, "created_at": now,
                "updated_at": now}

    def add(self, item: _Item) -> None:
        if item.annotator_id == self.gold_id:
            raise EditRefused(f"this {item.table} is already in the gold layer")
        if item.signature in self.signatures:
            raise EditRefused(f"the gold layer already has this {item.table}")
        self.signatures.add(item.signature)
        resolve = self.document.resolve
        if item.table == "mention":
            self._add_mention(item)
        elif item.table == "stance":
            self.rows.append(("stance", self._copy({**item.row, "holder_id": resolve(item.row["holder_id"]),
                                                    "target_id": resolve(item.row["target_id"])})))
        else:
            event = self._copy(item.row)
            arguments = [{**argument, "id": new_id(), "event_id": event["id"],
                          "mention_id": argument["mention_id"] and self._gold_mention(argument["mention_id"])}
                         for argument in item.arguments]
            self.rows += [("event", event), *(("event_argument", argument) for argument in arguments)]

    def _add_mention(self, item: _Item) -> str:
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


def accept(session: Session, schema: Schema, gold_annotator_id: str, table: str, item_id: str) -> Command:
    """Copy one item of an annotator's layer into gold; an event brings the gold mentions its arguments need."""
    if table not in KINDS:
        raise EditRefused(f"only mentions, stances and events can be accepted, not '{table}'")
    model = {"mention": Mention, "stance": Stance, "event": Event}[table]
    document_id = session.scalar(select(model.document_id).where(model.id == item_id))
    if document_id is None:
        raise EditRefused(f"the {table} to accept no longer exists")
    document = _Document(session, document_id)
    copy = _GoldCopy(document, gold_annotator_id)
    copy.add(document.find(table, item_id))
    return _command(session, schema, copy, f"Accept {table} into gold")


def accept_all_agreed(session: Session, schema: Schema, gold_annotator_id: str, document_id: str) -> Command | None:
    """Everything all annotators agree on and gold lacks, as one undo step; None when there is nothing to add."""
    document = _Document(session, document_id)
    comparison = _compare(session, document)
    missing = comparison.agreed_missing()
    if not missing:
        return None
    copy = _GoldCopy(document, gold_annotator_id)
    for row in missing:
        if row.signature not in copy.signatures:
            copy.add(document.find(row.table, row.items[comparison.layers[0]]))
    return _command(session, schema, copy, f"Accept {len(missing)} agreed item(s) into gold")


def reject(session: Session, schema: Schema, gold_annotator_id: str, table: str, item_id: str) -> Command:
    """Take an item out of gold (with the arguments a gold mention fills): how a wrong acceptance is corrected
    without undoing everything accepted after it."""
    model = {"mention": Mention, "stance": Stance, "event": Event}.get(table)
    found = None if model is None else session.execute(
        select(model.document_id, model.annotator_id).where(model.id == item_id)).first()
    if found is None or found.annotator_id != gold_annotator_id:
        raise EditRefused(f"this {table} is not in the gold layer")
    command = Layer(session, schema, found.document_id, gold_annotator_id).delete(table, item_id)
    command.text = f"Remove {table} from gold"
    return command


def set_gold_status(session: Session, schema: Schema, gold_annotator_id: str, document_id: str,
                    status: str) -> Command:
    """Gold status lives in the gold annotator's assignment, so document lists and exports read it like any layer's."""
    return Layer(session, schema, document_id, gold_annotator_id).set_status(status)
