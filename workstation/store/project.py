"""Create and open projects: lock, refuse too-new files, back up, migrate, load schema.

A project is an SQLite file or a database on a PostgreSQL server (`store/server.py`). New projects are made
by running the migrations (never `create_all`), so the upgrade path is exercised every time a project is
created, on both.
"""

from __future__ import annotations

import json
import uuid
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Literal

from sqlalchemy import Connection, Engine, inspect, select
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker

from workstation import __version__
from workstation.core.errors import UserError
from workstation.core.schema import Schema, default_schema
from workstation.store import migrate
from workstation.store.engine import make_engine
from workstation.store.lock import ProjectLock
from workstation.store.models import ProjectInfo
from workstation.store.project_file import stored_revision
from workstation.store.project_ref import ProjectRef, display_url, is_server_url
from workstation.store.server import server_engine, server_label, server_url

Database = Session | Connection
"""What reads and writes rows: an ORM session, or a Core connection where speed counts. The edit path uses
connections: a statement through a session costs about five times one through a connection (0.18 against
0.035 ms), and an edit makes five to ten."""


def core_connection(database: Database) -> Connection:
    """The Core connection under either (readers of many rows skip the ORM's result handling)."""
    return database if isinstance(database, Connection) else database.connection()


@dataclass(frozen=True)
class ProjectSettings:
    """Per-project choices that change how text is read (not per-user preferences)."""

    date_order: Literal["day-first", "month-first"] = "day-first"
    language: str = "en"
    colours: dict[str, str] = field(default_factory=dict)
    """Colours the team chose for types of the schema (type → #rrggbb), so everyone's text looks the same."""
    suggester: str = "registry"
    """What suggests mentions in the text view: the actor registry or a trained model's name."""
    pipeline_labels: dict[str, str] = field(default_factory=dict)
    """For an installed spaCy pipeline chosen as suggester: its entity labels → the schema's actor types (labels
    left out are not suggested)."""

    @classmethod
    def from_json(cls, text: str) -> ProjectSettings:
        known = {key: value for key, value in json.loads(text).items() if key in cls.__dataclass_fields__}
        for key in ("colours", "pipeline_labels"):
            table = known.get(key, {})
            if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
                known.pop(key)
        return cls(**known)


class Project:
    """An open project: engine, session factory, schema and settings; a file is held under a lock.

    `path` names the project where a file name is wanted (package and export names; a server project's
    database name), `location` is what the user sees and reopens (a path, or a URL without password)."""

    def __init__(self, path: Path, engine: Engine, lock: ProjectLock | None, location: str | None = None):
        self.path = path
        self.location = location or str(path)
        self.server = engine.dialect.name == "postgresql"
        self.user = engine.url.username if self.server else None
        """Who logged in to a server project: the name of the layer they write (row-level security)."""
        self.engine = engine
        self._lock = lock
        self.session = sessionmaker(engine, expire_on_commit=False)
        self._reader = engine.execution_options(isolation_level="AUTOCOMMIT") if self.server else engine
        self.reading = sessionmaker(self._reader, expire_on_commit=False)
        """ORM sessions on the same reader as `connect()`, for reads that need a session (the search's hits in
        a shown document). Never for writing: on a server each statement commits alone."""
        info = self.info()
        self.project_id = info["project_id"]
        self.schema = Schema.from_json(info["schema"], source=f"{self.location} (stored schema)")
        self.settings = ProjectSettings.from_json(info["settings"])

    def connect(self) -> AbstractContextManager[Connection]:
        """A connection for reading (no ORM objects): a document shown, and what the panels read after each edit.
        On a server each statement runs on its own, as in a transaction at READ COMMITTED, without the BEGIN and
        ROLLBACK that cost a round trip each (a switch of documents asked ten of them). Never for writing: each
        statement would commit alone."""
        return self._reader.connect()

    def transaction(self) -> AbstractContextManager[Connection]:
        """A connection in a transaction committed at the end (rolled back on an exception): one edit."""
        return self.engine.begin()

    def info(self) -> dict[str, str]:
        with self.session() as session:
            return {key: value for key, value in session.execute(select(ProjectInfo.key, ProjectInfo.value))}

    def set_info(self, session: Session, key: str, value: str) -> None:
        session.merge(ProjectInfo(key=key, value=value))

    def update_settings(self, **changes: object) -> None:
        """Change per-project settings (e.g. the date order from the Preferences dialog); stored at once."""
        settings = replace(self.settings, **changes)
        with self.session.begin() as session:
            self.set_info(session, "settings", json.dumps(asdict(settings)))
        self.settings = settings

    def close(self) -> None:
        self.engine.dispose()
        if self._lock is not None:
            self._lock.release()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


def _locked_engine(path: Path) -> tuple[Engine, ProjectLock]:
    lock = ProjectLock(path)
    lock.acquire(path)
    return make_engine(path), lock


