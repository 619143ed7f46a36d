"""What the text view paints for one layer: mentions by label, event triggers by type."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from workstation.core.span_index import Span
from workstation.store.models import Annotator, Event, Mention


def layer_spans(session: Session, document_id: str, annotator: str) -> list[Span]:
    annotator_id = session.scalar(select(Annotator.id).where(Annotator.name == annotator))
    if annotator_id is None:
        return []
    layer = (Mention.document_id == document_id) & (Mention.annotator_id == annotator_id)
    mentions = [Span(start, end, label or mention_type or "MENTION", item_id)
                for item_id, start, end, label, mention_type in session.execute(
                    select(Mention.id, Mention.start, Mention.end, Mention.label, Mention.mention_type).where(layer))]
    triggers = [Span(start, end, event_type, item_id) for item_id, start, end, event_type in session.execute(
        select(Event.id, Event.trigger_start, Event.trigger_end, Event.type)
        .where(Event.document_id == document_id, Event.annotator_id == annotator_id))]
    return mentions + triggers
