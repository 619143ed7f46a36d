"""The supervisor's Excel report: one row per item, streamed document by document.

openpyxl's write-only mode keeps memory flat on big projects. No cell is ever
a formula: every string cell is typed as text with Excel's quote prefix, so an
article that says `=HYPERLINK(...)` stays words on a page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from workstation.core.progress import CancelCheck, Progress, never_cancelled, no_progress
from workstation.core.records import DocumentRecord, Span
from workstation.formats.atomic import atomic_write
from workstation.formats.report import ExportReport
from workstation.review.agreement import AgreementReport, agreement
from workstation.review.agreement_table import COLUMNS as AGREEMENT_COLUMNS
from workstation.review.agreement_table import report_rows
from workstation.store.document_reader import stream_records
from workstation.store.project import Project
from workstation.store.stats import project_stats

CONTEXT_CHARS = 60
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
POLARITY_FILLS = {1: PatternFill("solid", fgColor="C6EFCE"), 0: PatternFill("solid", fgColor="EDEDED"),
                  -1: PatternFill("solid", fgColor="FFC7CE")}
HEADER_FONT = Font(bold=True)
SHEETS: dict[str, list[tuple[str, int]]] = {
    "Documents": [("Document", 40), ("Published", 12), ("Ambiguous date", 10), ("Source", 20), ("URL", 30),
                  ("Characters", 10), ("Layers", 30)],
    "Actors": [("Actor id", 14), ("Name", 30), ("Type", 10), ("Kind", 12), ("Country", 8), ("Code", 10),
               ("Aliases", 30), ("Merged into", 14), ("First document", 40)],
    "Mentions": [("Document", 40), ("Annotator", 12), ("Mention id", 12), ("Text", 25), ("Start", 8), ("End", 8),
                 ("Mention type", 12), ("Label", 10), ("Actor", 25), ("Context", 70)],
    "Stances": [("Document", 40), ("Annotator", 12), ("Stance id", 12), ("Holder", 25), ("Label", 12),
                ("Polarity", 9), ("Target", 25), ("Issue", 25), ("Issue position", 9), ("Strength", 9),
                ("Implicit target", 9), ("Evidence", 40), ("Context", 70)],
    "Events": [("Document", 40), ("Annotator", 12), ("Event id", 12), ("Type", 12), ("Trigger", 20),
               ("Realis", 12), ("Negated", 9), ("Modes", 20), ("Date", 12), ("Attributes", 40), ("Context", 70)],
    "Event arguments": [("Document", 40), ("Annotator", 12), ("Event id", 12), ("Event type", 12), ("Role", 12),
                        ("Text", 30), ("Mention id", 12), ("Actor", 25), ("Context", 70)],
}
PLAIN = (int, bool)
"""Types written as they are: never text, so never a formula, and without a number format of ours."""
AGREEMENT_WIDTHS = (40, 22, 18, 14, 8, 8, 8, 8, 8)
TEXT_CELLS_KEPT = 10_000
"""Distinct strings whose cells a sheet keeps for reuse; when full it starts again, so memory stays flat."""


def context(text: str, span: Span) -> str:
    """The span in «», with some text either side, on one line."""
    start, end = span
    before = text[max(0, start - CONTEXT_CHARS):start]
    after = text[end:end + CONTEXT_CHARS]
    return " ".join(f"{before}«{text[start:end]}»{after}".split())


class _Sheet:
    """A write-only sheet whose string cells are always text, never formulas."""

    def __init__(self, book: Workbook, title: str, columns: list[tuple[str, int]]):
        self.sheet: WriteOnlyWorksheet = book.create_sheet(title)
        self.width = len(columns)
        self.rows = 1
        self.text_cells: dict[tuple[str, PatternFill | None], WriteOnlyCell] = {}
        for index, (_, width) in enumerate(columns, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.sheet.freeze_panes = "A2"
        self.sheet.append([self.cell(name, font=HEADER_FONT) for name, _ in columns])

    def text_cell(self, value: str, fill: PatternFill | None) -> WriteOnlyCell:
        """The cell of a string, made once per distinct string and fill and written again wherever it recurs:
        titles, annotators, labels and names repeat on every row, and a fresh styled cell cost openpyxl more than
        writing it. A write-only sheet writes a row as it is appended, placing each cell then, so one cell
        object can stand in several rows and columns."""
        key = (value, fill)
        cell = self.text_cells.get(key)
        if cell is None:
            if len(self.text_cells) == TEXT_CELLS_KEPT:
                self.text_cells.clear()
            cell = self.text_cells[key] = self.cell(value, fill=fill)
        return cell

    def cell(self, value: Any, font: Font | None = None, fill: PatternFill | None = None) -> WriteOnlyCell:
        if isinstance(value, str):
            value = ILLEGAL_XML.sub("\ufffd", value)
            if FULL_DATE.match(value):
                value = date.fromisoformat(value)
        cell = WriteOnlyCell(self.sheet, value)
        if isinstance(value, str):
            cell.data_type = "s"
            cell.quotePrefix = True
        elif isinstance(value, date):
            cell.number_format = "yyyy-mm-dd"
        elif isinstance(value, float):
            cell.number_format = "0.000"
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        return cell

    def append(self, values: Iterable[Any], fill_column: int | None = None, fill: PatternFill | None = None) -> None:
        """Numbers, booleans and blanks without a fill go in as plain values, which openpyxl writes through
        one reused cell; a cell object of ours costs it a failed conversion and a fresh cell each."""
        self.sheet.append([value if index != fill_column and (value is None or type(value) in PLAIN)
                           else self.text_cell(value, fill if index == fill_column else None) if type(value) is str
                           else self.cell(value, fill=fill if index == fill_column else None)
                           for index, value in enumerate(values)])
        self.rows += 1

    def finish(self) -> None:
        self.sheet.auto_filter.ref = f"A1:{get_column_letter(self.width)}{self.rows}"


def _summary(book: Workbook, stats: dict[str, Any]) -> None:
    sheet = _Sheet(book, "Summary", [("Count of", 24), ("Annotator", 14), ("Value", 24), ("Count", 10)])
    sheet.append(["documents", None, None, stats["document_count"]])
    for key, title in (("status", "documents per status"), ("mentions", "mentions per label"),
                       ("stances", "stances per label"), ("events", "events per type")):
        for annotator, counts in stats[key].items():
            for value, count in counts.items():
                sheet.append([title, annotator, value, count])
    for actor_type, count in stats["actors"].items():
        sheet.append(["actors per type", None, actor_type, count])
    sheet.finish()


def agreement_sheet(book: Workbook, report: AgreementReport) -> None:
    """Overall rows first, then each document's; undefined figures are a dash, unmeasured ones blank."""
    sheet = _Sheet(book, "Agreement", list(zip(AGREEMENT_COLUMNS, AGREEMENT_WIDTHS, strict=True)))
    for row in report_rows(report):
        sheet.append(row)
    sheet.finish()


