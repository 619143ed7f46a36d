"""`transfer SOURCE TARGET`: a whole project copied between an SQLite file and a PostgreSQL database.

Every table is copied row for row (documents, registry, every layer and gold, assignments, packages' sync
state and merge conflicts, the project's id, schema and settings), in the order the rows were written, so the
target lists documents and items as the source does. Values go through the models' column types, so what
one engine stores as text (JSON, timestamps) arrives as the other's own types and comes back unchanged.
The target is made by the migrations, as any new project: a file that does not exist yet, or an empty
database; a transfer that fails removes nothing from the source and leaves no half project behind in a file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Table, delete, select, update

from workstation.core.progress import Progress, no_progress
from workstation.store.bulk_insert import BulkInserter
from workstation.store.document_reader import ROWID
from workstation.store.models import Base
from workstation.store.project import Project, create_project, open_project
from workstation.store.project_ref import ProjectRef, is_server_url

BATCH_ROWS = 5000


def _rows(source: Project, table: Table) -> Iterator[list[dict[str, Any]]]:
    with source.session() as session:
        result = session.execute(select(table).order_by(ROWID).execution_options(yield_per=BATCH_ROWS))
        for batch in result.mappings().partitions():
            yield [dict(row) for row in batch]


def copy_tables(source: Project, target: Project, progress: Progress = no_progress) -> dict[str, int]:
    """Every row of every table of `source` into the (new, empty) `target`, in one transaction; the count of
    rows per table. An actor merged into another gets its `merged_into` once all actors are in."""
    tables = Base.metadata.sorted_tables
    counts: dict[str, int] = {}
    with target.session.begin() as session:
        session.execute(delete(Base.metadata.tables["project_info"]))
        for number, table in enumerate(tables):
            progress(number, len(tables), f"copying {table.name}")
            inserter = BulkInserter(table)
            merges: list[dict[str, Any]] = []
            counts[table.name] = 0
            for rows in _rows(source, table):
                if table.name == "actor":
                    merges += [row for row in rows if row["merged_into"]]
                    rows = [{**row, "merged_into": None} for row in rows]
                inserter.insert(session, rows)
                counts[table.name] += len(rows)
            for merged in merges:  # its own `updated_at` too, else the update would stamp the time of the copy
                session.execute(update(table).where(table.c.id == merged["id"]).values(
                    merged_into=merged["merged_into"], updated_at=merged["updated_at"]))
        progress(len(tables), len(tables), "copied")
    return counts


def _analyze(project: Project) -> None:
    """The server's planner statistics of the copied tables at once, not when autovacuum comes round to them:
    without them its first plans for the document list scan every mention."""
    with project.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("ANALYZE")


def transfer(source_ref: ProjectRef, target_ref: ProjectRef, progress: Progress = no_progress) -> dict[str, int]:
    """Copy the project at `source_ref` into a new project at `target_ref` (either may be a file or a URL)."""
    with open_project(source_ref, read_only=True) as source:
        target = create_project(target_ref, source.schema, source.settings)
        try:
            with target:
                counts = copy_tables(source, target, progress)
                if target.server:
                    _analyze(target)
                return counts
        except BaseException:
            if not is_server_url(target_ref):
                for leftover in (Path(target_ref), Path(f"{target_ref}-wal"), Path(f"{target_ref}-shm")):
                    leftover.unlink(missing_ok=True)
            raise
