"""Spans of a document grouped by line, so the text view re-highlights one line, not the document.

Lines are the text split at `\\n` (Qt's blocks). A span that crosses lines is
cut into one piece per line. Offsets stay code points here; the view
converts a line's pieces to UTF-16 when it paints them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass

NEWLINE = re.compile("\n")


@dataclass(frozen=True)
class Span:
    """A highlighted item: `key` says how it looks (e.g. an actor or event type), `item_id` what it is."""

    start: int
    end: int
    key: str
    item_id: str


@dataclass(frozen=True)
class Piece:
    """The part of a span on one line, in code points from the start of the line."""

    start: int
    end: int
    span: Span


class SpanIndex:
    def __init__(self, text: str, spans: list[Span] = ()):
        self.line_starts = [0] + [match.end() for match in NEWLINE.finditer(text)]
        self.length = len(text)
        self._by_line: dict[int, list[Span]] = defaultdict(list)
        self._by_item: dict[str, list[Span]] = defaultdict(list)
        self._insert_many(spans)

    def _insert_many(self, spans: list[Span]) -> None:
        """Index spans by line and item. A document opens with 20,000, so locals are bound once and the
        last line is looked up only for the few spans that cross a line end."""
        starts, length, lines = self.line_starts, self.length, len(self.line_starts)
        by_line, by_item = self._by_line, self._by_item
        for span in spans:
            start, end = span.start, span.end
            if not 0 <= start < end <= length:
                raise ValueError(f"span {start}-{end} outside the text (0-{length})")
            first = bisect_right(starts, start) - 1
            by_line[first].append(span)
            if first + 1 < lines and end > starts[first + 1]:
                for line in range(first + 1, bisect_right(starts, end - 1, first)):
                    by_line[line].append(span)
            by_item[span.item_id].append(span)

    def line_of(self, offset: int) -> int:
        return bisect_right(self.line_starts, offset) - 1

    def lines_of(self, span: Span) -> range:
        return range(self.line_of(span.start), self.line_of(max(span.start, span.end - 1)) + 1)

    def add(self, span: Span) -> range:
        """Index a span; returns the lines to repaint."""
        self._insert_many([span])
        return self.lines_of(span)

    def remove(self, span: Span) -> range:
        lines = self.lines_of(span)
        for line in lines:
            self._by_line[line].remove(span)
        self._by_item[span.item_id].remove(span)
        return lines

    def all_spans(self) -> list[Span]:
        return [span for spans in self._by_item.values() for span in spans]

    def spans_of(self, item_id: str | None) -> list[Span]:
        return list(self._by_item.get(item_id, ())) if item_id is not None else []

    def pieces(self, line: int) -> list[Piece]:
        """The spans on a line, clipped to it, longest first so inner spans paint over outer ones."""
        start = self.line_starts[line]
        end = self.line_starts[line + 1] - 1 if line + 1 < len(self.line_starts) else self.length
        pieces = [Piece(max(span.start, start) - start, min(span.end, end) - start, span)
                  for span in self._by_line.get(line, ())]
        return sorted((p for p in pieces if p.end > p.start), key=lambda p: (p.start - p.end, p.start))

    def at(self, offset: int) -> list[Span]:
        """Spans covering an offset, innermost first (what a click selects)."""
        found = [span for span in self._by_line.get(self.line_of(offset), ()) if span.start <= offset < span.end]
        return sorted(found, key=lambda span: span.end - span.start)
