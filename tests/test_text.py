"""Stored text form and code-point ↔ UTF-16 conversion (emoji, flags, ZWJ, combining marks, CJK)."""

from __future__ import annotations

import hashlib
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workstation.core.text import Utf16Map, normalise_text, text_sha256, to_codepoint, to_utf16


def utf16_units(text: str, cp: int) -> int:
    """Independent reference: the UTF-16 length of the text before `cp`."""
    return len(text[:cp].encode("utf-16-le")) // 2


def expected_codepoint(text: str, u16: int) -> int:
    """Independent reference: the last code point that starts at or before `u16`."""
    return max(cp for cp in range(len(text) + 1) if utf16_units(text, cp) <= u16)


@pytest.mark.parametrize("raw, expected", [
    ("a\r\nb", "a\nb"),
    ("a\rb", "a\nb"),
    ("a\n\rb", "a\n\nb"),
    ("a\r\r\nb", "a\n\nb"),
    ("a\u2028b\u2029c", "a\nb\nc"),
    ("\r\n\r\n", "\n\n"),
])
def test_line_breaks_become_newlines(raw: str, expected: str):
    assert normalise_text(raw) == expected


def test_nothing_else_changes():
    text = "  leading\tand trailing  \n\n\x0bvertical tab, \x0c form feed, \u00a0nbsp, \u200b zwsp  "
    assert normalise_text(text) == text


def test_nfc_composes_but_keeps_marks_without_a_precomposed_form():
    assert normalise_text("e\u0301") == "\u00e9"
    assert normalise_text("Erdog\u0306an") == "Erdoğan"
    assert normalise_text("q\u0307") == "q\u0307"
    assert len(normalise_text("q\u0307")) == 2


def test_normalisation_is_idempotent_and_nfc():
    raw = "Cafe\u0301\r\nq\u0307\u2028😀 中文\r"
    once = normalise_text(raw)
    assert normalise_text(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert "\r" not in once and "\u2028" not in once


def test_sha_is_of_utf8_bytes():
    assert text_sha256("é") == hashlib.sha256(b"\xc3\xa9").hexdigest()
    assert text_sha256("") == hashlib.sha256(b"").hexdigest()
    assert text_sha256("e\u0301") != text_sha256("é")


SAMPLES = [
    "", "plain ascii", "Türkçe ğüşıöç", "a😀b", "🇹🇷 flag", "👩‍👩‍👧 family", "e\u0301 and q\u0307",
    "中文 text 😀 mixed 𝒳", "😀😀", "😀", "end 😀",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_every_code_point_converts_both_ways(text: str):
    mapping = Utf16Map(text)
    assert mapping.length == len(text)
    assert mapping.utf16_length == len(text.encode("utf-16-le")) // 2
    for cp in range(len(text) + 1):
        u16 = mapping.to_utf16(cp)
        assert u16 == utf16_units(text, cp)
        assert mapping.to_codepoint(u16) == cp


@pytest.mark.parametrize("text", SAMPLES)
def test_every_utf16_position_maps_to_a_code_point(text: str):
    mapping = Utf16Map(text)
    for u16 in range(mapping.utf16_length + 1):
        assert mapping.to_codepoint(u16) == expected_codepoint(text, u16)


def test_flag_is_two_astral_code_points_and_shifts_qt_positions_by_two():
    text = "🇹🇷 Erdogan"
    start = text.index("Erdogan")
    assert start == 3
    assert to_utf16(text, start) == 5
    assert to_codepoint(text, 5) == 3


def test_zwj_sequence_counts_each_emoji_twice_and_the_joiner_once():
    text = "👩‍👩‍👧x"
    assert len(text) == 6
    assert to_utf16(text, len(text) - 1) == 8


def test_combining_marks_and_cjk_are_one_unit_per_code_point():
    assert [to_utf16("中文字", cp) for cp in range(4)] == [0, 1, 2, 3]
    assert [to_utf16("q\u0307x", cp) for cp in range(4)] == [0, 1, 2, 3]
    assert to_codepoint("中文字", 3) == 3


def test_position_inside_a_surrogate_pair_rounds_down():
    assert to_codepoint("a😀b", 2) == 1
    assert to_codepoint("😀😀", 1) == 0
    assert to_codepoint("😀😀", 3) == 1
    assert to_codepoint("🇹🇷", 3) == 1


@pytest.mark.parametrize("text", ["abc", "a😀b"])
@pytest.mark.parametrize("call, bound", [("to_utf16", "length"), ("to_codepoint", "utf16_length")])
def test_out_of_range_positions_are_refused(text: str, call: str, bound: str):
    mapping = Utf16Map(text)
    convert = getattr(mapping, call)
    limit = getattr(mapping, bound)
    convert(0)
    convert(limit)
    for position in (-1, limit + 1):
        with pytest.raises(ValueError):
            convert(position)
        with pytest.raises(ValueError):
            {"to_utf16": to_utf16, "to_codepoint": to_codepoint}[call](text, position)


def test_large_text_with_many_astral_characters():
    text = ("abc 😀 çğ 🇹🇷 中 " * 70_000)[:1_000_000]
    mapping = Utf16Map(text)
    assert mapping.utf16_length == len(text.encode("utf-16-le")) // 2
    for cp in range(0, len(text) + 1, 9973):
        u16 = mapping.to_utf16(cp)
        assert u16 == cp + sum(1 for char in text[:cp] if ord(char) > 0xFFFF)
        assert mapping.to_codepoint(u16) == cp


# Stored text comes from UTF-8, so no lone surrogates; weighted towards astral characters.
_CHARS = st.one_of(st.characters(codec="utf-8"), st.sampled_from(["😀", "🇹", "🇷", "\u200d", "中", "\u0301", "𝒳", "a"]))


@given(st.text(alphabet=_CHARS))
def test_conversion_matches_utf16_encoding_for_any_text(text: str):
    mapping = Utf16Map(text)
    for cp in range(len(text) + 1):
        assert mapping.to_utf16(cp) == utf16_units(text, cp)
        assert mapping.to_codepoint(mapping.to_utf16(cp)) == cp
    for u16 in range(mapping.utf16_length + 1):
        assert mapping.to_codepoint(u16) == expected_codepoint(text, u16)
