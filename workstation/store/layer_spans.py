"""What the text view paints for one layer: mentions by label, event triggers by type."""

from __future__ import annotations

import sys
from collections.abc import Collection
from operator import attrgetter

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from workstation.core.span_index import Span
from workstation.store.id_batches import id_batches
from workstation.store.models import Event, Mention


MENTION = (Mention.id, Mention.start, Mention.end, Mention.label, Mention.mention_type)
TRIGGER = (Event.id, Event.trigger_start, Event.trigger_end, Event.type)
MENTIONS_IN_RANGE = (select(*MENTION)
                     .where(Mention.document_id == bindparam("document_id"),
                            Mention.annotator_id == bindparam("annotator_id"),
                            Mention.start >= bindparam("first"), Mention.start < bindparam("last"))
                     .order_by(Mention.start))
TRIGGERS_IN_RANGE = select(*TRIGGER).where(Event.document_id == bindparam("document_id"),
                                           Event.annotator_id == bindparam("annotator_id"),
                                           Event.trigger_start >= bindparam("first"),
                                           Event.trigger_start < bindparam("last"))
MENTIONS_BY_ID = (select(*MENTION, Mention.document_id, Mention.annotator_id)
                  .where(Mention.id.in_(bindparam("ids", expanding=True))))
TRIGGERS_BY_ID = (select(*TRIGGER, Event.document_id, Event.annotator_id)
                  .where(Event.id.in_(bindparam("ids", expanding=True))))
"""Made once: building a statement cost SQLAlchemy more than running it, on every key press."""


def _mention_span(item_id: str, start: int, end: int, label: str | None, mention_type: str | None) -> Span:
    return Span(start, end, label or mention_type or "MENTION", item_id)


def _trigger_span(item_id: str, start: int, end: int, event_type: str) -> Span:
    return Span(start, end, event_type, item_id)


def layer_spans(session: Session, document_id: str, annotator_id: str | None, first: int = 0,
                last: int | None = None) -> list[Span]:
    """The layer's spans starting in [first, last) code points (all by default), in start order.

    Mentions come by position from an index that holds everything painted, so the first screen of a
    20,000-mention document is one short range of it. Read through the Core connection: ORM result handling
    cost twice SQLite's own work on 20,000 rows."""
    params = {"document_id": document_id, "annotator_id": annotator_id, "first": first,
              "last": sys.maxsize if last is None else last}
    connection = session.connection()
    spans = [_mention_span(*row) for row in connection.execute(MENTIONS_IN_RANGE, params)]
    spans += [_trigger_span(*row) for row in connection.execute(TRIGGERS_IN_RANGE, params)]
    return sorted(spans, key=attrgetter("start"))


def touched_spans(session: Session, document_id: str, annotator_id: str | None, mention_ids: Collection[str],
                  event_ids: Collection[str]) -> list[Span]:
    """The spans of the mentions and events an edit touched that are still in the layer.

    They are looked up by id alone and kept when they belong to the layer: asked for the layer too, SQLite
    walks the layer's index, 20,000 entries on a long document, to find one new mention."""
    layer = (document_id, annotator_id)
    connection = session.connection()
    return ([_mention_span(*row[:-2]) for batch in id_batches(mention_ids)
             for row in connection.execute(MENTIONS_BY_ID, {"ids": batch}) if tuple(row[-2:]) == layer]
            + [_trigger_span(*row[:-2]) for batch in id_batches(event_ids)
               for row in connection.execute(TRIGGERS_BY_ID, {"ids": batch}) if tuple(row[-2:]) == layer])
