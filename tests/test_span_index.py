"""The per-line span index: pieces per line, crossing spans, nesting order, lookup by offset and item."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workstation.core.span_index import LONG, Span, SpanIndex

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


def _naive_pieces(text: str, spans: list[Span], line: int) -> list[tuple[int, int, Span]]:
    starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]
    start = starts[line]
    end = starts[line + 1] - 1 if line + 1 < len(starts) else len(text)
    return sorted(((max(s.start, start) - start, min(s.end, end) - start, s) for s in spans
                   if min(s.end, end) > max(s.start, start)), key=lambda p: (p[0] - p[1], p[0], repr(p[2])))


@st.composite
def _text_and_spans(draw):
    text = draw(st.text(alphabet="ab \n", min_size=1, max_size=LONG * 3))
    spans = []
    for number in range(draw(st.integers(0, 25))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, min(len(text), start + draw(st.sampled_from([3, 20, LONG + 50])))))
        spans.append(Span(start, end, draw(st.sampled_from("XYZ")), f"i{number % 7}"))
    return text, spans


@settings(max_examples=150, deadline=None)
@given(_text_and_spans(), st.data())
def test_index_agrees_with_a_naive_scan_after_adds_and_removes(case, data):
    text, spans = case
    cut = data.draw(st.integers(0, len(spans)))
    index = SpanIndex(text, spans[:cut])
    bulk = data.draw(st.integers(cut, len(spans)))
    index.extend(sorted(spans[cut:bulk], key=lambda span: span.start) if data.draw(st.booleans())
                 else spans[cut:bulk])
    for span in spans[bulk:]:
        assert index.add(span) == range(index.line_of(span.start), index.line_of(span.end - 1) + 1)
    gone = data.draw(st.lists(st.sampled_from(spans), unique=True, max_size=len(spans))) if spans else []
    kept = list(spans)
    for span in gone:
        index.remove(span)
        kept.remove(span)
    assert sorted(index.all_spans(), key=repr) == sorted(kept, key=repr)
    for line in range(text.count("\n") + 1):
        got = [(p.start, p.end, p.span) for p in index.pieces(line)]
        assert sorted(got, key=repr) == sorted(_naive_pieces(text, kept, line), key=repr)
        assert [(p[0], p[1]) for p in got] == [(p[0], p[1]) for p in _naive_pieces(text, kept, line)]
    for offset in range(len(text)):
        assert sorted(index.at(offset), key=repr) == sorted((s for s in kept if s.start <= offset < s.end), key=repr)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    inside = index.within(start, end)
    assert sorted(index.overlapping(start, max(end, start + 1)), key=repr) == sorted(
        (s for s in kept if s.start < max(end, start + 1) and s.end > start), key=repr)
    assert sorted(inside, key=repr) == sorted((s for s in kept if start <= s.start and s.end <= end), key=repr)
    assert [s.start for s in inside] == sorted(s.start for s in inside)
    for item in {span.item_id for span in spans}:
        assert sorted(index.spans_of(item), key=repr) == sorted((s for s in kept if s.item_id == item), key=repr)
