"""The Excel report, read back by openpyxl (and LibreOffice when installed): counts, types, no formulas."""

from __future__ import annotations

import csv
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from conftest import DATA
from openpyxl import load_workbook

from workstation.formats.importing import import_paths
from workstation.formats.xlsx_report import export_xlsx
from workstation.store.stats import project_stats

FORMULA = '=HYPERLINK("http://x","y")'


@pytest.fixture
def report(project, tmp_path: Path) -> Path:
    import_paths(project, [DATA / "two_layers.jsonl"])
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(f"{FORMULA}\n\n+1 -2 @SUM(A1) \tcell\n")
    import_paths(project, [hostile])
    out = tmp_path / "report.xlsx"
    assert export_xlsx(project, out).documents == 3
    return out


def rows(book, sheet: str) -> list[tuple]:
    return list(book[sheet].iter_rows(min_row=2, values_only=True))


def test_sheets_and_counts_match_stats(project, report: Path):
    book = load_workbook(report)
    assert book.sheetnames == ["Summary", "Documents", "Actors", "Mentions", "Stances", "Events", "Event arguments",
                               "Relations", "Progress", "Agreement"]
    with project.session() as session:
        stats = project_stats(session)
    assert len(rows(book, "Documents")) == stats["document_count"]
    assert len(rows(book, "Mentions")) == sum(sum(c.values()) for c in stats["mentions"].values())
    assert len(rows(book, "Stances")) == sum(sum(c.values()) for c in stats["stances"].values())
    assert len(rows(book, "Events")) == sum(sum(c.values()) for c in stats["events"].values())
    assert len(rows(book, "Actors")) == sum(stats["actors"].values())
    assert len(rows(book, "Event arguments")) == 4
    summary = {(r[0], r[1], r[2]): r[3] for r in rows(book, "Summary")}
    assert summary[("events per type", "alice", "THREATEN")] == 1
    assert summary[("documents", None, None)] == 3
    assert summary[("event arguments per role", "alice", "source")] == 2
    relations = sum(sum(c.values()) for key in ("event_relations", "mention_relations") for c in stats[key].values())
    assert len(rows(book, "Relations")) == relations > 0


def test_event_arguments_filled_by_events_are_rows(tmp_path: Path):
    from conftest import SHARED

    from workstation.formats.brat_conf import load_conf_schema
    from workstation.store.project import create_project
    news = SHARED / "fixtures" / "brat-news"
    with create_project(tmp_path / "news.sqlite", load_conf_schema(news / "annotation.conf")) as project:
        import_paths(project, [news])
        export_xlsx(project, tmp_path / "news.xlsx")
    arguments = rows(load_workbook(tmp_path / "news.xlsx"), "Event arguments")
    filled = [r for r in arguments if r[7] is not None]
    assert filled and all(r[4] == "Event-Arg" and r[3] == "Report" and r[6] is None for r in filled)


def test_every_sheet_prints_landscape_on_the_page_width_with_its_header(report: Path):
    book = load_workbook(report)
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1, sheet.title
        assert sheet.print_title_rows == "$1:$1", sheet.title
    assert book["Summary"].page_setup.fitToHeight == 1
    assert book["Mentions"]["J2"].alignment.wrap_text
    assert {r[2] for r in rows(book, "Documents")} <= {"yes", "no"}


def test_rows_carry_title_text_context_dates_and_polarity(report: Path):
    book = load_workbook(report)
    mention = next(r for r in rows(book, "Mentions") if r[1] == "alice" and r[2] == "M03")
    assert mention[0] == "Erdogan threatens" and mention[3] == "Russia" and mention[8] == "Russia"
    assert "«Russia»" in mention[9] and "\n" not in mention[9]
    published = rows(book, "Documents")[0][1]
    assert isinstance(published, datetime) and published.date().isoformat() == "2020-02-05"
    stance_sheet = book["Stances"]
    polarity_cell = stance_sheet.cell(row=2, column=6)
    assert polarity_cell.value == -1 and polarity_cell.fill.fgColor.rgb.endswith("FFC7CE")
    header = book["Mentions"]
    assert header.freeze_panes == "A2" and header["A1"].font.bold and header.auto_filter.ref.startswith("A1:J")
    assert header.column_dimensions["J"].width == 48


def test_no_cell_is_a_formula(report: Path):
    book = load_workbook(report)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    titles = [r[0] for r in rows(book, "Documents")]
    assert FORMULA in titles
    cell = next(c for c in book["Documents"]["A"] if c.value == FORMULA)
    assert cell.data_type == "s" and cell.quotePrefix


