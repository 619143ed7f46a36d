"""Open a 10,000-document project in the main window and show the first document; switch documents.

Baseline: a raw `sqlite3` query of what the list shows (id, title, date and the
annotator's mention count per document), in the same run. Settings go to a
throw-away location (QStandardPaths test mode) so the user's own are untouched.
With `server` (a PostgreSQL URL a database can be made on), the same project is
transferred to a server database and opened there too: its figures come with
their ratios to the file's. There the window shows the same layer as on the file (the corpus's annotator,
read-only: the server's login is another user), so both read and paint the same spans.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QApplication

from benchmarks.import_speed import write_corpus
from benchmarks.scratch_database import scratch_database
from workstation.formats.importing import import_paths
from workstation.store.project import create_project

CORPUS_ANNOTATOR = "bench"
"""Whose layers `write_corpus` writes (and the file's user here)."""
SWITCHES = 50
LIST_QUERY = """SELECT d.id, d.title, d.published, COUNT(m.id) FROM document d
                LEFT JOIN mention m ON m.document_id = d.id GROUP BY d.id ORDER BY d.rowid"""


def raw_list_seconds(path: Path) -> float:
    import sqlite3
    connection = sqlite3.connect(path)
    started = time.perf_counter()
    connection.execute(LIST_QUERY).fetchall()
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def run(count: int = 10_000, mentions_per_doc: int = 50, server: str | None = None) -> dict[str, float]:
    app = QApplication.instance() or QApplication([])
    QStandardPaths.setTestModeEnabled(True)
    app.setOrganizationName("WorkstationBenchmarks")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _, jsonl = write_corpus(folder, count, mentions_per_doc)
        path = folder / "corpus.sqlite"
        with create_project(path) as project:
            import_paths(project, [jsonl])
        baseline = raw_list_seconds(path)
        QSettings().setValue("annotator", CORPUS_ANNOTATOR)
        figures = {"raw_list_query_s": round(baseline, 3), **_window_figures(app, path, count)}
        figures["open_ratio"] = round(figures["open_and_show_first_s"] / baseline, 1)
        if server is not None:
            on_server = _server_figures(app, server, path, count)
            figures.update({f"server_{key}": value for key, value in on_server.items()})
            figures.update({f"server/file {key}": round(on_server[key] / figures[key], 2)
                            for key in ("open_and_show_first_s", "switch_median_ms", "switch_max_ms")})
    return figures


def _window_figures(app: QApplication, ref: str | Path, count: int) -> dict[str, float]:
    """The user's path: open the project in the window and show its first document, then switch documents."""
    from workstation.ui.main_window import MainWindow

    window = MainWindow()
    window.resize(1200, 800)
    window.show()
    started = time.perf_counter()
    window.open_project(ref)
    app.processEvents()
    opened = time.perf_counter() - started
    if window.annotator != CORPUS_ANNOTATOR:
        window.layer_choice.setCurrentIndex(window.layer_choice.findData(CORPUS_ANNOTATOR))
        window.layer_choice.activated.emit(window.layer_choice.currentIndex())
        app.processEvents()
    switches = []
    for row in range(1, count, max(1, count // SWITCHES)):
        started = time.perf_counter()
        window.table.selectRow(row)
        app.processEvents()
        switches.append(time.perf_counter() - started)
    rows = window.model.rowCount()
    window.close()
    return {"documents": rows, "open_and_show_first_s": round(opened, 3),
            "switch_median_ms": round(statistics.median(switches) * 1000, 1),
            "switch_max_ms": round(max(switches) * 1000, 1)}


def _server_figures(app: QApplication, server: str, path: Path, count: int) -> dict[str, float]:
    """The same project transferred into a new database on the server, opened the same way."""
    from workstation.store.transfer import transfer

    with scratch_database(server, "ws_open_speed") as url:
        transfer(path, url)
        return _window_figures(app, url, count)
