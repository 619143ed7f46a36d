"""Outermost-wins and the sentence mask on plain token tuples agree with spaCy's `filter_spans` and with
removing boundaries span by span, whose rules the token exports reproduce."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.util import filter_spans
from test_sentences import PIECES

from workstation.core.records import DocumentRecord
from workstation.formats.training_data import (
    AlignmentReport,
    TokenSpan,
    outermost,
    sentences_around_mentions,
)
from workstation.nlp.pipeline import sentence_starts, tokenize

TEXTS = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


@settings(max_examples=200, deadline=None)
@given(TEXTS, st.data())
def test_outermost_keeps_what_filter_spans_keeps_and_counts_the_rest(text: str, data: st.DataObject):
    doc = tokenize(text, "en")
    if not len(doc):
        return
    bounds = st.tuples(st.integers(0, len(doc) - 1), st.integers(1, 4), st.sampled_from(["A", "B"]))
    spans = [TokenSpan(start, min(start + width, len(doc)), label, 0, 1)
             for start, width, label in data.draw(st.lists(bounds, max_size=12))]
    report = AlignmentReport()
    kept = outermost(spans, DocumentRecord(text=text), report)
    spacys = filter_spans([doc[start:end] for start, end, *_ in spans])
    assert [(span.start, span.end) for span in kept] == [(span.start, span.end) for span in spacys]
    assert report.overlapped == len(spans) - len(kept)


@settings(max_examples=200, deadline=None)
@given(TEXTS, st.data())
def test_no_sentence_starts_inside_a_mention_and_each_removed_start_is_counted_once(text: str, data: st.DataObject):
    doc = tokenize(text, "en")
    if not len(doc):
        return
    bounds = st.tuples(st.integers(0, len(doc) - 1), st.integers(1, 6))
    spans = [TokenSpan(start, min(start + width, len(doc)), "A", 0, 1)
             for start, width in data.draw(st.lists(bounds, max_size=8))]
    expected, removed = sentence_starts(doc), 0
    for span in spans:
        inside = expected[span.start + 1:span.end]
        removed += int((inside == 1).sum())
        inside[:] = -1
    report = AlignmentReport()
    assert sentences_around_mentions(sentence_starts(doc), spans, report).tolist() == expected.tolist()
    assert report.joined_sentences == removed
