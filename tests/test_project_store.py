"""Project files: creation by migrations, engine pragmas, refusal of too-new files, locking, backups."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import to_tuple
from conftest import DATA, database_fingerprint
from sqlalchemy import select, update

from workstation.core.errors import UserError
from workstation.store import migrate
from workstation.store.migrate import include_object
from workstation.store.models import Base, Document, Mention
from workstation.store.project import ProjectSettings, create_project, open_project
from workstation.store.search import matching_documents


def test_new_project_is_at_head_with_schema_and_settings(tmp_path: Path):
    with create_project(tmp_path / "p.sqlite", settings=ProjectSettings(date_order="month-first")) as project:
        with project.engine.connect() as connection:
            assert migrate.current_revision(connection) == migrate.head_revision()
        assert project.schema.name.startswith("political-actor-stance-event")
        assert project.settings.date_order == "month-first"
        assert len(project.project_id) == 36


def test_connections_use_wal_foreign_keys_and_busy_timeout(project_path: Path):
    with open_project(project_path) as project, project.engine.connect() as connection:
        def pragma(name: str):
            return connection.exec_driver_sql(f"PRAGMA {name}").scalar()

        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == 5000


def test_models_and_migrations_agree(project):
    with project.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": include_object})
        assert compare_metadata(context, Base.metadata) == []


def test_shipped_revisions_read_without_alembic_agree_with_alembic():
    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert migrate.shipped_revisions() == {rev.revision: set(to_tuple(rev.down_revision, default=()))
                                          for rev in script.walk_revisions()}
    assert migrate.head_revision() == script.get_current_head()


def test_opening_an_up_to_date_project_runs_no_migration(project_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(migrate, "upgrade", lambda engine: pytest.fail("an up-to-date project was migrated"))
    with open_project(project_path) as project:
        assert project.schema.name


def test_search_index_follows_documents(project):
    with project.session.begin() as session:
        session.add(Document(title="Idlib talks", text="Ankara and Moscow met.", text_sha256="x"))

    def found(search: str) -> list[str]:
        with project.session() as session:
            return list(session.scalars(select(Document.title).where(
                Document.id.in_(matching_documents(session, search)))))

    assert found("moscow") == found("MOSC") == found("idlib ankara") == ["Idlib talks"]
    assert found("moscow paris") == found("(") == []
    with project.session.begin() as session:
        session.execute(update(Document).values(title="Aleppo talks"))
    assert found("aleppo") == ["Aleppo talks"]
    assert found("idlib") == []


def test_project_from_newer_version_is_refused_and_untouched(project_path: Path):
    connection = sqlite3.connect(project_path)
    connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    connection.commit()
    connection.close()
    before = project_path.read_bytes()
    with pytest.raises(UserError, match="newer version of Workstation") as caught:
        open_project(project_path)
    assert str(project_path) in str(caught.value)
    assert project_path.read_bytes() == before
    assert not list(project_path.parent.glob("*.backup-*"))


def test_second_instance_gets_a_clear_message(project_path: Path):
    with open_project(project_path), pytest.raises(UserError, match="already open in another Workstation"):
        open_project(project_path)


def test_lock_is_released_on_close(project_path: Path):
    open_project(project_path).close()
    open_project(project_path).close()


@pytest.mark.parametrize("content, message", [
    (b"", "not an SQLite database"),
    (b"hello, I am a text file\n", "not an SQLite database"),
])
def test_files_that_are_not_projects_are_refused(tmp_path: Path, content: bytes, message: str):
    path = tmp_path / "bogus.sqlite"
    path.write_bytes(content)
    with pytest.raises(UserError, match=message):
        open_project(path)


def test_stats_of_an_old_project_upgrades_it_first_and_counts_what_the_session_counts(tmp_path: Path):
    """`stats` reads an up-to-date file through sqlite3 alone; an older one is upgraded (with its backup) by
    `open_project` before it is counted, and either way the counts are those read through a session."""
    from workstation.store.project_file import counting_connection
    from workstation.store.stats import project_stats, stats_of

    path = tmp_path / "old.sqlite"
    shutil.copy(DATA / "project-0001.sqlite", path)
    with counting_connection(path) as connection:
        upgraded = stats_of(connection)
    assert len(list(tmp_path.glob("old.sqlite.backup-0001-*"))) == 1
    with counting_connection(path) as connection:
        assert isinstance(connection, sqlite3.Connection)
        assert stats_of(connection) == upgraded
    with open_project(path, read_only=True) as project, project.session() as session:
        assert project_stats(session) == upgraded
    assert upgraded["document_count"] == 2
    assert sum(sum(counts.values()) for counts in upgraded["mentions"].values()) == 6
    assert [document["date_ambiguous"] for document in upgraded["documents"]] == [True, False]


def test_sqlite_file_without_revision_is_refused(tmp_path: Path):
    path = tmp_path / "other.sqlite"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(UserError, match="no migration revision"):
        open_project(path)


def test_missing_file_and_existing_target(tmp_path: Path, project_path: Path):
    with pytest.raises(UserError, match="no such project file"):
        open_project(tmp_path / "absent.sqlite")
    with pytest.raises(UserError, match="already exists"):
        create_project(project_path)


def test_initial_revision_project_opens_upgrades_and_keeps_a_backup(tmp_path: Path):
    path = tmp_path / "old.sqlite"
    shutil.copy(DATA / "project-0001.sqlite", path)
    before = database_fingerprint(path)
    with open_project(path) as project:
        with project.engine.connect() as connection:
            assert migrate.current_revision(connection) == migrate.head_revision() != "0001"
            assert connection.exec_driver_sql("SELECT count(*) FROM mention_relation").scalar() == 0
        with project.session() as session:
            assert session.query(Document).count() == 2
            assert session.query(Mention).count() == 6
    [backup] = tmp_path.glob("old.sqlite.backup-0001-*")
    assert database_fingerprint(backup) == before


NEXT_REVISION = """
from alembic import op
import sqlalchemy as sa

