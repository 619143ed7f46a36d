"""Labels and arcs over the text, brat-style: each span's tag above its first word (mention type and actor, or
the event type), arcs from an event's trigger to its arguments, from a stance's holder to its target and between
related items, routed above the tags.

Room above a line is made by laying its block out again with a gap before each of its lines, as tall as that
line's stacked tags and arcs need: QPlainTextEdit's layout ignores line-height formats, but it places a block
by its layout's bounding box, so the gaps move everything below them and clicks still land on the right
character. Only blocks near the viewport are laid out this way, when they are painted; Qt's own layout of the
others (and of a block again after a resize) is recognised by its first line at the top, and redone.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Mapping
from typing import NamedTuple

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPixmap,
    QTextBlock,
)

from workstation.core.rows import stack
from workstation.core.span_index import EVIDENCE, MENTION, TRIGGER, Piece, Span
from workstation.core.text import Utf16Map
from workstation.store.layer_arcs import STANCE, Arc
from workstation.ui.palette import TypeColours

MIN_GAP = 3.0
"""Pixels above every line while labels are shown: a block Qt laid out itself has its first line at 0."""
TAG_PADDING = 3.0
LABEL_SCALE = 0.78
ARC_COLOUR = QColor("#4d4d4d")
TAG_TEXT = QColor("#1a1a1a")
WHITE = QColor("white")
LABEL_BACKGROUND = QColor(255, 255, 255, 230)
DIMMED_ALPHA = 60


class Tag(NamedTuple):
    left: float
    right: float
    """The extent it keeps free of other tags in its row: its own width, or its span's when wider."""
    row: int
    text: str
    span: Span
    width: float


class ArcPiece(NamedTuple):
    """The part of an arc drawn over one line: both ends on it, or one end and the way to the line's edge."""

    left: float
    right: float
    level: int
    arc: Arc
    source_x: float | None
    target_x: float | None
    edge: float | None
    """Where the arc leaves the line (left or right edge) when its other end is on another line."""


class LineMarks(NamedTuple):
    y: float
    """Top of the line's text in its block."""
    tag_rows: int
    tags: list[Tag]
    arcs: list[ArcPiece]


class BlockMarks(NamedTuple):
    first_y: float
    lines: list[LineMarks]


