"""A document's tokens as three arrays: where each starts, how long it is, and what it is (space, followed
by whitespace, first of a sentence). That is all the token exports read of a spaCy Doc, and it is stored per
document at import (`models.DocumentTokens`): CoNLL and Prodigy then write without spaCy, whose import and
tokenizer were most of their time. Sentence starts follow the sentencizer's rule (`pipeline.sentence_starts`).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy
    from spacy.tokens import Doc

LAYOUT = "v1"
"""The layout of the stored bytes: int32 starts, int32 lengths, uint8 flags, little-endian, one after another."""
SPACE, WHITESPACE_AFTER, SENTENCE_START = 1, 2, 4
"""Flag bits: a whitespace token; a token followed by one space (spaCy's SPACY); a token that starts a sentence."""


@cache
def _spacy_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("spacy")
    except PackageNotFoundError:  # a frozen bundle without the package's metadata
        import spacy

        return str(spacy.__version__)


def tokenizer_name(language: str | None) -> str:
    """What made a document's stored tokens: tokens stored by another spaCy, language or layout are not used."""
    return f"spacy {_spacy_version()} {language or 'en'} {LAYOUT}"


class TokenTable:
    """One document's tokens (see the module)."""

    def __init__(self, starts: numpy.ndarray, lengths: numpy.ndarray, flags: numpy.ndarray):
        self.starts, self.lengths, self.flags = starts, lengths, flags

    @classmethod
    def of_doc(cls, doc: Doc) -> TokenTable:
        import numpy
        from spacy.attrs import IDX, IS_SPACE, LENGTH, SPACY

        from workstation.nlp.pipeline import sentence_starts

        if not len(doc):
            return cls(numpy.zeros(0, numpy.int32), numpy.zeros(0, numpy.int32), numpy.zeros(0, numpy.uint8))
        starts, lengths, is_space, space_after = doc.to_array([IDX, LENGTH, IS_SPACE, SPACY]).T
        flags = numpy.zeros(len(doc), numpy.uint8)
        flags[is_space != 0] |= SPACE
        flags[space_after != 0] |= WHITESPACE_AFTER
        flags[sentence_starts(doc) == 1] |= SENTENCE_START
        return cls(starts.astype(numpy.int32), lengths.astype(numpy.int32), flags)

    @classmethod
    def from_bytes(cls, stored: bytes) -> TokenTable:
        import numpy

        count = len(stored) // 9
        return cls(numpy.frombuffer(stored, "<i4", count), numpy.frombuffer(stored, "<i4", count, 4 * count),
                   numpy.frombuffer(stored, numpy.uint8, count, 8 * count))

    def to_bytes(self) -> bytes:
        return self.starts.astype("<i4").tobytes() + self.lengths.astype("<i4").tobytes() + self.flags.tobytes()

    def __len__(self) -> int:
        return len(self.starts)

    def align(self, starts: list[int], ends: list[int]) -> list[tuple[int, int]]:
        """(first token, token after the last) that each pair of offsets covers exactly, as `char_span`'s strict
        mode finds them, or (-1, -1) where an offset cuts a token or falls between tokens: one search of the
        arrays for all of a document's mentions."""
        import numpy

        if not starts:
            return []
        if not len(self):
            return [(-1, -1)] * len(starts)
        wanted_starts, wanted_ends = numpy.asarray(starts), numpy.asarray(ends)
        token_ends = self.starts + self.lengths
        first = numpy.minimum(numpy.searchsorted(self.starts, wanted_starts), len(self) - 1)
        last = numpy.minimum(numpy.searchsorted(token_ends, wanted_ends), len(self) - 1)
        found = (self.starts[first] == wanted_starts) & (token_ends[last] == wanted_ends)
        return list(zip(numpy.where(found, first, -1).tolist(), numpy.where(found, last + 1, -1).tolist()))

    def texts(self, text: str, which: numpy.ndarray | None = None) -> list[str]:
        """The tokens' texts (of the tokens at `which`, if given)."""
        starts, lengths = (self.starts, self.lengths) if which is None else (self.starts[which], self.lengths[which])
        return [text[start:start + length] for start, length in zip(starts.tolist(), lengths.tolist())]

    def sentence_starts(self) -> numpy.ndarray:
        """SENT_START per token as spaCy writes it: 1 starts a sentence, -1 does not."""
        import numpy

        return numpy.where(self.flags & SENTENCE_START, 1, -1).astype(numpy.int64)

    def has(self, flag: int) -> numpy.ndarray:
        return (self.flags & flag) != 0
