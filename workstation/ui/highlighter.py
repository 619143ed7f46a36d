"""Paints spans from a `SpanIndex` onto the lines (blocks) of the text view, one line at a time.

Formats go into each line's layout as additional formats, as QSyntaxHighlighter
would put them, so they never enter the text's undo stack or char formats. But
nothing runs for a line until it is painted: QSyntaxHighlighter calls into
Python once for every line of a text as it loads (3,000 calls for the peers'
1 MB document, whose first screen shows 40 lines). Nested and overlapping spans
stay visible: the innermost span gives the background, every enclosing span
adds an underline.
"""

from __future__ import annotations

import re
import zlib
from collections import defaultdict
from functools import cache

from PySide6.QtGui import QColor, QTextCharFormat, QTextDocument, QTextLayout

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


class SpanPainter:
    def __init__(self, document: QTextDocument, index: SpanIndex):
        self.document = document
        self.index = index
        self.selected: set[str] = set()
        self.painted: set[int] = set()
        """Lines painted since the text was loaded; the others are painted when they come into view."""

    def reset(self, index: SpanIndex) -> None:
        self.index, self.selected, self.painted = index, set(), set()

    def paint(self, lines: list[int]) -> None:
        """Give lines the formats of their spans and markup, and have just those lines drawn again.

        The formats change colours and lines, never the size of a glyph, so a line keeps its layout and
        only its rectangle is redrawn; telling Qt that the text changed would lay the line out again and
        redraw the whole view (a few milliseconds on every edit). Lines count as painted before any is:
        Qt asks for the next ones from inside `updateBlock`."""
        layout = self.document.documentLayout()
        self.painted.update(lines)
        for line in lines:
            block = self.document.findBlockByNumber(line)
            if block.length() > 1:
                block.layout().setFormats(self._ranges(line, block.text()))
                layout.updateBlock.emit(block)

    def repaint(self, lines: list[int]) -> None:
        """After an edit: only lines already painted need it; the others get it when they come into view."""
        self.paint([line for line in lines if line in self.painted])

    def _ranges(self, line: int, text: str) -> list[QTextLayout.FormatRange]:
        units = Utf16Map(text) if not text.isascii() else None
        ranges = [_range(units, match.start(), match.end(), _markup_format()) for match in MARKUP.finditer(text)]
        pieces = self.index.pieces(line) if line < len(self.index.line_starts) else []
        return ranges + [_range(units, start, end, self._format(active)) for start, end, active in _segments(pieces)]

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
        return fmt


def _range(units: Utf16Map | None, start: int, end: int, fmt: QTextCharFormat) -> QTextLayout.FormatRange:
    """A format over code points [start, end) of a line, in the UTF-16 units Qt counts."""
    if units is not None:
        start, end = units.to_utf16(start), units.to_utf16(end)
    found = QTextLayout.FormatRange()
    found.start, found.length, found.format = start, end - start, fmt
    return found


def _markup_format() -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setForeground(MARKUP_COLOUR)
    return fmt


def _segments(pieces: list[Piece]) -> list[tuple[int, int, list[Piece]]]:
    """Cut a line at every span boundary; each segment lists its spans in the order of `pieces` (outermost
    first). One sweep over the boundaries: a densely annotated line holds a hundred spans."""
    starting: dict[int, list[int]] = defaultdict(list)
    ending: dict[int, list[int]] = defaultdict(list)
    for order, piece in enumerate(pieces):
        starting[piece.start].append(order)
        ending[piece.end].append(order)
    bounds = sorted(starting.keys() | ending.keys())
    active: set[int] = set()
    segments = []
    for start, end in zip(bounds, bounds[1:]):
        active.difference_update(ending.get(start, ()))
        active.update(starting.get(start, ()))
        if active:
            segments.append((start, end, [pieces[order] for order in sorted(active)]))
    return segments
