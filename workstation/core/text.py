"""Stored text form and offsets: code points in storage, UTF-16 units only at Qt's boundary.

Normalisation happens once, at import, and changes as little as possible
(NFC and line endings) because every stored offset depends on it forever.
"""

from __future__ import annotations

import hashlib
import unicodedata
from bisect import bisect_left, bisect_right

_LINE_BREAKS = str.maketrans({"\u2028": "\n", "\u2029": "\n"})


def normalise_text(raw: str) -> str:
    """NFC, with CRLF, CR, U+2028 and U+2029 turned into `\\n`; nothing else changes."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").translate(_LINE_BREAKS)
    return unicodedata.normalize("NFC", text)


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Utf16Map:
    """Converts between code-point offsets and UTF-16 positions of one text in O(log n).

    Only astral characters (outside the BMP) differ: they count 2 in UTF-16.
    Their code-point indexes are found once, so a 1 MB document costs one
    scan and each conversion is a binary search.
    """

    def __init__(self, text: str):
        self.length = len(text)
        self._astral = [index for index, char in enumerate(text) if ord(char) > 0xFFFF] \
            if not text.isascii() else []
        self._astral_u16 = [index + rank for rank, index in enumerate(self._astral)]
        self.utf16_length = self.length + len(self._astral)

    def to_utf16(self, cp: int) -> int:
        if not 0 <= cp <= self.length:
            raise ValueError(f"code-point offset {cp} outside 0..{self.length}")
        return cp + bisect_left(self._astral, cp) if self._astral else cp

    def to_codepoint(self, u16: int) -> int:
        """A position inside a surrogate pair rounds down to the start of that character."""
        if not 0 <= u16 <= self.utf16_length:
            raise ValueError(f"UTF-16 position {u16} outside 0..{self.utf16_length}")
        if not self._astral:
            return u16
        before = bisect_right(self._astral_u16, u16 - 1)
        if before and self._astral_u16[before - 1] + 1 == u16:
            return self._astral[before - 1]
        return u16 - before


def to_utf16(text: str, cp: int) -> int:
    return Utf16Map(text).to_utf16(cp)


def to_codepoint(text: str, u16: int) -> int:
    return Utf16Map(text).to_codepoint(u16)
