"""Stored tokens of documents (`models.DocumentTokens`) as bytes: what the bytes hold is `nlp.token_table`'s."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import delete, insert, select

from workstation.store.id_batches import id_batches
from workstation.store.models import Base, Document
from workstation.store.project import Database, core_connection

TABLE = Base.metadata.tables["document_tokens"]


def stored_tokens(database: Database, text_hashes: Collection[str],
                  tokenizers: Collection[str]) -> dict[str, tuple[str, bytes]]:
    """text hash → (tokenizer, tokens) stored for the documents of these texts by one of these tokenizers. By the
    text, which is what tokens depend on and what every reader has (their ids are external ones)."""
    connection = core_connection(database)
    found: dict[str, tuple[str, bytes]] = {}
    for batch in id_batches(text_hashes):
        rows = connection.execute(
            select(Document.text_sha256, TABLE.c.tokenizer, TABLE.c.tokens)
            .join(TABLE, TABLE.c.document_id == Document.id)
            .where(Document.text_sha256.in_(batch), TABLE.c.tokenizer.in_(list(tokenizers))))
        found.update((text_hash, (tokenizer, tokens)) for text_hash, tokenizer, tokens in rows)
    return found


def tokenizers_used(database: Database) -> list[tuple[str, str | None, str | None]]:
    """(document, language, tokenizer of its stored tokens or None) of every document."""
    connection = core_connection(database)
    return list(connection.execute(
        select(Document.id, Document.language, TABLE.c.tokenizer).outerjoin(
            TABLE, TABLE.c.document_id == Document.id)).tuples())


def texts(database: Database, document_ids: list[str]) -> list[tuple[str, str, str | None]]:
    """(document, text, language) of these documents."""
    return list(core_connection(database).execute(
        select(Document.id, Document.text, Document.language).where(Document.id.in_(document_ids))).tuples())


def store_tokens(database: Database, rows: list[dict[str, object]]) -> None:
    """Replace the tokens of the rows' documents (`document_id`, `tokenizer`, `tokens`)."""
    if not rows:
        return
    connection = core_connection(database)
    for batch in id_batches([str(row["document_id"]) for row in rows]):
        connection.execute(delete(TABLE).where(TABLE.c.document_id.in_(batch)))
    connection.execute(insert(TABLE), rows)
