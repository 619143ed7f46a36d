"""Suggestions drawn as ghost spans over the text: a dashed outline in the lighter colour of the suggested
actor's type, over whatever the line shows.

Ghosts are drawn after the text and never enter the lines' formats or layouts: an accepted annotation under a
ghost keeps its fill, tag and arcs, and showing or dropping a suggestion repaints nothing but the outline. A
suggestion the layer has come to hold (accepted, or annotated by hand) is not drawn; that is decided when it is
drawn, from the text view's own spans, so an edit or its undo needs no bookkeeping here.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from typing import NamedTuple, cast

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap, QTextBlock, QTextLine

from workstation.core.span_index import MENTION, TRIGGER, SpanIndex
from workstation.core.suggestions import EVENT_SUGGESTION, Suggestion
from workstation.core.text import Utf16Map
from workstation.ui.palette import TypeColours

GHOST_ALPHA = 150
GHOST_FILL_ALPHA = 45
MARGIN = 1
"""Pixels around a ghost's box that its outline may reach (half the current ghost's pen)."""
TypeOf = Callable[[Suggestion], str]
Box = tuple[float, float, float, float]
"""Left, top, right and bottom in the viewport (plain numbers: a QRectF per ghost cost more than drawing it)."""


class GhostSpans:
    """The suggestions of the shown document, in text order, with the ones the layer rejected."""

    def __init__(self) -> None:
        self.suggestions: list[Suggestion] = []
        self._starts: list[int] = []
        self.rejected: set[tuple[int, int, str]] = set()
        self.current: Suggestion | None = None
        """The one under the cursor, drawn bolder."""
        self.images = GhostImages()

    def set(self, suggestions: list[Suggestion], rejected: set[tuple[int, int, str]]) -> None:
        self.suggestions = sorted(suggestions, key=lambda suggestion: (suggestion.start, -suggestion.end))
        self._starts = [suggestion.start for suggestion in self.suggestions]
        self.rejected, self.current = set(rejected), None

    def shown(self, index: SpanIndex, suggestion: Suggestion) -> bool:
        """Neither rejected nor held by the layer."""
        return self.covered(index, suggestion) is not None

    def covered(self, index: SpanIndex, suggestion: Suggestion) -> bool | None:
        """None when the ghost is not shown: rejected, or held (a mention of the layer on its very span, or one of
        its actor over it; for an event, a trigger on its span). Else whether a mention of the layer lies under
        it (its ghost is then drawn without a fill). One lookup answers both, for each ghost drawn."""
        if suggestion.key in self.rejected:
            return None
        span_of, event = (suggestion.start, suggestion.end), suggestion.kind == EVENT_SUGGESTION
        covered = False
        for span in index.overlapping(suggestion.start, suggestion.end):
            if span.kind == MENTION:
                if not event and ((span.start, span.end) == span_of
                                  or (suggestion.actor_id is not None and span.actor == suggestion.actor_id)):
                    return None
                covered = True
            elif event and span.kind == TRIGGER and (span.start, span.end) == span_of:
                return None
        return covered

    def between(self, first: int, last: int) -> list[Suggestion]:
        """Suggestions starting in [first, last)."""
        return self.suggestions[bisect_left(self._starts, first):bisect_left(self._starts, last)]

    def at(self, index: SpanIndex, offset: int) -> Suggestion | None:
        """The shown suggestion covering an offset (or ending right at it: the cursor after a word)."""
        near = self.suggestions[bisect_left(self._starts, offset - 256):bisect_right(self._starts, offset)]
        return next((suggestion for suggestion in near if suggestion.start <= offset <= suggestion.end
                     and self.shown(index, suggestion)), None)

    def step(self, index: SpanIndex, offset: int, forward: bool) -> Suggestion | None:
        """The next shown suggestion after the one at `offset` (or after the offset), or the previous one."""
        current = self.at(index, offset)
        if forward:
            start = bisect_right(self._starts, current.start if current else offset - 1)
            ahead = self.suggestions[start:]
        else:
            ahead = self.suggestions[:bisect_left(self._starts, current.start if current else offset)][::-1]
        return next((suggestion for suggestion in ahead if self.shown(index, suggestion)), None)

    def draw(self, painter: QPainter, block: QTextBlock, top: float, block_start: int, index: SpanIndex,
             colours: TypeColours, type_of: TypeOf, area: QRect) -> None:
        """The ghosts on the block's visual lines that meet `area` (the part of the viewport being drawn), the
        block's top at `top`: an edit redraws a band of a paragraph, which may hold hundreds of ghosts."""
        lines = _lines_in(block, top, area)
        if not lines:
            return
        text = block.text()
        units = Utf16Map(text) if not text.isascii() else None
        first, last = lines[0].start, lines[-1].end
        if units is not None:
            first, last = units.to_codepoint(first), units.to_codepoint(last)
        drawn = [(suggestion, covered) for suggestion in self.between(block_start + first - 256, block_start + last)
                 if suggestion.end > block_start + first
                 and (covered := self.covered(index, suggestion)) is not None]
        starts = [line.start for line in lines]
        ratio = painter.device().devicePixelRatioF()
        for suggestion, covered in drawn:
            colour = colours.colour(type_of(suggestion))
            start, end = max(0, suggestion.start - block_start), min(len(text), suggestion.end - block_start)
            if units is not None:
                start, end = units.to_utf16(start), units.to_utf16(end)
            for line in lines[max(0, bisect_right(starts, start) - 1):]:
                if line.start >= end:
                    break
                if line.end > start:
                    self.images.draw(painter, line.box(max(start, line.start), min(end, line.end)), colour,
                                     suggestion == self.current, covered, ratio)


