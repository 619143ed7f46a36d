"""Alembic owns the project schema: find the revision, refuse unknown ones, back up, upgrade.

The Alembic `Config` is built in code with `script_location` from the shipped
`migrations/` package data, so an installed or frozen app finds its migrations.
Alembic itself (half a second to import) loads only when a project must be
created or upgraded: which revisions we ship is read from the scripts' own
`revision = ...` lines, so opening an up-to-date project never needs it.
"""

from __future__ import annotations

import ast
import re
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from workstation.core.errors import UserError
from workstation.paths import migrations_dir

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Connection, Engine

FTS_TABLE = "document_fts"
REVISION_LINE = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(.+)$", re.MULTILINE)


SERVER_ONLY_INDEXES = re.compile(r"ix_\w+_rowid|ix_document_search")


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Keep what raw SQL made for one engine out of autogenerate: SQLite's FTS5 virtual table and its shadow
    tables, the server's `rowid` columns and search index (0008)."""
    if type_ == "table":
        return not (name and name.startswith(FTS_TABLE))
    if type_ == "column":
        return name != "rowid"
    if type_ == "index":
        return not (name and SERVER_ONLY_INDEXES.fullmatch(name))
    return True


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def shipped_revisions() -> dict[str, set[str]]:
    """Each shipped revision with the revisions it follows, as the migration scripts declare them."""
    revisions: dict[str, set[str]] = {}
    for script in (migrations_dir() / "versions").glob("*.py"):
        declared = {name: ast.literal_eval(value.strip())
                    for name, value in REVISION_LINE.findall(script.read_text(encoding="utf-8"))}
        follows = declared.get("down_revision")
        revisions[declared["revision"]] = {follows} if isinstance(follows, str) else set(follows or ())
    return revisions


def head_revision() -> str:
    """The one shipped revision that no other follows (the one `alembic upgrade head` reaches)."""
    revisions = shipped_revisions()
    followed = set().union(*revisions.values())
    [head] = [revision for revision in revisions if revision not in followed]
    return head


def current_revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def check_revision_known(path: Path | str, revision: str | None) -> None:
    """A revision we do not ship means a newer app wrote the file: refuse before touching it."""
    if revision is None:
        return
    if revision not in shipped_revisions():
        raise UserError(
            f"this project was written by a newer version of Workstation (database revision {revision}; "
            f"this version knows up to {head_revision()}); update Workstation to open it",
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
    """Run pending migrations; on SQLite with foreign keys off (batch mode recreates tables). PostgreSQL
    alters tables in place and runs the whole upgrade in one transaction."""
    from alembic import command

    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        command.upgrade(alembic_config(connection), "head")
        connection.commit()
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
