"""The project's event triggers as a lexicon learns from them: the words of each trigger with its event type."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from workstation.store.document_texts import with_texts
from workstation.store.models import Event


def trigger_words(session: Session) -> Iterator[tuple[str, str, list[tuple[int, int, str]]]]:
    """Per document with events in any layer: (id, text, [(start, end, type)]), each trigger once however many
    layers hold it; each text read once."""
    rows = session.execute(select(Event.document_id, Event.trigger_start, Event.trigger_end, Event.type).distinct()
                           .order_by(Event.document_id))
    for document_id, text, triggers in with_texts(session, rows):
        yield document_id, text, [(start, end, event_type) for _, start, end, event_type in triggers]
