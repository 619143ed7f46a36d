"""Date lines: day-first/month-first, ambiguity, partial dates, markup, and prose that is not a date."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workstation.core.dates import ParsedDate, parse_date


@pytest.mark.parametrize("line, order, iso, ambiguous", [
    ("05/02/2020", "day-first", "2020-02-05", True),
    ("05/02/2020", "month-first", "2020-05-02", True),
    ("13/02/2020", "day-first", "2020-02-13", False),
    ("13/02/2020", "month-first", "2020-02-13", False),
    ("02/13/2020", "day-first", "2020-02-13", False),
    ("02/13/2020", "month-first", "2020-02-13", False),
    ("05/05/2020", "day-first", "2020-05-05", False),
    ("05/05/2020", "month-first", "2020-05-05", False),
    ("5/2/2020", "day-first", "2020-02-05", True),
    ("05.02.2020", "day-first", "2020-02-05", True),
    ("05-02-2020", "month-first", "2020-05-02", True),
    ("29/02/2020", "day-first", "2020-02-29", False),
    ("5.2.20", "day-first", "2020-02-05", True),
    ("05-02-99", "day-first", "1999-02-05", True),
    ("01/01/69", "day-first", "2069-01-01", False),
    ("01/01/70", "day-first", "1970-01-01", False),
    ("2020-02-05", "month-first", "2020-02-05", False),
    ("2020-02-05", "day-first", "2020-02-05", False),
    ("2020/02/05", "day-first", "2020-02-05", False),
    ("2020-2-5", "day-first", "2020-02-05", False),
    ("2020-02-05T10:00:00Z", "day-first", "2020-02-05", False),
    ("2020-02-05T10:00:00.123+03:00", "day-first", "2020-02-05", False),
    ("2020-02-05 10:00", "day-first", "2020-02-05", False),
    ("05/02/2020 14:30", "day-first", "2020-02-05", True),
    ("05.02.2020 | 14:30", "day-first", "2020-02-05", True),
    ("Published: 05/02/2020 - 14:30", "day-first", "2020-02-05", True),
    ("5 February 2020 \u2013 09:15", "day-first", "2020-02-05", False),
    ("05/02/2020, 14:30:59 GMT+3", "day-first", "2020-02-05", True),
    ("**05/02/2020**", "day-first", "2020-02-05", True),
    ("_February 5, 2020_", "day-first", "2020-02-05", False),
    ("*__5 February 2020__*", "day-first", "2020-02-05", False),
    ("### 5 February 2020", "day-first", "2020-02-05", False),
    ("5 February 2020", "month-first", "2020-02-05", False),
    ("February 5, 2020", "day-first", "2020-02-05", False),
    ("February 5 2020", "day-first", "2020-02-05", False),
    ("5 February, 2020", "day-first", "2020-02-05", False),
    ("Wednesday, February 5, 2020", "day-first", "2020-02-05", False),
    ("Wednesday 5 February 2020", "day-first", "2020-02-05", False),
    ("Wed. Feb. 5, 2020", "day-first", "2020-02-05", False),
    ("Wednesday, 05/02/2020", "day-first", "2020-02-05", True),
    ("5th February 2020", "day-first", "2020-02-05", False),
    ("1st of March 2021", "day-first", "2021-03-01", False),
    ("February 22nd, 2020", "day-first", "2020-02-22", False),
    ("Feb. 5 2020", "day-first", "2020-02-05", False),
    ("Sept 9, 2020", "day-first", "2020-09-09", False),
    ("sep 9 2020", "day-first", "2020-09-09", False),
    ("5 MAY 2020", "day-first", "2020-05-05", False),
    ("February 5, 2020.", "day-first", "2020-02-05", False),
    ("Published: 5 Feb 2020", "day-first", "2020-02-05", False),
    ("PUBLISHED 5 Feb 2020", "day-first", "2020-02-05", False),
    ("Published on: 05/02/2020", "month-first", "2020-05-02", True),
    ("**Published:** 5 February 2020", "day-first", "2020-02-05", False),
    ("Date: 2020-02-05", "day-first", "2020-02-05", False),
    ("Dated 5 February 2020", "day-first", "2020-02-05", False),
    ("Posted on Wednesday, February 5, 2020", "day-first", "2020-02-05", False),
    ("Last updated: 5 February 2020 10:00 CET", "day-first", "2020-02-05", False),
    ("Updated on March 3, 2021 at 10:15 am", "day-first", "2021-03-03", False),
    ("Updated March 3, 2021 at 10:15 P.M. EST", "day-first", "2021-03-03", False),
    ("  \t05/02/2020  \n", "day-first", "2020-02-05", True),
])
def test_full_dates(line: str, order: str, iso: str, ambiguous: bool):
    parsed = parse_date(line, order)
    assert parsed is not None
    assert (parsed.iso, parsed.precision, parsed.ambiguous) == (iso, "day", ambiguous)
    assert parsed.raw == line.strip()


def test_default_order_is_day_first():
    assert parse_date("05/02/2020") == ParsedDate("2020-02-05", "day", True, "05/02/2020")


@pytest.mark.parametrize("line, iso, precision", [
    ("February 2020", "2020-02", "month"),
    ("Feb. 2020", "2020-02", "month"),
    ("february, 2020", "2020-02", "month"),
    ("Published: May 2020", "2020-05", "month"),
    ("2020-02", "2020-02", "month"),
    ("2020/2", "2020-02", "month"),
    ("2020", "2020", "year"),
    ("_1999_", "1999", "year"),
    ("Date: 2020", "2020", "year"),
])
@pytest.mark.parametrize("order", ["day-first", "month-first"])
def test_partial_dates(line: str, iso: str, precision: str, order: str):
    parsed = parse_date(line, order)
    assert parsed is not None
    assert (parsed.iso, parsed.precision, parsed.ambiguous, parsed.raw) == (iso, precision, False, line.strip())


@pytest.mark.parametrize("line", [
    "31/02/2020", "29/02/2021", "13/13/2020", "00/01/2020", "32/01/2020", "2020-13-01", "2020-02-30",
    "2020-00", "2020-13", "February 30, 2020", "31 April 2020", "0th March 2020",
])
def test_invalid_dates(line: str):
    assert parse_date(line) is None
    assert parse_date(line, "month-first") is None


@pytest.mark.parametrize("line", [
    "", "   ", "---", "Date:", "Published", "May", "February 5", "5 February", "05/02", "0000", "5000", "20200",
    "05/02-2020", "2020-02/05", "1.2.3", "12 observation posts",
    "Wednesday, February 2020", "Monday 2020",
    "Talks were held on 5 February 2020 in Ankara.",
    "On 5 February 2020", "5 February 2020 in Ankara", "May 2020 was a hard month for Ankara",
    "Published by Reuters", "Posted in World News", "Updated 2 hours ago",
    "Erdogan Threatens to Use Force Against Syrian Military in Idlib",
    "**RELATED:** [Erdogan Says Turkey Bombed Syrian Troops in Idlib](#)",
    "By Jane Doe | 5 February 2020",
    "February 5, 2020 10:00 in Ankara",
])
def test_lines_that_are_not_dates(line: str):
    assert parse_date(line) is None


def test_parsed_date_is_frozen():
    parsed = parse_date("2020")
    with pytest.raises(dataclasses.FrozenInstanceError):
        parsed.iso = "2021"  # type: ignore[misc]


_DATES = st.dates(min_value=date(1000, 1, 1), max_value=date(2999, 12, 31))


@given(_DATES)
def test_any_named_date_reads_back(day: date):
    for line in (f"{day.day} {day:%B} {day.year}", f"{day:%A}, {day:%b} {day.day}, {day.year}"):
        assert parse_date(line) == ParsedDate(day.isoformat(), "day", False, line)


@given(_DATES, st.sampled_from("/.-"))
def test_any_numeric_date_reads_back_under_its_own_order(day: date, sep: str):
    ambiguous = day.day <= 12 and day.day != day.month
    dmy = f"{day.day:02d}{sep}{day.month:02d}{sep}{day.year}"
    mdy = f"{day.month:02d}{sep}{day.day:02d}{sep}{day.year}"
    assert parse_date(dmy, "day-first") == ParsedDate(day.isoformat(), "day", ambiguous, dmy)
    assert parse_date(mdy, "month-first") == ParsedDate(day.isoformat(), "day", ambiguous, mdy)
