"""The date line of a news article → a partial ISO date, honest about ambiguity.

`05/02/2020` is 5 February under the default day-first reading and 2 May
month-first; such a date is stored with `ambiguous=True` so the user sees it.
This is a line parser: prose that merely contains a date is not a date line,
so every pattern is anchored to the whole line once the decoration
(markup, label, weekday, time of day) is removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

DateOrder = Literal["day-first", "month-first"]
Precision = Literal["year", "month", "day"]


def _names(*groups: tuple[str, ...]) -> dict[str, int]:
    return {name: number for number, names in enumerate(groups, start=1) for name in names}


def _alternation(names: dict[str, int]) -> str:
    # Longest first, so "sept" wins over "sep" and "march" over "mar".
    return "|".join(sorted(names, key=len, reverse=True))


_MONTHS = _names(
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
    ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
    ("november", "nov"), ("december", "dec"))
_WEEKDAYS = _names(
    ("monday", "mon"), ("tuesday", "tue", "tues"), ("wednesday", "wed"), ("thursday", "thu", "thur", "thurs"),
    ("friday", "fri"), ("saturday", "sat"), ("sunday", "sun"))

_MARKUP = re.compile(r"[*_#]+")
_LABEL = re.compile(r"^(?:dated|date|(?:first\s+)?published|(?:last\s+)?updated|posted)\b(?:\s+on\b)?\s*:?\s*",
                    re.IGNORECASE)
_WEEKDAY = re.compile(rf"^(?:{_alternation(_WEEKDAYS)})\b\.?(?:\s*,\s*|\s+)", re.IGNORECASE)
# Timezone abbreviations are matched case-sensitively so that a trailing word of prose is not one.
_TIME = re.compile(r"(?:T|[\s,|\-\u2013\u2014]+(?i:at\s+)?)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
                   r"(?:\s*(?i:[ap]\.?m\.?))?(?:\s*(?:Z|(?:UTC|GMT)?\s*[+-]\d{1,2}(?::?\d{2})?|[A-Z]{2,5}))?$")

# Years are four digits starting with 1 or 2 so that a bare number such as "5000" is not a year.
_YEAR = r"(?P<year>[12]\d{3})"
_MONTH = rf"(?P<month>{_alternation(_MONTHS)})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_NUMERIC = re.compile(r"^(?P<a>\d{1,2})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)(?P<year>[12]\d{3}|\d{2})$")
_ISO = re.compile(rf"^{_YEAR}(?P<sep>[-/])(?P<month>\d{{1,2}})(?:(?P=sep)(?P<day>\d{{1,2}}))?$")
_NAMED = [re.compile(pattern, re.IGNORECASE) for pattern in (
    rf"^{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}$",
    rf"^{_MONTH}\s+{_DAY},?\s+{_YEAR}$",
    rf"^{_MONTH},?\s+{_YEAR}$",
    rf"^{_YEAR}$",
)]


@dataclass(frozen=True)
class ParsedDate:
    """A date as precise as the line states it: `iso` is "2020", "2020-02" or "2020-02-05"
    because inventing a day or month would pass off a guess as data. `raw` keeps the line
    as written so the user can check the reading, above all when `ambiguous` is set."""

    iso: str
    precision: Precision
    ambiguous: bool
    raw: str


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _make(raw: str, year: int, month: int | None, day: int | None, ambiguous: bool = False) -> ParsedDate | None:
    if not _valid(year, 1 if month is None else month, 1 if day is None else day):
        return None
    if month is None:
        return ParsedDate(f"{year:04d}", "year", False, raw)
    if day is None:
        return ParsedDate(f"{year:04d}-{month:02d}", "month", False, raw)
    return ParsedDate(f"{year:04d}-{month:02d}-{day:02d}", "day", ambiguous, raw)


def _numeric(raw: str, match: re.Match[str], order: DateOrder) -> ParsedDate | None:
    """The setting decides only when both readings are real dates; otherwise the valid one wins."""
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


def _strip_decoration(line: str) -> tuple[str, bool]:
    """The bare date text, and whether a weekday was named (which only a full date can have)."""
    text = _MARKUP.sub(" ", line).strip()
    text = _LABEL.sub("", text)
    text, weekdays = _WEEKDAY.subn("", text)
    text = _TIME.sub("", text)
    return text.strip().rstrip(".,;").strip(), bool(weekdays)


def _parse_bare(raw: str, text: str, order: DateOrder) -> ParsedDate | None:
    if match := _NUMERIC.match(text):
        return _numeric(raw, match, order)
    if match := _ISO.match(text):
        return _make(raw, int(match["year"]), int(match["month"]), int(match["day"]) if match["day"] else None)
    for pattern in _NAMED:
        if match := pattern.match(text):
            groups = match.groupdict()
            month = _MONTHS[groups["month"].lower()] if groups.get("month") else None
            day = int(groups["day"]) if groups.get("day") else None
            return _make(raw, int(groups["year"]), month, day)
    return None


def parse_date(line: str, order: DateOrder = "day-first") -> ParsedDate | None:
    """The date a line consists of, or None when the line is anything else, so that an
    importer can try the first lines of an article without mistaking prose for its date."""
    text, has_weekday = _strip_decoration(line)
    parsed = _parse_bare(line.strip(), text, order)
    if parsed is None or (has_weekday and parsed.precision != "day"):
        return None
    return parsed
