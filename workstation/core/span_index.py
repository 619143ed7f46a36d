"""Spans of a document grouped by line, so the text view re-highlights one line, not the document.

Lines are the text split at `\\n` (Qt's blocks). A span that crosses lines is
cut into one piece per line. Offsets stay code points here; the view
converts a line's pieces to UTF-16 when it paints them.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from operator import attrgetter
from typing import NamedTuple

NEWLINE = re.compile("\n")


MENTION, TRIGGER, EVIDENCE = "mention", "trigger", "evidence"
"""What a span marks: a mention (filled), an event's trigger (underlined, outlined tag), a stance's evidence."""


class Span(NamedTuple):
    """A highlighted item: `key` says how it looks (e.g. an actor or event type), `item_id` what it is, `tag`
    what its label above the text says (with the name of `actor`, looked up when drawn: a renamed actor
    changes no span).

    A named tuple: a long document holds 20,000 of them, half the memory and creation time of a dataclass with
    its per-instance dict."""

    start: int
    end: int
    key: str
    item_id: str
    kind: str = MENTION
    tag: str = ""
    actor: str | None = None
    version: int | None = None
    """The item's row version as read for the view: an edit made from the view expects it (a row changed
    since by someone else is not overwritten)."""


class Piece(NamedTuple):
    """The part of a span on one line, in code points from the start of the line."""

    start: int
    end: int
    span: Span


LONG = 256
"""Spans up to this many code points are found by their start; longer ones (rare: evidence passages) by line."""
_START = attrgetter("start")


class SpanIndex:
    """Spans of one text, found per line for painting and per item for selection.

    Opening a document indexes 20,000 spans, so short spans are only sorted by
    start (a line's spans are those starting at most LONG before it ends); only
    long spans are filed under every line they touch. The per-item lookup grows
    as spans are indexed: a long text's, after its first screen is painted.
    """

    def __init__(self, text: str, spans: list[Span] = ()):
        self.line_starts = [0] + [match.end() for match in NEWLINE.finditer(text)]
        self.length = len(text)
        self._short: list[Span] = []
        self._starts: list[int] = []
        self._long: list[Span] = []
        self._long_by_line: dict[int, list[Span]] = defaultdict(list)
        self._by_item: dict[str, list[Span]] = defaultdict(list)
        self.kinds: Counter[str] = Counter()
        """How many spans of each kind are indexed (an edit asks whether the text holds any stance evidence)."""
        self.extend(sorted(spans, key=_START))

    def extend(self, spans: list[Span]) -> None:
        """Index many spans at once. In start order and after every span already indexed (a long text's
        spans read a screen at a time), they are appended; any other span is inserted in its place."""
        length = self.length
        short, starts, by_item, kinds, add = self._short, self._starts, self._by_item, self.kinds, self.add
        for span in spans:
            if not 0 <= span.start < span.end <= length:
                raise ValueError(f"span {span.start}-{span.end} outside the text (0-{length})")
            if span.end - span.start <= LONG and (not starts or span.start >= starts[-1]):
                short.append(span)
                starts.append(span.start)
                by_item[span.item_id].append(span)
                kinds[span.kind] += 1
            else:
                add(span)

    def line_start(self, line: int) -> int:
        """Where a line starts, in code points; the text's length past the last line."""
        return self.line_starts[line] if line < len(self.line_starts) else self.length

    def _add_long(self, span: Span) -> None:
        self._long.append(span)
        for line in self.lines_of(span):
            self._long_by_line[line].append(span)

    def line_of(self, offset: int) -> int:
        return bisect_right(self.line_starts, offset) - 1

    def lines_of(self, span: Span) -> range:
        return range(self.line_of(span.start), self.line_of(max(span.start, span.end - 1)) + 1)

    def add(self, span: Span) -> range:
        """Index a span; returns the lines to repaint."""
        if not 0 <= span.start < span.end <= self.length:
            raise ValueError(f"span {span.start}-{span.end} outside the text (0-{self.length})")
        if span.end - span.start <= LONG:
            position = bisect_right(self._starts, span.start)
            self._starts.insert(position, span.start)
            self._short.insert(position, span)
        else:
            self._add_long(span)
        self._by_item[span.item_id].append(span)
        self.kinds[span.kind] += 1
        return self.lines_of(span)

    def remove(self, span: Span) -> range:
        if span.end - span.start <= LONG:
            position = self._short.index(span, bisect_left(self._starts, span.start))
            del self._starts[position], self._short[position]
        else:
            self._long.remove(span)
            for line in self.lines_of(span):
                self._long_by_line[line].remove(span)
        self.kinds[span.kind] -= 1
        spans = self._by_item[span.item_id]
        spans.remove(span)
        if not spans:
            del self._by_item[span.item_id]
        return self.lines_of(span)

    def all_spans(self) -> list[Span]:
        return [*self._short, *self._long]

    def spans_of(self, item_id: str | None) -> list[Span]:
        return list(self._by_item.get(item_id, ()))

    def _overlapping(self, start: int, end: int, line: int) -> list[Span]:
        """Spans sharing a code point with [start, end) on `line`; an empty range counts its start."""
        first = bisect_left(self._starts, start - LONG)
        last = bisect_left(self._starts, max(end, start + 1))
        found = [span for span in self._short[first:last] if span.end > start]
        return found + [span for span in self._long_by_line.get(line, ()) if span.start < max(end, start + 1)
                        and span.end > start]

    def overlapping(self, start: int, end: int) -> list[Span]:
        """Spans sharing a code point with [start, end), in no particular order: one lookup where a ghost asks
        what lies under it (three, by its ends and its inside, cost most of drawing a page of ghosts)."""
        first, last = self.line_of(start), self.line_of(max(start, end - 1))
        found = self._overlapping(start, end, first)
        if first == last:
            return found
        return [span for span in found if span.end - span.start <= LONG] + [
            span for span in self._long if span.start < end and span.end > start]

    def pieces(self, line: int) -> list[Piece]:
        """The spans on a line, clipped to it, longest first so inner spans paint over outer ones."""
        start = self.line_starts[line]
        end = self.line_starts[line + 1] - 1 if line + 1 < len(self.line_starts) else self.length
        pieces = [Piece(max(span.start, start) - start, min(span.end, end) - start, span)
                  for span in self._overlapping(start, end, line)]
        return sorted((p for p in pieces if p.end > p.start), key=lambda p: (p.start - p.end, p.start))

    def within(self, start: int, end: int) -> list[Span]:
        """Spans lying wholly inside [start, end), in text order (a stance's evidence, an argument's text)."""
        first, last = bisect_left(self._starts, start), bisect_left(self._starts, end)
        found = [span for span in self._short[first:last] if span.end <= end]
        found += [span for span in self._long if start <= span.start and span.end <= end]
        return sorted(found, key=_START)

    def at(self, offset: int) -> list[Span]:
        """Spans covering an offset, innermost first (what a click selects)."""
        found = [span for span in self._overlapping(offset, offset + 1, self.line_of(offset))
                 if span.start <= offset < span.end]
        return sorted(found, key=lambda span: span.end - span.start)
