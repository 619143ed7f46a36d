"""What a highlighted span is, in words: the text view's tooltip, which is how a user sees which
role a mention fills in which event without arcs drawn over the text."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from workstation.store.models import Actor, Event, EventArgument, Mention


def describe_item(session: Session, text: str, item_id: str) -> list[str]:
    """One line for the item itself, then one per event role it fills."""
    mention = session.get(Mention, item_id)
    if mention is None:
        event = session.get(Event, item_id)
        return [f"{event.type} event (trigger)"] if event is not None else []
    actor = session.get(Actor, mention.actor_id) if mention.actor_id else None
    linked = f" → {actor.name} ({actor.type})" if actor is not None else ""
    lines = [f"{mention.mention_type or 'mention'}{f' {mention.label}' if mention.label else ''}{linked}"]
    for role, event_type, start, end in session.execute(
            select(EventArgument.role, Event.type, Event.trigger_start, Event.trigger_end)
            .join(Event, Event.id == EventArgument.event_id).where(EventArgument.mention_id == item_id)
            .order_by(Event.trigger_start)):
        lines.append(f"{role} of {event_type} “{text[start:end]}”")
    return lines
