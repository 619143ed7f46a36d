"""The supervisor's dashboard: agreement overall and per document, and each annotator's progress.

It stays open beside the main window (never modal) and computes in the
background, because agreement over a large project reads every layer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workstation.core.progress import Cancelled
from workstation.review.agreement import AgreementReport, agreement
from workstation.review.agreement_table import (
    COLUMNS,
    DOCUMENT_COLUMNS,
    UNDEFINED,
    Figure,
    defined,
    document_rows,
    number,
    overall_rows,
)
from workstation.review.progress import AnnotatorProgress, progress
from workstation.review.report_charts import ChartData, report_charts
from workstation.store.project import Project
from workstation.store.stats import project_stats
from workstation.ui.background import BackgroundTask

if TYPE_CHECKING:
    from workstation.ui.dashboard_charts import ChartsPanel
from workstation.ui.confusion_panel import ConfusionPanel

PROGRESS_COLUMNS = ("Annotator", "Assigned", "Done", "In progress", "Items", "Hours", "Items per hour",
                    "Last activity (UTC)")
LEGEND = ("The first annotator of a pair is the reference. P, R, F1: mentions, stances and events; "
          "Share and κ: mention types, actor links and stance polarity; α: mention types across all annotators. "
          "— means not defined (nothing to compare, or no variation); a blank cell means not measured.")


def _table(columns: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


def _fill(table: QTableWidget, rows: Sequence[Sequence[Figure | int]]) -> None:
    table.setRowCount(len(rows))
    for row, values in enumerate(rows):
        for column, value in enumerate(values):
            item = QTableWidgetItem(number(value))
            if not isinstance(value, str) or value == UNDEFINED:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, column, item)


def _progress_row(entry: AnnotatorProgress) -> tuple[Figure | int, ...]:
    last = entry.last_activity.strftime("%Y-%m-%d %H:%M") if entry.last_activity else UNDEFINED
    return (entry.name, entry.assigned, entry.done, entry.in_progress, entry.items, entry.hours,
            defined(entry.items_per_hour), last)


class AgreementDashboard(QDialog):
    def __init__(self, project: Project, parent: QWidget | None = None):
        super().__init__(parent)
        self.project = project
        self.setWindowTitle("Agreement and progress")
        self.setModal(False)
        self.summary = QLabel("Computing agreement…")
        self.summary.setWordWrap(True)
        self.overall = _table(COLUMNS[1:])
        self.documents = _table(DOCUMENT_COLUMNS)
        self.progress = _table(PROGRESS_COLUMNS)
        self.charts = QWidget()
        """The Charts tab: its panel is made once pyqtgraph has loaded (see `recompute`)."""
        self.charts.setLayout(QVBoxLayout())
        self.charts.layout().addWidget(QLabel("Computing…"))
        self.chart_panel: ChartsPanel | None = None
        self.confusion = ConfusionPanel(project)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.overall, "Overall")
        self.tabs.addTab(self.documents, "Per document")
        self.tabs.addTab(self.progress, "Progress")
        self.tabs.addTab(self.charts, "Charts")
        self.tabs.addTab(self.confusion, "Confusion of types")
        legend = QLabel(LEGEND)
        legend.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        self.recompute_button = QPushButton("Recompute")
        self.recompute_button.clicked.connect(self.recompute)
        buttons.addButton(self.recompute_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs)
        layout.addWidget(legend)
        layout.addWidget(buttons)
        self.resize(1000, 560)
        self.task = self.recompute()

    def recompute(self) -> BackgroundTask:
        """Start a fresh computation; tests wait on the returned task's `done`."""
        project = self.project
        self.recompute_button.setEnabled(False)
        self.summary.setText("Computing agreement…")

        def compute(report_progress, cancel) -> tuple[AgreementReport, list[AnnotatorProgress], list[ChartData]]:
            import pyqtgraph  # noqa: F401 (loads here, off the GUI thread: the charts module needs it next)

            with project.session() as session:
                report = agreement(session, progress=report_progress, cancel=cancel)
                charts = report_charts(project_stats(session), report if report.documents else None)
                return report, progress(session), charts

        self.task = BackgroundTask(self, "Computing agreement…", compute)
        self.task.done.connect(self._show)
        self.task.error.connect(self._failed)
        self.task.start()
        return self.task

    def _show(self, result: tuple[AgreementReport, list[AnnotatorProgress], list[ChartData]]) -> None:
        report, people, charts = result
        self.recompute_button.setEnabled(True)
        annotators = ", ".join(report.annotators) or "none"
        if report.documents:
            self.summary.setText(f"{len(report.documents)} document(s) with two or more layers of: {annotators}.")
        else:
            self.summary.setText(f"No document has two or more layers yet (annotators: {annotators}).")
        _fill(self.overall, [row[1:] for row in overall_rows(report)])
        _fill(self.documents, document_rows(report))
        _fill(self.progress, [_progress_row(entry) for entry in people])
        self._chart_panel().show_charts(charts)
        self.confusion.set_annotators(report.annotators)

    def _chart_panel(self) -> ChartsPanel:
        """The charts' panel, made in place of the tab's placeholder the first time figures come in."""
        from workstation.ui.dashboard_charts import ChartsPanel

        if self.chart_panel is None:
            placeholder = self.charts.layout().takeAt(0).widget()
            placeholder.hide()
            placeholder.deleteLater()
            self.chart_panel = ChartsPanel()
            self.charts.layout().addWidget(self.chart_panel)
        return self.chart_panel

    def _failed(self, error: object) -> None:
        self.recompute_button.setEnabled(True)
        self.summary.setText("Cancelled." if isinstance(error, Cancelled) else f"Could not compute agreement: {error}")
