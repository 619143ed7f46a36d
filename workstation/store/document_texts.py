"""Rows grouped by document, each group with its document's text, for code that cuts words out of many texts."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import groupby
from operator import itemgetter
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from workstation.store.models import Document

TEXTS_AT_ONCE = 32
"""Documents whose texts one statement reads: a statement per document cost a server a round trip each (10,000
while a 10,000-document project opened), and a few dozen texts bound the memory even for 1 MB articles."""
TEXTS = select(Document.id, Document.text).where(Document.id.in_(bindparam("ids", expanding=True)))


def with_texts(session: Session, rows: Iterable[Sequence[Any]]) -> Iterator[tuple[str, str, list[Sequence[Any]]]]:
    """(document id, text, its rows) for rows ordered by their first column, a document id; each text read
    once."""
    pending: list[tuple[str, list[Sequence[Any]]]] = []
    for document_id, group in groupby(rows, key=itemgetter(0)):
        pending.append((document_id, list(group)))
        if len(pending) == TEXTS_AT_ONCE:
            yield from _texts_of(session, pending)
            pending = []
    yield from _texts_of(session, pending)


def _texts_of(session: Session, groups: list[tuple[str, list[Sequence[Any]]]]) -> Iterator[
        tuple[str, str, list[Sequence[Any]]]]:
    if not groups:
        return
    texts: dict[str, str] = {document_id: text for document_id, text in session.execute(
        TEXTS, {"ids": [document_id for document_id, _ in groups]})}
    for document_id, rows in groups:
        yield document_id, texts[document_id], rows
