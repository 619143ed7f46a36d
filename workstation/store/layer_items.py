"""A layer's events, stances and relations in words, for the frames tree beside the text: each item a line
(type and trigger, holder → target, relation), and under it a line per argument, attribute, date or evidence."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Result, Select, bindparam, select
from sqlalchemy.orm import Session, aliased

from workstation.core.schema import Schema
from workstation.store.id_batches import id_batches
from workstation.store.models import Actor, Event, EventArgument, EventRelation, Mention, Stance
from workstation.store.project import Database, core_connection

SIGN = {1: "+", 0: "0", -1: "−"}
KIND_ORDER = {"event": 0, "stance": 1, "relation": 2}
WORDS = 60
"""Characters of a trigger, filler or evidence shown in a line; the rest is elided (the tooltip has it all)."""
SOURCE, TARGET = aliased(Event), aliased(Event)
HOLDER, TOWARD = aliased(Actor), aliased(Actor)
"""Made once: an alias built per call costs SQLAlchemy more than the query it serves."""


@dataclass(frozen=True)
class Detail:
    """A line under an item: an argument, an attribute, the date, a stance's evidence or issue."""

    text: str
    span: tuple[int, int] | None = None
    """The words the line names (a filler, the evidence), selected in the text when the line is chosen."""
    argument_id: str | None = None
    """An argument's line: deleting it removes that argument alone, not the event."""


@dataclass(frozen=True)
class LayerItem:
    kind: str
    item_id: str
    summary: str
    span: tuple[int, int] | None
    related: tuple[str, ...] = ()
    """Ids lit up with the item: an event's argument mentions, a relation's two events."""
    type: str = ""
    shows: tuple[str, ...] = ()
    """Other rows whose words the item shows (actors by name, events by type and trigger): it changes when
    they do, though its own row does not."""
    details: tuple[Detail, ...] = ()
    version: int | None = None
    """The row version as the tree read it (for a relation, which carries none, its source event's, which an
    edit of it touches): an edit made from the tree expects it."""

    @property
    def order(self) -> tuple[int, int, str]:
        """The tree's order: events, then stances, then relations, each by position in the text."""
        return KIND_ORDER[self.kind], self.span[0] if self.span else -1, self.item_id


def layer_items(session: Database, schema: Schema, text: str, document_id: str, annotator_id: str,
                ids: Mapping[str, Collection[str]] | None = None) -> list[LayerItem]:
    """The layer's items in the tree's order; with `ids` (by kind: event, relation, stance), only those of
    them still there, what an edit touched, each kind read only when it has some."""
    readers = {"event": lambda batch: _events(session, schema, text, document_id, annotator_id, batch),
               "relation": lambda batch: _relations(session, text, document_id, annotator_id, batch),
               "stance": lambda batch: _stances(session, text, document_id, annotator_id, batch)}
    if ids is None:
        items = [item for read in readers.values() for item in read(None)]
    else:
        items = [item for kind, chosen in ids.items() for batch in id_batches(chosen) for item in readers[kind](batch)]
    return sorted(items, key=lambda item: item.order)


def _layer(query: Select, model: type) -> tuple[Select, Select]:
    """A query over one layer, made once: for all its items, and for those with given ids (what an edit
    touched). Building the statement cost SQLAlchemy more than running it."""
    query = query.where(model.document_id == bindparam("document_id"), model.annotator_id == bindparam("annotator_id"))
    return query, query.where(model.id.in_(bindparam("ids", expanding=True)))


def _run(session: Database, queries: tuple[Select, Select], document_id: str, annotator_id: str,
         ids: list[str] | None) -> Result:
    params = {"document_id": document_id, "annotator_id": annotator_id}
    return core_connection(session).execute(queries[0] if ids is None else queries[1],
                                         params if ids is None else {**params, "ids": ids})


def words(text: str, start: int, end: int) -> str:
    """A span's text on one line, elided past WORDS characters."""
    shown = " ".join(text[start:end].split())
    return shown if len(shown) <= WORDS else shown[:WORDS - 1] + "…"


def _trigger(text: str, event_type: str, start: int, end: int) -> str:
    return f"{event_type} “{words(text, start, end)}”"


EVENTS = _layer(select(Event.id, Event.type, Event.trigger_start, Event.trigger_end, Event.attributes, Event.date,
                       Event.version), Event)
ARGUMENTS = _layer(select(EventArgument.event_id, EventArgument.id, EventArgument.role, Mention.id, Mention.start,
                          Mention.end, EventArgument.start, EventArgument.end)
                   .join(Event, Event.id == EventArgument.event_id)
                   .outerjoin(Mention, Mention.id == EventArgument.mention_id)
                   .order_by(EventArgument.event_id, EventArgument.position), Event)
ACTOR_NAMES = select(Actor.id, Actor.name).where(Actor.id.in_(bindparam("ids", expanding=True)))
RELATIONS = _layer(select(EventRelation.id, EventRelation.type, EventRelation.from_event_id, EventRelation.to_event_id,
                          SOURCE.type, SOURCE.trigger_start, SOURCE.trigger_end,
                          TARGET.type, TARGET.trigger_start, TARGET.trigger_end, SOURCE.version)
                   .join(SOURCE, SOURCE.id == EventRelation.from_event_id)
                   .join(TARGET, TARGET.id == EventRelation.to_event_id), EventRelation)
