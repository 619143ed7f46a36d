"""Shared fixtures: a migrated template project copied per test, isolated Qt settings, and a guard that fails a
test leaving a QThread running (it would outlive its window and crash a later test, far from its cause)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import uuid
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QSettings, QStandardPaths, QThread

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from workstation.store.project import Project, create_project, open_project

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SHARED = REPO.parent / "shared"
SCREENSHOTS = REPO / "docs" / "screenshots"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--screenshots", action="store_true",
                     help=f"save the tests' screenshots into {SCREENSHOTS.relative_to(REPO)} (else a temporary folder)")


@pytest.fixture(autouse=True)
def no_tokenizer_warm_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """The text view imports spaCy in a thread 1.5 s after it shows a document. In the suite that import races
    the tests' own imports in the main thread (hypothesis found numpy half-initialised; PySide's import hook once
    crashed); tests that select text load the tokenizer when they need it, as a user's first selection does. The
    suggestions' worker imports spaCy too: tests of suggestions turn it back on."""
    from workstation.ui.suggestion_controller import SuggestionController
    from workstation.ui.text_view import TextView

    monkeypatch.setattr(TextView, "_load_tokenizer", lambda self: None)
    monkeypatch.setattr(SuggestionController, "automatic", False)


@pytest.fixture
def screenshots(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """Where a test saves what it shows: the tracked screenshots only when asked, so `make test` leaves the work
    tree clean."""
    folder = SCREENSHOTS if request.config.getoption("--screenshots") else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def isolated_qt(tmp_path: Path, qapp):
    """Settings and data folders of this test alone: no test sees another's last project or preferences, and none
    touches the user's own."""
    QStandardPaths.setTestModeEnabled(True)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    qapp.setOrganizationName("WorkstationTests")
    qapp.setApplicationName(f"test-{uuid.uuid4().hex}")
    yield
    QSettings().clear()
    shutil.rmtree(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation),
                  ignore_errors=True)


@pytest.fixture(autouse=True)
def no_thread_left_running(monkeypatch: pytest.MonkeyPatch):
    """Every QThread a test starts must have finished when the test ends."""
    started: list[QThread] = []
    start = QThread.start

    def recording_start(thread: QThread, *args) -> None:
        started.append(thread)
        start(thread, *args)

    monkeypatch.setattr(QThread, "start", recording_start)
    yield
    running = [thread for thread in started if shiboken6.isValid(thread) and thread.isRunning()]
    for thread in running:
        thread.quit()
        thread.wait()
    if running:
        pytest.fail(f"{len(running)} QThread(s) still running when the test ended")


@pytest.fixture(scope="session")
def template_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    create_project(path).close()
    return path


@pytest.fixture
def project_path(template_project: Path, tmp_path: Path) -> Path:
    path = tmp_path / "project.sqlite"
    shutil.copy(template_project, path)
    return path


@pytest.fixture
def project(project_path: Path) -> Project:
    with open_project(project_path) as opened:
        yield opened


def write_jsonl(folder: Path, lines: list[dict]) -> Path:
    """A native JSONL corpus file of these document lines, as a test's import reads it."""
    path = folder / "corpus.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


@pytest.fixture
def supervisor(project_path: Path, tmp_path: Path) -> Path:
    """A project of 20 articles and a registry of two actors, from which the team tests cut packages."""
    from team_cycle import build_supervisor_project

    with open_project(project_path) as project:
        build_supervisor_project(project, tmp_path)
    return project_path


def database_fingerprint(path: Path) -> str:
    """A digest of every row of every table: equal fingerprints mean nothing changed."""
    connection = sqlite3.connect(path)
    try:
        digest = hashlib.sha256()
        tables = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'document_fts_%' ORDER BY name")]
        for table in tables:
            for row in connection.execute(f'SELECT * FROM "{table}" ORDER BY 1'):
                digest.update(repr((table, row)).encode())
        return digest.hexdigest()
    finally:
        connection.close()
