"""Plain-text and markdown news articles: the whole file is the text; title and date are read from it.

The stored text keeps every markup character (`---`, `**`, related-link lines),
so offsets agree with any other tool that reads the same file; only the
title is cleaned of markup.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from workstation.core.dates import DateOrder, parse_date
from workstation.core.records import DocumentRecord
from workstation.formats.reading import read_text

ArticleFormat = Literal["text", "markdown"]

RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,}|={3,})\s*$")
MARKDOWN_HINTS = re.compile(r"^(?:#{1,6}\s|\*\*.+\*\*\s*$|-{3,}\s*$)|\]\(", re.MULTILINE)
HEADING_MARKS = re.compile(r"^#{1,6}\s+")
EMPHASIS = re.compile(r"^(\*\*|__|\*|_)(.+)\1$")
DATE_SEARCH_LINES = 3


def looks_like_markdown(text: str) -> bool:
    return MARKDOWN_HINTS.search(text) is not None


def _content_lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip() and not RULE.match(line)]


def _clean_title(line: str) -> str:
    line = HEADING_MARKS.sub("", line)
    while match := EMPHASIS.match(line):
        line = match.group(2).strip()
    return line


def parse_article(text: str, fmt: ArticleFormat, date_order: DateOrder = "day-first") -> DocumentRecord:
    """Title = first content line (markup removed for markdown); date = a date line just below it."""
    lines = _content_lines(text)
    title = lines[0] if lines else ""
    if fmt == "markdown":
        title = _clean_title(title)
    record = DocumentRecord(text=text, title=title)
    for line in lines[1:1 + DATE_SEARCH_LINES]:
        parsed = parse_date(line, date_order)
        if parsed is not None:
            record.published, record.date_raw, record.date_ambiguous = parsed.iso, parsed.raw, parsed.ambiguous
            break
    return record


def read_article(path: Path, fmt: ArticleFormat | None, date_order: DateOrder = "day-first") -> DocumentRecord:
    """Read one article file; with no format given, markdown is recognised by its markup."""
    text = read_text(path)
    if fmt is None:
        fmt = "markdown" if path.suffix.lower() in (".md", ".markdown") or looks_like_markdown(text) else "text"
    record = parse_article(text, fmt, date_order)
    record.source = path.name
    record.origin = str(path)
    return record
