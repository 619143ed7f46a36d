"""Writes imported records in one transaction: new documents in bulk, known ones merged.

A document whose text is already in the project is not added again; its layers
(if any) are merged into it by item id, so importing the same file twice
changes nothing. Rows for new documents are batched into `executemany`
inserts because an import of thousands of articles must stay close to raw
SQLite speed (DESIGN.md §9). The actor registry is read once at the start and
kept in memory: native JSONL lines each repeat the actors they mention, and a
query per occurrence was most of an import's time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from workstation.core.errors import UserError
from workstation.core.records import ActorRecord, DocumentRecord
from workstation.core.schema import Schema
from workstation.core.text import normalise_text, text_sha256
from workstation.store import models
from workstation.store.bulk_insert import BulkInserter
from workstation.store.engine import driver_connection
from workstation.store.ids import document_id, is_uuid
from workstation.store.layer_rows import LayerBuilder, LayerRows, actor_rows, check_line_actors, check_text_normalised
from workstation.store.models import Annotator, Assignment, utcnow
from workstation.store.row_checks import check_date

BATCH_ROWS = 2000
TABLES: dict[str, Table] = {
    name: models.Base.metadata.tables[name]
    for name in ("actor", "document", "assignment", "mention", "stance", "event", "event_argument", "event_relation",
                 "mention_relation")
}
INSERTERS = {name: BulkInserter(table) for name, table in TABLES.items()}
IGNORED_IN_COMPARISON = {"created_at", "updated_at", "imported_at"}


@dataclass
class ImportReport:
    added: int = 0
    duplicates: int = 0
    items_added: int = 0
    items_changed: int = 0
    messages: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.added} document(s) added, {self.duplicates} duplicate(s) skipped, "
                f"{self.items_added} annotation item(s) added, {self.items_changed} changed")


def _differs(current: Mapping[str, Any], row: dict[str, Any]) -> bool:
    return any(current[key] != value for key, value in row.items() if key not in IGNORED_IN_COMPARISON)


class ImportWriter:
    """Collects records of one import; `flush()` at the end. The caller owns the transaction."""

    def __init__(self, session: Session, schema: Schema, default_language: str, annotator: str | None = None):
        self.session = session
        self.schema = schema
        self.language = default_language
        self.annotator = annotator
        self.report = ImportReport()
        self._pending: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
        self._known: dict[str, str] = {}
        self._driver = driver_connection(session)
        """For the one lookup per line: SQLAlchemy's statement overhead on it cost more than the query."""
        self._queued_assignments: dict[tuple[str, str], dict[str, Any]] = {}
        self._annotators: dict[str, str] = {}
        self._actors: dict[str, Mapping[str, Any]] = {
            row["id"]: row for row in session.execute(select(TABLES["actor"])).mappings()}
        """Every actor of the project and of this import so far, as stored (queued rows included)."""
        self._merged: dict[str, str | None] = {actor_id: row["merged_into"] for actor_id, row in self._actors.items()}
        """What each known actor is merged into, for the check of a line's merges."""
        self._changed_events: set[str] = set()
        """Events counted as added or changed: a changed argument counts as a change of its event, once."""
        self._last_written: dict[str, ActorRecord] = {}

    def add(self, record: DocumentRecord) -> None:
        """Add or merge one document; a UserError is re-raised with the record's file and line."""
        try:
            self._add(record)
        except UserError as error:
            raise error.located(record.origin, record.line) from None

    def _add(self, record: DocumentRecord) -> None:
        text = normalise_text(record.text)
        check_text_normalised(record, text)
        check_date("meta.published", record.published)
        annotators = [layer.annotator for layer in record.layers]
        if len(set(annotators)) < len(annotators):
            twice = next(name for name in annotators if annotators.count(name) > 1)
            raise UserError(f"layer {twice}: the annotator has two layers in this line; join them into one")
        check_line_actors(record.actors, self._merged)
        sha = text_sha256(text)
        doc_id = self._lookup(sha)
        merge = doc_id is not None
        if not merge and record.id and is_uuid(record.id) and self._id_taken(record.id):
            raise UserError(f"document {record.id} is already in the project with another text (a text never "
                            f"changes after import); remove the id from the line to import it as a new document")
        self._write_actors(record)
        self.report.messages.extend(record.warnings)
        if merge:
            self.report.duplicates += 1
        else:
            doc_id = record.id if record.id and is_uuid(record.id) else document_id(sha)
            self._known[sha] = doc_id
            self.report.added += 1
            self._queue("document", self._document_row(record, doc_id, text, sha))
            if self.annotator:
                self._set_status(doc_id, self._annotator_id(self.annotator), "new", merge=False)
        builder = LayerBuilder(self.schema, doc_id, len(text), self._actor_type)
        for layer in record.layers:
            self._write_layer(builder.build(layer), doc_id, merge)
        if sum(len(rows) for rows in self._pending.values()) >= BATCH_ROWS:
            self.flush()

    def _document_row(self, record: DocumentRecord, doc_id: str, text: str, sha: str) -> dict[str, Any]:
        return {"id": doc_id, "external_id": None if record.id == doc_id else record.id, "title": record.title,
                "text": text, "text_sha256": sha, "source": record.source, "url": record.url,
                "published": record.published, "date_raw": record.date_raw,
                "date_ambiguous": record.date_ambiguous, "language": record.language or self.language,
                "meta": record.meta, "imported_at": utcnow()}

    def _lookup(self, sha: str) -> str | None:
        """The id of the document with this text, in the project or earlier in this import."""
        if sha not in self._known:
            found = self._driver.execute("SELECT id FROM document WHERE text_sha256 = ?", (sha,)).fetchone()
            if found is None:
                return None
            self._known[sha] = found[0]
        return self._known[sha]

    def _id_taken(self, doc_id: str) -> bool:
        return doc_id in self._known.values() or self._driver.execute(
            "SELECT 1 FROM document WHERE id = ?", (doc_id,)).fetchone() is not None

    def _annotator_id(self, name: str) -> str:
        if name not in self._annotators:
            found = self.session.scalar(select(Annotator.id).where(Annotator.name == name))
            if found is None:
                found = models.new_id()
                self.session.add(Annotator(id=found, name=name))
                self.session.flush()
            self._annotators[name] = found
        return self._annotators[name]

    def _actor_type(self, actor_id: str) -> str | None:
        actor = self._actors.get(actor_id)
        return None if actor is None else actor["type"]

    def _write_actors(self, record: DocumentRecord) -> None:
        """New actors are queued; a known one is updated only where it differs; a placeholder never updates.

        An actor exactly as this import last wrote it is skipped before it is checked and mapped again:
        every line of a native file repeats the actors it mentions.
        """
        actors = [actor for actor in record.actors if self._last_written.get(actor.id) != actor]
        for actor, row in zip(actors, actor_rows(actors, self.schema)):
            self._last_written[actor.id] = actor
            current = self._actors.get(row["id"])
            if current is None:
                self._queue("actor", row)
            elif actor.placeholder or not _differs(current, row):
                continue
            else:
                self.flush()
                table = TABLES["actor"]
                self.session.execute(update(table).where(table.c.id == row["id"]).values(**row))
            self._actors[row["id"]] = row
            self._merged[row["id"]] = row["merged_into"]

    def _write_layer(self, rows: LayerRows, doc_id: str, merge: bool) -> None:
        annotator_id = self._annotator_id(rows.annotator)
        self._set_status(doc_id, annotator_id, rows.status, merge)
        for name in ("mention", "stance", "event", "event_argument", "event_relation", "mention_relation"):
            for row in getattr(rows, name):
                if name != "event_argument":
                    row["annotator_id"] = annotator_id
                if merge:
                    self._upsert(name, row)
                else:
                    self._queue(name, row)
                    self.report.items_added += name != "event_argument"

    def _set_status(self, doc_id: str, annotator_id: str, status: str, merge: bool) -> None:
        if merge:
            self.flush()
            assignment = self.session.get(Assignment, (doc_id, annotator_id))
            if assignment is not None:
                if assignment.status != status:
                    assignment.status = status
                    self.report.items_changed += 1
                return
        queued = self._queued_assignments.get((doc_id, annotator_id))
        if queued is not None:
            queued["status"] = status
            return
        row = {"document_id": doc_id, "annotator_id": annotator_id, "status": status}
        self._queued_assignments[(doc_id, annotator_id)] = row
        self._queue("assignment", row)

    def _upsert(self, name: str, row: dict[str, Any]) -> None:
        """Insert a new layer item; update a known one only where it differs (so a re-import is a no-op)."""
        self.flush()
        table = TABLES[name]
        current = self.session.execute(select(table).where(table.c.id == row["id"])).mappings().first()
        if current is None:
            self.session.execute(table.insert(), [row])
        elif _differs(current, row):
            self.session.execute(update(table).where(table.c.id == row["id"]).values(**row))
        else:
            return
        if name == "event_argument":
            if row["event_id"] not in self._changed_events:
                self._changed_events.add(row["event_id"])
                self.report.items_changed += 1
            return
        self.report.items_added += current is None
        self.report.items_changed += current is not None
        if name == "event":
            self._changed_events.add(row["id"])

    def _queue(self, name: str, row: dict[str, Any]) -> None:
        self._pending[name].append(row)

    def flush(self) -> None:
        """Insert queued rows table by table in foreign-key order."""
        for name, inserter in INSERTERS.items():
            rows = self._pending[name]
            if rows:
                inserter.insert(self.session, rows)
                rows.clear()
        self._queued_assignments.clear()

