"""Date lines: day-first/month-first, ambiguity, partial dates, markup, and prose that is not a date."""

from __future__ import annotations

import pytest

from workstation.core.dates import parse_date


@pytest.mark.parametrize("line, order, iso, ambiguous", [
    ("05/02/2020", "day-first", "2020-02-05", True),
    ("05/02/2020", "month-first", "2020-05-02", True),
    ("13/02/2020", "day-first", "2020-02-13", False),
    ("13/02/2020", "month-first", "2020-02-13", False),
    ("02/13/2020", "day-first", "2020-02-13", False),
    ("05/05/2020", "day-first", "2020-05-05", False),
    ("5.2.20", "day-first", "2020-02-05", True),
    ("05-02-99", "day-first", "1999-02-05", True),
    ("2020-02-05", "month-first", "2020-02-05", False),
    ("2020/02/05", "day-first", "2020-02-05", False),
    ("2020-02-05T10:00:00Z", "day-first", "2020-02-05", False),
    ("05/02/2020 14:30", "day-first", "2020-02-05", True),
    ("**05/02/2020**", "day-first", "2020-02-05", True),
    ("_February 5, 2020_", "day-first", "2020-02-05", False),
    ("Wednesday, February 5, 2020", "day-first", "2020-02-05", False),
    ("5th February 2020", "day-first", "2020-02-05", False),
    ("Feb. 5 2020", "day-first", "2020-02-05", False),
    ("Published: 5 Feb 2020", "day-first", "2020-02-05", False),
    ("Updated on March 3, 2021 at 10:15 am", "day-first", "2021-03-03", False),
])
def test_full_dates(line: str, order: str, iso: str, ambiguous: bool):
    parsed = parse_date(line, order)
    assert (parsed.iso, parsed.precision, parsed.ambiguous) == (iso, "day", ambiguous)
    assert parsed.raw == line.strip()


@pytest.mark.parametrize("line, iso, precision", [
    ("February 2020", "2020-02", "month"),
    ("2020-02", "2020-02", "month"),
    ("2020", "2020", "year"),
])
def test_partial_dates(line: str, iso: str, precision: str):
    parsed = parse_date(line)
    assert (parsed.iso, parsed.precision, parsed.ambiguous) == (iso, precision, False)


@pytest.mark.parametrize("line", [
    "31/02/2020", "13/13/2020", "2020-13-01", "",
    "Talks were held on 5 February 2020 in Ankara.",
    "Erdogan Threatens to Use Force Against Syrian Military in Idlib",
    "**RELATED:** [Erdogan Says Turkey Bombed Syrian Troops in Idlib](#)",
    "12 observation posts", "---",
])
def test_lines_that_are_not_dates(line: str):
    assert parse_date(line) is None
