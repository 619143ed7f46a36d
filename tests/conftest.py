"""Shared fixtures: a migrated template project copied per test, isolated Qt settings, and a guard that fails a
test leaving a QThread running (it would outlive its window and crash a later test, far from its cause).

The `project` fixture has a parameter per backend: every test that takes it runs on an SQLite file and on a
PostgreSQL server database (a copy of a migrated template database), the latter skipped, with its reason, when
WORKSTATION_TEST_PG_URL does not name a server (`.ci/run` starts one with `.ci/postgres`)."""

from __future__ import annotations

import gc
import hashlib
import json
import os
import shutil
import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QSettings, QStandardPaths, QThread

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from workstation.store.project import Project, create_project, open_project
from workstation.store.project_ref import ProjectRef, is_server_url

PG_URL_VARIABLE = "WORKSTATION_TEST_PG_URL"
BACKENDS = ("sqlite", "postgresql")

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


class PostgresServer:
    """The test server: a migrated template database, and a fresh copy of it per test (CREATE DATABASE ...
    TEMPLATE copies files, about 20 ms, where running the migrations takes a second)."""

    def __init__(self, url: str):
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url

        self.url = make_url(url)
        self.admin = create_engine(self.url, isolation_level="AUTOCOMMIT")
        self.prefix = f"ws_test_{os.getpid()}_"
        self.count = 0
        self.built: dict[str, str] = {}
        self.template = self.create_database("template")
        create_project(self.database_url(self.template)).close()

    def database_url(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def create_database(self, name: str, template: str | None = None) -> str:
        self.count += 1
        database = f"{self.prefix}{name}_{self.count}"
        with self.admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{database}"'
                                       + (f' TEMPLATE "{template}"' if template else ""))
        return database

    def built_template(self, name: str, build: Callable[[str], None]) -> str:
        """A database that `build(url)` fills once per session (from the migrated template), for tests to copy."""
        if name not in self.built:
            database = self.create_database(name, template=self.template)
            build(self.database_url(database))
            self.built[name] = database
        return self.built[name]

    def drop_database(self, name: str) -> None:
        with self.admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        for database in (*self.built.values(), self.template):
            self.drop_database(database)
        self.admin.dispose()


@pytest.fixture(scope="session")
def postgres_server():
    url = os.environ.get(PG_URL_VARIABLE)
    if not url:
        pytest.skip(f"no PostgreSQL server: set {PG_URL_VARIABLE} to a server URL (.ci/run starts one)")
    server = PostgresServer(url)
    yield server
    server.close()


@pytest.fixture
def server_project_url(postgres_server: PostgresServer):
    """A fresh, migrated project database on the test server, dropped after the test."""
    database = postgres_server.create_database("project", template=postgres_server.template)
    yield postgres_server.database_url(database)
    gc.collect()  # what the test left to the collector (an undo stack whose views re-read) finds its database
    postgres_server.drop_database(database)


@pytest.fixture(params=BACKENDS)
def project_ref(request: pytest.FixtureRequest, project_path: Path) -> ProjectRef:
    """The project of a test on each backend: a file, or a database on the test server."""
    if request.param == "sqlite":
        return project_path
    return request.getfixturevalue("server_project_url")


@pytest.fixture
def project(project_ref: ProjectRef) -> Project:
    with open_project(project_ref) as opened:
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


def _build_team(ref: ProjectRef, folder: Path) -> None:
    from team_cycle import build_supervisor_project

    with open_project(ref) as project:
        build_supervisor_project(project, folder)


@pytest.fixture(scope="session")
def team_file(template_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("team") / "team.sqlite"
    shutil.copy(template_project, path)
    _build_team(path, path.parent)
    return path


@pytest.fixture(params=BACKENDS)
def team_project(request: pytest.FixtureRequest, tmp_path: Path):
    """The supervisor's project of 20 articles on each backend, a copy of one built once per session (building
    it takes a second on the server, copying it 20 ms): packages are cut from and merged into a server project
    as into a file."""
    if request.param == "sqlite":
        yield Path(shutil.copy(request.getfixturevalue("team_file"), tmp_path / "project.sqlite"))
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    template = server.built_template("team", lambda url: _build_team(url, tmp_path))
    database = server.create_database("project", template=template)
    yield server.database_url(database)
    gc.collect()
    server.drop_database(database)


@pytest.fixture
def copy_project(request: pytest.FixtureRequest, tmp_path: Path):
    """`copy_project(ref)`: a copy of a closed project on its backend (a file beside the test's, or a database
    made from it on the test server, dropped after the test)."""
    made: list[str] = []

    def copy(ref: ProjectRef) -> ProjectRef:
        if not is_server_url(ref):
            target = tmp_path / f"copy-{len(made)}.sqlite"
            shutil.copy(ref, target)
            made.append(str(target))
            return target
        from sqlalchemy.engine import make_url

        server: PostgresServer = request.getfixturevalue("postgres_server")
        gc.collect()
        made.append(server.create_database("copy", template=make_url(str(ref)).database))
        return server.database_url(made[-1])

    yield copy
    if made and not made[0].endswith(".sqlite"):
        server = request.getfixturevalue("postgres_server")
        gc.collect()
        for database in made:
            server.drop_database(database)


NOT_CONTENT = {"rowid", "version"}
"""Left out of fingerprints: the server's insertion order (SQLite's `SELECT *` leaves out SQLite's) and row
versions, which every edit, undo included, writes anew (a row that undo restores has its content back, under a
version of its own)."""


def database_fingerprint(source: Path | Project) -> str:
    """A digest of every row of every table: equal fingerprints mean nothing changed. A file is read with
    sqlite3 itself; an open project (either backend) through its engine."""
    if isinstance(source, Project):
        return _engine_fingerprint(source)
    connection = sqlite3.connect(source)
    try:
        digest = hashlib.sha256()
        tables = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'document_fts_%' ORDER BY name")]
        for table in tables:
            names = [name for (_, name, *_rest) in connection.execute(f'PRAGMA table_info("{table}")')
                     if name not in NOT_CONTENT]
            quoted = ", ".join(f'"{name}"' for name in names)
            for row in connection.execute(f'SELECT {quoted} FROM "{table}" ORDER BY 1'):
                digest.update(repr((table, row)).encode())
        return digest.hexdigest()
    finally:
        connection.close()


def _engine_fingerprint(project: Project) -> str:
    from sqlalchemy import inspect

    digest = hashlib.sha256()
    with project.engine.connect() as connection:
        inspector = inspect(connection)
        for table in sorted(inspector.get_table_names()):
            if table.startswith("document_fts"):
                continue
            names = [column["name"] for column in inspector.get_columns(table) if column["name"] not in NOT_CONTENT]
            quoted = ", ".join(f'"{name}"' for name in names)
            for row in connection.exec_driver_sql(f'SELECT {quoted} FROM "{table}" ORDER BY 1'):
                digest.update(repr((table, tuple(row))).encode())
    return digest.hexdigest()
