"""What the text view paints for one layer: mentions by label, event triggers by type, stances' evidence."""

from __future__ import annotations

import sys
from collections.abc import Collection
from operator import attrgetter

from sqlalchemy import bindparam, select

from workstation.core.span_index import EVIDENCE, TRIGGER, Span
from workstation.store.id_batches import id_batches
from workstation.store.models import Event, Mention, Stance
from workstation.store.project import Database, core_connection

MENTION_COLUMNS = (Mention.id, Mention.start, Mention.end, Mention.label, Mention.mention_type, Mention.actor_id,
                   Mention.version)
TRIGGER_COLUMNS = (Event.id, Event.trigger_start, Event.trigger_end, Event.type, Event.version)
EVIDENCE_COLUMNS = (Stance.id, Stance.evidence_start, Stance.evidence_end, Stance.label, Stance.version)
MENTIONS_IN_RANGE = (select(*MENTION_COLUMNS)
                     .where(Mention.document_id == bindparam("document_id"),
                            Mention.annotator_id == bindparam("annotator_id"),
                            Mention.start >= bindparam("first"), Mention.start < bindparam("last"))
                     .order_by(Mention.start))
TRIGGERS_IN_RANGE = select(*TRIGGER_COLUMNS).where(Event.document_id == bindparam("document_id"),
                                           Event.annotator_id == bindparam("annotator_id"),
                                           Event.trigger_start >= bindparam("first"),
                                           Event.trigger_start < bindparam("last"))
EVIDENCE_IN_RANGE = select(*EVIDENCE_COLUMNS).where(Stance.document_id == bindparam("document_id"),
                                                     Stance.annotator_id == bindparam("annotator_id"),
                                                     Stance.evidence_start >= bindparam("first"),
                                                     Stance.evidence_start < bindparam("last"))
MENTIONS_BY_ID = (select(*MENTION_COLUMNS, Mention.document_id, Mention.annotator_id)
                  .where(Mention.id.in_(bindparam("ids", expanding=True))))
TRIGGERS_BY_ID = (select(*TRIGGER_COLUMNS, Event.document_id, Event.annotator_id)
                  .where(Event.id.in_(bindparam("ids", expanding=True))))
EVIDENCE_BY_ID = (select(*EVIDENCE_COLUMNS, Stance.document_id, Stance.annotator_id)
                  .where(Stance.id.in_(bindparam("ids", expanding=True)), Stance.evidence_start.is_not(None)))
"""Made once: building a statement cost SQLAlchemy more than running it, on every key press."""


def _mention_span(item_id: str, start: int, end: int, label: str | None, mention_type: str | None,
                  actor_id: str | None, version: int) -> Span:
    return Span(start, end, label or mention_type or "MENTION", item_id, tag=mention_type or "", actor=actor_id,
                version=version)


def _trigger_span(item_id: str, start: int, end: int, event_type: str, version: int) -> Span:
    return Span(start, end, event_type, item_id, TRIGGER, event_type, version=version)


def _evidence_span(item_id: str, start: int, end: int, label: str, version: int) -> Span:
    return Span(start, end, label, item_id, EVIDENCE, version=version)


READERS = ((MENTIONS_IN_RANGE, MENTIONS_BY_ID, _mention_span), (TRIGGERS_IN_RANGE, TRIGGERS_BY_ID, _trigger_span),
           (EVIDENCE_IN_RANGE, EVIDENCE_BY_ID, _evidence_span))
"""For each kind of span: its statements by position and by id, and how a row becomes a span."""


def layer_spans(session: Database, document_id: str, annotator_id: str | None, first: int = 0,
                last: int | None = None) -> list[Span]:
    """The layer's spans starting in [first, last) code points (all by default), in start order.

    Mentions come by position from an index that holds everything painted, so the first screen of a
    20,000-mention document is one short range of it. Read through the Core connection: ORM result handling
    cost twice SQLite's own work on 20,000 rows."""
    params = {"document_id": document_id, "annotator_id": annotator_id, "first": first,
              "last": sys.maxsize if last is None else last}
    connection = core_connection(session)
    return sorted((make(*row) for in_range, _, make in READERS for row in connection.execute(in_range, params)),
                  key=attrgetter("start"))


def touched_spans(session: Database, document_id: str, annotator_id: str | None, mention_ids: Collection[str],
                  event_ids: Collection[str], stance_ids: Collection[str] = ()) -> list[Span]:
    """The spans of the mentions, events and stances an edit touched that are still in the layer.

    They are looked up by id alone and kept when they belong to the layer: asked for the layer too, SQLite
    walks the layer's index, 20,000 entries on a long document, to find one new mention."""
    layer = (document_id, annotator_id)
    connection = core_connection(session)
    return [make(*row[:-2]) for (_, by_id, make), ids in zip(READERS, (mention_ids, event_ids, stance_ids))
            for batch in id_batches(ids) for row in connection.execute(by_id, {"ids": batch})
            if tuple(row[-2:]) == layer]