class Labeller:
    """Lays blocks out with room for their marks and draws the marks; knows the actors' names and the arcs."""

    def __init__(self, font: QFont, colours: TypeColours):
        self._images: dict[tuple[str, str, bool, bool], QPixmap] = {}
        self._widths: dict[str, float] = {}
        self.colours = colours
        self.names: Mapping[str, tuple[str, str]] = {}
        """Each actor's short name and type."""
        self.arcs_by_line: dict[int, list[Arc]] = {}
        self.shown = True
        self.set_font(font)

    @property
    def colours(self) -> TypeColours:
        return self._colours

    @colours.setter
    def colours(self, colours: TypeColours) -> None:
        self._colours, self._images = colours, {}

    def set_font(self, font: QFont) -> None:
        self._images, self._widths = {}, {}
        self.font = QFont(font)
        self.font.setPointSizeF(max(6.0, font.pointSizeF() * LABEL_SCALE))
        self.metrics = QFontMetricsF(self.font)
        self.tag_height = math.ceil(self.metrics.height()) + 2
        self.arc_height = math.ceil(self.metrics.height()) + 3
        """Whole pixels: Qt keeps line positions in 1/64 pixel, and a block is recognised as laid out by us by its
        first line's position."""

    def tag_text(self, span: Span) -> str:
        name = self.names[span.actor][0] if span.actor in self.names else None
        return f"{span.tag} · {name}" if span.tag and name else span.tag or name or ""

    def key(self, span: Span) -> str:
        """The type a span is coloured by: a linked mention its actor's type (whatever label it was imported
        with), anything else its own."""
        return self.names[span.actor][1] if span.kind == MENTION and span.actor in self.names else span.key

    def lay_out(self, block: QTextBlock, pieces: list[Piece], arcs: list[Arc], block_start: int,
                ensure_layout: Callable[[QTextBlock], object], box: tuple[float, float] | None = None
                ) -> BlockMarks | None:
        """Lay the block's lines out again, each below the room its marks need; None while marks are hidden.
        `box`: the width and left of its lines when the caller knows them; else Qt lays the block out first."""
        if not self.shown:
            return None
        layout = block.layout()
        if box is None:
            ensure_layout(block)
            box = (layout.lineAt(0).width(), layout.lineAt(0).x())
        width, x = box
        units = Utf16Map(block.text()) if not block.text().isascii() else None
        layout.beginLayout()
        lines = []
        while (line := layout.createLine()).isValid():
            line.setLeadingIncluded(True)
            line.setLineWidth(width)
            line.setPosition(QPointF(x, 0))
            lines.append(line)
        marks = self._marks(lines, pieces, arcs, block_start, len(block.text()), units, (x, width + x))
        y = 0.0
        placed = []
        for line, (tag_rows, tags, arc_pieces, levels) in zip(lines, marks):
            y += MIN_GAP + tag_rows * self.tag_height + levels * self.arc_height
            line.setPosition(QPointF(x, y))
            placed.append(LineMarks(y, tag_rows, tags, arc_pieces))
            y += line.height()
        layout.endLayout()
        return BlockMarks(placed[0].y if placed else MIN_GAP, placed)

    def _marks(self, lines: list, pieces: list[Piece], arcs: list[Arc], block_start: int,
               block_length: int, units: Utf16Map | None, edges: tuple[float, float]
               ) -> list[tuple[int, list[Tag], list[ArcPiece], int]]:
        """For each visual line: its tag rows, tags, arc pieces and arc levels (what its gap must hold)."""
        starts = [line.textStart() for line in lines]

        def line_of(position: int) -> int:
            return bisect_right(starts, position) - 1

        def to_units(offset: int) -> int:
            return units.to_utf16(offset) if units is not None else offset

        starting: list[list[tuple[float, float, Span]]] = [[] for _ in lines]
        for piece in pieces:
            if piece.span.start - block_start == piece.start and piece.span.kind != EVIDENCE:
                start, end = to_units(piece.start), to_units(piece.end)
                number = line_of(start)
                line = lines[number]
                left = line.cursorToX(start)[0]
                right = line.cursorToX(min(end, line.textStart() + line.textLength()))[0]
                starting[number].append((left, right, piece.span))
        found = [self._line_tags(line_spans, edges) for line_spans in starting]
        ends_by_line = [{(span.start, span.end): (left + right) / 2 for left, right, span in line_spans}
                        for line_spans in starting]
        arc_pieces: list[list[ArcPiece]] = [[] for _ in lines]
        for arc in arcs:
            ends = [self._end(span, block_start, block_length, lines, line_of, to_units, ends_by_line)
                    for span in (arc.source, arc.target)]
            for number, arc_piece in self._arc_pieces(arc, ends, edges):
                arc_pieces[number].append(arc_piece)
        result = []
        for tags, pieces_here in zip(found, arc_pieces):
            pieces_here.sort(key=lambda piece: piece.right - piece.left)
            levels = stack([(piece.left, piece.right) for piece in pieces_here], gap=4)
            placed = [piece._replace(level=level) for piece, level in zip(pieces_here, levels)]
            result.append((max((tag.row + 1 for tag in tags), default=0), tags, placed,
                           max((level + 1 for level in levels), default=0)))
        return result

    def _line_tags(self, line_spans: list[tuple[float, float, Span]], edges: tuple[float, float]) -> list[Tag]:
        """The tags of the spans starting on one visual line, inner spans first so they sit nearest the text,
        each kept inside the line."""
        line_spans.sort(key=lambda entry: (entry[2].end - entry[2].start, entry[0]))
        texts = [self.tag_text(span) for _, _, span in line_spans]
        widths = [self.width(text) for text in texts]
        lefts = [max(edges[0], min(left, edges[1] - width)) for (left, _, _), width in zip(line_spans, widths)]
        extents = [(left, max(right, left + width)) for left, (_, right, _), width in zip(lefts, line_spans, widths)]
        rows = stack(extents, gap=2)
        return [Tag(left, right, row, text, span, width) for (left, right), row, text, (_, _, span), width
                in zip(extents, rows, texts, line_spans, widths)]

    def _arc_pieces(self, arc: Arc, ends: list[tuple[int, float] | None], edges: tuple[float, float]
                    ) -> list[tuple[int, ArcPiece]]:
        """An arc over one line when both its ends are on it; else a piece from each end in this block to the
        edge of its line, toward the other end."""
        if ends[0] is not None and ends[1] is not None and ends[0][0] == ends[1][0]:
            return [(ends[0][0], self._piece(arc, ends[0][1], ends[1][1]))]
        pieces = []
        for side, located in enumerate(ends):
            if located is not None:
                number, x = located
                here, there = (arc.source, arc.target) if side == 0 else (arc.target, arc.source)
                edge = edges[1] if there[0] > here[0] else edges[0]
                pieces.append((number, self._piece(arc, x if side == 0 else None, x if side == 1 else None, edge)))
        return pieces

    @staticmethod
    def _end(span: tuple[int, int], block_start: int, block_length: int, lines: list,
             line_of: Callable[[int], int], to_units: Callable[[int], int],
             ends_by_line: list[dict[tuple[int, int], float]]) -> tuple[int, float] | None:
        """The visual line and x of an arc's end in this block (the middle of its tag's span), None when it lies
        in another block."""
        start = span[0] - block_start
        if not 0 <= start < block_length:
            return None
        number = line_of(to_units(start))
        x = ends_by_line[number].get(span)
        if x is None:
            line = lines[number]
            end = min(to_units(min(span[1] - block_start, block_length)), line.textStart() + line.textLength())
            x = (line.cursorToX(to_units(start))[0] + line.cursorToX(end)[0]) / 2
        return number, x

    def _piece(self, arc: Arc, source_x: float | None, target_x: float | None, edge: float | None = None
               ) -> ArcPiece:
        """The arc's extent over a line, wide enough for its label, which sits in its middle."""
        xs = [x for x in (source_x, target_x, edge) if x is not None]
        left, right = min(xs), max(xs)
        label = self.width(arc.label)
        middle = (left + right) / 2
        return ArcPiece(min(left, middle - label / 2), max(right, middle + label / 2), 0, arc, source_x, target_x,
                        edge)

    def draw(self, painter: QPainter, marks: BlockMarks, top: float, selected: set[str], area: QRect) -> None:
        """Draw the tags and arcs of a block's lines whose gap meets `area`, with the block's top at `top`."""
        painter.setFont(self.font)
        above = top  # the top of the line above: a line's marks lie between it and the line's own text
        for line in marks.lines:
            near, above = (above, top + line.y), top + line.y
            if near[1] < area.top() or near[0] > area.bottom():
                continue
            for tag in line.tags:
                self._draw_tag(painter, tag, top + line.y - (tag.row + 1) * self.tag_height, selected)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            for piece, path, label in self._arc_shapes(line, top):
                self._draw_arc(painter, piece.arc, piece.target_x is not None, path, label, selected)

    def tag_at(self, marks: BlockMarks, top: float, point: QPointF) -> Tag | None:
        """The tag of a block (its top at `top`) drawn under a point."""
        return next((tag for line in marks.lines for tag in line.tags
                     if QRectF(tag.left, top + line.y - (tag.row + 1) * self.tag_height, tag.width,
                               self.tag_height).contains(point)), None)

    def arcs_at(self, marks: BlockMarks, top: float, point: QPointF) -> list[Arc]:
        """The arcs of a block (its top at `top`) drawn under a point, the last drawn (on top) first."""
        stroker = QPainterPathStroker()
        stroker.setWidth(6)
        return [piece.arc for line in reversed(marks.lines)
                for piece, path, label in reversed(self._arc_shapes(line, top))
                if label.contains(point) or stroker.createStroke(path).contains(point)]

    def _arc_shapes(self, line: LineMarks, top: float) -> list[tuple[ArcPiece, QPainterPath, QRectF]]:
        """Each arc piece of a line as drawn: its path (from the top of its end's tag, or of the text, up to its
        level and down again) and its label's box."""
        base = top + line.y
        tag_tops = {(tag.span.start, tag.span.end): base - (tag.row + 1) * self.tag_height for tag in line.tags}
        level_base = base - line.tag_rows * self.tag_height
        shapes = []
        for piece in line.arcs:
            arc = piece.arc
            height = level_base - (piece.level + 0.5) * self.arc_height
            ends = [(x, tag_tops.get(span, base)) for x, span in ((piece.source_x, arc.source),
                                                                  (piece.target_x, arc.target)) if x is not None]
            path = QPainterPath()
            (x1, y1) = ends[0]
            (x2, y2) = ends[1] if len(ends) == 2 else (piece.edge, None)
            path.moveTo(x1, y1)
            path.cubicTo(x1, height, x1, height, (x1 + x2) / 2, height)
            if y2 is None:
                path.lineTo(x2, height)
            else:
                path.cubicTo(x2, height, x2, height, x2, y2)
            label = QRectF(0, 0, self.width(arc.label), self.metrics.height())
            label.moveCenter(QPointF((x1 + x2) / 2, height))
            shapes.append((piece, path, label))
        return shapes

    def _draw_tag(self, painter: QPainter, tag: Tag, tag_top: float, selected: set[str]) -> None:
        span = tag.span
        look = (tag.text, self.key(span), span.kind == TRIGGER, span.item_id in selected)
        image = self._images.get(look)
        if image is None:
            image = self._images[look] = self._tag_image(*look, painter.device().devicePixelRatioF())
        painter.drawPixmap(QPointF(tag.left, tag_top), image)

    def _tag_image(self, text: str, key: str, trigger: bool, chosen: bool, ratio: float) -> QPixmap:
        """A tag drawn once per text and look, then copied wherever it appears (a screen holds hundreds): a
        trigger's outlined in its type's colour on white, a mention's filled with its tint, a selected item's
        with a thicker line."""
        colour = self.colours.colour(key)
        width = self.width(text)
        image = QPixmap(int((width + 1) * ratio) + 1, int(self.tag_height * ratio) + 1)
        image.setDevicePixelRatio(ratio)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(colour.darker(130 if trigger else 150), 2 if chosen else 1.2 if trigger else 0.8))
        painter.setBrush(WHITE if trigger else self.colours.fill(key))
        painter.drawRoundedRect(QRectF(0.5, 1.5, width, self.tag_height - 3), 2, 2)
        painter.setPen(TAG_TEXT)
        painter.setFont(self.font)
        painter.drawText(QPointF(TAG_PADDING + 0.5, 1 + self.metrics.ascent()), text)
        painter.end()
        return image

    def width(self, text: str) -> float:
        """A label's width, measured once per text: the same few labels repeat all over a document."""
        found = self._widths.get(text)
        if found is None:
            found = self._widths[text] = self.metrics.horizontalAdvance(text) + 2 * TAG_PADDING
        return found

    def _draw_arc(self, painter: QPainter, arc: Arc, arrow: bool, path: QPainterPath, label: QRectF,
                  selected: set[str]) -> None:
        """Arcs of the selected items are drawn thicker and the others dimmed; none are dimmed without a
        selection."""
        emphasised = bool(selected) and (arc.item_id in selected or any(end in selected for end in arc.ends))
        colour = QColor(self.colours.colour(arc.label).darker(130) if arc.kind == STANCE else ARC_COLOUR)
        if selected and not emphasised:
            colour.setAlpha(DIMMED_ALPHA)
        painter.setPen(QPen(colour, 2.2 if emphasised else 1.1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        if arrow:
            end = path.currentPosition()
            self._arrow_head(painter, end.x(), end.y(), colour)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(LABEL_BACKGROUND)
        painter.drawRect(label)
        painter.setPen(colour)
        painter.drawText(label, Qt.AlignmentFlag.AlignCenter, arc.label)

    def _arrow_head(self, painter: QPainter, x: float, y: float, colour: QColor) -> None:
        head = QPainterPath()
        head.moveTo(x, y)
        head.lineTo(x - 3.5, y - 6)
        head.lineTo(x + 3.5, y - 6)
        head.closeSubpath()
        painter.fillPath(head, colour)
