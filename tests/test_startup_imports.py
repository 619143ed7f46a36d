"""Start-up loads only what start-up needs (DESIGN §9): spaCy, openpyxl, Alembic and pyqtgraph (the dashboard's
charts) load where they are used.

Each check runs in a fresh interpreter, because this test process has long
imported all three; a module-level import of any of them on the start-up path
(CLI, project open, main window) makes these tests fail.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from workstation.sample import ensure_sample_project

HEAVY = ("spacy", "openpyxl", "alembic", "pyqtgraph")
REPORT_HEAVY = f"print(sorted(name for name in {HEAVY!r} if name in sys.modules))"

CLI_STATS = """
import sys
import workstation.cli
status = workstation.cli.main(["stats", sys.argv[1]])
assert status == 0, status
"""

WINDOW_ON_PROJECT = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
import workstation.cli
from workstation.ui.main_window import MainWindow
app = QApplication(sys.argv[:1])
window = MainWindow()
assert window.open_project(Path(sys.argv[1]))
window.show()
app.processEvents()
assert window.text_view.toPlainText(), "the first document is not shown"
"""


@pytest.fixture(scope="module")
def sample_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ensure_sample_project(tmp_path_factory.mktemp("startup"))


def heavy_modules_loaded(code: str, project: Path, home: Path, heavy: tuple[str, ...] = HEAVY) -> str:
    """Run `code` in a fresh interpreter (offscreen, settings under `home`); which of `heavy` it loaded."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(home / "config"),
           "XDG_DATA_HOME": str(home / "data")}
    report = f"print(sorted(name for name in {heavy!r} if name in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code + report, str(project)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()[-1]


def test_cli_stats_loads_no_spacy_openpyxl_or_alembic(sample_project: Path, tmp_path: Path):
    assert heavy_modules_loaded(CLI_STATS, sample_project, tmp_path) == "[]"


def test_cli_stats_reads_an_up_to_date_project_without_sqlalchemy(sample_project: Path, tmp_path: Path):
    """`stats` must answer in less time than SQLAlchemy takes to import (about half a second here): the counts
    are plain SQL through sqlite3, and neither the CLI nor opening the file loads SQLAlchemy."""
    assert heavy_modules_loaded(CLI_STATS, sample_project, tmp_path, ("sqlalchemy",)) == "[]"


def test_main_window_on_a_project_loads_no_spacy_openpyxl_or_alembic(sample_project: Path, tmp_path: Path):
    assert heavy_modules_loaded(WINDOW_ON_PROJECT, sample_project, tmp_path) == "[]"


def test_the_tokenizer_loads_in_the_background_once_the_window_is_up(sample_project: Path, tmp_path: Path):
    """The first selection snaps without waiting seconds for spaCy: it was imported while the user read. The
    window is closed as the app closes it, waiting for the suggestions' worker that starts by then."""
    code = WINDOW_ON_PROJECT + """
import time
from workstation.nlp.pipeline import _blank_pipeline
started = time.monotonic()
while _blank_pipeline.cache_info().currsize == 0 and time.monotonic() - started < 60:
    app.processEvents()
    time.sleep(0.05)
window.close()
"""
    assert heavy_modules_loaded(code, sample_project, tmp_path) == "['spacy']"
