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
from typing import NamedTuple

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


class Redraw(NamedTuple):
    """What a paint of a line asks to be drawn again."""

    line: int
    taller: float
    """How much taller the line became: the lines below it moved by that much."""
    band: tuple[float, float]
    """From the top to the bottom of the part of the line to draw, in the line's own coordinates."""
    moved_from: float
    """Where, in the line's coordinates before the paint, what lies below moved by `taller` begins: the old
    bottom of the last visual line drawn again (the line's own bottom when all of it is)."""


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
        self._looks: dict[int, frozenset[tuple]] = {}
        """What each painted line's formats look like, (start, end, look) in UTF-16 units."""

    def set_colours(self, colours: TypeColours) -> None:
        self.labeller.colours = self.colours = colours
        self._formats = {}

    def reset(self, index: SpanIndex) -> None:
        self.index, self.selected, self.painted, self.marks, self._looks = index, set(), set(), {}, {}

    def lay_out(self, line: int, before: float | None = None, box: tuple[float, float] | None = None) -> float:
        """Lay a line out again with room for its marks (after its spans changed, or Qt laid it out itself);
        how much taller it became than `before` (by default, its height now): every line below it moves by
        that much. `box`: its lines' width and left, read before its formats changed."""
        block = self.document.findBlockByNumber(line)
        layout = self.document.documentLayout()
        if before is None:
            before = layout.blockBoundingRect(block).height()
        pieces = self.index.pieces(line) if line < len(self.index.line_starts) else []
        marks = self.labeller.lay_out(block, pieces, self.labeller.arcs_by_line.get(line, []),
                                      self.index.line_start(line), layout.blockBoundingRect, box)
        if marks is None:
            self.marks.pop(line, None)
        else:
            self.marks[line] = marks
        return layout.blockBoundingRect(block).height() - before

    def paint(self, lines: list[int]) -> list[Redraw]:
        """Give lines the formats of their spans and markup and lay them out with room for their marks; for each,
        what must be drawn again. A line painted before (an edit, a selection) names only the band of its visual
        lines whose formats or marks changed: a paragraph of the 1 MB document is most of the screen, and drawing
        it whole was most of what an edit cost.

        Setting formats drops the line's layout; Qt lays it out again when asked for its size, then we lay it out
        with room for its marks. Qt is not told that the text changed: it would take the change for the line's
        length twice over, lay out the next lines too (losing their room for marks) and redraw the whole view."""
        layout = self.document.documentLayout()
        redraws = []
        for line in lines:
            block = self.document.findBlockByNumber(line)
            if not block.isValid():
                continue
            before = layout.blockBoundingRect(block).height()
            # Setting formats drops the layout; Qt laying it out again would shape the paragraph's text once more
            # before we lay it out with room for its marks. The box of its lines is known now.
            first = block.layout().lineAt(0)
            box = (first.width(), first.x()) if first.isValid() else None
            old_marks, old_looks = self.marks.get(line), self._looks.get(line, frozenset())
            ranges, looks = self._ranges(line, block.text()) if block.length() > 1 else ([], frozenset())
            block.layout().setFormats(ranges)
            self._looks[line] = looks
            taller = self.lay_out(line, before, box)
            band = (_band(block.layout(), old_marks, self.marks.get(line), old_looks ^ looks, taller)
                    if line in self.painted else None)
            redraws.append(Redraw(line, taller, *(band or ((0.0, max(before, before + taller)), before))))
        self.painted.update(lines)
        return [redraw for redraw in redraws if redraw.band[1] > redraw.band[0]]

    def repaint(self, lines: list[int]) -> list[Redraw]:
        """After an edit: only lines already painted need it; the others get it when they come into view."""
        return self.paint([line for line in lines if line in self.painted])

    def _ranges(self, line: int, text: str) -> tuple[list[QTextLayout.FormatRange], frozenset[tuple]]:
        """The line's format ranges, and what they look like as (start, end, look) in UTF-16 units: what changed
        between two paints is told from the looks."""
        units = Utf16Map(text) if not text.isascii() else None
        marked: list[tuple[int, int, tuple | None]] = [(match.start(), match.end(), None)
                                                       for match in MARKUP.finditer(text)]
        pieces = self.index.pieces(line) if line < len(self.index.line_starts) else []
        marked += [(start, end, self._look(active)) for start, end, active in _segments(pieces)]
        if units is not None:
            marked = [(units.to_utf16(start), units.to_utf16(end), look) for start, end, look in marked]
        ranges = [_range(start, end, MARKUP_FORMAT if look is None else self._format(look))
                  for start, end, look in marked]
        return ranges, frozenset(marked)

    def _look(self, active: list[Piece]) -> tuple:
        """The innermost mention fills; an event trigger, a stance's evidence or an enclosing mention (in
        that order) underlines."""
        fills = [piece.span for piece in active if piece.span.kind == MENTION]
        triggers = [piece.span for piece in active if piece.span.kind == TRIGGER]
        key = self.labeller.key
        if triggers:
            underline = (TRIGGER, key(triggers[-1]))
        elif evidence := [piece.span for piece in active if piece.span.kind == EVIDENCE]:
            underline = (EVIDENCE, evidence[-1].key)
        else:
            underline = (MENTION, key(fills[0])) if len(fills) > 1 else None
        return (key(fills[-1]) if fills else None, underline,
                any(piece.span.item_id in self.selected for piece in active))

    def _format(self, look: tuple) -> QTextCharFormat:
        """Formats are made once per look: PySide's enums made building one per segment the larger part of
        painting a line."""
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


def _range(start: int, end: int, fmt: QTextCharFormat) -> QTextLayout.FormatRange:
    """A format over [start, end) of a line, in the UTF-16 units Qt counts."""
    found = QTextLayout.FormatRange()
    found.start, found.length, found.format = start, end - start, fmt
    return found


def _band(layout: QTextLayout, old: BlockMarks | None, new: BlockMarks | None, looks: frozenset[tuple],
          taller: float) -> tuple[tuple[float, float], float] | None:
    """The band of a laid-out line (in its block, top to bottom) to draw again, and where what moved below it
    begins (see `Redraw`): the visual lines whose marks changed or whose text's formats did (`looks`: the ranges
    in one paint and not the other), each with the gap above it where its tags and arcs are. The visual lines
    below them, when the line changed height, only moved: they are moved as pixels, not drawn (an arc added to a
    paragraph's first lines drew the whole paragraph, and its ghosts, again). None to draw all of it (the marks
    are hidden, or the line was cut into another number of visual lines)."""
    if old is None or new is None or not len(old.lines) == len(new.lines) == layout.lineCount():
        return None
    changed = {number for number, (was, now) in enumerate(zip(old.lines, new.lines)) if was[1:] != now[1:]}
    for start, end, _look in looks:
        changed.update(range(layout.lineForTextPosition(start).lineNumber(),
                             layout.lineForTextPosition(max(start, end - 1)).lineNumber() + 1))
    if not changed:
        return None if taller else ((0.0, 0.0), 0.0)
    first, last = min(changed), max(changed)
    if last + 1 < len(new.lines) and new.lines[last + 1].y - old.lines[last + 1].y != taller:
        last = len(new.lines) - 1
    top = min(marks.lines[first - 1].y + layout.lineAt(first - 1).height() if first else 0.0 for marks in (old, new))
    bottom = max(marks.lines[last].y + layout.lineAt(last).height() for marks in (old, new))
    return (top, bottom), old.lines[last].y + layout.lineAt(last).height()


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