STANCES = _layer(select(Stance.id, Stance.label, Stance.polarity, Stance.strength, Stance.issue,
                        Stance.issue_position, Stance.implicit_target, Stance.holder_id, Stance.target_id,
                        Stance.evidence_start, Stance.evidence_end, HOLDER.name, TOWARD.name, Stance.version)
                 .join(HOLDER, HOLDER.id == Stance.holder_id)
                 .outerjoin(TOWARD, TOWARD.id == Stance.target_id), Stance)


def _events(session: Database, schema: Schema, text: str, document_id: str, annotator_id: str,
            ids: list[str] | None) -> list[LayerItem]:
    events = _run(session, EVENTS, document_id, annotator_id, ids).all()
    arguments: dict[str, list[tuple[Detail, str | None]]] = defaultdict(list)
    for event_id, argument_id, role, mention_id, m_start, m_end, start, end in _run(session, ARGUMENTS, document_id,
                                                                                   annotator_id, ids):
        span = (m_start, m_end) if mention_id is not None else (start, end)
        arguments[event_id].append((Detail(f"{role}: {words(text, *span)}", span, argument_id), mention_id))
    actor_names = [name for name, spec in schema.event_attributes.items() if spec.kind == "actor"]
    named = {attributes[name] for *_, attributes, _, _ in events for name in actor_names if attributes.get(name)}
    names = dict(core_connection(session).execute(ACTOR_NAMES, {"ids": sorted(named)}).all()) if named else {}
    items = []
    for event_id, event_type, start, end, attributes, date, version in events:
        details = [detail for detail, _ in arguments[event_id]]
        details += [Detail(f"{name} = {_value(names.get(value, value) if name in actor_names else value)}")
                    for name, value in _ordered(attributes, schema) if value is not None and value != []]
        details += [Detail(f"date: {date}")] if date else []
        items.append(LayerItem("event", event_id, _trigger(text, event_type, start, end), (start, end),
                               tuple(mention for _, mention in arguments[event_id] if mention), event_type,
                               tuple(attributes[name] for name in actor_names if attributes.get(name)),
                               tuple(details), version))
    return items


def _ordered(attributes: dict[str, Any], schema: Schema) -> list[tuple[str, Any]]:
    """The schema's attributes in its order, then any others (a note, links from an import)."""
    known = [(name, attributes[name]) for name in schema.event_attributes if name in attributes]
    return known + [(name, value) for name, value in attributes.items() if name not in schema.event_attributes]


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(part) for part in value)
    return str(value)


def _relations(session: Database, text: str, document_id: str, annotator_id: str,
               ids: list[str] | None) -> list[LayerItem]:
    """A relation is placed, and selected when chosen, at its source event's trigger."""
    items = []
    for relation_id, relation_type, from_id, to_id, *ends, version in _run(session, RELATIONS, document_id,
                                                                           annotator_id, ids):
        summary = f"{relation_type}: {_trigger(text, *ends[:3])} → {_trigger(text, *ends[3:])}"
        items.append(LayerItem("relation", relation_id, summary, (ends[1], ends[2]), (from_id, to_id),
                               relation_type, (from_id, to_id), version=version))
    return items


def _stances(session: Database, text: str, document_id: str, annotator_id: str,
             ids: list[str] | None) -> list[LayerItem]:
    items = []
    for (stance_id, label, polarity, strength, issue, issue_position, implicit, holder_id, target_id,
         evidence_start, evidence_end, holder_name, target_name, version) in _run(session, STANCES, document_id,
                                                                                   annotator_id, ids):
        span = (evidence_start, evidence_end) if evidence_start is not None else None
        toward = target_name or (f"“{issue}”" if issue else "(no target)")
        details = [Detail(f"evidence: “{words(text, *span)}”", span)] if span else []
        position = {1: " (in favour)", -1: " (against)"}.get(issue_position, "")
        details += [Detail(f"issue: {issue}{position}")] if issue else []
        details += [Detail("implicit target")] if implicit else []
        items.append(LayerItem("stance", stance_id,
                               f"{holder_name} → {toward}: {label} ({SIGN[polarity]}, strength {strength})",
                               span, (), label, tuple(actor for actor in (holder_id, target_id) if actor),
                               tuple(details), version))
    return items


STANCE_FIELDS = ("holder_id", "label", "target_id", "issue", "issue_position", "strength", "implicit_target")
"""What the stance form edits, under the names `Layer.update_stance` takes."""


def stance_values(session: Session, stance_id: str) -> dict[str, Any]:
    stance = session.get(Stance, stance_id)
    return {name: getattr(stance, name) for name in STANCE_FIELDS}


def event_values(session: Session, event_id: str) -> tuple[str, dict[str, Any], str | None]:
    """An event's type, attributes and date, as its edit form starts."""
    event = session.get(Event, event_id)
    return event.type, dict(event.attributes), event.date


def form_version(session: Session, kind: str, item_id: str) -> int:
    """The version of the event or stance whose values filled a form in this session (the same object, so the
    version of those very values): the form's edit expects it."""
    return session.get(Event if kind == "event" else Stance, item_id).version
