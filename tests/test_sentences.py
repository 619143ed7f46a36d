"""Sentence starts read off token arrays agree with spaCy's Sentencizer, whose rule they reproduce."""

from __future__ import annotations

from functools import cache

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.attrs import SENT_START

from workstation.nlp.pipeline import make_doc

PIECES = ["Erdogan", "warned", "Mr.", "U.S.", "e.g.", ".", "!", "?", "...", "?!", "。", "‽", "\"", "'", "(", ")",
          ",", "-", "—", "🇹🇷", "naïve", "10%", "$5", " ", "  ", "\n", "\n\n", "\t"]


@cache
def with_sentencizer() -> spacy.language.Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def sentencizer_starts(text: str) -> tuple[bool, list[int]]:
    doc = with_sentencizer()(text)
    return doc.has_annotation("SENT_START"), doc.to_array([SENT_START]).tolist()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_sentence_starts_are_the_sentencizers(text: str):
    doc = make_doc(text, "en")
    assert (doc.has_annotation("SENT_START"), doc.to_array([SENT_START]).tolist()) == sentencizer_starts(text)
