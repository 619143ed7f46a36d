"""CSV files with one article per row: the user names the text, title and date columns."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from workstation.core.dates import DateOrder, parse_date
from workstation.core.errors import UserError
from workstation.core.records import DocumentRecord
from workstation.core.text import normalise_text
from workstation.formats.reading import decode_utf8

FIELD_LIMIT = 2**31 - 1
"""A whole article may sit in one cell; the csv module's default limit (128 KB) would refuse a long one."""


@dataclass(frozen=True)
class CsvColumns:
    """Column names chosen by the user; title and date default to columns so named, when present."""

    text: str = "text"
    title: str | None = None
    date: str | None = None


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _resolve_columns(path: Path, header: list[str], columns: CsvColumns) -> CsvColumns:
    """Refuse a chosen column that is absent; fill unchosen title/date from same-named columns."""
    listing = ", ".join(name.replace("\n", "\\n").replace("\r", "\\r") for name in header)[:200] or "none"
    if columns.text not in header:
        raise UserError(f"no text column '{columns.text}' (columns: {listing}); choose one with --text-column",
                        file=path, line=1)
    for option, name in (("--title-column", columns.title), ("--date-column", columns.date)):
        if name is not None and name not in header:
            raise UserError(f"no column '{name}' (columns: {listing}); check {option}", file=path, line=1)
    return CsvColumns(text=columns.text,
                      title=columns.title or ("title" if "title" in header else None),
                      date=columns.date or ("date" if "date" in header else None))


def read_csv(path: Path, columns: CsvColumns, date_order: DateOrder = "day-first") -> Iterator[DocumentRecord]:
    """Yield one record per row; a malformed row or an empty text names its line."""
    text = decode_utf8(path.read_bytes(), path)
    if not text.strip():
        raise UserError("the file is empty", file=path)
    csv.field_size_limit(FIELD_LIMIT)
    dialect = _dialect(text[:4096])
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    header = [name.strip() for name in reader.fieldnames or []]
    reader.fieldnames = header
    columns = _resolve_columns(path, header, columns)
    first = reader.line_num + 1
    try:
        for row in reader:
            record = _record(path, first, row, columns, date_order)
            if reader.line_num > first:
                _note_long_row(record, first, reader.line_num, dialect.delimiter)
            yield record
            first = reader.line_num + 1
    except csv.Error as error:
        raise UserError(f"malformed CSV ({error})", file=path, line=first) from None


def _note_long_row(record: DocumentRecord, first: int, last: int, delimiter: str) -> None:
    """A quoted cell over several lines is legal, but one that holds what look like whole rows is most often an
    unterminated quote that swallowed them: say so, with the line, rather than import them as one article."""
    swallowed = [line for line in record.text.split("\n")[1:] if delimiter in line]
    if swallowed:
        record.warnings.append(f"{record.origin}:{first}: the row runs on to line {last} and a cell holds "
                               f"{len(swallowed)} line(s) that look like rows; is a quote left open?")


def _record(path: Path, line: int, row: dict[str, str | None], columns: CsvColumns,
            date_order: DateOrder) -> DocumentRecord:
    if None in row:
        raise UserError("more fields than the header has", file=path, line=line)
    body = normalise_text(row.get(columns.text) or "")
    if not body.strip():
        raise UserError(f"empty text in column '{columns.text}'", file=path, line=line)
    record = DocumentRecord(text=body, title=(row.get(columns.title) or "").strip() if columns.title else "",
                            origin=str(path), line=line, source=path.name)
    raw_date = (row.get(columns.date) or "").strip() if columns.date else ""
    if raw_date:
        parsed = parse_date(raw_date, date_order)
        if parsed is None:
            raise UserError(f"cannot read the date '{raw_date}' in column '{columns.date}'", file=path, line=line)
        record.published, record.date_raw, record.date_ambiguous = parsed.iso, parsed.raw, parsed.ambiguous
    record.id = row.get("id") or None
    record.url = row.get("url") or None
    record.source = row.get("source") or record.source
    record.language = row.get("language") or None
    return record
