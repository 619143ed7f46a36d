"""Full-text search over documents' titles and texts, one interface on both engines.

SQLite files search with FTS5 (`document_fts`, unicode61 tokens); a PostgreSQL server with a `tsvector` GIN
index (migration 0008) folded the same way: case and accents ignored, each word of the search a prefix, every
word required, search syntax typed into the box taken as plain text. A word made of several tokens
("mexico-city") is a phrase on both.
"""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import TextClause, text
from sqlalchemy.orm import Session

from workstation.store.engine import is_server

TOKEN = re.compile(r"(?:[^\W_]|[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f])+")
"""A token as FTS5's unicode61 tokenizer sees one: letters and digits, with their combining marks."""


def fts_query(search: str) -> str:
    """User words as quoted prefix terms: FTS5 syntax characters in a search box are not errors."""
    words = [word.replace('"', '""') for word in search.split()]
    return " ".join(f'"{word}"*' for word in words)


def folded(token: str) -> str:
    """A token as both indexes compare it: lower case, without accents."""
    decomposed = unicodedata.normalize("NFD", token)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


def search_words(search: str) -> list[list[str]]:
    """Each word of the search as its tokens; a word without any (punctuation alone) is no condition."""
    return [tokens for word in search.split() if (tokens := TOKEN.findall(word))]


def ts_query(search: str) -> str:
    """The search as a `tsquery`: tokens of a word follow each other, words are all required, the last token
    of each word is a prefix. Tokens hold letters and digits only, so nothing in them is query syntax."""
    phrases = [" <-> ".join(f"'{token}'" for token in tokens) + ":*" for tokens in search_words(search)]
    return " & ".join(f"({phrase})" for phrase in phrases)


def matching_documents(session: Session, search: str) -> TextClause:
    """The ids of the documents whose title or text holds every word of `search` (for `Document.id.in_`)."""
    if is_server(session):
        query = ts_query(search)
        return text("SELECT id FROM document WHERE :q <> '' AND "
                    "workstation_search_text(title, text) @@ workstation_search_query(:q)").bindparams(q=query)
    return text("SELECT document_id FROM document_fts WHERE document_fts MATCH :q").bindparams(q=fts_query(search))


def word_hits(text_: str, search: str) -> list[tuple[int, int]]:
    """Code-point spans of the tokens of `text_` that one of the search's tokens begins, as the server's index
    folds them (the server has no `highlight()` that keeps code-point offsets)."""
    prefixes = tuple({folded(token) for tokens in search_words(search) for token in tokens})
    if not prefixes:
        return []
    return [match.span() for match in TOKEN.finditer(text_) if folded(match.group()).startswith(prefixes)]
