"""The per-line span index: pieces per line, crossing spans, nesting order, lookup by offset and item."""

from __future__ import annotations

import pytest

from workstation.core.span_index import Span, SpanIndex

TEXT = "Erdogan warned.\nThe Syrian military\nmoved."


def test_pieces_are_clipped_per_line_and_outer_spans_come_first():
    outer = Span(16, 35, "MIL", "m1")
    inner = Span(20, 26, "STATE", "m2")
    crossing = Span(8, 22, "EVENT", "e1")
    index = SpanIndex(TEXT, [inner, outer])
    assert index.add(crossing) == range(2)
    first = index.pieces(0)
    assert [(p.start, p.end, p.span.item_id) for p in first] == [(8, 15, "e1")]
    second = index.pieces(1)
    assert [(p.start, p.end, p.span.item_id) for p in second] == [(0, 19, "m1"), (0, 6, "e1"), (4, 10, "m2")]
    assert [s.item_id for s in index.at(21)] == ["m2", "e1", "m1"]
    assert index.remove(crossing) == range(2)
    assert index.pieces(0) == []
    assert index.spans_of("m2") == [inner] and index.spans_of(None) == []


def test_spans_outside_the_text_are_refused():
    with pytest.raises(ValueError):
        SpanIndex(TEXT, [Span(40, 60, "X", "x")])
