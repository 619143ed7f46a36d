"""The rows of the document list: small summaries (no text), searchable (`store/search.py`)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, select, text
from sqlalchemy.orm import Session

from workstation.store.models import Annotator, Assignment, Document, Mention
from workstation.store.project import Database
from workstation.store.search import matching_documents


@dataclass(frozen=True)
class DocumentSummary:
    id: str
    title: str
    published: str | None
    date_ambiguous: bool
    status: str
    mentions: int


def layer_status(session: Database, document_id: str, annotator_id: str | None) -> str:
    return session.scalar(select(Assignment.status).where(Assignment.document_id == document_id,
                                                          Assignment.annotator_id == annotator_id)) or "new"


def list_documents(session: Session, annotator: str | None = None, search: str = "",
                   status: str | None = None) -> list[DocumentSummary]:
    """Documents in import order with the annotator's status (new when unassigned) and mention count."""
    annotator_id = session.scalar(select(Annotator.id).where(Annotator.name == annotator)) if annotator else None
    mentions = (select(Mention.document_id, func.count().label("n")).where(Mention.annotator_id == annotator_id)
                .group_by(Mention.document_id).subquery())
    status_column = func.coalesce(Assignment.status, "new")
    query = (select(Document.id, Document.title, Document.published, Document.date_ambiguous, status_column,
                    func.coalesce(mentions.c.n, 0))
             .outerjoin(Assignment, and_(Assignment.document_id == Document.id,
                                         Assignment.annotator_id == annotator_id))
             .outerjoin(mentions, mentions.c.document_id == Document.id)
             .order_by(text("document.rowid")))
    if search.strip():
        query = query.where(Document.id.in_(matching_documents(session, search)))
    if status is not None:
        query = query.where(status_column == status)
    return [DocumentSummary(*row) for row in session.execute(query)]


def document_texts(session: Session, search: str = "") -> list[tuple[str, str, str]]:
    """(id, text, language) of the documents the search matches (all without one), in import order."""
    query = select(Document.id, Document.text, Document.language).order_by(text("document.rowid"))
    if search.strip():
        query = query.where(Document.id.in_(matching_documents(session, search)))
    return [tuple(row) for row in session.execute(query)]
