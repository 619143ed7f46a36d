"""What adjudication compares (DESIGN.md §8): one document's items in every layer, paired into rows.

Items of different layers are "the same" when their signatures are equal:
a mention by span, mention type, label and actor; a stance by holder, target
(or issue, compared without case and extra spaces) and label; an event by
type, trigger and its (role, argument span) pairs; an event relation by its
type and the signatures of the two events it joins. Actors are compared after
following `merged_into`, as agreement does. Attributes, stance strength and
evidence and event dates are not part of a signature, but they are shown, and
a difference in them is highlighted like any other.

Near misses share a row: items of one kind whose spans overlap (a mention with
a token more or less, a trigger typed differently) are paired across layers,
at most one item per layer, largest overlap first, so the supervisor reads the
difference in one row instead of finding two rows and comparing them by eye.

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

from workstation.core.records import takes_part
from workstation.core.text import folded
from workstation.editing.annotations import EditRefused
from workstation.review.agreement import actor_resolver
from workstation.store.models import (
    GOLD,
    Actor,
    Annotator,
    Assignment,
    Document,
    Event,
    EventArgument,
    EventRelation,
    Mention,
    Stance,
)

KINDS = ("mention", "stance", "event", "event_relation")
SHORT = 40
"""Characters of covered text shown per item before it is cut with an ellipsis."""
Signature = tuple[Hashable, ...]


@dataclass
class Item:
    table: str
    id: str
    annotator_id: str
    signature: Signature
    row: dict[str, Any]
    arguments: list[dict[str, Any]] = field(default_factory=list)
    """An event's argument rows, in position order."""

    @property
    def span(self) -> tuple[int, int] | None:
        """The span near misses are paired by: a mention's, a stance's evidence, an event's trigger."""
        row = self.row
        if self.table == "mention":
            return row["start"], row["end"]
        if self.table == "event":
            return row["trigger_start"], row["trigger_end"]
        if self.table == "stance" and row["evidence_start"] is not None:
            return row["evidence_start"], row["evidence_end"]
        return None


@dataclass(frozen=True)
class Version:
    """One layer's item in a row, as the supervisor reads it."""

    item_id: str
    signature: Signature
    text: str
    """The covered text, cut to SHORT characters."""
    description: str
    """Label or type and what the item links to."""
    fields: dict[str, str]
    """Field name → shown value (offsets, labels, links, attributes, date): what is compared cell by cell."""


@dataclass(frozen=True)
class ComparisonRow:
    """One item, or near misses of one item, across the layers: the version each layer holds."""

    table: str
    key: Signature
    """The signature of the row's first item: names the row across refreshes while it lasts."""
    text: str
    description: str
    position: int
    versions: dict[str, Version]
    """Annotator name → that layer's version (only layers that have one)."""
    gold: Version | None
    agreed: bool
    """Every taking-part annotator (at least two) has the same item."""

    @property
    def items(self) -> dict[str, str]:
        """Annotator name → id of that layer's item."""
        return {name: version.item_id for name, version in self.versions.items()}

    @property
    def gold_id(self) -> str | None:
        return None if self.gold is None else self.gold.item_id

    @property
    def in_gold(self) -> bool:
        return self.gold is not None

    def differing(self) -> set[str]:
        """Names of the fields whose values are not the same in every version of the row (gold's included)."""
        versions = [*self.versions.values(), *([self.gold] if self.gold else [])]
        names = {name for version in versions for name in version.fields}
        return {name for name in names if len({version.fields.get(name, "") for version in versions}) > 1}


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

    def gold_counterparts(self, table: str) -> dict[str, str]:
        """Layer item id → id of the gold item in its row, for rows of `table` that gold has."""
        return {version.item_id: row.gold.item_id for row in self.rows if row.table == table and row.gold
                for version in (*row.versions.values(), row.gold)}


def short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SHORT else text[:SHORT - 1] + "…"


