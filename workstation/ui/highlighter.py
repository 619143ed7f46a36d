"""Paints spans from a `SpanIndex`, one block (line) at a time, without touching the document.

Formats are applied by a QSyntaxHighlighter, so they never enter the text's
undo stack or the document's char formats, and adding a span repaints only
the lines it covers. Nested and overlapping spans stay visible: the innermost
span gives the background, every enclosing span adds an underline. Lines far
from the viewport are painted when they scroll into view, so a 1 MB article
opens without painting ten thousand lines first.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from functools import cache

from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from workstation.core.span_index import Piece, SpanIndex
from workstation.core.text import Utf16Map

MARKUP = re.compile(r"^\s*(?:-{3,}|\*{3,})\s*$|\*\*|\]\(#?[^)]*\)|^\s*\[|(?<=\s)\[")
MARKUP_COLOUR = QColor("#9a9a9a")
SELECTED_BACKGROUND = QColor("#ffd54f")


@cache
def colour_for(key: str) -> QColor:
    """A stable light colour per type: the same actor or event type looks the same everywhere."""
    hue = zlib.crc32(key.encode("utf-8")) % 360
    return QColor.fromHsl(hue, 170, 205)


class SpanHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument, index: SpanIndex, paint_now: Callable[[int], bool]):
        super().__init__(document)
        self.index = index
        self.selected: set[str] = set()
        self.paint_now = paint_now
        self.deferred: set[int] = set()

    def highlightBlock(self, text: str) -> None:
        """Paint a line near the viewport; remember the others until they scroll into view.

        Each block's state holds its line number: Qt visits blocks in order when a
        text loads, so the previous block's state plus one is this line, and
        reading it is two cheap calls instead of asking the block for its number
        (a quarter of the load time of a 10,000-line text)."""
        line = self.previousBlockState() + 1
        self.setCurrentBlockState(line)
        if not self.paint_now(line):
            self.deferred.add(line)
            return
        self.deferred.discard(line)
        units = Utf16Map(text) if not text.isascii() else None
        for match in MARKUP.finditer(text):
            self._paint(units, match.start(), match.end(), self._markup_format())
        pieces = self.index.pieces(line) if line < len(self.index.line_starts) else []
        for start, end, active in _segments(pieces):
            self._paint(units, start, end, self._format(active))

    def _paint(self, units: Utf16Map | None, start: int, end: int, fmt: QTextCharFormat) -> None:
        if units is not None:
            start, end = units.to_utf16(start), units.to_utf16(end)
        self.setFormat(start, end - start, fmt)

    @staticmethod
    def _markup_format() -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setForeground(MARKUP_COLOUR)
        return fmt

    def _format(self, active: list[Piece]) -> QTextCharFormat:
        innermost = active[-1].span
        fmt = QTextCharFormat()
        fmt.setBackground(colour_for(innermost.key))
        if len(active) > 1:
            fmt.setFontUnderline(True)
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            fmt.setUnderlineColor(colour_for(active[0].span.key).darker(170))
        if any(piece.span.item_id in self.selected for piece in active):
            fmt.setBackground(SELECTED_BACKGROUND)
            fmt.setFontWeight(QFont.Weight.Bold)
        return fmt


def _segments(pieces: list[Piece]) -> list[tuple[int, int, list[Piece]]]:
    """Cut a line at every span boundary; each segment lists its spans outermost first."""
    bounds = sorted({p.start for p in pieces} | {p.end for p in pieces})
    segments = []
    for start, end in zip(bounds, bounds[1:]):
        active = [p for p in pieces if p.start <= start and end <= p.end]
        if active:
            segments.append((start, end, active))
    return segments
