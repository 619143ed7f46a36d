"""Stored text form and offsets: code points in storage, UTF-16 units only at Qt's boundary.

Normalisation happens once, at import, and changes as little as possible
(NFC and line endings) because every stored offset depends on it forever.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from bisect import bisect_left

_LINE_BREAKS = str.maketrans({"\u2028": "\n", "\u2029": "\n"})
# A C-level regex scan finds astral characters ~5x faster than a Python loop over a 1 MB text.
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def normalise_text(raw: str) -> str:
    """NFC so that visually equal texts have equal offsets and hashes; one line-break form
    so that line counting and Qt's paragraph handling agree with the stored offsets.
    Anything further (stripping, tabs, spaces) would silently shift offsets, so it is left alone.
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n").translate(_LINE_BREAKS)
    return unicodedata.normalize("NFC", text)


def folded(text: str | None) -> str:
    """Case and spacing left out, for comparing names and issues typed by different people."""
    return " ".join((text or "").casefold().split())


def text_sha256(text: str) -> str:
    """Identity of a document's text for duplicate detection; hashing UTF-8 makes it
    reproducible outside Python (e.g. `sha256sum` of an exported text file)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Utf16Map:
    """Converts between code-point offsets and UTF-16 positions of one text in O(log n).

    Only astral characters (outside the BMP) differ: they count 2 in UTF-16.
    Their code-point indexes are found once, so a 1 MB document costs one
    scan and each conversion is a binary search; a text without any astral
    character (the usual case) converts by identity.
    """

    def __init__(self, text: str) -> None:
        self.length = len(text)
        self._astral = [] if text.isascii() else [match.start() for match in _ASTRAL.finditer(text)]
        # UTF-16 start of each astral character: every earlier astral one adds a unit.
        self._astral_u16 = [index + rank for rank, index in enumerate(self._astral)]
        self.utf16_length = self.length + len(self._astral)

    def to_utf16(self, cp: int) -> int:
        """Qt position of a stored offset, for selections and cursors in the text view."""
        if not 0 <= cp <= self.length:
            raise ValueError(f"code-point offset {cp} outside 0..{self.length}")
        return cp + bisect_left(self._astral, cp) if self._astral else cp

    def to_codepoint(self, u16: int) -> int:
        """Stored offset of a Qt position. Qt can report a position between the two halves
        of a surrogate pair; it rounds down so a span never starts or ends mid-character."""
        if not 0 <= u16 <= self.utf16_length:
            raise ValueError(f"UTF-16 position {u16} outside 0..{self.utf16_length}")
        if not self._astral:
            return u16
        before = bisect_left(self._astral_u16, u16)
        if before and self._astral_u16[before - 1] + 1 == u16:
            return self._astral[before - 1]
        return u16 - before


def to_utf16(text: str, cp: int) -> int:
    """One-off conversion; it scans the whole text, so repeated calls should share a `Utf16Map`."""
    return Utf16Map(text).to_utf16(cp)


def to_codepoint(text: str, u16: int) -> int:
    """One-off conversion; it scans the whole text, so repeated calls should share a `Utf16Map`."""
    return Utf16Map(text).to_codepoint(u16)


def spans_between_marks(marked: str, opening: str, closing: str) -> list[tuple[int, int]]:
    """Code-point spans, in the text without the marks, of what `opening`/`closing` enclose: SQLite's FTS marks
    search hits this way, so the text view can show exactly the words the list's search matched. Scans with
    `str.find` (C speed), as a 1 MB article with a common word holds thousands of hits."""
    spans: list[tuple[int, int]] = []
    position = removed = 0
    while (start := marked.find(opening, position)) >= 0:
        end = marked.find(closing, start + len(opening))
        if end < 0:
            break
        first = start - removed
        removed += len(opening)
        spans.append((first, end - removed))
        removed += len(closing)
        position = end + len(closing)
    return spans
