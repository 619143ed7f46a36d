"""Tokens from the project where the current tokenizer stored them, tokenized now where it did not.

Import stores every new document's tokens (`tokenize_documents`), and exports read them a chunk of documents
at a time (`with_tokens`). A document imported before tokens were stored, or by another spaCy, is tokenized
by the export as before: stored tokens only save time, the output is the same (a test compares).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING, Protocol, TypeVar

from workstation.core.progress import CancelCheck, Cancelled, Progress, never_cancelled, no_progress
from workstation.core.text import text_sha256
from workstation.nlp.pipeline import tokenize
from workstation.nlp.token_table import TokenTable, tokenizer_name
from workstation.store.document_tokens import store_tokens, stored_tokens, texts, tokenizers_used

if TYPE_CHECKING:
    from workstation.store.project import Database, Project

TOKENIZING = "tokenizing the new documents"
"""What the progress of an import says while it stores tokens."""
CHUNK = 250
"""Documents per query and per write: their texts and tokens, not the project's, are in memory at once."""


class Tokenizable(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def language(self) -> str | None: ...


T = TypeVar("T", bound=Tokenizable)
Item = TypeVar("Item")


def _chunks(items: Iterable[Item]) -> Iterator[list[Item]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk


def with_tokens(project: Project, documents: Iterable[T]) -> Iterator[tuple[T, TokenTable]]:
    """Each document with its tokens, in the order given."""
    with project.connect() as connection:
        for chunk in _chunks(documents):
            hashes = [text_sha256(document.text) for document in chunk]
            stored = stored_tokens(connection, hashes, {tokenizer_name(document.language) for document in chunk})
            for document, text_hash in zip(chunk, hashes):
                found = stored.get(text_hash)
                if found is not None and found[0] == tokenizer_name(document.language):
                    yield document, TokenTable.from_bytes(found[1])
                else:
                    yield document, TokenTable.of_doc(tokenize(document.text, document.language or "en"))


def tokenize_documents(database: Database, progress: Progress = no_progress,
                       cancel: CancelCheck = never_cancelled) -> int:
    """Store the tokens of every document that has none by the current tokenizer; returns how many."""
    needed = [document_id for document_id, language, stored in tokenizers_used(database)
              if stored != tokenizer_name(language)]
    for done, batch in enumerate(_chunks(needed), start=1):
        if cancel():
            raise Cancelled()
        store_tokens(database, [
            {"document_id": document_id, "tokenizer": tokenizer_name(language),
             "tokens": TokenTable.of_doc(tokenize(text, language or "en")).to_bytes()}
            for document_id, text, language in texts(database, batch)])
        progress(min(done * CHUNK, len(needed)), len(needed), TOKENIZING)
    return len(needed)