class LayerDocument:
    """Every item of every layer of one document, with signatures; small enough to load at once."""

    def __init__(self, session: Session, document_id: str):
        self.session, self.document_id = session, document_id
        document = session.get(Document, document_id)
        if document is None:
            raise EditRefused("the document is not in the project")
        self.document = document
        self.resolve: Callable[[str | None], str | None] = actor_resolver(session)
        self.items: list[Item] = []
        self.mentions: dict[str, Item] = {}
        self.events: dict[str, Item] = {}
        for row in self._rows(Mention, Mention.start, Mention.end):
            item = Item("mention", row["id"], row["annotator_id"], self._mention_signature(row), row)
            self.mentions[item.id] = item
            self.items.append(item)
        for row in self._rows(Stance, Stance.evidence_start):
            target = ("actor", self.resolve(row["target_id"])) if row["target_id"] else ("issue", folded(row["issue"]))
            self.items.append(Item("stance", row["id"], row["annotator_id"],
                                   ("stance", self.resolve(row["holder_id"]), target, row["label"]), row))
        arguments: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for argument in session.execute(select(EventArgument.__table__)
                                        .join(Event, Event.id == EventArgument.event_id)
                                        .where(Event.document_id == document_id)
                                        .order_by(EventArgument.position)).mappings():
            arguments[argument["event_id"]].append(dict(argument))
        for row in self._rows(Event, Event.trigger_start):
            roles = tuple(sorted((argument["role"], self.argument_span(argument))
                                 for argument in arguments[row["id"]]))
            item = Item("event", row["id"], row["annotator_id"],
                        ("event", row["type"], (row["trigger_start"], row["trigger_end"]), roles), row,
                        arguments[row["id"]])
            self.events[item.id] = item
            self.items.append(item)
        for row in self._rows(EventRelation, EventRelation.type):
            ends = self.events[row["from_event_id"]].signature, self.events[row["to_event_id"]].signature
            self.items.append(Item("event_relation", row["id"], row["annotator_id"],
                                   ("event_relation", row["type"], *ends), row))

    def _rows(self, model: Any, *order: Any) -> list[dict[str, Any]]:
        query = select(model.__table__).where(model.document_id == self.document_id).order_by(*order, model.id)
        return [dict(row) for row in self.session.execute(query).mappings()]

    def _mention_signature(self, row: dict[str, Any]) -> Signature:
        return ("mention", row["start"], row["end"], row["mention_type"], row["label"], self.resolve(row["actor_id"]))

    def argument_span(self, argument: dict[str, Any]) -> tuple[int, int]:
        if argument["mention_id"] is None:
            return argument["start"], argument["end"]
        mention = self.mentions[argument["mention_id"]].row
        return mention["start"], mention["end"]

    def find(self, table: str, item_id: str) -> Item:
        for item in self.items:
            if (item.table, item.id) == (table, item_id):
                return item
        raise EditRefused(f"the {table.replace('_', ' ')} to accept is not on this document")

    def relations_of(self, event: Item) -> list[Item]:
        """The relations of the event's layer that start or end at it."""
        return [item for item in self.items if item.table == "event_relation"
                and item.annotator_id == event.annotator_id
                and event.id in (item.row["from_event_id"], item.row["to_event_id"])]


def gold_annotator(session: Session) -> str | None:
    return session.scalar(select(Annotator.id).where(Annotator.name == GOLD))


def _taking_part(session: Session, document: LayerDocument, gold_id: str | None) -> dict[str, str]:
    """Annotator id → name of the layers compared (see the module docstring), sorted by name."""
    statuses = dict(session.execute(select(Assignment.annotator_id, Assignment.status)
                                    .where(Assignment.document_id == document.document_id)).tuples().all())
    with_items = {item.annotator_id for item in document.items}
    ids = {who for who in statuses.keys() | with_items if takes_part(statuses.get(who), who in with_items)}
    ids.discard(gold_id)
    names = dict(session.execute(select(Annotator.id, Annotator.name).where(Annotator.id.in_(ids))).tuples().all())
    return dict(sorted(names.items(), key=lambda pair: pair[1]))


def _span_text(start: int | None, end: int | None) -> str:
    return "" if start is None else f"{start}–{end}"


class Describer:
    """Readable versions of items: what the supervisor compares by eye."""

    def __init__(self, session: Session, document: LayerDocument):
        self.text = document.document.text
        self.document = document
        self.actors = dict(session.execute(select(Actor.id, Actor.name)).tuples().all())

    def actor(self, actor_id: str | None) -> str:
        return self.actors.get(self.document.resolve(actor_id), "?") if actor_id else ""

    def covered(self, start: int | None, end: int | None) -> str:
        return "" if start is None else short(self.text[start:end])

    def __call__(self, item: Item) -> Version:
        text, description, fields = getattr(self, f"_{item.table}")(item)
        attributes = item.row.get("attributes") or {}
        fields.update({name: ", ".join(map(str, value)) if isinstance(value, list) else str(value)
                       for name, value in sorted(attributes.items())})
        return Version(item.id, item.signature, text, description, fields)

    def _mention(self, item: Item) -> tuple[str, str, dict[str, str]]:
        row = item.row
        fields = {"span": _span_text(row["start"], row["end"]), "type": row["mention_type"] or "",
                  "label": row["label"] or "", "actor": self.actor(row["actor_id"])}
        parts = [row["mention_type"], row["label"], fields["actor"]]
        return self.covered(row["start"], row["end"]), " · ".join(part for part in parts if part), fields

    def _stance(self, item: Item) -> tuple[str, str, dict[str, str]]:
        row = item.row
        target = self.actor(row["target_id"]) if row["target_id"] else f"“{short(row['issue'] or '')}”"
        fields = {"label": row["label"], "holder": self.actor(row["holder_id"]), "target": target,
                  "evidence": _span_text(row["evidence_start"], row["evidence_end"]),
                  "strength": str(row["strength"])}
        return (self.covered(row["evidence_start"], row["evidence_end"]),
                f"{row['label']}: {fields['holder']} → {target}", fields)

    def _event(self, item: Item) -> tuple[str, str, dict[str, str]]:
        row = item.row
        roles = ", ".join(f"{argument['role']}={short(self.text[slice(*self.document.argument_span(argument))])}"
                          for argument in sorted(item.arguments, key=lambda argument: (
                              argument["role"], self.document.argument_span(argument))))
        fields = {"type": row["type"], "trigger": _span_text(row["trigger_start"], row["trigger_end"]),
                  "arguments": roles, "date": row["date"] or ""}
        return self.covered(row["trigger_start"], row["trigger_end"]), f"{row['type']}({roles})", fields

    def _event_relation(self, item: Item) -> tuple[str, str, dict[str, str]]:
        row, events = item.row, self.document.events
        ends = [events[row[column]].row for column in ("from_event_id", "to_event_id")]
        first, second = (f"{end['type']} “{self.covered(end['trigger_start'], end['trigger_end'])}”" for end in ends)
        fields = {"type": row["type"], "from": first, "to": second}
        return self.covered(ends[0]["trigger_start"], ends[0]["trigger_end"]), f"{row['type']}: {first} → {second}", \
            fields


