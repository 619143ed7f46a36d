"""Create and open project files: lock, refuse too-new files, back up, migrate, load schema.

New projects are made by running the migrations (never `create_all`), so the
upgrade path is exercised every time a project is created.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Literal

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from workstation import __version__
from workstation.core.errors import UserError
from workstation.core.schema import Schema, default_schema
from workstation.store import migrate
from workstation.store.engine import make_engine
from workstation.store.lock import ProjectLock
from workstation.store.models import ProjectInfo
from workstation.store.project_file import stored_revision


@dataclass(frozen=True)
class ProjectSettings:
    """Per-project choices that change how text is read (not per-user preferences)."""

    date_order: Literal["day-first", "month-first"] = "day-first"
    language: str = "en"
    colours: dict[str, str] = field(default_factory=dict)
    """Colours the team chose for types of the schema (type → #rrggbb), so everyone's text looks the same."""

    @classmethod
    def from_json(cls, text: str) -> ProjectSettings:
        known = {key: value for key, value in json.loads(text).items() if key in cls.__dataclass_fields__}
        colours = known.get("colours", {})
        if not isinstance(colours, dict) or not all(isinstance(v, str) for v in colours.values()):
            known.pop("colours")
        return cls(**known)


class Project:
    """An open project file: engine, session factory, schema and settings, held under a lock."""

    def __init__(self, path: Path, engine: Engine, lock: ProjectLock | None):
        self.path = path
        self.engine = engine
        self._lock = lock
        self.session = sessionmaker(engine, expire_on_commit=False)
        info = self.info()
        self.project_id = info["project_id"]
        self.schema = Schema.from_json(info["schema"], source=f"{path} (stored schema)")
        self.settings = ProjectSettings.from_json(info["settings"])

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


def open_project(path: str | Path, *, read_only: bool = False) -> Project:
    """Open for writing under the project's lock, or `read_only` without it: commands that only read (stats,
    export, check) work beside the GUI that has the project open, as WAL allows one writer and many readers.
    A reader never writes: a project that needs an upgrade is upgraded (under the lock) before it is read."""
    path = Path(path)
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


def create_project(path: str | Path, schema: Schema | None = None,
                   settings: ProjectSettings | None = None) -> Project:
    path = Path(path)
    if path.exists():
        raise UserError("a file with this name already exists; choose another name", file=path)
    if not path.parent.is_dir():
        raise UserError("the folder does not exist", file=path)
    engine, lock = _locked_engine(path)
    try:
        return _open(path, engine, lock, initial_info={
            "project_id": str(uuid.uuid4()),
            "schema": (schema or default_schema()).to_json(),
            "settings": json.dumps(asdict(settings or ProjectSettings())),
        })
    except BaseException:
        for leftover in (path, path.with_name(f"{path.name}-wal"), path.with_name(f"{path.name}-shm")):
            leftover.unlink(missing_ok=True)
        raise
