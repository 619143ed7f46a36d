"""One-line descriptions of a layer's events and stances, for the panel beside the text."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from workstation.store.models import Actor, Event, EventArgument, EventRelation, Mention, Stance

SIGN = {1: "+", 0: "0", -1: "−"}


@dataclass(frozen=True)
class LayerItem:
    kind: str
    item_id: str
    summary: str
    span: tuple[int, int] | None
    related: tuple[str, ...] = ()
    """Ids lit up with the item: an event's argument mentions."""
    type: str = ""


def layer_items(session: Session, text: str, document_id: str, annotator_id: str) -> list[LayerItem]:
    items = []
    events = session.scalars(select(Event).where(Event.document_id == document_id,
                                                 Event.annotator_id == annotator_id).order_by(Event.trigger_start))
    triggers = {}
    for event in events:
        arguments = session.execute(
            select(EventArgument.role, Mention.id, Mention.start, Mention.end, EventArgument.start, EventArgument.end)
            .outerjoin(Mention, Mention.id == EventArgument.mention_id)
            .where(EventArgument.event_id == event.id).order_by(EventArgument.position)).all()
        roles = [f"{role}: {text[m_start:m_end] if m_start is not None else text[start:end]}"
                 for role, _, m_start, m_end, start, end in arguments]
        trigger = text[event.trigger_start:event.trigger_end]
        triggers[event.id] = f"{event.type} “{trigger}”"
        items.append(LayerItem("event", event.id, f"EVENT {triggers[event.id]} ({'; '.join(roles)})",
                               (event.trigger_start, event.trigger_end),
                               tuple(mention_id for _, mention_id, *_ in arguments if mention_id), event.type))
    for relation in session.scalars(select(EventRelation).where(EventRelation.document_id == document_id,
                                                                EventRelation.annotator_id == annotator_id)):
        items.append(LayerItem("relation", relation.id, f"RELATION {relation.type}: "
                               f"{triggers[relation.from_event_id]} → {triggers[relation.to_event_id]}", None,
                               (relation.from_event_id, relation.to_event_id)))
    holder, target = aliased(Actor), aliased(Actor)
    for stance, holder_name, target_name in session.execute(
            select(Stance, holder.name, target.name).join(holder, holder.id == Stance.holder_id)
            .outerjoin(target, target.id == Stance.target_id)
            .where(Stance.document_id == document_id, Stance.annotator_id == annotator_id)):
        span = (stance.evidence_start, stance.evidence_end) if stance.evidence_start is not None else None
        toward = target_name or f"issue: {stance.issue}"
        items.append(LayerItem("stance", stance.id, f"STANCE {stance.label} ({SIGN[stance.polarity]}, "
                                                    f"strength {stance.strength}): {holder_name} → {toward}", span))
    return items
