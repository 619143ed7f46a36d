"""Tokens and sentences from a blank spaCy pipeline: no model download, same tokens everywhere.

Exports (DocBin, Prodigy, CoNLL) and token snapping share these pipelines so
that a span that aligns in one place aligns in all of them. spaCy (seconds to
import) loads with the first pipeline, not with this module: the text view
imports it for snapping, and the window must open without spaCy.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from workstation.core.errors import UserError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


@cache
def blank_pipeline(language: str) -> Language:
    import spacy

    try:
        nlp = spacy.blank(language)
    except (ImportError, OSError, KeyError) as error:
        raise UserError(f"spaCy has no tokenizer for the language '{language}' ({error})") from None
    nlp.add_pipe("sentencizer")
    return nlp


def make_doc(text: str, language: str) -> Doc:
    """Tokenised, with sentence boundaries set."""
    return blank_pipeline(language or "en")(text)


def tokenize(text: str, language: str) -> Doc:
    """Tokens only, for formats that write no sentences (the sentencizer costs as much as the tokenizer)."""
    return blank_pipeline(language or "en").make_doc(text)
