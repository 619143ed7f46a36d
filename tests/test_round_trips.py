"""Statements a server answers one by one: what showing a document or building the registry asks the database,
counted (each is a round trip on a server), and a pooled connection the server dropped replaced without a ping
per session."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from conftest import write_jsonl
from sqlalchemy import event, select

from workstation.formats.importing import import_paths
from workstation.store import document_texts, server
from workstation.store.models import Document
from workstation.store.project import Project, open_project
from workstation.store.suggestion_names import suggestion_names


@contextmanager
def statements(project: Project) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_connection, _cursor, statement, *_rest) -> None:
        seen.append(statement)

    event.listen(project.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(project.engine, "before_cursor_execute", record)


def test_the_registrys_learned_names_read_many_texts_per_statement(project, tmp_path):
    """70 documents with a linked NAME mention each: their texts in 3 statements, not 70."""
    lines = [{"text": f"Article {number}: Erdogan spoke.",
              "actors": [{"id": "A1", "name": "Recep Tayyip Erdogan", "type": "GOV"}],
              "layers": [{"annotator": "alice", "mentions": [
                  {"id": "M1", "start": len(f"Article {number}: "), "end": len(f"Article {number}: Erdogan"),
                   "type": "NAME", "actor": "A1"}]}]} for number in range(70)]
    import_paths(project, [write_jsonl(tmp_path, lines)])
    with statements(project) as seen, project.session() as session:
        [names] = suggestion_names(session).values()
    assert names.learned == ("Erdogan",)
    assert sum("document.text" in statement for statement in seen) == -(-70 // document_texts.TEXTS_AT_ONCE)


def test_a_layer_not_in_the_project_is_looked_up_once_until_something_changes(project_ref, qtbot, isolated_qt):
    from workstation.paths import SAMPLE_ARTICLE, resource
    from workstation.ui.main_window import MainWindow

    with open_project(project_ref) as project:
        import_paths(project, [resource(SAMPLE_ARTICLE)])
    win = MainWindow()
    qtbot.addWidget(win)
    win.annotator = "newcomer"
    assert win.open_project(project_ref)
    workspace = win.workspace
    with statements(win.project) as seen:
        assert workspace.shown_annotator_id() is None
        assert workspace.shown_annotator_id() is None
    assert len(seen) <= 1, "remembered as missing"
    start = win.text_view.text.index("Erdogan")
    win.annotation.finish_mention((start, start + 7), "NAME", None)
    assert workspace.shown_annotator_id() is not None, "the first edit made the layer: asked again"
    assert [span.item_id for span in win.text_view.index.all_spans()], "and its mention is shown"
    win.close()


def test_a_connection_the_server_dropped_is_replaced_when_taken_from_the_pool_after_a_pause(
        server_project_url, monkeypatch: pytest.MonkeyPatch):
    with open_project(server_project_url) as project:
        with project.session() as session:
            backend = session.connection().connection.dbapi_connection.info.backend_pid
        with open_project(server_project_url) as other, other.engine.connect() as connection:
            connection.exec_driver_sql(f"SELECT pg_terminate_backend({backend})")
        monkeypatch.setattr(server, "IDLE_SECONDS", 0.0)
        with statements(project) as seen, project.session() as session:
            assert session.scalars(select(Document.id)).all() == []
            assert session.connection().connection.dbapi_connection.info.backend_pid != backend
        assert seen == [str(select(Document.id).compile(project.engine))], "the ping is not a statement of ours"
        monkeypatch.setattr(server, "IDLE_SECONDS", 60.0)
        pings: list[object] = []
        monkeypatch.setattr(project.engine.dialect, "do_ping", pings.append)
        for _ in range(3):
            with project.session() as session:
                session.scalars(select(Document.id)).all()
        assert pings == [], "no ping for a connection used a moment ago"
