"""A returned work package, opened read-only and checked before anything of it reaches the project.

Every way a file can be wrong is a one-line user error naming the file: not a
database, damaged or truncated, written by another app version, cut from
another project, made for another or a newer schema, holding documents the
project does not have. Nothing is written while checking.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workstation.core.errors import UserError
from workstation.review.layer_units import Fetch
from workstation.review.packages import PACKAGE_KEY, PackageInfo
from workstation.store import migrate
from workstation.store.output_guard import SQLITE_MAGIC
from workstation.store.project import Project

DAMAGED = "the package is damaged or truncated ({}); ask the annotator for the file again"


@dataclass
class PackageFile:
    path: Path
    connection: sqlite3.Connection = field(repr=False)
    info: PackageInfo
    schema: dict[str, Any] = field(repr=False)

    def fetch(self, sql: str, params: Any = ()) -> list[tuple]:
        return self.connection.execute(sql, tuple(params)).fetchall()

    def document_ids(self) -> list[str]:
        return [doc for (doc,) in self.fetch("SELECT id FROM document ORDER BY rowid")]

    def close(self) -> None:
        self.connection.close()


def _version(text: str) -> tuple:
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"[.\-]", str(text)))


def _read(path: Path, connection: sqlite3.Connection) -> PackageFile:
    check = connection.execute("PRAGMA quick_check").fetchone()[0]
    if check != "ok":
        raise UserError(DAMAGED.format(check), file=path)
    try:
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    except (sqlite3.OperationalError, TypeError):
        raise UserError("not a work package (not a Workstation file)", file=path) from None
    migrate.check_revision_known(path, revision)
    if revision != migrate.head_revision():
        raise UserError("the package was made by an older version of Workstation: open it once in this version "
                        "(it is upgraded then) and merge again", file=path)
    info = dict(connection.execute("SELECT key, value FROM project_info").fetchall())
    if PACKAGE_KEY not in info:
        raise UserError("this is a project, not a work package (cut one with `package`)", file=path)
    try:
        return PackageFile(path, connection, PackageInfo.from_json(info[PACKAGE_KEY]), json.loads(info["schema"]))
    except (ValueError, TypeError, KeyError) as error:
        raise UserError(DAMAGED.format(f"its package information is unreadable: {error!r:.60}"), file=path) from None


def open_package(path: str | Path) -> PackageFile:
    """Open read-only and check the file on its own; `check_against` then compares it with the project."""
    path = Path(path)
    if not path.is_file():
        raise UserError("no such package file", file=path)
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise UserError("not a work package (the file is not an SQLite database)", file=path)
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return _read(path, connection)
    except sqlite3.DatabaseError as error:
        connection.close()
        raise UserError(DAMAGED.format(error), file=path) from None
    except BaseException:
        connection.close()
        raise


def check_against(package: PackageFile, project: Project, fetch: Fetch) -> None:
    """Same project, a schema the project can take, the same documents (by id and text), the same annotator."""
    path, info = package.path, package.info
    if info.project_id != project.project_id:
        raise UserError(f"this package was cut from another project (project {info.project_id[:8]}, "
                        f"this is {project.project_id[:8]})", file=path)
    theirs, ours = package.schema, project.schema.data
    if theirs.get("name") != ours.get("name"):
        raise UserError(f"the package was made for another schema ({theirs.get('name')!r}; the project uses "
                        f"{ours.get('name')!r})", file=path)
    if _version(theirs.get("version", "0")) > _version(ours.get("version", "0")):
        raise UserError(f"the package uses schema version {theirs.get('version')}, newer than the project's "
                        f"{ours.get('version')}: update the project's schema first", file=path)
    documents = package.fetch("SELECT id, text_sha256 FROM document")
    known = dict(fetch("SELECT id, text_sha256 FROM document WHERE id IN (SELECT value FROM json_each(?))",
                       (json.dumps([doc for doc, _ in documents]),)))
    strangers = [doc for doc, sha in documents if known.get(doc) != sha]
    if strangers:
        raise UserError(f"{len(strangers)} of the package's {len(documents)} documents are not in this project "
                        f"(or their text differs), first: {strangers[0]}", file=path)
    named = fetch("SELECT id FROM annotator WHERE name = ?", (info.annotator,))
    if named and named[0][0] != info.annotator_id:
        raise UserError(f"the project's annotator {info.annotator!r} is not the package's (was the package cut "
                        f"from a copy of this project?)", file=path)
