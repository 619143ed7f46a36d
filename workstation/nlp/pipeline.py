"""Tokens and sentences from a blank spaCy pipeline: no model download, same tokens everywhere.

Exports (DocBin, Prodigy, CoNLL) and token snapping share these pipelines so
that a span that aligns in one place aligns in all of them. spaCy (seconds to
import) loads with the first pipeline, not with this module: the text view
imports it for snapping, and the window must open without spaCy.
"""

from __future__ import annotations

import threading
from functools import cache
from typing import TYPE_CHECKING

from workstation.core.errors import UserError

if TYPE_CHECKING:
    import numpy
    from spacy.language import Language
    from spacy.tokens import Doc


_LOADING = threading.Lock()
"""spaCy is loaded by whichever thread asks first (the text view's warm-up, an export's worker, a selection):
two threads importing it at once can each wait on a module the other is importing, and Python then hands one
of them a half-initialised module."""


def blank_pipeline(language: str) -> Language:
    with _LOADING:
        return _blank_pipeline(language)


@cache
def _blank_pipeline(language: str) -> Language:
    import spacy

    try:
        return spacy.blank(language)
    except (ImportError, OSError, KeyError) as error:
        raise UserError(f"spaCy has no tokenizer for the language '{language}' ({error})") from None


@cache
def _sentence_punctuation() -> numpy.ndarray:
    """The hashes of the characters that end a sentence for spaCy's Sentencizer (its defaults), sorted."""
    import numpy
    from spacy.pipeline import Sentencizer
    from spacy.strings import hash_string

    return numpy.array(sorted(hash_string(char) for char in Sentencizer.default_punct_chars), dtype=numpy.uint64)


def sentence_starts(doc: Doc) -> numpy.ndarray:
    """SENT_START per token (1 starts a sentence, -1 does not), by the Sentencizer's rule read off the token
    arrays: the first token starts one, and so does every token that is neither punctuation nor a sentence
    end when a sentence end came after the last such token. The component walks Token objects in Python and
    cost as much as tokenizing; this gives the same boundaries (tests compare the two)."""
    import numpy
    from spacy.attrs import IS_PUNCT, ORTH

    starts = numpy.full(len(doc), -1, dtype=numpy.int64)
    if not len(doc):
        return starts
    orth, is_punct = doc.to_array([ORTH, IS_PUNCT]).T
    punctuation = _sentence_punctuation()
    ends = punctuation[numpy.searchsorted(punctuation, orth) % len(punctuation)] == orth
    words = numpy.flatnonzero(~ends & (is_punct == 0))
    ends_before = numpy.cumsum(ends)[words]
    after_an_end = ends_before > numpy.concatenate(([0], ends_before[:-1]))
    starts[0] = 1
    starts[words[after_an_end]] = 1
    return starts


def make_doc(text: str, language: str) -> Doc:
    """Tokenised, with sentence boundaries set."""
    from spacy.attrs import SENT_START

    doc = tokenize(text, language)
    if len(doc):
        doc.from_array([SENT_START], sentence_starts(doc).astype("uint64"))
    return doc


def tokenize(text: str, language: str) -> Doc:
    """Tokens only, for formats that write no sentences (the sentencizer costs as much as the tokenizer).

    The tokenizer is called directly: `Language.make_doc` refuses texts over `max_length` (1,000,000
    characters, E088), a limit that guards the memory of parsers and NER, not of a tokenizer, and a long
    article must still export."""
    return blank_pipeline(language or "en").tokenizer(text)
