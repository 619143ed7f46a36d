"""What the text view paints for one layer: mentions by label, event triggers by type."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from workstation.core.span_index import Span
from workstation.store.id_batches import id_batches
from workstation.store.models import Annotator, Event, Mention


def layer_spans(session: Session, document_id: str, annotator: str,
                ids: Collection[str] | None = None) -> list[Span]:
    """Every span of the layer, or only those of the items `ids` (what an edit touched) that are still there."""
    annotator_id = session.scalar(select(Annotator.id).where(Annotator.name == annotator))
    if annotator_id is None:
        return []
    if ids is None:
        return _spans(session, document_id, annotator_id)
    return [span for batch in id_batches(ids) for span in _spans(session, document_id, annotator_id, batch)]


def _spans(session: Session, document_id: str, annotator_id: str, ids: list[str] | None = None) -> list[Span]:
    mentions = select(Mention.id, Mention.start, Mention.end, Mention.label, Mention.mention_type).where(
        Mention.document_id == document_id, Mention.annotator_id == annotator_id)
    triggers = select(Event.id, Event.trigger_start, Event.trigger_end, Event.type).where(
        Event.document_id == document_id, Event.annotator_id == annotator_id)
    if ids is not None:
        mentions, triggers = mentions.where(Mention.id.in_(ids)), triggers.where(Event.id.in_(ids))
    return ([Span(start, end, label or mention_type or "MENTION", item_id)
             for item_id, start, end, label, mention_type in session.execute(mentions)]
            + [Span(start, end, event_type, item_id) for item_id, start, end, event_type in session.execute(triggers)])
