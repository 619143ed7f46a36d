"""`transfer`: a project copied file → server → file loses nothing, table by table (skipped without a server)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import DATA, PostgresServer
from sqlalchemy import select
from team_cycle import annotated_package

from workstation.cli import main
from workstation.core.errors import UserError
from workstation.formats.importing import import_paths
from workstation.review.merge import merge_packages
from workstation.store.document_reader import ROWID
from workstation.store.models import (
    Actor,
    Base,
    ForgottenName,
    Mention,
    MergeConflict,
    RejectedSuggestion,
    TrainedModel,
    new_id,
    utcnow,
)
from workstation.store.project import Project, open_project
from workstation.store.project_ref import display_url
from workstation.store.transfer import transfer


def tables(project: Project) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table as the models read it, in insertion order."""
    with project.session() as session:
        return {table.name: [dict(row) for row in session.execute(
            select(table).order_by(ROWID)).mappings()] for table in Base.metadata.sorted_tables}


def rich_project(supervisor: Path, tmp_path: Path) -> None:
    """Every table holds rows: documents, registry (with a merge), layers of every kind, a merged package's sync
    state and a conflict."""
    package = annotated_package(supervisor, tmp_path / "alice.sqlite", documents=3)
    with open_project(supervisor) as project:
        import_paths(project, [DATA / "two_layers.jsonl"])
        merge_packages(project, [package])
        with project.session.begin() as session:
            [first, second, *_] = session.scalars(select(Actor).order_by(Actor.name)).all()
            first.merged_into = second.id
            session.add(MergeConflict(id=new_id(), package_id="p", unit="mention:x", kept="project",
                                      other={"rows": [["mention", {"id": "x", "label": "Ünïcode 🙂"}]]},
                                      recorded_at=utcnow()))
            document, annotator = session.execute(select(Mention.document_id, Mention.annotator_id)).first()
            session.add_all([
                RejectedSuggestion(document_id=document, annotator_id=annotator, start=0, end=4, type="NAME",
                                   actor_id=second.id, source="registry"),
                ForgottenName(actor_id=second.id, name="Reis"),
                TrainedModel(name="gold-1", layers=["gold"], sizes={"train_documents": 3},
                             scores={"GOV": {"f1": 0.9}})])


def test_a_round_trip_through_the_server_changes_no_row(supervisor: Path, tmp_path: Path,
                                                        postgres_server: PostgresServer,
                                                        capsys: pytest.CaptureFixture):
    rich_project(supervisor, tmp_path)
    database = postgres_server.create_database("transfer")
    server = postgres_server.database_url(database)
    back = tmp_path / "back.sqlite"
    try:
        assert main(["transfer", str(supervisor), server]) == 0
        assert capsys.readouterr().out.startswith(f"copied {supervisor} to {display_url(server)}: ")
        assert main(["transfer", server, str(back)]) == 0
        with open_project(supervisor, read_only=True) as source, open_project(server, read_only=True) as middle, \
                open_project(back, read_only=True) as end:
            original = tables(source)
            assert all(original.values()), [name for name, rows in original.items() if not rows]
            for name, rows in original.items():
                assert tables(middle)[name] == rows, f"{name} differs on the server"
                assert tables(end)[name] == rows, f"{name} differs after the round trip"
            assert middle.project_id == end.project_id == source.project_id
    finally:
        postgres_server.drop_database(database)


def test_a_target_that_holds_something_is_refused(project_path: Path, server_project_url: str):
    with pytest.raises(UserError, match="already exists"):
        transfer(server_project_url, project_path)
    with pytest.raises(UserError, match="not empty"):
        transfer(project_path, server_project_url)
