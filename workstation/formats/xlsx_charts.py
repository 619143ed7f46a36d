"""Charts on the report's Summary sheet, drawn by openpyxl from tables written on the sheet itself: every bar a
reader sees is a cell they can check, and Excel and LibreOffice both draw them (no image is embedded)."""

from __future__ import annotations

from openpyxl.chart import BarChart, Reference
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from workstation.review.report_charts import ChartData

WIDTH_CM, HEIGHT_CM = 18, 8
ROWS_PER_CHART = 17
"""Rows of the default height a chart covers, with a gap: where the next chart is anchored."""
CHART_COLUMN = "F"
"""Charts stand to the right of the Summary's four columns of counts."""


def anchor(index: int) -> str:
    return f"{CHART_COLUMN}{2 + index * ROWS_PER_CHART}"


def bar_chart(worksheet: WriteOnlyWorksheet, data: ChartData, header_row: int, index: int) -> BarChart:
    """A bar chart of the table whose header (category title, then series names) is on `header_row`, with one
    row per category below it."""
    chart = BarChart()
    chart.type = "col"
    chart.title = data.title
    chart.x_axis.title = data.categories_title
    chart.y_axis.title = data.values_title
    chart.x_axis.delete = chart.y_axis.delete = False
    if data.stacked:
        chart.grouping, chart.overlap = "stacked", 100
    last = header_row + len(data.categories)
    chart.add_data(Reference(worksheet, min_col=2, max_col=1 + len(data.series), min_row=header_row, max_row=last),
                   titles_from_data=True)
    chart.set_categories(Reference(worksheet, min_col=1, min_row=header_row + 1, max_row=last))
    chart.width, chart.height = WIDTH_CM, HEIGHT_CM
    worksheet.add_chart(chart, anchor(index))
    return chart
