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

from collections.abc import Callable, Mapping
from typing import NamedTuple

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPainterPathStroker, QPen, QTextBlock

from workstation.core.rows import stack
from workstation.core.span_index import EVIDENCE, TRIGGER, Piece, Span
from workstation.core.text import Utf16Map
from workstation.store.layer_arcs import Arc
from workstation.ui.palette import TypeColours

MIN_GAP = 3.0
"""Pixels above every line while labels are shown: a block Qt laid out itself has its first line at 0."""
TAG_PADDING = 3.0
LABEL_SCALE = 0.78
ARC_COLOUR = QColor("#4d4d4d")
DIMMED_ALPHA = 60


class Tag(NamedTuple):
    left: float
    right: float
    row: int
    text: str
    span: Span


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
        self.colours = colours
        self.names: Mapping[str, str] = {}
        self.arcs_by_line: dict[int, list[Arc]] = {}
        self.shown = True
        self.set_font(font)

    def set_font(self, font: QFont) -> None:
        self.font = QFont(font)
        self.font.setPointSizeF(max(6.0, font.pointSizeF() * LABEL_SCALE))
        self.metrics = QFontMetricsF(self.font)
        self.tag_height = self.metrics.height() + 2
        self.arc_height = self.metrics.height() + 3

    def tag_text(self, span: Span) -> str:
        name = self.names.get(span.actor) if span.actor else None
        return f"{span.tag} · {name}" if span.tag and name else span.tag or name or ""

    def lay_out(self, block: QTextBlock, pieces: list[Piece], arcs: list[Arc], block_start: int,
                ensure_layout: Callable[[QTextBlock], object]) -> BlockMarks | None:
        """Lay the block's lines out again, each below the room its marks need; None while marks are hidden."""
        if not self.shown:
            return None
        ensure_layout(block)
        layout = block.layout()
        first = layout.lineAt(0)
        width, x = first.width(), first.x()
        units = Utf16Map(block.text()) if not block.text().isascii() else None
        layout.beginLayout()
        lines = []
        while (line := layout.createLine()).isValid():
            line.setLeadingIncluded(True)
            line.setLineWidth(width)
            lines.append(line)
        bounds = [line.textStart() for line in lines[1:]] + [float("inf")]
        marks = self._marks(lines, bounds, pieces, arcs, block_start, len(block.text()), units, width + x)
        y = 0.0
        placed = []
        for line, (tag_rows, tags, arc_pieces, levels) in zip(lines, marks):
            y += MIN_GAP + tag_rows * self.tag_height + levels * self.arc_height
            line.setPosition(QPointF(x, y))
            placed.append(LineMarks(y, tag_rows, tags, arc_pieces))
            y += line.height()
        layout.endLayout()
        return BlockMarks(placed[0].y if placed else MIN_GAP, placed)

    def _marks(self, lines: list, bounds: list[float], pieces: list[Piece], arcs: list[Arc], block_start: int,
               block_length: int, units: Utf16Map | None, right_edge: float) -> list[tuple[int, list[Tag], list[ArcPiece], int]]:
        def line_of(position: int) -> int:
            return next(number for number, bound in enumerate(bounds) if position < bound)

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
        found = []
        ends_by_line: list[dict[tuple[int, int], float]] = []
        for line_spans in starting:
            line_spans.sort(key=lambda entry: (entry[2].end - entry[2].start, entry[0]))
            texts = [self.tag_text(span) for _, _, span in line_spans]
            extents = [(left, max(right, left + self.metrics.horizontalAdvance(text) + 2 * TAG_PADDING))
                       for (left, right, _), text in zip(line_spans, texts)]
            rows = stack(extents, gap=2)
            tags = [Tag(left, right, row, text, span)
                    for (left, right), row, text, (_, _, span) in zip(extents, rows, texts, line_spans)]
            found.append(tags)
            ends_by_line.append({(span.start, span.end): (left + right) / 2 for left, right, span in line_spans})
        arc_pieces: list[list[ArcPiece]] = [[] for _ in lines]
        for arc in arcs:
            ends = [self._end(span, block_start, block_length, lines, line_of, to_units, ends_by_line)
                    for span in (arc.source, arc.target)]
            if ends[0] is not None and ends[1] is not None and ends[0][0] == ends[1][0]:
                arc_pieces[ends[0][0]].append(self._piece(arc, ends[0][1], ends[1][1]))
                continue
            for side, located in enumerate(ends):
                if located is not None:
                    number, x = located
                    here, there = (arc.source, arc.target) if side == 0 else (arc.target, arc.source)
                    edge = right_edge if there[0] > here[0] else 0.0
                    arc_pieces[number].append(self._piece(arc, x if side == 0 else None, x if side == 1 else None,
                                                          edge))
        result = []
        for tags, pieces_here in zip(found, arc_pieces):
            pieces_here.sort(key=lambda piece: piece.right - piece.left)
            levels = stack([(piece.left, piece.right) for piece in pieces_here], gap=4)
            placed = [piece._replace(level=level) for piece, level in zip(pieces_here, levels)]
            result.append((max((tag.row + 1 for tag in tags), default=0), tags, placed,
                           max((level + 1 for level in levels), default=0)))
        return result

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
        label = self.metrics.horizontalAdvance(arc.label) + 2 * TAG_PADDING
        middle = (left + right) / 2
        return ArcPiece(min(left, middle - label / 2), max(right, middle + label / 2), 0, arc, source_x, target_x,
                        edge)

    def draw(self, painter: QPainter, marks: BlockMarks, top: float, selected: set[str]
             ) -> list[tuple[QPainterPath, Arc]]:
        """Draw a block's tags and arcs with the block's top at `top`; returns each arc's outline, for hovering
        and clicking."""
        painter.setFont(self.font)
        drawn = []
        for line in marks.lines:
            base = top + line.y
            tag_tops = {}
            for tag in line.tags:
                tag_top = base - (tag.row + 1) * self.tag_height
                tag_tops[(tag.span.start, tag.span.end)] = tag_top
                self._draw_tag(painter, tag, tag_top, selected)
            level_base = base - line.tag_rows * self.tag_height
            for piece in line.arcs:
                drawn.append((self._draw_arc(painter, piece, level_base, base, tag_tops, selected), piece.arc))
        return drawn

    def _draw_tag(self, painter: QPainter, tag: Tag, tag_top: float, selected: set[str]) -> None:
        span = tag.span
        width = self.metrics.horizontalAdvance(tag.text) + 2 * TAG_PADDING
        box = QRectF(tag.left, tag_top + 1, width, self.tag_height - 2)
        colour = self.colours.colour(span.key)
        chosen = span.item_id in selected
        if span.kind == TRIGGER:
            painter.setPen(QPen(colour.darker(130), 2 if chosen else 1.2))
            painter.setBrush(QColor("white"))
        else:
            painter.setPen(QPen(colour.darker(150), 2 if chosen else 0.8))
            painter.setBrush(self.colours.fill(span.key))
        painter.drawRoundedRect(box, 3, 3)
        painter.setPen(QColor("#1a1a1a"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, tag.text)

    def _draw_arc(self, painter: QPainter, piece: ArcPiece, level_base: float, base: float,
                  tag_tops: dict[tuple[int, int], float], selected: set[str]) -> QPainterPath:
        arc = piece.arc
        height = level_base - (piece.level + 0.5) * self.arc_height
        path = QPainterPath()
        ends = [(piece.source_x, arc.source), (piece.target_x, arc.target)]
        present = [(x, tag_tops.get(span, base)) for x, span in ends if x is not None]
        if piece.source_x is not None and piece.target_x is not None:
            (x1, y1), (x2, y2) = present
            path.moveTo(x1, y1)
            path.cubicTo(x1, height, x1, height, (x1 + x2) / 2, height)
            path.cubicTo(x2, height, x2, height, x2, y2)
        else:
            (x, y), = present
            edge = piece.edge
            path.moveTo(x, y)
            path.cubicTo(x, height, x, height, (x + edge) / 2, height)
            path.lineTo(edge, height)
        emphasised = bool(selected) and (arc.item_id in selected or any(end in selected for end in arc.ends))
        colour = QColor(ARC_COLOUR)
        if selected and not emphasised:
            colour.setAlpha(DIMMED_ALPHA)
        painter.setPen(QPen(colour, 2.2 if emphasised else 1.1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        if piece.target_x is not None:
            self._arrow_head(painter, piece.target_x, present[-1][1], colour)
        label = QRectF(0, 0, self.metrics.horizontalAdvance(arc.label) + 2 * TAG_PADDING, self.metrics.height())
        xs = [x for x in (piece.source_x, piece.target_x, piece.edge) if x is not None]
        label.moveCenter(QPointF((min(xs) + max(xs)) / 2, height))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255, 230))
        painter.drawRect(label)
        painter.setPen(colour)
        painter.drawText(label, Qt.AlignmentFlag.AlignCenter, arc.label)
        stroker = QPainterPathStroker()
        stroker.setWidth(6)
        outline = stroker.createStroke(path)
        outline.addRect(label)
        return outline

    def _arrow_head(self, painter: QPainter, x: float, y: float, colour: QColor) -> None:
        head = QPainterPath()
        head.moveTo(x, y)
        head.lineTo(x - 3.5, y - 6)
        head.lineTo(x + 3.5, y - 6)
        head.closeSubpath()
        painter.fillPath(head, colour)
