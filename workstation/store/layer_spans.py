"""What the text view paints for one layer: mentions by label, event triggers by type."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from workstation.core.span_index import Span
from workstation.store.id_batches import id_batches
from workstation.store.models import Event, Mention


def layer_spans(session: Session, document_id: str, annotator_id: str | None) -> list[Span]:
    """Every span of the layer (none for an annotator without one)."""
    return (_mention_spans(session, (Mention.document_id == document_id) & (Mention.annotator_id == annotator_id))
            + _trigger_spans(session, (Event.document_id == document_id) & (Event.annotator_id == annotator_id)))


def touched_spans(session: Session, document_id: str, annotator_id: str | None, mention_ids: Collection[str],
                  event_ids: Collection[str]) -> list[Span]:
    """The spans of the mentions and events an edit touched that are still in the layer.

    They are looked up by id alone and kept when they belong to the layer: asked for the layer too, SQLite
    walks the layer's index, 20,000 entries on a long document, to find one new mention."""
    layer = (document_id, annotator_id)
    owner = (Mention.document_id, Mention.annotator_id)
    spans = [span for batch in id_batches(mention_ids)
             for span in _mention_spans(session, Mention.id.in_(batch), owner, layer)]
    owner = (Event.document_id, Event.annotator_id)
    return spans + [span for batch in id_batches(event_ids)
                    for span in _trigger_spans(session, Event.id.in_(batch), owner, layer)]


def _mention_spans(session: Session, where, owner=(), layer=()) -> list[Span]:
    return [Span(start, end, label or mention_type or "MENTION", item_id)
            for item_id, start, end, label, mention_type, *found in session.execute(
                select(Mention.id, Mention.start, Mention.end, Mention.label, Mention.mention_type, *owner).where(where))
            if tuple(found) == layer]


def _trigger_spans(session: Session, where, owner=(), layer=()) -> list[Span]:
    return [Span(start, end, event_type, item_id)
            for item_id, start, end, event_type, *found in session.execute(
                select(Event.id, Event.trigger_start, Event.trigger_end, Event.type, *owner).where(where))
            if tuple(found) == layer]
