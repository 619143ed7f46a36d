"""Documents with their layers and actors as records, streamed one at a time for exporters.

Each document lists the actors its layers refer to (and those they were
merged into), so that every line of an export stands on its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Row, Select, func, literal_column, select
from sqlalchemy.orm import Session

from workstation.core.progress import CancelCheck, Cancelled, Progress, never_cancelled, no_progress
from workstation.core.records import (
    ActorRecord,
    ArgumentRecord,
    DocumentRecord,
    EventRecord,
    LayerRecord,
    MentionRecord,
    MentionRelationRecord,
    RelationRecord,
    StanceRecord,
)
from workstation.core.schema import Schema
from workstation.store.models import (
    Actor,
    Annotator,
    Assignment,
    Document,
    Event,
    EventArgument,
    EventRelation,
    Mention,
    MentionRelation,
    Stance,
)
from workstation.store.project import Project

ROWID = literal_column("rowid")
"""Insertion order: exports list items in the order the file or the annotator created them."""


def _external(item: Any) -> str:
    return item.external_id or item.id


CHUNK_DOCUMENTS = 250
CHUNK_CHARACTERS = 4_000_000
"""Documents are read a few hundred at a time, one query per table for the lot (seven queries per document
made SQLAlchemy's statement overhead the bulk of an export), and never more than a few MB of text at once."""
LAYER_MODELS = (Mention, Stance, Event, EventRelation, MentionRelation)
IN_BATCH = 10_000
"""Ids per IN (...) list, well below SQLite's limit on bound parameters."""


def _chunks(ids: list[tuple[str, int]]) -> Iterator[list[str]]:
    chunk: list[str] = []
    characters = 0
    for document_id, length in ids:
        if chunk and (len(chunk) == CHUNK_DOCUMENTS or characters + length > CHUNK_CHARACTERS):
            yield chunk
            chunk, characters = [], 0
        chunk.append(document_id)
        characters += length
    if chunk:
        yield chunk


class _LayerRows:
    """Every layer row of some documents, grouped by (table, document, annotator), in creation order."""

    def __init__(self, session: Session, document_ids: list[str], annotator_ids: list[str] | None):
        def chosen(query: Select, column: Any) -> Select:
            return query if annotator_ids is None else query.where(column.in_(annotator_ids))

        self.statuses: dict[str, dict[str, str]] = defaultdict(dict)
        """document → annotator → status: layers with a status, and layers with items (`new` then)."""
        assignment = Assignment.__table__
        for document_id, annotator_id, status in session.execute(chosen(
                select(assignment.c.document_id, assignment.c.annotator_id, assignment.c.status)
                .where(assignment.c.document_id.in_(document_ids)), assignment.c.annotator_id)):
            self.statuses[document_id][annotator_id] = status
        self.items: dict[tuple[str, str, str], list[Row]] = defaultdict(list)
        for model in LAYER_MODELS:
            table = model.__table__
            for row in session.execute(chosen(select(table).where(table.c.document_id.in_(document_ids)),
                                              table.c.annotator_id).order_by(ROWID)):
                self.items[(table.name, row.document_id, row.annotator_id)].append(row)
                self.statuses[row.document_id].setdefault(row.annotator_id, "new")
        events = [row.id for (name, _, _), rows in self.items.items() if name == "event" for row in rows]
        self.arguments: dict[str, list[Row]] = defaultdict(list)
        arguments = EventArgument.__table__
        for start in range(0, len(events), IN_BATCH):
            for row in session.execute(select(arguments).where(arguments.c.event_id.in_(events[start:start + IN_BATCH]))
                                       .order_by(arguments.c.position, ROWID)):
                self.arguments[row.event_id].append(row)


class DocumentReader:
    """Turns stored documents back into records, mapping UUIDs to the ids the files used."""

    def __init__(self, session: Session, schema: Schema, layer: str | None = None):
        self.session = session
        self.layer = layer
        self.actor_attributes = [name for name, spec in schema.event_attributes.items() if spec.kind == "actor"]
        self._actors: dict[str, Actor] = {}
        self._actor_rank: dict[str, int] | None = None
        self.annotators = {annotator.id: annotator for annotator in session.scalars(select(Annotator))}

    def selection(self, status: str | None = None) -> Select:
        """Documents in import order; with a status, those whose chosen layer (or any layer) has it."""
        query = select(Document).order_by(ROWID)
        if status is not None:
            having = select(Assignment.document_id).where(Assignment.status == status)
            if self.layer is not None:
                having = having.join(Annotator).where(Annotator.name == self.layer)
            query = query.where(Document.id.in_(having))
        return query

    def documents(self, query: Select, extra_actors: list[str] | None = None) -> Iterator[DocumentRecord]:
        """Records in order; `extra_actors` are listed on the first one. Documents are read in chunks."""
        ids = self.session.execute(query.with_only_columns(Document.id, func.length(Document.text))).all()
        for chunk in _chunks(ids):
            loaded = {doc.id: doc for doc in self.session.scalars(select(Document).where(Document.id.in_(chunk)))}
            rows = _LayerRows(self.session, chunk, self._annotator_ids())
            for document_id in chunk:
                yield self.record(loaded[document_id], rows, extra_actors)
                extra_actors = None
            self.session.expunge_all()

    def _annotator_ids(self) -> list[str] | None:
        if self.layer is None:
            return None
        return [annotator_id for annotator_id, annotator in self.annotators.items() if annotator.name == self.layer]

    def actor(self, actor_id: str) -> Actor:
        if actor_id not in self._actors:
            self._actors[actor_id] = self.session.get(Actor, actor_id)
        return self._actors[actor_id]

    def unreferenced_actors(self) -> list[str]:
        """Registry entries no annotation refers to: a full export carries them on its first line."""
        references = select(Mention.actor_id.label("id")).union(
            select(Stance.holder_id), select(Stance.target_id),
            *(select(func.json_extract(Event.attributes, f"$.{name}")) for name in self.actor_attributes)).subquery()
        referenced = select(references.c.id).where(references.c.id.is_not(None))
        return list(self.session.scalars(select(Actor.id).where(Actor.id.not_in(referenced)).order_by(ROWID)))

    def record(self, document: Document, rows: _LayerRows, extra_actors: list[str] | None = None) -> DocumentRecord:
        used: list[str] = list(extra_actors or [])
        layers = sorted(((self.annotators[annotator_id], status)
                         for annotator_id, status in rows.statuses.get(document.id, {}).items()),
                        key=lambda layer: layer[0].name)
        return DocumentRecord(
            text=document.text, title=document.title, id=document.external_id or document.id,
            published=document.published, date_raw=document.date_raw, date_ambiguous=document.date_ambiguous,
            source=document.source, url=document.url, language=document.language, meta=dict(document.meta),
            layers=[self._layer(document.id, annotator, status, used, rows) for annotator, status in layers],
            actors=[self._actor_record(actor_id) for actor_id in self._in_registry_order(used)],
        )

    def _in_registry_order(self, used: list[str]) -> list[str]:
        """The used actors and the actors they were merged into, in the order they entered the project."""
        if self._actor_rank is None:
            self._actor_rank = {actor_id: rank for rank, actor_id in
                                enumerate(self.session.scalars(select(Actor.id).order_by(ROWID)))}
        wanted: set[str] = set()
        for actor_id in used:
            while actor_id is not None and actor_id not in wanted:
                wanted.add(actor_id)
                actor_id = self.actor(actor_id).merged_into
        return sorted(wanted, key=self._actor_rank.__getitem__)

    def _actor_record(self, actor_id: str) -> ActorRecord:
        actor = self.actor(actor_id)
        return ActorRecord(id=_external(actor), name=actor.name, type=actor.type, kind=actor.kind,
                           country=actor.country, code=actor.code, aliases=list(actor.aliases),
                           description=actor.description,
                           merged_into=None if actor.merged_into is None else _external(self.actor(actor.merged_into)))

    def _layer(self, document_id: str, annotator: Annotator, status: str, used: list[str],
               rows: _LayerRows) -> LayerRecord:
        def use(actor_id: str | None) -> str | None:
            if actor_id is None:
                return None
            if actor_id not in used:
                used.append(actor_id)
            return _external(self.actor(actor_id))

        def items(model: Any) -> list[Row]:
            return rows.items.get((model.__tablename__, document_id, annotator.id), [])

        mentions = items(Mention)
        mention_ids = {m.id: _external(m) for m in mentions}
        events = items(Event)
        event_ids = {e.id: _external(e) for e in events}
        arguments = rows.arguments
        return LayerRecord(
            annotator=annotator.name, status=status,
            mentions=[MentionRecord(id=_external(m), start=m.start, end=m.end, type=m.mention_type,
                                    actor=use(m.actor_id), attributes=dict(m.attributes),
                                    label=m.label if m.actor_id is None or m.label != self.actor(m.actor_id).type
                                    else None) for m in mentions],
            stances=[StanceRecord(id=_external(s), holder=use(s.holder_id), label=s.label, target=use(s.target_id),
                                  issue=s.issue, issue_position=s.issue_position, strength=s.strength,
                                  implicit_target=s.implicit_target, attributes=dict(s.attributes),
                                  evidence=None if s.evidence_start is None else (s.evidence_start, s.evidence_end))
                     for s in items(Stance)],
            events=[EventRecord(id=_external(e), type=e.type, trigger=(e.trigger_start, e.trigger_end),
                                arguments=[ArgumentRecord(role=a.role, mention=mention_ids.get(a.mention_id),
                                                          span=None if a.mention_id else (a.start, a.end))
                                           for a in arguments.get(e.id, [])],
                                attributes=self._event_attributes(e.attributes, use), date=e.date)
                    for e in events],
            relations=[RelationRecord(type=r.type, source=event_ids[r.from_event_id], target=event_ids[r.to_event_id])
                       for r in items(EventRelation)],
            mention_relations=[MentionRelationRecord(id=_external(r), type=r.type, source=mention_ids[r.from_mention_id],
                                                     target=mention_ids[r.to_mention_id],
                                                     attributes=dict(r.attributes)) for r in items(MentionRelation)],
        )

    def _event_attributes(self, attributes: dict[str, Any], use: Any) -> dict[str, Any]:
        mapped = dict(attributes)
        for name in self.actor_attributes:
            if mapped.get(name) is not None:
                mapped[name] = use(mapped[name])
        return mapped



def stream_records(project: Project, layer: str | None = None, status: str | None = None,
                   progress: Progress = no_progress, cancel: CancelCheck = never_cancelled,
                   with_unreferenced_actors: bool = False) -> Iterator[DocumentRecord]:
    """The chosen documents one at a time, for exporters that must not hold a project in memory."""
    with project.session() as session:
        reader = DocumentReader(session, project.schema, layer)
        query = reader.selection(status)
        total = session.scalar(select(func.count()).select_from(query.subquery()))
        orphans = reader.unreferenced_actors() if with_unreferenced_actors else None
        for done, record in enumerate(reader.documents(query, orphans), start=1):
            if cancel():
                raise Cancelled()
            yield record
            progress(done, total, record.title)