class _Line(NamedTuple):
    """A visual line of a block, its text in UTF-16 units and its place in the viewport, read once per block
    drawn (each ghost asked every line of the band for them)."""

    start: int
    end: int
    top: float
    height: float
    line: QTextLine

    def box(self, start: int, end: int) -> Box:
        """The box of [start, end) of this line's text, a pixel wider each side than the words."""
        return _x(self.line, start) - 1, self.top, _x(self.line, end) + 1, self.top + self.height


def _x(line: QTextLine, position: int) -> float:
    """Where a position of the line's text is drawn (PySide's stubs type cursorToX's (x, position) as object)."""
    return cast(tuple[float, int], line.cursorToX(position))[0]


def _lines_in(block: QTextBlock, top: float, area: QRect) -> list[_Line]:
    """The block's visual lines whose ghosts may meet `area`, the block's top at `top`: a ghost's outline reaches
    a pixel past its line, into a band drawn again above or below it."""
    layout = block.layout()
    found = []
    for number in range(layout.lineCount()):
        line = layout.lineAt(number)
        line_top, height = top + line.y(), line.height()
        if line_top - MARGIN > area.bottom():
            break
        if line_top + height + MARGIN >= area.top():
            start = line.textStart()
            found.append(_Line(start, start + line.textLength(), line_top, height, line))
    return found


class GhostImages:
    """Each look of ghost (size, colour, current, covered) drawn once into an image, then copied wherever it
    is shown: stroking a dashed antialiased outline costs about 0.15 ms, and an edit's band on a page full of
    ghosts holds dozens. Boxes are snapped to whole pixels, so that equal words share an image."""

    LIMIT = 2048
    """Images kept (a few kilobytes each): past it, the cache starts again."""

    def __init__(self) -> None:
        self._images: dict[tuple, QPixmap] = {}

    def __len__(self) -> int:
        return len(self._images)

    def draw(self, painter: QPainter, box: Box, colour: QColor, current: bool, covered: bool, ratio: float) -> None:
        """The ghost over `box`, on a painter whose device has this pixel ratio."""
        left, top = round(box[0]), round(box[1])
        width, height = round(box[2]) - left, round(box[3]) - top
        key = (width, height, colour.rgba(), current, covered, ratio)
        image = self._images.get(key)
        if image is None:
            if len(self._images) >= self.LIMIT:
                self._images.clear()
            image = self._images[key] = _ghost_image(width, height, colour, current, covered, ratio)
        painter.drawPixmap(left - MARGIN, top - MARGIN, image)


def _ghost_image(width: int, height: int, colour: QColor, current: bool, covered: bool, ratio: float) -> QPixmap:
    """A ghost's box with room around it for its outline's width."""
    image = QPixmap(math.ceil((width + 2 * MARGIN) * ratio), math.ceil((height + 2 * MARGIN) * ratio))
    image.setDevicePixelRatio(ratio)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    _draw_ghost(painter, QRectF(MARGIN, MARGIN, width, height), colour, current, covered)
    painter.end()
    return image


def _draw_ghost(painter: QPainter, rect: QRectF, colour: QColor, current: bool, covered: bool) -> None:
    """A dashed outline; a faint fill only over plain text, so an accepted span beneath keeps its own look."""
    outline = QColor(colour.darker(120))
    outline.setAlpha(255 if current else GHOST_ALPHA)
    pen = QPen(outline, 2.0 if current else 1.2, Qt.PenStyle.DashLine)
    painter.setPen(pen)
    if covered:
        painter.setBrush(Qt.BrushStyle.NoBrush)
    else:
        fill = QColor(colour)
        fill.setAlpha(GHOST_FILL_ALPHA)
        painter.setBrush(fill)
    painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 2, 2)
