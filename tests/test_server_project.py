"""Server projects: a PostgreSQL URL wherever a project file is accepted (skipped without a test server)."""

from __future__ import annotations

import json

import pytest
from conftest import DATA, PostgresServer
from sqlalchemy.engine import make_url

from workstation.cli import main
from workstation.core.errors import UserError
from workstation.paths import SAMPLE_ARTICLE, resource
from workstation.store import migrate
from workstation.store.document_list import list_documents
from workstation.store.project import create_project, open_project
from workstation.store.project_ref import display_url, is_server_url, project_ref


@pytest.fixture
def empty_database(postgres_server: PostgresServer):
    database = postgres_server.create_database("empty")
    yield postgres_server.database_url(database)
    postgres_server.drop_database(database)


def test_urls_are_told_from_paths_and_shown_without_password():
    url = "postgresql+psycopg://alice:secret@db.example:5432/newsroom"
    assert is_server_url(url) and project_ref(url) == url
    assert not is_server_url("postgresql.sqlite") and str(project_ref("postgresql.sqlite")) == "postgresql.sqlite"
    assert display_url(url) == "postgresql+psycopg://alice@db.example:5432/newsroom"


def test_init_import_stats_check_on_an_empty_database(empty_database: str, capsys: pytest.CaptureFixture):
    assert main(["init", empty_database]) == 0
    shown = capsys.readouterr().out
    assert shown == f"created {display_url(empty_database)}\n"
    password = make_url(empty_database).password
    assert password and password not in shown
    assert main(["import", empty_database, str(resource(SAMPLE_ARTICLE))]) == 0
    assert "1 document(s) added" in capsys.readouterr().out
    assert main(["stats", empty_database, "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["document_count"] == 1
    assert main(["check", empty_database]) == 0
    with open_project(empty_database, read_only=True) as project:
        assert project.server and project.location == display_url(empty_database)
        with project.engine.connect() as connection:
            assert migrate.current_revision(connection) == migrate.head_revision()
        with project.session() as session:
            assert [row.title for row in list_documents(session, search="idlib erdog")] == [
                stats["documents"][0]["title"]]


def test_a_database_holding_tables_is_not_made_a_project(empty_database: str):
    create_project(empty_database).close()
    with pytest.raises(UserError, match="the database is not empty"):
        create_project(empty_database)


def test_an_empty_database_is_not_opened_as_a_project(empty_database: str, capsys: pytest.CaptureFixture):
    assert main(["stats", empty_database]) == 2
    error = capsys.readouterr().err
    assert error == (f"workstation: {display_url(empty_database)}: not a Workstation project (the database has no "
                     "project in it; `init` creates one in an empty database)\n")


def test_a_refused_login_is_one_line_without_the_password(empty_database: str, capsys: pytest.CaptureFixture):
    wrong = make_url(empty_database).set(password="not-the-password").render_as_string(hide_password=False)
    assert main(["stats", wrong]) == 2
    error = capsys.readouterr().err
    assert error == f"workstation: {display_url(wrong)}: the server refused the user name or password\n"
    assert "not-the-password" not in error


def test_a_read_only_reader_cannot_write(server_project_url: str):
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    with open_project(server_project_url, read_only=True) as project, project.session() as session:
        with pytest.raises(DBAPIError, match="read-only transaction"):
            session.execute(text("UPDATE project_info SET value = 'x' WHERE key = 'schema'"))


def test_import_and_search_agree_on_both_backends(project, tmp_path):
    """The tests' corpus of odd text, searched on each backend: same documents, same hits."""
    from test_search_hits import ODD_TEXT, add_odd_document, words

    from workstation.formats.importing import import_paths
    from workstation.store.search_hits import search_hits

    import_paths(project, [DATA / "two_layers.jsonl"])
    document_id = add_odd_document(project, tmp_path)
    with project.session() as session:
        assert [row.id for row in list_documents(session, search="méxico-CITY")] == [document_id]
        assert [row.id for row in list_documents(session, search="amex")] == [document_id]
        assert list_documents(session, search="xico") == []
        assert [row.title for row in list_documents(session, search="erdogan idlib")] == ["Erdogan threatens"]
        assert [row.title for row in list_documents(session, search="syria RUSS")] == ["Erdogan threatens"]
        assert words(ODD_TEXT, search_hits(session, document_id, "mex")) == [
            "Mex\u0303ico", "mexico", "MEXICO", "Méxicos"]