def _position(item: Item, document: LayerDocument) -> int:
    if item.table == "event_relation":
        return document.events[item.row["from_event_id"]].row["trigger_start"]
    span = item.span
    return 0 if span is None else span[0]


def _tables(group: dict[str, Item]) -> set[str]:
    return {item.table for item in group.values()}


def _near_misses(groups: list[dict[str, Item]]) -> list[dict[str, Item]]:
    """Groups of equal items joined when their spans overlap and no layer would hold two items of the row:
    the pair sharing most text first, then the pair with less text unshared."""
    spans = [next(iter(group.values())).span for group in groups]
    tables = [next(iter(group.values())).table for group in groups]
    order = sorted((index for index, span in enumerate(spans) if span is not None), key=lambda index: spans[index])
    candidates = []
    for place, i in enumerate(order):
        start, end = spans[i]
        for j in order[place + 1:]:
            other_start, other_end = spans[j]
            if other_start >= end:
                break
            shared = min(end, other_end) - max(start, other_start)
            if tables[i] == tables[j] and shared > 0:
                candidates.append((-shared, (end - start) + (other_end - other_start) - 2 * shared, i, j))
    owner = list(range(len(groups)))

    def root(index: int) -> int:
        while owner[index] != index:
            index = owner[index]
        return index

    members = [dict(group) for group in groups]
    for _, _, i, j in sorted(candidates):
        first, second = root(i), root(j)
        if first != second and not members[first].keys() & members[second].keys():
            first, second = min(first, second), max(first, second)
            members[first].update(members[second])
            owner[second] = first
    return [members[index] for index in range(len(groups)) if owner[index] == index]


def _relations_by_events(groups: list[dict[str, Item]], rows: list[dict[str, Item]]) -> list[dict[str, Item]]:
    """Relation groups joined when they have one type and join events of the same two rows: the relation
    between near-miss events is a near miss too."""
    row_of = {item.id: index for index, members in enumerate(rows) for item in members.values()}
    joined: dict[tuple[str, int, int], list[dict[str, Item]]] = defaultdict(list)
    for group in groups:
        relation = next(iter(group.values())).row
        key = relation["type"], row_of[relation["from_event_id"]], row_of[relation["to_event_id"]]
        home = next((members for members in joined[key] if not members.keys() & group.keys()), None)
        if home is None:
            joined[key].append(dict(group))
        else:
            home.update(group)
    return [members for rows_of_key in joined.values() for members in rows_of_key]


def compare_layers(session: Session, document_id: str) -> Comparison:
    """Every item of the document's layers, near misses sharing a row, in text order per kind."""
    return compare(session, LayerDocument(session, document_id))


def compare(session: Session, document: LayerDocument) -> Comparison:
    gold_id = gold_annotator(session)
    layers = _taking_part(session, document, gold_id)
    describe = Describer(session, document)
    groups: dict[Signature, dict[str, Item]] = {}
    for item in document.items:
        who = GOLD if item.annotator_id == gold_id else layers.get(item.annotator_id)
        if who is not None:
            groups.setdefault(item.signature, {}).setdefault(who, item)
    spanned = _near_misses([group for group in groups.values() if "event_relation" not in _tables(group)])
    relations = [group for group in groups.values() if "event_relation" in _tables(group)]
    rows = []
    for members in spanned + _relations_by_events(relations, spanned):
        gold = members.pop(GOLD, None)
        first = next(iter(members.values()), gold)
        versions = {name: describe(item) for name, item in sorted(members.items())}
        agreed = len(layers) >= 2 and len(members) == len(layers) and len({item.signature for item in
                                                                         members.values()}) == 1
        shown = describe(first)
        position = min(_position(item, document) for item in (*members.values(), *([gold] if gold else [])))
        rows.append(ComparisonRow(first.table, first.signature, shown.text, shown.description, position,
                                  versions, None if gold is None else describe(gold), agreed))
    rows.sort(key=lambda row: (KINDS.index(row.table), row.position, row.description))
    status = None if gold_id is None else session.scalar(
        select(Assignment.status).where(Assignment.document_id == document.document_id,
                                        Assignment.annotator_id == gold_id))
    return Comparison(document.document_id, document.document.title, list(layers.values()), rows, status)
