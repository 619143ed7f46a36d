"""Records of one document's actors and layers → validated table rows.

Everything a file can get wrong about annotations is caught here, before a row
is written: offsets past the text, labels the schema does not have, references
to mentions, events or actors that do not exist. The message names the item.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from workstation.core.errors import UserError
from workstation.core.records import ActorRecord, DocumentRecord, EventRecord, LayerRecord
from workstation.core.schema import Schema
from workstation.store.ids import scoped_id
from workstation.store.row_checks import RowChecks, check_merge_chains


@dataclass
class LayerRows:
    """Rows for one (document, annotator) layer, ready to insert or compare."""

    annotator: str
    status: str
    mention: list[dict[str, Any]] = field(default_factory=list)
    stance: list[dict[str, Any]] = field(default_factory=list)
    event: list[dict[str, Any]] = field(default_factory=list)
    event_argument: list[dict[str, Any]] = field(default_factory=list)
    event_relation: list[dict[str, Any]] = field(default_factory=list)
    mention_relation: list[dict[str, Any]] = field(default_factory=list)


def actor_rows(actors: list[ActorRecord], schema: Schema) -> list[dict[str, Any]]:
    checks = RowChecks(schema)
    rows = []
    for actor in actors:
        actor_id, external = scoped_id("actor", actor.id)
        row = {"id": actor_id, "external_id": external, "name": actor.name, "type": actor.type,
               "kind": actor.kind, "country": actor.country, "code": actor.code, "aliases": actor.aliases,
               "description": actor.description,
               "merged_into": None if actor.merged_into is None else scoped_id("actor", actor.merged_into)[0]}
        checks.actor(f"actor {actor.id}", row)
        rows.append(row)
    return rows


def check_line_actors(actors: list[ActorRecord], known: MutableMapping[str, str | None]) -> None:
    """One line names each actor once, and its merges end at a known actor (`known`: the registry's actors
    and what they are merged into, by stored id): a second entry of the same id would rename the first, and
    with it every document that links it."""
    line: dict[str, str | None] = {}
    external: dict[str, str] = {}
    names: dict[str, str] = {}
    for actor in actors:
        actor_id = scoped_id("actor", actor.id)[0]
        if actor_id in external:
            raise UserError(f"actor {actor.id}: the id is used twice in this line")
        external[actor_id] = actor.id
        if not actor.placeholder and actor.merged_into is not None:
            line[actor_id] = scoped_id("actor", actor.merged_into)[0]
            names[line[actor_id]] = actor.merged_into
        elif not actor.placeholder:
            line[actor_id] = None
    check_merge_chains(ChainMap[str, str | None](line, known), line,
                       lambda actor_id: external.get(actor_id) or names[actor_id])


class LayerBuilder:
    """Maps one layer's records to rows; `actor_type(uuid)` answers for actors known so far."""

    def __init__(self, schema: Schema, document_id: str, text_length: int,
                 actor_type: Callable[[str], str | None]):
        self.schema = schema
        self.document_id = document_id
        self.text_length = text_length
        self.actor_type = actor_type
        self.checks = RowChecks(schema)
        self._actor_ids: dict[str, str] = {}

    def _actor(self, where: str, external: str | None) -> str | None:
        if external is None:
            return None
        if external not in self._actor_ids:
            actor_id = scoped_id("actor", external)[0]
            if self.actor_type(actor_id) is None:
                raise UserError(f"{where}: unknown actor '{external}' (not in the line's actors nor the project)")
            self._actor_ids[external] = actor_id
        return self._actor_ids[external]

    def build(self, layer: LayerRecord) -> LayerRows:
        self.checks.status(f"layer {layer.annotator}", layer.status)
        scope = f"{self.document_id}/{layer.annotator}"
        self.ids: dict[str, dict[str, str]] = {"mention": {}, "event": {}, "stance": {}, "mention relation": {}}
        rows = LayerRows(annotator=layer.annotator, status=layer.status)
        base = {"document_id": self.document_id}
        length = self.text_length
        for m in layer.mentions:
            where = f"mention {m.id}"
            actor_id = self._actor(where, m.actor)
            label = m.label if m.label is not None else (actor_id and self.actor_type(actor_id))
            row = {**base, "start": m.start, "end": m.end, "label": label, "mention_type": m.type,
                   "actor_id": actor_id, "attributes": m.attributes, "origin": m.origin or "imported",
                   "suggester": m.suggester}
            self.checks.mention(where, row, length)
            rows.mention.append({**row, **self._identity(scope, "mention", m.id)})
        for s in layer.stances:
            where = f"stance {s.id}"
            evidence = s.evidence or (None, None)
            row = {**base, "holder_id": self._actor(where, s.holder), "target_id": self._actor(where, s.target),
                   "issue": s.issue, "issue_position": s.issue_position, "label": s.label,
                   "strength": s.strength, "implicit_target": s.implicit_target,
                   "evidence_start": evidence[0], "evidence_end": evidence[1], "attributes": s.attributes}
            row["polarity"] = self.checks.stance(where, row, length)
            rows.stance.append({**row, **self._identity(scope, "stance", s.id)})
        for e in layer.events:
            rows.event.append(self._event(scope, base, e, rows))
        for r in layer.relations:
            where = f"relation {r.type} {r.source}->{r.target}"
            self.checks.relation(where, r.type)
            source, target = (self._ref(where, "event", ext) for ext in (r.source, r.target))
            relation_id = scoped_id(f"{scope}/relation", f"{r.type}/{r.source}/{r.target}")[0]
            rows.event_relation.append({**base, "id": relation_id, "external_id": None, "type": r.type,
                                        "from_event_id": source, "to_event_id": target})
        for x in layer.mention_relations:
            where = f"mention relation {x.id}"
            self.checks.relation(where, x.type)
            self.checks.attributes(where, x.attributes)
            rows.mention_relation.append({**base, **self._identity(scope, "mention relation", x.id), "type": x.type,
                                          "from_mention_id": self._ref(where, "mention", x.source),
                                          "to_mention_id": self._ref(where, "mention", x.target),
                                          "attributes": x.attributes})
        return rows

    def _identity(self, scope: str, kind: str, external: str) -> dict[str, Any]:
        if external in self.ids[kind]:
            raise UserError(f"{kind} {external}: the id is used twice in this layer")
        item_id, kept = scoped_id(f"{scope}/{kind}", external)
        self.ids[kind][external] = item_id
        return {"id": item_id, "external_id": kept}

    def _ref(self, where: str, kind: str, external: str) -> str:
        try:
            return self.ids[kind][external]
        except KeyError:
            raise UserError(f"{where}: no {kind} '{external}' in this layer") from None

    def _event(self, scope: str, base: dict[str, Any], e: EventRecord, rows: LayerRows) -> dict[str, Any]:
        where = f"event {e.id}"
        row = {**base, "type": e.type, "trigger_start": e.trigger[0], "trigger_end": e.trigger[1], "date": e.date,
               "attributes": dict(e.attributes), "origin": e.origin or "imported", "suggester": e.suggester}
        self.checks.event(where, row, self.text_length)
        for name, spec in self.schema.event_attributes.items():
            if spec.kind == "actor" and row["attributes"].get(name) is not None:
                row["attributes"][name] = self._actor(f"{where} {name}", row["attributes"][name])
        identity = self._identity(scope, "event", e.id)
        for position, argument in enumerate(e.arguments):
            span = argument.span or (None, None)
            mention = None if argument.mention is None else self._ref(where, "mention", argument.mention)
            argument_row = {"id": scoped_id(identity["id"], f"argument/{position}")[0], "event_id": identity["id"],
                            "position": position, "role": argument.role, "mention_id": mention,
                            "start": span[0], "end": span[1]}
            self.checks.argument(where, e.type, argument_row, self.text_length)
            rows.event_argument.append(argument_row)
        return {**row, **identity}


def check_text_normalised(record: DocumentRecord, normalised: str) -> None:
    """Annotated text must already be in stored form, or normalising would shift every offset."""
    if normalised != record.text and any(
            layer.mentions or layer.stances or layer.events for layer in record.layers):
        raise UserError("the text is not in normal form (NFC, \\n line endings) and carries annotations "
                        "whose offsets would shift; normalise it where it was annotated")
