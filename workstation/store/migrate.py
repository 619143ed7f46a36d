"""Alembic owns the project schema: find the revision, refuse unknown ones, back up, upgrade.

The Alembic `Config` is built in code with `script_location` from the shipped
`migrations/` folder, so an installed or frozen app finds its migrations.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from workstation.core.errors import UserError
from workstation.paths import migrations_dir

FTS_TABLE = "document_fts"


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Keep the FTS5 virtual table and its shadow tables (made by raw SQL) out of autogenerate."""
    return not (type_ == "table" and name and name.startswith(FTS_TABLE))


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def check_revision_known(path: Path, revision: str | None) -> None:
    """A revision we do not ship means a newer app wrote the file: refuse before touching it."""
    if revision is None:
        return
    script = ScriptDirectory.from_config(alembic_config())
    if revision not in {rev.revision for rev in script.walk_revisions()}:
        raise UserError(
            f"this project was written by a newer version of Workstation (database revision {revision}; "
            f"this version knows up to {script.get_current_head()}); update Workstation to open it",
            file=path,
        )


def backup_path(path: Path, revision: str) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return path.with_name(f"{path.name}.backup-{revision}-{stamp}")


def write_backup(path: Path, revision: str) -> Path:
    """Copy through SQLite's backup API so that a WAL file's pages are included."""
    target = backup_path(path, revision)
    source = sqlite3.connect(path)
    try:
        copy = sqlite3.connect(target)
        with copy:
            source.backup(copy)
        copy.close()
    finally:
        source.close()
    return target


def upgrade(engine: Engine) -> None:
    """Run pending migrations with foreign keys off (batch mode recreates tables)."""
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        command.upgrade(alembic_config(connection), "head")
        connection.commit()
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