def test_libreoffice_opens_the_report(report: Path, tmp_path: Path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed here (.ci/run installs it)")
    documents_sheet = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,2"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
                    documents_sheet, "--outdir", str(tmp_path), str(report)], check=True, capture_output=True,
                   timeout=180)
    with (tmp_path / "report-Documents.csv").open(encoding="utf-8") as handle:
        documents = list(csv.reader(handle))
    assert documents[0][:3] == ["Document", "Published", "Ambiguous date"]
    assert len(documents) == 4
    assert [FORMULA, "", "no"] == documents[3][:3]


def _cells(sheet, reference) -> list:
    """The values of a range written like 'Summary'!$B$33:$B$40 (or a single cell), from a chart's reference."""
    if not isinstance(reference, str):
        reference = (reference.strRef or reference.numRef).f
    area = reference.split("!")[1].replace("$", "")
    found = sheet[area]
    return [found.value] if not isinstance(found, tuple) else [row[0].value for row in found]


def test_summary_charts_are_bound_to_their_tables_and_a_progress_sheet_follows(project, report: Path):
    book = load_workbook(report)
    summary = book["Summary"]
    charts = summary._charts
    assert [chart.title.tx.rich.p[0].r[0].t for chart in charts] == [
        "Items per type and annotator", "Documents by status and annotator", "Mention agreement (F1) per type",
        "Agreement on labels (Cohen's κ)"]
    assert [chart.grouping for chart in charts] == ["clustered", "stacked", "clustered", "clustered"]
    with project.session() as session:
        stats = project_stats(session)
    items, statuses, f1, kappa = charts
    series = {_cells(summary, s.tx.strRef.f)[0]: dict(zip(_cells(summary, s.cat), _cells(summary, s.val.numRef.f),
                                                          strict=True)) for s in items.series}
    assert sorted(series) == ["alice", "bob"]
    for name, counts in series.items():
        assert counts["event THREATEN"] == stats["events"].get(name, {}).get("THREATEN", 0)
        assert sum(counts.values()) == sum(sum(stats[key].get(name, {}).values())
                                           for key in ("mentions", "stances", "events"))
    done = next(s for s in statuses.series if _cells(summary, s.tx.strRef.f) == ["done"])
    assert dict(zip(_cells(summary, done.cat), _cells(summary, done.val.numRef.f), strict=True)) == {
        name: counts.get("done", 0) for name, counts in stats["status"].items()}
    exact = f1.series[0]
    assert _cells(summary, exact.tx.strRef.f) == ["alice / bob F1 exact"]
    assert all(value is None or 0 <= value <= 1 for value in _cells(summary, exact.val.numRef.f))
    assert _cells(summary, kappa.series[0].cat) == ["mention types", "stance polarity"]
    assert [chart.anchor._from.col for chart in charts] == [5] * 4  # column F, right of the counts
    progress = rows(book, "Progress")
    assert book["Progress"]["A1"].value == "Annotator" and {row[0] for row in progress} >= {"alice", "bob"}
    assert progress[-1][:4] == ("gold (documents to adjudicate)", stats["gold"]["documents"], stats["gold"]["done"],
                                stats["gold"]["in progress"])


def test_libreoffice_draws_the_summary_charts(report: Path, tmp_path: Path, screenshots: Path):
    soffice, pdftoppm = shutil.which("soffice"), shutil.which("pdftoppm")
    if soffice is None or pdftoppm is None:
        pytest.skip("LibreOffice or poppler's pdftoppm is not installed here")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(report)], check=True, capture_output=True, timeout=180)
    subprocess.run([pdftoppm, "-f", "1", "-l", "1", "-r", "110", "-png", "-singlefile", str(tmp_path / "report.pdf"),
                    str(tmp_path / "summary")], check=True, timeout=60)
    from PySide6.QtGui import QImage

    page = QImage(str(tmp_path / "summary.png"))
    assert page.width() > 1000
    right = page.copy(page.width() // 3, 0, page.width() * 2 // 3, page.height())
    bars = sum(right.pixelColor(x, y).hsvSaturationF() > 0.5 for x in range(0, right.width(), 2)
               for y in range(0, right.height(), 2))
    assert bars > 300  # coloured bars were drawn beside the counts (text and grid lines are grey)
    shutil.copy(tmp_path / "summary.png", screenshots / "xlsx-report-charts.png")
