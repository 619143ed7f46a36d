"""The date line of a news article → a partial ISO date, honest about ambiguity.

`05/02/2020` is 5 February under the default day-first reading and 2 May
month-first; such a date is stored with `ambiguous=True` so the user sees it.
This is a line parser: prose that merely contains a date is not a date line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

DateOrder = Literal["day-first", "month-first"]
Precision = Literal["year", "month", "day"]

MONTHS = {name: number for number, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
    ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
    ("november", "nov"), ("december", "dec")), start=1) for name in names}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_PREFIX = re.compile(r"^(?:published|date|updated|posted)(?:\s+on)?\s*:?\s*", re.IGNORECASE)
_TIME = re.compile(r"(?:[T\s,]+(?:at\s+)?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[ap]\.?m\.?)?"
                   r"\s*(?:Z|[+-]\d{2}:?\d{2}|[A-Z]{2,5})?)$", re.IGNORECASE)
_NUMERIC = re.compile(r"^(?P<a>\d{1,2})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})$")
_ISO = re.compile(r"^(?P<year>\d{4})[-/](?P<month>\d{1,2})(?:[-/](?P<day>\d{1,2}))?$")
_NAMED = [re.compile(p, re.IGNORECASE) for p in (
    rf"^{_WEEKDAY}{_DAY}\s+{_MONTH},?\s+{_YEAR}$",
    rf"^{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}$",
    rf"^{_MONTH},?\s+{_YEAR}$",
    rf"^{_YEAR}$",
)]


@dataclass(frozen=True)
class ParsedDate:
    iso: str
    precision: Precision
    ambiguous: bool
    raw: str


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
        return True
    except ValueError:
        return False


def _make(raw: str, year: int, month: int | None, day: int | None, ambiguous: bool = False) -> ParsedDate | None:
    if month is None:
        return ParsedDate(f"{year:04d}", "year", False, raw)
    if not 1 <= month <= 12:
        return None
    if day is None:
        return ParsedDate(f"{year:04d}-{month:02d}", "month", False, raw)
    if not _valid(year, month, day):
        return None
    return ParsedDate(f"{year:04d}-{month:02d}-{day:02d}", "day", ambiguous, raw)


def _numeric(raw: str, match: re.Match[str], order: DateOrder) -> ParsedDate | None:
    a, b, year = int(match["a"]), int(match["b"]), int(match["year"])
    if len(match["year"]) == 2:
        year += 2000 if year < 70 else 1900
    day_first, month_first = _valid(year, b, a), _valid(year, a, b)
    ambiguous = day_first and month_first and a != b
    if day_first and (order == "day-first" or not month_first):
        return _make(raw, year, b, a, ambiguous)
    if month_first:
        return _make(raw, year, a, b, ambiguous)
    return None


def _clean(line: str) -> str:
    text = line.strip().strip("*_#").strip()
    text = _PREFIX.sub("", text)
    return _TIME.sub("", text).strip().rstrip(",").strip()


def parse_date(line: str, order: DateOrder = "day-first") -> ParsedDate | None:
    """The date a line consists of, or None when the line is anything else."""
    raw = line.strip()
    text = _clean(line)
    if not text or len(text) > 40:
        return None
    if match := _NUMERIC.match(text):
        return _numeric(raw, match, order)
    if match := _ISO.match(text):
        return _make(raw, int(match["year"]), int(match["month"]), int(match["day"]) if match["day"] else None)
    for pattern in _NAMED:
        if match := pattern.match(text):
            groups = match.groupdict()
            month = MONTHS[groups["month"].lower()] if groups.get("month") else None
            day = int(groups["day"]) if groups.get("day") else None
            return _make(raw, int(groups["year"]), month, day)
    return None
