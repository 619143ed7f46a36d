"""Records of one document's actors and layers → validated table rows.

Everything a file can get wrong about annotations is caught here, before a row
is written: offsets past the text, labels the schema does not have, references
to mentions, events or actors that do not exist. The message names the item.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from workstation.core.errors import SchemaViolation, UserError
from workstation.core.records import ActorRecord, DocumentRecord, EventRecord, LayerRecord, Span
from workstation.core.schema import Schema
from workstation.store.ids import scoped_id
from workstation.store.models import STATUSES

ISO_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


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
    rows = []
    for actor in actors:
        where = f"actor {actor.id}"
        _check(where, schema.check_entity_type, actor.type)
        _check(where, schema.check_actor_kind, actor.kind)
        actor_id, external = scoped_id("actor", actor.id)
        rows.append({"id": actor_id, "external_id": external, "name": actor.name, "type": actor.type,
                     "kind": actor.kind, "country": actor.country, "code": actor.code, "aliases": actor.aliases,
                     "description": actor.description,
                     "merged_into": None if actor.merged_into is None else scoped_id("actor", actor.merged_into)[0]})
    return rows


def _check(where: str, check: Callable[..., Any], *args: Any) -> Any:
    try:
        return check(*args)
    except SchemaViolation as violation:
        raise UserError(f"{where}: {violation}") from None


class LayerBuilder:
    """Maps one layer's records to rows; `actor_type(uuid)` answers for actors known so far."""

    def __init__(self, schema: Schema, document_id: str, text_length: int,
                 actor_type: Callable[[str], str | None]):
        self.schema = schema
        self.document_id = document_id
        self.text_length = text_length
        self.actor_type = actor_type
        self._actor_ids: dict[str, str] = {}

    def _span(self, where: str, span: Span) -> Span:
        start, end = span
        if not 0 <= start < end:
            raise UserError(f"{where}: bad offsets {start}-{end} (need 0 <= start < end)")
        if end > self.text_length:
            raise UserError(f"{where}: offsets {start}-{end} are past the end of the text "
                            f"({self.text_length} characters)")
        return span

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
        if layer.status not in STATUSES:
            raise UserError(f"layer {layer.annotator}: unknown status '{layer.status}' "
                            f"(allowed: {', '.join(STATUSES)})")
        scope = f"{self.document_id}/{layer.annotator}"
        self.ids: dict[str, dict[str, str]] = {"mention": {}, "event": {}, "stance": {}, "mention relation": {}}
        rows = LayerRows(annotator=layer.annotator, status=layer.status)
        base = {"document_id": self.document_id}
        for m in layer.mentions:
            where = f"mention {m.id}"
            start, end = self._span(where, (m.start, m.end))
            actor_id = self._actor(where, m.actor)
            _check(where, self.schema.check_mention_type, m.type)
            label = m.label if m.label is not None else (actor_id and self.actor_type(actor_id))
            if label is not None:
                _check(where, self.schema.check_entity_type, label)
            rows.mention.append({**base, **self._identity(scope, "mention", m.id), "start": start, "end": end,
                                 "label": label, "mention_type": m.type, "actor_id": actor_id,
                                 "attributes": m.attributes, "origin": "imported"})
        for s in layer.stances:
            where = f"stance {s.id}"
            polarity = _check(where, self.schema.check_stance_label, s.label)
            if not 1 <= s.strength <= 3:
                raise UserError(f"{where}: strength must be 1, 2 or 3, got {s.strength}")
            if s.issue_position not in (None, -1, 1):
                raise UserError(f"{where}: issue_position must be -1, 1 or null, got {s.issue_position}")
            evidence = self._span(where, s.evidence) if s.evidence else (None, None)
            rows.stance.append({**base, **self._identity(scope, "stance", s.id),
                                "holder_id": self._actor(where, s.holder), "target_id": self._actor(where, s.target),
                                "issue": s.issue, "issue_position": s.issue_position, "label": s.label,
                                "polarity": polarity, "strength": s.strength, "implicit_target": s.implicit_target,
                                "evidence_start": evidence[0], "evidence_end": evidence[1],
                                "attributes": s.attributes})
        for e in layer.events:
            rows.event.append(self._event(scope, base, e, rows))
        for r in layer.relations:
            where = f"relation {r.type} {r.source}->{r.target}"
            _check(where, self.schema.check_relation_type, r.type)
            source, target = (self._ref(where, "event", ext) for ext in (r.source, r.target))
            relation_id = scoped_id(f"{scope}/relation", f"{r.type}/{r.source}/{r.target}")[0]
            rows.event_relation.append({**base, "id": relation_id, "external_id": None, "type": r.type,
                                        "from_event_id": source, "to_event_id": target})
        for x in layer.mention_relations:
            where = f"mention relation {x.id}"
            _check(where, self.schema.check_relation_type, x.type)
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
        _check(where, self.schema.check_event_type, e.type)
        start, end = self._span(where, e.trigger)
        attributes = dict(e.attributes)
        _check(where, self.schema.check_event_attributes, e.type, attributes)
        for name, spec in self.schema.event_attributes.items():
            if spec.kind == "actor" and attributes.get(name) is not None:
                attributes[name] = self._actor(f"{where} {name}", attributes[name])
        if e.date is not None and not ISO_PARTIAL_DATE.match(e.date):
            raise UserError(f"{where}: date must be YYYY, YYYY-MM or YYYY-MM-DD, got '{e.date}'")
        identity = self._identity(scope, "event", e.id)
        for position, argument in enumerate(e.arguments):
            _check(where, self.schema.check_role, e.type, argument.role)
            span = self._span(f"{where} {argument.role}", argument.span) if argument.span else (None, None)
            mention = None if argument.mention is None else self._ref(where, "mention", argument.mention)
            rows.event_argument.append({"id": scoped_id(identity["id"], f"argument/{position}")[0],
                                        "event_id": identity["id"], "position": position, "role": argument.role,
                                        "mention_id": mention, "start": span[0], "end": span[1]})
        return {**base, **identity, "type": e.type, "trigger_start": start, "trigger_end": end,
                "date": e.date, "attributes": attributes}


def check_text_normalised(record: DocumentRecord, normalised: str) -> None:
    """Annotated text must already be in stored form, or normalising would shift every offset."""
    if normalised != record.text and any(
            layer.mentions or layer.stances or layer.events for layer in record.layers):
        raise UserError("the text is not in normal form (NFC, \\n line endings) and carries annotations "
                        "whose offsets would shift; normalise it where it was annotated")
