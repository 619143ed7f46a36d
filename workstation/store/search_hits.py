"""Where the document list's search words occur in one document's text.

The hits come from the same index and query as the list (`store/search.py`), so
a document is listed exactly when it shows hits (in its title or its text),
with the same rules for case, accents, prefixes and punctuation.
"""

from __future__ import annotations

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from workstation.core.text import spans_between_marks
from workstation.store.engine import is_server
from workstation.store.models import Document
from workstation.store.search import fts_query, matching_documents, word_hits

HIT_OPEN, HIT_CLOSE = "\ufdd0", "\ufdd1"
"""Unicode noncharacters: they never occur in an article, so they cannot be mistaken for marks."""
TEXT_COLUMN = 2
"""`text` in document_fts(document_id, title, text)."""


def search_hits(session: Session, document_id: str, search: str) -> list[tuple[int, int]]:
    """Code-point spans of the matched words in the document's text, in order; none when the search is empty
    or matches only the title."""
    query = fts_query(search)
    if not query:
        return []
    if is_server(session):
        matched = session.scalar(select(Document.text).where(
            Document.id == document_id, Document.id.in_(matching_documents(session, search))))
        return word_hits(matched, search) if matched else []
    marked = session.scalar(text(
        "SELECT highlight(document_fts, :column, :open, :close) FROM document_fts "
        "WHERE document_fts MATCH :query AND document_id = :id").bindparams(
        column=TEXT_COLUMN, open=HIT_OPEN, close=HIT_CLOSE, query=query, id=document_id))
    return spans_between_marks(marked, HIT_OPEN, HIT_CLOSE) if marked else []