def _open(path: Path, engine: Engine, lock: ProjectLock, revision: str | None = None,
          initial_info: dict[str, str] | None = None) -> Project:
    """Upgrade when the stored revision is not the head (after a backup; a new file has no revision and
    nothing to back up), then load; the lock is released on any failure. An up-to-date project never
    loads Alembic."""
    try:
        if revision != migrate.head_revision():
            if revision is not None:
                migrate.write_backup(path, revision)
            migrate.upgrade(engine)
        if initial_info:
            with engine.begin() as connection:
                connection.execute(ProjectInfo.__table__.insert(),
                                   [{"key": key, "value": value} for key, value in initial_info.items()])
        project = Project(path, engine, lock)
        with project.session.begin() as session:
            project.set_info(session, "app_version", __version__)
        return project
    except BaseException:
        engine.dispose()
        lock.release()
        raise


def _server_revision(engine: Engine, location: str) -> str:
    """The stored revision, read before anything is written; an empty database is not (yet) a project."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            raise UserError("not a Workstation project (the database has no project in it; "
                            "`init` creates one in an empty database)", file=location)
        revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    if revision is None:
        raise UserError("not a Workstation project (no migration revision found)", file=location)
    return revision


def _open_server(url: URL, read_only: bool, password: str | None) -> Project:
    """Many clients share a server project, so there is no lock; an upgrade runs in one transaction (DDL is
    transactional in PostgreSQL), so a failed one leaves the database as it was, without a backup copy. The app
    version is written by an upgrade only: an annotator's role may not write the project's facts."""
    location = display_url(url.render_as_string(hide_password=False))
    engine = server_engine(url, read_only=read_only, password=password)
    try:
        revision = _server_revision(engine, location)
        migrate.check_revision_known(location, revision)
        if revision != migrate.head_revision():
            if read_only:
                engine.dispose()
                _open_server(url, False, password).close()
                return _open_server(url, True, password)
            migrate.upgrade(engine)
            with engine.begin() as connection:
                connection.execute(ProjectInfo.__table__.update().where(ProjectInfo.key == "app_version")
                                   .values(value=__version__))
        return Project(server_label(url), engine, None, location)
    except BaseException:
        engine.dispose()
        raise


def open_project(ref: ProjectRef, *, read_only: bool = False, password: str | None = None) -> Project:
    """Open for writing under the project's lock, or `read_only` without it: commands that only read (stats,
    export, check) work beside the GUI that has the project open, as WAL allows one writer and many readers.
    A reader never writes: a project that needs an upgrade is upgraded (under the lock) before it is read.
    `ref` may be a server URL (`password` for its connection when `~/.pgpass` has none)."""
    if is_server_url(ref):
        return _open_server(server_url(str(ref)), read_only, password)
    path = Path(ref)
    revision = stored_revision(path)
    migrate.check_revision_known(path, revision)
    if read_only and revision == migrate.head_revision():
        return Project(path, make_engine(path, read_only=True), None)
    engine, lock = _locked_engine(path)
    project = _open(path, engine, lock, revision)
    if read_only:
        project.close()
        return open_project(path, read_only=True)
    return project


def _initial_info(schema: Schema | None, settings: ProjectSettings | None) -> dict[str, str]:
    return {"project_id": str(uuid.uuid4()), "schema": (schema or default_schema()).to_json(),
            "settings": json.dumps(asdict(settings or ProjectSettings()))}


def _create_on_server(url: URL, info: dict[str, str], password: str | None) -> Project:
    """The schema is made in an empty database only: one holding tables is someone's data."""
    location = display_url(url.render_as_string(hide_password=False))
    engine = server_engine(url, password=password)
    try:
        with engine.connect() as connection:
            if inspect(connection).get_table_names():
                raise UserError("the database is not empty; create the project in a new, empty database",
                                file=location)
        migrate.upgrade(engine)
        with engine.begin() as connection:
            connection.execute(ProjectInfo.__table__.insert(), [{"key": k, "value": v} for k, v in info.items()])
        project = Project(server_label(url), engine, None, location)
        with project.session.begin() as session:
            project.set_info(session, "app_version", __version__)
        return project
    except BaseException:
        engine.dispose()
        raise


def create_project(ref: ProjectRef, schema: Schema | None = None, settings: ProjectSettings | None = None, *,
                   password: str | None = None) -> Project:
    """A new project file, or a new project in an empty database on a server (`ref` a URL)."""
    if is_server_url(ref):
        return _create_on_server(server_url(str(ref)), _initial_info(schema, settings), password)
    path = Path(ref)
    if path.exists():
        raise UserError("a file with this name already exists; choose another name", file=path)
    if not path.parent.is_dir():
        raise UserError("the folder does not exist", file=path)
    engine, lock = _locked_engine(path)
    try:
        return _open(path, engine, lock, initial_info=_initial_info(schema, settings))
    except BaseException:
        for leftover in (path, path.with_name(f"{path.name}-wal"), path.with_name(f"{path.name}-shm")):
            leftover.unlink(missing_ok=True)
        raise
