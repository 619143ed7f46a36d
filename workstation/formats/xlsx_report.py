"""The supervisor's Excel report: one row per item, streamed document by document.

openpyxl's write-only mode keeps memory flat on big projects; the item sheets'
rows are encoded by `xlsx_stream` as openpyxl would write them, at a fraction
of its cost per cell. No cell is ever a formula: every string cell is typed as
text with Excel's quote prefix, so an article that says `=HYPERLINK(...)`
stays words on a page.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from workstation.core.progress import CancelCheck, Progress, never_cancelled, no_progress
from workstation.core.records import DocumentRecord, LayerRecord, Span
from workstation.core.schema import Schema
from workstation.formats.atomic import atomic_write
from workstation.formats.report import ExportReport
from workstation.formats.xlsx_charts import bar_chart
from workstation.formats.xlsx_stream import FULL_DATE, ILLEGAL_XML, CellEncoder, StreamedRows, splice_rows
from workstation.review.agreement import AgreementReport, agreement
from workstation.review.agreement_table import COLUMNS as AGREEMENT_COLUMNS
from workstation.review.agreement_table import report_rows
from workstation.review.progress import progress
from workstation.review.report_charts import ChartData, report_charts
from workstation.store.document_reader import stream_records
from workstation.store.gold_status import GOLD_STATES
from workstation.store.project import Project
from workstation.store.stats import project_stats

CONTEXT_CHARS = 60
POLARITY_FILLS = {1: PatternFill("solid", fgColor="C6EFCE"), 0: PatternFill("solid", fgColor="EDEDED"),
                  -1: PatternFill("solid", fgColor="FFC7CE")}
HEADER_FONT = Font(bold=True)
SHEETS: dict[str, list[tuple[str, int]]] = {
    "Documents": [("Document", 28), ("Published", 12), ("Ambiguous date", 10), ("Source", 20), ("URL", 30),
                  ("Characters", 10), ("Layers", 30)],
    "Actors": [("Actor id", 14), ("Name", 30), ("Type", 10), ("Kind", 12), ("Country", 8), ("Code", 10),
               ("Aliases", 30), ("Merged into", 14), ("First document", 40)],
    "Mentions": [("Document", 28), ("Annotator", 12), ("Mention id", 12), ("Text", 25), ("Start", 8), ("End", 8),
                 ("Mention type", 12), ("Label", 10), ("Actor", 25), ("Context", 48)],
    "Stances": [("Document", 28), ("Annotator", 12), ("Stance id", 12), ("Holder", 25), ("Label", 12),
                ("Polarity", 9), ("Target", 25), ("Issue", 25), ("Issue position", 9), ("Strength", 9),
                ("Implicit target", 9), ("Evidence", 40), ("Context", 48)],
    "Events": [("Document", 28), ("Annotator", 12), ("Event id", 12), ("Type", 12), ("Trigger", 20),
               ("Realis", 12), ("Negated", 9), ("Modes", 20), ("Date", 12), ("Attributes", 40), ("Context", 48)],
    "Event arguments": [("Document", 28), ("Annotator", 12), ("Event id", 12), ("Event type", 12), ("Role", 12),
                        ("Text", 30), ("Mention id", 12), ("Filled by event", 12), ("Actor", 25), ("Context", 48)],
    "Relations": [("Document", 28), ("Annotator", 12), ("Between", 9), ("Type", 14), ("From id", 12),
                  ("From", 30), ("To id", 12), ("To", 30), ("Context", 48)],
}
WRAP = Alignment(wrap_text=True, vertical="top")
WRAPPED_WIDTH = 25
"""Columns at least this wide hold running text (titles, names, context) and wrap when printed."""
LINE_POINTS = 13
MAX_LINES = 12
"""A wrapped row grows to at most this many lines: a long title or context stays readable, not a page."""
PLAIN = (int,)
"""Types written as they are: never text, so never a formula, and without a number format of ours."""
AGREEMENT_WIDTHS = (40, 22, 18, 14, 8, 8, 8, 8, 8)
YES_NO = {True: "yes", False: "no"}
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

    def __init__(self, book: Workbook, title: str, columns: list[tuple[str, int]], pages_high: int = 0):
        self.sheet: WriteOnlyWorksheet = book.create_sheet(title)
        self.width = len(columns)
        self.rows = 1
        self.text_cells: dict[tuple[str, PatternFill | None, bool], WriteOnlyCell] = {}
        self.widths = [width for _, width in columns]
        self.wrapped = {index for index, width in enumerate(self.widths) if width >= WRAPPED_WIDTH}
        self.line_widths = [(index, max(self.widths[index] - 2, 1)) for index in sorted(self.wrapped)]
        """(column, characters per printed line) of the wrapped columns."""
        for index, (_, width) in enumerate(columns, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.sheet.freeze_panes = "A2"
        self._print_setup(pages_high)
        self.sheet.append([self.cell(name, font=HEADER_FONT) for name, _ in columns])

    def _print_setup(self, pages_high: int) -> None:
        """Printed, a sheet reads as a document: landscape, all columns on the page width, the header row on
        every page; `pages_high` 1 keeps a short sheet (the Summary) on one page, 0 lets rows run on."""
        self.sheet.page_setup.orientation = "landscape"
        self.sheet.page_setup.paperSize = "9"  # A4
        self.sheet.page_setup.fitToWidth = 1
        self.sheet.page_setup.fitToHeight = pages_high
        self.sheet.sheet_properties.pageSetUpPr.fitToPage = True
        self.sheet.print_title_rows = "1:1"
        self.sheet.print_options.gridLines = True

    def text_cell(self, value: str, fill: PatternFill | None, wrap: bool = False) -> WriteOnlyCell:
        """The cell of a string, made once per distinct string and fill and written again wherever it recurs:
        titles, annotators, labels and names repeat on every row, and a fresh styled cell cost openpyxl more than
        writing it. A write-only sheet writes a row as it is appended, placing each cell then, so one cell
        object can stand in several rows and columns."""
        key = (value, fill, wrap)
        cell = self.text_cells.get(key)
        if cell is None:
            if len(self.text_cells) == TEXT_CELLS_KEPT:
                self.text_cells.clear()
            cell = self.text_cells[key] = self.cell(value, fill=fill)
            if wrap:
                cell.alignment = WRAP
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
        """Numbers and blanks without a fill go in as plain values, which openpyxl writes through one reused
        cell; a cell object of ours costs it a failed conversion and a fresh cell each. Booleans print as
        yes/no (TRUE/FALSE reads as a formula result on paper)."""
        values = [YES_NO[value] if type(value) is bool else value for value in values]
        height = self._row_height(values)
        if height:
            self.sheet.row_dimensions[self.rows + 1].height = height
        self.sheet.append([value if index != fill_column and (value is None or type(value) in PLAIN)
                           else self.text_cell(value, fill if index == fill_column else None, index in self.wrapped)
                           if type(value) is str
                           else self.cell(value, fill=fill if index == fill_column else None)
                           for index, value in enumerate(values)])
        self.sheet.row_dimensions.pop(self.rows + 1, None)
        self.rows += 1

    def _row_height(self, values: list[Any]) -> int | None:
        """Spreadsheets do not grow a row for wrapped text they did not lay out themselves, so the row gets the
        height of its longest wrapped cell (None: the default height); an entry in `row_dimensions` goes as soon
        as the row is written (memory stays flat)."""
        lines = 1
        for index, line in self.line_widths:
            value = values[index] if index < len(values) else None
            if isinstance(value, str) and len(value) >= line:
                lines = max(lines, len(value) // line + 1)
        return LINE_POINTS * min(lines, MAX_LINES) if lines > 1 else None

    def finish(self) -> None:
        self.sheet.auto_filter.ref = f"A1:{get_column_letter(self.width)}{self.rows}"


class _ItemSheet(_Sheet):
    """A sheet of the report's items: set up and headed by openpyxl, its rows encoded by `StreamedRows` into a
    file of their own and spliced into the workbook when it is saved (`splice_rows`)."""

    def __init__(self, book: Workbook, title: str, columns: list[tuple[str, int]]):
        super().__init__(book, title, columns)
        self.streamed = StreamedRows(CellEncoder(self._styled), self.width)

    def _styled(self, value: Any, fill: PatternFill | None, wrap: bool) -> WriteOnlyCell:
        """The cell `append` would give openpyxl for this value: wrapped when it is text (or a date written as
        text) in a wrapped column."""
        cell = self.cell(value, fill=fill)
        if wrap and isinstance(value, str | date):
            cell.alignment = WRAP
        return cell

    def append(self, values: Iterable[Any], fill_column: int | None = None, fill: PatternFill | None = None) -> None:
        values = [YES_NO[value] if type(value) is bool else value for value in values]
        self.rows += 1
        self.streamed.write(self.rows, values, self._row_height(values), fill_column, fill, self.wrapped)


SUMMARY_COUNTS = (("status", "documents per status"), ("mentions", "mentions per label"),
                  ("stances", "stances per label"), ("events", "events per type"),
                  ("event_arguments", "event arguments per role"), ("event_relations", "event relations per type"),
                  ("mention_relations", "mention relations per type"), ("attributes", "attributes per name"))


PROGRESS_COLUMNS = [("Annotator", 24), ("Assigned", 10), ("Done", 10), ("In progress", 10), ("Items", 10),
                    ("Hours", 10), ("Items per hour", 12), ("Last activity (UTC)", 20)]
GOLD_ROW = "gold (documents to adjudicate)"


def _summary(book: Workbook, stats: dict[str, Any], charts: list[ChartData]) -> None:
    """The counts, then each chart's table below them, its chart to the right of the counts."""
    sheet = _Sheet(book, "Summary", [("Count of", 24), ("Annotator", 14), ("Value", 24), ("Count", 10)], pages_high=1)
    sheet.append(["documents", None, None, stats["document_count"]])
    for key, title in SUMMARY_COUNTS:
        for annotator, counts in stats[key].items():
            for value, count in counts.items():
                sheet.append([title, annotator, value, count])
    for actor_type, count in stats["actors"].items():
        sheet.append(["actors per type", None, actor_type, count])
    for state in GOLD_STATES:
        sheet.append(["gold documents per state", None, state, stats["gold"][state]])
    sheet.finish()
    for index, data in enumerate(charts):
        sheet.append([])
        header = sheet.rows + 1
        sheet.append([data.categories_title, *data.series])
        for row, category in enumerate(data.categories):
            sheet.append([category, *(values[row] for values in data.series.values())])
        bar_chart(sheet.sheet, data, header, index)


