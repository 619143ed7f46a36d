"""`check`: offsets in range, references resolving, everything valid under the stored schema.

Imports and edits already refuse bad data; this finds damage done outside the
app (a hand-edited file, an interrupted copy) and says which item is affected.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workstation.core.errors import SchemaViolation
from workstation.core.schema import Schema
from workstation.core.text import text_sha256
from workstation.store.engine import is_server
from workstation.store.models import Actor, Document, Event, EventArgument, EventRelation, Mention, Stance


def _schema_problem(where: str, check: Callable[..., Any], *args: Any) -> Iterator[str]:
    try:
        check(*args)
    except SchemaViolation as violation:
        yield f"{where}: {violation}"


def _spans(session: Session) -> Iterator[str]:
    length = func.length(Document.text)
    checks = [
        ("mention", Mention.id, Mention.start, Mention.end, Mention.document_id),
        ("stance evidence", Stance.id, Stance.evidence_start, Stance.evidence_end, Stance.document_id),
        ("event trigger", Event.id, Event.trigger_start, Event.trigger_end, Event.document_id),
    ]
    for what, item_id, start, end, document_id in checks:
        rows = session.execute(select(item_id, start, end, length).join(Document, Document.id == document_id)
                               .where(start.is_not(None), (start < 0) | (end <= start) | (end > length)))
        for row_id, s, e, n in rows:
            yield f"{what} {row_id}: offsets {s}-{e} outside the text (0-{n})"
    rows = session.execute(select(EventArgument.id, EventArgument.start, EventArgument.end, length)
                           .join(Event, Event.id == EventArgument.event_id)
                           .join(Document, Document.id == Event.document_id)
                           .where(EventArgument.start.is_not(None),
                                  (EventArgument.start < 0) | (EventArgument.end > length)))
    for row_id, s, e, n in rows:
        yield f"event argument {row_id}: offsets {s}-{e} outside the text (0-{n})"


def _references(session: Session) -> Iterator[str]:
    """SQLite files can have foreign keys switched off by another program; a server always enforces them."""
    if not is_server(session):
        for table, row_id, parent, _fk in session.connection().exec_driver_sql("PRAGMA foreign_key_check"):
            yield f"{table} row {row_id}: refers to a missing {parent}"
    crossing = session.execute(select(EventArgument.id).join(Event, Event.id == EventArgument.event_id)
                               .join(Mention, Mention.id == EventArgument.mention_id)
                               .where((Mention.document_id != Event.document_id)
                                      | (Mention.annotator_id != Event.annotator_id)))
    for (argument_id,) in crossing:
        yield f"event argument {argument_id}: its mention belongs to another document or layer"
    for relation_id, in session.execute(select(EventRelation.id).join(Event, Event.id == EventRelation.from_event_id)
                                        .where(Event.document_id != EventRelation.document_id)):
        yield f"event relation {relation_id}: links events of different documents"


def _schema(session: Session, schema: Schema) -> Iterator[str]:
    for actor in session.scalars(select(Actor)):
        yield from _schema_problem(f"actor {actor.id}", schema.check_entity_type, actor.type)
        yield from _schema_problem(f"actor {actor.id}", schema.check_actor_kind, actor.kind)
    for mention_id, label, mention_type in session.execute(select(Mention.id, Mention.label, Mention.mention_type)):
        if label is not None:
            yield from _schema_problem(f"mention {mention_id}", schema.check_entity_type, label)
        yield from _schema_problem(f"mention {mention_id}", schema.check_mention_type, mention_type)
    for stance_id, label, polarity in session.execute(select(Stance.id, Stance.label, Stance.polarity)):
        try:
            if schema.check_stance_label(label) != polarity:
                yield f"stance {stance_id}: polarity {polarity} does not match label {label}"
        except SchemaViolation as violation:
            yield f"stance {stance_id}: {violation}"
    for event in session.scalars(select(Event)):
        yield from _schema_problem(f"event {event.id}", schema.check_event_type, event.type)
        yield from _schema_problem(f"event {event.id}", schema.check_event_attributes, event.type, event.attributes)
    for argument_id, event_type, role in session.execute(
            select(EventArgument.id, Event.type, EventArgument.role).join(Event)):
        yield from _schema_problem(f"event argument {argument_id}", schema.check_role, event_type, role)
    for relation_id, relation_type in session.execute(select(EventRelation.id, EventRelation.type)):
        yield from _schema_problem(f"event relation {relation_id}", schema.check_relation_type, relation_type)


FILE_DAMAGE = ("database: ", "document ")
"""How the problems of a damaged file (not of an annotation) begin: the cure for those is a backup."""


def _database(session: Session) -> list[str]:
    """SQLite's own full check: damaged pages, and indexes that no longer match their tables. A server looks
    after its own pages (its checksums and `amcheck` are the administrator's)."""
    if is_server(session):
        return []
    rows = session.connection().exec_driver_sql("PRAGMA integrity_check").all()
    return [] if [tuple(row) for row in rows] == [("ok",)] else [f"database: {row[0]}" for row in rows]


def _texts(session: Session) -> Iterator[str]:
    """A text changed after import (texts are immutable: every offset depends on them) no longer matches the
    hash stored with it."""
    for document_id, text, stored in session.execute(select(Document.id, Document.text, Document.text_sha256)):
        if text_sha256(text) != stored:
            yield f"document {document_id}: its text was changed after import (the stored hash differs)"


def find_problems(session: Session, schema: Schema) -> list[str]:
    """Problems of the file first: on a damaged database the other checks would read wrong rows or fail."""
    damage = _database(session)
    if damage:
        return damage
    return [*_texts(session), *_spans(session), *_references(session), *_schema(session, schema)]
