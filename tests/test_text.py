"""Stored text form and code-point ↔ UTF-16 conversion (emoji, flags, ZWJ, combining marks, CJK)."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workstation.core.text import Utf16Map, normalise_text, text_sha256, to_codepoint, to_utf16


def utf16_units(text: str, cp: int) -> int:
    return len(text[:cp].encode("utf-16-le")) // 2


def test_line_endings_become_newlines_and_nothing_else_changes():
    assert normalise_text("a\r\nb\rc\u2028d\u2029e\n\tf  ") == "a\nb\nc\nd\ne\n\tf  "


def test_nfc_composes_but_keeps_marks_without_a_precomposed_form():
    assert normalise_text("e\u0301") == "\u00e9"
    assert len(normalise_text("q\u0307")) == 2


def test_sha_is_of_utf8_bytes():
    assert text_sha256("é") == hashlib.sha256(b"\xc3\xa9").hexdigest()


SAMPLES = ["plain ascii", "a😀b", "🇹🇷 flag", "👩‍👩‍👧 family", "e\u0301 and q\u0307", "中文 text 😀 mixed 𝒳", "😀😀"]


@pytest.mark.parametrize("text", SAMPLES)
def test_every_position_converts_both_ways(text: str):
    mapping = Utf16Map(text)
    assert mapping.utf16_length == len(text.encode("utf-16-le")) // 2
    for cp in range(len(text) + 1):
        u16 = mapping.to_utf16(cp)
        assert u16 == utf16_units(text, cp)
        assert mapping.to_codepoint(u16) == cp


def test_emoji_before_a_word_shifts_qt_positions_only():
    text = "🇹🇷 Erdogan"
    start = text.index("Erdogan")
    assert start == 3
    assert to_utf16(text, start) == 5
    assert to_codepoint(text, 5) == 3


def test_position_inside_a_surrogate_pair_rounds_down():
    text = "a😀b"
    assert to_codepoint(text, 2) == 1


def test_cjk_is_one_unit_per_character():
    assert [to_utf16("中文字", cp) for cp in range(4)] == [0, 1, 2, 3]


@pytest.mark.parametrize("call, value", [("to_utf16", -1), ("to_utf16", 4), ("to_codepoint", 6)])
def test_out_of_range_positions_are_refused(call: str, value: int):
    with pytest.raises(ValueError):
        getattr(Utf16Map("a😀b😀"[:3]), call)(value)


@given(st.text())
def test_conversion_matches_utf16_encoding_for_any_text(text: str):
    mapping = Utf16Map(text)
    for cp in range(len(text) + 1):
        assert mapping.to_codepoint(mapping.to_utf16(cp)) == cp
        assert mapping.to_utf16(cp) == len(text[:cp].encode("utf-16-le", "surrogatepass")) // 2