def _progress_sheet(book: Workbook, project: Project, stats: dict[str, Any]) -> None:
    """Each annotator's progress, as the dashboard shows it, and how far gold has come."""
    sheet = _Sheet(book, "Progress", PROGRESS_COLUMNS)
    with project.session() as session:
        entries = progress(session)
    for entry in entries:
        sheet.append([entry.name, entry.assigned, entry.done, entry.in_progress, entry.items, round(entry.hours, 2),
                      None if entry.items_per_hour is None else round(entry.items_per_hour, 1),
                      entry.last_activity.isoformat(sep=" ", timespec="minutes") if entry.last_activity else None])
    gold = stats["gold"]
    sheet.append([GOLD_ROW, gold["documents"], gold["done"], gold["in progress"]])
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

    def __init__(self, sheets: dict[str, _ItemSheet], schema: Schema):
        self.sheets = sheets
        self.polarity: Callable[[str], int] = schema.polarity
        self.roles = {name: set(event.roles) for name, event in schema.event_types.items()}
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
                        [title, layer.annotator, e.id, e.type, a.role, text[span[0]:span[1]], a.mention, None,
                         names.get(mention.actor) if mention else None, context(text, span)])
            self._relations(title, text, layer)

    def _relations(self, title: str, text: str, layer: LayerRecord) -> None:
        """An event filling a role of another event is an argument row; other event relations (CAUSE, ...)
        and mention relations are rows of the Relations sheet."""
        events = {e.id: e for e in layer.events}
        for r in layer.relations:
            source, target = events[r.source], events[r.target]
            if r.type in self.roles.get(source.type, ()):
                self.sheets["Event arguments"].append(
                    [title, layer.annotator, source.id, source.type, r.type, text[slice(*target.trigger)], None,
                     target.id, None, context(text, target.trigger)])
            else:
                self.sheets["Relations"].append(
                    [title, layer.annotator, "events", r.type, source.id, text[slice(*source.trigger)], target.id,
                     text[slice(*target.trigger)], context(text, source.trigger)])
        mentions = {m.id: m for m in layer.mentions}
        for link in layer.mention_relations:
            first, second = mentions[link.source], mentions[link.target]
            self.sheets["Relations"].append(
                [title, layer.annotator, "mentions", link.type, first.id, text[first.start:first.end], second.id,
                 text[second.start:second.end], context(text, (first.start, first.end))])


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
        compared = None
        with project.session() as session:
            if layer is None:
                compared = agreement(session, cancel=cancel)
            stats = project_stats(session)
        _summary(book, stats, report_charts(stats, compared if compared and compared.documents else None))
        sheets = {title: _ItemSheet(book, title, columns) for title, columns in SHEETS.items()}
        try:
            rows = _Rows(sheets, project.schema)
            count = 0
            for count, record in enumerate(stream_records(project, layer, status, progress, cancel), start=1):
                rows.add(record)
            for sheet in sheets.values():
                sheet.finish()
            _progress_sheet(book, project, stats)
            if compared is not None and compared.documents:
                agreement_sheet(book, compared)
            with tempfile.TemporaryFile() as saved:
                book.save(saved)
                splice_rows(saved, handle, {sheet.sheet.path[1:]: sheet.streamed for sheet in sheets.values()})
        finally:
            for sheet in sheets.values():
                sheet.streamed.close()
    return ExportReport(count)
