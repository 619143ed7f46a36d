"""Documents with their layers and actors as records, streamed one at a time for exporters.

Each document lists the actors its layers refer to (and those they were
merged into), so that every line of an export stands on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

from sqlalchemy import Select, func, literal_column, select
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
from workstation.store.export_rows import (
    SELECTED,
    ChunkRows,
    StandoffMention,
    json_value,
    labelled_mentions,
    standoff_mentions,
)
from workstation.store.models import (
    Actor,
    Annotator,
    Assignment,
    Document,
    Event,
    Mention,
    Stance,
)
from workstation.store.project import Project

ROWID = literal_column("rowid")
"""Insertion order: exports list items in the order the file or the annotator created them (SQLite's implicit
rowid; on a server, the identity column of that name made by migration 0008)."""


class MentionLayer(NamedTuple):
    """One document with one layer's mentions: all that CoNLL and a DocBin write. The token formats read these
    instead of records: a record carries every table's items and ~45 actor records per document, whose
    reading cost more than the mentions themselves."""

    id: str
    title: str
    text: str
    language: str | None
    published: str | None
    source: str | None
    annotator: str
    status: str
    mentions: list[tuple[int, int, str | None, str]]
    """(start, end, mention type, label) in creation order; the label is the mention's own, else its actor's
    type, else its mention type, else MENTION (as `records.mention_label` gives it)."""


class StandoffLayer(NamedTuple):
    """One document with one layer as brat and Prodigy write it: the mentions as rows, and a record only where the
    layer has other items (events, stances, relations). A record of each of 50 mentions per document cost more
    than writing its lines."""

    id: str
    title: str
    text: str
    language: str | None
    published: str | None
    status: str
    mentions: Iterable[StandoffMention]
    """In creation order, their actors' ids those of the database (see `actors`); read once, before the next
    document is taken."""
    actors: dict[str, tuple[str, str, str]]
    """Actor → (its id in the files, name, type): the registry, one mapping shared by every document."""
    record: DocumentRecord | None
    """The whole document, for the layer's items other than mentions (and the mentions' ids in the files, which
    those refer to); None where it has none."""


NOT_MENTIONS = tuple(table for table in SELECTED if table != "mention")


def _external(item: Any) -> str:
    return item.external_id or item.id


CHUNK_DOCUMENTS = 250
CHUNK_CHARACTERS = 4_000_000
"""Documents are read a few hundred at a time, one query per table for the lot (seven queries per document
made SQLAlchemy's statement overhead the bulk of an export), and never more than a few MB of text at once."""


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


class DocumentReader:
    """Turns stored documents back into records, mapping UUIDs to the ids the files used."""

    def __init__(self, session: Session, schema: Schema, layer: str | None = None):
        self.session = session
        self.layer = layer
        self.actor_attributes = [name for name, spec in schema.event_attributes.items() if spec.kind == "actor"]
        registry = session.execute(select(Actor.__table__).order_by(ROWID)).all()
        # The registry, read once: every document lists its actors, and an export touches each many times.
        self._external = {actor.id: _external(actor) for actor in registry}
        self._types = {actor.id: actor.type for actor in registry}
        self._merged_into = {actor.id: actor.merged_into for actor in registry}
        self._actors = {actor.id: ActorRecord(self._external[actor.id], actor.name, actor.type, actor.kind,
                                              actor.country, actor.code, list(actor.aliases), actor.description,
                                              self._external.get(actor.merged_into)) for actor in registry}
        """One record per actor for the whole stream, shared by the documents that list it: exports only read
        records, and a fresh copy per document (~45 per line) cost a third of reading the rows."""
        self._actor_rank = {actor.id: rank for rank, actor in enumerate(registry)}
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

    def _chunks(self, query: Select) -> Iterator[tuple[list[str], dict[str, Any]]]:
        """The selected documents' ids a chunk at a time, in order, with their rows by id."""
        ids = self.session.execute(query.with_only_columns(Document.id, func.length(Document.text))).all()
        documents = Document.__table__
        for chunk in _chunks(ids):
            yield chunk, {doc.id: doc for doc in self.session.execute(select(documents)
                                                                      .where(documents.c.id.in_(chunk)))}

    def documents(self, query: Select, extra_actors: list[str] | None = None) -> Iterator[DocumentRecord]:
        """Records in order; `extra_actors` are listed on the first one. Documents are read in chunks."""
        for chunk, loaded in self._chunks(query):
            rows = ChunkRows(self.session, chunk, self._annotator_ids())
            for document_id in chunk:
                yield self.record(loaded[document_id], rows, extra_actors)
                extra_actors = None

    def mention_layers(self, query: Select) -> Iterator[MentionLayer]:
        """The reader's layer of each document, mentions only, labelled (see `MentionLayer`)."""
        annotator_ids = self._annotator_ids() or []
        for chunk, loaded in self._chunks(query):
            rows = ChunkRows(self.session, chunk, annotator_ids, tables=())
            labelled = labelled_mentions(self.session, chunk, annotator_ids)
            for document_id in chunk:
                document = loaded[document_id]
                status, mentions = "new", []
                for annotator_id in annotator_ids:
                    status = rows.statuses.get(document_id, {}).get(annotator_id, status)
                    mentions += labelled.get((document_id, annotator_id), [])
                yield MentionLayer(document.external_id or document.id, document.title, document.text,
                                   document.language, document.published, document.source, self.layer or "", status,
                                   mentions)

    def standoff_layers(self, query: Select) -> Iterator[StandoffLayer]:
        """The reader's layer of each document, mentions as rows (see `StandoffLayer`)."""
        annotator_ids = self._annotator_ids() or []  # one at most: names are unique
        actors = {actor_id: (actor.id, actor.name, actor.type) for actor_id, actor in self._actors.items()}
        for chunk, loaded in self._chunks(query):
            layer_rows = ChunkRows(self.session, chunk, annotator_ids, NOT_MENTIONS) if annotator_ids else None
            itemised = {document_id for _, document_id, _ in layer_rows.items} if layer_rows else set()
            rows = ChunkRows(self.session, [d for d in chunk if d in itemised], annotator_ids) if itemised else None
            layers = standoff_mentions(self.session, chunk, annotator_ids[0]) if annotator_ids else (
                iter(()) for _ in chunk)
            for document_id, mentions in zip(chunk, layers):
                document = loaded[document_id]
                status = layer_rows.statuses.get(document_id, {}).get(annotator_ids[0], "new") if layer_rows else "new"
                yield StandoffLayer(document.external_id or document.id, document.title, document.text,
                                    document.language, document.published, status, mentions, actors,
                                    self.record(document, rows) if rows and document_id in itemised else None)

    def _annotator_ids(self) -> list[str] | None:
        if self.layer is None:
            return None
        return [annotator_id for annotator_id, annotator in self.annotators.items() if annotator.name == self.layer]

    def unreferenced_actors(self) -> list[str]:
        """Registry entries no annotation refers to: a full export carries them on its first line."""
        references = select(Mention.actor_id.label("id")).union(
            select(Stance.holder_id), select(Stance.target_id),
            *(select(Event.attributes[name].as_string()) for name in self.actor_attributes)).subquery()
        referenced = select(references.c.id).where(references.c.id.is_not(None))
        return list(self.session.scalars(select(Actor.id).where(Actor.id.not_in(referenced)).order_by(ROWID)))

    def record(self, document: Any, rows: ChunkRows, extra_actors: list[str] | None = None) -> DocumentRecord:
        used = dict.fromkeys(extra_actors or [])  # the actors the layers refer to, as met: an ordered set
        layers = sorted(((self.annotators[annotator_id], status)
                         for annotator_id, status in rows.statuses.get(document.id, {}).items()),
                        key=lambda layer: layer[0].name)
        return DocumentRecord(
            text=document.text, title=document.title, id=document.external_id or document.id,
            published=document.published, date_raw=document.date_raw, date_ambiguous=document.date_ambiguous,
            source=document.source, url=document.url, language=document.language, meta=dict(document.meta),
            layers=[self._layer(document.id, annotator, status, used, rows) for annotator, status in layers],
            actors=[self._actors[actor_id] for actor_id in self._in_registry_order(used)],
        )

    def _in_registry_order(self, used: dict[str, None]) -> list[str]:
        """The used actors and the actors they were merged into, in the order they entered the project."""
        wanted: set[str] = set()
        for actor_id in used:
            while actor_id is not None and actor_id not in wanted:
                wanted.add(actor_id)
                actor_id = self._merged_into[actor_id]
        return sorted(wanted, key=self._actor_rank.__getitem__)

    def _layer(self, document_id: str, annotator: Annotator, status: str, used: dict[str, None],
               rows: ChunkRows) -> LayerRecord:
        def use(actor_id: str | None) -> str | None:
            if actor_id is None:
                return None
            used[actor_id] = None
            return self._external[actor_id]

        def items(table: str) -> list[tuple]:
            return rows.items.get((table, document_id, annotator.id), [])

        mentions, events = items("mention"), items("event")
        mention_ids = {row[2]: row[3] for row in mentions}
        event_ids = {row[2]: row[3] for row in events}
        types = self._types
        return LayerRecord(
            annotator=annotator.name, status=status,
            mentions=[MentionRecord(id=external, start=start, end=end, type=mention_type, actor=use(actor_id),
                                    label=label if actor_id is None or label != types[actor_id] else None,
                                    attributes=json_value(attributes), origin=origin, suggester=suggester)
                      for _, _, _, external, start, end, mention_type, actor_id, label, attributes, origin, suggester
                      in mentions],
            stances=[StanceRecord(id=external, holder=use(holder), label=label, target=use(target), issue=issue,
                                  issue_position=issue_position, strength=strength,
                                  implicit_target=bool(implicit_target), attributes=json_value(attributes),
                                  evidence=None if evidence_start is None else (evidence_start, evidence_end))
                     for _, _, external, holder, target, issue, issue_position, label, strength, implicit_target,
                     evidence_start, evidence_end, attributes in items("stance")],
            events=[EventRecord(id=external, type=event_type, trigger=(trigger_start, trigger_end),
                                arguments=[ArgumentRecord(role=role, mention=mention_ids.get(mention_id),
                                                          span=None if mention_id else (start, end))
                                           for role, mention_id, start, end in rows.arguments.get(event_id, [])],
                                attributes=self._event_attributes(json_value(attributes), use), date=date,
                                origin=origin, suggester=suggester)
                    for _, _, event_id, external, event_type, trigger_start, trigger_end, date, attributes, origin,
                    suggester in events],
            relations=[RelationRecord(type=relation_type, source=event_ids[source], target=event_ids[target])
                       for _, _, relation_type, source, target in items("event_relation")],
            mention_relations=[MentionRelationRecord(id=external, type=relation_type, source=mention_ids[source],
                                                     target=mention_ids[target], attributes=json_value(attributes))
                               for _, _, external, relation_type, source, target, attributes
                               in items("mention_relation")],
        )

    def _event_attributes(self, attributes: dict[str, Any], use: Any) -> dict[str, Any]:
        for name in self.actor_attributes:
            if attributes.get(name) is not None:
                attributes[name] = use(attributes[name])
        return attributes



def stream_records(project: Project, layer: str | None = None, status: str | None = None,
                   progress: Progress = no_progress, cancel: CancelCheck = never_cancelled,
                   with_unreferenced_actors: bool = False) -> Iterator[DocumentRecord]:
    """The chosen documents one at a time, for exporters that must not hold a project in memory. The records are
    for reading: an actor's record is the same object on every document that lists it."""
    with project.session() as session:
        reader = DocumentReader(session, project.schema, layer)
        query = reader.selection(status)
        orphans = reader.unreferenced_actors() if with_unreferenced_actors else None
        yield from _reported(reader.documents(query, orphans), _count(session, query), progress, cancel)


def stream_mention_layers(project: Project, layer: str, status: str | None = None,
                          progress: Progress = no_progress,
                          cancel: CancelCheck = never_cancelled) -> Iterator[MentionLayer]:
    """The chosen documents with the mentions of one layer, one at a time (see `MentionLayer`)."""
    with project.session() as session:
        reader = DocumentReader(session, project.schema, layer)
        query = reader.selection(status)
        yield from _reported(reader.mention_layers(query), _count(session, query), progress, cancel)


def stream_standoff_layers(project: Project, layer: str, status: str | None = None,
                           progress: Progress = no_progress,
                           cancel: CancelCheck = never_cancelled) -> Iterator[StandoffLayer]:
    """The chosen documents with one layer as brat and Prodigy write it, one at a time (see `StandoffLayer`)."""
    return _stream(project, layer, status, progress, cancel, DocumentReader.standoff_layers)


def _stream(project: Project, layer: str, status: str | None, progress: Progress, cancel: CancelCheck,
            read: Callable[[DocumentReader, Select], Iterator[Any]]) -> Iterator[Any]:
    """The chosen documents of one layer as `read` gives them, reported to `progress`, stopped by `cancel`."""
    with project.session() as session:
        reader = DocumentReader(session, project.schema, layer)
        query = reader.selection(status)
        yield from _reported(read(reader, query), _count(session, query), progress, cancel)


def _count(session: Session, query: Select) -> int:
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


def _reported(items: Iterator[Any], total: int, progress: Progress, cancel: CancelCheck) -> Iterator[Any]:
    for done, item in enumerate(items, start=1):
        if cancel():
            raise Cancelled()
        yield item
        progress(done, total, item.title)