def export_agreement_xlsx(report: AgreementReport, out: Path) -> None:
    """A workbook with just the Agreement sheet, for `agreement --out`."""
    with atomic_write(out, "wb") as handle:
        book = Workbook(write_only=True)
        agreement_sheet(book, report)
        book.save(handle)


class _Rows:
    """Turns one document record into rows of every sheet."""

    def __init__(self, sheets: dict[str, _Sheet], polarity: Callable[[str], int]):
        self.sheets = sheets
        self.polarity = polarity
        self.seen_actors: set[str] = set()

    def add(self, record: DocumentRecord) -> None:
        names = {actor.id: actor.name for actor in record.actors}
        title, text = record.title or record.id, record.text
        self.sheets["Documents"].append([title, record.published, record.date_ambiguous, record.source, record.url,
                                         len(text), ", ".join(f"{layer.annotator} ({layer.status})"
                                                              for layer in record.layers)])
        for actor in record.actors:
            if actor.id not in self.seen_actors:
                self.seen_actors.add(actor.id)
                self.sheets["Actors"].append([actor.id, actor.name, actor.type, actor.kind, actor.country,
                                              actor.code, ", ".join(actor.aliases), actor.merged_into, title])
        for layer in record.layers:
            mentions = {m.id: m for m in layer.mentions}
            for m in layer.mentions:
                self.sheets["Mentions"].append([title, layer.annotator, m.id, text[m.start:m.end], m.start, m.end,
                                                m.type, m.label, names.get(m.actor), context(text, (m.start, m.end))])
            for s in layer.stances:
                evidence = text[s.evidence[0]:s.evidence[1]] if s.evidence else None
                polarity = self.polarity(s.label)
                self.sheets["Stances"].append(
                    [title, layer.annotator, s.id, names.get(s.holder), s.label, polarity, names.get(s.target),
                     s.issue, s.issue_position, s.strength, s.implicit_target, evidence,
                     context(text, s.evidence) if s.evidence else None], fill_column=5, fill=POLARITY_FILLS[polarity])
            for e in layer.events:
                attributes = {k: v for k, v in e.attributes.items() if k not in ("realis", "negated", "mode")}
                self.sheets["Events"].append(
                    [title, layer.annotator, e.id, e.type, text[e.trigger[0]:e.trigger[1]], e.attributes.get("realis"),
                     e.attributes.get("negated"), ", ".join(e.attributes.get("mode", [])), e.date,
                     ", ".join(f"{k}={v}" for k, v in attributes.items()), context(text, e.trigger)])
                for a in e.arguments:
                    mention = mentions.get(a.mention)
                    span = (mention.start, mention.end) if mention else a.span
                    self.sheets["Event arguments"].append(
                        [title, layer.annotator, e.id, e.type, a.role, text[span[0]:span[1]], a.mention,
                         names.get(mention.actor) if mention else None, context(text, span)])


def export_xlsx(project: Project, out: Path, layer: str | None = None, status: str | None = None,
                progress: Progress = no_progress, cancel: CancelCheck = never_cancelled) -> ExportReport:
    """Write the report; returns the number of documents in it.

    The Agreement sheet is added when the report covers every layer (no
    `layer` chosen) and some documents have two or more; it compares all
    annotators but gold, whatever the status filter. The file is opened
    before any sheet is written: openpyxl's write-only sheets, left unsaved
    when the file cannot be written, would print tracebacks as they are
    collected.
    """
    with atomic_write(out, "wb") as handle:
        book = Workbook(write_only=True)
        with project.session() as session:
            _summary(book, project_stats(session))
        sheets = {title: _Sheet(book, title, columns) for title, columns in SHEETS.items()}
        rows = _Rows(sheets, project.schema.polarity)
        count = 0
        for count, record in enumerate(stream_records(project, layer, status, progress, cancel), start=1):
            rows.add(record)
        for sheet in sheets.values():
            sheet.finish()
        if layer is None:
            with project.session() as session:
                compared = agreement(session, cancel=cancel)
            if compared.documents:
                agreement_sheet(book, compared)
        book.save(handle)
    return ExportReport(count)