revision = "9000"
down_revision = "{head}"


def upgrade():
    with op.batch_alter_table("document") as batch:
        batch.add_column(sa.Column("upgrade_marker", sa.Integer(), nullable=True))
"""


def test_pending_migration_runs_after_a_backup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A later app version's migration: the project is backed up unchanged, then upgraded with data kept."""
    migrations = tmp_path / "migrations"
    shutil.copytree(migrate.migrations_dir(), migrations, ignore=shutil.ignore_patterns("__pycache__"))
    (migrations / "versions" / "9000_next.py").write_text(NEXT_REVISION.format(head=migrate.head_revision()))
    path = tmp_path / "old.sqlite"
    shutil.copy(DATA / "project-0001.sqlite", path)
    before = database_fingerprint(path)
    monkeypatch.setattr(migrate, "migrations_dir", lambda: migrations)
    with open_project(path) as project:
        with project.engine.connect() as connection:
            assert migrate.current_revision(connection) == "9000"
            columns = [row[1] for row in connection.exec_driver_sql("PRAGMA table_info(document)")]
        with project.session() as session:
            assert session.query(Document).count() == 2
    assert "upgrade_marker" in columns
    backups = list(tmp_path.glob("old.sqlite.backup-0001-*"))
    assert len(backups) == 1
    assert database_fingerprint(backups[0]) == before


def test_the_check_on_open_stops_at_its_time_and_finishes_a_small_file(tmp_path: Path, monkeypatch):
    """Opening checks all of a small project, and a large one only for OPEN_CHECK_SECONDS: `stats` and start-up
    must not read every page of a large project each time."""
    from workstation.store import project_file as project_module
    path = tmp_path / "large.sqlite"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE filler (id INTEGER PRIMARY KEY, words TEXT)")
    connection.executemany("INSERT INTO filler (words) VALUES (?)", (("words " * 20,) for _ in range(50_000)))
    connection.commit()
    assert project_module.quick_check(connection) == "ok"
    monkeypatch.setattr(project_module, "OPEN_CHECK_SECONDS", 0)
    assert project_module.quick_check(connection) is None
    assert connection.execute("SELECT COUNT(*) FROM filler").fetchone() == (50_000,)
    connection.close()
