"""What the text view paints for one layer: mentions by label, event triggers by type."""

from __future__ import annotations

from collections.abc import Collection
from operator import attrgetter

from sqlalchemy import ColumnElement, bindparam, select
from sqlalchemy.orm import Session

from workstation.core.span_index import Span
from workstation.store.id_batches import id_batches
from workstation.store.models import Event, Mention


def layer_spans(session: Session, document_id: str, annotator_id: str | None, first: int = 0,
                last: int | None = None) -> list[Span]:
    """The layer's spans starting in [first, last) code points (all by default), in start order.

    Mentions come by position from an index that holds everything painted, so the first screen of a
    20,000-mention document is one short range of it."""
    mentions = ((Mention.document_id == document_id) & (Mention.annotator_id == annotator_id)
                & (Mention.start >= first))
    triggers = ((Event.document_id == document_id) & (Event.annotator_id == annotator_id)
                & (Event.trigger_start >= first))
    if last is not None:
        mentions, triggers = mentions & (Mention.start < last), triggers & (Event.trigger_start < last)
    return sorted(_mention_spans(session, mentions) + _trigger_spans(session, triggers), key=attrgetter("start"))


MENTIONS_BY_ID = (select(Mention.id, Mention.start, Mention.end, Mention.label, Mention.mention_type,
                         Mention.document_id, Mention.annotator_id)
                  .where(Mention.id.in_(bindparam("ids", expanding=True))))
TRIGGERS_BY_ID = select(Event.id, Event.trigger_start, Event.trigger_end, Event.type, Event.document_id,
                        Event.annotator_id).where(Event.id.in_(bindparam("ids", expanding=True)))
"""Made once: building a statement cost SQLAlchemy more than running it, on every key press."""


def touched_spans(session: Session, document_id: str, annotator_id: str | None, mention_ids: Collection[str],
                  event_ids: Collection[str]) -> list[Span]:
    """The spans of the mentions and events an edit touched that are still in the layer.

    They are looked up by id alone and kept when they belong to the layer: asked for the layer too, SQLite
    walks the layer's index, 20,000 entries on a long document, to find one new mention."""
    layer = (document_id, annotator_id)
    connection = session.connection()
    spans = [Span(start, end, label or mention_type or "MENTION", item_id)
             for batch in id_batches(mention_ids)
             for item_id, start, end, label, mention_type, *owner in connection.execute(MENTIONS_BY_ID, {"ids": batch})
             if tuple(owner) == layer]
    return spans + [Span(start, end, event_type, item_id)
                    for batch in id_batches(event_ids)
                    for item_id, start, end, event_type, *owner in connection.execute(TRIGGERS_BY_ID, {"ids": batch})
                    if tuple(owner) == layer]


def _mention_spans(session: Session, where: ColumnElement[bool]) -> list[Span]:
    """Read through the Core connection: ORM result handling cost twice SQLite's own work on 20,000 rows."""
    query = select(Mention.id, Mention.start, Mention.end, Mention.label, Mention.mention_type).where(where)
    return [Span(start, end, label or mention_type or "MENTION", item_id)
            for item_id, start, end, label, mention_type in session.connection().execute(query.order_by(Mention.start))]


def _trigger_spans(session: Session, where: ColumnElement[bool]) -> list[Span]:
    query = select(Event.id, Event.trigger_start, Event.trigger_end, Event.type).where(where)
    return [Span(start, end, event_type, item_id)
            for item_id, start, end, event_type in session.connection().execute(query)]
