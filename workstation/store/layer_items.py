"""One-line descriptions of a layer's events and stances, for the panel beside the text."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from sqlalchemy import Result, Select, bindparam, select
from sqlalchemy.orm import Session, aliased

from workstation.store.id_batches import id_batches
from workstation.store.models import Actor, Event, EventArgument, EventRelation, Mention, Stance

SIGN = {1: "+", 0: "0", -1: "−"}
KIND_ORDER = {"event": 0, "relation": 1, "stance": 2}
SOURCE, TARGET = aliased(Event), aliased(Event)
HOLDER, TOWARD = aliased(Actor), aliased(Actor)
"""Made once: an alias built per call costs SQLAlchemy more than the query it serves."""


@dataclass(frozen=True)
class LayerItem:
    kind: str
    item_id: str
    summary: str
    span: tuple[int, int] | None
    related: tuple[str, ...] = ()
    """Ids lit up with the item: an event's argument mentions."""
    type: str = ""
    actors: tuple[str, ...] = ()
    """Actors named in the summary (a stance's holder and target): it changes when they do."""

    @property
    def order(self) -> tuple[int, int, str]:
        """The panel's order: events, then relations, then stances, each by position in the text."""
        return KIND_ORDER[self.kind], self.span[0] if self.span else -1, self.item_id


def layer_items(session: Session, text: str, document_id: str, annotator_id: str,
                ids: Mapping[str, Collection[str]] | None = None) -> list[LayerItem]:
    """The layer's items in the panel's order; with `ids` (by kind: event, relation, stance), only those of
    them still there, what an edit touched, each kind read only when it has some."""
    readers = {"event": lambda batch: _events(session, text, document_id, annotator_id, batch),
               "relation": lambda batch: _relations(session, text, document_id, annotator_id, batch),
               "stance": lambda batch: _stances(session, document_id, annotator_id, batch)}
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


def _run(session: Session, queries: tuple[Select, Select], document_id: str, annotator_id: str,
         ids: list[str] | None) -> Result:
    params = {"document_id": document_id, "annotator_id": annotator_id}
    return session.connection().execute(queries[0] if ids is None else queries[1],
                                         params if ids is None else {**params, "ids": ids})


def _trigger(text: str, event_type: str, start: int, end: int) -> str:
    return f"{event_type} “{text[start:end]}”"


EVENTS = _layer(select(Event.id, Event.type, Event.trigger_start, Event.trigger_end), Event)
ARGUMENTS = _layer(select(EventArgument.event_id, EventArgument.role, Mention.id, Mention.start, Mention.end,
                          EventArgument.start, EventArgument.end)
                   .join(Event, Event.id == EventArgument.event_id)
                   .outerjoin(Mention, Mention.id == EventArgument.mention_id)
                   .order_by(EventArgument.event_id, EventArgument.position), Event)
RELATIONS = _layer(select(EventRelation.id, EventRelation.type, EventRelation.from_event_id, EventRelation.to_event_id,
                          SOURCE.type, SOURCE.trigger_start, SOURCE.trigger_end,
                          TARGET.type, TARGET.trigger_start, TARGET.trigger_end)
                   .join(SOURCE, SOURCE.id == EventRelation.from_event_id)
                   .join(TARGET, TARGET.id == EventRelation.to_event_id), EventRelation)
STANCES = _layer(select(Stance.id, Stance.label, Stance.polarity, Stance.strength, Stance.issue, Stance.holder_id,
                        Stance.target_id, Stance.evidence_start, Stance.evidence_end, HOLDER.name, TOWARD.name)
                 .join(HOLDER, HOLDER.id == Stance.holder_id)
                 .outerjoin(TOWARD, TOWARD.id == Stance.target_id), Stance)


def _events(session: Session, text: str, document_id: str, annotator_id: str,
            ids: list[str] | None) -> list[LayerItem]:
    events = _run(session, EVENTS, document_id, annotator_id, ids).all()
    arguments = defaultdict(list)
    for event_id, role, mention_id, m_start, m_end, start, end in _run(session, ARGUMENTS, document_id,
                                                                         annotator_id, ids):
        filler = text[m_start:m_end] if mention_id is not None else text[start:end]
        arguments[event_id].append((f"{role}: {filler}", mention_id))
    return [LayerItem("event", event_id,
                      f"EVENT {_trigger(text, event_type, start, end)} "
                      f"({'; '.join(role for role, _ in arguments[event_id])})",
                      (start, end), tuple(mention for _, mention in arguments[event_id] if mention), event_type)
            for event_id, event_type, start, end in events]


def _relations(session: Session, text: str, document_id: str, annotator_id: str,
               ids: list[str] | None) -> list[LayerItem]:
    items = []
    for relation_id, relation_type, from_id, to_id, *ends in _run(session, RELATIONS, document_id, annotator_id,
                                                                  ids):
        summary = f"RELATION {relation_type}: {_trigger(text, *ends[:3])} → {_trigger(text, *ends[3:])}"
        items.append(LayerItem("relation", relation_id, summary, None, (from_id, to_id)))
    return items


def _stances(session: Session, document_id: str, annotator_id: str, ids: list[str] | None) -> list[LayerItem]:
    items = []
    for (stance_id, label, polarity, strength, issue, holder_id, target_id, evidence_start, evidence_end,
         holder_name, target_name) in _run(session, STANCES, document_id, annotator_id, ids):
        span = (evidence_start, evidence_end) if evidence_start is not None else None
        toward = target_name or f"issue: {issue}"
        actors = tuple(actor for actor in (holder_id, target_id) if actor)
        items.append(LayerItem("stance", stance_id, f"STANCE {label} ({SIGN[polarity]}, "
                                                    f"strength {strength}): {holder_name} → {toward}",
                               span, (), label, actors))
    return items
