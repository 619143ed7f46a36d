"""Paints spans from a `SpanIndex` onto the lines (blocks) of the text view, one line at a time.

Formats go into each line's layout as additional formats, as QSyntaxHighlighter
would put them, so they never enter the text's undo stack or char formats. But
nothing runs for a line until it is painted: QSyntaxHighlighter calls into
Python once for every line of a text as it loads (3,000 calls for the peers'
1 MB document, whose first screen shows 40 lines). Mentions are filled with
their type's tint, event triggers underlined in their type's colour, stances'
evidence underlined with dots in its label's colour, so the three never look alike. Nested and
overlapping mentions stay visible: the innermost gives the background, an
enclosing one adds an underline. A painted line is then laid out again with
room for its labels and arcs (`line_marks`).
"""

from __future__ import annotations

import re
from collections import defaultdict

from PySide6.QtGui import QColor, QTextCharFormat, QTextDocument, QTextLayout

from workstation.core.span_index import EVIDENCE, MENTION, TRIGGER, Piece, SpanIndex
from workstation.core.text import Utf16Map
from workstation.ui.line_marks import BlockMarks, Labeller
from workstation.ui.palette import TypeColours

MARKUP = re.compile(r"^\s*(?:-{3,}|\*{3,})\s*$|\*\*|\]\(#?[^)]*\)|^\s*\[|(?<=\s)\[")
MARKUP_COLOUR = QColor("#9a9a9a")
SELECTED_BACKGROUND = QColor("#ffd54f")
MARKUP_FORMAT = QTextCharFormat()
MARKUP_FORMAT.setForeground(MARKUP_COLOUR)
SOLID, DOTTED = QTextCharFormat.UnderlineStyle.SingleUnderline, QTextCharFormat.UnderlineStyle.DotLine


class SpanPainter:
    def __init__(self, document: QTextDocument, index: SpanIndex, labeller: Labeller):
        self.document = document
        self.index = index
        self.labeller = labeller
        self.colours = labeller.colours
        self.selected: set[str] = set()
        self.painted: set[int] = set()
        """Lines painted since the text was loaded; the others are painted when they come into view."""
        self.marks: dict[int, BlockMarks] = {}
        """The labels and arcs of each painted line, placed when it was laid out."""
        self._formats: dict[tuple, QTextCharFormat] = {}

    def set_colours(self, colours: TypeColours) -> None:
        self.labeller.colours = self.colours = colours
        self._formats = {}

    def reset(self, index: SpanIndex) -> None:
        self.index, self.selected, self.painted, self.marks = index, set(), set(), {}

    def lay_out(self, line: int, before: float | None = None) -> float:
        """Lay a line out again with room for its marks (after its spans changed, or Qt laid it out itself);
        how much taller it became than `before` (by default, its height now): every line below it moves by
        that much."""
        block = self.document.findBlockByNumber(line)
        layout = self.document.documentLayout()
        if before is None:
            before = layout.blockBoundingRect(block).height()
        pieces = self.index.pieces(line) if line < len(self.index.line_starts) else []
        marks = self.labeller.lay_out(block, pieces, self.labeller.arcs_by_line.get(line, []),
                                      self.index.line_start(line), layout.blockBoundingRect)
        if marks is None:
            self.marks.pop(line, None)
        else:
            self.marks[line] = marks
        return layout.blockBoundingRect(block).height() - before

    def paint(self, lines: list[int]) -> list[tuple[int, float]]:
        """Give lines the formats of their spans and markup, lay them out with room for their marks, and have
        just those lines drawn again; the lines whose height changed, with how much taller they became (the lines
        below them move). Lines count as painted before any is: Qt asks for the next ones from inside
        `updateBlock`.

        Setting formats drops the line's layout; Qt lays it out again when asked for its size, then we lay it out
        with room for its marks. Qt is not told that the text changed: it would take the change for the line's
        length twice over, lay out the next lines too (losing their room for marks) and redraw the whole view."""
        layout = self.document.documentLayout()
        self.painted.update(lines)
        moved = []
        for line in lines:
            block = self.document.findBlockByNumber(line)
            if not block.isValid():
                continue
            before = layout.blockBoundingRect(block).height()
            if block.length() > 1:
                block.layout().setFormats(self._ranges(line, block.text()))
            taller = self.lay_out(line, before)
            if taller:
                moved.append((line, taller))
            layout.updateBlock.emit(block)
        return moved

    def repaint(self, lines: list[int]) -> list[tuple[int, float]]:
        """After an edit: only lines already painted need it; the others get it when they come into view."""
        return self.paint([line for line in lines if line in self.painted])

    def _ranges(self, line: int, text: str) -> list[QTextLayout.FormatRange]:
        units = Utf16Map(text) if not text.isascii() else None
        ranges = [_range(units, match.start(), match.end(), MARKUP_FORMAT) for match in MARKUP.finditer(text)]
        pieces = self.index.pieces(line) if line < len(self.index.line_starts) else []
        return ranges + [_range(units, start, end, self._format(active)) for start, end, active in _segments(pieces)]

    def _format(self, active: list[Piece]) -> QTextCharFormat:
        """The innermost mention fills; an event trigger, a stance's evidence or an enclosing mention (in
        that order) underlines. Formats are made once per look: PySide's enums made building one per segment
        the larger part of painting a line."""
        fills = [piece.span for piece in active if piece.span.kind == MENTION]
        triggers = [piece.span for piece in active if piece.span.kind == TRIGGER]
        key = self.labeller.key
        if triggers:
            underline = (TRIGGER, key(triggers[-1]))
        elif evidence := [piece.span for piece in active if piece.span.kind == EVIDENCE]:
            underline = (EVIDENCE, evidence[-1].key)
        else:
            underline = (MENTION, key(fills[0])) if len(fills) > 1 else None
        look = (key(fills[-1]) if fills else None, underline,
                any(piece.span.item_id in self.selected for piece in active))
        fmt = self._formats.get(look)
        if fmt is None:
            fmt = self._formats[look] = self._make_format(*look)
        return fmt

    def _make_format(self, fill: str | None, underline: tuple[str, str] | None, selected: bool) -> QTextCharFormat:
        fmt = QTextCharFormat()
        if selected:
            fmt.setBackground(SELECTED_BACKGROUND)
        elif fill is not None:
            fmt.setBackground(self.colours.fill(fill))
        if underline is not None:
            kind, key = underline
            fmt.setFontUnderline(True)
            fmt.setUnderlineStyle(DOTTED if kind == EVIDENCE else SOLID)
            fmt.setUnderlineColor(self.colours.colour(key).darker(130))
        return fmt


def _range(units: Utf16Map | None, start: int, end: int, fmt: QTextCharFormat) -> QTextLayout.FormatRange:
    """A format over code points [start, end) of a line, in the UTF-16 units Qt counts."""
    if units is not None:
        start, end = units.to_utf16(start), units.to_utf16(end)
    found = QTextLayout.FormatRange()
    found.start, found.length, found.format = start, end - start, fmt
    return found


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
